/**
 * Claims about what training achieved ("the model beats the unigram guesser"), checked in quick and full mode and
 * skipped, saying so, in smoke mode (where loops take one or two steps and only prove that the notebook runs).
 *
 * @module
 */
import { isSmoke } from "../core/mode.ts";

/** The error of a claim that does not hold. */
export class LearningAssertionError extends Error {
  /** @param claim What was claimed. */
  constructor(claim: string) {
    super(claim);
    this.name = "LearningAssertionError";
  }
}

/**
 * Asserts a claim about what was learned, except in smoke mode, where it prints that the claim was not checked.
 *
 * @param condition Whether the claim holds.
 * @param claim The claim, e.g. "the model uses its context".
 * @throws {LearningAssertionError} When the condition is false outside smoke mode.
 * @throws {TypeError} When the claim is not a non-empty string.
 * @example
 * ```ts
 * import { assertLearned } from "@lib/notebook/assert_learned.ts";
 * import assert from "node:assert/strict";
 * assertLearned(0.1 < 0.5, "the loss fell");
 * assert.throws(() => assertLearned(false, "the loss fell"), /^LearningAssertionError: the loss fell$/);
 * ```
 */
export function assertLearned(condition: boolean, claim: string): void {
  if (typeof claim !== "string" || claim.trim() === "") {
    throw new TypeError(`Cannot assert a learning claim as the claim must be a non-empty string: got ${claim}`);
  }
  if (isSmoke()) {
    console.log(`smoke mode: not checked that ${claim} (quick and full mode check it)`);
    return;
  }
  if (!condition) throw new LearningAssertionError(claim);
}
