/**
 * One block of a Transformer's encoder: every position attends to every other (no causal mask; a padding mask hides
 * the padding), then the same MLP runs at every position. Pre-LayerNorm, as GPT-2:
 * `x = x + attn(ln_1(x))`, then `x = x + mlp(ln_2(x))` (the 2017 paper put the LayerNorm after each residual sum;
 * before it, training is stable without a learning-rate warm-up).
 *
 * @module
 */
import { type Prng, tf } from "../core/mod.ts";
import { dropout } from "../nn/layers.ts";
import { LayerNorm, MLP } from "../nn/modules.ts";
import type { Parameters } from "../nn/parameters.ts";
import { type AttentionInit, MultiHeadAttention } from "./multi_head_attention.ts";

/** The shape of a block: width, heads, biases, dropout. */
export interface BlockShape {
  /** Width C of the residual stream. */
  nEmbd: number;
  /** Attention heads; must divide nEmbd. */
  nHead: number;
  /** Biases in the linear layers and LayerNorms. */
  bias: boolean;
  /** Dropout rate on each sublayer's output (0 = off). */
  dropout: number;
}

/** What one call of a block takes besides its input. */
export interface EncoderCall {
  /** Keep-mask of the real positions, `[B, 1, 1, S]` (lib/attention's `paddingMask`). */
  mask?: tf.Tensor;
  /** Dropout generator (training), or null. */
  prng?: Prng | null;
  /** When given, the self-attention pushes its weights `[B, H, S, S]` here. */
  weights?: tf.Tensor4D[];
}

/**
 * A pre-LayerNorm encoder block with parameters `<prefix>ln_1`, `attn`, `ln_2`, `mlp`.
 *
 * @example
 * ```ts
 * import { EncoderBlock } from "@lib/attention/mod.ts";
 * import { Parameters } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters();
 * const block = new EncoderBlock(params, "enc.0.", { nEmbd: 8, nHead: 2, bias: true, dropout: 0 });
 * assert.deepEqual(block.forward(tf.ones([2, 5, 8])).shape, [2, 5, 8]);
 * params.dispose();
 * ```
 */
export class EncoderBlock {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly mlp: MLP;
  readonly #rate: number;

  /**
   * @param params The model's parameters to add to.
   * @param prefix Prefix of the names, e.g. `enc.0.`.
   * @param shape Width, heads, biases, dropout.
   * @param init Seed and standard deviations of the weights (the output projections get `projStd`).
   * @throws {RangeError} When a size is invalid (see {@link MultiHeadAttention}).
   */
  constructor(params: Parameters, prefix: string, shape: BlockShape, init: AttentionInit = {}) {
    const { nEmbd: c, nHead, bias } = shape;
    this.ln1 = new LayerNorm(params, prefix + "ln_1", c, bias);
    this.attn = new MultiHeadAttention({ nEmbd: c, nHead, bias }, params, prefix + "attn.", init);
    this.ln2 = new LayerNorm(params, prefix + "ln_2", c, bias);
    this.mlp = new MLP(params, prefix + "mlp.", c, { bias, std: init.std, projStd: init.projStd, seed: init.seed });
    this.#rate = shape.dropout;
  }

  /**
   * @param x The source positions `[B, S, C]`.
   * @param call Padding mask, dropout, weights sink.
   * @returns `[B, S, C]`.
   */
  forward(x: tf.Tensor3D, call: EncoderCall = {}): tf.Tensor3D {
    const prng = call.prng ?? null;
    return tf.tidy(() => {
      const a = this.attn.forward(this.ln1.forward(x), { mask: call.mask, weights: call.weights });
      const h = tf.add(x, dropout(a, this.#rate, prng)) as tf.Tensor3D; // [B, S, C]
      return tf.add(h, dropout(this.mlp.forward(this.ln2.forward(h)), this.#rate, prng)) as tf.Tensor3D;
    });
  }
}
