/**
 * GPT configuration: the interface, presets and validation.
 *
 * @module
 */

/** The shape of a GPT (decoder-only Transformer). */
export interface GptConfig {
  /** Number of distinct tokens (rows of the embedding and of the tied output head). */
  vocabSize: number;
  /** Context length: the most tokens the model sees at once (rows of the position embedding). */
  blockSize: number;
  /** Number of Transformer blocks. */
  nLayer: number;
  /** Attention heads per block; must divide `nEmbd`. */
  nHead: number;
  /** Width of the residual stream (embedding size). */
  nEmbd: number;
  /** Dropout rate in [0, 1) on embeddings, attention output and MLP output (0 = off). */
  dropout: number;
  /** Biases in the linear layers and LayerNorms (GPT-2: true; nanoGPT's default: false, a bit better and faster). */
  bias: boolean;
}

/** A very small GPT for tests: 2 layers, 2 heads, 16 wide, context 8, 11 tokens. */
export const GPT_TINY: Readonly<GptConfig> = Object.freeze({
  vocabSize: 11,
  blockSize: 8,
  nLayer: 2,
  nHead: 2,
  nEmbd: 16,
  dropout: 0,
  bias: true,
});

/**
 * nanoGPT's "baby GPT" CPU config: 4 layers, 4 heads, 128 wide, context 64, no biases (nanoGPT's default), vocabulary
 * of tiny Shakespeare.
 */
export const GPT_BABY: Readonly<GptConfig> = Object.freeze({
  vocabSize: 65,
  blockSize: 64,
  nLayer: 4,
  nHead: 4,
  nEmbd: 128,
  dropout: 0,
  bias: false,
});

/** Defaults for fields a caller leaves out: the baby GPT's shape, with biases (as GPT-2). */
export const GPT_DEFAULTS: Readonly<GptConfig> = Object.freeze({ ...GPT_BABY, bias: true });

/**
 * Merges overrides onto the defaults and validates the result.
 *
 * @param overrides Fields to change (e.g. `{ ...GPT_BABY, vocabSize: 3001 }`).
 * @returns A frozen, valid config.
 * @throws {RangeError} When a size is not a positive integer, `nHead` does not divide `nEmbd`, or dropout is outside [0, 1).
 * @throws {TypeError} When bias is not a boolean.
 * @example
 * ```ts
 * import { gptConfig, GPT_BABY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(gptConfig({ ...GPT_BABY, vocabSize: 100 }).vocabSize, 100);
 * assert.throws(() => gptConfig({ nEmbd: 10, nHead: 4 }), /nHead/);
 * ```
 */
export function gptConfig(overrides: Partial<GptConfig> = {}): Readonly<GptConfig> {
  const config = { ...GPT_DEFAULTS, ...overrides };
  for (const name of ["vocabSize", "blockSize", "nLayer", "nHead", "nEmbd"] as const) {
    const v = config[name];
    if (!Number.isInteger(v) || v <= 0) {
      throw new RangeError(`Cannot build a GPT as ${name} must be a positive integer: current value is ${v}`);
    }
  }
  if (config.nEmbd % config.nHead !== 0) {
    throw new RangeError(
      `Cannot build a GPT as nHead must divide nEmbd: current values are nHead=${config.nHead}, nEmbd=${config.nEmbd}`,
    );
  }
  if (typeof config.bias !== "boolean") {
    throw new TypeError(`Cannot build a GPT as bias must be true or false: current value is ${config.bias}`);
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new RangeError(`Cannot build a GPT as dropout must be in [0, 1): current value is ${config.dropout}`);
  }
  return Object.freeze(config);
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
