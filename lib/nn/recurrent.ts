/**
 * Recurrent layers: a cell run over a whole sequence `[B, T, In]`, carrying its state from step to step.
 *
 * Both first compute the input's contribution for every step at once (one `[B·T, In] × [In, G]` matMul, as PyTorch's
 * `nn.RNN`/`nn.LSTM` do), then loop over time, where each step needs the previous one. Both run that loop in one
 * fused kernel when the backend has it (wasm, cpu: lib/core/kernels/lstm.ts) and otherwise, or when asked, step by
 * step with tensor ops ({@link lstm} through the readable {@link lstmCell}); the two agree to float32 rounding
 * (tests/nn/recurrent_test.ts).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { lstmFused, lstmFusedAvailable, rnnFused, rnnFusedAvailable } from "../core/kernels/lstm.ts";
import { linear } from "./layers.ts";
import { recurrentHiddenSize } from "./_recurrent.ts";
import type { RnnWeights } from "./rnn_cell.ts";
import { lstmCell, type LstmState, type LstmWeights } from "./lstm_cell.ts";

/** What {@link rnn} returns. */
export interface RnnOutput {
  /** Every hidden state `[B, T, H]` (`h_1 … h_T`). */
  hs: tf.Tensor3D;
  /** The last hidden state `[B, H]`, to continue from. */
  h: tf.Tensor2D;
}

/** What {@link lstm} returns. */
export interface LstmOutput extends RnnOutput {
  /** The last cell state `[B, H]`, to continue from. */
  c: tf.Tensor2D;
}

/** Options of {@link rnn} and {@link lstm}. */
export interface LstmOptions {
  /** Run the fused kernel (default: when the backend has it) or, with `false`, the readable cell step by step. */
  fused?: boolean;
}

/** Options of {@link rnn}. */
export type RnnOptions = LstmOptions;

function checkFused(options: LstmOptions, available: () => boolean, action: string): boolean {
  const fused = options?.fused ?? available();
  if (typeof fused !== "boolean") {
    throw new TypeError(`Cannot ${action} as options.fused must be a boolean: current value is ${fused}`);
  }
  return fused;
}

function checkSequence(x: tf.Tensor, inputSize: number, action: string): [number, number] {
  if (!(x instanceof tf.Tensor)) throw new TypeError(`Cannot ${action} as x must be a tensor: current value is ${x}`);
  if (x.rank !== 3 || x.shape[2] !== inputSize || x.shape[0] === 0 || x.shape[1] === 0) {
    throw new RangeError(
      `Cannot ${action} as x must be [B, T, ${inputSize}] with B, T ≥ 1: current shape is [${x.shape}]`,
    );
  }
  return [x.shape[0], x.shape[1] as number];
}

function checkState(t: tf.Tensor | undefined, B: number, H: number, name: string, action: string): void {
  if (t === undefined) return;
  if (!(t instanceof tf.Tensor) || t.rank !== 2 || t.shape[0] !== B || t.shape[1] !== H) {
    throw new RangeError(
      `Cannot ${action} as ${name} must be a tensor [${B}, ${H}]: current value is ${
        t instanceof tf.Tensor ? `shape [${t.shape}]` : t
      }`,
    );
  }
}

/** Step t of a `[B, T, C]` tensor, as `[B, C]`. */
function at(x: tf.Tensor3D, t: number): tf.Tensor2D {
  const [B, , C] = x.shape;
  return tf.slice(x, [0, t, 0], [B, 1, C]).reshape([B, C]);
}

/**
 * A plain RNN over a sequence: `h_t = tanh(x_t · W_x + h_{t-1} · W_h + b)` for t = 1…T (see rnn_cell.ts), fused
 * into one kernel where the backend has it.
 *
 * @param x Inputs `[B, T, In]`.
 * @param w The cell's weights.
 * @param h0 Initial hidden state `[B, H]` (default zeros).
 * @param options `fused`: force the fused kernel (`true`) or the step-by-step tensor ops (`false`).
 * @returns Every hidden state and the last one.
 * @throws {TypeError} When `x` or a weight is not a tensor. {@link RangeError} When the shapes do not fit together, or
 *   `fused: true` is asked for on a backend without the kernel.
 * @example
 * ```ts
 * import { initRnnWeights, rnn } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.randomNormal([2, 5, 3], 0, 1, "float32", 7), w = initRnnWeights(3, 4);
 * const { hs, h } = rnn(x, w), readable = rnn(x, w, undefined, { fused: false });
 * assert.deepEqual(hs.shape, [2, 5, 4]);
 * assert.deepEqual(h.shape, [2, 4]);
 * assert.ok(tf.max(tf.abs(tf.sub(hs, readable.hs))).dataSync()[0] < 1e-5);
 * ```
 */
export function rnn(x: tf.Tensor, w: RnnWeights, h0?: tf.Tensor, options: RnnOptions = {}): RnnOutput {
  const action = "run the RNN";
  const H = recurrentHiddenSize(w, 1, action);
  const [B, T] = checkSequence(x, w.kernel.shape[0], action);
  checkState(h0, B, H, "h0", action);
  const fused = checkFused(options, rnnFusedAvailable, action);
  return tf.tidy(() => {
    const fromInput = linear(x.reshape([B * T, -1]), w.kernel as tf.Tensor2D, w.bias as tf.Tensor1D).reshape([
      B,
      T,
      H,
    ]) as tf.Tensor3D;
    let h = (h0 ?? tf.zeros([B, H])) as tf.Tensor2D;
    if (fused) {
      const hs = rnnFused(fromInput, w.recurrentKernel as tf.Tensor2D, h); // [B, T, H]
      return { hs, h: at(hs, T - 1) };
    }
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      h = tf.tanh(tf.add(at(fromInput, t), tf.matMul(h, w.recurrentKernel))); // [B, H]
      hs.push(h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, h };
  });
}

/**
 * An LSTM over a sequence (see lstm_cell.ts for the gates), fused into one kernel where the backend has it.
 *
 * @param x Inputs `[B, T, In]`.
 * @param w The cell's weights (gate order input, forget, candidate, output).
 * @param state Initial hidden and cell states `[B, H]` (default zeros).
 * @param options `fused`: force the fused kernel (`true`) or the readable cell (`false`).
 * @returns Every hidden state, and the last hidden and cell states.
 * @throws {TypeError} When `x` or a weight is not a tensor. {@link RangeError} When the shapes do not fit together, or
 *   `fused: true` is asked for on a backend without the kernel.
 * @example
 * ```ts
 * import { initLstmWeights, lstm } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.randomNormal([2, 5, 3], 0, 1, "float32", 7), w = initLstmWeights(3, 4);
 * const fast = lstm(x, w), readable = lstm(x, w, undefined, { fused: false });
 * assert.deepEqual(fast.hs.shape, [2, 5, 4]);
 * assert.ok(tf.max(tf.abs(tf.sub(fast.hs, readable.hs))).dataSync()[0] < 1e-5);
 * ```
 */
export function lstm(
  x: tf.Tensor,
  w: LstmWeights,
  state?: { h?: tf.Tensor; c?: tf.Tensor },
  options: LstmOptions = {},
): LstmOutput {
  const action = "run the LSTM";
  const H = recurrentHiddenSize(w, 4, action);
  const [B, T] = checkSequence(x, w.kernel.shape[0], action);
  checkState(state?.h, B, H, "state.h", action);
  checkState(state?.c, B, H, "state.c", action);
  const fused = checkFused(options, lstmFusedAvailable, action);
  return tf.tidy(() => {
    const h0 = (state?.h ?? tf.zeros([B, H])) as tf.Tensor2D, c0 = (state?.c ?? tf.zeros([B, H])) as tf.Tensor2D;
    if (fused) {
      const xGates = linear(x.reshape([B * T, -1]), w.kernel as tf.Tensor2D, w.bias as tf.Tensor1D).reshape([
        B,
        T,
        4 * H,
      ]) as tf.Tensor3D;
      const { hs, cs } = lstmFused(xGates, w.recurrentKernel as tf.Tensor2D, h0, c0); // [B, T, H] each
      return { hs, h: at(hs, T - 1), c: at(cs, T - 1) };
    }
    let s: LstmState = { h: h0, c: c0 };
    const hs: tf.Tensor2D[] = [];
    for (let t = 0; t < T; t++) {
      s = lstmCell(at(x as tf.Tensor3D, t), s, w);
      hs.push(s.h);
    }
    return { hs: tf.stack(hs, 1) as tf.Tensor3D, h: s.h, c: s.c };
  });
}
