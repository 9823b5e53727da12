/**
 * Softmax (multinomial logistic) regression: p(y=k|x) ∝ exp(x·W[:,k] + b[k]), fitted by gradient descent.
 *
 * @module
 */
import { checkLogisticOptions, LOGISTIC_DEFAULTS, type LogisticOptions } from "./logistic_regression.ts";
import { argmax, checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

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
    this.weights = Array.from({ length: d }, () => new Array<number>(k).fill(0));
    this.bias = new Array<number>(k).fill(0);
    this.lossHistory = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const gradW = this.weights.map((row) => row.map((w) => w / (C * n))); // [d, k]
      const gradB = new Array<number>(k).fill(0); // [k]
      let loss = this.weights.flat().reduce((s, w) => s + w * w, 0) / (2 * C * n);
      const P = this.#probabilities(X); // [n, k]
      for (let i = 0; i < n; i++) {
        loss -= Math.log(Math.max(P[i][y[i]], 1e-300)) / n;
        for (let c = 0; c < k; c++) {
          const err = (P[i][c] - (y[i] === c ? 1 : 0)) / n;
          gradB[c] += err;
          for (let j = 0; j < d; j++) gradW[j][c] += err * X[i][j];
        }
      }
      for (let j = 0; j < d; j++) for (let c = 0; c < k; c++) this.weights[j][c] -= learningRate * gradW[j][c];
      for (let c = 0; c < k; c++) this.bias[c] -= learningRate * gradB[c];
      this.lossHistory.push(loss);
    }
    return this;
  }

  #probabilities(X: number[][]): number[][] {
    const k = this.bias.length;
    return X.map((row) => {
      const z = this.bias.map((b, c) => row.reduce((s, x, j) => s + x * this.weights[j][c], b));
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const total = e.reduce((s, v) => s + v, 0);
      return Array.from({ length: k }, (_, c) => e[c] / total);
    });
  }

  /** Class probabilities `[n][k]`. */
  predictProba(X: number[][]): number[][] {
    checkFitted(this.bias.length > 0, "SoftmaxRegression");
    checkX(X, "predict with SoftmaxRegression", this.weights.length);
    return this.#probabilities(X);
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
