/**
 * Learning-rate schedules: the learning rate as a function of the step, for the training loop's `lr` option
 * (`lr: (it) => cosineLr(it, schedule)`).
 *
 * @module
 */
/** Settings of {@link cosineLr}. */
export interface LrSchedule {
  /** Peak learning rate, reached after warmup. */
  lr: number;
  /** Steps of linear warmup from 0. */
  warmupIters: number;
  /** Step at which the cosine reaches `minLr` (constant afterwards). */
  decayIters: number;
  /** Final learning rate. */
  minLr: number;
}

/**
 * Learning rate at step `it`: linear warmup to `lr`, then cosine decay to `minLr` at `decayIters` (nanoGPT's get_lr).
 *
 * @param it Step (0-based).
 * @param s The schedule.
 * @returns The learning rate.
 * @example
 * ```ts
 * import { cosineLr } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const s = { lr: 1, warmupIters: 10, decayIters: 110, minLr: 0.1 };
 * assert.equal(cosineLr(10, s), 1);
 * assert.ok(Math.abs(cosineLr(60, s) - 0.55) < 1e-12);
 * assert.equal(cosineLr(500, s), 0.1);
 * ```
 */
export function cosineLr(it: number, s: LrSchedule): number {
  if (it < s.warmupIters) return s.lr * (it + 1) / (s.warmupIters + 1);
  if (it >= s.decayIters) return s.minLr;
  const ratio = (it - s.warmupIters) / (s.decayIters - s.warmupIters);
  return s.minLr + 0.5 * (1 + Math.cos(Math.PI * ratio)) * (s.lr - s.minLr);
}

/** Settings of {@link linearLr}. */
export type LinearSchedule = LrSchedule;

/**
 * Learning rate at step `it`: linear warmup to `lr`, then a straight line down to `minLr` at `decayIters` (constant
 * afterwards) — BERT's schedule, common for fine-tuning.
 *
 * @param it Step (0-based).
 * @param s The schedule.
 * @returns The learning rate.
 * @example
 * ```ts
 * import { linearLr } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const s = { lr: 1, warmupIters: 0, decayIters: 100, minLr: 0 };
 * assert.equal(linearLr(0, s), 1);
 * assert.equal(linearLr(50, s), 0.5);
 * assert.equal(linearLr(200, s), 0);
 * ```
 */
export function linearLr(it: number, s: LinearSchedule): number {
  if (it < s.warmupIters) return s.lr * (it + 1) / (s.warmupIters + 1);
  if (it >= s.decayIters) return s.minLr;
  return s.lr + (s.minLr - s.lr) * (it - s.warmupIters) / (s.decayIters - s.warmupIters);
}

/** Settings of {@link oneCycleLr} (PyTorch's `OneCycleLR` with cosine annealing). */
export interface OneCycleSchedule {
  /** Peak learning rate. */
  maxLr: number;
  /** Steps of the whole cycle (constant at the final rate afterwards). */
  totalIters: number;
  /** Share of the steps spent rising to `maxLr` (default 0.3). */
  pctStart?: number;
  /** The start is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The end is the start divided by this (default 1e4). */
  finalDivFactor?: number;
}

/**
 * Learning rate at step `it` of a one-cycle schedule (Smith's super-convergence, as PyTorch's `OneCycleLR`): a
 * cosine rise from `maxLr / divFactor` to `maxLr` over the first `pctStart` of the steps, then a cosine fall to
 * almost 0 at `totalIters`. The high middle explores; the long low end settles into a minimum.
 *
 * @param it Step (0-based).
 * @param s The schedule.
 * @returns The learning rate.
 * @throws {RangeError} When maxLr or totalIters is not positive, or pctStart is not in (0, 1).
 * @example
 * ```ts
 * import { oneCycleLr } from "@lib/nn/mod.ts";
 * import assert from "node:assert/strict";
 * const s = { maxLr: 1, totalIters: 101, pctStart: 0.3 }; // peak at step 30, end at step 100
 * assert.ok(Math.abs(oneCycleLr(0, s) - 1 / 25) < 1e-12);
 * assert.equal(oneCycleLr(30, s), 1);
 * assert.ok(Math.abs(oneCycleLr(100, s) - 1 / 25 / 1e4) < 1e-12);
 * ```
 */
export function oneCycleLr(it: number, s: OneCycleSchedule): number {
  const { maxLr, totalIters, pctStart = 0.3, divFactor = 25, finalDivFactor = 1e4 } = s;
  if (!(maxLr > 0) || !(Number.isInteger(totalIters) && totalIters > 1) || !(pctStart > 0 && pctStart < 1)) {
    throw new RangeError(
      `Cannot compute a one-cycle learning rate as maxLr must be > 0, totalIters an integer > 1 and pctStart in ` +
        `(0, 1): current values are ${maxLr}, ${totalIters} and ${pctStart}`,
    );
  }
  const start = maxLr / divFactor, end = start / finalDivFactor;
  const peak = Math.round(pctStart * (totalIters - 1)), last = totalIters - 1;
  const cos = (from: number, to: number, t: number) => to + (from - to) * (1 + Math.cos(Math.PI * t)) / 2;
  if (it <= peak) return cos(start, maxLr, it / peak);
  return cos(maxLr, end, Math.min(1, (it - peak) / (last - peak)));
}
