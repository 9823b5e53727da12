/**
 * AdamW (Adam with decoupled weight decay, Loshchilov & Hutter 2019) and gradient clipping by global norm — what
 * nanoGPT trains with (its learning-rate schedule is in lr_schedule.ts).
 *
 * @module
 */
import { fusedAdamW, hasFusedAdamW, sumOfSquares, tf } from "../core/mod.ts";
import { type Optimizer, type OptimizerConfig, withGrads } from "./optimizer.ts";

/** AdamW's settings (learning rate, decoupled weight decay and which parameters decay: {@link OptimizerConfig}). */
export interface AdamWConfig extends OptimizerConfig {
  /** Decay rate of the first moment (mean of gradients). */
  beta1: number;
  /** Decay rate of the second moment (mean of squared gradients). */
  beta2: number;
  /** Added to the denominator for stability. */
  eps: number;
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

/** Backends whose tensors live in this process's memory: there the fused JavaScript update is the fast one. */
const HOST_BACKENDS = new Set(["cpu", "wasm"]);

/** One parameter's first and second moments, on a host backend. */
type HostMoments = { m: Float32Array; v: Float32Array };
/**
 * On a GPU: the moments of all parameters in two flat variables, in the order of `names` (one set of tensor ops for the
 * whole model instead of one per parameter: each op is a GPU dispatch, and dispatches are what a small model's step
 * costs there), with `decay` 1 where weight decay applies.
 */
type FlatMoments = { key: string; names: string[]; sizes: number[]; m: tf.Variable; v: tf.Variable; decay: tf.Tensor };

/**
 * AdamW over a named map of variables.
 *
 * On the cpu and wasm backends the update is one fused JavaScript loop over each parameter's numbers (moments in
 * Float32Arrays: two reads and one write per parameter instead of a dozen tensor ops). On a GPU backend (webgpu) it
 * is the same arithmetic in tensor ops over all parameters concatenated, with the moments on the GPU, so that nothing
 * but the norm is read back.
 *
 * @example
 * ```ts
 * import { AdamW } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const w = tf.variable(tf.tensor2d([[1, 2]]));
 * const opt = new AdamW(new Map([["w", w]]), { lr: 0.1, weightDecay: 0 });
 * const { grads } = tf.variableGrads(() => tf.sum(tf.square(w)), [w]);
 * await opt.step({ w: grads[w.name] });
 * assert.ok(Math.abs((await w.data())[0] - 0.9) < 1e-5); // Adam's first step moves each weight by lr
 * ```
 */
export class AdamW implements Optimizer<AdamWState> {
  readonly config: Readonly<AdamWConfig>;
  /** Steps taken. */
  t = 0;
  readonly #host = new Map<string, HostMoments>();
  /** Moments as tensors on the wasm heap, where one kernel updates a parameter and its moments (optim.c). */
  readonly #heap = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();
  #flat: FlatMoments | null = null;

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
   * @param grads Gradients by parameter name (or by variable name, as `tf.variableGrads` returns them); not disposed.
   * @param lr Learning rate for this step (default: the config's).
   * @param maxNorm Clip the gradients' global L2 norm to this; 0 = no clipping.
   * @returns The gradients' global norm before clipping.
   * @throws {RangeError} When a gradient's shape differs from its parameter's.
   */
  async step(grads: Record<string, tf.Tensor>, lr: number = this.config.lr, maxNorm = 0): Promise<number> {
    const todo = withGrads(this.params, grads);
    this.t += 1;
    if (hasFusedAdamW()) return await this.#heapStep(todo, lr, maxNorm);
    return HOST_BACKENDS.has(tf.getBackend())
      ? await this.#hostStep(todo, lr, maxNorm)
      : await this.#deviceStep(todo, lr, maxNorm);
  }

  /** The wasm path: the global norm from one kernel, then one kernel per parameter; nothing leaves the heap. */
  async #heapStep(todo: [string, tf.Variable, tf.Tensor][], lr: number, maxNorm: number): Promise<number> {
    const sumSq = sumOfSquares(todo.map(([, , g]) => g));
    const norm = Math.sqrt((await sumSq.data())[0]);
    sumSq.dispose();
    const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
    const { eps, weightDecay } = this.config;
    const { b1, b2, step, rc2 } = this.#factors(lr);
    for (const [name, p, g] of todo) {
      const keep = 1 - lr * (weightDecay > 0 && this.config.decay(name, p) ? weightDecay : 0); // decoupled decay
      const moments = await this.#heapMoments(name, p);
      const [next, m, v] = fusedAdamW(p, g, moments.m, moments.v, { scale, b1, b2, step, rc2, eps, keep });
      p.assign(next);
      tf.dispose([next, moments.m, moments.v]);
      this.#heap.set(name, { m: tf.keep(m), v: tf.keep(v) }); // kept: a caller's tidy must not free them
    }
    return norm;
  }

  /** A parameter's moments as heap tensors: zeros at first, else moved from the host or flat moments. */
  async #heapMoments(name: string, p: tf.Variable): Promise<{ m: tf.Tensor; v: tf.Tensor }> {
    const heap = this.#heap.get(name);
    if (heap && heap.m.size === p.size) return heap;
    if (heap) tf.dispose([heap.m, heap.v]);
    if (this.#flat?.names.includes(name)) await this.#unflatten();
    const host = this.#host.get(name);
    this.#host.delete(name);
    const fits = host !== undefined && host.m.length === p.size;
    const moments = tf.tidy(() => ({
      m: tf.keep(fits ? tf.tensor1d(host.m) : tf.zeros([p.size])),
      v: tf.keep(fits ? tf.tensor1d(host.v) : tf.zeros([p.size])),
    }));
    this.#heap.set(name, moments);
    return moments;
  }

  /** Moves the heap moments to per-parameter Float32Arrays (after a backend switch, or for a checkpoint). */
  async #heapToHost(): Promise<[string, HostMoments][]> {
    const out: [string, HostMoments][] = [];
    for (const [name, { m, v }] of this.#heap) {
      out.push([name, { m: Float32Array.from(await m.data()), v: Float32Array.from(await v.data()) }]);
    }
    return out;
  }

  #disposeHeap(): void {
    for (const { m, v } of this.#heap.values()) tf.dispose([m, v]);
    this.#heap.clear();
  }

  /** Betas and bias corrections of this step: the update is `step · m / (√(v · rc2) + eps)`. */
  #factors(lr: number) {
    const { beta1: b1, beta2: b2 } = this.config;
    return { b1, b2, step: lr / (1 - b1 ** this.t), rc2: 1 / (1 - b2 ** this.t) };
  }

  async #hostStep(todo: [string, tf.Variable, tf.Tensor][], lr: number, maxNorm: number): Promise<number> {
    const data: Float32Array[] = [];
    let sumSq = 0;
    for (const [, , g] of todo) {
      const gd = await g.data() as Float32Array;
      for (let i = 0; i < gd.length; i++) sumSq += gd[i] * gd[i];
      data.push(gd);
    }
    const norm = Math.sqrt(sumSq);
    const scale = maxNorm > 0 && norm > maxNorm ? maxNorm / (norm + 1e-6) : 1;
    const { eps, weightDecay } = this.config;
    const { b1, b2, step, rc2 } = this.#factors(lr);
    const [a1, a2] = [1 - b1, 1 - b2];
    for (const [k, [name, p]] of todo.entries()) {
      const keep = 1 - lr * (weightDecay > 0 && this.config.decay(name, p) ? weightDecay : 0); // decoupled decay
      const { m, v } = await this.#hostMoments(name, p);
      const gd = data[k];
      const pd = new Float32Array(await p.data() as Float32Array); // a copy (the cpu backend hands out its own array)
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

  async #deviceStep(todo: [string, tf.Variable, tf.Tensor][], lr: number, maxNorm: number): Promise<number> {
    const { eps, weightDecay } = this.config;
    const { b1, b2, step, rc2 } = this.#factors(lr);
    const flat = await this.#flatMoments(todo);
    const norm = tf.tidy(() => {
      const g0 = tf.concat(todo.map(([, , g]) => tf.reshape(g, [-1]))); // [all weights]
      const norm = tf.sqrt(tf.sum(tf.square(g0))); // []
      const g = maxNorm > 0
        ? tf.mul(g0, tf.where(tf.greater(norm, maxNorm), tf.div(maxNorm, tf.add(norm, 1e-6)), 1))
        : g0;
      flat.m.assign(tf.add(tf.mul(flat.m, b1), tf.mul(g, 1 - b1)));
      flat.v.assign(tf.add(tf.mul(flat.v, b2), tf.mul(tf.square(g), 1 - b2)));
      const p = tf.concat(todo.map(([, p]) => tf.reshape(p, [-1])));
      const keep = tf.sub(1, tf.mul(flat.decay, lr * weightDecay)); // decoupled decay, matrices only
      const next = tf.sub(tf.mul(p, keep), tf.div(tf.mul(flat.m, step), tf.add(tf.sqrt(tf.mul(flat.v, rc2)), eps)));
      let offset = 0;
      for (const [, param] of todo) {
        param.assign(tf.reshape(tf.slice(next, offset, param.size), param.shape));
        offset += param.size;
      }
      return norm;
    });
    const value = (await norm.data())[0];
    norm.dispose();
    return value;
  }

  /** The moments of a parameter as Float32Arrays (zeros at first; moved from the GPU after a backend switch). */
  async #hostMoments(name: string, p: tf.Variable): Promise<HostMoments> {
    if (this.#flat?.names.includes(name)) await this.#unflatten();
    if (this.#heap.size > 0) await this.#heapUnload();
    let host = this.#host.get(name);
    if (!host || host.m.length !== p.size) {
      host = { m: new Float32Array(p.size), v: new Float32Array(p.size) };
      this.#host.set(name, host);
    }
    return host;
  }

  /** The flat moments for these parameters, built from the per-parameter ones when the set of parameters changed. */
  async #flatMoments(todo: [string, tf.Variable, tf.Tensor][]): Promise<FlatMoments> {
    const key = todo.map(([name]) => name).join("\n");
    if (this.#flat?.key === key) return this.#flat;
    await this.#unflatten();
    if (this.#heap.size > 0) await this.#heapUnload();
    const sizes = todo.map(([, p]) => p.size), total = sizes.reduce((a, b) => a + b, 0);
    const [m, v, decay] = [new Float32Array(total), new Float32Array(total), new Float32Array(total)];
    let offset = 0;
    for (const [name, p] of todo) {
      const host = this.#host.get(name);
      if (host && host.m.length === p.size) [m.set(host.m, offset), v.set(host.v, offset)];
      if (this.config.decay(name, p)) decay.fill(1, offset, offset + p.size);
      this.#host.delete(name);
      offset += p.size;
    }
    this.#flat = {
      key,
      names: todo.map(([name]) => name),
      sizes,
      m: tf.tidy(() => tf.variable(tf.tensor1d(m), false)), // tidy frees the tensor the variable copied its data from
      v: tf.tidy(() => tf.variable(tf.tensor1d(v), false)),
      decay: tf.keep(tf.tensor1d(decay)),
    };
    return this.#flat;
  }

  /** The flat moments read back and cut into per-parameter Float32Arrays (none when there are none). */
  async #flatToHost(): Promise<[string, HostMoments][]> {
    const flat = this.#flat;
    if (!flat) return [];
    const [m, v] = [await flat.m.data() as Float32Array, await flat.v.data() as Float32Array];
    let offset = 0;
    return flat.names.map((name, i) => {
      const start = offset;
      offset += flat.sizes[i];
      return [name, { m: m.slice(start, offset), v: v.slice(start, offset) }];
    });
  }

  /** Moves every heap moment to the host maps (a backend switch away from wasm). */
  async #heapUnload(): Promise<void> {
    for (const [name, moments] of await this.#heapToHost()) this.#host.set(name, moments);
    this.#disposeHeap();
  }

  /** Moves the flat moments back to per-parameter Float32Arrays. */
  async #unflatten(): Promise<void> {
    for (const [name, moments] of await this.#flatToHost()) this.#host.set(name, moments);
    this.#disposeFlat();
  }

  /** The moments and step count as plain arrays (copies, for a checkpoint). */
  async getState(): Promise<AdamWState> {
    const state: AdamWState = { t: this.t, m: {}, v: {} };
    for (const [name, { m, v }] of this.#host) [state.m[name], state.v[name]] = [m.slice(), v.slice()];
    for (const [name, { m, v }] of await this.#flatToHost()) [state.m[name], state.v[name]] = [m, v]; // fresh copies
    for (const [name, { m, v }] of await this.#heapToHost()) [state.m[name], state.v[name]] = [m, v];
    return state;
  }

  /**
   * Restores moments and step count saved by {@link AdamW.getState} (on a GPU, moments of parameters the state does
   * not name restart at zero).
   * @throws {RangeError} When a saved moment does not fit its parameter; nothing is changed then.
   */
  setState(state: AdamWState): void {
    const restored: [string, HostMoments][] = [];
    for (const [name, p] of this.params) {
      const [ms, vs] = [state.m[name], state.v[name]];
      if (!ms || !vs) continue;
      if (ms.length !== p.size || vs.length !== p.size) {
        throw new RangeError(`Cannot restore AdamW state of ${name}: ${ms.length} values saved for ${p.size} weights`);
      }
      restored.push([name, { m: Float32Array.from(ms), v: Float32Array.from(vs) }]);
    }
    this.#disposeFlat();
    this.#disposeHeap();
    for (const [name, moments] of restored) this.#host.set(name, moments);
    this.t = state.t;
  }

  #disposeFlat(): void {
    if (this.#flat) tf.dispose([this.#flat.m, this.#flat.v, this.#flat.decay]);
    this.#flat = null;
  }

  /** Forgets the moments (and frees them on a GPU). */
  dispose(): void {
    this.#disposeFlat();
    this.#disposeHeap();
    this.#host.clear();
  }
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
 * import { clipByGlobalNorm } from "@lib/nn/mod.ts";
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
    const norm = tf.sqrt(names.reduce((s: tf.Tensor, n) => tf.add(s, tf.sum(tf.square(grads[n]))), tf.scalar(0))); // [] (see step)
    const scale = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1); // []
    return [norm, ...names.map((n) => tf.mul(grads[n], scale))];
  });
  tf.dispose(Object.values(grads));
  return { grads: Object.fromEntries(names.map((n, i) => [n, clipped[i]])), norm: norm as tf.Scalar };
}
