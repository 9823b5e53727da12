/**
 * Seeded randomness: every random function in the course takes a `seed` or a {@link Prng}.
 *
 * @module
 */
import { checkPositiveInteger } from "./validate.ts";

/** The course's default seed; notebooks start with `const SEED = 1337`. */
export const SEED = 1337;

/**
 * A small, fast, seeded pseudo-random generator (sfc32, seeded through splitmix32).
 *
 * Same seed, same sequence, on every machine.
 *
 * @example
 * ```ts
 * import { Prng } from "@lib/core/random.ts";
 * import assert from "node:assert/strict";
 * const a = new Prng(7), b = new Prng(7);
 * assert.equal(a.next(), b.next());
 * assert.ok(a.int(10) < 10);
 * ```
 */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  #spare: number | null = null;

  /**
   * @param seed Any finite integer (default {@link SEED}).
   * @throws {TypeError} When the seed is not a finite integer.
   */
  constructor(readonly seed: number = SEED) {
    if (!Number.isInteger(seed)) {
      throw new TypeError(`Cannot seed a Prng as the seed must be a finite integer: current value is ${seed}`);
    }
    let s = seed >>> 0;
    const split = () => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = split();
    this.#b = split();
    this.#c = split();
    this.#d = split();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  /** Next 32-bit unsigned integer. */
  uint32(): number {
    const t = (((this.#a + this.#b) >>> 0) + this.#d) >>> 0;
    this.#d = (this.#d + 1) >>> 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) >>> 0;
    this.#c = ((this.#c << 21) | (this.#c >>> 11)) >>> 0;
    this.#c = (this.#c + t) >>> 0;
    return t;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.uint32() / 4294967296;
  }

  /** Uniform float in [lo, hi). */
  uniform(lo = 0, hi = 1): number {
    return lo + (hi - lo) * this.next();
  }

  /**
   * Uniform integer in [0, n).
   * @throws {RangeError} When n is not a positive integer.
   */
  int(n: number): number {
    checkPositiveInteger(n, "n", "draw an integer below n");
    return Math.floor(this.next() * n);
  }

  /** Standard normal sample (Box–Muller), times `std`, plus `mean`. */
  normal(mean = 0, std = 1): number {
    if (this.#spare !== null) {
      const z = this.#spare;
      this.#spare = null;
      return mean + std * z;
    }
    let u = 0;
    while (u === 0) u = this.next();
    const v = this.next();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return mean + std * r * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles an array in place (Fisher–Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [items[i], items[j]] = [items[j], items[i]];
    }
    return items;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /**
   * Index drawn with probability proportional to `weights` (need not sum to 1).
   * @throws {RangeError} When the weights are empty, negative or all zero.
   */
  categorical(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i] >= 0)) {
        throw new RangeError(`Cannot sample a category as weight ${i} is ${weights[i]}: weights must be >= 0`);
      }
      total += weights[i];
    }
    if (!(total > 0)) {
      throw new RangeError(`Cannot sample a category as the weights sum to ${total}: at least one must be positive`);
    }
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** A seed for tfjs initialisers and random ops: a positive integer (tfjs treats 0 as "unseeded"). */
  tfSeed(): number {
    return 1 + this.int(2147483646);
  }

  /** An independent generator derived from this one (for a sub-task that must not disturb this stream). */
  fork(): Prng {
    return new Prng(this.uint32() | 0);
  }
}

/**
 * Turns a seed or a generator into a generator: functions accept either.
 *
 * @example
 * ```ts
 * import { Prng, toPrng } from "@lib/core/random.ts";
 * import assert from "node:assert/strict";
 * const p = new Prng(3);
 * assert.equal(toPrng(p), p);
 * assert.equal(toPrng(3).next(), new Prng(3).next());
 * ```
 */
export function toPrng(seedOrPrng: number | Prng = SEED): Prng {
  return seedOrPrng instanceof Prng ? seedOrPrng : new Prng(seedOrPrng);
}
