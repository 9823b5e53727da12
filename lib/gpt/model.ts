/**
 * A GPT (decoder-only Transformer), as nanoGPT's model.py: token + position embeddings, then nLayer blocks — each
 * `x = x + attn(ln_1(x))` (causal multi-head self-attention, lib/attention) and `x = x + mlp(ln_2(x))` (C → 4C → GELU
 * → C) — then a final LayerNorm and an output head tied to the token embedding. Activations are `[B, T, C]`.
 *
 * Parameters live in one map with GPT-2's names (`h.0.attn.c_attn.weight`), linear weights stored `[in, out]`. The
 * KV-cache step of generation is in generate.ts, the notebook display in model_display.ts, the speed in lib/nn.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { KvCache, MultiHeadAttention } from "../attention/mod.ts";
import { crossEntropy, dropout, embedding, linearTied } from "../nn/layers.ts";
import type { ForwardOptions as BaseForwardOptions, LanguageModel, ParamGroup } from "../nn/model.ts";
import { LayerNorm, MLP } from "../nn/modules.ts";
import { Parameters } from "../nn/parameters.ts";
import { type GptConfig, gptConfig } from "./config.ts";
import { gptDisplay, gptSummary } from "./model_display.ts";
import { checkIdx, checkSame } from "./_check_tokens.ts";

/** What {@link GPT.forward} can be asked for besides logits (training mode, dropout seed, loss weights: lib/nn). */
export interface ForwardOptions extends BaseForwardOptions {
  /** Collect each layer's attention weights `[B, H, T, T]` (slower path, for plots). */
  attention?: boolean;
  /** Also return the hidden states after the final LayerNorm (for extra heads, e.g. a value head). */
  hidden?: boolean;
  /** Keys and values of earlier positions (generation, see generate.ts): idx continues them, and is added. */
  cache?: KvCache;
}

/** What {@link GPT.forward} returns. */
export interface ForwardResult {
  /** Next-token logits `[B, T, V]`. */
  logits: tf.Tensor3D;
  /** Mean cross-entropy against the targets (when targets were given). */
  loss?: tf.Scalar;
  /** Hidden states after the final LayerNorm `[B, T, C]` (when `hidden: true`). */
  hidden?: tf.Tensor3D;
  /** Per-layer attention weights `[B, H, T, T]` (when `attention: true`). */
  attention?: tf.Tensor4D[];
}

/** What every block of one forward pass shares: the dropout generator, the KV cache, the attention-weights sink. */
type Pass = { prng: Prng | null; cache?: KvCache; maps?: tf.Tensor4D[] };

/** How the weights are drawn: GPT-2's normal(0, 0.02), residual projections 0.02/√(2·nLayer). */
type Init = { prng: Prng; projStd: number };

/** The feed-forward part of a block (lib/nn's, re-exported here where GPT users found it). */
export { MLP };

/** One pre-LayerNorm Transformer block. */
export class Block {
  readonly ln1: LayerNorm;
  readonly attn: MultiHeadAttention;
  readonly ln2: LayerNorm;
  readonly mlp: MLP;
  constructor(readonly index: number, params: Parameters, config: Readonly<GptConfig>, init: Init) {
    const { nEmbd: c, nHead, bias } = config, p = `h.${index}.`;
    this.ln1 = new LayerNorm(params, p + "ln_1", c, bias);
    const attnInit = { seed: init.prng, projStd: init.projStd };
    this.attn = new MultiHeadAttention({ nEmbd: c, nHead, bias, causal: true }, params, p + "attn.", attnInit);
    this.ln2 = new LayerNorm(params, p + "ln_2", c, bias);
    this.mlp = new MLP(params, p + "mlp.", c, { bias, seed: init.prng, projStd: init.projStd });
  }
  forward(x: tf.Tensor3D, pass: Pass, rate: number): tf.Tensor3D {
    const cache = pass.cache?.layer(this.index);
    x = tf.add(x, dropout(this.attn.forward(this.ln1.forward(x), { cache, weights: pass.maps }), rate, pass.prng));
    x = tf.add(x, dropout(this.mlp.forward(this.ln2.forward(x)), rate, pass.prng));
    return x; // [B, T, C]
  }
}

/**
 * A GPT language model with GPT-2 initialisation (normal std 0.02, residual projections scaled by 1/√(2·nLayer)).
 *
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const idx = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
 * const { logits, loss } = model.forward(idx, idx);
 * assert.deepEqual(logits.shape, [1, 3, GPT_TINY.vocabSize]);
 * assert.ok(loss!.dataSync()[0] > 0);
 * model.dispose();
 * ```
 */
export class GPT implements LanguageModel {
  /** The validated config (vocabSize changes with {@link GPT.resizeVocab}). */
  config: Readonly<GptConfig>;
  /** All parameters by GPT-2 name. */
  readonly params = new Parameters("gpt");
  readonly blocks: Block[] = [];
  readonly #lnF: LayerNorm;

  /**
   * @param config Overrides of the default config (see {@link gptConfig}).
   * @param seed Seed or generator for the initial weights.
   * @throws {RangeError} When the config is invalid.
   */
  constructor(config: Partial<GptConfig> = {}, seed: number | Prng = SEED) {
    this.config = gptConfig(config);
    const { vocabSize: v, blockSize: t, nLayer, nEmbd: c, bias } = this.config;
    const init = { prng: toPrng(seed), projStd: 0.02 / Math.sqrt(2 * nLayer) };
    this.params.add("wte.weight", tf.randomNormal([v, c], 0, 0.02, "float32", init.prng.tfSeed()));
    this.params.add("wpe.weight", tf.randomNormal([t, c], 0, 0.02, "float32", init.prng.tfSeed()));
    for (let i = 0; i < nLayer; i++) this.blocks.push(new Block(i, this.params, this.config, init));
    this.#lnF = new LayerNorm(this.params, "ln_f", c, bias);
  }

  /**
   * Runs the model on a batch of token ids.
   *
   * @param idx Token ids `[B, T]` (int32), T ≤ blockSize (less what a cache holds).
   * @param targets Next-token ids `[B, T]` (int32; −1 = ignore) to compute the loss against.
   * @param opts Training mode, dropout seed, per-token loss weights, attention maps, hidden states, KV cache.
   * @returns Logits `[B, T, V]`, the loss when targets were given, hidden states and attention maps when asked for
   *   (the caller disposes every tensor returned).
   * @throws {RangeError} When idx is not `[B, T]` with 1 ≤ T ≤ blockSize, targets/weights do not match it, or the
   *   cached and new tokens exceed blockSize.
   */
  forward(idx: tf.Tensor, targets?: tf.Tensor, opts: ForwardOptions = {}): ForwardResult {
    const [b, t] = checkIdx(idx, this.config.blockSize);
    if (targets) checkSame(targets, idx, "targets");
    if (opts.weights) checkSame(opts.weights, idx, "weights");
    const past = opts.cache?.length ?? 0, { blockSize, nEmbd: c, dropout: rate } = this.config;
    if (past + t > blockSize) {
      throw new RangeError(
        `Cannot extend the KV cache as ${past} cached + ${t} new tokens exceed blockSize ${blockSize}`,
      );
    }
    const pass: Pass = { prng: opts.training && rate > 0 ? toPrng(opts.seed) : null, cache: opts.cache };
    if (opts.attention) pass.maps = [];
    const [logits, ...rest] = tf.tidy(() => {
      const tok = embedding<tf.Tensor3D>(this.param("wte.weight"), idx); // [B, T, C]
      const pos = this.param("wpe.weight").slice([past, 0], [t, c]); // [T, C]
      let x = dropout(tf.add(tok, pos) as tf.Tensor3D, rate, pass.prng); // [B, T, C]
      for (const block of this.blocks) x = block.forward(x, pass, rate);
      const h = this.#lnF.forward(x); // [B, T, C]
      const logits = linearTied(h, this.param("wte.weight")); // [B, T, V]
      const out: tf.Tensor[] = [logits];
      if (targets) {
        const w = opts.weights ? opts.weights.reshape([-1]) as tf.Tensor1D : null;
        out.push(crossEntropy(logits.reshape([b * t, -1]), targets.reshape([-1]), w)); // over [B·T, V]
      }
      if (opts.hidden) out.push(h);
      return out;
    });
    if (opts.cache) opts.cache.length = past + t;
    return {
      logits: logits as tf.Tensor3D,
      loss: targets ? rest.shift() as tf.Scalar : undefined,
      hidden: opts.hidden ? rest.shift() as tf.Tensor3D : undefined,
      attention: pass.maps,
    };
  }

  /**
   * The KV-cache step of generation (lib/nn's `generate` calls it): only the new tokens `idx` `[B, Tnew]` run,
   * against the cache, which they extend (a new one when `cache` is null). Returns the last position's logits `[B, V]`.
   */
  forwardCached(idx: tf.Tensor, cache: KvCache | null): { logits: tf.Tensor2D; cache: KvCache } {
    const kv = cache ?? new KvCache();
    const { logits: all } = this.forward(idx, undefined, { cache: kv });
    const [b, t, v] = all.shape;
    const logits = tf.tidy(() => all.slice([0, t - 1, 0], [b, 1, v]).reshape([b, v]) as tf.Tensor2D); // [B, V]
    all.dispose();
    return { logits, cache: kv };
  }

  /**
   * The parameter called `name`.
   * @throws {RangeError} For a name the model does not have.
   */
  param<T extends tf.Tensor = tf.Tensor2D>(name: string): T {
    const p = this.params.get(name);
    if (!p) throw new RangeError(`Cannot find GPT parameter "${name}": names look like h.0.attn.c_attn.weight`);
    return p as unknown as T;
  }

  /**
   * Number of parameters, counted from the tensors.
   * @param nonEmbedding Leave out the position embedding (as nanoGPT reports it).
   */
  numParams(nonEmbedding = false): number {
    return this.params.count(nonEmbedding ? ["wpe.weight"] : []);
  }

  /**
   * Grows (or shrinks) the vocabulary: keeps the trained rows of the token embedding, adds rows drawn like at
   * initialisation (std 0.02) for new tokens (e.g. special tokens for fine-tuning). Rebuild the optimizer afterwards.
   *
   * @param n The new vocabulary size.
   * @param seed Seed for the new rows.
   * @throws {RangeError} When n is not a positive integer.
   * @example
   * ```ts
   * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
   * import assert from "node:assert/strict";
   * const model = new GPT(GPT_TINY);
   * const row = model.param("wte.weight").arraySync()[3];
   * model.resizeVocab(GPT_TINY.vocabSize + 2); // e.g. <|user|> and <|assistant|>
   * assert.deepEqual(model.param("wte.weight").arraySync()[3], row);
   * model.dispose();
   * ```
   */
  resizeVocab(n: number, seed: number | Prng = SEED): void {
    if (!Number.isInteger(n) || n <= 0) {
      throw new RangeError(
        `Cannot resize the vocabulary as the size must be a positive integer: current value is ${n}`,
      );
    }
    const old = this.param("wte.weight"), [v, c] = old.shape;
    const rows = () => tf.randomNormal([n - v, c], 0, 0.02, "float32", toPrng(seed).tfSeed());
    this.params.replace("wte.weight", tf.tidy(() => n <= v ? old.slice([0, 0], [n, c]) : tf.concat([old, rows()])));
    this.config = gptConfig({ ...this.config, vocabSize: n });
  }

  /** Parameter counts by group (embeddings, each block's attention, MLP and LayerNorms, the final LayerNorm). */
  summary(): ParamGroup[] {
    return gptSummary(this.params);
  }

  /** Shown in a notebook: the config and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    return gptDisplay(this.config, this.numParams(), this.summary());
  }

  /** Frees every parameter. */
  dispose(): void {
    this.params.dispose();
  }
}
