/**
 * CART decision tree, 决策树: split the rows on one feature at a time to make the groups as pure as possible.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { argmax } from "../core/argmax.ts";
import { checkInteger } from "../core/validate.ts";
import { checkFitted, checkLabels, checkX, checkXy } from "./_validate.ts";
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

/** What the recursive fit shares: feature columns, value ranks, targets, weights. */
interface FitData {
  /** `[d][n]` feature values. */
  columns: Float64Array[];
  /** `[d][n]` rank of each value within its column (equal values share a rank). */
  ranks: Int32Array[];
  y: number[];
  w: number[];
  /** Scratch mask: 1 for rows going left at the split being applied. */
  inLeft: Uint8Array;
}

/** Splits a row list by the mask, keeping the order: [rows with mask 1, rows with mask 0]. */
function partition(rows: Int32Array, inLeft: Uint8Array): [Int32Array, Int32Array] {
  let nLeft = 0;
  for (let r = 0; r < rows.length; r++) nLeft += inLeft[rows[r]];
  const left = new Int32Array(nLeft), right = new Int32Array(rows.length - nLeft);
  let a = 0, b = 0;
  for (let r = 0; r < rows.length; r++) {
    if (inLeft[rows[r]]) left[a++] = rows[r];
    else right[b++] = rows[r];
  }
  return [left, right];
}

/** X by columns, with the rank of every value in its column: what a tree sorts by. Share it across trees. */
export interface PreparedColumns {
  /** `[d][n]` feature values. */
  readonly columns: Float64Array[];
  /** `[d][n]` rank of each value within its column (equal values share a rank). */
  readonly ranks: Int32Array[];
}

/**
 * Columns of X and the rank of every value in its column (ranks make per-node sorting a native numeric sort).
 * Compute it once and pass it to {@link DecisionTreeClassifier.fit} when many trees are grown on the same X.
 */
export function prepareColumns(X: number[][]): PreparedColumns {
  const n = X.length, d = X[0]?.length ?? 0, columns: Float64Array[] = [], ranks: Int32Array[] = [];
  for (let f = 0; f < d; f++) {
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) column[i] = X[i][f];
    const sorted = column.slice().sort();
    const rank = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      let lo = 0, hi = n - 1; // first position of column[i] in sorted
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid] < column[i]) lo = mid + 1;
        else hi = mid;
      }
      rank[i] = lo;
    }
    columns.push(column);
    ranks.push(rank);
  }
  return { columns, ranks };
}

/** The rows ordered by feature value (ties by row index), via one native sort of keys rank·n + row. */
function sortByFeature(rows: Int32Array, rank: Int32Array): Int32Array {
  const n = rank.length, keys = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) keys[r] = rank[rows[r]] * n + rows[r];
  keys.sort();
  const out = new Int32Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = keys[r] % n;
  return out;
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
    if (o.maxDepth !== Infinity) checkInteger(o.maxDepth, "maxDepth", who, 0);
    checkInteger(o.minSamplesSplit, "minSamplesSplit", who, 2);
    checkInteger(o.minSamplesLeaf, "minSamplesLeaf", who, 1);
    if (typeof o.maxFeatures === "number") checkInteger(o.maxFeatures, "maxFeatures", who, 1);
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
   * @param prepared `prepareColumns(X)`, when the caller grows many trees on the same X (random forests).
   * @throws {RangeError} On bad input or a single class.
   */
  fit(X: number[][], y: number[], sampleWeight?: number[], prepared?: PreparedColumns): this {
    const who = "fit DecisionTreeClassifier";
    const d = checkXy(X, y, who);
    this.#numClasses = checkLabels(y, who);
    const w = sampleWeight ?? new Array<number>(y.length).fill(1);
    if (w.length !== y.length || w.some((v) => !(v >= 0 && Number.isFinite(v)))) {
      throw new RangeError(`Cannot ${who} as sampleWeight must hold ${y.length} finite numbers >= 0`);
    }
    const rows = Int32Array.from(y.map((_, i) => i).filter((i) => w[i] > 0));
    const { columns, ranks } = prepared ?? prepareColumns(X);
    this.featureImportances = new Array<number>(d).fill(0);
    // With every feature tried at every node, sort each feature's rows once and keep the lists sorted while
    // splitting; with a random subset (forests), sort only the chosen features' rows at each node.
    const presorted = this.#featuresPerSplit(d) === d ? ranks.map((rank) => sortByFeature(rows, rank)) : null;
    this.root = this.#grow({ columns, ranks, y, w, inLeft: new Uint8Array(y.length) }, rows, presorted, 0);
    const total = this.featureImportances.reduce((s, v) => s + v, 0);
    if (total > 0) this.featureImportances = this.featureImportances.map((v) => v / total);
    return this;
  }

  #node(y: number[], w: number[], rows: Int32Array, depth: number): TreeNode {
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

  /** Grows the subtree of `rows`; `sorted`, when given, holds the same rows ordered by each feature. */
  #grow(data: FitData, rows: Int32Array, sorted: Int32Array[] | null, depth: number): TreeNode {
    const node = this.#node(data.y, data.w, rows, depth);
    const o = this.options;
    if (node.impurity <= 1e-12 || depth >= o.maxDepth || rows.length < o.minSamplesSplit) return node;
    const split = this.#bestSplit(data, (f) => sorted?.[f] ?? sortByFeature(rows, data.ranks[f]), node.counts);
    if (!split) return node;
    const column = data.columns[split.feature];
    for (const i of rows) data.inLeft[i] = column[i] <= split.threshold ? 1 : 0;
    const [left, right] = partition(rows, data.inLeft);
    const children = sorted?.map((list) => partition(list, data.inLeft));
    this.featureImportances[split.feature] += split.decrease;
    node.feature = split.feature;
    node.threshold = split.threshold;
    node.left = this.#grow(data, left, children?.map((c) => c[0]) ?? null, depth + 1);
    node.right = this.#grow(data, right, children?.map((c) => c[1]) ?? null, depth + 1);
    return node;
  }

  #featuresPerSplit(d: number): number {
    const m = this.options.maxFeatures;
    return m === "all" ? d : m === "sqrt" ? Math.max(1, Math.floor(Math.sqrt(d))) : Math.min(m, d);
  }

  #candidateFeatures(d: number): number[] {
    return this.#prng.permutation(d).slice(0, this.#featuresPerSplit(d));
  }

  /** Best split among the candidate features: largest weighted impurity decrease, one sorted sweep per feature. */
  #bestSplit(data: FitData, sortedBy: (feature: number) => Int32Array, totalCounts: number[]) {
    const k = this.#numClasses, { criterion, minSamplesLeaf } = this.options, { y, w } = data;
    const total = totalCounts.reduce((s, v) => s + v, 0);
    const parent = total * impurity(totalCounts, total, criterion);
    const left = new Float64Array(k), right = new Float64Array(k);
    let best: { feature: number; threshold: number; decrease: number } | null = null;
    for (const f of this.#candidateFeatures(data.columns.length)) {
      const rows = sortedBy(f), column = data.columns[f];
      left.fill(0);
      let leftTotal = 0;
      for (let r = 0; r < rows.length - 1; r++) {
        const i = rows[r];
        left[y[i]] += w[i];
        leftTotal += w[i];
        const v = column[i], next = column[rows[r + 1]];
        if (v === next || r + 1 < minSamplesLeaf || rows.length - r - 1 < minSamplesLeaf) continue;
        for (let c = 0; c < k; c++) right[c] = totalCounts[c] - left[c];
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
