/**
 * The plain recurrent cell (循环神经网络, Elman 1990; trained by backpropagation through time, Rumelhart et al. 1986):
 * one hidden vector carried from step to step and squashed through a tanh each time,
 *
 *     h_t = tanh(x_t · W_x + h_{t-1} · W_h + b)
 *
 * Everything the network remembers of the past must pass through that one multiplication by `W_h` and that tanh at
 * every step, so the gradient from a step far back is multiplied by `W_hᵀ · diag(1 − h²)` once per step in between:
 * it shrinks (or explodes) geometrically with the distance — the 长距离依赖问题 (long-range dependency problem).
 *
 * Weights are laid out as `tf.layers.simpleRNN`'s (kernel `[In, H]`, recurrent kernel `[H, H]`, bias `[H]`), so the two
 * can be compared number by number. For training speed lib/nn/recurrent.ts's `rnn` runs the same recurrence over a whole
 * sequence in one fused kernel (lib/core/kernels/lstm.ts).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import type { Prng } from "../core/random.ts";
import { checkStepInputs, initRecurrent, recurrentHiddenSize, type RnnWeights } from "./_recurrent.ts";

export type { RnnWeights };

/**
 * One step of the plain RNN: `h_t = tanh(x_t · W_x + h_{t-1} · W_h + b)`.
 *
 * @param x The input at this step, `[B, In]`.
 * @param h The previous hidden state, `[B, H]`.
 * @param w The cell's weights.
 * @returns The new hidden state `[B, H]`.
 * @throws {TypeError} When an argument is not a tensor. {@link RangeError} When the shapes do not fit together.
 * @example
 * ```ts
 * import { rnnCell } from "@lib/nn/rnn_cell.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const w = { kernel: tf.ones([1, 2]), recurrentKernel: tf.zeros([2, 2]), bias: tf.zeros([2]) };
 * const h = rnnCell(tf.tensor2d([[0.5]]), tf.zeros([1, 2]), w);
 * assert.ok(Math.abs(h.arraySync()[0][0] - Math.tanh(0.5)) < 1e-6);
 * ```
 */
export function rnnCell(x: tf.Tensor, h: tf.Tensor, w: RnnWeights): tf.Tensor2D {
  const H = recurrentHiddenSize(w, 1, "run the RNN cell");
  checkStepInputs(x, h, w.kernel.shape[0], H, "run the RNN cell");
  return tf.tidy(() => {
    const fromInput = tf.matMul(x, w.kernel); // [B, H]
    const fromPast = tf.matMul(h, w.recurrentKernel); // [B, H]
    return tf.tanh(tf.add(tf.add(fromInput, fromPast), w.bias)); // [B, H]
  }) as tf.Tensor2D;
}

/**
 * Fresh weights for a plain RNN cell, drawn as PyTorch's `nn.RNN` draws them: uniform in `±1/√H`, biases included.
 *
 * @param inputSize Inputs per step.
 * @param hidden Hidden units `H`.
 * @param seed Seed or generator.
 * @returns Weights; the caller disposes them (or wraps them in variables).
 * @throws {RangeError} When a size is not a positive integer.
 * @example
 * ```ts
 * import { initRnnWeights } from "@lib/nn/rnn_cell.ts";
 * import assert from "node:assert/strict";
 * const w = initRnnWeights(3, 4, 1);
 * assert.deepEqual(w.recurrentKernel.shape, [4, 4]);
 * ```
 */
export function initRnnWeights(inputSize: number, hidden: number, seed: number | Prng = 1337): RnnWeights {
  return initRecurrent(inputSize, hidden, 1, seed, "initialise RNN weights");
}
