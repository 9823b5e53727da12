/**
 * The padding mask: sequences of a batch padded to one length must not attend to their padding.
 *
 * @module
 */
import { tf } from "../core/mod.ts";

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
