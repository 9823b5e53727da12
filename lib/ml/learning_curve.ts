/**
 * Learning curves (学习曲线): test accuracy against the number of training examples, for several models, each size
 * over several seeds (a seed picks which examples and the model's initial weights), with the CPU time of every fit.
 * Model-agnostic: a model is a function that trains on the given example indices and returns its test accuracy,
 * so lib/ml's classic models and lib/nn's networks are compared the same way (notebook 04).
 *
 * @module
 */
import process from "node:process";
import { Prng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { progress } from "../notebook/progress.ts";

/** Trains on the examples `indices` (of the full training set) with `seed`, returns the test accuracy in [0, 1]. */
export type CurveFit = (indices: number[], seed: number) => number | Promise<number>;

/** One fit of a learning curve. */
export interface CurveRun {
  model: string;
  /** Training examples. */
  n: number;
  seed: number;
  /** Test accuracy, 0..1. */
  accuracy: number;
  /** CPU seconds the fit took (user + system, all threads of this process). */
  cpuSeconds: number;
  /** Wall-clock seconds. */
  wallSeconds: number;
}

/** A model at one size: the mean and spread of its runs. */
export interface CurvePoint {
  model: string;
  n: number;
  /** Runs averaged. */
  runs: number;
  /** Mean test accuracy, 0..1. */
  mean: number;
  /** Sample standard deviation of the accuracies (0 for a single run). */
  std: number;
  /** Mean CPU seconds per fit. */
  cpuSeconds: number;
}

/** Settings of {@link learningCurve}. */
export interface LearningCurveOptions {
  /** The models by name. */
  models: Record<string, CurveFit>;
  /** Training-set sizes, each at most `total`. */
  sizes: readonly number[];
  /** Size of the full training set. */
  total: number;
  /** The seeds to run at a size (e.g. three below the full set, one at it). */
  seeds: (n: number) => readonly number[];
  /** Runs done earlier: kept and skipped (the call resumes), new runs are added to it. */
  done?: Map<string, CurveRun>;
  /** Show a progress bar: true or its label. Default true. */
  progress?: boolean | string;
}

/** CPU seconds used by this process so far. */
export function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
}

/**
 * The examples of a run: the first `n` of a seeded shuffle of `0 … total-1` (all of them, in order, when n = total).
 *
 * @param total Size of the full training set.
 * @param n Examples wanted.
 * @param seed Seed of the shuffle.
 * @returns `n` distinct indices.
 * @throws {RangeError} When n is not an integer in 1..total.
 * @example
 * ```ts
 * import { trainingSubset } from "@lib/ml/learning_curve.ts";
 * import assert from "node:assert/strict";
 * assert.equal(new Set(trainingSubset(100, 30, 1)).size, 30);
 * assert.deepEqual(trainingSubset(5, 5, 1), [0, 1, 2, 3, 4]);
 * assert.notDeepEqual(trainingSubset(100, 30, 1), trainingSubset(100, 30, 2));
 * ```
 */
export function trainingSubset(total: number, n: number, seed: number): number[] {
  checkPositiveInteger(total, "total", "draw a training subset");
  checkPositiveInteger(n, "n", "draw a training subset");
  if (n > total) {
    throw new RangeError(`Cannot draw a training subset as n must be at most total ${total}: current value is ${n}`);
  }
  return n === total ? Array.from({ length: total }, (_, i) => i) : new Prng(seed).permutation(total).slice(0, n);
}

/** The key of a run in {@link LearningCurveOptions.done}. */
export function runKey(model: string, n: number, seed: number): string {
  return `${model}@${n}#${seed}`;
}

/**
 * Runs every model at every size and seed (skipping runs already in `done`), timing each fit.
 *
 * @param options Models, sizes, seeds, the runs done so far, progress bar.
 * @returns Every run, in the order model by model, size by size, seed by seed.
 * @throws {RangeError} When a size is not an integer in 1..total or a fit returns an accuracy outside [0, 1].
 * @example
 * ```ts
 * import { curvePoints, learningCurve } from "@lib/ml/learning_curve.ts";
 * import assert from "node:assert/strict";
 * const runs = await learningCurve({
 *   models: { guess: (idx) => Math.min(1, idx.length / 100) },
 *   sizes: [10, 100],
 *   total: 100,
 *   seeds: (n) => (n < 100 ? [1, 2] : [1]),
 *   progress: false,
 * });
 * assert.equal(runs.length, 3);
 * assert.deepEqual(curvePoints(runs).map((p) => [p.n, p.runs, p.mean]), [[10, 2, 0.1], [100, 1, 1]]);
 * ```
 */
export async function learningCurve(options: LearningCurveOptions): Promise<CurveRun[]> {
  const { models, sizes, total, seeds } = options, done = options.done ?? new Map<string, CurveRun>();
  for (const n of sizes) trainingSubset(total, n, 0); // checks each size before any work
  const todo = Object.keys(models).flatMap((model) =>
    sizes.flatMap((n) => seeds(n).map((seed) => ({ model, n, seed, key: runKey(model, n, seed) })))
  );
  const label = typeof options.progress === "string" ? options.progress : "fits";
  const bar = options.progress === false ? null : progress(todo.length, { label });
  bar?.advance(todo.filter((t) => done.has(t.key)).length);
  for (const { model, n, seed, key } of todo) {
    if (done.has(key)) continue;
    bar?.set({ model, n, seed });
    const [cpu0, wall0] = [cpuSeconds(), performance.now()];
    const accuracy = await models[model](trainingSubset(total, n, seed), seed);
    if (!(accuracy >= 0 && accuracy <= 1)) {
      throw new RangeError(
        `Cannot record a learning curve as model "${model}" returned an accuracy outside [0, 1]: current value is ${accuracy}`,
      );
    }
    done.set(key, {
      model,
      n,
      seed,
      accuracy,
      cpuSeconds: cpuSeconds() - cpu0,
      wallSeconds: (performance.now() - wall0) / 1000,
    });
    bar?.advance();
  }
  await bar?.done();
  return todo.map((t) => done.get(t.key)!);
}

/**
 * Groups runs by model and size: mean accuracy, its standard deviation over seeds, mean CPU time.
 *
 * @param runs Runs of {@link learningCurve}.
 * @returns One point per model and size, in the order they first appear.
 */
export function curvePoints(runs: readonly CurveRun[]): CurvePoint[] {
  const groups = new Map<string, CurveRun[]>();
  for (const r of runs) {
    const key = `${r.model}@${r.n}`;
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()].map((g) => {
    const mean = g.reduce((s, r) => s + r.accuracy, 0) / g.length;
    const variance = g.length > 1 ? g.reduce((s, r) => s + (r.accuracy - mean) ** 2, 0) / (g.length - 1) : 0;
    return {
      model: g[0].model,
      n: g[0].n,
      runs: g.length,
      mean,
      std: Math.sqrt(variance),
      cpuSeconds: g.reduce((s, r) => s + r.cpuSeconds, 0) / g.length,
    };
  });
}
