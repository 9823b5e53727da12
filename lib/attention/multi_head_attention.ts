/**
 * Multi-head attention, the one of the course: the GPT's causal self-attention, a BERT encoder's self-attention
 * (padding mask) and an encoder-decoder's cross-attention (queries from the decoder, keys and values from the
 * encoder's output), with an optional KV cache for generation.
 *
 * Each of the H heads attends in its own D = C/H dimensions: x `[B, T, C]` → q, k, v `[B, H, T, D]` →
 * softmax(q kᵀ/√D) v → heads side by side `[B, T, C]` → output projection.
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { splitHeads } from "../core/kernels/heads.ts";
import { Linear } from "../nn/modules.ts";
import { Parameters } from "../nn/parameters.ts";
import { attentionWithWeights, scaledDotProductAttention } from "./scaled_dot_product.ts";
import type { LayerKv } from "./kv_cache.ts";

/** The shape of a multi-head attention. */
export interface MultiHeadAttentionConfig {
  /** Width C of the inputs and the output. */
  nEmbd: number;
  /** Number of heads H; must divide nEmbd. */
  nHead: number;
  /** Biases in the projections (default true). */
  bias?: boolean;
  /** Each query sees only its own and earlier positions (default false). */
  causal?: boolean;
  /** Cross-attention: keys and values come from `memory` (default false: self-attention). */
  cross?: boolean;
}

/** How the weights are drawn: normal with std `std`, the output projection with `projStd` (GPT-2: 0.02/√(2L)). */
export interface AttentionInit {
  /** Seed or generator. Default 1337. */
  seed?: number | Prng;
  /** Default 0.02. */
  std?: number;
  /** Default `std`. */
  projStd?: number;
}

/** What a call of {@link MultiHeadAttention.forward} may add. */
export interface AttentionCall {
  /** Keys and values `[B, S, C]` for cross-attention (the encoder's output). */
  memory?: tf.Tensor;
  /** Keep-mask (1 = attend, 0 = blocked) broadcastable to `[B, H, Tq, Tk]`, e.g. {@link paddingMask}. */
  mask?: tf.Tensor;
  /** This layer's KV cache: self-attention appends the new keys and values; cross-attention computes them once. */
  cache?: LayerKv;
  /** When given, each call pushes its attention weights `[B, H, Tq, Tk]` here (a slower path, for heatmaps). */
  weights?: tf.Tensor4D[];
}

/**
 * Multi-head attention with GPT-2's parameter names: self-attention has one `c_attn` `[C, 3C]` for q, k, v;
 * cross-attention has `q_attn` `[C, C]` and `kv_attn` `[C, 2C]`; both have the output projection `c_proj` `[C, C]`.
 * Weights are stored `[in, out]`.
 *
 * @example
 * ```ts
 * import { MultiHeadAttention } from "@lib/attention/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const attn = new MultiHeadAttention({ nEmbd: 8, nHead: 2, causal: true });
 * const y = attn.forward(tf.randomNormal([1, 5, 8]));
 * assert.deepEqual(y.shape, [1, 5, 8]);
 * assert.equal(attn.params.count(), 4 * 8 * 8 + 4 * 8);
 * attn.dispose();
 * ```
 */
export class MultiHeadAttention {
  /** The config, with defaults filled in. */
  readonly config: Readonly<Required<MultiHeadAttentionConfig>>;
  /** The parameters (the model's map when one was given). */
  readonly params: Parameters;
  /** Self-attention: queries, keys and values from one product `[C, 3C]`. */
  readonly cAttn: Linear | null;
  /** Cross-attention: queries `[C, C]` from x, keys and values `[C, 2C]` from the memory. */
  readonly qAttn: Linear | null;
  readonly kvAttn: Linear | null;
  /** The output projection `[C, C]`. */
  readonly cProj: Linear;
  readonly #names: string[];

  /**
   * @param config Width, heads, bias, causal, cross.
   * @param params The model's parameters to add to (default: a map of its own).
   * @param prefix Prefix of the parameter names, e.g. `h.0.attn.`.
   * @param init Seed and standard deviations of the initial weights.
   * @throws {RangeError} When a size is not a positive integer or nHead does not divide nEmbd.
   */
  constructor(
    config: MultiHeadAttentionConfig,
    params: Parameters = new Parameters("attn"),
    prefix = "",
    init: AttentionInit = {},
  ) {
    checkPositiveInteger(config.nEmbd, "nEmbd", "create multi-head attention");
    checkPositiveInteger(config.nHead, "nHead", "create multi-head attention");
    if (config.nEmbd % config.nHead !== 0) {
      throw new RangeError(
        `Cannot create multi-head attention as nHead must divide nEmbd: current values are nHead=${config.nHead}, nEmbd=${config.nEmbd}`,
      );
    }
    this.config = Object.freeze({ bias: true, causal: false, cross: false, ...config });
    this.params = params;
    const { nEmbd: c, bias, cross } = this.config;
    const before = new Set(params.keys());
    const seed = toPrng(init.seed ?? SEED), std = init.std ?? 0.02;
    const layer = (name: string, out: number, s = std) =>
      new Linear(params, prefix + name, c, out, { bias, std: s, seed });
    this.cAttn = cross ? null : layer("c_attn", 3 * c);
    this.qAttn = cross ? layer("q_attn", c) : null;
    this.kvAttn = cross ? layer("kv_attn", 2 * c) : null;
    this.cProj = layer("c_proj", c, init.projStd ?? std);
    this.#names = [...params.keys()].filter((name) => !before.has(name));
  }

  /**
   * Attends from x (and, for cross-attention, to `memory`).
   *
   * @param x Queries' inputs `[B, T, C]`.
   * @param call Memory, mask, KV cache, weights sink.
   * @returns `[B, T, C]`.
   * @throws {RangeError} When x or memory is not `[B, ·, C]`, or cross-attention has no memory.
   */
  forward(x: tf.Tensor, call: AttentionCall = {}): tf.Tensor3D {
    const { nEmbd: c, cross, causal } = this.config;
    this.#check(x, "x");
    if (cross && !call.memory) throw new RangeError("Cannot run cross-attention without memory: pass { memory }");
    if (call.memory) this.#check(call.memory, "memory", x.shape[0]);
    const [b, t] = x.shape;
    return tf.tidy(() => {
      let q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D;
      if (cross) {
        q = this.#heads(this.qAttn!.forward(x)); // [B, H, T, D]
        if (call.cache?.k && call.cache.v) [k, v] = [call.cache.k, call.cache.v]; // the memory's, from an earlier call
        else {
          [k, v] = this.#splitHeads(this.kvAttn!.forward(call.memory!), 2); // [B, H, S, D] each
          if (call.cache) [call.cache.k, call.cache.v] = [tf.keep(k), tf.keep(v)];
        }
      } else {
        [q, k, v] = this.#splitHeads(this.cAttn!.forward(x), 3); // [B, H, T, D] each
        if (call.cache) [k, v] = append(call.cache, k, v); // [B, H, past + T, D]
      }
      let y: tf.Tensor; // [B, H, T, D]
      const opts = { causal, mask: call.mask };
      if (call.weights) {
        const { output, weights } = attentionWithWeights(q, k, v, opts);
        call.weights.push(tf.keep(weights as tf.Tensor4D));
        y = output;
      } else y = scaledDotProductAttention(q, k, v, opts);
      const merged = (t === 1 ? y : y.transpose([0, 2, 1, 3])).reshape([b, t, c]); // [B, T, C]: heads side by side
      return this.cProj.forward(merged) as tf.Tensor3D; // [B, T, C]
    });
  }

  /** Number of parameters. */
  numParams(): number {
    return this.#names.reduce((n, name) => n + this.params.get(name)!.size, 0);
  }

  /** Frees this attention's parameters (and removes them from the map). */
  dispose(): void {
    for (const name of this.#names) {
      this.params.get(name)?.dispose();
      this.params.delete(name);
    }
  }

  /** `[B, T, C]` → `[B, H, T, D]` (for T = 1 the reshape is the transpose). */
  /** Cuts `[B, T, parts·C]` (q, k, v side by side) into `parts` tensors `[B, H, T, D]` (one kernel on wasm). */
  #splitHeads(z: tf.Tensor, parts: number): tf.Tensor4D[] {
    return splitHeads(z, parts, this.config.nHead);
  }

  #heads(z: tf.Tensor): tf.Tensor4D {
    const [b, t, c] = z.shape, h = this.config.nHead;
    const split = z.reshape([b, t, h, c / h]); // [B, T, H, D]
    return (t === 1 ? split.reshape([b, h, 1, c / h]) : split.transpose([0, 2, 1, 3])) as tf.Tensor4D; // [B, H, T, D]
  }

  #check(z: tf.Tensor, name: string, batch?: number): void {
    const c = this.config.nEmbd;
    if (z.rank !== 3 || z.shape[2] !== c || (batch !== undefined && z.shape[0] !== batch)) {
      throw new RangeError(
        `Cannot attend as ${name} must be [${batch ?? "B"}, T, ${c}]: current shape is [${z.shape}]`,
      );
    }
  }
}

/** Appends new keys and values to a layer's cache (keeping the result, freeing the old) and returns the whole. */
function append(cache: LayerKv, k: tf.Tensor4D, v: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  const old = cache.k && cache.v ? [cache.k, cache.v] : null;
  if (old) [k, v] = [tf.concat([old[0], k], 2), tf.concat([old[1], v], 2)]; // [B, H, past + T, D]
  [cache.k, cache.v] = [tf.keep(k), tf.keep(v)];
  if (old) tf.dispose(old);
  return [k, v];
}
