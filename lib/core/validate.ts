/**
 * The argument checks of the whole library. Every check takes the same three leading arguments in the same order —
 * the value, its name, and what cannot be done with a bad value — and throws a `RangeError` that says all three:
 * `Cannot <action> as <name> must be <expectation>: current value is <value>`.
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
 * import { checkPositiveInteger } from "@lib/core/validate.ts";
 * import assert from "node:assert/strict";
 * checkPositiveInteger(3, "steps", "run a bandit");
 * assert.throws(() => checkPositiveInteger(0, "steps", "run a bandit"), {
 *   message: "Cannot run a bandit as steps must be a positive integer: current value is 0",
 * });
 * ```
 */
export function checkPositiveInteger(value: number, name: string, action: string): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) {
    throw new RangeError(`Cannot ${action} as ${name} must be a positive integer: current value is ${value}`);
  }
}

/**
 * Throws unless `value` is an integer of at least `min`.
 *
 * @param value The argument to check.
 * @param name Its name in the message.
 * @param action What cannot be done with a bad value.
 * @param min The smallest allowed value (default 0).
 * @throws {RangeError} `Cannot <action> as <name> must be an integer >= <min>: current value is <value>`.
 * @example
 * ```ts
 * import { checkInteger } from "@lib/core/validate.ts";
 * import assert from "node:assert/strict";
 * checkInteger(0, "warmup", "train");
 * assert.throws(() => checkInteger(1, "minSamplesSplit", "fit a tree", 2), {
 *   message: "Cannot fit a tree as minSamplesSplit must be an integer >= 2: current value is 1",
 * });
 * ```
 */
export function checkInteger(value: number, name: string, action: string, min = 0): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`Cannot ${action} as ${name} must be an integer >= ${min}: current value is ${value}`);
  }
}

/**
 * Throws unless `value` is a number above 0, finite unless `allowInfinity`.
 *
 * @param value The argument to check.
 * @param name Its name in the message.
 * @param action What cannot be done with a bad value.
 * @param allowInfinity Whether `Infinity` is allowed (e.g. "no regularisation"). Default false.
 * @throws {RangeError} `Cannot <action> as <name> must be a positive number: current value is <value>`.
 * @example
 * ```ts
 * import { checkPositive } from "@lib/core/validate.ts";
 * import assert from "node:assert/strict";
 * checkPositive(0.1, "lr", "train");
 * checkPositive(Infinity, "C", "fit", true);
 * assert.throws(() => checkPositive(NaN, "lr", "train"), {
 *   message: "Cannot train as lr must be a positive number: current value is NaN",
 * });
 * ```
 */
export function checkPositive(value: number, name: string, action: string, allowInfinity = false): void {
  if (typeof value !== "number" || !(value > 0) || (!allowInfinity && !Number.isFinite(value))) {
    throw new RangeError(`Cannot ${action} as ${name} must be a positive number: current value is ${value}`);
  }
}
