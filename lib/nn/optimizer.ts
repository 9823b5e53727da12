/**
 * What an optimizer of lib/nn does, so that the training loop takes any of them (AdamW, SGD).
 *
 * @module
 */
import type { tf } from "../core/mod.ts";

/** The settings every optimizer of lib/nn has. */
export interface OptimizerConfig {
  /** Learning rate (can be changed per step: see `step`). */
  lr: number;
  /** Weight decay, applied only to parameters for which `decay(name, p)` holds. */
  weightDecay: number;
  /** Which parameters decay; default: matrices only (rank ≥ 2), not biases and LayerNorm gains. */
  decay: (name: string, p: tf.Variable) => boolean;
}

/**
 * An optimizer over a named map of variables (made by the caller, not by the model).
 *
 * @typeParam S Its state as plain data, for checkpoints.
 */
export interface Optimizer<S = unknown> {
  /**
   * Applies one update (parameters without a gradient are left alone), after clipping the gradients' global norm to
   * `maxNorm` (0 = no clipping).
   *
   * @param grads Gradients by parameter name or by variable name (as `tf.variableGrads` returns them); not disposed.
   * @param lr Learning rate for this step (default: the optimizer's own).
   * @param maxNorm Clip the global L2 norm to this; 0 = off.
   * @returns The gradients' global norm before clipping.
   */
  step(grads: Record<string, tf.Tensor>, lr?: number, maxNorm?: number): Promise<number>;
  /** The state (step count, moments, velocities) as plain arrays, for a checkpoint. */
  getState(): Promise<S>;
  /** Restores a state from {@link Optimizer.getState}. */
  setState(state: S): void;
  /** Frees what the optimizer holds. */
  dispose(): void;
}

/**
 * Pairs each parameter with its gradient, found by parameter name or by variable name (as `tf.variableGrads` names
 * them); parameters without a gradient are left out.
 *
 * @param params The parameters by name.
 * @param grads The gradients.
 * @returns `[name, parameter, gradient]` for each parameter that has a gradient, in the order of `params`.
 * @throws {RangeError} When a gradient's shape differs from its parameter's.
 * @example
 * ```ts
 * import { tf } from "@lib/core/mod.ts";
 * import { withGrads } from "@lib/nn/optimizer.ts";
 * import assert from "node:assert/strict";
 * const w = tf.variable(tf.zeros([2]));
 * const pairs = withGrads(new Map([["w", w], ["unused", tf.variable(tf.zeros([1]))]]), { w: tf.ones([2]) });
 * assert.deepEqual(pairs.map(([name]) => name), ["w"]);
 * assert.throws(() => withGrads(new Map([["w", w]]), { w: tf.ones([3]) }), {
 *   message: "Cannot update w as its gradient has shape [3], not [2]",
 * });
 * ```
 */
export function withGrads(
  params: Map<string, tf.Variable>,
  grads: Record<string, tf.Tensor>,
): [string, tf.Variable, tf.Tensor][] {
  const todo: [string, tf.Variable, tf.Tensor][] = [];
  for (const [name, p] of params) {
    const g = grads[name] ?? grads[p.name];
    if (!g) continue;
    if (g.shape.join() !== p.shape.join()) {
      throw new RangeError(`Cannot update ${name} as its gradient has shape [${g.shape}], not [${p.shape}]`);
    }
    todo.push([name, p, g]);
  }
  return todo;
}
