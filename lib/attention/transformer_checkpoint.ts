/**
 * The encoder-decoder {@link Transformer} in the course's checkpoint format (lib/checkpoint): its config, its named
 * weights in `model.safetensors`, and optionally its tokenizer (as JSON), step and extra data; and the model cache's
 * adapter. Built only on the model's public `config`, `params` and constructor.
 *
 * @module
 */
import { assignWeights, loadCheckpoint, type LoadedCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint.ts";
import type { CacheAdapter } from "../checkpoint/model_cache.ts";
import { Transformer, type TransformerConfig } from "./transformer.ts";

/** The checkpoint kind of a {@link Transformer}. */
export const TRANSFORMER_KIND = "transformer";

/** What {@link loadTransformer} returns. */
export interface LoadedTransformer {
  /** The model with its weights restored (dispose it when done). */
  model: Transformer;
  /** The tokenizer's JSON, when one was saved (lib/text's `tokenizerFromJSON` rebuilds it). */
  tokenizer?: unknown;
  /** Training steps done. */
  step: number;
  /** The extra data saved with it. */
  extra?: unknown;
}

function checkModel(model: unknown): Transformer {
  if (!(model instanceof Transformer)) {
    throw new TypeError(`Cannot save a Transformer as model must be a Transformer: current value is ${model}`);
  }
  return model;
}

/** A new Transformer with the config and weights of a loaded checkpoint (whose tensors may be disposed after). */
function fromCheckpoint(ckpt: LoadedCheckpoint): Transformer {
  const model = new Transformer(ckpt.config as TransformerConfig);
  try {
    assignWeights(model.params, ckpt.weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Saves a Transformer (and optionally its tokenizer, step and extra data) to a checkpoint directory, atomically.
 *
 * @param dir The checkpoint directory (a previous checkpoint there is replaced).
 * @param model The model.
 * @param opts The tokenizer (a lib/text tokenizer or its JSON), the step count and extra data to keep.
 * @throws {TypeError} When `model` is not a Transformer.
 * @example
 * ```ts
 * import { greedyDecode, loadTransformer, saveTransformer, Transformer } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const model = new Transformer();
 * await saveTransformer(dir, model, { step: 40 });
 * const loaded = await loadTransformer(dir);
 * assert.equal(loaded.step, 40);
 * const src = [[5, 6, 7]];
 * assert.deepEqual((await greedyDecode(loaded.model, src)).ids, (await greedyDecode(model, src)).ids);
 * [model, loaded.model].forEach((m) => m.dispose());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveTransformer(
  dir: string,
  model: Transformer,
  opts: { tokenizer?: unknown; step?: number; extra?: unknown } = {},
): Promise<void> {
  checkModel(model);
  await saveCheckpoint(dir, {
    kind: TRANSFORMER_KIND,
    config: { ...model.config },
    weights: model.params,
    tokenizer: opts.tokenizer,
    step: opts.step,
    extra: opts.extra,
  });
}

/**
 * Loads a Transformer saved by {@link saveTransformer}.
 *
 * @param dir The checkpoint directory.
 * @returns The model (new weights), the tokenizer's JSON, the step and the extra data.
 * @throws {CheckpointError} When the checkpoint is missing, damaged or of another kind; {@link RangeError} when
 *   its config is invalid or a weight does not fit the model.
 */
export async function loadTransformer(dir: string): Promise<LoadedTransformer> {
  const ckpt = await loadCheckpoint(dir, { kind: TRANSFORMER_KIND });
  try {
    return { model: fromCheckpoint(ckpt), tokenizer: ckpt.tokenizer, step: ckpt.step, extra: ckpt.extra };
  } finally {
    ckpt.dispose();
  }
}

/** The model cache's adapter for a Transformer: `cached({ ...TRANSFORMER_CACHE, name, config, recipe, train })`. */
export const TRANSFORMER_CACHE: CacheAdapter<Transformer> = Object.freeze({
  kind: TRANSFORMER_KIND,
  save: (model: Transformer) => ({ config: { ...checkModel(model).config }, weights: model.params }),
  load: fromCheckpoint,
});
