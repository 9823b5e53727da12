/**
 * Batches of chat examples for supervised fine-tuning: each row one example, shifted by one (inputs `x`, next-token
 * targets `y`), right-padded to the longest example of the batch, with loss weights that are the response mask —
 * 1 on the answer's tokens, 0 on the prompt, the role tokens and the padding. The GPT's cross-entropy is
 * `Σ w·nll / Σ w`, so the prompt contributes nothing to the loss and nothing to the gradient: the model is taught to
 * answer, not to write instructions.
 *
 * Padding sits after the example and the attention is causal, so no real token ever looks at it.
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import type { Batch } from "../nn/train.ts";
import type { EncodedChat } from "./chat_template.ts";

/**
 * Stacks encoded examples into one batch `{x, y, weights}` of shape `[B, T]`, T the longest example less one.
 *
 * @param examples Encoded chats ({@link encodeChat}), each at least 2 tokens long.
 * @param padId The id written in the padding (its weight is 0; any id of the vocabulary).
 * @param blockSize The model's context: an example longer than blockSize + 1 tokens is an error.
 * @returns int32 `x` and `y`, float32 `weights` (the caller disposes them).
 * @throws {RangeError} For no examples, an example of fewer than 2 tokens or longer than blockSize + 1, or a mask
 *   that does not match its ids.
 * @example
 * ```ts
 * import { chatBatch } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const a = { ids: [7, 1, 8, 2, 9], mask: [0, 0, 1, 1], promptLength: 3 };
 * const b = { ids: [7, 1, 8, 3], mask: [0, 1, 1], promptLength: 2 };
 * const { x, y, weights } = chatBatch([a, b], 0, 16);
 * assert.deepEqual(x.arraySync(), [[7, 1, 8, 2], [7, 1, 8, 0]]);
 * assert.deepEqual(y.arraySync(), [[1, 8, 2, 9], [1, 8, 3, 0]]);
 * assert.deepEqual(weights!.arraySync(), [[0, 0, 1, 1], [0, 1, 1, 0]]);
 * ```
 */
export function chatBatch(examples: readonly EncodedChat[], padId: number, blockSize: number): Batch {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new RangeError("Cannot build a chat batch from no examples: give at least one encoded chat");
  }
  checkPositiveInteger(blockSize, "blockSize", "build a chat batch");
  const t = Math.max(...examples.map((e) => e.ids.length)) - 1;
  const b = examples.length;
  const x = new Int32Array(b * t).fill(padId), y = new Int32Array(b * t).fill(padId), w = new Float32Array(b * t);
  examples.forEach((e, row) => {
    const n = e.ids.length - 1;
    if (n < 1 || n > blockSize) {
      throw new RangeError(
        `Cannot build a chat batch as example ${row} has ${e.ids.length} tokens: it needs 2 to blockSize + 1 = ` +
          `${blockSize + 1}`,
      );
    }
    if (e.mask.length !== n) {
      throw new RangeError(
        `Cannot build a chat batch as example ${row}'s mask has ${e.mask.length} entries: its ${e.ids.length} ids ` +
          `need ${n}`,
      );
    }
    for (let i = 0; i < n; i++) {
      x[row * t + i] = e.ids[i];
      y[row * t + i] = e.ids[i + 1];
      w[row * t + i] = e.mask[i];
    }
  });
  return {
    x: tf.tensor2d(x, [b, t], "int32"),
    y: tf.tensor2d(y, [b, t], "int32"),
    weights: tf.tensor2d(w, [b, t], "float32"),
  };
}

/**
 * A batch source for lib/nn's `train`: each call draws `batchSize` examples at random (with replacement, from the
 * loop's generator, so a resumed run draws the same batches) and stacks them with {@link chatBatch}.
 *
 * @param examples The encoded training chats.
 * @param batchSize Examples per batch.
 * @param padId The padding id.
 * @param blockSize The model's context.
 * @returns `(iter, prng) => Batch`.
 * @throws {RangeError} For no examples or a batch size that is not a positive integer.
 * @example
 * ```ts
 * import { chatBatches } from "@lib/rlhf/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const source = chatBatches([{ ids: [1, 2, 3], mask: [0, 1], promptLength: 2 }], 4, 0, 8);
 * const { x, y, weights } = source(0, new Prng(1));
 * assert.deepEqual(x.shape, [4, 2]);
 * [x, y, weights!].forEach((t) => t.dispose());
 * ```
 */
export function chatBatches(
  examples: readonly EncodedChat[],
  batchSize: number,
  padId: number,
  blockSize: number,
): (iter: number, prng: Prng) => Batch {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new RangeError("Cannot draw chat batches from no examples: give at least one encoded chat");
  }
  checkPositiveInteger(batchSize, "batchSize", "draw chat batches");
  return (_iter, prng) => {
    const rows = Array.from({ length: batchSize }, () => examples[prng.int(examples.length)]);
    return chatBatch(rows, padId, blockSize);
  };
}
