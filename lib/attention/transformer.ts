/**
 * The encoder-decoder Transformer of "Attention Is All You Need" (Vaswani et al. 2017), the model of notebook 09:
 *
 * - the **encoder** reads the whole source at once: token embedding + positions (a learned table per side, or the
 *   paper's sinusoids), then nEncLayer {@link EncoderBlock}s (self-attention with a padding mask, MLP) and a final
 *   LayerNorm: the memory `[B, S, C]`;
 * - the **decoder** writes the target one token at a time: embedding + positions, nDecLayer {@link DecoderBlock}s
 *   (causal self-attention, cross-attention to the memory, MLP), a final LayerNorm and the output head, tied to the
 *   one token embedding that source and target share.
 *
 * Nothing in it is recurrent: in training every source and every target position is computed in parallel (the target
 * with teacher forcing, the causal mask hiding the future); only generation goes step by step (decode.ts), with a
 * KV cache. As GPT-2, LayerNorm comes before each sublayer (the paper's came after).
 *
 * Parameter names: `wte.weight`, `enc.0.attn.c_attn.weight`, `enc.ln_f.weight`, `dec.0.cross.q_attn.weight`, ….
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy, dropout, embedding, linearTied } from "../nn/layers.ts";
import { type ForwardOptions, type Model, type ParamGroup, paramGroups, summaryBundle } from "../nn/model.ts";
import { LayerNorm } from "../nn/modules.ts";
import { Parameters } from "../nn/parameters.ts";
import { DecoderBlock } from "./decoder_block.ts";
import { EncoderBlock } from "./encoder_block.ts";
import { KvCache } from "./kv_cache.ts";
import { paddingMask } from "./padding_mask.ts";
import { sinusoidalPositions } from "./positional_encoding.ts";

/** The shape of an encoder-decoder Transformer and its special tokens. */
export interface TransformerConfig {
  /** Tokens of the one vocabulary that source and target share. */
  vocabSize: number;
  /** Longest source, in tokens. */
  maxSrcLen: number;
  /** Longest target sequence, `<bos>` and `<eos>` included. */
  maxTgtLen: number;
  /** Encoder blocks. */
  nEncLayer: number;
  /** Decoder blocks. */
  nDecLayer: number;
  /** Attention heads per attention; must divide nEmbd. */
  nHead: number;
  /** Width C of the residual streams; even (the sinusoidal positions come in sin/cos pairs). */
  nEmbd: number;
  /** Dropout rate in [0, 1) on the embeddings and each sublayer's output. */
  dropout: number;
  /** Biases in the linear layers and LayerNorms. */
  bias: boolean;
  /** The padding token (never attended to, never a target). */
  padId: number;
  /** The token the decoder starts from. */
  bosId: number;
  /** The token that ends a target. */
  eosId: number;
  /** Position encoding: the paper's fixed `"sinusoidal"` one, or GPT's `"learned"` vectors (`enc.wpe.weight`,
   * `dec.wpe.weight`). */
  positions: "sinusoidal" | "learned";
}

/** A very small Transformer for tests: 2 + 2 layers, 2 heads, 16 wide, 12 tokens (0 pad, 1 bos, 2 eos). */
export const TRANSFORMER_TINY: Readonly<TransformerConfig> = Object.freeze({
  vocabSize: 12,
  maxSrcLen: 8,
  maxTgtLen: 8,
  nEncLayer: 2,
  nDecLayer: 2,
  nHead: 2,
  nEmbd: 16,
  dropout: 0,
  bias: true,
  padId: 0,
  bosId: 1,
  eosId: 2,
  positions: "learned",
});

/**
 * Merges overrides onto {@link TRANSFORMER_TINY} and validates the result.
 *
 * @param overrides Fields to change.
 * @returns A frozen, valid config.
 * @throws {RangeError} When a size is not a positive integer, nHead does not divide nEmbd, nEmbd is odd, dropout is
 *   outside [0, 1), or a special token is not a distinct id of the vocabulary.
 * @throws {TypeError} When bias is not a boolean.
 * @example
 * ```ts
 * import { transformerConfig } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(transformerConfig({ nEmbd: 32 }).nEmbd, 32);
 * assert.throws(() => transformerConfig({ nEmbd: 10, nHead: 4 }), /nHead must divide nEmbd/);
 * ```
 */
export function transformerConfig(overrides: Partial<TransformerConfig> = {}): Readonly<TransformerConfig> {
  const config = { ...TRANSFORMER_TINY, ...overrides };
  const action = "build a Transformer";
  for (const name of ["vocabSize", "maxSrcLen", "maxTgtLen", "nEncLayer", "nDecLayer", "nHead", "nEmbd"] as const) {
    const v = config[name];
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`Cannot ${action} as ${name} must be a positive integer: current value is ${v}`);
    }
  }
  if (config.nEmbd % config.nHead !== 0 || config.nEmbd % 2 !== 0) {
    throw new RangeError(
      `Cannot ${action} as nHead must divide nEmbd and nEmbd must be even: current values are nHead=${config.nHead}, ` +
        `nEmbd=${config.nEmbd}`,
    );
  }
  if (config.maxTgtLen < 2) {
    throw new RangeError(
      `Cannot ${action} as maxTgtLen must hold <bos> and <eos>: current value is ${config.maxTgtLen}`,
    );
  }
  if (config.positions !== "sinusoidal" && config.positions !== "learned") {
    throw new RangeError(
      `Cannot ${action} as positions must be "sinusoidal" or "learned": current value is ${config.positions}`,
    );
  }
  if (typeof config.bias !== "boolean") {
    throw new TypeError(`Cannot ${action} as bias must be true or false: current value is ${config.bias}`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new RangeError(`Cannot ${action} as dropout must be in [0, 1): current value is ${config.dropout}`);
  }
  for (const name of ["padId", "bosId", "eosId"] as const) {
    checkInteger(config[name], name, action);
    if (config[name] >= config.vocabSize) {
      throw new RangeError(
        `Cannot ${action} as ${name} must be a token id below vocabSize ${config.vocabSize}: current value is ` +
          config[name],
      );
    }
  }
  if (new Set([config.padId, config.bosId, config.eosId]).size !== 3) {
    throw new RangeError(
      `Cannot ${action} as padId, bosId and eosId must differ: current values are ${config.padId}, ${config.bosId}, ` +
        config.eosId,
    );
  }
  return Object.freeze(config);
}

/** What {@link Transformer.forward} can be asked for besides training mode, dropout seed and loss weights. */
export interface TransformerForwardOptions extends ForwardOptions {
  /** Collect every attention's weights (slower path, for heatmaps). */
  attention?: boolean;
}

/** The weights of every attention of one forward pass, one tensor per layer. */
export interface AttentionWeights {
  /** Encoder self-attention `[B, H, S, S]`. */
  encoder: tf.Tensor4D[];
  /** Decoder causal self-attention `[B, H, T, T]`. */
  decoder: tf.Tensor4D[];
  /** Decoder cross-attention `[B, H, T, S]`: row t is the step that wrote target token t + 1. */
  cross: tf.Tensor4D[];
}

/** What {@link Transformer.forward} returns. */
export interface TransformerOutput {
  /** Next-token logits `[B, T − 1, V]` for targets of length T (`[B, 1, V]`, the first step, without targets). */
  logits: tf.Tensor3D;
  /** Mean cross-entropy over the real target tokens (when targets were given). */
  loss?: tf.Scalar;
  /** Attention weights (when `attention: true`). */
  attention?: AttentionWeights;
}

/** The encoder's output for a batch of sources: what the decoder reads. */
export interface Encoded {
  /** `[B, S, C]`. */
  memory: tf.Tensor3D;
  /** Keep-mask of the real source positions `[B, 1, 1, S]`. */
  mask: tf.Tensor4D;
}

/** Options of {@link Transformer.encode} and {@link Transformer.decode}. */
export interface TransformerPassOptions {
  /** Dropout generator (training), or null for none. */
  prng?: Prng | null;
  /** When given, every attention pushes its weights here. */
  weights?: AttentionWeights;
}

/**
 * An encoder-decoder Transformer (see the module documentation), following lib/nn's model convention: named
 * `params`, `forward(source, target)` with the loss, `numParams`, `summary`, a notebook display, `dispose`.
 *
 * Targets are whole sequences `<bos> t₁ … tₙ <eos> <pad>…`: the decoder reads all but the last position and predicts
 * each next token (teacher forcing); padding is never a target.
 *
 * @example
 * ```ts
 * import { Transformer, TRANSFORMER_TINY } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new Transformer(TRANSFORMER_TINY);
 * const src = tf.tensor2d([[5, 6, 7, 0]], [1, 4], "int32"); // 0 = padding
 * const tgt = tf.tensor2d([[1, 7, 6, 5, 2]], [1, 5], "int32"); // <bos> 7 6 5 <eos>
 * const { logits, loss } = model.forward(src, tgt);
 * assert.deepEqual(logits.shape, [1, 4, 12]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(12)) < 0.5);
 * model.dispose();
 * ```
 */
export class Transformer implements Model {
  /** The validated config. */
  readonly config: Readonly<TransformerConfig>;
  /** All parameters by name. */
  readonly params: Parameters = new Parameters("transformer");
  readonly encoder: EncoderBlock[] = [];
  readonly decoder: DecoderBlock[] = [];
  readonly #lnEnc: LayerNorm;
  readonly #lnDec: LayerNorm;
  /** The sinusoidal positions `[max(maxSrcLen, maxTgtLen), C]` (fixed, not a parameter), or null when learned. */
  readonly #positions: tf.Tensor2D | null;

  /**
   * @param config Overrides of {@link TRANSFORMER_TINY} (see {@link transformerConfig}).
   * @param seed Seed or generator of the initial weights.
   * @throws {RangeError} When the config is invalid.
   */
  constructor(config: Partial<TransformerConfig> = {}, seed: number | Prng = SEED) {
    this.config = transformerConfig(config);
    const { vocabSize: v, nEmbd: c, nEncLayer, nDecLayer, bias, maxSrcLen, maxTgtLen } = this.config;
    const prng = toPrng(seed);
    this.params.add("wte.weight", tf.randomNormal([v, c], 0, 0.02, "float32", prng.tfSeed()));
    if (this.config.positions === "learned") { // a table per side: source position p is not target position p
      const table = (rows: number) => tf.randomNormal([rows, c], 0, 0.02, "float32", prng.tfSeed());
      this.params.add("enc.wpe.weight", table(maxSrcLen));
      this.params.add("dec.wpe.weight", table(maxTgtLen - 1));
    }
    // Linear weights ~ normal(0, 1/√C), about Xavier's scale (PyTorch's nn.Transformer), with GPT-2's smaller residual
    // projections. GPT-2's 0.02 is 1/√C for C ≈ 2500: at C = 64 it leaves every attention uniform at first, and runs
    // then sat for hundreds of steps (one seed still after 1200) before finding the source-target alignment.
    const std = 1 / Math.sqrt(c);
    const init = { seed: prng, std, projStd: std / Math.sqrt(2 * (nEncLayer + nDecLayer)) };
    for (let i = 0; i < nEncLayer; i++) {
      this.encoder.push(new EncoderBlock(this.params, `enc.${i}.`, this.config, init));
    }
    this.#lnEnc = new LayerNorm(this.params, "enc.ln_f", c, bias);
    for (let i = 0; i < nDecLayer; i++) {
      this.decoder.push(new DecoderBlock(this.params, `dec.${i}.`, this.config, init));
    }
    this.#lnDec = new LayerNorm(this.params, "dec.ln_f", c, bias);
    this.#positions = this.config.positions === "sinusoidal"
      ? tf.keep(sinusoidalPositions(Math.max(maxSrcLen, maxTgtLen), c))
      : null;
  }

  /**
   * Teacher-forced pass: encodes the sources, decodes the targets but their last token, and scores each next token.
   *
   * @param source Source ids `[B, S]` (int32), padded with padId at the end, S ≤ maxSrcLen.
   * @param target Target ids `[B, T]` (int32): `<bos>`, tokens, `<eos>`, padding; 2 ≤ T ≤ maxTgtLen.
   * @param opts Training mode (dropout), its seed, per-target loss weights `[B, T − 1]`, attention weights.
   * @returns Logits `[B, T − 1, V]` (without a target: `[B, 1, V]`, the step after `<bos>`), the loss, and the
   *   attention weights when asked (the caller disposes every tensor returned).
   * @throws {RangeError} When an id tensor is not `[B, ·]` int32 within the lengths, or the batch sizes differ.
   */
  forward(source: tf.Tensor, target?: tf.Tensor, opts: TransformerForwardOptions = {}): TransformerOutput {
    const { padId, bosId, maxSrcLen, maxTgtLen, dropout: rate } = this.config;
    const [b] = checkIds(source, "source", maxSrcLen, 1);
    if (target) {
      const [tb] = checkIds(target, "target", maxTgtLen, 2);
      if (tb !== b) {
        throw new RangeError(`Cannot run the Transformer as source and target batches differ: ${b} and ${tb}`);
      }
    }
    const prng = opts.training && rate > 0 ? toPrng(opts.seed) : null;
    const weights: AttentionWeights | undefined = opts.attention ? { encoder: [], decoder: [], cross: [] } : undefined;
    const [logits, loss] = tf.tidy(() => {
      const input = target
        ? target.slice([0, 0], [b, target.shape[1]! - 1]) // [B, T − 1]: the decoder reads all but the last
        : tf.fill([b, 1], bosId, "int32");
      const enc = this.encode(source, { prng, weights });
      const logits = this.decode(input, enc, null, { prng, weights }); // [B, T − 1, V]
      if (!target) return [logits];
      const t = input.shape[1]!;
      const next = target.slice([0, 1], [b, t]); // [B, T − 1]: the tokens to predict
      const labels = tf.where(tf.equal(next, padId), tf.fill(next.shape, -1, "int32"), next); // padding: ignored
      const w = opts.weights ? opts.weights.reshape([-1]) as tf.Tensor1D : null;
      return [logits, crossEntropy(logits.reshape([b * t, -1]), labels.reshape([-1]), w)];
    });
    return { logits: logits as tf.Tensor3D, loss: loss as tf.Scalar | undefined, attention: weights };
  }

  /**
   * The encoder: source ids → memory, and the padding mask the decoder's cross-attention uses.
   *
   * @param source Source ids `[B, S]` (int32).
   * @param opts Dropout generator, attention-weights sink.
   * @returns The memory `[B, S, C]` and the mask `[B, 1, 1, S]` (the caller disposes both).
   */
  encode(source: tf.Tensor, opts: TransformerPassOptions = {}): Encoded {
    const [b, s] = checkIds(source, "source", this.config.maxSrcLen, 1);
    const rate = this.config.dropout, prng = opts.prng ?? null;
    const mask = paddingMask(source, this.config.padId); // [B, 1, 1, S]
    const memory = tf.tidy(() => {
      let x = dropout(this.#embed(source, "enc", 0, s), rate, prng); // [B, S, C]
      for (const block of this.encoder) x = block.forward(x, { mask, prng, weights: opts.weights?.encoder });
      return this.#lnEnc.forward(x).reshape([b, s, this.config.nEmbd]) as tf.Tensor3D;
    });
    return { memory, mask };
  }

  /**
   * The decoder: target ids so far → next-token logits at each position.
   *
   * @param input Decoder input ids `[B, T]` (int32), starting with `<bos>`; with a cache, only the new ones.
   * @param encoded The encoder's output for the same sources.
   * @param cache The KV cache of generation (layers 0 … L−1 self-attention, L … 2L−1 cross-attention), or null.
   * @param opts Dropout generator, attention-weights sink.
   * @returns Logits `[B, T, V]`.
   * @throws {RangeError} When the decoder would pass maxTgtLen − 1 positions.
   */
  decode(
    input: tf.Tensor,
    encoded: Encoded,
    cache: KvCache | null = null,
    opts: TransformerPassOptions = {},
  ): tf.Tensor3D {
    const past = cache?.length ?? 0, { maxTgtLen, dropout: rate } = this.config;
    const [, t] = checkIds(input, "decoder input", maxTgtLen - past - 1, 1);
    const prng = opts.prng ?? null, l = this.decoder.length;
    const logits = tf.tidy(() => {
      let x = dropout(this.#embed(input, "dec", past, t), rate, prng); // [B, T, C]
      this.decoder.forEach((block, i) => {
        x = block.forward(x, {
          memory: encoded.memory,
          memoryMask: encoded.mask,
          cache: cache ? { self: cache.layer(i), cross: cache.layer(l + i) } : undefined,
          prng,
          weights: opts.weights ? { self: opts.weights.decoder, cross: opts.weights.cross } : undefined,
        });
      });
      return linearTied(this.#lnDec.forward(x), this.params.get("wte.weight")! as tf.Tensor2D); // [B, T, V]
    });
    if (cache) cache.length = past + t;
    return logits as tf.Tensor3D;
  }

  /** Token embedding plus the positions `offset … offset + t − 1` of one side: `[B, t, C]`. */
  #embed(ids: tf.Tensor, side: "enc" | "dec", offset: number, t: number): tf.Tensor3D {
    const c = this.config.nEmbd;
    return tf.tidy(() => {
      const tok = embedding<tf.Tensor3D>(this.params.get("wte.weight")! as tf.Tensor2D, ids); // [B, t, C]
      const pos = this.config.positions === "learned" ? this.params.get(`${side}.wpe.weight`)! : this.#positions!;
      return tf.add(tok, pos.slice([offset, 0], [t, c])) as tf.Tensor3D;
    });
  }

  /** Number of trainable numbers (the sinusoidal positions are fixed, not counted). */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by group: `wte`, then per block `enc.i.ln`, `enc.i.attn`, `enc.i.mlp` (decoder: also `cross`),
   * and each side's `ln_f`. */
  summary(): ParamGroup[] {
    return paramGroups(this.params, (name) => {
      const parts = name.split(".");
      if (parts[0] !== "enc" && parts[0] !== "dec") return parts[0];
      if (!/^\d+$/.test(parts[1])) return `${parts[0]}.${parts[1]}`; // ln_f, wpe
      return `${parts[0]}.${parts[1]}.${parts[2].startsWith("ln") ? "ln" : parts[2]}`;
    });
  }

  /** Shown in a notebook: the shape and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const { nEncLayer, nDecLayer, nHead, nEmbd, vocabSize } = this.config;
    const head = `Transformer: ${nEncLayer} encoder + ${nDecLayer} decoder layers, ${nHead} heads, ${nEmbd} wide, ` +
      `vocabulary ${vocabSize}: ${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees every parameter and the positions. */
  dispose(): void {
    this.params.dispose();
    this.#positions?.dispose();
  }
}

/** Checks a `[B, T]` int32 id tensor with minLen ≤ T ≤ maxLen; returns its shape. */
function checkIds(ids: tf.Tensor, name: string, maxLen: number, minLen: number): [number, number] {
  if (ids.rank !== 2 || ids.dtype !== "int32" || ids.shape[1]! < minLen || ids.shape[1]! > maxLen) {
    throw new RangeError(
      `Cannot run the Transformer as ${name} must be int32 [B, T] with ${minLen} ≤ T ≤ ${maxLen}: current ` +
        `${ids.dtype} tensor of shape [${ids.shape}]`,
    );
  }
  return [ids.shape[0]!, ids.shape[1]!];
}
