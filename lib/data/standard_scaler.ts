/**
 * Standardisation: shift and scale each column to mean 0 and standard deviation 1.
 *
 * @module
 */

/**
 * Learns each column's mean and (population) standard deviation on training rows and applies them to any rows,
 * like scikit-learn's `StandardScaler`. A constant column keeps scale 1 (it becomes all zeros).
 *
 * @example
 * ```ts
 * import { StandardScaler } from "@lib/data/standard_scaler.ts";
 * import assert from "node:assert/strict";
 * const scaler = new StandardScaler().fit([[1, 10], [3, 10]]);
 * assert.deepEqual(scaler.transform([[2, 10], [3, 10]]), [[0, 0], [1, 0]]);
 * ```
 */
export class StandardScaler {
  /** Column means, set by {@link fit}. */
  mean: number[] = [];
  /** Column standard deviations (1 for constant columns), set by {@link fit}. */
  scale: number[] = [];

  /**
   * Learns means and standard deviations.
   * @throws {RangeError} When X is empty, ragged or holds a non-finite value.
   */
  fit(X: number[][]): this {
    if (X.length === 0 || X[0].length === 0) {
      throw new RangeError(`Cannot fit StandardScaler as X must have at least one row and column: it is empty`);
    }
    const d = X[0].length;
    X.forEach((row, i) => {
      if (row.length !== d || !row.every(Number.isFinite)) {
        throw new RangeError(
          `Cannot fit StandardScaler as row ${i} must hold ${d} finite numbers: current value is [${row}]`,
        );
      }
    });
    this.mean = Array.from({ length: d }, (_, j) => X.reduce((s, row) => s + row[j], 0) / X.length);
    this.scale = this.mean.map((m, j) => {
      const std = Math.sqrt(X.reduce((s, row) => s + (row[j] - m) ** 2, 0) / X.length);
      return std > 0 ? std : 1;
    });
    return this;
  }

  /**
   * Standardises rows with the learned statistics.
   * @throws {Error} When called before {@link fit}.
   * @throws {RangeError} When a row's width differs from the fitted one.
   */
  transform(X: number[][]): number[][] {
    if (this.mean.length === 0) {
      throw new Error("Cannot transform with StandardScaler as it is not fitted: call fit first");
    }
    return X.map((row, i) => {
      if (row.length !== this.mean.length) {
        throw new RangeError(
          `Cannot transform row ${i} as it must have ${this.mean.length} columns: current width is ${row.length}`,
        );
      }
      return row.map((v, j) => (v - this.mean[j]) / this.scale[j]);
    });
  }

  /** {@link fit} then {@link transform} on the same rows. */
  fitTransform(X: number[][]): number[][] {
    return this.fit(X).transform(X);
  }

  /** Undoes {@link transform}. */
  inverseTransform(X: number[][]): number[][] {
    return X.map((row) => row.map((v, j) => v * this.scale[j] + this.mean[j]));
  }
}
