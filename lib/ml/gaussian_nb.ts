/**
 * Gaussian naive Bayes, 朴素贝叶斯 for real-valued features: each class is a product of independent normals.
 *
 * @module
 */
import { NaiveBayes } from "./_naive_bayes.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";

/**
 * Gaussian naive Bayes. Variances get `varSmoothing × largest feature variance` added, as scikit-learn's
 * `GaussianNB(var_smoothing=1e-9)`.
 *
 * @example
 * ```ts
 * import { GaussianNB } from "@lib/ml/gaussian_nb.ts";
 * import assert from "node:assert/strict";
 * const model = new GaussianNB().fit([[1], [1.2], [0.8], [5], [5.2], [4.8]], [0, 0, 0, 1, 1, 1]);
 * assert.deepEqual(model.predict([[1.1], [4.9]]), [0, 1]);
 * ```
 */
export class GaussianNB extends NaiveBayes {
  readonly varSmoothing: number;
  /** Per-class feature means `[k][d]`. */
  means: number[][] = [];
  /** Per-class feature variances `[k][d]` (smoothed). */
  variances: number[][] = [];
  /** log p(class) `[k]`. */
  classLogPrior: number[] = [];

  /** @throws {RangeError} When varSmoothing is negative or not finite. */
  constructor(options: { varSmoothing?: number } = {}) {
    super();
    this.varSmoothing = options.varSmoothing ?? 1e-9;
    if (!(this.varSmoothing >= 0 && Number.isFinite(this.varSmoothing))) {
      throw new RangeError(
        `Cannot create GaussianNB as varSmoothing must be a finite number >= 0: current value is ${this.varSmoothing}`,
      );
    }
  }

  /**
   * Estimates class priors, means and variances.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit GaussianNB";
    const d = checkXy(X, y, who), k = checkLabels(y, who), n = X.length;
    const columnVar = (rows: number[][], j: number) => {
      const m = rows.reduce((s, r) => s + r[j], 0) / rows.length;
      return rows.reduce((s, r) => s + (r[j] - m) ** 2, 0) / rows.length;
    };
    const epsilon = this.varSmoothing * Math.max(...Array.from({ length: d }, (_, j) => columnVar(X, j)));
    const byClass = Array.from({ length: k }, (_, c) => X.filter((_, i) => y[i] === c));
    this.classLogPrior = byClass.map((rows) => Math.log(rows.length / n));
    this.means = byClass.map((rows) =>
      Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / Math.max(rows.length, 1))
    );
    this.variances = byClass.map((rows) =>
      Array.from({ length: d }, (_, j) => (rows.length ? columnVar(rows, j) : 0) + epsilon)
    );
    return this;
  }

  /** log p(class) + Σ log N(x_j | mean, var) per class, `[n][k]` (unnormalised). */
  jointLogLikelihood(X: number[][]): number[][] {
    checkFitted(this.means.length > 0, "GaussianNB");
    checkX(X, "predict with GaussianNB", this.means[0].length);
    return X.map((row) =>
      this.classLogPrior.map((prior, c) =>
        row.reduce((s, x, j) => {
          const v = this.variances[c][j];
          return s - 0.5 * Math.log(2 * Math.PI * v) - (x - this.means[c][j]) ** 2 / (2 * v);
        }, prior)
      )
    );
  }
}
