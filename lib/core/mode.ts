/**
 * Quick mode: `LIANDAN_QUICK=1` makes every notebook run in seconds (CI does this). Notebooks never read the
 * variable themselves; every count that sizes a loop — steps, epochs, tasks, samples — goes through {@link byMode}.
 *
 * @module
 */
import { checkPositiveInteger } from "./validate.ts";

let override: boolean | null = null;

/** True when the course runs in quick mode (`LIANDAN_QUICK` set to 1, true or yes). */
export function isQuick(): boolean {
  if (override !== null) return override;
  if (isSmoke()) return true;
  const v = (Deno.env.get("LIANDAN_QUICK") ?? "").trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

/**
 * True in smoke mode (`LIANDAN_SMOKE` set to 1, true or yes), which CI uses for the editions other than the English
 * instructor one: quick mode with every {@link byMode} count cut to at most {@link SMOKE_STEPS}, so a notebook only
 * proves that it runs; claims about what was learned are skipped and say so (`assertLearned` in lib/notebook).
 * Smoke mode implies quick mode, and models cached under quick mode are the ones it reads.
 */
export function isSmoke(): boolean {
  const v = (Deno.env.get("LIANDAN_SMOKE") ?? "").trim().toLowerCase();
  return v === "1" || v === "true" || v === "yes";
}

/** The most steps a loop takes in smoke mode. */
export const SMOKE_STEPS = 2;

/** "quick" or "full": part of every model-cache key. */
export function mode(): "quick" | "full" {
  return isQuick() ? "quick" : "full";
}

/**
 * Forces quick or full mode for this process (tests use it); `null` goes back to the environment variable.
 */
export function setQuick(value: boolean | null): void {
  override = value;
}

/**
 * A loop count for the current mode — training steps, epochs, bandit tasks, samples: the full-mode value, or the
 * smaller quick-mode one under `LIANDAN_QUICK=1`.
 *
 * @param full The count a learner runs (full mode).
 * @param quick The count CI runs (quick mode); defaults to a twentieth of `full`, at least 1.
 * @returns The count for the current mode.
 * @throws {RangeError} When a count is not a positive integer.
 * @example
 * ```ts
 * import { byMode, setQuick } from "@lib/core/mode.ts";
 * import assert from "node:assert/strict";
 * setQuick(true);
 * assert.equal(byMode(2000, 50), 50);
 * setQuick(false);
 * assert.equal(byMode(2000, 50), 2000);
 * setQuick(null);
 * ```
 */
export function byMode(full: number, quick: number = Math.max(1, Math.round(full / 20))): number {
  checkPositiveInteger(full, "full", "choose a loop count");
  checkPositiveInteger(quick, "quick", "choose a loop count");
  if (override === null && isSmoke()) return Math.min(quick, SMOKE_STEPS);
  return isQuick() ? quick : full;
}
