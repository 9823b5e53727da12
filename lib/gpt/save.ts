/**
 * Saving and loading a GPT — weights, config, tokenizer and, for a run in progress, the training state — in the
 * course's checkpoint format (lib/checkpoint: the weights in `model.safetensors`, which PyTorch reads with
 * bench/reference/read_safetensors.py). A training cell stopped by the learner resumes where it was:
 *
 * ```ts ignore
 * const run = await trainGpt(model, data, { checkpointInterval: 100, onCheckpoint: gptCheckpointer(dir, model, tok) });
 * // … later, or after a restart:
 * const { model, state } = await loadGpt(dir);
 * await trainGpt(model, data, { resumeFrom: state });
 * ```
 *
 * @module
 */
import { type Tokenizer, tokenizerFromJSON } from "../text/mod.ts";
import {
  assignWeights,
  CheckpointError,
  loadCheckpoint,
  type LoadedCheckpoint,
  saveCheckpoint,
} from "../checkpoint/checkpoint.ts";
import type { CacheAdapter } from "../checkpoint/model_cache.ts";
import { type GptConfig, gptConfig } from "./config.ts";
import { GPT } from "./model.ts";
import type { AdamWState } from "../nn/optim.ts";
import { type EvalInfo, trainGpt, type TrainOptions, type TrainResult, type TrainState } from "./train.ts";

/** The checkpoint kind of a GPT. */
export const GPT_KIND = "gpt";

/** A GPT read back by {@link loadGpt}. */
export interface LoadedGpt {
  /** The model, with its weights restored (dispose it when done). */
  model: GPT;
  /** The tokenizer saved with it, if any. */
  tokenizer?: Tokenizer;
  /** The training state to resume from (`trainGpt(model, data, { resumeFrom: state })`), if one was saved. */
  state?: TrainState;
  /** Training steps done. */
  step: number;
}

/**
 * Saves a GPT (and optionally its tokenizer and training state) to a checkpoint directory, atomically.
 *
 * @param dir The checkpoint directory (created; a previous checkpoint there is replaced).
 * @param model The GPT.
 * @param opts The tokenizer and the training state to keep.
 * @example
 * ```ts
 * import { GPT, GPT_TINY, loadGpt, saveGpt } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const model = new GPT(GPT_TINY);
 * await saveGpt(dir, model);
 * const loaded = await loadGpt(dir);
 * assert.deepEqual(loaded.model.param("wte.weight").arraySync(), model.param("wte.weight").arraySync());
 * [model, loaded.model].forEach((m) => m.dispose());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveGpt(
  dir: string,
  model: GPT,
  opts: { tokenizer?: Tokenizer; state?: TrainState } = {},
): Promise<void> {
  const { state, tokenizer } = opts;
  await saveCheckpoint(dir, {
    kind: GPT_KIND,
    config: { ...model.config },
    step: state?.iter ?? 0,
    weights: model.params,
    tokenizer,
    optimizer: state?.optimizer,
    extra: state ? { losses: state.losses, evals: state.evals, options: state.options } : undefined,
  });
}

/**
 * Loads a GPT saved by {@link saveGpt}: the model, its tokenizer and the training state to resume from.
 *
 * @param dir The checkpoint directory.
 * @returns The model (new variables), tokenizer, training state and step.
 * @throws {CheckpointError} When the checkpoint is missing or damaged; {@link RangeError} when its config is invalid.
 */
export async function loadGpt(dir: string): Promise<LoadedGpt> {
  const ckpt = await loadCheckpoint<GptConfig>(dir, { kind: GPT_KIND, validateConfig: (c) => void gptConfig(c) });
  try {
    const tokenizer = ckpt.tokenizer === undefined ? undefined : readTokenizer(dir, ckpt.tokenizer);
    const model = gptFromCheckpoint(ckpt);
    const extra = ckpt.extra as { losses: number[]; evals: EvalInfo[]; options: Record<string, number> } | undefined;
    const state: TrainState | undefined = extra && ckpt.optimizer
      ? {
        iter: ckpt.step,
        losses: extra.losses,
        evals: extra.evals,
        options: extra.options,
        optimizer: ckpt.optimizer as AdamWState,
      }
      : undefined;
    return { model, tokenizer, state, step: ckpt.step };
  } finally {
    ckpt.dispose();
  }
}

function readTokenizer(dir: string, json: unknown): Tokenizer {
  try {
    return tokenizerFromJSON(json);
  } catch (e) {
    throw new CheckpointError(
      `Cannot load checkpoint from "${dir}" as its tokenizer is invalid: ${(e as Error).message}`,
    );
  }
}

/**
 * A new GPT with the config and weights of a loaded checkpoint (the checkpoint's tensors may be disposed after).
 *
 * @param ckpt A checkpoint whose config is a GPT config and whose weights carry the GPT's names.
 * @returns The GPT (the caller disposes it).
 * @throws {CheckpointError} When a weight is missing or has another shape (the new GPT is disposed first).
 * @example
 * ```ts
 * import { loadCheckpoint, saveCheckpoint } from "@lib/checkpoint/mod.ts";
 * import { GPT, GPT_TINY, gptFromCheckpoint } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const a = new GPT(GPT_TINY, 5);
 * await saveCheckpoint(dir, { kind: "gpt", config: { ...a.config }, weights: a.params });
 * const ckpt = await loadCheckpoint(dir);
 * const b = gptFromCheckpoint(ckpt);
 * ckpt.dispose();
 * assert.deepEqual(b.param("wte.weight").arraySync(), a.param("wte.weight").arraySync());
 * [a, b].forEach((m) => m.dispose());
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export function gptFromCheckpoint(ckpt: LoadedCheckpoint): GPT {
  const model = new GPT(gptConfig(ckpt.config as Partial<GptConfig>));
  try {
    assignWeights(model.params, ckpt.weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}

/**
 * The model cache's adapter for a GPT (weights and config; train it with its recipe in `train`):
 * `cached({ ...GPT_CACHE, name: "gpt-poems", config, recipe, train })`.
 *
 * @example
 * ```ts
 * import { cached } from "@lib/checkpoint/mod.ts";
 * import { GPT, GPT_CACHE, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const options = { ...GPT_CACHE, name: "tiny", config: GPT_TINY, train: () => new GPT(GPT_TINY, 5) };
 * const root = await Deno.makeTempDir();
 * const [a, b] = [await cached({ ...options, root, quiet: true }), await cached({ ...options, root, quiet: true })];
 * assert.deepEqual(b.param("wte.weight").arraySync(), a.param("wte.weight").arraySync());
 * [a, b].forEach((m) => m.dispose());
 * await Deno.remove(root, { recursive: true });
 * ```
 */
export const GPT_CACHE: CacheAdapter<GPT> = Object.freeze({
  kind: GPT_KIND,
  save: (model: GPT) => ({ config: { ...model.config }, weights: model.params }),
  load: gptFromCheckpoint,
});

/**
 * An `onCheckpoint` callback for {@link trainGpt} that saves the model, tokenizer and state to `dir`.
 *
 * @param dir The checkpoint directory.
 * @param model The GPT being trained.
 * @param tokenizer Its tokenizer (saved alongside, so sampling needs only the directory).
 * @returns The callback.
 */
export function gptCheckpointer(dir: string, model: GPT, tokenizer?: Tokenizer): (state: TrainState) => Promise<void> {
  return (state) => saveGpt(dir, model, { tokenizer, state });
}

/** What {@link trainResumable} returns. */
export interface ResumableRun {
  /** The trained model (dispose it when done). */
  model: GPT;
  /** The run (its `opt` is disposed already). */
  run: TrainResult;
  /** The step the run resumed from (0 for a fresh start). */
  resumedFrom: number;
}

/**
 * Trains a GPT with checkpoints in `dir`, resuming from the checkpoint there when it holds a run of the same config:
 * a notebook cell that the learner stopped (or a kernel that restarted) continues where it was when re-run.
 *
 * @param dir The checkpoint directory.
 * @param config The model's config (a checkpoint of another config is ignored and overwritten).
 * @param data Token ids of the train split, and optionally of the val split.
 * @param options Training options; `checkpointInterval` defaults to `evalInterval` (or 100).
 * @param tokenizer A tokenizer to keep in the checkpoint.
 * @returns The model, the run, and where it resumed from.
 * @example
 * ```ts
 * import { GPT_TINY, trainResumable } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const dir = await Deno.makeTempDir();
 * const train = Array.from({ length: 200 }, (_, i) => i % 11);
 * const options = { maxIters: 6, batchSize: 2, evalInterval: 3, evalIters: 1, progress: false };
 * const first = await trainResumable(dir, GPT_TINY, { train }, options);
 * first.model.dispose();
 * const again = await trainResumable(dir, GPT_TINY, { train }, { ...options, maxIters: 9 });
 * assert.equal(again.resumedFrom, 6);
 * assert.equal(again.run.losses.length, 9);
 * again.model.dispose();
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function trainResumable(
  dir: string,
  config: Partial<GptConfig>,
  data: { train: ArrayLike<number>; val?: ArrayLike<number> },
  options: Partial<TrainOptions> = {},
  tokenizer?: Tokenizer,
): Promise<ResumableRun> {
  const wanted = gptConfig(config);
  let model: GPT | null = null, state: TrainState | undefined;
  const saved = await loadGpt(dir).catch(() => null);
  if (saved && JSON.stringify(saved.model.config) === JSON.stringify(wanted) && saved.state) {
    [model, state] = [saved.model, saved.state];
  } else {
    saved?.model.dispose();
    model = new GPT(wanted, options.seed);
  }
  const interval = options.checkpointInterval || options.evalInterval || 100;
  const run = await trainGpt(model, data, {
    ...options,
    resumeFrom: state,
    checkpointInterval: interval,
    onCheckpoint: async (s) => {
      await saveGpt(dir, model!, { tokenizer, state: s });
      await options.onCheckpoint?.(s);
    },
  }).catch((error) => {
    model!.dispose(); // stopped or failed: the checkpoint holds the weights, re-running the cell reloads them
    throw error;
  });
  run.opt.dispose();
  return { model, run, resumedFrom: state?.iter ?? 0 };
}
