/**
 * lib/attention: scaled dot-product attention (fast path and a path that returns weights) and causal masks.
 *
 * @example
 * ```ts
 * import { attentionWithWeights, causalMask, scaledDotProductAttention } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const q = tf.randomNormal([1, 2, 5, 8], 0, 1, "float32", 7);
 * const fast = scaledDotProductAttention(q, q, q, { causal: true });
 * const { output } = attentionWithWeights(q, q, q, { causal: true });
 * assert.ok(tf.max(tf.abs(tf.sub(fast, output))).dataSync()[0] < 1e-5);
 * assert.deepEqual(causalMask(3).shape, [3, 3]);
 * ```
 *
 * @module
 */
export * from "./scaled_dot_product.ts";
