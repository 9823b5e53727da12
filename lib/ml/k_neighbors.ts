/**
 * k-nearest neighbours, k近邻: a row gets the majority class of the k closest training rows.
 *
 * @module
 */
import { checkInteger } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/**
 * k-nearest-neighbour classifier with Euclidean distance and uniform votes. A tied vote goes to the smallest
 * class index (as scikit-learn's `KNeighborsClassifier`).
 *
 * @example
 * ```ts
 * import { KNeighborsClassifier } from "@lib/ml/k_neighbors.ts";
 * import assert from "node:assert/strict";
 * const model = new KNeighborsClassifier({ k: 3 }).fit([[0], [1], [2], [10], [11], [12]], [0, 0, 0, 1, 1, 1]);
 * assert.deepEqual(model.predict([[1.5], [9]]), [0, 1]);
 * ```
 */
export class KNeighborsClassifier {
  /** Number of neighbours that vote. */
  readonly k: number;
  #X: number[][] = [];
  #y: number[] = [];
  #numClasses = 0;

  /** @throws {RangeError} When k is not a positive integer. */
  constructor(options: { k?: number } = {}) {
    this.k = options.k ?? 5;
    checkInteger(this.k, "k", "create KNeighborsClassifier", 1);
  }

  /**
   * Stores the training rows (that is all "training" means here).
   * @throws {RangeError} On bad input, a single class, or k larger than the number of rows.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit KNeighborsClassifier";
    checkXy(X, y, who);
    this.#numClasses = checkLabels(y, who);
    if (this.k > X.length) {
      throw new RangeError(
        `Cannot ${who} as k must be at most the number of training rows (${X.length}): current value is ${this.k}`,
      );
    }
    this.#X = X.map((row) => [...row]);
    this.#y = [...y];
    return this;
  }

  /** Indices (into the training rows) of the k nearest neighbours of each row, nearest first. */
  kneighbors(X: number[][]): number[][] {
    checkFitted(this.#X.length > 0, "KNeighborsClassifier");
    checkX(X, "predict with KNeighborsClassifier", this.#X[0].length);
    return X.map((row) => {
      const dist = this.#X.map((t, i) => [t.reduce((s, v, j) => s + (v - row[j]) ** 2, 0), i] as const);
      dist.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
      return dist.slice(0, this.k).map(([, i]) => i);
    });
  }

  /** Share of the k votes for each class, `[n][classes]`. */
  predictProba(X: number[][]): number[][] {
    return this.kneighbors(X).map((neighbours) => {
      const votes = new Array<number>(this.#numClasses).fill(0);
      for (const i of neighbours) votes[this.#y[i]] += 1 / this.k;
      return votes;
    });
  }

  /** Majority class of the k neighbours. */
  predict(X: number[][]): number[] {
    return this.predictProba(X).map((votes) => votes.indexOf(Math.max(...votes)));
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
