/**
 * The check behind every size, count and step argument of the library.
 *
 * @module
 */

/**
 * Throws unless `value` is a positive integer (1, 2, 3, …).
 *
 * @param value The argument to check.
 * @param name Its name in the message, e.g. `"steps"`.
 * @param action What cannot be done with a bad value, e.g. `"run a bandit"`.
 * @throws {RangeError} `Cannot <action> as <name> must be a positive integer: current value is <value>` when
 *   `value` is not an integer or is below 1.
 * @example
 * ```ts
 * import { checkPositiveInteger } from "@lib/core/check_positive_integer.ts";
 * import assert from "node:assert/strict";
 * checkPositiveInteger(3, "steps", "run a bandit");
 * assert.throws(() => checkPositiveInteger(0, "steps", "run a bandit"), {
 *   message: "Cannot run a bandit as steps must be a positive integer: current value is 0",
 * });
 * ```
 */
export function checkPositiveInteger(value: number, name: string, action: string): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Cannot ${action} as ${name} must be a positive integer: current value is ${value}`);
  }
}
