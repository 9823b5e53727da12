/**
 * Random forest, 随机森林: many decision trees, each grown on a bootstrap sample with random feature subsets,
 * voting by averaged class probabilities.
 *
 * @module
 */
import { type Prng, toPrng } from "../core/random.ts";
import {
  DECISION_TREE_DEFAULTS,
  DecisionTreeClassifier,
  type DecisionTreeOptions,
  prepareColumns,
} from "./decision_tree.ts";
import { argmax } from "../core/argmax.ts";
import { checkInteger } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Options of {@link RandomForestClassifier}. */
export interface RandomForestOptions extends Omit<DecisionTreeOptions, "seed"> {
  /** Number of trees. Default 100. */
  nTrees?: number;
  /** Grow each tree on n rows drawn with replacement (else on all rows). Default true. */
  bootstrap?: boolean;
  /** Seed or generator. Default 1337. */
  seed?: number | Prng;
}

/**
 * Random forest classifier (scikit-learn's `RandomForestClassifier` semantics: bootstrap samples, `maxFeatures`
 * "sqrt" by default, probabilities averaged over trees). With bootstrap, {@link oobScore} is the accuracy of each
 * row predicted only by the trees that did not see it.
 *
 * @example
 * ```ts
 * import { RandomForestClassifier } from "@lib/ml/random_forest.ts";
 * import assert from "node:assert/strict";
 * const X = Array.from({ length: 40 }, (_, i) => [i % 10, (i * 7) % 5]);
 * const y = X.map(([a]) => (a >= 5 ? 1 : 0));
 * const forest = new RandomForestClassifier({ nTrees: 10, seed: 1 }).fit(X, y);
 * assert.deepEqual(forest.predict([[1, 0], [8, 0]]), [0, 1]);
 * assert.ok(forest.oobScore > 0.9);
 * ```
 */
export class RandomForestClassifier {
  readonly options: Required<Omit<RandomForestOptions, "seed">> & { seed: number | Prng };
  /** The fitted trees. */
  trees: DecisionTreeClassifier[] = [];
  /** Out-of-bag accuracy (NaN without bootstrap or when no row was ever left out). */
  oobScore = NaN;
  /** Mean of the trees' feature importances. */
  featureImportances: number[] = [];
  #numClasses = 0;

  /** @throws {RangeError} When nTrees or a tree option is invalid. */
  constructor(options: RandomForestOptions = {}) {
    this.options = { ...DECISION_TREE_DEFAULTS, maxFeatures: "sqrt", nTrees: 100, bootstrap: true, ...options };
    checkInteger(this.options.nTrees, "nTrees", "create RandomForestClassifier", 1);
    new DecisionTreeClassifier({ ...this.#treeOptions(), seed: 1 }); // validates the tree options now
  }

  #treeOptions(): DecisionTreeOptions {
    const { criterion, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures } = this.options;
    return { criterion, maxDepth, minSamplesSplit, minSamplesLeaf, maxFeatures };
  }

  /**
   * Grows the trees, then scores each row on the trees that did not draw it.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[]): this {
    const who = "fit RandomForestClassifier";
    checkXy(X, y, who);
    this.#numClasses = checkLabels(y, who);
    const n = X.length, prng = toPrng(this.options.seed);
    const prepared = prepareColumns(X);
    const oobVotes = Array.from({ length: n }, () => new Array<number>(this.#numClasses).fill(0));
    this.trees = [];
    for (let t = 0; t < this.options.nTrees; t++) {
      const weight = new Array<number>(n).fill(this.options.bootstrap ? 0 : 1);
      if (this.options.bootstrap) { for (let i = 0; i < n; i++) weight[prng.int(n)]++; }
      if (new Set(y.filter((_, i) => weight[i] > 0)).size < 2) weight.fill(1); // a one-class sample: use all rows
      const tree = new DecisionTreeClassifier({ ...this.#treeOptions(), seed: prng.fork() });
      this.trees.push(tree.fit(X, y, weight, prepared));
      const oob = y.map((_, i) => i).filter((i) => weight[i] === 0);
      if (oob.length) {
        tree.predictProba(oob.map((i) => X[i])).forEach((p, r) => p.forEach((v, c) => (oobVotes[oob[r]][c] += v)));
      }
    }
    const scored = oobVotes.map((v, i) => [v, i] as const).filter(([v]) => v.some((x) => x > 0));
    this.oobScore = scored.length ? scored.filter(([v, i]) => argmax(v) === y[i]).length / scored.length : NaN;
    const d = X[0].length;
    this.featureImportances = Array.from(
      { length: d },
      (_, j) => this.trees.reduce((s, t) => s + t.featureImportances[j], 0) / this.trees.length,
    );
    return this;
  }

  /** Class probabilities averaged over the trees, `[n][k]`. */
  predictProba(X: number[][]): number[][] {
    checkFitted(this.trees.length > 0, "RandomForestClassifier");
    checkX(X, "predict with RandomForestClassifier", this.featureImportances.length);
    const sum = X.map(() => new Array<number>(this.#numClasses).fill(0));
    for (const tree of this.trees) {
      tree.predictProba(X).forEach((p, i) => p.forEach((v, c) => (sum[i][c] += v / this.trees.length)));
    }
    return sum;
  }

  /** Class with the highest averaged probability. */
  predict(X: number[][]): number[] {
    return this.predictProba(X).map(argmax);
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }
}
