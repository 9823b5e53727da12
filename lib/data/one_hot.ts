/**
 * One-hot encoding of class labels.
 *
 * @module
 */
import { checkPositiveInteger } from "../core/validate.ts";

/**
 * Turns class indices into one-hot rows: label 2 of 3 classes becomes `[0, 0, 1]`.
 *
 * @param labels Integer labels in 0..numClasses-1.
 * @param numClasses Number of classes (default: largest label + 1).
 * @returns `[n][numClasses]` rows of 0 and 1.
 * @throws {RangeError} When a label is not an integer in range, or numClasses is not a positive integer.
 *
 * @example
 * ```ts
 * import { oneHot } from "@lib/data/one_hot.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(oneHot([0, 2], 3), [[1, 0, 0], [0, 0, 1]]);
 * ```
 */
export function oneHot(labels: number[], numClasses?: number): number[][] {
  const k = numClasses ?? labels.reduce((m, v) => Math.max(m, v), -1) + 1;
  checkPositiveInteger(k, "numClasses", "one-hot encode");
  return labels.map((label, i) => {
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new RangeError(
        `Cannot one-hot encode label ${i} as it must be an integer in 0..${k - 1}: current value is ${label}`,
      );
    }
    const row = new Array<number>(k).fill(0);
    row[label] = 1;
    return row;
  });
}
