/**
 * Principal component analysis, 主成分分析 (unsupervised): the directions along which the data varies most.
 *
 * @module
 */
import { dot, symmetricEigen } from "./_linalg.ts";
import { checkFitted, checkInt, checkX } from "./_validate.ts";

/**
 * PCA by eigen-decomposition of the covariance matrix (Jacobi rotations; fine up to a few hundred features).
 * Variances use n − 1, as scikit-learn's `PCA`. Each component's sign is fixed so that its largest-magnitude
 * entry is positive.
 *
 * @example
 * ```ts
 * import { PCA } from "@lib/ml/pca.ts";
 * import assert from "node:assert/strict";
 * const X = [[1, 1], [2, 2], [3, 3], [4, 4.1]];
 * const pca = new PCA({ nComponents: 1 }).fit(X);
 * assert.ok(pca.explainedVarianceRatio[0] > 0.99);
 * assert.equal(pca.transform(X)[0].length, 1);
 * ```
 */
export class PCA {
  /** Number of components kept (default: all features). */
  readonly nComponents: number | undefined;
  /** Column means `[d]`. */
  mean: number[] = [];
  /** Unit principal directions, `[nComponents][d]`, most variance first. */
  components: number[][] = [];
  /** Variance along each component. */
  explainedVariance: number[] = [];
  /** Share of the total variance along each component. */
  explainedVarianceRatio: number[] = [];

  /** @throws {RangeError} When nComponents is not a positive integer. */
  constructor(options: { nComponents?: number } = {}) {
    this.nComponents = options.nComponents;
    if (this.nComponents !== undefined) checkInt("nComponents", this.nComponents, "create PCA");
  }

  /**
   * Finds the components.
   * @throws {RangeError} On bad X, fewer than 2 rows, or more components than features.
   */
  fit(X: number[][]): this {
    const who = "fit PCA", d = checkX(X, who), n = X.length;
    const m = this.nComponents ?? d;
    if (n < 2) throw new RangeError(`Cannot ${who} as X must have at least 2 rows: current count is ${n}`);
    if (m > d) {
      throw new RangeError(
        `Cannot ${who} as nComponents must be at most the number of features (${d}): current value is ${m}`,
      );
    }
    this.mean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
    const centred = X.map((row) => row.map((v, j) => v - this.mean[j])); // [n, d]
    const cov = Array.from(
      { length: d },
      (_, a) => Array.from({ length: d }, (_, b) => centred.reduce((s, r) => s + r[a] * r[b], 0) / (n - 1)),
    );
    const { values, vectors } = symmetricEigen(cov);
    const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
    this.components = vectors.slice(0, m).map((v) => {
      const big = v.reduce((bi, x, i) => (Math.abs(x) > Math.abs(v[bi]) ? i : bi), 0);
      return v[big] < 0 ? v.map((x) => -x) : v;
    });
    this.explainedVariance = values.slice(0, m).map((v) => Math.max(v, 0));
    this.explainedVarianceRatio = this.explainedVariance.map((v) => (total > 0 ? v / total : 0));
    return this;
  }

  /** Coordinates of the rows along the components, `[n][nComponents]`. */
  transform(X: number[][]): number[][] {
    checkFitted(this.components.length > 0, "PCA");
    checkX(X, "transform with PCA", this.mean.length);
    return X.map((row) => {
      const centred = row.map((v, j) => v - this.mean[j]);
      return this.components.map((c) => dot(c, centred));
    });
  }

  /** {@link fit} then {@link transform}. */
  fitTransform(X: number[][]): number[][] {
    return this.fit(X).transform(X);
  }

  /** Back from component coordinates to feature space (a lossy reconstruction when components were dropped). */
  inverseTransform(Z: number[][]): number[][] {
    checkFitted(this.components.length > 0, "PCA");
    return Z.map((z) => this.mean.map((m, j) => z.reduce((s, v, c) => s + v * this.components[c][j], m)));
  }
}
