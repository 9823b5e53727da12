/**
 * A BERT-style encoder (Devlin et al. 2018) for masked-language modelling (完形填空), built from the encoder blocks of
 * lib/attention: token + learned position embeddings, nLayer {@link EncoderBlock}s (self-attention with no causal
 * mask: every position sees both sides), a final LayerNorm, and an output head tied to the token embedding that
 * predicts, at every position, which token stands there.
 *
 * It is the GPT of lib/gpt with one change, the mask of its attention: same parameter names and initialisation
 * (GPT-2's normal std 0.02, residual projections 0.02/√(2·nLayer)), same size for the same shape. BERT itself has
 * more around the same core — a segment embedding and next-sentence prediction (which RoBERTa, 2019, showed it does
 * not need), a dense + GELU + LayerNorm transform before the output head — which we leave out so that the encoder and
 * the decoder of notebook 10 differ only in what they see and what they are trained to predict.
 *
 * @module
 */
import { type Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy, dropout, embedding, linearTied } from "../nn/layers.ts";
import { type ForwardOptions, type Model, type ParamGroup, paramGroups, summaryBundle } from "../nn/model.ts";
import { LayerNorm } from "../nn/modules.ts";
import { Parameters } from "../nn/parameters.ts";
import { EncoderBlock } from "./encoder_block.ts";

/** The shape of a {@link Bert}: the fields of lib/gpt's `GptConfig`, so one object can build both. */
export interface BertConfig {
  /** Number of distinct tokens, the mask token included. */
  vocabSize: number;
  /** The longest input (rows of the position embedding). */
  blockSize: number;
  /** Encoder blocks. */
  nLayer: number;
  /** Attention heads per block; must divide nEmbd. */
  nHead: number;
  /** Width of the residual stream. */
  nEmbd: number;
  /** Dropout rate in [0, 1) (0 = off). */
  dropout: number;
  /** Biases in the linear layers and LayerNorms. */
  bias: boolean;
}

/** A small encoder for tests: 2 layers, 2 heads, 16 wide, inputs of up to 8 tokens, 12 tokens. */
export const BERT_TINY: Readonly<BertConfig> = Object.freeze({
  vocabSize: 12,
  blockSize: 8,
  nLayer: 2,
  nHead: 2,
  nEmbd: 16,
  dropout: 0,
  bias: true,
});

/**
 * Validates a config (every field is required: the encoder of notebook 10 takes the GPT's shape).
 *
 * @param config The shape.
 * @returns A frozen copy.
 * @throws {RangeError} When a size is not a positive integer, nHead does not divide nEmbd, or dropout is outside [0, 1).
 * @throws {TypeError} When bias is not a boolean.
 * @example
 * ```ts
 * import { BERT_TINY, bertConfig } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(bertConfig({ ...BERT_TINY, nEmbd: 32 }).nEmbd, 32);
 * assert.throws(() => bertConfig({ ...BERT_TINY, nHead: 3 }), /nHead must divide nEmbd/);
 * ```
 */
export function bertConfig(config: BertConfig): Readonly<BertConfig> {
  for (const name of ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const) {
    checkPositiveInteger(config?.[name], name, "build a BERT encoder");
  }
  if (config.nEmbd % config.nHead !== 0) {
    throw new RangeError(
      `Cannot build a BERT encoder as nHead must divide nEmbd: current values are nHead=${config.nHead}, ` +
        `nEmbd=${config.nEmbd}`,
    );
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new RangeError(
      `Cannot build a BERT encoder as dropout must be in [0, 1): current value is ${config.dropout}`,
    );
  }
  if (typeof config.bias !== "boolean") {
    throw new TypeError(`Cannot build a BERT encoder as bias must be true or false: current value is ${config.bias}`);
  }
  const { vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias } = config;
  return Object.freeze({ vocabSize, blockSize, nLayer, nHead, nEmbd, dropout, bias });
}

/** What {@link Bert.forward} can be asked for besides the training options of lib/nn. */
export interface BertForwardOptions extends ForwardOptions {
  /** Collect each layer's attention weights `[B, H, T, T]` (slower path, for plots). */
  attention?: boolean;
  /** Keep-mask of the real positions `[B, 1, 1, T]` (lib/attention's `paddingMask`) for padded batches. */
  mask?: tf.Tensor;
}

/** What {@link Bert.forward} returns. */
export interface BertForwardResult {
  /** Logits `[B, T, V]`: at each position, which token stands there. */
  logits: tf.Tensor3D;
  /** Mean cross-entropy over the targets that are not −1 (when targets were given). */
  loss?: tf.Scalar;
  /** Per-layer attention weights `[B, H, T, T]` (when `attention: true`). */
  attention?: tf.Tensor4D[];
}

/**
 * The encoder with its masked-language-model head.
 *
 * @example
 * ```ts
 * import { Bert, BERT_TINY } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Bert(BERT_TINY);
 * const x = tf.tensor2d([[1, 11, 3]], [1, 3], "int32"); // 11: the mask token, say
 * const y = tf.tensor2d([[-1, 2, -1]], [1, 3], "int32"); // only the masked position is a target
 * const { logits, loss } = model.forward(x, y);
 * assert.deepEqual(logits.shape, [1, 3, 12]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(12)) < 0.5);
 * model.dispose();
 * ```
 */
export class Bert implements Model {
  /** The validated config. */
  readonly config: Readonly<BertConfig>;
  /** All parameters, with the GPT's names (`wte.weight`, `h.0.attn.c_attn.weight`, …). */
  readonly params = new Parameters("bert");
  readonly blocks: EncoderBlock[] = [];
  readonly #lnF: LayerNorm;

  /**
   * @param config The shape (see {@link bertConfig}).
   * @param seed Seed or generator of the initial weights.
   * @param std Standard deviation of the blocks' linear weights (default GPT-2's 0.02; the residual projections get
   *   std/√(2·nLayer)). The embeddings are always drawn with 0.02.
   * @throws {RangeError} When the config is invalid or std is not a positive number.
   */
  constructor(config: BertConfig, seed: number | Prng = SEED, std = 0.02) {
    this.config = bertConfig(config);
    if (!(std > 0 && Number.isFinite(std))) {
      throw new RangeError(`Cannot build a BERT encoder as std must be a positive number: current value is ${std}`);
    }
    const { vocabSize: v, blockSize: t, nLayer, nEmbd: c, nHead, bias, dropout } = this.config;
    const prng = toPrng(seed), projStd = std / Math.sqrt(2 * nLayer);
    this.params.add("wte.weight", tf.randomNormal([v, c], 0, 0.02, "float32", prng.tfSeed()));
    this.params.add("wpe.weight", tf.randomNormal([t, c], 0, 0.02, "float32", prng.tfSeed()));
    for (let i = 0; i < nLayer; i++) {
      const shape = { nEmbd: c, nHead, bias, dropout };
      this.blocks.push(new EncoderBlock(this.params, `h.${i}.`, shape, { seed: prng, std, projStd }));
    }
    this.#lnF = new LayerNorm(this.params, "ln_f", c, bias);
  }

  /**
   * Runs the encoder on a batch of token ids.
   *
   * @param idx Token ids `[B, T]` (int32), 1 ≤ T ≤ blockSize.
   * @param targets The token at each position `[B, T]` (int32), −1 where there is nothing to predict.
   * @param opts Training mode, dropout seed, loss weights, attention maps, a padding mask.
   * @returns Logits `[B, T, V]`, the loss when targets were given, the attention maps when asked for (the caller
   *   disposes every tensor returned).
   * @throws {RangeError} When idx is not `[B, T]` with 1 ≤ T ≤ blockSize or targets do not match it.
   * @throws {TypeError} When idx is not int32.
   */
  forward(idx: tf.Tensor, targets?: tf.Tensor, opts: BertForwardOptions = {}): BertForwardResult {
    const { blockSize, nEmbd: c, dropout: rate } = this.config;
    const [b, t] = idx.shape;
    if (idx.rank !== 2 || !(t! >= 1 && t! <= blockSize)) {
      throw new RangeError(
        `Cannot run the encoder as idx must be [B, T] with 1 ≤ T ≤ blockSize ${blockSize}: current shape is ` +
          `[${idx.shape}]`,
      );
    }
    if (idx.dtype !== "int32") {
      throw new TypeError(`Cannot run the encoder as idx must be int32 token ids: current dtype is ${idx.dtype}`);
    }
    for (const [name, x] of [["targets", targets], ["weights", opts.weights]] as const) {
      if (x && x.shape.join() !== idx.shape.join()) {
        throw new RangeError(
          `Cannot run the encoder as ${name} must have the shape of idx [${idx.shape}]: current shape is [${x.shape}]`,
        );
      }
    }
    const prng = opts.training && rate > 0 ? toPrng(opts.seed) : null;
    const maps: tf.Tensor4D[] | undefined = opts.attention ? [] : undefined;
    const [logits, loss] = tf.tidy(() => {
      const tok = embedding<tf.Tensor3D>(this.param("wte.weight"), idx); // [B, T, C]
      const pos = this.param("wpe.weight").slice([0, 0], [t!, c]); // [T, C]
      let x = dropout(tf.add(tok, pos) as tf.Tensor3D, rate, prng); // [B, T, C]
      for (const block of this.blocks) x = block.forward(x, { mask: opts.mask, prng, weights: maps });
      const logits = linearTied(this.#lnF.forward(x), this.param("wte.weight")); // [B, T, V]
      if (!targets) return [logits];
      const w = opts.weights ? opts.weights.reshape([-1]) as tf.Tensor1D : null;
      return [logits, crossEntropy(logits.reshape([b * t!, -1]), targets.reshape([-1]), w)]; // over [B·T, V]
    });
    return { logits: logits as tf.Tensor3D, loss: loss as tf.Scalar | undefined, attention: maps };
  }

  /**
   * The parameter called `name`.
   * @throws {RangeError} For a name the model does not have.
   */
  param<T extends tf.Tensor = tf.Tensor2D>(name: string): T {
    const p = this.params.get(name);
    if (!p) throw new RangeError(`Cannot find encoder parameter "${name}": names look like h.0.attn.c_attn.weight`);
    return p as unknown as T;
  }

  /** Number of parameters. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by group: `wte`, `wpe`, per block `h.i.ln`, `h.i.attn`, `h.i.mlp`, and `ln_f`. */
  summary(): ParamGroup[] {
    return paramGroups(this.params, (name) => {
      const parts = name.split(".");
      if (parts[0] !== "h") return parts[0];
      return parts[2].startsWith("ln") ? `h.${parts[1]}.ln` : parts.slice(0, 3).join(".");
    });
  }

  /** Shown in a notebook: the shape and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const { nLayer, nHead, nEmbd, blockSize, vocabSize } = this.config;
    const head = `BERT encoder: ${nLayer} layers, ${nHead} heads, ${nEmbd} wide, context ${blockSize}, ` +
      `vocabulary ${vocabSize}: ${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees every parameter. */
  dispose(): void {
    this.params.dispose();
  }
}
