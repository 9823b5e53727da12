/**
 * The batcher of every language model of the course: random windows of a token sequence, each with its targets (the
 * same window shifted by one token) — nanoGPT's `get_batch`.
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/**
 * Draws `batchSize` random windows of `blockSize + 1` tokens: x is each window's first T tokens, y its last T.
 *
 * @param data Token ids.
 * @param blockSize Context length T.
 * @param batchSize Number of windows B.
 * @param prng The generator choosing window starts.
 * @returns A batch `{x, y}` for `train`, both `[B, T]` int32 (caller disposes).
 * @throws {RangeError} When the data is shorter than blockSize + 1 tokens, or a size is not a positive integer.
 * @example
 * ```ts
 * import { getBatch } from "@lib/nn/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = getBatch([0, 1, 2, 3, 4, 5], 3, 2, new Prng(1));
 * const [xs, ys] = [x.arraySync(), y.arraySync()];
 * assert.deepEqual(ys[0], xs[0].map((t) => t + 1));
 * ```
 */
export function getBatch(
  data: ArrayLike<number>,
  blockSize: number,
  batchSize: number,
  prng: Prng,
): { x: tf.Tensor2D; y: tf.Tensor2D } {
  checkPositiveInteger(blockSize, "blockSize", "draw a batch");
  checkPositiveInteger(batchSize, "batchSize", "draw a batch");
  if (data.length < blockSize + 1) {
    throw new RangeError(
      `Cannot draw a batch as the data has ${data.length} tokens: it needs at least blockSize + 1 = ${blockSize + 1}`,
    );
  }
  const xs = new Int32Array(batchSize * blockSize), ys = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = prng.int(data.length - blockSize);
    for (let t = 0; t < blockSize; t++) {
      xs[b * blockSize + t] = data[start + t];
      ys[b * blockSize + t] = data[start + t + 1];
    }
  }
  return { x: tf.tensor2d(xs, [batchSize, blockSize], "int32"), y: tf.tensor2d(ys, [batchSize, blockSize], "int32") };
}
