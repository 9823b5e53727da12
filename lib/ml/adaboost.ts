/**
 * AdaBoost on decision stumps, 提升方法 (boosting): weak one-split trees, each focusing on the rows the previous
 * ones got wrong.
 *
 * @module
 */
import { DecisionTreeClassifier } from "./decision_tree.ts";
import { argmax } from "../core/argmax.ts";
import { checkInteger, checkPositive } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Options of {@link AdaBoostClassifier}. */
export interface AdaBoostOptions {
  /** Maximum number of stumps. Default 50. */
  nEstimators?: number;
  /** Shrinks each stump's vote. Default 1. */
  learningRate?: number;
}

/**
 * Multi-class AdaBoost (SAMME, as scikit-learn's `AdaBoostClassifier(algorithm="SAMME")` with depth-1 trees).
 * Stump m has weighted error e and vote α = learningRate·(log((1 − e)/e) + log(k − 1)); misclassified rows have
 * their weight multiplied by e^α. Boosting stops early when a stump is perfect or no better than chance.
 *
 * @example
 * ```ts
 * import { AdaBoostClassifier } from "@lib/ml/adaboost.ts";
 * import assert from "node:assert/strict";
 * const X = [[1], [2], [3], [4], [5], [6]], y = [0, 0, 1, 1, 0, 0]; // no single stump gets this right
 * const model = new AdaBoostClassifier({ nEstimators: 10 }).fit(X, y);
 * assert.deepEqual(model.predict(X), y);
 * ```
 */
export class AdaBoostClassifier {
  readonly options: Required<AdaBoostOptions>;
  /** The fitted stumps. */
  stumps: DecisionTreeClassifier[] = [];
  /** Vote weight α of each stump. */
  alphas: number[] = [];
  /** Weighted training error of each stump. */
  errors: number[] = [];
  #numClasses = 0;

  /** @throws {RangeError} When nEstimators or learningRate is invalid. */
  constructor(options: AdaBoostOptions = {}) {
    this.options = { nEstimators: 50, learningRate: 1, ...options };
    checkInteger(this.options.nEstimators, "nEstimators", "create AdaBoostClassifier", 1);
    checkPositive(this.options.learningRate, "learningRate", "create AdaBoostClassifier");
  }

  /**
   * Boosts stumps.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit AdaBoostClassifier";
    checkXy(X, y, who);
    const k = this.#numClasses = checkLabels(y, who);
    let weight = new Array<number>(y.length).fill(1 / y.length);
    this.stumps = [];
    this.alphas = [];
    this.errors = [];
    for (let m = 0; m < this.options.nEstimators; m++) {
      const stump = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y, weight);
      const wrong = stump.predict(X).map((p, i) => p !== y[i]);
      const error = wrong.reduce((s, bad, i) => s + (bad ? weight[i] : 0), 0) / weight.reduce((s, v) => s + v, 0);
      if (error <= 0) { // a perfect stump decides alone
        this.#add(stump, 1, 0);
        break;
      }
      if (error >= 1 - 1 / k) break; // no better than chance: stop
      const alpha = this.options.learningRate * (Math.log((1 - error) / error) + Math.log(k - 1));
      this.#add(stump, alpha, error);
      weight = weight.map((v, i) => (wrong[i] ? v * Math.exp(alpha) : v));
      const total = weight.reduce((s, v) => s + v, 0);
      weight = weight.map((v) => v / total);
    }
    if (this.stumps.length === 0) {
      throw new RangeError(
        `Cannot ${who} as the first stump is no better than chance: the classes cannot be told apart by one split`,
      );
    }
    return this;
  }

  #add(stump: DecisionTreeClassifier, alpha: number, error: number): void {
    this.stumps.push(stump);
    this.alphas.push(alpha);
    this.errors.push(error);
  }

  /** Sum of the votes α for each class, `[n][k]`. */
  decisionFunction(X: number[][]): number[][] {
    checkFitted(this.stumps.length > 0, "AdaBoostClassifier");
    checkX(X, "predict with AdaBoostClassifier", this.stumps[0].featureImportances.length);
    const votes = X.map(() => new Array<number>(this.#numClasses).fill(0));
    this.stumps.forEach((stump, m) => stump.predict(X).forEach((p, i) => (votes[i][p] += this.alphas[m])));
    return votes;
  }

  /** Class with the most votes. */
  predict(X: number[][]): number[] {
    return this.decisionFunction(X).map(argmax);
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
