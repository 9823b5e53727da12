/**
 * Multinomial naive Bayes, 朴素贝叶斯 for word counts: the spam filter of notebook 03.
 *
 * @module
 */
import { NaiveBayes } from "./_naive_bayes.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";

/**
 * Multinomial naive Bayes with additive (Laplace) smoothing `alpha`, as scikit-learn's `MultinomialNB(alpha=1)`.
 * Features are non-negative counts (e.g. rows of a CountVectorizer).
 *
 * @example
 * ```ts
 * import { MultinomialNB } from "@lib/ml/multinomial_nb.ts";
 * import assert from "node:assert/strict";
 * // columns: "free", "money", "meeting"
 * const X = [[2, 1, 0], [3, 2, 0], [0, 0, 2], [0, 1, 3]], y = [1, 1, 0, 0];
 * const model = new MultinomialNB().fit(X, y);
 * assert.deepEqual(model.predict([[1, 0, 0], [0, 0, 1]]), [1, 0]);
 * assert.equal(model.mostIndicative(1, 1)[0], 0); // "free" tells spam best
 * ```
 */
export class MultinomialNB extends NaiveBayes {
  readonly alpha: number;
  /** log p(word j | class c), `[k][d]`. */
  featureLogProb: number[][] = [];
  /** log p(class), `[k]`. */
  classLogPrior: number[] = [];

  /** @throws {RangeError} When alpha is negative or not finite. */
  constructor(options: { alpha?: number } = {}) {
    super();
    this.alpha = options.alpha ?? 1;
    if (!(this.alpha >= 0 && Number.isFinite(this.alpha))) {
      throw new RangeError(
        `Cannot create MultinomialNB as alpha must be a finite number >= 0: current value is ${this.alpha}`,
      );
    }
  }

  /**
   * Counts words per class.
   * @throws {RangeError} On bad input, a single class, or a negative count.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit MultinomialNB";
    const d = checkXy(X, y, who), k = checkLabels(y, who);
    const counts = Array.from({ length: k }, () => new Float64Array(d));
    const docs = new Array<number>(k).fill(0);
    X.forEach((row, i) => {
      docs[y[i]]++;
      for (let j = 0; j < d; j++) {
        if (row[j] < 0) throw new RangeError(`Cannot ${who} as counts must be >= 0: X[${i}][${j}] is ${row[j]}`);
        counts[y[i]][j] += row[j];
      }
    });
    this.classLogPrior = docs.map((m) => Math.log(m / X.length));
    this.featureLogProb = counts.map((c) => {
      const total = c.reduce((s, v) => s + v, 0) + this.alpha * d;
      return Array.from(c, (v) => Math.log((v + this.alpha) / total));
    });
    return this;
  }

  /** log p(class) + Σ_j x_j log p(word j | class), `[n][k]`. */
  jointLogLikelihood(X: number[][]): number[][] {
    checkFitted(this.featureLogProb.length > 0, "MultinomialNB");
    checkX(X, "predict with MultinomialNB", this.featureLogProb[0].length);
    return X.map((row) =>
      this.classLogPrior.map((prior, c) => {
        const logProb = this.featureLogProb[c];
        let s = prior;
        for (let j = 0; j < row.length; j++) if (row[j] !== 0) s += row[j] * logProb[j];
        return s;
      })
    );
  }

  /**
   * The features (e.g. words) that most favour class c: ranked by log p(j|c) − max over other classes of
   * log p(j|other).
   * @returns Feature indices, most telling first.
   */
  mostIndicative(c: number, count = 10): number[] {
    checkFitted(this.featureLogProb.length > 0, "MultinomialNB");
    const others = this.featureLogProb.filter((_, o) => o !== c);
    const ratio = this.featureLogProb[c].map((v, j) => v - Math.max(...others.map((o) => o[j])));
    return ratio.map((r, j) => [r, j]).sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, count).map(([, j]) => j);
  }
}
