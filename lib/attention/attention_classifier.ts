/**
 * A small attention model that reads a sequence and classifies it from its last position: the attention side of
 * notebook 08's long-distance test (the recurrent side is lib/nn's `LstmClassifier`).
 *
 *     ids [B, T] or [B, T, S] → embedding, slots added, + positions [B, T, C] → nLayer EncoderBlocks
 *       → LayerNorm → the last position [B, C] → head [B, K]
 *
 * The last position is the question; its attention can weigh every earlier position directly, whatever the distance.
 * Weights are drawn with standard deviation 1/√C, as 09's Transformer draws them (GPT-2's 0.02 leaves every attention
 * uniform at this width and training sits on a plateau); the token embedding with 1, as PyTorch's `nn.Embedding`, so
 * that the tokens are not drowned by the sinusoidal positions (whose entries are ±1).
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { tr } from "../notebook/lang.ts";
import { crossEntropy } from "../nn/layers.ts";
import { checkClassTargets, embedSlots } from "../nn/lstm_classifier.ts";
import { type ForwardOptions, type Model, type ParamGroup, paramGroups, summaryBundle } from "../nn/model.ts";
import { LayerNorm, Linear } from "../nn/modules.ts";
import { Parameters } from "../nn/parameters.ts";
import { EncoderBlock } from "./encoder_block.ts";
import { sinusoidalPositions } from "./positional_encoding.ts";

/** Shape of an {@link AttentionClassifier}. */
export interface AttentionClassifierConfig {
  /** Token ids 0 … vocabSize − 1. */
  vocabSize: number;
  /** The longest sequence (rows of the positions). */
  maxLength: number;
  /** Width C. */
  nEmbd: number;
  /** Heads per block; must divide nEmbd. */
  nHead: number;
  /** Encoder blocks. */
  nLayer: number;
  /** Classes K of the answer. */
  classes: number;
  /** Fixed sinusoids (the 2017 paper) or a learned vector per position (GPT). */
  positions: "sinusoidal" | "learned";
}

/** What {@link AttentionClassifier.forward} may add: the sink for attention weights. */
export interface AttentionClassifierCall extends ForwardOptions {
  /** When given, each block pushes its attention weights `[B, H, T, T]` here (the caller disposes them). */
  attention?: tf.Tensor4D[];
}

/**
 * The attention classifier, parameters `wte.weight`, (`wpe.weight`,) `h.<i>.…` (09's encoder blocks), `ln_f`,
 * `head`.
 *
 * @example
 * ```ts
 * import { AttentionClassifier } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new AttentionClassifier({ vocabSize: 6, maxLength: 5, nEmbd: 8, nHead: 2, nLayer: 1, classes: 3,
 *   positions: "sinusoidal" });
 * const weights: tf.Tensor4D[] = [];
 * const { logits } = model.forward(tf.tensor3d([[[1, 2], [3, 4], [5, 5]]], [1, 3, 2], "int32"), undefined, { attention: weights });
 * assert.deepEqual(logits.shape, [1, 3]);
 * assert.deepEqual(weights[0].shape, [1, 2, 3, 3]); // one layer: batch, heads, queries, keys
 * tf.dispose(weights);
 * model.dispose();
 * ```
 */
export class AttentionClassifier implements Model {
  /** The config. */
  readonly config: Readonly<AttentionClassifierConfig>;
  /** Trainable weights by name. */
  readonly params = new Parameters("attn-cls");
  /** The blocks. */
  readonly blocks: EncoderBlock[] = [];
  readonly #lnF: LayerNorm;
  readonly #head: Linear;
  /** The sinusoidal positions `[maxLength, C]` (fixed, not a parameter), or null when learned. */
  readonly #positions: tf.Tensor2D | null;

  /**
   * @param config Vocabulary, longest sequence, width, heads, blocks, classes, positions.
   * @param seed Seed or generator of the initial weights.
   * @throws {RangeError} When a size is invalid or positions is neither "sinusoidal" nor "learned".
   */
  constructor(config: AttentionClassifierConfig, seed: number | Prng = SEED) {
    const action = "create an AttentionClassifier";
    for (const key of ["vocabSize", "maxLength", "nEmbd", "nHead", "nLayer", "classes"] as const) {
      checkPositiveInteger(config?.[key], `config.${key}`, action);
    }
    if (config.positions !== "sinusoidal" && config.positions !== "learned") {
      throw new RangeError(
        `Cannot ${action} as positions must be "sinusoidal" or "learned": current value is ${config.positions}`,
      );
    }
    if (config.positions === "sinusoidal" && config.nEmbd % 2 !== 0) {
      throw new RangeError(
        `Cannot ${action} as sinusoidal positions need an even nEmbd: current value is ${config.nEmbd}`,
      );
    }
    this.config = Object.freeze({ ...config });
    const { vocabSize: v, maxLength, nEmbd: c, nHead, nLayer, classes } = this.config;
    const prng = toPrng(seed), std = 1 / Math.sqrt(c);
    this.params.add("wte.weight", tf.randomNormal([v, c], 0, 1, "float32", prng.tfSeed()));
    if (config.positions === "learned") {
      this.params.add("wpe.weight", tf.randomNormal([maxLength, c], 0, 0.02, "float32", prng.tfSeed()));
    }
    const init = { seed: prng, std, projStd: std / Math.sqrt(2 * nLayer) };
    for (let i = 0; i < nLayer; i++) {
      this.blocks.push(new EncoderBlock(this.params, `h.${i}.`, { nEmbd: c, nHead, bias: true, dropout: 0 }, init));
    }
    this.#lnF = new LayerNorm(this.params, "ln_f", c, true);
    this.#head = new Linear(this.params, "head", c, classes, { bias: true, std, seed: prng });
    this.#positions = config.positions === "sinusoidal" ? tf.keep(sinusoidalPositions(maxLength, c)) : null;
  }

  /**
   * Reads each sequence and scores the classes from the last position.
   *
   * @param x Ids `[B, T]` or `[B, T, S]` (int32), T ≤ maxLength.
   * @param y Classes `[B]` (int32) for the loss.
   * @param opts `attention`: a sink for each block's attention weights.
   * @returns Logits `[B, K]` and the mean cross-entropy when y is given.
   * @throws {RangeError} When x or y has the wrong shape or type, or T > maxLength.
   */
  forward(x: tf.Tensor, y?: tf.Tensor, opts: AttentionClassifierCall = {}): { logits: tf.Tensor2D; loss?: tf.Scalar } {
    const action = "run the AttentionClassifier";
    const { maxLength, nEmbd: c } = this.config;
    if (x instanceof tf.Tensor && x.rank >= 2 && x.shape[1]! > maxLength) {
      throw new RangeError(
        `Cannot ${action} as sequences must be at most ${maxLength} long: current length is ${x.shape[1]}`,
      );
    }
    return tf.tidy(() => {
      const tok = embedSlots(this.params.get("wte.weight")! as tf.Tensor2D, x, action); // [B, T, C]
      if (y !== undefined) checkClassTargets(y, x.shape[0], action);
      const [b, t] = tok.shape;
      const table = this.#positions ?? this.params.get("wpe.weight")!;
      let h = tf.add(tok, table.slice([0, 0], [t, c])) as tf.Tensor3D; // [B, T, C]
      for (const block of this.blocks) h = block.forward(h, { weights: opts.attention });
      const last = h.slice([0, t - 1, 0], [b, 1, c]).reshape([b, c]); // the question's position
      const logits = this.#head.forward(this.#lnF.forward(last)) as tf.Tensor2D; // [B, K]
      return y === undefined ? { logits } : { logits, loss: crossEntropy(logits, y as tf.Tensor1D) };
    });
  }

  /**
   * Each block's attention weights for a batch, as numbers: `[layer][b][head][query][key]`.
   *
   * @param x Ids as for {@link forward}.
   * @returns The weights, one array per block.
   */
  async attentionWeights(x: tf.Tensor): Promise<number[][][][][]> {
    const weights: tf.Tensor4D[] = [];
    const { logits } = this.forward(x, undefined, { attention: weights });
    try {
      return await Promise.all(weights.map((w) => w.array()));
    } finally {
      tf.dispose([logits, ...weights]);
    }
  }

  /** Number of trainable numbers (the sinusoidal positions are fixed, not counted). */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by group (`wte`, `wpe`, `h`, `ln_f`, `head`). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /** Shown in a notebook: the shape and the parameter table. */
  [DISPLAY](): MimeBundle {
    const { nLayer, nHead, nEmbd, positions } = this.config;
    const n = this.numParams().toLocaleString("en");
    const pos = positions === "sinusoidal" ? "正弦" : "可学习的";
    return summaryBundle(
      tr(
        `Attention classifier: ${nLayer} block${nLayer > 1 ? "s" : ""}, ${nHead} heads, width ${nEmbd}, ` +
          `${positions} positions: ${n} parameters`,
        `注意力分类器：${nLayer} 个块，${nHead} 个头，宽度 ${nEmbd}，${pos}位置编码：${n} 个参数`,
      ),
      this.summary(),
    );
  }

  /** Frees the weights and the positions. */
  dispose(): void {
    this.params.dispose();
    this.#positions?.dispose();
  }
}
