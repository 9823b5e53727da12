/**
 * The bigram language model (二元语法): the next token predicted from the one before it alone, by counting. It is the
 * baseline a GPT must beat (notebook 11): "给定上文预估下一个词出现的可能性" with a context of one token.
 *
 * With add-k smoothing (加 k 平滑) every pair gets k imaginary extra sightings, so a pair never seen in training still
 * has a small probability: `P(b | a) = (count(a, b) + k) / (count(a) + k·V)`. k = 1 is Laplace's rule; on a large
 * vocabulary it gives far too much mass to unseen pairs, so k is tuned on held-out text ({@link tuneAddK}).
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/**
 * A bigram model over token ids `0 … V−1`: the counts of every adjacent pair of a training stream.
 *
 * @example
 * ```ts
 * import { BigramModel } from "@lib/ml/bigram.ts";
 * import assert from "node:assert/strict";
 * const model = new BigramModel(3).fit([0, 1, 0, 1, 0, 2]); // pairs 01 10 01 10 02
 * assert.equal(model.count(0, 1), 2);
 * assert.equal(model.prob(0, 1, 0), 2 / 3); // no smoothing: 2 of the 3 pairs after 0
 * assert.equal(model.prob(0, 0, 1), 1 / 6); // add-one: (0 + 1) / (3 + 3)
 * assert.ok(Math.abs(model.loss([0, 1], 0) - Math.log(3 / 2)) < 1e-12);
 * ```
 */
export class BigramModel {
  /** The vocabulary size V. */
  readonly vocabSize: number;
  readonly #pairs = new Map<number, number>();
  readonly #rows: Float64Array;
  #fitted = false;

  /**
   * @param vocabSize V, the number of distinct token ids.
   * @throws {RangeError} When vocabSize is not a positive integer.
   */
  constructor(vocabSize: number) {
    checkPositiveInteger(vocabSize, "vocabSize", "create a bigram model");
    this.vocabSize = vocabSize;
    this.#rows = new Float64Array(vocabSize);
  }

  /**
   * Counts the adjacent pairs of a token stream (adds to earlier counts).
   *
   * @param ids Token ids in `[0, V)`.
   * @returns This model.
   * @throws {RangeError} For an id outside the vocabulary.
   */
  fit(ids: ArrayLike<number>): this {
    this.#check(ids, "fit a bigram model");
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = ids[i] * this.vocabSize + ids[i + 1];
      this.#pairs.set(key, (this.#pairs.get(key) ?? 0) + 1);
      this.#rows[ids[i]]++;
    }
    this.#fitted = true;
    return this;
  }

  /** How many times `b` followed `a` in the training stream. */
  count(a: number, b: number): number {
    return this.#pairs.get(a * this.vocabSize + b) ?? 0;
  }

  /** How many pairs start with `a` (how often `a` was followed by anything). */
  rowCount(a: number): number {
    return this.#rows[a];
  }

  /** Number of distinct pairs seen. */
  get distinctPairs(): number {
    return this.#pairs.size;
  }

  /**
   * The smoothed probability `P(b | a) = (count(a, b) + k) / (count(a) + k·V)`.
   *
   * @param a The previous token.
   * @param b The next token.
   * @param k The add-k constant (≥ 0; 0 gives 0/0 = NaN for a token never seen first in a pair).
   * @returns The probability.
   * @throws {RangeError} For a negative k.
   */
  prob(a: number, b: number, k: number): number {
    checkK(k);
    return (this.count(a, b) + k) / (this.#rows[a] + k * this.vocabSize);
  }

  /**
   * The whole next-token distribution after `a`.
   *
   * @param a The previous token.
   * @param k The add-k constant.
   * @returns `V` probabilities that add up to 1 (NaN when k = 0 and `a` never started a pair).
   */
  probs(a: number, k: number): Float64Array {
    checkK(k);
    const v = this.vocabSize, out = new Float64Array(v).fill(k / (this.#rows[a] + k * v));
    const denom = this.#rows[a] + k * v;
    for (let b = 0; b < v; b++) {
      const c = this.#pairs.get(a * v + b);
      if (c !== undefined) out[b] = (c + k) / denom;
    }
    return out;
  }

  /**
   * Mean cross-entropy (nats per token) of a held-out stream: −mean log P(ids[i] | ids[i−1]) over its pairs, the
   * number a GPT's loss is compared with.
   *
   * @param ids Token ids, at least two.
   * @param k The add-k constant (> 0 unless every pair was seen).
   * @returns The loss; Infinity when an unseen pair gets probability 0 (k = 0).
   * @throws {RangeError} Before {@link fit}, for fewer than two ids, an id outside the vocabulary, or a negative k.
   */
  loss(ids: ArrayLike<number>, k: number): number {
    if (!this.#fitted) throw new RangeError("Cannot compute a bigram loss before fit(): the model has no counts");
    this.#check(ids, "compute a bigram loss");
    if (ids.length < 2) {
      throw new RangeError(`Cannot compute a bigram loss on fewer than 2 tokens: current length is ${ids.length}`);
    }
    checkK(k);
    let total = 0;
    for (let i = 0; i + 1 < ids.length; i++) total -= Math.log(this.prob(ids[i], ids[i + 1], k));
    return total / (ids.length - 1);
  }

  /**
   * Writes tokens the bigram way: each drawn from `P(· | previous)`.
   *
   * @param start The first previous token (e.g. a newline).
   * @param length Tokens to draw.
   * @param k The add-k constant.
   * @param seed Seed or generator.
   * @param banned Ids never drawn (e.g. `<unk>`).
   * @returns The drawn ids.
   */
  sample(
    start: number,
    length: number,
    k: number,
    seed: number | Prng = SEED,
    banned: readonly number[] = [],
  ): number[] {
    const prng = toPrng(seed), out: number[] = [];
    let prev = start;
    for (let i = 0; i < length; i++) {
      const p = this.probs(prev, k);
      for (const id of banned) p[id] = 0;
      prev = prng.categorical(p);
      out.push(prev);
    }
    return out;
  }

  #check(ids: ArrayLike<number>, action: string): void {
    for (let i = 0; i < ids.length; i++) {
      if (!Number.isInteger(ids[i]) || ids[i] < 0 || ids[i] >= this.vocabSize) {
        throw new RangeError(
          `Cannot ${action} as token ${i} is ${ids[i]}: ids must be integers in [0, ${this.vocabSize})`,
        );
      }
    }
  }
}

function checkK(k: number): void {
  if (!(k >= 0 && Number.isFinite(k))) {
    throw new RangeError(`Cannot smooth a bigram model as k must be a finite number >= 0: current value is ${k}`);
  }
}

/** What {@link tuneAddK} found. */
export interface AddKTuning {
  /** The k with the lowest held-out loss. */
  k: number;
  /** Its loss. */
  loss: number;
  /** Every k tried with its loss, in the order given. */
  curve: { k: number; loss: number }[];
}

/**
 * Tunes the add-k constant on held-out text: the k of `ks` with the lowest loss, so the baseline is the best a
 * bigram can do here, not a straw man.
 *
 * @param model A fitted bigram model.
 * @param heldOut Token ids it was not fitted on (the validation split).
 * @param ks The constants to try (default 17 values from 10⁻⁴ to 1, evenly spaced in log).
 * @returns The best k, its loss and the whole curve.
 * @throws {RangeError} For an empty `ks` or a k < 0.
 * @example
 * ```ts
 * import { BigramModel, tuneAddK } from "@lib/ml/bigram.ts";
 * import assert from "node:assert/strict";
 * const model = new BigramModel(4).fit([0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 0]);
 * const best = tuneAddK(model, [0, 1, 2, 3, 0, 2], [0.01, 0.1, 1]);
 * assert.equal(best.curve.length, 3);
 * assert.equal(best.loss, Math.min(...best.curve.map((c) => c.loss)));
 * ```
 */
export function tuneAddK(
  model: BigramModel,
  heldOut: ArrayLike<number>,
  ks: readonly number[] = Array.from({ length: 17 }, (_, i) => 10 ** (-4 + i / 4)),
): AddKTuning {
  if (ks.length === 0) throw new RangeError("Cannot tune add-k smoothing over no values: give at least one k");
  const curve = ks.map((k) => ({ k, loss: model.loss(heldOut, k) }));
  const best = curve.reduce((a, b) => (b.loss < a.loss ? b : a));
  return { k: best.k, loss: best.loss, curve };
}
