/**
 * Linear regression, 线性回归: y ≈ X·w + b, fitted by the closed form (normal equations) or by gradient descent.
 *
 * @module
 */
import { dot, solve } from "./_linalg.ts";
import { checkInteger, checkPositive } from "../core/validate.ts";
import { checkFitted, checkX, checkXy } from "./_validate.ts";
import { r2Score } from "./metrics.ts";

/** Options of {@link LinearRegression}. */
export interface LinearRegressionOptions {
  /** `"closed-form"` solves (XᵀX) w = Xᵀy exactly; `"gradient-descent"` walks downhill. Default closed form. */
  method?: "closed-form" | "gradient-descent";
  /** Step size of gradient descent (standardise features first). Default 0.1. */
  learningRate?: number;
  /** Full-batch steps of gradient descent. Default 1000. */
  epochs?: number;
}

/**
 * Least-squares linear regression. Gradient descent minimises the mean squared error
 * (1/n)·Σ(x·w + b − y)² and records it after every step in {@link lossHistory}.
 *
 * @example
 * ```ts
 * import { LinearRegression } from "@lib/ml/linear_regression.ts";
 * import assert from "node:assert/strict";
 * const X = [[0], [1], [2], [3]], y = [1, 3, 5, 7];
 * const exact = new LinearRegression().fit(X, y);
 * assert.ok(Math.abs(exact.weights[0] - 2) < 1e-9 && Math.abs(exact.bias - 1) < 1e-9);
 * const gd = new LinearRegression({ method: "gradient-descent", epochs: 3000 }).fit(X, y);
 * assert.ok(Math.abs(gd.weights[0] - 2) < 1e-3);
 * ```
 */
export class LinearRegression {
  readonly options: Required<LinearRegressionOptions>;
  /** Coefficients, one per feature. */
  weights: number[] = [];
  /** Intercept. */
  bias = 0;
  /** Mean squared error on the training rows after each gradient step (empty for the closed form). */
  lossHistory: number[] = [];

  /** @throws {RangeError} When method, learningRate or epochs is invalid. */
  constructor(options: LinearRegressionOptions = {}) {
    this.options = { method: "closed-form", learningRate: 0.1, epochs: 1000, ...options };
    const who = "create LinearRegression";
    if (!["closed-form", "gradient-descent"].includes(this.options.method)) {
      throw new RangeError(
        `Cannot ${who} as method must be "closed-form" or "gradient-descent": current value is ${this.options.method}`,
      );
    }
    checkPositive(this.options.learningRate, "learningRate", who);
    checkInteger(this.options.epochs, "epochs", who, 1);
  }

  /**
   * Fits the weights.
   * @throws {RangeError} On bad input (empty, NaN, lengths differ) or, for the closed form, collinear features.
   */
  fit(X: number[][], y: number[]): this {
    checkXy(X, y, "fit LinearRegression");
    if (this.options.method === "closed-form") this.#fitClosedForm(X, y);
    else this.#fitGradientDescent(X, y);
    return this;
  }

  /** Centres the columns so the intercept drops out (better conditioned), then solves (XcᵀXc) w = Xcᵀyc. */
  #fitClosedForm(X: number[][], y: number[]): void {
    const n = X.length, d = X[0].length;
    const xMean = Array.from({ length: d }, (_, j) => X.reduce((s, r) => s + r[j], 0) / n);
    const yMean = y.reduce((s, v) => s + v, 0) / n;
    const Xc = X.map((row) => row.map((v, j) => v - xMean[j])); // [n, d]
    const XtX = Array.from(
      { length: d },
      (_, a) => Array.from({ length: d }, (_, b) => Xc.reduce((s, r) => s + r[a] * r[b], 0)),
    );
    const Xty = Array.from({ length: d }, (_, a) => Xc.reduce((s, r, i) => s + r[a] * (y[i] - yMean), 0));
    this.weights = solve(XtX, Xty);
    this.bias = yMean - dot(xMean, this.weights);
    this.lossHistory = [];
  }

  #fitGradientDescent(X: number[][], y: number[]): void {
    const n = X.length, d = X[0].length, { learningRate, epochs } = this.options;
    this.weights = new Array<number>(d).fill(0);
    this.bias = 0;
    this.lossHistory = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      const gradW = new Array<number>(d).fill(0);
      let gradB = 0, loss = 0;
      for (let i = 0; i < n; i++) {
        const err = dot(X[i], this.weights) + this.bias - y[i];
        loss += err * err / n;
        for (let j = 0; j < d; j++) gradW[j] += 2 * err * X[i][j] / n;
        gradB += 2 * err / n;
      }
      for (let j = 0; j < d; j++) this.weights[j] -= learningRate * gradW[j];
      this.bias -= learningRate * gradB;
      this.lossHistory.push(loss);
      if (!Number.isFinite(loss)) {
        throw new RangeError(
          `Cannot fit LinearRegression as gradient descent diverged at epoch ${epoch}: lower learningRate (current value is ${learningRate}) or standardise X`,
        );
      }
    }
  }

  /** Predictions x·w + b. @throws {RangeError} On bad X. */
  predict(X: number[][]): number[] {
    checkFitted(this.weights.length > 0, "LinearRegression");
    checkX(X, "predict with LinearRegression", this.weights.length);
    return X.map((row) => dot(row, this.weights) + this.bias);
  }

  /** R² of the predictions on (X, y). */
  score(X: number[][], y: number[]): number {
    return r2Score(y, this.predict(X));
  }
}
