/**
 * A GPT (decoder-only Transformer) in the style of nanoGPT: token + position embeddings, pre-LayerNorm blocks of
 * causal multi-head self-attention and a GELU MLP, a final LayerNorm and an output head tied to the token embedding.
 *
 * Parameters are `tf.Variable`s in one flat map with GPT-2's names (`h.0.attn.c_attn.weight`), so counting,
 * saving and loading them is a loop over a map. Linear weights are stored `[in, out]`.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { attentionWithWeights, scaledDotProductAttention } from "../attention/mod.ts";
import { type GptConfig, gptConfig } from "./config.ts";
import {
  type ForwardOptions as BaseForwardOptions,
  type LanguageModel,
  type ParamGroup,
  paramGroups,
  summaryBundle,
} from "../nn/model.ts";
import { crossEntropy, dropout, embedding, gelu, layerNorm, linear, linearTied } from "../nn/layers.ts";

/** What {@link GPT.forward} can be asked for besides logits (training mode, dropout seed, loss weights: lib/nn). */
export interface ForwardOptions extends BaseForwardOptions {
  /** Collect each layer's attention weights `[B, H, T, T]` (slower path, for plots). */
  attention?: boolean;
  /** Also return the hidden states after the final LayerNorm (for extra heads, e.g. a value head). */
  hidden?: boolean;
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

/** Keys and values of the tokens seen so far, per layer, for fast generation (see {@link GPT.forwardCached}). */
export interface KvCache {
  /** Per layer: keys `[B, H, t, D]` and values `[B, H, t, D]`. */
  layers: { k: tf.Tensor4D; v: tf.Tensor4D }[];
  /** Number of positions cached (t). */
  length: number;
}

/**
 * Number of parameters of a GPT with this config, from the formula (tests check it against the tensors).
 *
 * @param config The model's config.
 * @returns `V·C + T·C + L·(12C² + 13C) + 2C` with biases, `V·C + T·C + L·(12C² + 2C) + C` without.
 * @example
 * ```ts
 * import { countParams, GPT_BABY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(countParams(GPT_BABY), 804_096);
 * ```
 */
export function countParams(config: Partial<GptConfig>): number {
  const { vocabSize: v, blockSize: t, nLayer: l, nEmbd: c, bias } = gptConfig(config);
  return bias ? v * c + t * c + l * (12 * c * c + 13 * c) + 2 * c : v * c + t * c + l * (12 * c * c + 2 * c) + c;
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
  readonly params = new Map<string, tf.Variable>();

  /**
   * @param config Overrides of the default config (see {@link gptConfig}).
   * @param seed Seed or generator for the initial weights.
   * @throws {RangeError} When the config is invalid.
   */
  constructor(config: Partial<GptConfig> = {}, seed: number | Prng = SEED) {
    this.config = gptConfig(config);
    const { vocabSize: v, blockSize: t, nLayer, nEmbd: c, bias } = this.config;
    const prng = toPrng(seed);
    const normal = (shape: number[], std = 0.02) => tf.randomNormal(shape, 0, std, "float32", prng.tfSeed());
    const projStd = 0.02 / Math.sqrt(2 * nLayer);
    this.#add("wte.weight", normal([v, c]));
    this.#add("wpe.weight", normal([t, c]));
    for (let i = 0; i < nLayer; i++) {
      const p = `h.${i}.`;
      this.#add(p + "ln_1.weight", tf.ones([c]));
      if (bias) this.#add(p + "ln_1.bias", tf.zeros([c]));
      this.#add(p + "attn.c_attn.weight", normal([c, 3 * c]));
      if (bias) this.#add(p + "attn.c_attn.bias", tf.zeros([3 * c]));
      this.#add(p + "attn.c_proj.weight", normal([c, c], projStd));
      if (bias) this.#add(p + "attn.c_proj.bias", tf.zeros([c]));
      this.#add(p + "ln_2.weight", tf.ones([c]));
      if (bias) this.#add(p + "ln_2.bias", tf.zeros([c]));
      this.#add(p + "mlp.c_fc.weight", normal([c, 4 * c]));
      if (bias) this.#add(p + "mlp.c_fc.bias", tf.zeros([4 * c]));
      this.#add(p + "mlp.c_proj.weight", normal([4 * c, c], projStd));
      if (bias) this.#add(p + "mlp.c_proj.bias", tf.zeros([c]));
    }
    this.#add("ln_f.weight", tf.ones([c]));
    if (bias) this.#add("ln_f.bias", tf.zeros([c]));
  }

  #add(name: string, value: tf.Tensor): void {
    this.params.set(name, tf.variable(value, true, `gpt.${name}.${nextId++}`));
    value.dispose();
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

  /** The bias called `name`, or null when the model has no biases (`bias: false`). */
  #bias(name: string): tf.Tensor1D | null {
    return this.config.bias ? this.param<tf.Tensor1D>(name) : null;
  }

  /**
   * Number of parameters, counted from the tensors.
   * @param nonEmbedding Leave out the position embedding (as nanoGPT reports it).
   * @returns The count.
   */
  numParams(nonEmbedding = false): number {
    let n = 0;
    for (const [name, p] of this.params) if (!(nonEmbedding && name === "wpe.weight")) n += p.size;
    return n;
  }

  /**
   * Runs the model on a batch of token ids.
   *
   * @param idx Token ids `[B, T]` (int32), T ≤ blockSize.
   * @param targets Next-token ids `[B, T]` (int32; −1 = ignore) to compute the loss against.
   * @param opts Training mode, dropout seed, per-token loss weights, attention maps.
   * @returns Logits `[B, T, V]`, the loss when targets were given, hidden states and attention maps when asked for
   *   (the caller disposes every tensor returned).
   * @throws {RangeError} When idx is not `[B, T]` with 1 ≤ T ≤ blockSize, or targets/weights do not match it.
   */
  forward(idx: tf.Tensor, targets?: tf.Tensor, opts: ForwardOptions = {}): ForwardResult {
    const [b, t] = this.#checkIdx(idx, "idx");
    if (targets) this.#checkSame(targets, idx, "targets");
    if (opts.weights) this.#checkSame(opts.weights, idx, "weights");
    const prng = opts.training && this.config.dropout > 0 ? toPrng(opts.seed) : null;
    const maps: tf.Tensor4D[] | undefined = opts.attention ? [] : undefined;
    const { c } = this.#dims();
    const [logits, ...rest] = tf.tidy(() => {
      let x = this.#embed(idx, 0, prng); // [B*T, C]
      for (let i = 0; i < this.config.nLayer; i++) x = this.#block(i, x, b, t, prng, null, maps);
      const h = layerNorm(x, this.param("ln_f.weight"), this.#bias("ln_f.bias")); // [B*T, C]
      const logits = linearTied(h, this.param("wte.weight")); // [B*T, V]
      const out: tf.Tensor[] = [logits.reshape([b, t, -1])];
      if (targets) {
        const w = opts.weights ? opts.weights.reshape([-1]) as tf.Tensor1D : null;
        out.push(crossEntropy(logits, targets.reshape([-1]) as tf.Tensor1D, w));
      }
      if (opts.hidden) out.push(h.reshape([b, t, c]));
      return [...out, ...(maps ?? [])];
    });
    return {
      logits: logits as tf.Tensor3D,
      loss: targets ? rest.shift() as tf.Scalar : undefined,
      hidden: opts.hidden ? rest.shift() as tf.Tensor3D : undefined,
      attention: maps && rest as tf.Tensor4D[],
    };
  }

  /**
   * Runs only the new tokens through the model, reading and extending a KV cache (generation).
   *
   * @param idx New token ids `[B, Tnew]` (int32); cache.length + Tnew must not exceed blockSize.
   * @param cache The cache from the previous call, or null to start one. It is updated in place (old tensors freed).
   * @returns Logits of the last position `[B, V]` and the cache.
   * @throws {RangeError} When the cached and new tokens do not fit in the context.
   */
  forwardCached(idx: tf.Tensor, cache: KvCache | null): { logits: tf.Tensor2D; cache: KvCache } {
    const [b, t] = this.#checkIdx(idx, "idx");
    const past = cache?.length ?? 0;
    if (past + t > this.config.blockSize) {
      throw new RangeError(
        `Cannot extend the KV cache as ${past} cached + ${t} new tokens exceed blockSize ${this.config.blockSize}`,
      );
    }
    const kv = cache ?? { layers: [], length: 0 };
    const logits = tf.tidy(() => {
      let x = this.#embed(idx, past, null); // [B*Tnew, C]
      for (let i = 0; i < this.config.nLayer; i++) x = this.#block(i, x, b, t, null, kv);
      const last = t === 1 ? x : x.reshape([b, t, -1]).slice([0, t - 1, 0], [b, 1, -1]).reshape([b, -1]) as tf.Tensor2D; // [B, C]
      const h = layerNorm(last, this.param("ln_f.weight"), this.#bias("ln_f.bias")); // [B, C]
      return linearTied(h, this.param("wte.weight")); // [B, V]
    });
    kv.length = past + t;
    return { logits, cache: kv };
  }

  /** Frees a KV cache's tensors. */
  static disposeCache(cache: KvCache | null): void {
    for (const { k, v } of cache?.layers ?? []) tf.dispose([k, v]);
  }

  /** Token + position embeddings for positions offset..offset+T−1, with dropout. Returns `[B*T, C]`. */
  #embed(idx: tf.Tensor, offset: number, prng: Prng | null): tf.Tensor2D {
    const [b, t] = idx.shape;
    const { c } = this.#dims();
    const tok = embedding(this.param("wte.weight"), idx.reshape([-1]) as tf.Tensor1D); // [B*T, C]
    const pos = this.param("wpe.weight").slice([offset, 0], [t, c]); // [T, C]
    const x = tf.add(tok.reshape([b, t, c]), pos).reshape([b * t, c]) as tf.Tensor2D; // [B*T, C]
    return this.#dropout(x, prng);
  }

  /** One pre-LayerNorm Transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). `[B*T, C]` in and out. */
  #block(
    i: number,
    x: tf.Tensor2D,
    b: number,
    t: number,
    prng: Prng | null,
    cache: KvCache | null = null,
    maps?: tf.Tensor4D[],
  ): tf.Tensor2D {
    const p = `h.${i}.`;
    const a = this.#attention(
      i,
      layerNorm(x, this.param(p + "ln_1.weight"), this.#bias(p + "ln_1.bias")),
      b,
      t,
      cache,
      maps,
    );
    x = tf.add(x, this.#dropout(a, prng)); // [B*T, C]
    const h = layerNorm(x, this.param(p + "ln_2.weight"), this.#bias(p + "ln_2.bias")); // [B*T, C]
    const up = gelu(linear(h, this.param(p + "mlp.c_fc.weight"), this.#bias(p + "mlp.c_fc.bias"))); // [B*T, 4C]
    const down = linear(up, this.param(p + "mlp.c_proj.weight"), this.#bias(p + "mlp.c_proj.bias")); // [B*T, C]
    return tf.add(x, this.#dropout(down, prng)); // [B*T, C]
  }

  /** Causal multi-head self-attention of layer i. `[B*T, C]` in and out. */
  #attention(
    i: number,
    x: tf.Tensor2D,
    b: number,
    t: number,
    cache: KvCache | null,
    maps?: tf.Tensor4D[],
  ): tf.Tensor2D {
    const p = `h.${i}.attn.`;
    const { c } = this.#dims();
    const [q, k0, v0] = this.#qkv(p, x, b, t); // [B, H, T, D] each
    let [k, v] = [k0, v0];
    if (cache) {
      const old = cache.layers[i];
      if (old) [k, v] = [tf.concat([old.k, k], 2), tf.concat([old.v, v], 2)]; // [B, H, past+T, D]
      cache.layers[i] = { k: tf.keep(k), v: tf.keep(v) };
      if (old) tf.dispose([old.k, old.v]);
    }
    let y: tf.Tensor; // [B, H, T, D]
    if (maps) {
      const { output, weights } = attentionWithWeights(q, k, v, { causal: true });
      maps.push(weights as tf.Tensor4D);
      y = output;
    } else {
      y = scaledDotProductAttention(q, k, v, { causal: true });
    }
    const merged = (t === 1 ? y : y.transpose([0, 2, 1, 3])).reshape([b * t, c]) as tf.Tensor2D; // [B*T, C]
    return linear(merged, this.param(p + "c_proj.weight"), this.#bias(p + "c_proj.bias")); // [B*T, C]
  }

  /** Queries, keys and values `[B, H, T, D]` of layer prefix `p` from `x` `[B*T, C]`. */
  #qkv(p: string, x: tf.Tensor2D, b: number, t: number): tf.Tensor4D[] {
    const { c, h, d } = this.#dims();
    const [w, bias] = [this.param(p + "c_attn.weight"), this.#bias(p + "c_attn.bias")]; // [C, 3C], [3C]
    const split = (y: tf.Tensor) =>
      // [B*T, C] → [B, H, T, D] (for T = 1 a reshape is the transpose)
      (t === 1 ? y.reshape([b, h, 1, d]) : y.reshape([b, t, h, d]).transpose([0, 2, 1, 3])) as tf.Tensor4D;
    if (!tf.engine().isTapeOn()) { // inference: one matMul, then cheap slices of its output
      const qkv = linear(x, w, bias); // [B*T, 3C]
      return [0, 1, 2].map((part) => split(qkv.slice([0, part * c], [b * t, c])));
    }
    // training: slice the small weights instead of the big activations (column slices of [B*T, 3C] are slow)
    return [0, 1, 2].map((part) =>
      split(linear(x, w.slice([0, part * c], [c, c]), bias && bias.slice([part * c], [c])))
    );
  }

  #dropout<T extends tf.Tensor>(x: T, prng: Prng | null): T {
    return dropout(x, this.config.dropout, prng);
  }

  #dims(): { c: number; h: number; d: number } {
    const { nEmbd: c, nHead: h } = this.config;
    return { c, h, d: c / h };
  }

  #checkIdx(idx: tf.Tensor, name: string): [number, number] {
    const t = idx.shape[1] ?? 0;
    if (idx.rank !== 2 || !(t >= 1 && t <= this.config.blockSize) || idx.shape[0] < 1) {
      throw new RangeError(
        `Cannot run the GPT as ${name} must be [B, T] with 1 ≤ T ≤ blockSize ${this.config.blockSize}: current shape is [${idx.shape}]`,
      );
    }
    if (idx.dtype !== "int32") {
      throw new TypeError(`Cannot run the GPT as ${name} must be int32 token ids: current dtype is ${idx.dtype}`);
    }
    return [idx.shape[0], t];
  }

  #checkSame(x: tf.Tensor, idx: tf.Tensor, name: string): void {
    if (x.shape.join() !== idx.shape.join()) {
      throw new RangeError(
        `Cannot run the GPT as ${name} must have the shape of idx [${idx.shape}]: current shape is [${x.shape}]`,
      );
    }
  }

  /**
   * Grows (or shrinks) the vocabulary: keeps the trained rows of the token embedding, adds rows drawn like at
   * initialisation (std 0.02) for new tokens (e.g. special tokens for fine-tuning). Optimizer state for `wte.weight`
   * must be rebuilt afterwards.
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
    const old = this.param("wte.weight");
    const v = old.shape[0], c = old.shape[1];
    const table = tf.tidy(() => {
      if (n <= v) return old.slice([0, 0], [n, c]);
      return tf.concat([old, tf.randomNormal([n - v, c], 0, 0.02, "float32", toPrng(seed).tfSeed())], 0);
    });
    old.dispose();
    this.#add("wte.weight", table);
    this.config = gptConfig({ ...this.config, vocabSize: n });
  }

  /**
   * Parameter counts by group (embeddings, each block's attention, MLP and LayerNorms, the final LayerNorm).
   *
   * @returns Rows of group name, shapes and count; the counts add up to {@link GPT.numParams}.
   * @example
   * ```ts
   * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
   * import assert from "node:assert/strict";
   * const model = new GPT(GPT_TINY);
   * const rows = model.summary();
   * assert.equal(rows.reduce((n, r) => n + r.count, 0), model.numParams());
   * assert.equal(rows[0].group, "wte");
   * model.dispose();
   * ```
   */
  summary(): ParamGroup[] {
    return paramGroups(this.params, (name) => {
      const parts = name.split(".");
      return parts[0] === "h"
        ? parts.slice(0, parts[2] === "attn" || parts[2] === "mlp" ? 3 : 2).join(".") +
          (parts[2].startsWith("ln") ? ".ln" : "")
        : parts[0];
    });
  }

  /** Shown in a notebook: the config and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const c = this.config;
    const head = `GPT: ${c.nLayer} layers, ${c.nHead} heads, ${c.nEmbd} wide, context ${c.blockSize}, ` +
      `vocabulary ${c.vocabSize}: ${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
  }
}

let nextId = 0;
