/**
 * Stochastic gradient descent with momentum (Polyak's heavy ball, or Nesterov's variant), PyTorch's `torch.optim.SGD`:
 * the velocity `v ← μ·v + g` (just `g` on the first step) and the update `p ← p − lr·v`. Weight decay here is L2
 * (added to the gradient), as in PyTorch's SGD.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkPositive } from "../core/validate.ts";
import { type Optimizer, type OptimizerConfig, withGrads } from "./optimizer.ts";

/** SGD's settings (learning rate, L2 weight decay — added to the gradient — and which parameters decay). */
export interface SgdConfig extends OptimizerConfig {
  /** Momentum μ in [0, 1); 0 is plain gradient descent. */
  momentum: number;
  /** Nesterov momentum: step along `g + μ·v` instead of `v`. */
  nesterov: boolean;
}

/** Defaults: lr 0.01, no momentum, no weight decay. */
export const SGD_DEFAULTS: Readonly<SgdConfig> = Object.freeze({
  lr: 0.01,
  momentum: 0,
  nesterov: false,
  weightDecay: 0,
  decay: (_name: string, p: tf.Variable) => p.rank >= 2,
});

/** SGD's state as plain arrays, for checkpoints. */
export interface SgdState {
  /** Steps taken. */
  t: number;
  /** Velocity by parameter name (empty without momentum). */
  velocity: Record<string, Float32Array>;
}

/**
 * SGD with momentum over a named map of variables.
 *
 * @example
 * ```ts
 * import { SGD } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const w = tf.variable(tf.tensor1d([1]));
 * const opt = new SGD(new Map([["w", w]]), { lr: 0.1, momentum: 0.9 });
 * for (let i = 0; i < 2; i++) {
 *   const { grads } = tf.variableGrads(() => tf.sum(w), [w]); // gradient 1
 *   await opt.step(grads);
 * }
 * assert.ok(Math.abs(w.dataSync()[0] - (1 - 0.1 - 0.19)) < 1e-6); // velocities 1, then 0.9·1 + 1
 * ```
 */
export class SGD implements Optimizer<SgdState> {
  readonly config: Readonly<SgdConfig>;
  /** Steps taken. */
  t = 0;
  readonly #velocity = new Map<string, tf.Variable>();

  /**
   * @param params The variables to train, by name.
   * @param config Overrides of {@link SGD_DEFAULTS}.
   * @throws {RangeError} For a learning rate that is not positive, momentum outside [0, 1), negative weight decay,
   *   or Nesterov without momentum.
   */
  constructor(readonly params: Map<string, tf.Variable>, config: Partial<SgdConfig> = {}) {
    this.config = Object.freeze({ ...SGD_DEFAULTS, ...config });
    const { lr, momentum, weightDecay, nesterov } = this.config;
    checkPositive(lr, "lr", "create SGD");
    if (!(momentum >= 0 && momentum < 1)) {
      throw new RangeError(`Cannot create SGD as momentum must be in [0, 1): current value is ${momentum}`);
    }
    if (!(weightDecay >= 0 && Number.isFinite(weightDecay))) {
      throw new RangeError(`Cannot create SGD as weightDecay must be a number >= 0: current value is ${weightDecay}`);
    }
    if (nesterov && momentum === 0) {
      throw new RangeError("Cannot create SGD as nesterov needs momentum > 0: current momentum is 0");
    }
  }

  /**
   * Applies one update with the given gradients (parameters without a gradient are left alone), after scaling the
   * gradients so that their global norm is at most `maxNorm`.
   *
   * @param grads Gradients by parameter name or by variable name; not disposed.
   * @param lr Learning rate for this step (default: the config's).
   * @param maxNorm Clip the gradients' global L2 norm to this; 0 = no clipping.
   * @returns The gradients' global norm before clipping.
   * @throws {RangeError} When a gradient's shape differs from its parameter's.
   */
  async step(grads: Record<string, tf.Tensor>, lr: number = this.config.lr, maxNorm = 0): Promise<number> {
    const { momentum, nesterov, weightDecay, decay } = this.config;
    const todo = withGrads(this.params, grads);
    for (const [name, p] of todo) {
      if (momentum > 0 && !this.#velocity.has(name)) this.#velocity.set(name, tf.variable(tf.zerosLike(p), false));
    }
    const first = this.t === 0;
    this.t += 1;
    const norm = tf.tidy(() => {
      const norm = tf.sqrt(todo.reduce((s: tf.Tensor, [, , g]) => tf.add(s, tf.sum(tf.square(g))), tf.scalar(0)));
      const scale = maxNorm > 0 ? tf.where(tf.greater(norm, maxNorm), tf.div(maxNorm, tf.add(norm, 1e-6)), 1) : null;
      for (const [name, p, g0] of todo) {
        let g = scale ? tf.mul(g0, scale) : g0;
        if (weightDecay > 0 && decay(name, p)) g = tf.add(g, tf.mul(p, weightDecay));
        if (momentum > 0) {
          const v = this.#velocity.get(name)!;
          const next = first ? g : tf.add(tf.mul(v, momentum), g);
          v.assign(next);
          g = nesterov ? tf.add(g, tf.mul(next, momentum)) : next;
        }
        p.assign(tf.sub(p, tf.mul(g, lr)));
      }
      return norm;
    });
    const value = (await norm.data())[0];
    norm.dispose();
    return value;
  }

  /** The velocities and step count as plain arrays (copies, for a checkpoint). */
  async getState(): Promise<SgdState> {
    const velocity: Record<string, Float32Array> = {};
    for (const [name, v] of this.#velocity) velocity[name] = (await v.data() as Float32Array).slice();
    return { t: this.t, velocity };
  }

  /**
   * Restores velocities and step count saved by {@link SGD.getState}.
   * @throws {RangeError} When a saved velocity does not fit its parameter; nothing is changed then.
   */
  setState(state: SgdState): void {
    const restored: [string, Float32Array, tf.Variable][] = [];
    for (const [name, p] of this.params) {
      const v = state.velocity[name];
      if (!v) continue;
      if (v.length !== p.size) {
        throw new RangeError(`Cannot restore SGD state of ${name}: ${v.length} values saved for ${p.size} weights`);
      }
      restored.push([name, v, p]);
    }
    this.dispose();
    for (const [name, v, p] of restored) {
      this.#velocity.set(name, tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(v), p.shape), false)));
    }
    this.t = state.t;
  }

  /** Frees the velocities. */
  dispose(): void {
    tf.dispose([...this.#velocity.values()]);
    this.#velocity.clear();
  }
}
