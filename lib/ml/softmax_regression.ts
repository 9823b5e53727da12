/**
 * Softmax (multinomial logistic) regression: p(y=k|x) ∝ exp(x·W[:,k] + b[k]), fitted by gradient descent.
 *
 * @module
 */
import { checkLogisticOptions, LOGISTIC_DEFAULTS, type LogisticOptions } from "./logistic_regression.ts";
import { argmax } from "../core/argmax.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";
import { dot } from "./_linalg.ts";

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

/**
 * Multi-class logistic regression with an L2 penalty ‖W‖²/(2·C·n) (biases not penalised): the objective of
 * scikit-learn's multinomial `LogisticRegression(C)`, divided by C·n.
 *
 * @example
 * ```ts
 * import { SoftmaxRegression } from "@lib/ml/softmax_regression.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [0, 1], [5, 0], [5, 1], [0, 5], [1, 5]], y = [0, 0, 1, 1, 2, 2];
 * const model = new SoftmaxRegression({ learningRate: 0.1 }).fit(X, y);
 * assert.deepEqual(model.predict([[6, 0], [0, 6]]), [1, 2]);
 * ```
 */
export class SoftmaxRegression {
  readonly options: Required<LogisticOptions>;
  /** Weights `[d][k]`: column k scores class k. */
  weights: number[][] = [];
  /** Biases `[k]`. */
  bias: number[] = [];
  /** Training objective (mean cross-entropy + penalty) after each step. */
  lossHistory: number[] = [];

  /** @throws {RangeError} When C, learningRate or epochs is invalid. */
  constructor(options: LogisticOptions = {}) {
    this.options = { ...LOGISTIC_DEFAULTS, ...options };
    checkLogisticOptions(this.options, "create SoftmaxRegression");
  }

  /**
   * Fits on class indices 0..k-1.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit SoftmaxRegression";
    checkXy(X, y, who);
    const k = checkLabels(y, who), n = X.length, d = X[0].length, { C, learningRate, epochs } = this.options;
    const W = Array.from({ length: k }, () => new Float64Array(d)); // [k][d]: class-major for contiguous loops
    const b = new Float64Array(k); // [k]
    this.lossHistory = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const gradW = W.map((w) => w.map((v) => v / (C * n))); // [k][d]
      const gradB = new Float64Array(k); // [k]
      let loss = W.reduce((s, w) => s + dot(w, w), 0) / (2 * C * n);
      for (let i = 0; i < n; i++) {
        const p = softmax(X[i], W, b); // [k]
        loss -= Math.log(Math.max(p[y[i]], 1e-300)) / n;
        for (let c = 0; c < k; c++) {
          const err = (p[c] - (y[i] === c ? 1 : 0)) / n, g = gradW[c], x = X[i];
          gradB[c] += err;
          for (let j = 0; j < d; j++) g[j] += err * x[j];
        }
      }
      for (let c = 0; c < k; c++) {
        for (let j = 0; j < d; j++) W[c][j] -= learningRate * gradW[c][j];
        b[c] -= learningRate * gradB[c];
      }
      this.lossHistory.push(loss);
    }
    this.weights = Array.from({ length: d }, (_, j) => W.map((w) => w[j]));
    this.bias = Array.from(b);
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
