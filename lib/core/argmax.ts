/**
 * The index of the largest number in a list: the class a classifier picks, the arm a greedy agent pulls, the token
 * greedy decoding takes.
 *
 * @module
 */

/**
 * Index of the largest value (the first one on ties).
 *
 * @param values The numbers (an array or a typed array).
 * @returns The index of the largest value.
 * @throws {RangeError} When `values` is empty.
 * @example
 * ```ts
 * import { argmax } from "@lib/core/argmax.ts";
 * import assert from "node:assert/strict";
 * assert.equal(argmax([1, 3, 2]), 1);
 * assert.equal(argmax(new Float32Array([5, 5, 1])), 0);
 * ```
 */
export function argmax(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError("Cannot find the argmax as the list is empty: give at least one value");
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
