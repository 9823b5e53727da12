/**
 * The character MLP in the course's checkpoint format (lib/checkpoint): its config, its named weights in
 * `model.safetensors`, and optionally its tokenizer (as JSON), step and extra data. Built only on the model's public
 * `config`, `params` and constructor.
 *
 * @module
 */
import type { tf } from "../core/backend.ts";
import { assignWeights, loadCheckpoint, type LoadedCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint.ts";
import type { CacheAdapter } from "../checkpoint/model_cache.ts";
import { CharMlp, type CharMlpConfig } from "./char_mlp.ts";

/** The checkpoint kind of a {@link CharMlp}. */
export const CHAR_MLP_KIND = "char-mlp";

/** What {@link loadCharMlp} returns. */
export interface LoadedCharMlp {
  /** The model with its weights restored (dispose it when done). */
  model: CharMlp;
  /** The tokenizer's JSON, when one was saved (lib/text's `tokenizerFromJSON` rebuilds it). */
  tokenizer?: unknown;
  /** Training steps done. */
  step: number;
  /** The extra data saved with it. */
  extra?: unknown;
}

/** The model's weights by name, whether `params` is a record or a Map. */
function weightsOf(model: CharMlp): ReadonlyMap<string, tf.Variable> {
  const params = model.params as unknown as ReadonlyMap<string, tf.Variable> | Record<string, tf.Variable>;
  return params instanceof Map ? params : new Map(Object.entries(params));
}

function checkModel(model: unknown): CharMlp {
  if (!(model instanceof CharMlp)) {
    throw new TypeError(`Cannot save a character MLP as model must be a CharMlp: current value is ${model}`);
  }
  return model;
}

/** A new CharMlp with the config and weights of a loaded checkpoint (whose tensors may be disposed after). */
function charMlpFromCheckpoint(ckpt: LoadedCheckpoint): CharMlp {
  const model = new CharMlp(ckpt.config as CharMlpConfig);
  try {
    assignWeights(weightsOf(model), ckpt.weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * Saves a character MLP (and optionally its tokenizer, step and extra data) to a checkpoint directory, atomically.
 *
 * @param dir The checkpoint directory (a previous checkpoint there is replaced).
 * @param model The model.
 * @param opts The tokenizer (a lib/text tokenizer or its JSON), the step count and extra data to keep.
 * @throws {TypeError} When `model` is not a CharMlp.
 * @example
 * ```ts
 * import { CharMlp } from "@lib/nn/char_mlp.ts";
 * import { loadCharMlp, saveCharMlp } from "@lib/nn/char_mlp_checkpoint.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const model = new CharMlp({ vocabSize: 6, blockSize: 3, hidden: 8 });
 * await saveCharMlp(dir, model, { step: 40 });
 * const loaded = await loadCharMlp(dir);
 * assert.equal(loaded.step, 40);
 * assert.deepEqual(loaded.model.nextProbs([1, 2, 3]), model.nextProbs([1, 2, 3]));
 * [model, loaded.model].forEach((m) => m.dispose());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveCharMlp(
  dir: string,
  model: CharMlp,
  opts: { tokenizer?: unknown; step?: number; extra?: unknown } = {},
): Promise<void> {
  checkModel(model);
  await saveCheckpoint(dir, {
    kind: CHAR_MLP_KIND,
    config: { ...model.config },
    weights: weightsOf(model),
    tokenizer: opts.tokenizer,
    step: opts.step,
    extra: opts.extra,
  });
}

/**
 * Loads a character MLP saved by {@link saveCharMlp}.
 *
 * @param dir The checkpoint directory.
 * @returns The model (new weights), the tokenizer's JSON, the step and the extra data.
 * @throws {CheckpointError} When the checkpoint is missing, damaged or of another kind; {@link RangeError} when
 *   its config is invalid or a weight does not fit the model.
 */
export async function loadCharMlp(dir: string): Promise<LoadedCharMlp> {
  const ckpt = await loadCheckpoint(dir, { kind: CHAR_MLP_KIND });
  try {
    return { model: charMlpFromCheckpoint(ckpt), tokenizer: ckpt.tokenizer, step: ckpt.step, extra: ckpt.extra };
  } finally {
    ckpt.dispose();
  }
}

/** The model cache's adapter for a character MLP: `cached({ ...CHAR_MLP_CACHE, name, config, recipe, train })`. */
export const CHAR_MLP_CACHE: CacheAdapter<CharMlp> = Object.freeze({
  kind: CHAR_MLP_KIND,
  save: (model: CharMlp) => ({ config: { ...checkModel(model).config }, weights: weightsOf(model) }),
  load: charMlpFromCheckpoint,
});
