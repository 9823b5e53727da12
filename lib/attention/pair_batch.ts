/**
 * Batches of (source, target) id pairs for an encoder-decoder: both sides padded, ready for lib/nn's training loop.
 *
 * @module
 */
import { SEED } from "../core/mod.ts";
import { checkInteger, checkPositiveInteger } from "../core/validate.ts";
import { type Batch, iterPrng } from "../nn/train.ts";
import { padIds } from "./padding_mask.ts";

/** One translation pair as token ids: the target holds `<bos>` … `<eos>`. */
export interface IdPair {
  /** Source ids. */
  source: readonly number[];
  /** Target ids, `<bos>` first and `<eos>` last. */
  target: readonly number[];
}

/**
 * The batch of the pairs at `indices`: sources `[B, S]` as x, targets `[B, T]` as y, each padded to its longest
 * member (a {@link Transformer}'s `forward(x, y)` takes them as they are).
 *
 * @param pairs The pairs.
 * @param indices Which pairs, in order.
 * @param padId The padding id.
 * @returns `{x, y}`, int32 (the training loop disposes them).
 * @throws {RangeError} When there is no index or an index is not one of the pairs.
 * @example
 * ```ts
 * import { pairBatch } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const pairs = [{ source: [5, 6], target: [1, 7, 2] }, { source: [8], target: [1, 9, 9, 2] }];
 * const { x, y } = pairBatch(pairs, [0, 1], 0);
 * assert.deepEqual(x.arraySync(), [[5, 6], [8, 0]]);
 * assert.deepEqual(y.arraySync(), [[1, 7, 2, 0], [1, 9, 9, 2]]);
 * ```
 */
export function pairBatch(pairs: readonly IdPair[], indices: readonly number[], padId: number): Batch {
  if (indices.length === 0) throw new RangeError("Cannot make a pair batch as indices is empty");
  const bad = indices.find((i) => !Number.isInteger(i) || i < 0 || i >= pairs.length);
  if (bad !== undefined) {
    throw new RangeError(`Cannot make a pair batch as index ${bad} is not in [0, ${pairs.length})`);
  }
  const chosen = indices.map((i) => pairs[i]);
  return { x: padIds(chosen.map((p) => p.source), padId), y: padIds(chosen.map((p) => p.target), padId) };
}

/**
 * The batches of an epoch run grouped by length: each epoch is a seeded shuffle cut into pools of `pool` batches;
 * each pool is sorted by length and cut into batches, and the batches of the epoch are shuffled. A batch is padded
 * to its longest member, so batches of similar lengths waste little compute on padding (with lengths from 2 to 26,
 * half or more of a random batch is padding). Like lib/nn's `epochBatches` it depends only on the seed and the step,
 * so a resumed run sees the same batches.
 *
 * @param lengths The length of each example (e.g. source + target tokens).
 * @param batchSize Examples per step.
 * @param opts Batches per sorted pool (default 20) and seed (default 1337).
 * @returns `stepsPerEpoch` and `indices(iter)`, the example indices of step `iter`.
 * @throws {RangeError} When there are fewer examples than a batch, or a size is not a positive integer.
 * @example
 * ```ts
 * import { bucketBatches } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const lengths = Array.from({ length: 100 }, (_, i) => 1 + (i % 10));
 * const b = bucketBatches(lengths, 10, { pool: 10 });
 * assert.equal(b.stepsPerEpoch, 10);
 * const epoch = Array.from({ length: 10 }, (_, i) => b.indices(i));
 * assert.equal(new Set(epoch.flat()).size, 100); // every example once
 * assert.ok(epoch.every((ids) => new Set(ids.map((i) => lengths[i])).size === 1)); // one length per batch here
 * ```
 */
export function bucketBatches(
  lengths: readonly number[],
  batchSize: number,
  opts: { pool?: number; seed?: number } = {},
): { stepsPerEpoch: number; indices(iter: number): number[] } {
  const { pool = 20, seed = SEED } = opts, action = "group batches by length";
  checkPositiveInteger(batchSize, "batchSize", action);
  checkPositiveInteger(pool, "pool", action);
  const n = lengths.length;
  if (batchSize > n) {
    throw new RangeError(`Cannot ${action} as batchSize ${batchSize} is larger than the ${n} examples`);
  }
  const stepsPerEpoch = Math.floor(n / batchSize);
  let cached: { epoch: number; batches: number[][] } | null = null;
  const epochOf = (epoch: number): number[][] => {
    const prng = iterPrng(seed, epoch, 2);
    const order = prng.permutation(n).slice(0, stepsPerEpoch * batchSize); // the remainder waits for another epoch
    const batches: number[][] = [];
    for (let p = 0; p < order.length; p += pool * batchSize) {
      const sorted = order.slice(p, p + pool * batchSize).sort((a, b) => lengths[a] - lengths[b] || a - b);
      for (let i = 0; i < sorted.length; i += batchSize) batches.push(sorted.slice(i, i + batchSize));
    }
    return prng.shuffle(batches);
  };
  return {
    stepsPerEpoch,
    indices(iter: number): number[] {
      checkInteger(iter, "iter", "pick a batch");
      const epoch = Math.floor(iter / stepsPerEpoch);
      if (cached?.epoch !== epoch) cached = { epoch, batches: epochOf(epoch) };
      return cached.batches[iter % stepsPerEpoch];
    },
  };
}
