/**
 * Text generation (文字接龙, "word chain") for any language model of the course (the GPT, the character MLP, the
 * RNNs): the model predicts a distribution over the next token, we pick one (greedy, or sampled with temperature,
 * top-k and top-p), append it and repeat. A model with a KV cache (the GPT's `forwardCached`) keeps each layer's keys
 * and values so that each new token costs one position, not the whole context.
 *
 * A prompt longer than the context is cropped to its last `blockSize` tokens; once the context is full, each new
 * token is predicted from the last `blockSize` tokens (recomputed without the cache, since positions shift).
 *
 * @module
 */
import { Prng, SEED, tf, toPrng } from "../core/mod.ts";
import { argmax } from "../core/argmax.ts";
import type { LanguageModel } from "./model.ts";

/** What a cache of the tokens seen so far must offer: how many positions it holds, and a way to free its tensors. */
export interface TokenCache {
  /** Number of positions cached. */
  readonly length: number;
  /** Frees the cached tensors. */
  dispose(): void;
}

/** A language model that can run only the new tokens against a cache of the earlier ones (the GPT's KV cache). */
export interface CachedLanguageModel<C extends TokenCache = TokenCache> extends LanguageModel {
  /** Logits of the last position `[B, V]` and the cache extended by the new tokens `idx` `[B, Tnew]`. */
  forwardCached(idx: tf.Tensor, cache: C | null): { logits: tf.Tensor2D; cache: C };
}

/** How to pick the next token. */
export interface SamplingOptions {
  /** Divides the logits: < 1 sharper, > 1 flatter; 0 means greedy. Default 1. */
  temperature?: number;
  /** Always take the most likely token. Default false. */
  greedy?: boolean;
  /** Sample only among the k most likely tokens. */
  topK?: number;
  /** Sample only among the most likely tokens whose probabilities add up to at least p (nucleus sampling). */
  topP?: number;
  /** Token ids never chosen, such as `<unk>` (their logits count as −∞). */
  banned?: readonly number[];
}

/** Settings of {@link generate}. */
export interface GenerateOptions extends SamplingOptions {
  /** Tokens to generate. Default 100. */
  maxNewTokens?: number;
  /** Seed or generator for sampling. Same seed, same text. */
  seed?: number | Prng;
  /** Use the model's KV cache when it has one (default true); false recomputes the whole context for every token. */
  kvCache?: boolean;
  /** Stop after generating one of these tokens (it is included in the output). */
  stopTokens?: number[];
  /** Stop when this returns true, given the tokens generated so far (e.g. at a blank line). */
  stop?: (generated: readonly number[]) => boolean;
  /** Called with each new token as soon as it is chosen (awaited, so a notebook can show it at once), with the
   * logits it was sampled from (the model's raw next-token scores, before temperature or filtering). */
  onToken?: (token: number, index: number, logits: Float32Array) => unknown;
}

function checkSampling(o: SamplingOptions): void {
  const { temperature = 1, topK, topP } = o;
  if (!(temperature >= 0) || !Number.isFinite(temperature)) {
    throw new RangeError(`Cannot sample as temperature must be a finite number ≥ 0: current value is ${temperature}`);
  }
  if (topK !== undefined && (!Number.isInteger(topK) || topK <= 0)) {
    throw new RangeError(`Cannot sample as topK must be a positive integer: current value is ${topK}`);
  }
  if (topP !== undefined && !(topP > 0 && topP <= 1)) {
    throw new RangeError(`Cannot sample as topP must be in (0, 1]: current value is ${topP}`);
  }
}

/**
 * Picks a token from next-token logits.
 *
 * @param logits Logits over the vocabulary.
 * @param opts Temperature, greedy, top-k, top-p.
 * @param prng The generator (unused when greedy).
 * @returns The token id.
 * @throws {RangeError} For a negative temperature, a topK that is not a positive integer, or topP outside (0, 1].
 * @example
 * ```ts
 * import { sampleLogits } from "@lib/nn/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const logits = new Float32Array([1, 3, 2]);
 * assert.equal(sampleLogits(logits, { greedy: true }, new Prng()), 1);
 * assert.equal(sampleLogits(logits, { topK: 1 }, new Prng()), 1);
 * ```
 */
export function sampleLogits(logits: ArrayLike<number>, opts: SamplingOptions, prng: Prng): number {
  const weights = samplingWeights(logits, opts);
  return typeof weights === "number" ? weights : prng.categorical(weights);
}

/**
 * The distribution {@link sampleLogits} draws from: softmax of logits / temperature, cut to the top k and then to
 * the nucleus of top p (the fewest most likely tokens whose probabilities reach p), renormalised. Greedy (or
 * temperature 0, or topK 1) puts all the mass on the most likely token.
 *
 * @param logits Logits over the vocabulary.
 * @param opts Temperature, greedy, top-k, top-p, banned tokens.
 * @returns Probabilities that add up to 1; 0 for every token the settings rule out.
 * @throws {RangeError} As {@link sampleLogits}.
 * @example
 * ```ts
 * import { samplingProbs } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
 * const nucleus = samplingProbs(logits, { topP: 0.7 }); // 0.5 alone is short of 0.7: the two most likely stay
 * assert.deepEqual(Array.from(nucleus, (p) => +p.toFixed(4)), [0.625, 0.375, 0]);
 * assert.deepEqual(Array.from(samplingProbs(logits, { greedy: true })), [1, 0, 0]);
 * ```
 */
export function samplingProbs(logits: ArrayLike<number>, opts: SamplingOptions = {}): Float64Array {
  const weights = samplingWeights(logits, opts);
  if (typeof weights === "number") {
    const onehot = new Float64Array(logits.length);
    onehot[weights] = 1;
    return onehot;
  }
  const total = weights.reduce((s, w) => s + w, 0);
  return weights.map((w) => w / total);
}

/** The token when the choice is greedy, else unnormalised weights of the tokens that may be drawn. */
function samplingWeights(logits: ArrayLike<number>, opts: SamplingOptions): number | Float64Array {
  checkSampling(opts);
  const { temperature = 1, topK, topP, banned = [] } = opts;
  const n = logits.length;
  if (banned.length > 0) logits = withBanned(logits, banned);
  if (opts.greedy || temperature === 0 || topK === 1) return argmax(logits);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => logits[b] - logits[a]); // most likely first
  const keep = Math.min(n, topK ?? n);
  const max = logits[order[0]];
  const probs = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < keep; r++) total += probs[order[r]] = Math.exp((logits[order[r]] - max) / temperature);
  if (topP !== undefined && topP < 1) {
    let cum = 0, r = 0;
    for (; r < keep && cum < topP * total; r++) cum += probs[order[r]];
    for (; r < keep; r++) probs[order[r]] = 0; // outside the nucleus
  }
  return probs;
}

/** A copy of `logits` with the banned ids at −∞. */
function withBanned(logits: ArrayLike<number>, banned: readonly number[]): Float32Array {
  const out = Float32Array.from(logits);
  for (const id of banned) {
    if (!Number.isInteger(id) || id < 0 || id >= out.length) {
      throw new RangeError(`Cannot ban token ${id}: ids must be integers in [0, ${out.length})`);
    }
    out[id] = -Infinity;
  }
  if (out.every((x) => x === -Infinity)) throw new RangeError("Cannot sample as every token is banned");
  return out;
}

/**
 * Generates tokens after a prompt, streaming each one to `onToken`.
 *
 * @param model A language model (its forward pass gives next-token logits `[B, T, V]`).
 * @param prompt Token ids (at least one); only the last `blockSize` are used.
 * @param opts Length, sampling, seed, cache, stop tokens, callback.
 * @returns The new tokens (not including the prompt).
 * @throws {RangeError} For an empty prompt, a token outside the vocabulary, or invalid sampling options.
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { generate } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const seen: number[] = [];
 * const out = await generate(model, [1], { maxNewTokens: 4, topK: 3, seed: 1, onToken: (t) => seen.push(t) });
 * assert.deepEqual(seen, out);
 * model.dispose();
 * ```
 */
export async function generate(
  model: LanguageModel,
  prompt: ArrayLike<number>,
  opts: GenerateOptions = {},
): Promise<number[]> {
  const { maxNewTokens = 100, stopTokens = [], onToken } = opts;
  const cached = (opts.kvCache ?? true) && "forwardCached" in model ? model as CachedLanguageModel : null;
  checkSampling(opts);
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) {
    throw new RangeError(`Cannot generate as maxNewTokens must be an integer ≥ 0: current value is ${maxNewTokens}`);
  }
  checkPrompt(prompt, model.config.vocabSize);
  const prng = toPrng(opts.seed ?? SEED);
  const { blockSize } = model.config;
  const context = Array.from(prompt).slice(-blockSize);
  const out: number[] = [];
  let cache: TokenCache | null = null;
  try {
    let logits = cached ? await stepCached(cached, context, null) : await stepFull(model, context);
    for (let i = 0; i < maxNewTokens; i++) {
      const token = sampleLogits(logits.values, opts, prng);
      cache = logits.cache;
      out.push(token);
      context.push(token);
      await onToken?.(token, i, logits.values);
      if (stopTokens.includes(token) || opts.stop?.(out) || i === maxNewTokens - 1) break;
      if (cached && cache && cache.length < blockSize) logits = await stepCached(cached, [token], cache);
      else {
        cache?.dispose();
        cache = null;
        logits = await stepFull(model, context.slice(-blockSize));
      }
    }
  } finally {
    cache?.dispose();
  }
  return out;
}

function checkPrompt(prompt: ArrayLike<number>, vocabSize: number): void {
  if (prompt.length === 0) {
    throw new RangeError("Cannot generate from an empty prompt: give at least one token (e.g. a newline)");
  }
  for (let i = 0; i < prompt.length; i++) {
    if (!Number.isInteger(prompt[i]) || prompt[i] < 0 || prompt[i] >= vocabSize) {
      throw new RangeError(
        `Cannot generate as prompt token ${i} is ${prompt[i]}: ids must be integers in [0, ${vocabSize})`,
      );
    }
  }
}

/** Logits of the next token after `tokens`, given the cache of what came before them. */
async function stepCached(
  model: CachedLanguageModel,
  tokens: number[],
  cache: TokenCache | null,
): Promise<{ values: Float32Array; cache: TokenCache }> {
  const idx = tf.tensor2d(tokens, [1, tokens.length], "int32");
  const { logits, cache: next } = model.forwardCached(idx, cache);
  const values = await logits.data() as Float32Array;
  tf.dispose([idx, logits]);
  return { values, cache: next };
}

/** Logits of the next token after `tokens`, recomputing the whole context. */
async function stepFull(model: LanguageModel, tokens: number[]): Promise<{ values: Float32Array; cache: null }> {
  const idx = tf.tensor2d(tokens, [1, tokens.length], "int32");
  const { logits } = model.forward(idx);
  const t = tokens.length;
  const last = tf.tidy(() => logits.slice([0, t - 1, 0], [1, 1, -1]).reshape([-1]));
  const values = await last.data() as Float32Array;
  tf.dispose([idx, logits, last]);
  return { values, cache: null };
}
