/**
 * AdamW (Adam with decoupled weight decay, Loshchilov & Hutter 2019), the learning-rate schedule (linear warmup then
 * cosine decay) and gradient clipping by global norm — what nanoGPT trains with.
 *
 * @module
 */
import { tf } from "../core/mod.ts";

/** AdamW's settings. */
export interface AdamWConfig {
  /** Learning rate (can be changed per step, see {@link AdamW.step}). */
  lr: number;
  /** Decay rate of the first moment (mean of gradients). */
  beta1: number;
  /** Decay rate of the second moment (mean of squared gradients). */
  beta2: number;
  /** Added to the denominator for stability. */
  eps: number;
  /** Decoupled weight decay, applied only to parameters for which `decay(name, p)` holds. */
  weightDecay: number;
  /** Which parameters decay; default: matrices only (rank ≥ 2), not biases and LayerNorm gains. */
  decay: (name: string, p: tf.Variable) => boolean;
}

/** nanoGPT's defaults (lr 1e-3, betas 0.9/0.99 for the baby config, decay 0.1). */
export const ADAMW_DEFAULTS: Readonly<AdamWConfig> = Object.freeze({
  lr: 1e-3,
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  weightDecay: 0.1,
  decay: (_name: string, p: tf.Variable) => p.rank >= 2,
});

/** The optimizer's state as plain arrays, for checkpoints. */
export interface AdamWState {
  /** Steps taken. */
  t: number;
  /** First and second moments by parameter name. */
  m: Record<string, Float32Array>;
  v: Record<string, Float32Array>;
}

/**
 * AdamW over a named map of variables.
 *
 * @example
 * ```ts
 * import { AdamW } from "@lib/gpt/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const w = tf.variable(tf.tensor2d([[1, 2]]));
 * const opt = new AdamW(new Map([["w", w]]), { lr: 0.1, weightDecay: 0 });
 * const { grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
 * opt.step({ w: grads[w.name] });
 * assert.ok(Math.abs(w.dataSync()[0] - 0.9) < 1e-5); // Adam's first step moves each weight by lr
 * ```
 */
export class AdamW {
  readonly config: Readonly<AdamWConfig>;
  /** Steps taken. */
  t = 0;
  private readonly m = new Map<string, Float32Array>();
  private readonly v = new Map<string, Float32Array>();

  /**
   * @param params The variables to train, by name.
   * @param config Overrides of {@link ADAMW_DEFAULTS}.
   * @throws {RangeError} For a negative learning rate or weight decay, or betas outside [0, 1).
   */
  constructor(readonly params: Map<string, tf.Variable>, config: Partial<AdamWConfig> = {}) {
    this.config = Object.freeze({ ...ADAMW_DEFAULTS, ...config });
    const { lr, beta1, beta2, eps, weightDecay } = this.config;
    for (const [name, value] of [["lr", lr], ["weightDecay", weightDecay], ["eps", eps]] as const) {
      if (!(value >= 0) || !Number.isFinite(value)) {
        throw new RangeError(`Cannot create AdamW as ${name} must be a finite number ≥ 0: current value is ${value}`);
      }
    }
    for (const [name, value] of [["beta1", beta1], ["beta2", beta2]] as const) {
      if (!(value >= 0 && value < 1)) {
        throw new RangeError(`Cannot create AdamW as ${name} must be in [0, 1): current value is ${value}`);
      }
    }
  }

  /**
   * Applies one update with the given gradients (parameters without a gradient are left alone), after scaling the
   * gradients so that their global norm is at most `maxNorm` (as PyTorch's `clip_grad_norm_`).
   *
   * The update runs as one fused loop over each parameter's numbers (moments live in Float32Arrays): two reads and
   * one write per parameter instead of a dozen tensor ops.
   *
   * @param grads Gradients by parameter name (or by variable name, as `tf.variableGrads` returns them).
   * @param lr Learning rate for this step (default: the config's).
   * @param maxNorm Clip the gradients' global L2 norm to this; 0 = no clipping.
   * @returns The gradients' global norm before clipping.
   * @throws {RangeError} When a gradient's shape differs from its parameter's.
   */
  step(grads: Record<string, tf.Tensor>, lr: number = this.config.lr, maxNorm = 0): number {
    const { beta1: b1, beta2: b2, eps, weightDecay } = this.config;
    const todo: [string, tf.Variable, Float32Array][] = [];
    let sumSq = 0;
    for (const [name, p] of this.params) {
      const g = grads[name] ?? grads[p.name];
      if (!g) continue;
      if (g.shape.join() !== p.shape.join()) {
        throw new RangeError(`Cannot update ${name} as its gradient has shape [${g.shape}], not [${p.shape}]`);
      }
      const gd = g.dataSync() as Float32Array;
      for (let i = 0; i < gd.length; i++) sumSq += gd[i] * gd[i];
      todo.push([name, p, gd]);
    }
    const norm = Math.sqrt(sumSq);
    const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
    this.t += 1;
    const c1 = 1 - b1 ** this.t, c2 = 1 - b2 ** this.t;
    const [a1, a2, step] = [1 - b1, 1 - b2, lr / c1], rc2 = 1 / c2;
    for (const [name, p, gd] of todo) {
      const [m, v] = this.moments(name, p);
      const pd = new Float32Array(p.dataSync() as Float32Array); // a copy (the cpu backend hands out its own array)
      const keep = 1 - lr * (weightDecay > 0 && this.config.decay(name, p) ? weightDecay : 0); // decoupled decay
      for (let i = 0; i < pd.length; i++) {
        const g = gd[i] * scale;
        const mi = m[i] = b1 * m[i] + a1 * g;
        const vi = v[i] = b2 * v[i] + a2 * g * g;
        pd[i] = pd[i] * keep - step * mi / (Math.sqrt(vi * rc2) + eps);
      }
      const next = tf.tensor(pd, p.shape, "float32");
      p.assign(next);
      next.dispose();
    }
    return norm;
  }

  private moments(name: string, p: tf.Variable): [Float32Array, Float32Array] {
    let m = this.m.get(name), v = this.v.get(name);
    if (!m || !v || m.length !== p.size) {
      m = new Float32Array(p.size);
      v = new Float32Array(p.size);
      this.m.set(name, m);
      this.v.set(name, v);
    }
    return [m, v];
  }

  /** The moments and step count as plain arrays (copies, for a checkpoint). */
  getState(): AdamWState {
    const state: AdamWState = { t: this.t, m: {}, v: {} };
    for (const [name, m] of this.m) state.m[name] = m.slice();
    for (const [name, v] of this.v) state.v[name] = v.slice();
    return state;
  }

  /**
   * Restores moments and step count saved by {@link AdamW.getState}.
   * @throws {RangeError} When a saved moment does not fit its parameter.
   */
  setState(state: AdamWState): void {
    for (const [name, p] of this.params) {
      const [ms, vs] = [state.m[name], state.v[name]];
      if (!ms || !vs) continue;
      if (ms.length !== p.size || vs.length !== p.size) {
        throw new RangeError(`Cannot restore AdamW state of ${name}: ${ms.length} values saved for ${p.size} weights`);
      }
      this.m.set(name, Float32Array.from(ms));
      this.v.set(name, Float32Array.from(vs));
    }
    this.t = state.t;
  }

  /** Forgets the moments (they hold no tensors). */
  dispose(): void {
    this.m.clear();
    this.v.clear();
  }
}

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
 * import { cosineLr } from "@lib/gpt/mod.ts";
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

/**
 * Scales gradients so their global L2 norm is at most `maxNorm` (no host sync: the scale stays a tensor).
 *
 * @param grads Gradients by name; they are disposed and replaced in the returned record.
 * @param maxNorm The largest allowed norm (> 0).
 * @returns The clipped gradients and the norm before clipping (a scalar tensor, caller disposes).
 * @throws {RangeError} When maxNorm is not positive.
 * @example
 * ```ts
 * import { clipByGlobalNorm } from "@lib/gpt/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3, 4]) }, 1);
 * assert.equal(norm.dataSync()[0], 5);
 * assert.ok(Math.abs(grads.a.dataSync()[0] - 0.6) < 1e-6);
 * ```
 */
export function clipByGlobalNorm(
  grads: Record<string, tf.Tensor>,
  maxNorm: number,
): { grads: Record<string, tf.Tensor>; norm: tf.Scalar } {
  if (!(maxNorm > 0)) {
    throw new RangeError(`Cannot clip gradients as maxNorm must be > 0: current value is ${maxNorm}`);
  }
  const names = Object.keys(grads);
  const [norm, ...clipped] = tf.tidy(() => {
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))); // []
    const scale = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1); // []
    return [norm, ...names.map((n) => tf.mul(grads[n], scale))];
  });
  tf.dispose(Object.values(grads));
  return { grads: Object.fromEntries(names.map((n, i) => [n, clipped[i]])), norm: norm as tf.Scalar };
}
