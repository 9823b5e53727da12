/**
 * Padding: sequences of a batch padded to one length ({@link padIds}), and the mask that keeps attention off the
 * padding ({@link paddingMask}).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkInteger } from "../core/validate.ts";

/**
 * Pads token-id sequences of different lengths to one length (padding at the end) in an int32 `[B, T]` tensor, the
 * input {@link paddingMask} reads.
 *
 * @param sequences The id sequences (at least one).
 * @param padId The padding token's id.
 * @param length T (default: the longest sequence).
 * @returns `[B, T]` int32.
 * @throws {RangeError} When there is no sequence, an id or padId is not an integer ≥ 0, or a sequence is longer than
 *   `length`.
 * @example
 * ```ts
 * import { padIds } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(padIds([[5, 6], [7]], 0).arraySync(), [[5, 6], [7, 0]]);
 * ```
 */
export function padIds(sequences: readonly (readonly number[])[], padId: number, length?: number): tf.Tensor2D {
  const action = "pad token ids";
  if (!Array.isArray(sequences) || sequences.length === 0) {
    throw new RangeError(`Cannot ${action} as sequences must be a non-empty array: current value is ${sequences}`);
  }
  checkInteger(padId, "padId", action);
  const t = length ?? Math.max(...sequences.map((s) => s.length));
  checkInteger(t, "length", action, 1);
  const data = new Int32Array(sequences.length * t).fill(padId);
  sequences.forEach((s: readonly number[], i: number) => {
    if (s.length > t) {
      throw new RangeError(`Cannot ${action} as sequence ${i} has ${s.length} ids, more than the length ${t}`);
    }
    s.forEach((id: number, j: number) => {
      if (!Number.isInteger(id) || id < 0) {
        throw new RangeError(`Cannot ${action} as sequence ${i} holds ${id} at ${j}: ids are integers ≥ 0`);
      }
      data[i * t + j] = id;
    });
  });
  return tf.tensor2d(data, [sequences.length, t], "int32");
}

/**
 * A keep-mask `[B, 1, 1, T]` (1 = a real token, 0 = padding) for {@link scaledDotProductAttention}'s `mask`, which
 * broadcasts it over heads and queries.
 *
 * @param ids Token ids `[B, T]` (int32).
 * @param padId The padding token's id.
 * @returns A float32 `[B, 1, 1, T]` tensor.
 * @throws {RangeError} When ids is not `[B, T]`.
 * @throws {TypeError} When ids is not int32.
 * @example
 * ```ts
 * import { paddingMask } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const mask = paddingMask(tf.tensor2d([[5, 6, 0]], [1, 3], "int32"), 0);
 * assert.deepEqual(mask.arraySync(), [[[[1, 1, 0]]]]);
 * ```
 */
export function paddingMask(ids: tf.Tensor, padId: number): tf.Tensor4D {
  if (ids.rank !== 2) {
    throw new RangeError(`Cannot create padding mask as ids must be [B, T]: current shape is [${ids.shape}]`);
  }
  if (ids.dtype !== "int32") {
    throw new TypeError(`Cannot create padding mask as ids must be int32: current dtype is ${ids.dtype}`);
  }
  const [b, t] = ids.shape;
  return tf.tidy(() => tf.cast(tf.notEqual(ids, padId), "float32").reshape([b, 1, 1, t])); // [B, 1, 1, T]
}
