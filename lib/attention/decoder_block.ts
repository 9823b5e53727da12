/**
 * One block of a Transformer's decoder: causal self-attention over the output written so far, cross-attention from
 * those positions to the encoder's output (the "memory": queries from the decoder, keys and values from the source),
 * then the MLP. Pre-LayerNorm, like the encoder block:
 * `x = x + self(ln_1(x))`, `x = x + cross(ln_2(x), memory)`, `x = x + mlp(ln_3(x))`.
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { dropout } from "../nn/layers.ts";
import { LayerNorm, MLP } from "../nn/modules.ts";
import type { Parameters } from "../nn/parameters.ts";
import type { LayerKv } from "./kv_cache.ts";
import type { BlockShape } from "./encoder_block.ts";
import { type AttentionInit, MultiHeadAttention } from "./multi_head_attention.ts";

/** What one call of a decoder block takes besides its input. */
export interface DecoderCall {
  /** The encoder's output `[B, S, C]`. */
  memory: tf.Tensor3D;
  /** Keep-mask of the source's real positions `[B, 1, 1, S]`: cross-attention never reads padding. */
  memoryMask?: tf.Tensor;
  /** Generation: the self-attention's cache (extended) and the cross-attention's (the memory's keys, made once). */
  cache?: { self: LayerKv; cross: LayerKv };
  /** Dropout generator (training), or null. */
  prng?: Prng | null;
  /** When given, the self-attention pushes its weights `[B, H, T, T]` to `self`, the cross-attention `[B, H, T, S]`
   * to `cross`. */
  weights?: { self: tf.Tensor4D[]; cross: tf.Tensor4D[] };
}

/**
 * A pre-LayerNorm decoder block with parameters `<prefix>ln_1`, `attn` (causal), `ln_2`, `cross` (cross-attention),
 * `ln_3`, `mlp`.
 *
 * @example
 * ```ts
 * import { DecoderBlock } from "@lib/attention/mod.ts";
 * import { Parameters } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters();
 * const block = new DecoderBlock(params, "dec.0.", { nEmbd: 8, nHead: 2, bias: true, dropout: 0 });
 * const y = block.forward(tf.ones([2, 3, 8]), { memory: tf.ones([2, 5, 8]) }); // 3 output positions, 5 source
 * assert.deepEqual(y.shape, [2, 3, 8]);
 * params.dispose();
 * ```
 */
export class DecoderBlock {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly cross: MultiHeadAttention;
  readonly ln3: LayerNorm;
  readonly mlp: MLP;
  readonly #rate: number;

  /**
   * @param params The model's parameters to add to.
   * @param prefix Prefix of the names, e.g. `dec.0.`.
   * @param shape Width, heads, biases, dropout.
   * @param init Seed and standard deviations of the weights (the output projections get `projStd`).
   * @throws {RangeError} When a size is invalid (see {@link MultiHeadAttention}).
   */
  constructor(params: Parameters, prefix: string, shape: BlockShape, init: AttentionInit = {}) {
    const { nEmbd: c, nHead, bias } = shape;
    this.ln1 = new LayerNorm(params, prefix + "ln_1", c, bias);
    this.attn = new MultiHeadAttention({ nEmbd: c, nHead, bias, causal: true }, params, prefix + "attn.", init);
    this.ln2 = new LayerNorm(params, prefix + "ln_2", c, bias);
    this.cross = new MultiHeadAttention({ nEmbd: c, nHead, bias, cross: true }, params, prefix + "cross.", init);
    this.ln3 = new LayerNorm(params, prefix + "ln_3", c, bias);
    this.mlp = new MLP(params, prefix + "mlp.", c, { bias, std: init.std, projStd: init.projStd, seed: init.seed });
    this.#rate = shape.dropout;
  }

  /**
   * @param x The output positions `[B, T, C]` (with a cache: only the new ones).
   * @param call Memory, its mask, caches, dropout, weights sinks.
   * @returns `[B, T, C]`.
   */
  forward(x: tf.Tensor3D, call: DecoderCall): tf.Tensor3D {
    const prng = call.prng ?? null, rate = this.#rate;
    return tf.tidy(() => {
      const s = this.attn.forward(this.ln1.forward(x), { cache: call.cache?.self, weights: call.weights?.self });
      let h = tf.add(x, dropout(s, rate, prng)) as tf.Tensor3D; // [B, T, C]
      const c = this.cross.forward(this.ln2.forward(h), {
        memory: call.memory,
        mask: call.memoryMask,
        cache: call.cache?.cross,
        weights: call.weights?.cross,
      });
      h = tf.add(h, dropout(c, rate, prng)) as tf.Tensor3D;
      return tf.add(h, dropout(this.mlp.forward(this.ln3.forward(h)), rate, prng)) as tf.Tensor3D;
    });
  }
}
