/**
 * What an optimizer of lib/nn does, so that the training loop takes any of them (AdamW, SGD).
 *
 * @module
 */
import type { tf } from "../core/mod.ts";

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
