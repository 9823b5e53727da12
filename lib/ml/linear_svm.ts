/**
 * Linear support vector machine, 支持向量机: the widest-margin line, trained on the hinge loss.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { dot } from "./_linalg.ts";
import { argmax } from "../core/argmax.ts";
import { checkInteger, checkPositive } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Options of {@link LinearSVM}. */
export interface LinearSVMOptions {
  /** Inverse regularisation strength, as scikit-learn's `LinearSVC(C)`. Default 1. */
  C?: number;
  /** Passes over the data. Default 200. */
  epochs?: number;
  /** Seed or generator for the order of the rows. Default 1337. */
  seed?: number | Prng;
}

/**
 * Linear SVM on the hinge loss, minimising (λ/2)‖w‖² + mean(max(0, 1 − y·(w·x + b))) with λ = 1/(C·n) by the
 * Pegasos stochastic sub-gradient method. As in liblinear (`LinearSVC(loss="hinge")`), the intercept is a weight
 * on a constant feature 1 and is penalised too. More than two classes: one-vs-rest, highest score wins.
 *
 * @example
 * ```ts
 * import { LinearSVM } from "@lib/ml/linear_svm.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [1, 0], [0, 1], [3, 3], [4, 3], [3, 4]], y = [0, 0, 0, 1, 1, 1];
 * const svm = new LinearSVM().fit(X, y);
 * assert.deepEqual(svm.predict([[0.5, 0.5], [3.5, 3.5]]), [0, 1]);
 * ```
 */
export class LinearSVM {
  readonly options: Required<LinearSVMOptions>;
  /** One weight vector per binary problem `[m][d]` (m = 1 for two classes, else one per class). */
  weights: number[][] = [];
  /** One intercept per binary problem. */
  bias: number[] = [];
  /** Primal objective of each binary problem after each epoch, `[m][epochs]`. */
  lossHistory: number[][] = [];
  #numClasses = 0;

  /** @throws {RangeError} When C or epochs is invalid. */
  constructor(options: LinearSVMOptions = {}) {
    this.options = { C: 1, epochs: 200, seed: SEED, ...options };
    checkPositive(this.options.C, "C", "create LinearSVM");
    checkInteger(this.options.epochs, "epochs", "create LinearSVM", 1);
  }

  /**
   * Fits one binary SVM (two classes) or one per class (one-vs-rest).
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit LinearSVM";
    checkXy(X, y, who);
    this.#numClasses = checkLabels(y, who);
    const prng = toPrng(this.options.seed);
    const problems = this.#numClasses === 2 ? [1] : Array.from({ length: this.#numClasses }, (_, c) => c);
    this.weights = [];
    this.bias = [];
    this.lossHistory = [];
    for (const positive of problems) {
      const { w, b, history } = this.#fitBinary(X, y.map((v) => (v === positive ? 1 : -1)), prng);
      this.weights.push(w);
      this.bias.push(b);
      this.lossHistory.push(history);
    }
    return this;
  }

  #fitBinary(X: number[][], s: number[], prng: Prng) {
    const n = X.length, d = X[0].length, lambda = 1 / (this.options.C * n);
    const w = new Array<number>(d + 1).fill(0); // last entry: the intercept (constant feature 1)
    const margin = (i: number) => s[i] * (dot(X[i], w) + w[d]);
    const history: number[] = [];
    let t = 0;
    for (let epoch = 0; epoch < this.options.epochs; epoch++) {
      for (const i of prng.permutation(n)) {
        const eta = 1 / (lambda * ++t);
        const violated = margin(i) < 1;
        for (let j = 0; j <= d; j++) w[j] *= 1 - eta * lambda;
        if (violated) {
          for (let j = 0; j < d; j++) w[j] += eta * s[i] * X[i][j];
          w[d] += eta * s[i];
        }
      }
      let hinge = 0;
      for (let i = 0; i < n; i++) hinge += Math.max(0, 1 - margin(i)) / n;
      history.push(lambda / 2 * dot(w, w) + hinge);
    }
    return { w: w.slice(0, d), b: w[d], history };
  }

  /** Scores x·w + b, `[n][m]`: one column for two classes (positive means class 1), else one per class. */
  decisionFunction(X: number[][]): number[][] {
    checkFitted(this.weights.length > 0, "LinearSVM");
    checkX(X, "predict with LinearSVM", this.weights[0].length);
    return X.map((row) => this.weights.map((w, m) => dot(row, w) + this.bias[m]));
  }

  /** Predicted classes. */
  predict(X: number[][]): number[] {
    return this.decisionFunction(X).map((scores) => (scores.length === 1 ? (scores[0] > 0 ? 1 : 0) : argmax(scores)));
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
