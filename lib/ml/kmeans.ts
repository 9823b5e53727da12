/**
 * k-means clustering, k均值聚类 (unsupervised): k centres, each row belongs to its nearest one.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkInteger, checkPositive } from "../core/validate.ts";
import { checkFitted, checkX } from "./_validate.ts";

/** Options of {@link KMeans}. */
export interface KMeansOptions {
  /** Number of clusters. Default 3. */
  k?: number;
  /** Most Lloyd iterations. Default 300. */
  maxIter?: number;
  /** Stop when no centre moves more than this (Euclidean). Default 1e-6. */
  tol?: number;
  /** Runs from different k-means++ starts; the one with the lowest inertia is kept (scikit-learn 1.2's default). Default 10. */
  nInit?: number;
  /** Seed or generator for the k-means++ starts. Default 1337. */
  seed?: number | Prng;
}

function squaredDistance(a: number[], b: number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return s;
}

/**
 * k-means with k-means++ initialisation (first centre uniform, each next one drawn with probability
 * proportional to the squared distance to the nearest centre so far), then Lloyd iterations; the best of `nInit`
 * runs is kept. An emptied cluster keeps its previous centre.
 *
 * @example
 * ```ts
 * import { KMeans } from "@lib/ml/kmeans.ts";
 * import assert from "node:assert/strict";
 * const X = [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]];
 * const km = new KMeans({ k: 2 }).fit(X);
 * assert.equal(km.labels[0], km.labels[2]);
 * assert.notEqual(km.labels[0], km.labels[3]);
 * assert.ok(km.inertia < 3);
 * ```
 */
export class KMeans {
  readonly options: Required<KMeansOptions>;
  /** Cluster centres `[k][d]`. */
  centroids: number[][] = [];
  /** Cluster of each training row. */
  labels: number[] = [];
  /** Sum of squared distances of rows to their centre. */
  inertia = NaN;
  /** Inertia after each iteration of the kept run (non-increasing). */
  inertiaHistory: number[] = [];
  /** Centres after initialisation and after each iteration (for animations). */
  centroidHistory: number[][][] = [];

  /** @throws {RangeError} When k, maxIter or tol is invalid. */
  constructor(options: KMeansOptions = {}) {
    this.options = { k: 3, maxIter: 300, tol: 1e-6, nInit: 10, seed: SEED, ...options };
    checkInteger(this.options.k, "k", "create KMeans", 1);
    checkInteger(this.options.nInit, "nInit", "create KMeans", 1);
    checkInteger(this.options.maxIter, "maxIter", "create KMeans", 1);
    checkPositive(this.options.tol, "tol", "create KMeans");
  }

  /**
   * Clusters the rows.
   * @throws {RangeError} On empty or non-finite X, or when k exceeds the number of rows.
   */
  fit(X: number[][]): this {
    const who = "fit KMeans";
    checkX(X, who);
    const { k, maxIter, tol } = this.options;
    if (k > X.length) {
      throw new RangeError(
        `Cannot ${who} as k must be at most the number of rows (${X.length}): current value is ${k}`,
      );
    }
    const prng = toPrng(this.options.seed);
    let best: Pick<KMeans, "centroids" | "labels" | "inertia" | "inertiaHistory" | "centroidHistory"> | null = null;
    for (let run = 0; run < this.options.nInit; run++) {
      this.#lloyd(X, this.#kMeansPlusPlus(X, prng), maxIter, tol);
      if (!best || this.inertia < best.inertia) {
        const { centroids, labels, inertia, inertiaHistory, centroidHistory } = this;
        best = { centroids, labels, inertia, inertiaHistory, centroidHistory };
      }
    }
    Object.assign(this, best);
    return this;
  }

  /** Lloyd iterations from the given centres: assign rows, move centres, until they stop moving. */
  #lloyd(X: number[][], start: number[][], maxIter: number, tol: number): void {
    this.centroids = start;
    this.centroidHistory = [this.centroids.map((c) => [...c])];
    this.inertiaHistory = [];
    for (let iter = 0; iter < maxIter; iter++) {
      this.labels = this.predict(X);
      const moved = this.#updateCentroids(X);
      this.centroidHistory.push(this.centroids.map((c) => [...c]));
      this.inertia = X.reduce((s, row, i) => s + squaredDistance(row, this.centroids[this.labels[i]]), 0);
      this.inertiaHistory.push(this.inertia);
      if (moved <= tol) break;
    }
    this.labels = this.predict(X);
  }

  #kMeansPlusPlus(X: number[][], prng: Prng): number[][] {
    const centres = [[...X[prng.int(X.length)]]];
    const nearest = X.map((row) => squaredDistance(row, centres[0]));
    while (centres.length < this.options.k) {
      const i = nearest.some((v) => v > 0) ? prng.categorical(nearest) : prng.int(X.length);
      centres.push([...X[i]]);
      X.forEach((row, r) => (nearest[r] = Math.min(nearest[r], squaredDistance(row, X[i]))));
    }
    return centres;
  }

  /** Moves each centre to the mean of its rows; returns the largest move. */
  #updateCentroids(X: number[][]): number {
    let moved = 0;
    this.centroids = this.centroids.map((old, c) => {
      const members = X.filter((_, i) => this.labels[i] === c);
      if (members.length === 0) return old;
      const mean = old.map((_, j) => members.reduce((s, r) => s + r[j], 0) / members.length);
      moved = Math.max(moved, Math.sqrt(squaredDistance(mean, old)));
      return mean;
    });
    return moved;
  }

  /** Index of the nearest centre for each row. */
  predict(X: number[][]): number[] {
    checkFitted(this.centroids.length > 0, "KMeans");
    checkX(X, "predict with KMeans", this.centroids[0].length);
    return X.map((row) => {
      let best = 0;
      for (let c = 1; c < this.centroids.length; c++) {
        if (squaredDistance(row, this.centroids[c]) < squaredDistance(row, this.centroids[best])) best = c;
      }
      return best;
    });
  }
}

/**
 * Purity of a clustering: each cluster votes for its most common true class; the share of rows matching that vote.
 * @throws {RangeError} When the lists differ in length or are empty.
 * @example
 * ```ts
 * import { clusterPurity } from "@lib/ml/kmeans.ts";
 * import assert from "node:assert/strict";
 * assert.equal(clusterPurity([0, 0, 1, 1], [5, 5, 5, 7]), 0.75);
 * ```
 */
export function clusterPurity(yTrue: number[], clusters: number[]): number {
  if (yTrue.length !== clusters.length || yTrue.length === 0) {
    throw new RangeError(
      `Cannot compute purity as yTrue and clusters must have the same non-zero length: ${yTrue.length} vs ${clusters.length}`,
    );
  }
  const table = new Map<number, Map<number, number>>();
  clusters.forEach((c, i) => {
    const row = table.get(c) ?? new Map<number, number>();
    row.set(yTrue[i], (row.get(yTrue[i]) ?? 0) + 1);
    table.set(c, row);
  });
  let agree = 0;
  for (const row of table.values()) agree += Math.max(...row.values());
  return agree / yTrue.length;
}
