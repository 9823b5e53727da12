/**
 * Training a GPT: random batches, one AdamW step, loss estimates on train and val, and the loop that ties them
 * together with a warmup + cosine schedule, gradient clipping, callbacks and periodic checkpoints.
 *
 * Every batch is drawn from a generator seeded by (seed, iteration), so a run resumed from a checkpoint draws the
 * same batches as an uninterrupted one and continues the same loss curve.
 *
 * @module
 */
import { Prng, SEED, tf } from "../core/mod.ts";
import { progress } from "../notebook/progress.ts";
import { inJupyter } from "../notebook/display.ts";
import { explainWasmError } from "../core/kernels/wasm_memory.ts";
import type { GPT } from "./model.ts";
import { AdamW, type AdamWState, cosineLr } from "../nn/optim.ts";

/** A batch: inputs and next-token targets, both `[B, T]` int32, and optional per-token loss weights `[B, T]`. */
export interface Batch {
  x: tf.Tensor2D;
  y: tf.Tensor2D;
  weights?: tf.Tensor2D;
}

/**
 * Draws `batchSize` random windows of `blockSize + 1` tokens: x is each window's first T tokens, y its last T.
 *
 * @param data Token ids.
 * @param blockSize Context length T.
 * @param batchSize Number of windows B.
 * @param prng The generator choosing window starts.
 * @returns `{x, y}`, both `[B, T]` int32 (caller disposes).
 * @throws {RangeError} When the data is shorter than blockSize + 1 tokens.
 * @example
 * ```ts
 * import { getBatch } from "@lib/gpt/mod.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = getBatch([0, 1, 2, 3, 4, 5], 3, 2, new Prng(1));
 * const [xs, ys] = [x.arraySync(), y.arraySync()];
 * assert.deepEqual(ys[0], xs[0].map((t) => t + 1));
 * ```
 */
export function getBatch(data: ArrayLike<number>, blockSize: number, batchSize: number, prng: Prng): Batch {
  if (data.length < blockSize + 1) {
    throw new RangeError(
      `Cannot draw a batch as the data has ${data.length} tokens: it needs at least blockSize + 1 = ${blockSize + 1}`,
    );
  }
  const xs = new Int32Array(batchSize * blockSize), ys = new Int32Array(batchSize * blockSize);
  for (let b = 0; b < batchSize; b++) {
    const start = prng.int(data.length - blockSize);
    for (let t = 0; t < blockSize; t++) {
      xs[b * blockSize + t] = data[start + t];
      ys[b * blockSize + t] = data[start + t + 1];
    }
  }
  return { x: tf.tensor2d(xs, [batchSize, blockSize], "int32"), y: tf.tensor2d(ys, [batchSize, blockSize], "int32") };
}

/**
 * The generator for one iteration's batch and dropout: it depends only on the run's seed and the iteration, so a
 * resumed run draws what an uninterrupted one would.
 *
 * @param seed The run's seed.
 * @param iter The iteration.
 * @param stream Another independent stream for the same iteration (default 0).
 * @returns A fresh generator.
 * @example
 * ```ts
 * import { iterPrng } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(iterPrng(1337, 5).next(), iterPrng(1337, 5).next());
 * assert.notEqual(iterPrng(1337, 5).next(), iterPrng(1337, 6).next());
 * ```
 */
export function iterPrng(seed: number, iter: number, stream = 0): Prng {
  return new Prng(
    (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(iter + 1, 0x85ebca6b) ^ Math.imul(stream + 1, 0x27d4eb2f)) | 0,
  );
}

/** Settings of one {@link trainStep}. */
export interface StepOptions {
  /** Learning rate for this step. */
  lr?: number;
  /** Clip the gradients' global norm to this (0 = no clipping). */
  gradClip?: number;
  /** Per-token loss weights `[B, T]` (loss masking). */
  weights?: tf.Tensor;
  /** Seed or generator for dropout. */
  seed?: number | Prng;
}

/**
 * One training step: forward, backward, clip, AdamW update. Leaves the number of tensors unchanged.
 *
 * @param model The GPT.
 * @param opt Its optimizer.
 * @param x Inputs `[B, T]`.
 * @param y Targets `[B, T]`.
 * @param opts Learning rate, clipping, loss weights, dropout seed.
 * @returns The batch's loss before the update.
 * @example
 * ```ts
 * import { GPT, GPT_TINY, trainStep } from "@lib/gpt/mod.ts";
 * import { AdamW } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const opt = new AdamW(model.params);
 * const x = tf.tensor2d([[1, 2, 3]], [1, 3], "int32");
 * const first = await trainStep(model, opt, x, x, { lr: 1e-2 });
 * for (let i = 0; i < 20; i++) await trainStep(model, opt, x, x, { lr: 1e-2 });
 * assert.ok(await trainStep(model, opt, x, x) < first);
 * ```
 */
export async function trainStep(
  model: GPT,
  opt: AdamW,
  x: tf.Tensor,
  y: tf.Tensor,
  opts: StepOptions = {},
): Promise<number> {
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  try {
    result = tf.variableGrads(
      () => model.forward(x, y, { training: true, weights: opts.weights, seed: opts.seed }).loss!,
      [...model.params.values()],
    );
  } catch (e) {
    throw explainWasmError(e, tf.backend()); // a wasm trap when the 4 GiB heap is full says so
  }
  const { value, grads } = result;
  try {
    await opt.step(grads, opts.lr, opts.gradClip ?? 0);
    return (await value.data())[0]; // read after the update is queued: a GPU does both without a pause between
  } finally {
    tf.dispose([value, ...Object.values(grads)]);
  }
}

/**
 * Mean loss over `evalIters` random batches of each split (no dropout), with batches fixed by `seed`.
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
export async function estimateLoss(
  model: GPT,
  splits: Record<string, ArrayLike<number>>,
  opts: { evalIters?: number; batchSize?: number; seed?: number } = {},
): Promise<Record<string, number>> {
  const { evalIters = 20, batchSize = 12, seed = SEED } = opts;
  const out: Record<string, number> = {};
  for (const [name, data] of Object.entries(splits)) {
    const prng = new Prng(seed);
    let total = 0;
    for (let i = 0; i < evalIters; i++) {
      const { x, y } = getBatch(data, model.config.blockSize, batchSize, prng);
      const { logits, loss } = model.forward(x, y);
      total += (await loss!.data())[0];
      tf.dispose([x, y, logits, loss!]);
    }
    out[name] = total / evalIters;
  }
  return out;
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

/** Reported after each step. */
export interface StepInfo {
  iter: number;
  loss: number;
  lr: number;
  /** Milliseconds the step took. */
  ms: number;
}

/** Reported after each loss estimate. */
export interface EvalInfo {
  iter: number;
  train: number;
  val?: number;
}

/** Where a training run is: enough, with the model's weights, to resume it exactly. */
export interface TrainState {
  /** Iterations done. */
  iter: number;
  /** Loss of every step so far. */
  losses: number[];
  /** Every loss estimate so far. */
  evals: EvalInfo[];
  /** The optimizer's moments. */
  optimizer: AdamWState;
  /** The settings of the run (for the record). */
  options: Record<string, number>;
}

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
  for (const name of ["maxIters", "batchSize"] as const) {
    if (!Number.isInteger(o[name]) || o[name] <= 0) {
      throw new RangeError(`Cannot train as ${name} must be a positive integer: current value is ${o[name]}`);
    }
  }
  if (!Number.isInteger(o.chartEvery) || o.chartEvery <= 0) {
    throw new RangeError(`Cannot train as chartEvery must be a positive integer: current value is ${o.chartEvery}`);
  }
  for (const name of ["warmupIters", "evalInterval", "evalIters", "checkpointInterval"] as const) {
    if (!Number.isInteger(o[name]) || o[name] < 0) {
      throw new RangeError(`Cannot train as ${name} must be an integer ≥ 0: current value is ${o[name]}`);
    }
  }
  if (!(o.lr > 0) || !Number.isFinite(o.lr)) {
    throw new RangeError(`Cannot train as lr must be a positive number: current value is ${o.lr}`);
  }
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
  const r = o.resumeFrom;
  if (r) opt.setState(r.optimizer);
  const state: TrainState = {
    iter: r?.iter ?? 0,
    losses: [...(r?.losses ?? [])],
    evals: [...(r?.evals ?? [])],
    optimizer: r?.optimizer ?? { t: 0, m: {}, v: {} },
    options: { ...schedule, maxIters: o.maxIters, batchSize: o.batchSize, seed: o.seed, gradClip: o.gradClip },
  };
  const splits: Record<string, ArrayLike<number>> = data.val
    ? { train: data.train, val: data.val }
    : { train: data.train };
  const evaluate = async () => {
    if (state.evals.at(-1)?.iter === state.iter) return;
    const l = await estimateLoss(model, splits, { evalIters: o.evalIters, batchSize: o.batchSize, seed: o.seed });
    const info: EvalInfo = data.val
      ? { iter: state.iter, train: l.train, val: l.val }
      : { iter: state.iter, train: l.train };
    state.evals.push(info);
    await o.chart?.push(state.iter, data.val ? { train: l.train, val: l.val } : { train: l.train });
    await o.onEval?.(info);
  };
  const save = async () => {
    if (!o.onCheckpoint) return;
    state.optimizer = await opt.getState();
    await o.onCheckpoint(state);
  };
  const start = performance.now();
  const bar = o.progress ? progress(o.maxIters, { label: "train" }) : null;
  bar?.advance(state.iter);
  let lastYield = performance.now(), chartSum = 0, chartN = 0;
  const interrupt = watchInterrupt();
  try {
    while (state.iter < o.maxIters && !interrupt.stopped) {
      if (o.evalInterval > 0 && state.iter % o.evalInterval === 0) await evaluate();
      const it = state.iter, lr = cosineLr(it, schedule), prng = iterPrng(o.seed, it);
      const t0 = performance.now();
      const { x, y, weights } = o.batch
        ? o.batch(it, prng)
        : getBatch(data.train, model.config.blockSize, o.batchSize, prng);
      const loss = await trainStep(model, opt, x, y, { lr, gradClip: o.gradClip, seed: prng, weights });
      tf.dispose(weights ? [x, y, weights] : [x, y]);
      const ms = performance.now() - t0;
      state.losses.push(loss);
      state.iter = it + 1;
      bar?.set({ loss: Number(loss.toFixed(4)) }).advance();
      [chartSum, chartN] = [chartSum + loss, chartN + 1];
      if (o.chart && chartN >= o.chartEvery) {
        await o.chart.push(state.iter, { batch: chartSum / chartN });
        [chartSum, chartN] = [0, 0];
      }
      const stop = await o.onStep?.({ iter: it, loss, lr, ms });
      if (o.checkpointInterval > 0 && state.iter % o.checkpointInterval === 0) await save();
      if (stop === false) break;
      if (performance.now() - lastYield > 100) {
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the notebook show the bar and the chart
        lastYield = performance.now();
      }
    }
    if (o.evalInterval > 0 && state.iter === o.maxIters) await evaluate();
    await save();
    await bar?.done();
  } finally {
    interrupt.close();
  }
  if (interrupt.stopped && state.iter < o.maxIters) {
    if (!o.optimizer) opt.dispose();
    throw new TrainingStopped(state.iter, o.onCheckpoint !== undefined);
  }
  return { ...state, optimizer: await opt.getState(), opt, ms: performance.now() - start };
}

/**
 * Thrown by {@link trainGpt} when the learner interrupts the training cell (Kernel ▸ Interrupt, or the ■ button):
 * the loop stops at the end of the current step, saves its checkpoint (when it keeps one), and the cell ends with
 * this one-line message instead of the kernel dying, which is what an interrupt does to the Deno kernel otherwise.
 *
 * @example
 * ```ts
 * import { TrainingStopped } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const stopped = new TrainingStopped(120, true);
 * assert.equal(stopped.message, "Training stopped at step 120: run the cell again to resume from there");
 * assert.equal(stopped.stack, stopped.message);
 * ```
 */
export class TrainingStopped extends Error {
  /**
   * @param iter The step training reached.
   * @param resumable Whether a checkpoint was saved at that step.
   */
  constructor(readonly iter: number, resumable: boolean) {
    super(
      `Training stopped at step ${iter}: ` +
        (resumable
          ? "run the cell again to resume from there"
          : "no checkpoint is kept, but the model in memory keeps what it learned so far"),
    );
    this.name = "TrainingStopped";
    this.stack = this.message; // the learner sees one line, not a stack trace
  }
}

/**
 * In the Jupyter kernel, turns SIGINT (what Kernel ▸ Interrupt sends) into a flag the training loop checks, for as
 * long as the loop runs; elsewhere (scripts, tests) SIGINT keeps its usual meaning.
 */
function watchInterrupt(): { readonly stopped: boolean; close(): void } {
  let stopped = false;
  if (!inJupyter() || Deno.build.os === "windows") return { stopped, close() {} };
  const onInterrupt = () => void (stopped = true);
  Deno.addSignalListener("SIGINT", onInterrupt);
  return {
    get stopped() {
      return stopped;
    },
    close: () => Deno.removeSignalListener("SIGINT", onInterrupt),
  };
}
