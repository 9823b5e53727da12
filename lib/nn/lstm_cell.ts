/**
 * The LSTM cell (长短期记忆, Hochreiter & Schmidhuber 1997; the forget gate is Gers et al. 2000's), with its gates
 * written out. Beside the hidden state `h` it carries a cell state `c`, a memory that is changed only by an
 * element-wise multiply and an add at each step:
 *
 *     forget    f = σ(x W_xf + h W_hf + b_f)     what to erase from the memory (0 erases, 1 keeps)
 *     input     i = σ(x W_xi + h W_hi + b_i)     how much of the candidate to write
 *     candidate g = tanh(x W_xg + h W_hg + b_g)  what could be written
 *     output    o = σ(x W_xo + h W_ho + b_o)     how much of the memory to show
 *     c_t = f ⊙ c_{t-1} + i ⊙ g
 *     h_t = o ⊙ tanh(c_t)
 *
 * The gradient flowing back along `c` is multiplied only by `f` at each step — no weight matrix, no squashing — so
 * where the forget gate stays near 1 it reaches far back: this is how the LSTM answers the plain RNN's 长距离依赖问题.
 *
 * The four gates' weights sit side by side in one matrix (`[In, 4H]`, order input, forget, candidate, output: Keras's
 * `tf.layers.lstm` and PyTorch's order), so one matMul computes all four pre-activations and the cell splits them.
 * For training speed lib/nn/recurrent.ts's `lstm` runs the same maths fused (lib/core/kernels/lstm.ts).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import type { Prng } from "../core/random.ts";
import { checkStepInputs, initRecurrent, recurrentHiddenSize, type RnnWeights } from "./_recurrent.ts";

/** The weights of an LSTM cell: kernel `[In, 4H]`, recurrent kernel `[H, 4H]`, bias `[4H]`, gates i, f, g, o. */
export type LstmWeights = RnnWeights;

/** The state an LSTM carries from step to step. */
export interface LstmState {
  /** Hidden state `[B, H]`: what the cell shows (the next layer's input). */
  h: tf.Tensor2D;
  /** Cell state `[B, H]`: the memory. */
  c: tf.Tensor2D;
}

/** One LSTM step: the new state and the four gates that made it, each `[B, H]`. */
export interface LstmStep extends LstmState {
  forget: tf.Tensor2D;
  input: tf.Tensor2D;
  candidate: tf.Tensor2D;
  output: tf.Tensor2D;
}

/**
 * One step of the LSTM, gate by gate (see the module doc for the equations).
 *
 * @param x The input at this step, `[B, In]`.
 * @param state The previous hidden and cell states, `[B, H]` each.
 * @param w The cell's weights (gate order input, forget, candidate, output).
 * @returns The new `h` and `c` and the gates `forget`, `input`, `candidate`, `output`; the caller disposes them (or
 *   runs the step inside `tf.tidy`).
 * @throws {TypeError} When an argument is not a tensor. {@link RangeError} When the shapes do not fit together.
 * @example
 * ```ts
 * import { lstmCell } from "@lib/nn/lstm_cell.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * // All weights 0: every gate is σ(0) = ½ and the candidate tanh(0) = 0, so the memory is halved.
 * const w = { kernel: tf.zeros([1, 4]), recurrentKernel: tf.zeros([1, 4]), bias: tf.zeros([4]) };
 * const step = lstmCell(tf.ones([1, 1]), { h: tf.zeros([1, 1]), c: tf.tensor2d([[0.8]]) }, w);
 * assert.ok(Math.abs(step.forget.arraySync()[0][0] - 0.5) < 1e-6);
 * assert.ok(Math.abs(step.c.arraySync()[0][0] - 0.4) < 1e-6);
 * ```
 */
export function lstmCell(x: tf.Tensor, state: { h: tf.Tensor; c: tf.Tensor }, w: LstmWeights): LstmStep {
  const H = recurrentHiddenSize(w, 4, "run the LSTM cell");
  checkStepInputs(x, state?.h, w.kernel.shape[0], H, "run the LSTM cell");
  checkStepInputs(x, state?.c, w.kernel.shape[0], H, "run the LSTM cell");
  return tf.tidy((): tf.TensorContainerObject => {
    const z = tf.add(tf.add(tf.matMul(x, w.kernel), tf.matMul(state.h, w.recurrentKernel)), w.bias); // [B, 4H]
    const [zi, zf, zg, zo] = tf.split(z, 4, 1); // [B, H] each
    const input = tf.sigmoid(zi);
    const forget = tf.sigmoid(zf);
    const candidate = tf.tanh(zg);
    const output = tf.sigmoid(zo);
    const c = tf.add(tf.mul(forget, state.c), tf.mul(input, candidate)); // keep some memory, write some candidate
    const h = tf.mul(output, tf.tanh(c)); // show some of the memory
    return { h, c, forget, input, candidate, output };
  }) as unknown as LstmStep;
}

/**
 * Fresh weights for an LSTM cell, drawn as PyTorch's `nn.LSTM` draws them: uniform in `±1/√H`, biases included.
 *
 * @param inputSize Inputs per step.
 * @param hidden Hidden units `H` (the matrices have `4H` columns).
 * @param seed Seed or generator.
 * @returns Weights; the caller disposes them (or wraps them in variables).
 * @throws {RangeError} When a size is not a positive integer.
 * @example
 * ```ts
 * import { initLstmWeights } from "@lib/nn/lstm_cell.ts";
 * import assert from "node:assert/strict";
 * const w = initLstmWeights(3, 4, 1);
 * assert.deepEqual(w.kernel.shape, [3, 16]);
 * ```
 */
export function initLstmWeights(inputSize: number, hidden: number, seed: number | Prng = 1337): LstmWeights {
  return initRecurrent(inputSize, hidden, 4, seed, "initialise LSTM weights");
}
