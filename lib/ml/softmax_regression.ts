/**
 * Softmax (multinomial logistic) regression: p(y=k|x) ∝ exp(x·W[:,k] + b[k]), fitted by L-BFGS (as scikit-learn
 * does) or by plain gradient descent.
 *
 * @module
 */
import { checkLogisticOptions, LOGISTIC_DEFAULTS, type LogisticOptions } from "./logistic_regression.ts";
import { argmax } from "../core/argmax.ts";
import { checkPositive } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";
import { dot } from "./_linalg.ts";
import { lbfgs } from "./_lbfgs.ts";

/** Options of {@link SoftmaxRegression}: those of logistic regression plus the solver. */
export interface SoftmaxOptions extends LogisticOptions {
  /**
   * `"lbfgs"` (default): the quasi-Newton method scikit-learn uses, `epochs` caps its iterations and it stops once
   * every gradient component is below `tol`. `"gd"`: `epochs` steps of full-batch gradient descent with `learningRate`.
   */
  solver?: "lbfgs" | "gd";
  /** L-BFGS stops when max |gradient| ≤ tol (scikit-learn's `tol`). Default 1e-4. */
  tol?: number;
}

/** The default options: C 1, L-BFGS for at most 1000 iterations to a gradient of 1e-4 (scikit-learn's settings). */
export const SOFTMAX_DEFAULTS: Readonly<Required<SoftmaxOptions>> = Object.freeze({
  ...LOGISTIC_DEFAULTS,
  solver: "lbfgs",
  tol: 1e-4,
});

/** Softmax of the class scores x·W[c] + b[c], computed stably. */
function softmax(x: number[], W: ArrayLike<number>[], b: ArrayLike<number>): Float64Array {
  const z = new Float64Array(W.length);
  let max = -Infinity, total = 0;
  for (let c = 0; c < W.length; c++) {
    z[c] = dot(x, W[c]) + b[c];
    if (z[c] > max) max = z[c];
  }
  for (let c = 0; c < W.length; c++) total += z[c] = Math.exp(z[c] - max);
  for (let c = 0; c < W.length; c++) z[c] /= total;
  return z;
}

/** X's non-zero entries row by row (compressed sparse rows): digits are 80% background, so this skips most work. */
interface SparseRows {
  /** Row i's entries are at positions start[i] .. start[i + 1] − 1. */
  start: Int32Array;
  col: Int32Array;
  val: Float64Array;
}

function sparseRows(X: number[][]): SparseRows {
  let nnz = 0;
  for (const row of X) for (const v of row) if (v !== 0) nnz++;
  const start = new Int32Array(X.length + 1), col = new Int32Array(nnz), val = new Float64Array(nnz);
  let p = 0;
  X.forEach((row, i) => {
    for (let j = 0; j < row.length; j++) if (row[j] !== 0) col[p] = j, val[p++] = row[j];
    start[i + 1] = p;
  });
  return { start, col, val };
}

/**
 * The objective (mean cross-entropy + ‖W‖²/(2·C·n)) and its gradient, on parameters θ = [W (d·k, entry j·k + c),
 * b (k)]: returns f(θ) and writes ∇f(θ) into `grad`.
 */
function objective(X: SparseRows, y: number[], d: number, k: number, C: number) {
  const n = y.length, nW = d * k, penalty = 1 / (C * n), z = new Float64Array(k); // z: [k] scores, then p − onehot
  const { start, col, val } = X;
  return (theta: Float64Array, grad: Float64Array): number => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) z[c] = theta[nW + c];
      for (let p = start[i]; p < start[i + 1]; p++) {
        const v = val[p], base = col[p] * k;
        for (let c = 0; c < k; c++) z[c] += v * theta[base + c];
      }
      let max = -Infinity, total = 0;
      for (let c = 0; c < k; c++) if (z[c] > max) max = z[c];
      const zy = z[y[i]];
      for (let c = 0; c < k; c++) total += z[c] = Math.exp(z[c] - max);
      loss += Math.log(total) + max - zy; // −log p(y_i | x_i)
      for (let c = 0; c < k; c++) z[c] /= total;
      z[y[i]] -= 1;
      for (let c = 0; c < k; c++) grad[nW + c] += z[c];
      for (let p = start[i]; p < start[i + 1]; p++) {
        const v = val[p], base = col[p] * k;
        for (let c = 0; c < k; c++) grad[base + c] += v * z[c];
      }
    }
    loss /= n;
    for (let q = 0; q < grad.length; q++) grad[q] /= n;
    if (penalty > 0) {
      for (let q = 0; q < nW; q++) {
        loss += (penalty / 2) * theta[q] * theta[q];
        grad[q] += penalty * theta[q];
      }
    }
    return loss;
  };
}

/**
 * Multi-class logistic regression with an L2 penalty ‖W‖²/(2·C·n) (biases not penalised): the objective of
 * scikit-learn's multinomial `LogisticRegression(C)`, divided by C·n, minimised the same way (L-BFGS to a gradient
 * of 1e-4), so both find the same weights.
 *
 * @example
 * ```ts
 * import { SoftmaxRegression } from "@lib/ml/softmax_regression.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [0, 1], [5, 0], [5, 1], [0, 5], [1, 5]], y = [0, 0, 1, 1, 2, 2];
 * const model = new SoftmaxRegression().fit(X, y);
 * assert.deepEqual(model.predict([[6, 0], [0, 6]]), [1, 2]);
 * assert.ok(model.converged && model.iterations < 100);
 * ```
 */
export class SoftmaxRegression {
  readonly options: Required<SoftmaxOptions>;
  /** Weights `[d][k]`: column k scores class k. */
  weights: number[][] = [];
  /** Biases `[k]`. */
  bias: number[] = [];
  /** Training objective (mean cross-entropy + penalty): before each step (gd), or at the start and after each iteration (lbfgs). */
  lossHistory: number[] = [];
  /** Iterations (lbfgs) or steps (gd) the last fit ran. */
  iterations = 0;
  /** Whether the last L-BFGS fit reached `tol` (always false for gd, which has no stopping test). */
  converged = false;

  /** @throws {RangeError} When C, learningRate, epochs, tol or solver is invalid. */
  constructor(options: SoftmaxOptions = {}) {
    this.options = { ...SOFTMAX_DEFAULTS, ...options };
    checkLogisticOptions(this.options, "create SoftmaxRegression");
    checkPositive(this.options.tol, "tol", "create SoftmaxRegression");
    if (this.options.solver !== "lbfgs" && this.options.solver !== "gd") {
      throw new RangeError(
        `Cannot create SoftmaxRegression as solver must be "lbfgs" or "gd": current value is ${this.options.solver}`,
      );
    }
  }

  /**
   * Fits on class indices 0..k-1.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit SoftmaxRegression";
    checkXy(X, y, who);
    const k = checkLabels(y, who), d = X[0].length, { C, learningRate, epochs, solver, tol } = this.options;
    const fg = objective(sparseRows(X), y, d, k, C);
    let theta: Float64Array = new Float64Array(d * k + k); // [W (d·k), b (k)], all zero
    if (solver === "lbfgs") {
      const result = lbfgs(fg, theta, { maxIter: epochs, tol });
      theta = result.x;
      this.lossHistory = result.history;
      this.iterations = result.iterations;
      this.converged = result.converged;
    } else {
      const grad = new Float64Array(theta.length);
      this.lossHistory = [];
      for (let epoch = 0; epoch < epochs; epoch++) {
        this.lossHistory.push(fg(theta, grad));
        for (let q = 0; q < theta.length; q++) theta[q] -= learningRate * grad[q];
      }
      this.iterations = epochs;
      this.converged = false;
    }
    this.weights = Array.from({ length: d }, (_, j) => Array.from(theta.subarray(j * k, (j + 1) * k)));
    this.bias = Array.from(theta.subarray(d * k));
    return this;
  }

  /** Class probabilities `[n][k]`. */
  predictProba(X: number[][]): number[][] {
    checkFitted(this.bias.length > 0, "SoftmaxRegression");
    checkX(X, "predict with SoftmaxRegression", this.weights.length);
    const W = this.bias.map((_, c) => this.weights.map((row) => row[c])); // [k][d]
    return X.map((row) => Array.from(softmax(row, W, this.bias)));
  }

  /** Most probable class per row. */
  predict(X: number[][]): number[] {
    return this.predictProba(X).map(argmax);
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
