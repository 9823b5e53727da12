/**
 * Seeded, stratified train/test splits: the same seed gives the same rows on every machine.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";

/** Options of {@link trainTestSplit}. */
export interface SplitOptions {
  /** Share of rows that go to the test set, in (0, 1). Default 0.2. */
  testFraction?: number;
  /** Seed or generator. Default 1337. */
  seed?: number | Prng;
  /** Keep each class's share equal in train and test (needs integer labels). Default true. */
  stratify?: boolean;
}

/** Row indices of a split, each list sorted ascending. */
export interface SplitIndices {
  train: number[];
  test: number[];
}

/**
 * Splits row indices into train and test. Stratified by default: each class sends
 * `round(count × testFraction)` of its rows, chosen by a seeded shuffle, to the test set.
 *
 * @param labels The labels (stratified) or just the row count (plain shuffle).
 * @param options Test fraction, seed, stratification.
 * @returns Sorted train and test indices.
 * @throws {RangeError} When there are fewer than 2 rows, or testFraction is not in (0, 1).
 *
 * @example
 * ```ts
 * import { trainTestSplit } from "@lib/data/split.ts";
 * import assert from "node:assert/strict";
 * const { train, test } = trainTestSplit([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], { testFraction: 0.4 });
 * assert.equal(test.length, 4);
 * assert.equal(train.length + test.length, 10);
 * ```
 */
export function trainTestSplit(labels: number[] | number, options: SplitOptions = {}): SplitIndices {
  const { testFraction = 0.2, seed = SEED, stratify = true } = options;
  const n = typeof labels === "number" ? labels : labels.length;
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`Cannot split data as testFraction must be in (0, 1): current value is ${testFraction}`);
  }
  if (!Number.isInteger(n) || n < 2) {
    throw new RangeError(`Cannot split data as it needs at least 2 rows: current value is ${n}`);
  }
  const prng = toPrng(seed);
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const key = stratify && typeof labels !== "number" ? labels[i] : 0;
    groups.set(key, [...(groups.get(key) ?? []), i]);
  }
  const train: number[] = [], test: number[] = [];
  for (const key of [...groups.keys()].sort((a, b) => a - b)) {
    const rows = prng.shuffle(groups.get(key)!);
    const nTest = Math.round(rows.length * testFraction);
    test.push(...rows.slice(0, nTest));
    train.push(...rows.slice(nTest));
  }
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}

/** A table cut into train and test rows (see {@link splitData}). */
export interface DataSplit {
  XTrain: number[][];
  yTrain: number[];
  XTest: number[][];
  yTest: number[];
  /** The indices used, into the original rows. */
  indices: SplitIndices;
}

/**
 * Cuts `X` and `y` with {@link trainTestSplit} (stratified on `y`).
 *
 * @throws {RangeError} When X and y differ in length (and as {@link trainTestSplit}).
 *
 * @example
 * ```ts
 * import { loadIris } from "@lib/data/iris.ts";
 * import { splitData } from "@lib/data/split.ts";
 * import assert from "node:assert/strict";
 * const iris = await loadIris();
 * const { XTrain, XTest } = splitData(iris.X, iris.y, { seed: 1337 });
 * assert.deepEqual([XTrain.length, XTest.length], [120, 30]);
 * ```
 */
export function splitData(X: number[][], y: number[], options: SplitOptions = {}): DataSplit {
  if (X.length !== y.length) {
    throw new RangeError(
      `Cannot split data as X and y must have the same length: X has ${X.length} rows, y has ${y.length}`,
    );
  }
  const indices = trainTestSplit(options.stratify === false ? y.length : y, options);
  return {
    XTrain: indices.train.map((i) => X[i]),
    yTrain: indices.train.map((i) => y[i]),
    XTest: indices.test.map((i) => X[i]),
    yTest: indices.test.map((i) => y[i]),
    indices,
  };
}
