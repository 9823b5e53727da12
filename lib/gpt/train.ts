/**
 * Training a GPT: lib/nn's training loop with nanoGPT's recipe — random windows of the token stream, AdamW, a warmup +
 * cosine learning rate, gradient clipping, train/val loss estimates, callbacks and periodic checkpoints.
 *
 * Every batch is drawn from a generator seeded by (seed, iteration), so a run resumed from a checkpoint draws the
 * same batches as an uninterrupted one and continues the same loss curve.
 *
 * @module
 */
import { Prng, SEED } from "../core/mod.ts";
import type { GPT } from "./model.ts";
import { AdamW, type AdamWState } from "../nn/optim.ts";
import { cosineLr } from "../nn/lr_schedule.ts";
import { getBatch } from "../nn/get_batch.ts";
import {
  type Batch,
  type BatchSource,
  type EvalRecord,
  evaluateLoss,
  type LoopState,
  type StepInfo,
  train,
  TrainingStopped,
} from "../nn/train.ts";
import { checkInteger, checkPositive, checkPositiveInteger } from "../core/validate.ts";

export {
  type Batch,
  getBatch,
  iterPrng,
  type StepInfo,
  type StepOptions,
  TrainingStopped,
  trainStep,
} from "../nn/mod.ts";

/**
 * Mean loss over `evalIters` random windows of each split (no dropout), with batches fixed by `seed`.
 *
 * @param model The GPT.
 * @param splits Token ids by split name, e.g. `{train, val}`.
 * @param opts Number of batches, batch size, seed.
 * @returns Mean loss by split name.
 * @example
 * ```ts
 * import { estimateLoss, GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const data = Array.from({ length: 50 }, (_, i) => i % 11);
 * const loss = await estimateLoss(model, { train: data }, { evalIters: 2, batchSize: 2 });
 * assert.ok(Math.abs(loss.train - Math.log(11)) < 0.5);
 * ```
 */
export function estimateLoss(
  model: GPT,
  splits: Record<string, ArrayLike<number>>,
  opts: { evalIters?: number; batchSize?: number; seed?: number } = {},
): Promise<Record<string, number>> {
  const { evalIters = 20, batchSize = 12, seed = SEED } = opts;
  return evaluateLoss(model, windowSources(model, splits, batchSize), { iters: evalIters, seed });
}

/** A batch source of random windows for each split. */
function windowSources(
  model: GPT,
  splits: Record<string, ArrayLike<number>>,
  batchSize: number,
): Record<string, BatchSource> {
  const window = (data: ArrayLike<number>): BatchSource => (_, prng) =>
    getBatch(data, model.config.blockSize, batchSize, prng);
  return Object.fromEntries(Object.entries(splits).map(([name, data]) => [name, window(data)]));
}

/** Settings of {@link trainGpt} (defaults: nanoGPT's baby-GPT CPU run, shortened to 2000 iterations). */
export interface TrainOptions {
  /** Iterations to run in total (a resumed run stops at the same total). */
  maxIters: number;
  /** Windows per batch. */
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  /** Final learning rate of the cosine (default lr / 10). */
  minLr?: number;
  /** Linear warmup steps. */
  warmupIters: number;
  /** Step where the cosine ends (default maxIters). */
  decayIters?: number;
  /** AdamW weight decay (matrices only). */
  weightDecay: number;
  /** AdamW betas. */
  beta1: number;
  beta2: number;
  /** Clip gradients to this global norm (0 = off). */
  gradClip: number;
  /** Estimate train/val loss every this many iterations (and at the end); 0 = never. */
  evalInterval: number;
  /** Batches per loss estimate. */
  evalIters: number;
  /** Seed of batches and dropout. */
  seed: number;
  /** Show a progress bar (HTML in the notebook, text lines elsewhere). */
  progress: boolean;
  /**
   * A live chart to push the losses to, e.g. lib/plot's `LiveChart` (anything with `push(x, values)`): series
   * `train` and `val` at each estimate, and `batch` (mean loss of the last `chartEvery` steps).
   */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Steps per `batch` point on the chart. */
  chartEvery: number;
  /** Called after every step; may be async (awaited). Return `false` to stop training. */
  onStep?: (info: StepInfo) => unknown;
  /** Called after every loss estimate; may be async (awaited). */
  onEval?: (info: EvalInfo) => unknown;
  /** Called with the state to save every `checkpointInterval` steps and at the end (see checkpoint.ts). */
  onCheckpoint?: (state: TrainState) => unknown;
  /** Steps between checkpoints (0 = only at the end). */
  checkpointInterval: number;
  /**
   * Where batches come from instead of random windows of `data.train` (e.g. prompt/answer pairs for fine-tuning,
   * with `weights` masking the prompt out of the loss). Called with the iteration and its generator; the tensors it
   * returns are disposed after the step. Loss estimates still use windows of the splits (`evalInterval: 0` skips them).
   */
  batch?: (iter: number, prng: Prng) => Batch;
  /** An optimizer to continue with (default: a new AdamW from these settings). */
  optimizer?: AdamW;
  /** State to resume from (iteration, history, optimizer moments), as passed to onCheckpoint. */
  resumeFrom?: TrainState;
}

/** Reported after each loss estimate. */
export interface EvalInfo {
  iter: number;
  train: number;
  val?: number;
}

/** Where a training run is: enough, with the model's weights, to resume it exactly. */
export interface TrainState extends LoopState<AdamWState, EvalInfo> {}

/** Defaults of {@link TrainOptions}. */
export const TRAIN_DEFAULTS: Readonly<TrainOptions> = Object.freeze({
  maxIters: 2000,
  batchSize: 12,
  lr: 1e-3,
  warmupIters: 100,
  weightDecay: 0.1,
  beta1: 0.9,
  beta2: 0.99,
  gradClip: 1,
  evalInterval: 250,
  evalIters: 20,
  seed: SEED,
  progress: true,
  chartEvery: 10,
  checkpointInterval: 0,
});

/** What {@link trainGpt} returns. */
export interface TrainResult extends TrainState {
  /** The optimizer (to continue training; dispose it when done). */
  opt: AdamW;
  /** Wall-clock milliseconds of this call. */
  ms: number;
}

function checkTrainOptions(o: TrainOptions): void {
  for (const name of ["maxIters", "batchSize", "chartEvery"] as const) checkPositiveInteger(o[name], name, "train");
  for (const name of ["warmupIters", "evalInterval", "evalIters", "checkpointInterval"] as const) {
    checkInteger(o[name], name, "train");
  }
  checkPositive(o.lr, "lr", "train");
}

/**
 * Trains a GPT: warmup + cosine learning rate, AdamW, gradient clipping, loss estimates every `evalInterval` steps,
 * a progress bar, an optional live chart, callbacks, and checkpoints through `onCheckpoint` (resume with
 * `resumeFrom`: the same batches follow, so the loss curve continues as if never stopped).
 *
 * @param model The GPT (trained in place).
 * @param data Token ids of the train split, and optionally of the val split.
 * @param options Overrides of {@link TRAIN_DEFAULTS}.
 * @returns The run's state (losses, estimates, optimizer) and wall time.
 * @throws {RangeError} For invalid options or a split shorter than blockSize + 1 tokens.
 * @example
 * ```ts
 * import { GPT, GPT_TINY, trainGpt } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const train = Array.from({ length: 200 }, (_, i) => i % 11);
 * const run = await trainGpt(model, { train }, { maxIters: 30, batchSize: 4, warmupIters: 0, lr: 1e-2, progress: false });
 * assert.ok(run.evals.at(-1)!.train < run.evals[0].train / 2);
 * run.opt.dispose();
 * model.dispose();
 * ```
 */
export async function trainGpt(
  model: GPT,
  data: { train: ArrayLike<number>; val?: ArrayLike<number> },
  options: Partial<TrainOptions> = {},
): Promise<TrainResult> {
  const o: TrainOptions = { ...TRAIN_DEFAULTS, ...options };
  checkTrainOptions(o);
  const schedule = {
    lr: o.lr,
    warmupIters: o.warmupIters,
    decayIters: o.decayIters ?? o.maxIters,
    minLr: o.minLr ?? o.lr / 10,
  };
  const opt = o.optimizer ??
    new AdamW(model.params, { lr: o.lr, beta1: o.beta1, beta2: o.beta2, weightDecay: o.weightDecay });
  const splits = windowSources(
    model,
    data.val ? { train: data.train, val: data.val } : { train: data.train },
    o.batchSize,
  );
  try {
    const run = await train<AdamWState>({
      model,
      optimizer: opt,
      steps: o.maxIters,
      batches: o.batch ?? splits.train,
      lr: (it) => cosineLr(it, schedule),
      gradClip: o.gradClip,
      seed: o.seed,
      evalSplits: splits,
      evalIters: o.evalIters,
      evalInterval: o.evalInterval,
      progress: o.progress,
      chart: o.chart,
      chartEvery: o.chartEvery,
      onStep: o.onStep,
      onEval: o.onEval as ((info: EvalRecord) => unknown) | undefined,
      onCheckpoint: o.onCheckpoint as ((state: LoopState<AdamWState>) => unknown) | undefined,
      checkpointInterval: o.checkpointInterval,
      resumeFrom: o.resumeFrom as LoopState<AdamWState> | undefined,
      record: { ...schedule, maxIters: o.maxIters, batchSize: o.batchSize },
    });
    const { iter, losses, evals, optimizer, options: record, ms } = run;
    return { iter, losses, evals: evals as unknown as EvalInfo[], optimizer, options: record, opt, ms };
  } catch (e) {
    if (e instanceof TrainingStopped && !o.optimizer) opt.dispose();
    throw e;
  }
}
