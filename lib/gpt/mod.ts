/**
 * lib/gpt: a small GPT (config presets, model, AdamW, training loop, sampling with a KV cache).
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
export * from "./generate.ts";
export * from "./save.ts";
