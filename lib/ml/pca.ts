/**
 * Principal component analysis, 主成分分析 (unsupervised): the directions along which the data varies most.
 *
 * @module
 */
import { Prng, SEED } from "../core/random.ts";
import { dot, symmetricEigen } from "./_linalg.ts";
import { checkInteger } from "../core/validate.ts";
import { checkFitted, checkX } from "./_validate.ts";

/** Options of {@link PCA}. */
export interface PCAOptions {
  /** Number of components kept (default: all features). */
  nComponents?: number;
  /**
   * `"full"`: eigen-decomposition of the covariance matrix by Jacobi rotations (exact; O(d³), fine up to ~100
   * features). `"iterative"`: subspace iteration for the top nComponents only, multiplying by the centred rows,
   * never forming the covariance (for images: 784 pixels). `"auto"` (default): full up to 100 features.
   */
  solver?: "auto" | "full" | "iterative";
}

/**
 * Principal component analysis. Variances use n − 1, as scikit-learn's `PCA`. Each component's sign is fixed so
 * that its largest-magnitude entry is positive.
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
  readonly solver: "auto" | "full" | "iterative";
  /** Column means `[d]`. */
  mean: number[] = [];
  /** Unit principal directions, `[nComponents][d]`, most variance first. */
  components: number[][] = [];
  /** Variance along each component. */
  explainedVariance: number[] = [];
  /** Share of the total variance along each component. */
  explainedVarianceRatio: number[] = [];

  /** @throws {RangeError} When nComponents is not a positive integer or the solver is unknown. */
  constructor(options: PCAOptions = {}) {
    this.nComponents = options.nComponents;
    this.solver = options.solver ?? "auto";
    if (this.nComponents !== undefined) checkInteger(this.nComponents, "nComponents", "create PCA", 1);
    if (!["auto", "full", "iterative"].includes(this.solver)) {
      throw new RangeError(
        `Cannot create PCA as solver must be "auto", "full" or "iterative": current value is ${this.solver}`,
      );
    }
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
    const full = this.solver === "full" || (this.solver === "auto" && d <= 100);
    const { values, vectors } = full ? covarianceEigen(centred) : topEigen(centred, m);
    const total = full ? values.reduce((s, v) => s + Math.max(v, 0), 0) : totalVariance(centred);
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

/** All eigenpairs of the covariance of centred rows (Jacobi). */
function covarianceEigen(centred: number[][]): { values: number[]; vectors: number[][] } {
  const d = centred[0].length, n = centred.length;
  const cov = Array.from(
    { length: d },
    (_, a) => Array.from({ length: d }, (_, b) => centred.reduce((s, r) => s + r[a] * r[b], 0) / (n - 1)),
  );
  return symmetricEigen(cov);
}

/** Sum of the column variances (n − 1) of centred rows: the trace of the covariance. */
function totalVariance(centred: number[][]): number {
  return centred.reduce((s, row) => s + dot(row, row), 0) / (centred.length - 1);
}

/** Covariance times each vector, C·v = Xcᵀ(Xc·v)/(n − 1), without forming C. */
function covarianceTimes(centred: number[][], vectors: number[][]): number[][] {
  const d = centred[0].length, n = centred.length;
  return vectors.map((v) => {
    const out = new Array<number>(d).fill(0);
    for (const row of centred) {
      const p = dot(row, v) / (n - 1);
      for (let j = 0; j < d; j++) out[j] += p * row[j];
    }
    return out;
  });
}

/** Gram–Schmidt: orthonormal vectors spanning the same space (in place order). */
function orthonormalise(vectors: number[][]): number[][] {
  const out: number[][] = [];
  for (const v of vectors) {
    const u = [...v];
    for (const q of out) {
      const p = dot(u, q);
      for (let j = 0; j < u.length; j++) u[j] -= p * q[j];
    }
    const norm = Math.sqrt(dot(u, u)) || 1;
    out.push(u.map((x) => x / norm));
  }
  return out;
}

/**
 * Top-m eigenpairs of the covariance by subspace iteration (a few spare vectors speed convergence), finished by a
 * Rayleigh–Ritz step. The start is seeded, so results are reproducible.
 */
function topEigen(centred: number[][], m: number): { values: number[]; vectors: number[][] } {
  const d = centred[0].length, k = Math.min(d, m + 4), prng = new Prng(SEED);
  let Q = orthonormalise(Array.from({ length: k }, () => Array.from({ length: d }, () => prng.normal())));
  for (let iter = 0; iter < 300; iter++) {
    const next = orthonormalise(covarianceTimes(centred, Q));
    const change = Math.max(...next.slice(0, m).map((q, i) => 1 - Math.abs(dot(q, Q[i]))));
    Q = next;
    if (change < 1e-13) break;
  }
  const CQ = covarianceTimes(centred, Q);
  const small = symmetricEigen(Q.map((qa) => CQ.map((cb) => dot(qa, cb)))); // [k, k] Rayleigh–Ritz
  return {
    values: small.values.slice(0, m),
    vectors: small.vectors.slice(0, m).map((coef) => Q[0].map((_, j) => coef.reduce((s, c, i) => s + c * Q[i][j], 0))),
  };
}
