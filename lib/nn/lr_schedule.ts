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
