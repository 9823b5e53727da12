/**
 * Batches of (source, target) id pairs for an encoder-decoder: both sides padded, ready for lib/nn's training loop.
 *
 * @module
 */
import type { Batch } from "../nn/train.ts";
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
