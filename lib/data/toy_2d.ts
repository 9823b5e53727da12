/**
 * Small two-dimensional data sets for two classes, made up on the spot (seeded), to watch a classifier draw its
 * border: XOR's four blobs, scikit-learn's two moons and two circles, and the two interleaved spirals (Lang and
 * Witbrock's benchmark of 1988, hard for shallow networks). Each returns a {@link TabularDataset} with features
 * `x1`, `x2` and labels 0 and 1, in a seeded random order.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import { TabularDataset } from "./tabular.ts";

/** Settings shared by the toy sets: Gaussian noise added to each coordinate, and the seed. */
export interface Toy2dOptions {
  /** Standard deviation of the noise on each coordinate. */
  noise?: number;
  /** Seed or generator (default 1337). */
  seed?: number | Prng;
}

function check(n: number, noise: number, action: string): void {
  checkPositiveInteger(n, "n", action);
  if (!(noise >= 0 && Number.isFinite(noise))) {
    throw new RangeError(`Cannot ${action} as noise must be a number >= 0: current value is ${noise}`);
  }
}

/** Shuffles the points with `prng`, rounds them to 6 decimals and wraps them in a dataset. */
function dataset(name: string, points: [number, number, number][], prng: Prng, note: string): TabularDataset {
  prng.shuffle(points);
  const round = (v: number) => Math.round(v * 1e6) / 1e6;
  return new TabularDataset({
    name,
    X: points.map(([a, b]) => [round(a), round(b)]),
    y: points.map(([, , c]) => c),
    featureNames: ["x1", "x2"],
    targetName: "class",
    classNames: ["0", "1"],
    dropped: 0,
    note,
  });
}

/**
 * XOR as a cloud: `n` points in four blobs around (±1, ±1); class 1 where exactly one coordinate is positive (the
 * corners (1, −1) and (−1, 1)), class 0 at (1, 1) and (−1, −1). No straight line separates the classes.
 *
 * @param n Number of points (spread over the four corners in turn).
 * @param options Noise (default 0.3) and seed.
 * @returns The points and labels.
 * @throws {RangeError} When n is not a positive integer or noise is negative.
 * @example
 * ```ts
 * import { xorBlobs } from "@lib/data/toy_2d.ts";
 * import assert from "node:assert/strict";
 * const { X, y } = xorBlobs(8, { noise: 0 });
 * assert.ok(X.every(([a, b], i) => y[i] === (a * b < 0 ? 1 : 0)));
 * assert.equal(y.filter((c) => c === 1).length, 4);
 * ```
 */
export function xorBlobs(n: number, options: Toy2dOptions = {}): TabularDataset {
  const { noise = 0.3, seed = SEED } = options;
  check(n, noise, "make the XOR blobs");
  const prng = toPrng(seed);
  const corners = [[1, 1], [-1, 1], [1, -1], [-1, -1]];
  const points = Array.from({ length: n }, (_, i): [number, number, number] => {
    const [a, b] = corners[i % 4];
    return [a + prng.normal(0, noise), b + prng.normal(0, noise), a * b < 0 ? 1 : 0];
  });
  return dataset("xor", points, prng, `${n} points around (±1, ±1), noise ${noise}: class 1 where x1·x2 < 0`);
}

/**
 * Two interleaving half circles (scikit-learn's `make_moons`): class 0 on the upper arc of the unit circle, class 1 on
 * a lower arc shifted by (1, −0.5); the points are evenly spaced along each arc before the noise.
 *
 * @param n Number of points (the first ⌊n/2⌋ on the upper moon).
 * @param options Noise (default 0.1) and seed.
 * @returns The points and labels.
 * @throws {RangeError} When n is not a positive integer or noise is negative.
 * @example
 * ```ts
 * import { twoMoons } from "@lib/data/toy_2d.ts";
 * import assert from "node:assert/strict";
 * const { X, y } = twoMoons(100, { noise: 0 });
 * const onUnitCircle = X.filter((_, i) => y[i] === 0).every(([a, b]) => Math.abs(a * a + b * b - 1) < 1e-5);
 * assert.ok(onUnitCircle);
 * ```
 */
export function twoMoons(n: number, options: Toy2dOptions = {}): TabularDataset {
  const { noise = 0.1, seed = SEED } = options;
  check(n, noise, "make the two moons");
  const prng = toPrng(seed);
  const nOut = Math.floor(n / 2), nIn = n - nOut;
  const arc = (k: number, count: number) => (count > 1 ? (Math.PI * k) / (count - 1) : 0);
  const points: [number, number, number][] = [];
  for (let k = 0; k < nOut; k++) {
    const t = arc(k, nOut);
    points.push([Math.cos(t) + prng.normal(0, noise), Math.sin(t) + prng.normal(0, noise), 0]);
  }
  for (let k = 0; k < nIn; k++) {
    const t = arc(k, nIn);
    points.push([1 - Math.cos(t) + prng.normal(0, noise), 0.5 - Math.sin(t) + prng.normal(0, noise), 1]);
  }
  return dataset("moons", points, prng, `${n} points on two interleaving half circles, noise ${noise}`);
}

/**
 * A small circle inside a large one (scikit-learn's `make_circles`): class 0 on the unit circle, class 1 on the
 * circle of radius `factor`, evenly spaced before the noise.
 *
 * @param n Number of points (the first ⌊n/2⌋ on the outer circle).
 * @param options Noise (default 0.05), seed, and the inner radius `factor` in (0, 1) (default 0.5).
 * @returns The points and labels.
 * @throws {RangeError} When n is not a positive integer, noise is negative or factor is not in (0, 1).
 * @example
 * ```ts
 * import { circles } from "@lib/data/toy_2d.ts";
 * import assert from "node:assert/strict";
 * const { X, y } = circles(40, { noise: 0, factor: 0.3 });
 * const radius = (i: number) => Math.hypot(X[i][0], X[i][1]);
 * assert.ok(y.every((c, i) => Math.abs(radius(i) - (c === 0 ? 1 : 0.3)) < 1e-5));
 * ```
 */
export function circles(n: number, options: Toy2dOptions & { factor?: number } = {}): TabularDataset {
  const { noise = 0.05, seed = SEED, factor = 0.5 } = options;
  check(n, noise, "make the circles");
  if (!(factor > 0 && factor < 1)) {
    throw new RangeError(`Cannot make the circles as factor must be in (0, 1): current value is ${factor}`);
  }
  const prng = toPrng(seed);
  const nOut = Math.floor(n / 2), nIn = n - nOut;
  const points: [number, number, number][] = [];
  const ring = (count: number, r: number, c: number) => {
    for (let k = 0; k < count; k++) {
      const t = (2 * Math.PI * k) / count;
      points.push([r * Math.cos(t) + prng.normal(0, noise), r * Math.sin(t) + prng.normal(0, noise), c]);
    }
  };
  ring(nOut, 1, 0);
  ring(nIn, factor, 1);
  return dataset("circles", points, prng, `${n} points on circles of radius 1 and ${factor}, noise ${noise}`);
}

/**
 * Two interleaved spirals: class 0 on the arm r = s, angle = 2π·turns·s for s in (0, 1], class 1 on the same arm
 * turned by half a circle. Every extra turn makes the border longer and harder to draw.
 *
 * @param n Number of points (the first ⌊n/2⌋ on the arm of class 0), at random positions s along the arms.
 * @param options Noise (default 0.03), seed, and the number of `turns` (default 1.5).
 * @returns The points and labels (all within the unit disc, up to the noise).
 * @throws {RangeError} When n is not a positive integer, noise is negative or turns is not positive.
 * @example
 * ```ts
 * import { twoSpirals } from "@lib/data/toy_2d.ts";
 * import assert from "node:assert/strict";
 * const { X, y } = twoSpirals(200, { noise: 0 });
 * assert.equal(y.filter((c) => c === 1).length, 100);
 * assert.ok(X.every(([a, b]) => Math.hypot(a, b) <= 1 + 1e-6));
 * ```
 */
export function twoSpirals(n: number, options: Toy2dOptions & { turns?: number } = {}): TabularDataset {
  const { noise = 0.03, seed = SEED, turns = 1.5 } = options;
  check(n, noise, "make the two spirals");
  checkPositive(turns, "turns", "make the two spirals");
  const prng = toPrng(seed);
  const nA = Math.floor(n / 2);
  const points = Array.from({ length: n }, (_, i): [number, number, number] => {
    const c = i < nA ? 0 : 1;
    const s = Math.sqrt(prng.uniform(0.0025, 1)); // √ spreads the points evenly along the arm's length
    const angle = 2 * Math.PI * turns * s + c * Math.PI;
    return [s * Math.cos(angle) + prng.normal(0, noise), s * Math.sin(angle) + prng.normal(0, noise), c];
  });
  return dataset("spirals", points, prng, `${n} points on two spirals of ${turns} turns, noise ${noise}`);
}
