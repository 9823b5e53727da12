/**
 * The training loop of every supervised model in the course: draw a batch, one optimizer step, now and then a loss
 * estimate on named splits, and around it a progress bar, a live chart, callbacks, early stopping, checkpoints
 * through a callback, and a stop from the notebook (Kernel ▸ Interrupt) that ends the cell with one line.
 *
 * Every batch is drawn from a generator seeded by (seed, iteration) ({@link iterPrng}), so a run resumed from its
 * state draws the same batches (and dropout masks) as an uninterrupted one and continues the same loss curve.
 *
 * The loop reads one number per step: the batch loss, after the update is queued (the progress bar and the
 * recorded curve need it). Everything else it shows — the chart, the bar — throttles itself.
 *
 * @module
 */
import { Prng, SEED, tf } from "../core/mod.ts";
import { explainWasmError } from "../core/kernels/wasm_memory.ts";
import { checkInteger, checkPositive, checkPositiveInteger } from "../core/validate.ts";
import { inJupyter } from "../notebook/display.ts";
import { progress } from "../notebook/progress.ts";
import type { ForwardOptions, Trainable } from "./model.ts";
import type { Optimizer } from "./optimizer.ts";

/** A batch: inputs, targets and optional per-target loss weights (what a model's `forward(x, y, …)` takes). */
export interface Batch {
  x: tf.Tensor;
  y: tf.Tensor;
  weights?: tf.Tensor;
}

/**
 * Where batches come from: called with the iteration (or the index of an evaluation batch) and a generator to draw
 * with; the loop disposes the tensors it returns.
 */
export type BatchSource = (iter: number, prng: Prng) => Batch;

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
 * import { iterPrng } from "@lib/nn/train.ts";
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
  /** Learning rate for this step (default: the optimizer's). */
  lr?: number;
  /** Clip the gradients' global norm to this (0 = no clipping). */
  gradClip?: number;
  /** Per-target loss weights (loss masking). */
  weights?: tf.Tensor;
  /** Seed or generator for dropout. */
  seed?: number | Prng;
}

/**
 * One training step: forward in training mode, backward, clip, optimizer update. Leaves the number of tensors
 * unchanged.
 *
 * @param model The model (its `params` are trained).
 * @param opt Its optimizer.
 * @param x Inputs.
 * @param y Targets.
 * @param opts Learning rate, clipping, loss weights, dropout seed.
 * @returns The batch's loss before the update.
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { AdamW, trainStep } from "@lib/nn/mod.ts";
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
  model: Trainable,
  opt: Optimizer,
  x: tf.Tensor,
  y: tf.Tensor,
  opts: StepOptions = {},
): Promise<number> {
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
  const forward: ForwardOptions = { training: true, weights: opts.weights, seed: opts.seed };
  try {
    result = tf.variableGrads(() => lossOf(model, x, y, forward), [...model.params.values()]);
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

/** The loss a model's forward pass returns, disposing what else it returned. */
function lossOf(model: Trainable, x: tf.Tensor, y: tf.Tensor, opts: ForwardOptions): tf.Scalar {
  const out = model.forward(x, y, opts);
  if (!out.loss) throw new TypeError("Cannot train as the model's forward(x, y) returned no loss");
  if (out.logits) out.logits.dispose();
  return out.loss;
}

/**
 * Mean loss over `iters` batches of each named split (evaluation mode: no dropout), each split's batches drawn by
 * one generator seeded with `seed`, so two calls on the same weights give the same numbers.
 *
 * @param model The model.
 * @param splits A batch source by split name, e.g. `{train, val}`.
 * @param opts Batches per split (default 20) and seed (default 1337).
 * @returns Mean loss by split name.
 * @throws {RangeError} When `iters` is not a positive integer.
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { evaluateLoss, getBatch } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const data = Array.from({ length: 50 }, (_, i) => i % 11);
 * const loss = await evaluateLoss(model, { train: (_, prng) => getBatch(data, 8, 2, prng) }, { iters: 2 });
 * assert.ok(Math.abs(loss.train - Math.log(11)) < 0.5);
 * model.dispose();
 * ```
 */
export async function evaluateLoss(
  model: Trainable,
  splits: Record<string, BatchSource>,
  opts: { iters?: number; seed?: number } = {},
): Promise<Record<string, number>> {
  const { iters = 20, seed = SEED } = opts;
  checkPositiveInteger(iters, "iters", "estimate the loss");
  const out: Record<string, number> = {};
  for (const [name, source] of Object.entries(splits)) {
    const prng = new Prng(seed);
    let total = 0;
    for (let i = 0; i < iters; i++) {
      const { x, y, weights } = source(i, prng);
      const { logits, loss } = model.forward(x, y, { weights });
      total += (await loss!.data())[0];
      tf.dispose([x, y, logits, loss!, ...(weights ? [weights] : [])]);
    }
    out[name] = total / iters;
  }
  return out;
}

/** A loss estimate: the iteration and the mean loss of each split, e.g. `{iter: 250, train: 1.9, val: 2.0}`. */
export type EvalRecord = { iter: number } & Record<string, number>;

/** Reported after each step. */
export interface StepInfo {
  /** The step just taken (0-based). */
  iter: number;
  /** Its batch loss. */
  loss: number;
  /** Its learning rate. */
  lr: number;
  /** Milliseconds the step took. */
  ms: number;
}

/** Where a run is: with the model's weights, enough to resume it exactly. */
export interface LoopState<S = unknown, E extends { iter: number } = EvalRecord> {
  /** Iterations done. */
  iter: number;
  /** Loss of every step so far. */
  losses: number[];
  /** Every loss estimate so far. */
  evals: E[];
  /** The optimizer's state (its `getState()`). */
  optimizer: S;
  /** The settings of the run (for the record). */
  options: Record<string, number>;
}

/** Stop when a split's loss has not improved for a while. */
export interface EarlyStopping {
  /** The split to watch, e.g. `"val"`. */
  split: string;
  /** Loss estimates in a row without improvement before stopping. */
  patience: number;
  /** The least fall that counts as an improvement (default 0). */
  minDelta?: number;
}

/** Settings of {@link train}. */
export interface LoopOptions<S = unknown> {
  /** The model to train (in place). */
  model: Trainable;
  /** Its optimizer (owned by the caller: the loop never disposes it). */
  optimizer: Optimizer<S>;
  /** The training batches. */
  batches: BatchSource;
  /** Steps in total (a resumed run stops at the same total). Give this or `epochs`. */
  steps?: number;
  /** Passes over the data, with `stepsPerEpoch` steps each (steps = epochs · stepsPerEpoch). */
  epochs?: number;
  /** Steps per epoch (see {@link epochBatches}); also the default `evalInterval` of an epoch run. */
  stepsPerEpoch?: number;
  /** Learning rate: a constant or a schedule of the iteration (e.g. `(it) => cosineLr(it, s)`). */
  lr: number | ((iter: number) => number);
  /** Clip gradients to this global norm (default 0 = off). */
  gradClip?: number;
  /** Seed of batches and dropout (default 1337). */
  seed?: number;
  /** Batch sources of the splits to estimate the loss on, e.g. `{train, val}`. */
  evalSplits?: Record<string, BatchSource>;
  /** Batches per estimate (default 20). */
  evalIters?: number;
  /** Estimate every this many steps and at the end; 0 = never (default: stepsPerEpoch for an epoch run, else 0). */
  evalInterval?: number;
  /** Stop when a split's estimate stops improving (needs `evalSplits` with that split and an `evalInterval`). */
  earlyStopping?: EarlyStopping;
  /** Show a progress bar (HTML in the notebook, text lines elsewhere): true, or its label. Default true. */
  progress?: boolean | string;
  /**
   * A live chart, e.g. lib/plot's `LiveChart` (anything with `push(x, values)`): each split at each estimate, and
   * `batch` (mean loss of the last `chartEvery` steps). A resumed run draws its history on it first.
   */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Steps per `batch` point on the chart (default 10). */
  chartEvery?: number;
  /** Called after every step; may be async (awaited). Return `false` to stop training. */
  onStep?: (info: StepInfo) => unknown;
  /** Called after every loss estimate; may be async (awaited). */
  onEval?: (info: EvalRecord) => unknown;
  /** Called with the state to save every `checkpointInterval` steps, at the end, and when the learner stops. */
  onCheckpoint?: (state: LoopState<S>) => unknown;
  /** Steps between checkpoints (default 0 = only at the end). */
  checkpointInterval?: number;
  /** State to resume from (as passed to onCheckpoint, or carried by {@link TrainingStopped}). */
  resumeFrom?: LoopState<S>;
  /** Numbers recorded in the state's `options` (e.g. the schedule). */
  record?: Record<string, number>;
}

/** What {@link train} returns: the final state, plus how it ended. */
export interface LoopResult<S = unknown> extends LoopState<S> {
  /** Wall-clock milliseconds of this call. */
  ms: number;
  /** Whether early stopping ended the run. */
  stoppedEarly: boolean;
}

interface Settings<S> extends Required<Omit<LoopOptions<S>, "epochs" | "stepsPerEpoch" | "earlyStopping" | "chart">> {
  earlyStopping?: EarlyStopping;
  chart?: LoopOptions<S>["chart"];
}

function settings<S>(o: LoopOptions<S>): Settings<S> {
  const action = "train";
  if ((o.steps === undefined) === (o.epochs === undefined)) {
    throw new RangeError(
      `Cannot train as exactly one of steps and epochs must be given: current values are ${o.steps} and ${o.epochs}`,
    );
  }
  if (o.epochs !== undefined) {
    checkPositiveInteger(o.epochs, "epochs", action);
    checkPositiveInteger(o.stepsPerEpoch as number, "stepsPerEpoch", action);
  }
  const steps = o.steps ?? o.epochs! * o.stepsPerEpoch!;
  checkPositiveInteger(steps, "steps", action);
  if (typeof o.lr === "number") checkPositive(o.lr, "lr", action);
  else if (typeof o.lr !== "function") {
    throw new TypeError(`Cannot train as lr must be a number or a function of the iteration: got ${typeof o.lr}`);
  }
  if (typeof o.batches !== "function") {
    throw new TypeError(`Cannot train as batches must be a function (iter, prng) => {x, y}: got ${typeof o.batches}`);
  }
  const s: Settings<S> = {
    model: o.model,
    optimizer: o.optimizer,
    batches: o.batches,
    steps,
    lr: o.lr,
    gradClip: o.gradClip ?? 0,
    seed: o.seed ?? SEED,
    evalSplits: o.evalSplits ?? {},
    evalIters: o.evalIters ?? 20,
    evalInterval: o.evalInterval ?? (o.epochs !== undefined ? o.stepsPerEpoch! : 0),
    earlyStopping: o.earlyStopping,
    progress: o.progress ?? true,
    chart: o.chart,
    chartEvery: o.chartEvery ?? 10,
    onStep: o.onStep ?? (() => {}),
    onEval: o.onEval ?? (() => {}),
    onCheckpoint: o.onCheckpoint ?? (() => {}),
    checkpointInterval: o.checkpointInterval ?? 0,
    resumeFrom: o.resumeFrom as LoopState<S>,
    record: o.record ?? {},
  };
  checkPositiveInteger(s.chartEvery, "chartEvery", action);
  for (const name of ["evalIters", "evalInterval", "checkpointInterval"] as const) checkInteger(s[name], name, action);
  if (!(s.gradClip >= 0)) {
    throw new RangeError(`Cannot train as gradClip must be a number >= 0: current value is ${s.gradClip}`);
  }
  const e = s.earlyStopping;
  if (e) {
    if (!(e.split in s.evalSplits) || s.evalInterval === 0) {
      throw new RangeError(
        `Cannot train as early stopping watches split "${e.split}", which is never estimated: ` +
          `give it in evalSplits (current splits: ${Object.keys(s.evalSplits).join(", ") || "none"}) ` +
          `and an evalInterval > 0 (current value is ${s.evalInterval})`,
      );
    }
    checkPositiveInteger(e.patience, "patience", "stop early");
    if (!((e.minDelta ?? 0) >= 0)) {
      throw new RangeError(`Cannot stop early as minDelta must be a number >= 0: current value is ${e.minDelta}`);
    }
  }
  return s;
}

/**
 * Trains a model: `steps` (or `epochs` × `stepsPerEpoch`) optimizer steps on batches from `batches`, with the
 * learning rate of each step from `lr`, gradient clipping, loss estimates on `evalSplits` every `evalInterval` steps,
 * a progress bar, an optional live chart, callbacks, early stopping, and checkpoints through `onCheckpoint` (resume
 * with `resumeFrom`: the same batches follow, so the loss curve continues as if never stopped).
 *
 * In the notebook, Kernel ▸ Interrupt stops the loop at the end of the current step: it saves a checkpoint (when it
 * keeps them) and throws {@link TrainingStopped}, whose `state` resumes the run from there.
 *
 * @param options The model, optimizer, batches, length and everything else (see {@link LoopOptions}).
 * @returns The run's state (losses, estimates, optimizer state), wall time, and whether it stopped early.
 * @throws {RangeError} For invalid options. {@link TrainingStopped} when the learner interrupts the cell.
 * @example
 * ```ts
 * import { Prng, tf } from "@lib/core/mod.ts";
 * import { SGD, train } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * // fit y = 2x with one weight
 * const w = tf.variable(tf.zeros([1, 1]));
 * const model = {
 *   params: new Map([["w", w]]),
 *   forward: (x: tf.Tensor, y?: tf.Tensor) => ({ loss: tf.losses.meanSquaredError(y!, tf.matMul(x, w)) as tf.Scalar }),
 * };
 * const batches = (_: number, prng: Prng) => {
 *   const xs = Array.from({ length: 8 }, () => prng.next());
 *   return { x: tf.tensor2d(xs, [8, 1]), y: tf.tensor2d(xs.map((v) => 2 * v), [8, 1]) };
 * };
 * const run = await train({ model, optimizer: new SGD(model.params, { momentum: 0.9 }), batches, steps: 100, lr: 0.1, progress: false });
 * assert.ok(Math.abs(w.dataSync()[0] - 2) < 0.05);
 * assert.equal(run.losses.length, 100);
 * ```
 */
export async function train<S>(options: LoopOptions<S>): Promise<LoopResult<S>> {
  const o = settings(options);
  const { model, optimizer: opt } = o;
  const r = o.resumeFrom;
  if (r) opt.setState(r.optimizer);
  const state: LoopState<S> = {
    iter: r?.iter ?? 0,
    losses: [...(r?.losses ?? [])],
    evals: [...(r?.evals ?? [])],
    optimizer: r?.optimizer as S,
    options: { ...o.record, steps: o.steps, seed: o.seed, gradClip: o.gradClip },
  };
  const splits = Object.keys(o.evalSplits).length > 0 ? o.evalSplits : null;
  const watch = o.earlyStopping;
  let stoppedEarly = false;
  const evaluate = async () => {
    if (!splits || state.evals.at(-1)?.iter === state.iter) return;
    const losses = await evaluateLoss(model, splits, { iters: o.evalIters, seed: o.seed });
    const info = { iter: state.iter, ...losses } as EvalRecord;
    state.evals.push(info);
    await o.chart?.push(state.iter, losses);
    await o.onEval(info);
    if (watch) stoppedEarly = stale(state.evals, watch);
  };
  const save = async () => {
    if (!options.onCheckpoint) return;
    state.optimizer = await opt.getState();
    await o.onCheckpoint(state);
  };
  const start = performance.now();
  const label = typeof o.progress === "string" ? o.progress : "train";
  const bar = o.progress ? progress(o.steps, { label }) : null;
  bar?.advance(state.iter);
  const lrAt = typeof o.lr === "number" ? () => o.lr as number : o.lr;
  let lastYield = performance.now(), chartSum = 0, chartN = 0;
  if (r && o.chart) [chartSum, chartN] = await replayChart(o.chart, r, o.chartEvery);
  const interrupt = watchInterrupt();
  try {
    while (state.iter < o.steps && !interrupt.stopped) {
      if (o.evalInterval > 0 && state.iter % o.evalInterval === 0) await evaluate();
      if (stoppedEarly) break;
      const it = state.iter, lr = lrAt(it), prng = iterPrng(o.seed, it);
      const t0 = performance.now();
      const { x, y, weights } = o.batches(it, prng);
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
      const stop = await o.onStep({ iter: it, loss, lr, ms });
      if (o.checkpointInterval > 0 && state.iter % o.checkpointInterval === 0) await save();
      if (stop === false) break;
      if (performance.now() - lastYield > 100) {
        await new Promise((resolve) => setTimeout(resolve, 0)); // let the notebook show the bar and the chart
        lastYield = performance.now();
      }
    }
    if (o.evalInterval > 0 && state.iter === o.steps) await evaluate();
    await save();
    await bar?.done();
  } finally {
    interrupt.close();
  }
  if (interrupt.stopped && state.iter < o.steps) {
    state.optimizer = await opt.getState();
    throw new TrainingStopped(state.iter, options.onCheckpoint !== undefined, state);
  }
  return { ...state, optimizer: await opt.getState(), ms: performance.now() - start, stoppedEarly };
}

/**
 * Draws a run's history on a chart as the run itself drew it (each loss estimate, and a `batch` point per
 * `chartEvery` steps): {@link train} does it for a resumed run, so that the curve continues instead of starting again
 * at the resumed step, and a model loaded from the cache can show the curve it was trained with.
 *
 * @param chart A live chart (anything with `push(x, values)`).
 * @param from The run's losses and estimates, e.g. a checkpoint's training state.
 * @param every Steps per `batch` point (the run's `chartEvery`, default 10).
 * @returns The sum and count of the steps after the last whole `chartEvery` group (the loop completes that group).
 * @example
 * ```ts
 * import { replayChart } from "@lib/nn/train.ts";
 * import assert from "node:assert/strict";
 * const points: [number, Record<string, number>][] = [];
 * const chart = { push: (x: number, v: Record<string, number>) => void points.push([x, v]) };
 * await replayChart(chart, { losses: [4, 3, 2, 1], evals: [{ iter: 0, val: 5 }, { iter: 4, val: 2 }] }, 2);
 * assert.deepEqual(points, [[0, { val: 5 }], [2, { batch: 3.5 }], [4, { batch: 1.5 }], [4, { val: 2 }]]);
 * ```
 */
export async function replayChart<E extends { iter: number }>(
  chart: NonNullable<LoopOptions["chart"]>,
  from: { losses: readonly number[]; evals: readonly E[] },
  every = 10,
): Promise<[number, number]> {
  checkPositiveInteger(every, "every", "replay a run on its chart");
  const evals = from.evals;
  let next = 0, sum = 0, n = 0;
  const evalsUpTo = async (iter: number) => {
    for (; next < evals.length && evals[next].iter <= iter; next++) {
      const { iter: at, ...losses } = evals[next] as E & Record<string, number>;
      await chart.push(at, losses);
    }
  };
  for (let i = 0; i < from.losses.length; i++) {
    await evalsUpTo(i);
    [sum, n] = [sum + from.losses[i], n + 1];
    if (n >= every) {
      await chart.push(i + 1, { batch: sum / n });
      [sum, n] = [0, 0];
    }
  }
  await evalsUpTo(Infinity);
  return [sum, n];
}

/** Whether the last `patience` estimates of the watched split all failed to beat the best one before them. */
function stale(evals: EvalRecord[], e: EarlyStopping): boolean {
  const values = evals.map((v) => v[e.split]);
  if (values.length <= e.patience) return false;
  const best = Math.min(...values.slice(0, -e.patience));
  return values.slice(-e.patience).every((v) => !(v < best - (e.minDelta ?? 0)));
}

/**
 * The examples of each step of an epoch run: a seeded shuffle of `0 … n-1` per epoch, cut into batches (the last,
 * smaller batch of an epoch is dropped so that every step has `batchSize` examples). It depends only on the seed
 * and the step, so a resumed run sees the same batches.
 *
 * @param n Number of training examples.
 * @param batchSize Examples per step.
 * @param seed Seed of the shuffles (default 1337).
 * @returns `stepsPerEpoch` and `indices(iter)`, the example indices of step `iter`.
 * @throws {RangeError} When n or batchSize is not a positive integer, or batchSize > n.
 * @example
 * ```ts
 * import { epochBatches } from "@lib/nn/train.ts";
 * import assert from "node:assert/strict";
 * const e = epochBatches(10, 3);
 * assert.equal(e.stepsPerEpoch, 3);
 * const epoch0 = [0, 1, 2].flatMap((i) => e.indices(i));
 * assert.equal(new Set(epoch0).size, 9); // no example twice in an epoch
 * assert.deepEqual(e.indices(4), epochBatches(10, 3).indices(4));
 * ```
 */
export function epochBatches(
  n: number,
  batchSize: number,
  seed: number = SEED,
): { stepsPerEpoch: number; indices(iter: number): number[] } {
  checkPositiveInteger(n, "n", "cut epochs into batches");
  checkPositiveInteger(batchSize, "batchSize", "cut epochs into batches");
  if (batchSize > n) {
    throw new RangeError(`Cannot cut epochs into batches as batchSize ${batchSize} is larger than the ${n} examples`);
  }
  const stepsPerEpoch = Math.floor(n / batchSize);
  let cached: { epoch: number; order: number[] } | null = null;
  return {
    stepsPerEpoch,
    indices(iter: number): number[] {
      checkInteger(iter, "iter", "pick a batch");
      const epoch = Math.floor(iter / stepsPerEpoch), k = iter % stepsPerEpoch;
      if (cached?.epoch !== epoch) cached = { epoch, order: iterPrng(seed, epoch, 1).permutation(n) };
      return cached.order.slice(k * batchSize, (k + 1) * batchSize);
    },
  };
}

/**
 * Thrown by {@link train} when the learner interrupts the training cell (Kernel ▸ Interrupt, or the ■ button):
 * the loop stops at the end of the current step, saves its checkpoint (when it keeps one), and the cell ends with
 * this one-line message instead of the kernel dying, which is what an interrupt does to the Deno kernel otherwise.
 * Its `state` resumes the run: pass it as `resumeFrom`.
 *
 * @example
 * ```ts
 * import { TrainingStopped } from "@lib/nn/train.ts";
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
   * @param state Where the run stopped (to pass as `resumeFrom`).
   */
  constructor(readonly iter: number, resumable: boolean, readonly state?: LoopState<unknown, { iter: number }>) {
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
 * In the Jupyter kernel, turns SIGINT (what Kernel ▸ Interrupt sends) into a flag a training loop checks, until
 * `close()`; elsewhere (scripts, tests) SIGINT keeps its usual meaning and `stopped` stays false.
 *
 * @returns `stopped` (whether the learner interrupted) and `close()` (removes the listener).
 * @example
 * ```ts
 * import { watchInterrupt } from "@lib/nn/train.ts";
 * import assert from "node:assert/strict";
 * const interrupt = watchInterrupt();
 * assert.equal(interrupt.stopped, false);
 * interrupt.close();
 * ```
 */
export function watchInterrupt(): { readonly stopped: boolean; close(): void } {
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
