/**
 * lib/gpt: a small GPT (config presets, the model with its KV cache, nanoGPT's training recipe, checkpoints). It
 * re-exports from lib/nn what every GPT user needs beside it: the batcher, the training step and text generation.
 *
 * @example
 * ```ts
 * import { GPT, GPT_TINY, generate } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const out = await generate(model, [1, 2], { maxNewTokens: 5, seed: 7 });
 * assert.equal(out.length, 5);
 * model.dispose();
 * ```
 *
 * @module
 */
export * from "./config.ts";
export * from "./model.ts";
export * from "./train.ts";
export { generate, type GenerateOptions, sampleLogits, type SamplingOptions, samplingProbs } from "../nn/generate.ts";
export * from "./save.ts";
export * from "./inspect.ts";
export * from "./poem_gpt.ts";
export * from "./cloze.ts";
