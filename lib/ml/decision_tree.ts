/**
 * CART decision tree, 决策树: split the rows on one feature at a time to make the groups as pure as possible.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { argmax, checkFitted, checkInt, checkLabels, checkX, checkXy } from "./_validate.ts";
import { accuracy } from "./metrics.ts";

/** Options of {@link DecisionTreeClassifier}. */
export interface DecisionTreeOptions {
  /** Impurity measure: Gini `1 − Σp²` or entropy `−Σp·log₂p`. Default "gini". */
  criterion?: "gini" | "entropy";
  /** Deepest level a leaf may sit at (root is depth 0). Default Infinity. */
  maxDepth?: number;
  /** A node with fewer rows becomes a leaf. Default 2. */
  minSamplesSplit?: number;
  /** Each child must keep at least this many rows. Default 1. */
  minSamplesLeaf?: number;
  /** Features tried per split: a count, "sqrt" (random forests) or "all". Default "all". */
  maxFeatures?: number | "sqrt" | "all";
  /** Seed or generator for the feature subsets and tie order. Default 1337. */
  seed?: number | Prng;
}

/** A node of a fitted tree (plain data, ready to draw). */
export interface TreeNode {
  /** Weighted row count per class reaching this node. */
  counts: number[];
  /** Number of (distinct) training rows reaching this node. */
  samples: number;
  /** Impurity of the node. */
  impurity: number;
  /** Depth (root 0). */
  depth: number;
  /** Majority class. */
  prediction: number;
  /** Split feature index (absent on leaves). */
  feature?: number;
  /** Rows with x[feature] <= threshold go left. */
  threshold?: number;
  left?: TreeNode;
  right?: TreeNode;
}

/** The default options. */
export const DECISION_TREE_DEFAULTS: Readonly<Required<DecisionTreeOptions>> = Object.freeze({
  criterion: "gini",
  maxDepth: Infinity,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: "all",
  seed: SEED,
});

function impurity(counts: ArrayLike<number>, total: number, criterion: "gini" | "entropy"): number {
  if (total <= 0) return 0;
  let s = 0;
  for (let c = 0; c < counts.length; c++) {
    const p = counts[c] / total;
    if (p > 0) s += criterion === "gini" ? p * p : -p * Math.log2(p);
  }
  return criterion === "gini" ? 1 - s : s;
}

/**
 * CART classification tree. Thresholds are midpoints between consecutive distinct values; a node splits
 * whenever it is impure and a split respecting the limits exists (as scikit-learn's `DecisionTreeClassifier`).
 *
 * @example
 * ```ts
 * import { DecisionTreeClassifier } from "@lib/ml/decision_tree.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [0, 1], [1, 0], [1, 1]], y = [0, 1, 1, 0]; // XOR
 * const tree = new DecisionTreeClassifier().fit(X, y);
 * assert.deepEqual(tree.predict(X), y);
 * assert.equal(tree.depth(), 2);
 * ```
 */
export class DecisionTreeClassifier {
  readonly options: Required<DecisionTreeOptions>;
  /** The fitted tree. */
  root: TreeNode | null = null;
  /** Total impurity decrease per feature, normalised to sum 1. */
  featureImportances: number[] = [];
  #numClasses = 0;
  #prng: Prng;

  /** @throws {RangeError} When a limit is not a positive integer or the criterion is unknown. */
  constructor(options: DecisionTreeOptions = {}) {
    this.options = { ...DECISION_TREE_DEFAULTS, ...options };
    const who = "create DecisionTreeClassifier", o = this.options;
    if (o.criterion !== "gini" && o.criterion !== "entropy") {
      throw new RangeError(`Cannot ${who} as criterion must be "gini" or "entropy": current value is ${o.criterion}`);
    }
    if (o.maxDepth !== Infinity) checkInt("maxDepth", o.maxDepth, who, 0);
    checkInt("minSamplesSplit", o.minSamplesSplit, who, 2);
    checkInt("minSamplesLeaf", o.minSamplesLeaf, who);
    if (typeof o.maxFeatures === "number") checkInt("maxFeatures", o.maxFeatures, who);
    else if (o.maxFeatures !== "sqrt" && o.maxFeatures !== "all") {
      throw new RangeError(
        `Cannot ${who} as maxFeatures must be a number, "sqrt" or "all": current value is ${o.maxFeatures}`,
      );
    }
    this.#prng = toPrng(o.seed);
  }

  /**
   * Grows the tree.
   * @param sampleWeight Optional non-negative weight per row (AdaBoost, bootstrap counts); rows of weight 0 are ignored.
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[], sampleWeight?: number[]): this {
    const who = "fit DecisionTreeClassifier";
    const d = checkXy(X, y, who);
    this.#numClasses = checkLabels(y, who);
    const w = sampleWeight ?? new Array<number>(y.length).fill(1);
    if (w.length !== y.length || w.some((v) => !(v >= 0 && Number.isFinite(v)))) {
      throw new RangeError(`Cannot ${who} as sampleWeight must hold ${y.length} finite numbers >= 0`);
    }
    const rows = y.map((_, i) => i).filter((i) => w[i] > 0);
    this.featureImportances = new Array<number>(d).fill(0);
    this.root = this.#grow(X, y, w, rows, 0);
    const total = this.featureImportances.reduce((s, v) => s + v, 0);
    if (total > 0) this.featureImportances = this.featureImportances.map((v) => v / total);
    return this;
  }

  #node(y: number[], w: number[], rows: number[], depth: number): TreeNode {
    const counts = new Array<number>(this.#numClasses).fill(0);
    for (const i of rows) counts[y[i]] += w[i];
    const total = counts.reduce((s, v) => s + v, 0);
    return {
      counts,
      samples: rows.length,
      impurity: impurity(counts, total, this.options.criterion),
      depth,
      prediction: argmax(counts),
    };
  }

  #grow(X: number[][], y: number[], w: number[], rows: number[], depth: number): TreeNode {
    const node = this.#node(y, w, rows, depth);
    const o = this.options;
    if (node.impurity <= 1e-12 || depth >= o.maxDepth || rows.length < o.minSamplesSplit) return node;
    const split = this.#bestSplit(X, y, w, rows);
    if (!split) return node;
    const left = rows.filter((i) => X[i][split.feature] <= split.threshold);
    const right = rows.filter((i) => X[i][split.feature] > split.threshold);
    this.featureImportances[split.feature] += split.decrease;
    node.feature = split.feature;
    node.threshold = split.threshold;
    node.left = this.#grow(X, y, w, left, depth + 1);
    node.right = this.#grow(X, y, w, right, depth + 1);
    return node;
  }

  #candidateFeatures(d: number): number[] {
    const m = this.options.maxFeatures;
    const count = m === "all" ? d : m === "sqrt" ? Math.max(1, Math.floor(Math.sqrt(d))) : Math.min(m, d);
    return this.#prng.permutation(d).slice(0, count);
  }

  /** Best split among the candidate features: largest weighted impurity decrease (weights of all rows). */
  #bestSplit(X: number[][], y: number[], w: number[], rows: number[]) {
    const k = this.#numClasses, { criterion, minSamplesLeaf } = this.options;
    const totalCounts = new Array<number>(k).fill(0);
    for (const i of rows) totalCounts[y[i]] += w[i];
    const total = totalCounts.reduce((s, v) => s + v, 0);
    const parent = total * impurity(totalCounts, total, criterion);
    let best: { feature: number; threshold: number; decrease: number } | null = null;
    for (const f of this.#candidateFeatures(X[0].length)) {
      const sorted = [...rows].sort((a, b) => X[a][f] - X[b][f]);
      const left = new Array<number>(k).fill(0);
      let leftTotal = 0;
      for (let r = 0; r < sorted.length - 1; r++) {
        const i = sorted[r];
        left[y[i]] += w[i];
        leftTotal += w[i];
        const v = X[i][f], next = X[sorted[r + 1]][f];
        if (v === next || r + 1 < minSamplesLeaf || sorted.length - r - 1 < minSamplesLeaf) continue;
        const right = totalCounts.map((c, j) => c - left[j]);
        const children = leftTotal * impurity(left, leftTotal, criterion) +
          (total - leftTotal) * impurity(right, total - leftTotal, criterion);
        const decrease = parent - children;
        if (!best || decrease > best.decrease + 1e-12) best = { feature: f, threshold: (v + next) / 2, decrease };
      }
    }
    return best;
  }

  #leaf(row: number[]): TreeNode {
    let node = this.root!;
    while (node.left && node.right) node = row[node.feature!] <= node.threshold! ? node.left : node.right;
    return node;
  }

  /** Class probabilities `[n][k]`: the class shares of the leaf each row lands in. */
  predictProba(X: number[][]): number[][] {
    checkFitted(this.root !== null, "DecisionTreeClassifier");
    checkX(X, "predict with DecisionTreeClassifier", this.featureImportances.length);
    return X.map((row) => {
      const { counts } = this.#leaf(row);
      const total = counts.reduce((s, v) => s + v, 0);
      return counts.map((c) => c / total);
    });
  }

  /** Majority class of the leaf each row lands in. */
  predict(X: number[][]): number[] {
    checkFitted(this.root !== null, "DecisionTreeClassifier");
    checkX(X, "predict with DecisionTreeClassifier", this.featureImportances.length);
    return X.map((row) => this.#leaf(row).prediction);
  }

  /** Accuracy on (X, y). */
  score(X: number[][], y: number[]): number {
    return accuracy(y, this.predict(X));
  }

  /** Depth of the deepest leaf. */
  depth(): number {
    const walk = (n: TreeNode): number => (n.left && n.right ? Math.max(walk(n.left), walk(n.right)) : n.depth);
    checkFitted(this.root !== null, "DecisionTreeClassifier");
    return walk(this.root!);
  }

  /** Number of leaves. */
  leafCount(): number {
    const walk = (n: TreeNode): number => (n.left && n.right ? walk(n.left) + walk(n.right) : 1);
    checkFitted(this.root !== null, "DecisionTreeClassifier");
    return walk(this.root!);
  }

  /**
   * The tree as indented text, e.g. `Flipper Length (mm) <= 206.5` lines with class counts at the leaves.
   * @param featureNames Names for the feature indices; @param classNames names for the classes.
   */
  toText(featureNames?: string[], classNames?: string[]): string {
    checkFitted(this.root !== null, "DecisionTreeClassifier");
    const fname = (f: number) => featureNames?.[f] ?? `x[${f}]`;
    const cname = (c: number) => classNames?.[c] ?? String(c);
    const lines: string[] = [];
    const walk = (n: TreeNode, indent: string) => {
      if (!n.left || !n.right) {
        lines.push(`${indent}→ ${cname(n.prediction)} (${n.samples} rows)`);
        return;
      }
      lines.push(`${indent}${fname(n.feature!)} <= ${+n.threshold!.toFixed(4)}`);
      walk(n.left, indent + "│ ");
      lines.push(`${indent}${fname(n.feature!)} > ${+n.threshold!.toFixed(4)}`);
      walk(n.right, indent + "│ ");
    };
    walk(this.root!, "");
    return lines.join("\n");
  }
}
