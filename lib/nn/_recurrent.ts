/**
 * Private helpers of the recurrent cells (rnn_cell.ts, lstm_cell.ts, recurrent.ts): weight checks and initialisation.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { type Prng, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** The weights of a recurrent cell, as tf.layers' in the same order (the LSTM's have `4H` columns: gates i, f, g, o). */
export interface RnnWeights {
  /** `W_x`, `[In, H]` (LSTM: `[In, 4H]`): the input's contribution. */
  kernel: tf.Tensor;
  /** `W_h`, `[H, H]` (LSTM: `[H, 4H]`): the previous hidden state's contribution. */
  recurrentKernel: tf.Tensor;
  /** `b`, `[H]` (LSTM: `[4H]`). */
  bias: tf.Tensor;
}

/** Checks that `w` are RNN (or, with `gates` 4, LSTM) weights for `inputSize` inputs; returns the hidden size. */
export function recurrentHiddenSize(w: RnnWeights, gates: 1 | 4, action: string, inputSize?: number): number {
  for (const key of ["kernel", "recurrentKernel", "bias"] as const) {
    if (!(w?.[key] instanceof tf.Tensor)) {
      throw new TypeError(`Cannot ${action} as weights.${key} must be a tensor: current value is ${w?.[key]}`);
    }
  }
  const [H, G] = w.recurrentKernel.shape;
  const ok = w.recurrentKernel.rank === 2 && G === gates * H && w.kernel.rank === 2 && w.kernel.shape[1] === G &&
    w.bias.rank === 1 && w.bias.shape[0] === G && (inputSize === undefined || w.kernel.shape[0] === inputSize);
  if (!ok) {
    const want = gates === 1 ? "H" : "4H";
    throw new RangeError(
      `Cannot ${action} as the weights must be kernel [${inputSize ?? "In"}, ${want}], recurrentKernel [H, ${want}] ` +
        `and bias [${want}]: current shapes are [${w.kernel.shape}], [${w.recurrentKernel.shape}], [${w.bias.shape}]`,
    );
  }
  return H;
}

/** Checks that `x` is `[B, In]` and `h` is `[B, H]`. */
export function checkStepInputs(x: tf.Tensor, h: tf.Tensor, inputSize: number, H: number, action: string): void {
  if (!(x instanceof tf.Tensor) || !(h instanceof tf.Tensor)) {
    throw new TypeError(`Cannot ${action} as x and the state must be tensors: current values are ${x}, ${h}`);
  }
  if (x.rank !== 2 || x.shape[1] !== inputSize || h.rank !== 2 || h.shape[0] !== x.shape[0] || h.shape[1] !== H) {
    throw new RangeError(
      `Cannot ${action} as x must be [B, ${inputSize}] and the state [B, ${H}]: ` +
        `current shapes are [${x.shape}] and [${h.shape}]`,
    );
  }
}

/** Uniform `±1/√H` weights for a cell of `gates` gates (shared with the LSTM). */
export function initRecurrent(
  inputSize: number,
  hidden: number,
  gates: 1 | 4,
  seed: number | Prng,
  action: string,
): RnnWeights {
  checkPositiveInteger(inputSize, "inputSize", action);
  checkPositiveInteger(hidden, "hidden", action);
  const prng = toPrng(seed), k = 1 / Math.sqrt(hidden), G = gates * hidden;
  const draw = (shape: number[]) => tf.randomUniform(shape, -k, k, "float32", prng.tfSeed());
  return {
    kernel: draw([inputSize, G]),
    recurrentKernel: draw([hidden, G]),
    bias: draw([G]),
  };
}
