/**
 * Looking inside a trained GPT: the next-token distribution after a context (文字接龙 as a bar chart), the attention
 * weights of every head (which earlier tokens each position looks at), the loss over a whole split, and the compute
 * a training run costs.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import type { GPT } from "./model.ts";
import { type SamplingOptions, samplingProbs } from "../nn/generate.ts";

function checkContext(model: GPT, ids: ArrayLike<number>, action: string): number[] {
  const context = Array.from(ids);
  if (context.length === 0) throw new RangeError(`Cannot ${action} of an empty context: give at least one token`);
  const { vocabSize, blockSize } = model.config;
  context.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new RangeError(`Cannot ${action} as token ${i} is ${id}: ids must be integers in [0, ${vocabSize})`);
    }
  });
  return context.slice(-blockSize);
}

/**
 * The model's distribution of the next token after a context (its last `blockSize` tokens), after the sampling
 * settings (temperature, top-k, top-p, banned tokens: see lib/nn's `samplingProbs`).
 *
 * @param model A GPT.
 * @param ids The context's token ids.
 * @param opts Sampling settings (default: the plain softmax).
 * @returns One probability per token of the vocabulary.
 * @throws {RangeError} For an empty context or an id outside the vocabulary.
 * @example
 * ```ts
 * import { GPT, GPT_TINY, nextTokenProbs } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const p = await nextTokenProbs(model, [1, 2, 3]);
 * assert.equal(p.length, GPT_TINY.vocabSize);
 * assert.ok(Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-9);
 * model.dispose();
 * ```
 */
export async function nextTokenProbs(
  model: GPT,
  ids: ArrayLike<number>,
  opts: SamplingOptions = {},
): Promise<Float64Array> {
  const context = checkContext(model, ids, "predict the next token");
  const idx = tf.tensor2d(context, [1, context.length], "int32");
  const { logits } = model.forward(idx);
  const last = tf.tidy(() => logits.slice([0, context.length - 1, 0], [1, 1, -1]).reshape([-1]));
  const values = await last.data();
  tf.dispose([idx, logits, last]);
  return samplingProbs(values, opts);
}

/**
 * The attention weights of every layer and head on a sequence: `maps[layer][head][query][key]`, each row a
 * distribution over the positions up to the query's (the causal mask leaves later keys at 0).
 *
 * @param model A GPT.
 * @param ids The sequence (its last `blockSize` tokens are used).
 * @returns The weights as nested arrays, `[nLayer][nHead][T][T]`.
 * @throws {RangeError} For an empty sequence or an id outside the vocabulary.
 * @example
 * ```ts
 * import { attentionMaps, GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const maps = await attentionMaps(model, [1, 2, 3, 4]);
 * assert.equal(maps.length, GPT_TINY.nLayer);
 * assert.equal(maps[0].length, GPT_TINY.nHead);
 * assert.equal(maps[0][0][0][1], 0); // position 0 cannot see position 1
 * model.dispose();
 * ```
 */
export async function attentionMaps(model: GPT, ids: ArrayLike<number>): Promise<number[][][][]> {
  const context = checkContext(model, ids, "draw attention maps");
  const idx = tf.tensor2d(context, [1, context.length], "int32");
  const { logits, attention = [] } = model.forward(idx, undefined, { attention: true });
  try {
    const maps: number[][][][] = [];
    for (const layer of attention) maps.push((await layer.array())[0]);
    return maps;
  } finally {
    tf.dispose([idx, logits, ...attention]);
  }
}

/**
 * Mean loss over a whole split cut into consecutive windows of blockSize tokens: every token counted once, with the
 * contexts training sees (1 to blockSize tokens), and no sampling noise (a 20-batch estimate varies by about ±0.01).
 *
 * @param model A GPT.
 * @param ids The split's token ids (at least blockSize + 1).
 * @param batchSize Windows per forward pass (default 64).
 * @returns The mean cross-entropy in nats per token.
 * @throws {RangeError} When the split is shorter than blockSize + 1 tokens, or batchSize is not a positive integer.
 * @example
 * ```ts
 * import { GPT, GPT_TINY, splitLoss } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const ids = Array.from({ length: 100 }, (_, i) => i % 11);
 * assert.ok(Math.abs((await splitLoss(model, ids)) - Math.log(11)) < 0.5);
 * model.dispose();
 * ```
 */
export async function splitLoss(model: GPT, ids: ArrayLike<number>, batchSize = 64): Promise<number> {
  checkPositiveInteger(batchSize, "batchSize", "compute the loss of a split");
  const t = model.config.blockSize, windows = Math.floor((ids.length - 1) / t);
  if (windows < 1) {
    throw new RangeError(
      `Cannot compute the loss of a split of ${ids.length} tokens: it needs at least blockSize + 1 = ${t + 1}`,
    );
  }
  let total = 0;
  for (let first = 0; first < windows; first += batchSize) {
    const b = Math.min(batchSize, windows - first), offset = first * t;
    const xs = new Int32Array(b * t), ys = new Int32Array(b * t);
    for (let i = 0; i < b * t; i++) [xs[i], ys[i]] = [ids[offset + i], ids[offset + i + 1]];
    const [x, y] = [tf.tensor2d(xs, [b, t], "int32"), tf.tensor2d(ys, [b, t], "int32")];
    const { logits, loss } = model.forward(x, y);
    total += (await loss!.data())[0] * b;
    tf.dispose([x, y, logits, loss!]);
  }
  return total / windows;
}

/**
 * The compute of training a Transformer, by the usual estimate `6·N·D` floating-point operations (Kaplan et al.
 * 2020): about 2 per parameter per token for the forward pass and 4 for the backward, attention's own products left
 * out. GPT-3: 6 × 175×10⁹ parameters × 300×10⁹ tokens ≈ 3.15×10²³.
 *
 * @param params N, the parameters (nanoGPT and Kaplan count them without the embeddings; either is fine here).
 * @param tokens D, the training tokens (steps × batch size × context).
 * @returns FLOPs.
 * @throws {RangeError} When a count is not a positive number.
 * @example
 * ```ts
 * import { trainingFlops } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(trainingFlops(175e9, 300e9), 3.15e23);
 * ```
 */
export function trainingFlops(params: number, tokens: number): number {
  checkPositive(params, "params", "estimate the training compute");
  checkPositive(tokens, "tokens", "estimate the training compute");
  return 6 * params * tokens;
}
