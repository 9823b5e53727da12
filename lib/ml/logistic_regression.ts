/**
 * Logistic regression, 逻辑回归: a binary classifier p(y=1|x) = σ(x·w + b), fitted by gradient descent.
 *
 * @module
 */
import { dot } from "./_linalg.ts";
import { checkInteger, checkPositive } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Options of {@link LogisticRegression} and {@link SoftmaxRegression}. */
export interface LogisticOptions {
  /** Inverse strength of the L2 penalty, as in scikit-learn (`Infinity` = no penalty). Default 1. */
  C?: number;
  /** Step size of full-batch gradient descent (standardise features first). Default 0.5. */
  learningRate?: number;
  /** Number of gradient steps. Default 1000. */
  epochs?: number;
}

/** The default options. */
export const LOGISTIC_DEFAULTS: Readonly<Required<LogisticOptions>> = Object.freeze({
  C: 1,
  learningRate: 0.5,
  epochs: 1000,
});

/** Validates logistic/softmax options. */
export function checkLogisticOptions(options: Required<LogisticOptions>, who: string): void {
  checkPositive(options.C, "C", who, true);
  checkPositive(options.learningRate, "learningRate", who);
  checkInteger(options.epochs, "epochs", who, 1);
}

/** σ(z) = 1 / (1 + e^−z), computed without overflow. */
export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/**
 * Binary logistic regression. It minimises the mean log-loss plus ‖w‖²/(2·C·n) (the intercept is not
 * penalised), which is scikit-learn's `LogisticRegression(C)` objective divided by C·n, so both find the same
 * weights once converged.
 *
 * @example
 * ```ts
 * import { LogisticRegression } from "@lib/ml/logistic_regression.ts";
 * import assert from "node:assert/strict";
 * const X = [[-2], [-1], [1], [2]], y = [0, 0, 1, 1];
 * const model = new LogisticRegression().fit(X, y);
 * assert.deepEqual(model.predict([[-3], [3]]), [0, 1]);
 * ```
 */
export class LogisticRegression {
  readonly options: Required<LogisticOptions>;
  /** Coefficients, one per feature. */
  weights: number[] = [];
  /** Intercept. */
  bias = 0;
  /** Training objective (mean log-loss + penalty) after each step. */
  lossHistory: number[] = [];

  /** @throws {RangeError} When C, learningRate or epochs is invalid. */
  constructor(options: LogisticOptions = {}) {
    this.options = { ...LOGISTIC_DEFAULTS, ...options };
    checkLogisticOptions(this.options, "create LogisticRegression");
  }

  /**
   * Fits on labels 0 and 1.
   * @throws {RangeError} On bad input, a single class, or labels other than 0/1 (use SoftmaxRegression).
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit LogisticRegression";
    checkXy(X, y, who);
    if (checkLabels(y, who) > 2) {
      throw new RangeError(
        `Cannot ${who} as y must hold only classes 0 and 1: found ${
          y.find((v) => v > 1)
        } (use SoftmaxRegression for more classes)`,
      );
    }
    const n = X.length, d = X[0].length, { C, learningRate, epochs } = this.options;
    this.weights = new Array<number>(d).fill(0);
    this.bias = 0;
    this.lossHistory = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const gradW = this.weights.map((w) => w / (C * n));
      let gradB = 0, loss = dot(this.weights, this.weights) / (2 * C * n);
      for (let i = 0; i < n; i++) {
        const p = sigmoid(dot(X[i], this.weights) + this.bias);
        loss -= (y[i] === 1 ? Math.log(Math.max(p, 1e-300)) : Math.log(Math.max(1 - p, 1e-300))) / n;
        for (let j = 0; j < d; j++) gradW[j] += (p - y[i]) * X[i][j] / n;
        gradB += (p - y[i]) / n;
      }
      for (let j = 0; j < d; j++) this.weights[j] -= learningRate * gradW[j];
      this.bias -= learningRate * gradB;
      this.lossHistory.push(loss);
    }
    return this;
  }

  /** Raw scores x·w + b (log-odds of class 1). */
  decisionFunction(X: number[][]): number[] {
    checkFitted(this.weights.length > 0, "LogisticRegression");
    checkX(X, "predict with LogisticRegression", this.weights.length);
    return X.map((row) => dot(row, this.weights) + this.bias);
  }

  /** Probabilities `[p(0), p(1)]` per row. */
  predictProba(X: number[][]): number[][] {
    return this.decisionFunction(X).map((z) => [1 - sigmoid(z), sigmoid(z)]);
  }

  /** Class 1 where p(1) > 0.5, else 0. */
  predict(X: number[][]): number[] {
    return this.decisionFunction(X).map((z) => (z > 0 ? 1 : 0));
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
