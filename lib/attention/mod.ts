/**
 * lib/attention: the one attention of the course — scaled dot-product attention (causal and padding masks, a fast
 * path and a path that returns the weights), multi-head attention for self- and cross-attention with a KV cache,
 * positional encodings — and the encoder-decoder Transformer built from them (encoder and decoder blocks, the model,
 * greedy decoding and beam search, notebook 09), and the encoder of BERT with masked-language modelling (`Bert`,
 * `maskTokens`, `mlmBatch`, notebook 10).
 *
 * @example
 * ```ts
 * import { attentionWithWeights, causalMask, MultiHeadAttention, scaledDotProductAttention } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const q = tf.randomNormal([1, 2, 5, 8], 0, 1, "float32", 7);
 * const fast = scaledDotProductAttention(q, q, q, { causal: true });
 * const { output } = attentionWithWeights(q, q, q, { causal: true });
 * assert.ok(tf.max(tf.abs(tf.sub(fast, output))).dataSync()[0] < 1e-5);
 * assert.deepEqual(causalMask(3).shape, [3, 3]);
 * const cross = new MultiHeadAttention({ nEmbd: 8, nHead: 2, cross: true });
 * assert.deepEqual(cross.forward(tf.ones([1, 3, 8]), { memory: tf.ones([1, 4, 8]) }).shape, [1, 3, 8]);
 * cross.dispose();
 * ```
 *
 * @module
 */
export * from "./scaled_dot_product.ts";
export * from "./padding_mask.ts";
export * from "./kv_cache.ts";
export * from "./multi_head_attention.ts";
export * from "./positional_encoding.ts";
export * from "./encoder_block.ts";
export * from "./decoder_block.ts";
export * from "./transformer.ts";
export * from "./decode.ts";
export * from "./pair_batch.ts";
export * from "./transformer_checkpoint.ts";
export * from "./attention_classifier.ts";
export * from "./bert.ts";
export * from "./mlm.ts";
