/**
 * Masked-language modelling (掩码语言模型), BERT's training objective: hide some tokens of a text and train the
 * encoder to say what stood there, from both sides.
 *
 * The rates are the paper's (Devlin et al. 2018, section 3.1): 15% of the positions of each sequence are chosen as
 * targets; of those, 80% are replaced by the mask token, 10% by a random token and 10% are left as they are. The
 * other 85% are no target at all (−1: the loss ignores them). Why not mask all chosen ones? At test time there is no
 * mask token in the input; the 10% random and 10% unchanged make the model predict every position's token from its
 * context, masked or not, so what it learns carries over to text without masks.
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** BERT's rates: 15% of positions chosen; of those 80% masked, 10% random, 10% unchanged. */
export const MLM_RATES: Readonly<{ rate: number; maskShare: number; randomShare: number }> = Object.freeze({
  rate: 0.15,
  maskShare: 0.8,
  randomShare: 0.1,
});

/** A masked sequence: what the encoder reads and what it must predict. */
export interface MaskedTokens {
  /** The input: the sequence with the chosen positions masked, replaced or kept. */
  input: number[];
  /** The original token at each chosen position, −1 elsewhere. */
  targets: number[];
}

/**
 * The 80/10/10 rule, without randomness: for each chosen position `p`, `draws[k] < maskShare` masks it, a draw
 * below `maskShare + randomShare` puts `randomIds[k]` there, a larger one keeps the token. Every chosen position is a
 * target, whatever happened to it. {@link maskTokens} draws the positions and numbers and calls this.
 *
 * @param ids The sequence.
 * @param positions The chosen positions (distinct indices into ids).
 * @param draws One number in [0, 1) per chosen position.
 * @param randomIds One replacement token per chosen position (used only where the draw says "random").
 * @param maskId The mask token.
 * @param shares The shares of masked and random tokens (default the paper's 0.8 and 0.1).
 * @returns The input and the targets.
 * @throws {RangeError} When positions, draws and randomIds differ in length, or a position is repeated or out of range.
 * @example
 * ```ts
 * import { applyMlmMask } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const { input, targets } = applyMlmMask([5, 6, 7, 8], [0, 2, 3], [0.5, 0.85, 0.95], [9, 9, 9], 1);
 * assert.deepEqual(input, [1, 6, 9, 8]); // masked, kept (not chosen), random, unchanged
 * assert.deepEqual(targets, [5, -1, 7, 8]);
 * ```
 */
export function applyMlmMask(
  ids: readonly number[],
  positions: readonly number[],
  draws: readonly number[],
  randomIds: readonly number[],
  maskId: number,
  shares: { maskShare: number; randomShare: number } = MLM_RATES,
): MaskedTokens {
  if (positions.length !== draws.length || positions.length !== randomIds.length) {
    throw new RangeError(
      `Cannot mask tokens as positions, draws and randomIds must have one entry each per chosen position: current ` +
        `lengths are ${positions.length}, ${draws.length} and ${randomIds.length}`,
    );
  }
  const input = [...ids], targets = ids.map(() => -1);
  positions.forEach((p, k) => {
    if (!Number.isInteger(p) || p < 0 || p >= ids.length || targets[p] !== -1) {
      throw new RangeError(
        `Cannot mask tokens as each position must be a distinct index in [0, ${ids.length}): current value is ${p}`,
      );
    }
    targets[p] = ids[p];
    if (draws[k] < shares.maskShare) input[p] = maskId;
    else if (draws[k] < shares.maskShare + shares.randomShare) input[p] = randomIds[k];
  });
  return { input, targets };
}

/** Options of {@link maskTokens} and {@link mlmBatch}. */
export interface MlmOptions {
  /** The mask token. */
  maskId: number;
  /** Random replacements are drawn uniformly from [0, vocabSize), leaving out `never`. */
  vocabSize: number;
  /** Tokens never chosen as targets nor drawn as replacements (the mask token always; e.g. `<unk>`, padding). */
  never?: readonly number[];
  /** Share of positions chosen (default 0.15). */
  rate?: number;
}

/**
 * Masks one sequence as BERT's pretraining does: `round(rate · n)` of its n eligible positions (at least one) are
 * chosen at random, then {@link applyMlmMask}'s 80/10/10 rule.
 *
 * @param ids The sequence.
 * @param prng The generator (positions, draws, replacements).
 * @param options The mask token, the vocabulary size, tokens never chosen, the rate.
 * @returns The input and the targets.
 * @throws {RangeError} When the rate is not in (0, 1], the vocabulary size is not a positive integer, or no position
 *   is eligible.
 * @example
 * ```ts
 * import { maskTokens } from "@lib/attention/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const ids = Array.from({ length: 40 }, (_, i) => 2 + (i % 10));
 * const { input, targets } = maskTokens(ids, new Prng(7), { maskId: 1, vocabSize: 12 });
 * assert.equal(targets.filter((t) => t >= 0).length, 6); // 15% of 40
 * assert.ok(input.includes(1));
 * ```
 */
export function maskTokens(ids: readonly number[], prng: Prng, options: MlmOptions): MaskedTokens {
  const { maskId, vocabSize, rate = MLM_RATES.rate } = options;
  const never = new Set([maskId, ...(options.never ?? [])]);
  checkPositiveInteger(vocabSize, "vocabSize", "mask tokens");
  if (!(rate > 0 && rate <= 1)) {
    throw new RangeError(`Cannot mask tokens as rate must be in (0, 1]: current value is ${rate}`);
  }
  const eligible = ids.flatMap((id, i) => never.has(id) ? [] : [i]);
  if (eligible.length === 0) {
    throw new RangeError(`Cannot mask tokens as no position is eligible: the ${ids.length} token(s) are all in never`);
  }
  if (never.size >= vocabSize) {
    throw new RangeError(`Cannot mask tokens as every token of the vocabulary (${vocabSize}) is in never`);
  }
  const n = Math.max(1, Math.round(rate * eligible.length));
  const positions = prng.permutation(eligible.length).slice(0, n).map((k) => eligible[k]);
  const draws = positions.map(() => prng.next());
  const randomIds = positions.map(() => {
    let id = prng.int(vocabSize);
    while (never.has(id)) id = prng.int(vocabSize);
    return id;
  });
  return applyMlmMask(ids, positions, draws, randomIds, maskId);
}

/**
 * A batch for masked-language modelling: `batchSize` random windows of `blockSize` tokens of `data` (as lib/nn's
 * `getBatch` draws them for a GPT), each masked by {@link maskTokens}. x is the masked input, y the targets (−1 where
 * there is none), both `[B, T]` int32: what {@link Bert.forward} takes, and a `BatchSource` of lib/nn's `train`.
 *
 * @param data Token ids of the corpus.
 * @param blockSize Window length T.
 * @param batchSize Windows B.
 * @param prng The generator (window starts and masks).
 * @param options The mask token, vocabulary size, tokens never chosen, rate.
 * @returns `{x, y}` (caller disposes).
 * @throws {RangeError} When the data is shorter than blockSize, or a size is not a positive integer.
 * @example
 * ```ts
 * import { mlmBatch } from "@lib/attention/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const data = Array.from({ length: 100 }, (_, i) => 2 + (i % 10));
 * const { x, y } = mlmBatch(data, 20, 4, new Prng(1), { maskId: 1, vocabSize: 12 });
 * assert.deepEqual(x.shape, [4, 20]);
 * assert.equal((y.arraySync() as number[][]).flat().filter((t) => t >= 0).length, 4 * 3);
 * ```
 */
export function mlmBatch(
  data: ArrayLike<number>,
  blockSize: number,
  batchSize: number,
  prng: Prng,
  options: MlmOptions,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  checkPositiveInteger(blockSize, "blockSize", "draw a masked batch");
  checkPositiveInteger(batchSize, "batchSize", "draw a masked batch");
  if (data.length < blockSize) {
    throw new RangeError(
      `Cannot draw a masked batch as the data has ${data.length} tokens: it needs at least blockSize = ${blockSize}`,
    );
  }
  const xs = new Int32Array(batchSize * blockSize), ys = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = prng.int(data.length - blockSize + 1);
    const window = Array.from({ length: blockSize }, (_, t) => data[start + t]);
    const { input, targets } = maskTokens(window, prng, options);
    xs.set(input, b * blockSize);
    ys.set(targets, b * blockSize);
  }
  return { x: tf.tensor2d(xs, [batchSize, blockSize], "int32"), y: tf.tensor2d(ys, [batchSize, blockSize], "int32") };
}
