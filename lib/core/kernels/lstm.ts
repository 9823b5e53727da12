/**
 * A fused LSTM: the whole recurrence of a sequence as one kernel forward and one kernel backward, for the wasm and cpu
 * backends.
 *
 * Written out with tensor ops (lib/nn/lstm_cell.ts) each time step costs about 77 tfjs kernels forward and backward;
 * here a time step is one BLAS product `h_{t-1} · W_h` (`[B, H] × [H, 4H]`, the four gate products batched) plus one
 * JavaScript loop over the gates, and backpropagation through time is one product `dz_t · W_hᵀ` per step plus a
 * single `[H, B·T] × [B·T, 4H]` product for `dW_h`. The input projection `x · W_x + b` is not part of it: it is one
 * big matMul over all time steps, done outside (lib/nn/recurrent.ts).
 *
 * Gate order in the last axis (`4H`): input, forget, candidate, output — Keras's and PyTorch's order. The forward
 * kernel also returns the activated gates, which its gradient reads instead of recomputing them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { blasActive, sgemm } from "./blas.ts";
import { type KernelArgs, viewOf, type WasmBackend } from "./_wasm.ts";

/** Name of the forward kernel (outputs: hidden states, cell states, activated gates). */
export const LSTM_KERNEL = "LiandanLstm";
/** Name of the backward kernel. */
export const LSTM_GRAD_KERNEL = "LiandanLstmGrad";

/** What {@link lstmFused} returns: every hidden and cell state. */
export interface LstmFusedOutput {
  /** Hidden states `[B, T, H]`: `h_t` for t = 1…T. */
  hs: tf.Tensor3D;
  /** Cell states `[B, T, H]`: `c_t` for t = 1…T. */
  cs: tf.Tensor3D;
}

/** `c = op(a) · op(b) + beta · c`, row-major, on BLAS when it is in use, else a plain loop. */
function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  a: Float32Array,
  b: Float32Array,
  c: Float32Array,
  beta: 0 | 1,
): void {
  if (blasActive()) return sgemm(transA, transB, m, n, k, a, b, c, beta);
  if (beta === 0) c.fill(0, 0, m * n);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * m + i] : a[i * k + p];
      if (aip === 0) continue;
      const row = i * n;
      if (transB) { for (let j = 0; j < n; j++) c[row + j] += aip * b[j * k + p]; }
      else for (let j = 0, off = p * n; j < n; j++) c[row + j] += aip * b[off + j];
    }
  }
}

function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/**
 * The forward recurrence on plain arrays. `xg` `[B, T, 4H]` are the input projections (bias included), `wh`
 * `[H, 4H]`; writes `hs`, `cs` `[B, T, H]` and the activated gates `[B, T, 4H]`.
 */
function forward(
  B: number,
  T: number,
  H: number,
  xg: Float32Array,
  wh: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
  hs: Float32Array,
  cs: Float32Array,
  gates: Float32Array,
): void {
  const G = 4 * H;
  const z = new Float32Array(B * G), h = Float32Array.from(h0), c = Float32Array.from(c0);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) z.set(xg.subarray((b * T + t) * G, (b * T + t + 1) * G), b * G);
    gemm(false, false, B, G, H, h, wh, z, 1); // z = x_t W_x + b + h_{t-1} W_h, [B, 4H]
    for (let b = 0; b < B; b++) {
      const zo = b * G, go = (b * T + t) * G, so = (b * T + t) * H, ho = b * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(z[zo + j]), f = sigmoid(z[zo + H + j]);
        const g = Math.tanh(z[zo + 2 * H + j]), o = sigmoid(z[zo + 3 * H + j]);
        const cj = f * c[ho + j] + i * g; // forget some memory, write some candidate
        const hj = o * Math.tanh(cj); // show some of it
        gates[go + j] = i;
        gates[go + H + j] = f;
        gates[go + 2 * H + j] = g;
        gates[go + 3 * H + j] = o;
        cs[so + j] = c[ho + j] = cj;
        hs[so + j] = h[ho + j] = hj;
      }
    }
  }
}

/**
 * Backpropagation through time on plain arrays: from the gradients of every hidden and cell state (`dhs`, `dcs`
 * `[B, T, H]`) to those of the input projections (`dxg` `[B, T, 4H]`), `W_h` (`dwh`) and the initial state.
 */
function backward(
  B: number,
  T: number,
  H: number,
  wh: Float32Array,
  h0: Float32Array,
  c0: Float32Array,
  hs: Float32Array,
  cs: Float32Array,
  gates: Float32Array,
  dhs: Float32Array,
  dcs: Float32Array,
  dxg: Float32Array,
  dwh: Float32Array,
  dh0: Float32Array,
  dc0: Float32Array,
): void {
  const G = 4 * H;
  const dh = new Float32Array(B * H), dc = new Float32Array(B * H), dz = new Float32Array(B * G);
  for (let t = T - 1; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      const go = (b * T + t) * G, so = (b * T + t) * H, ho = b * H, zo = b * G;
      for (let j = 0; j < H; j++) {
        const i = gates[go + j], f = gates[go + H + j], g = gates[go + 2 * H + j], o = gates[go + 3 * H + j];
        const tc = Math.tanh(cs[so + j]);
        const dhj = dh[ho + j] + dhs[so + j];
        const dcj = dc[ho + j] + dcs[so + j] + dhj * o * (1 - tc * tc);
        const cPrev = t > 0 ? cs[so - H + j] : c0[ho + j];
        const di = dcj * g * i * (1 - i), df = dcj * cPrev * f * (1 - f);
        const dg = dcj * i * (1 - g * g), dO = dhj * tc * o * (1 - o);
        dz[zo + j] = dxg[go + j] = di;
        dz[zo + H + j] = dxg[go + H + j] = df;
        dz[zo + 2 * H + j] = dxg[go + 2 * H + j] = dg;
        dz[zo + 3 * H + j] = dxg[go + 3 * H + j] = dO;
        dc[ho + j] = dcj * f;
      }
    }
    gemm(false, true, B, H, G, dz, wh, dh, 0); // dh_{t-1} = dz_t W_hᵀ, [B, H]
  }
  // dW_h = Σ_t h_{t-1}ᵀ dz_t, as one product over all (b, t) rows: [H, B·T] × [B·T, 4H]
  const hPrev = new Float32Array(B * T * H);
  for (let b = 0; b < B; b++) {
    hPrev.set(h0.subarray(b * H, (b + 1) * H), b * T * H);
    hPrev.set(hs.subarray(b * T * H, ((b + 1) * T - 1) * H), (b * T + 1) * H);
  }
  gemm(true, false, H, G, B * T, hPrev, dxg, dwh, 0);
  dh0.set(dh);
  dc0.set(dc);
}

/** Reads float32 inputs and makes float32 outputs on one backend. */
interface Io {
  read(info: tf.TensorInfo): Float32Array;
  /** Allocates all outputs first (on wasm a later allocation could move the heap), then returns their arrays. */
  make(shapes: number[][]): { infos: tf.TensorInfo[]; arrays: Float32Array[] };
}

function wasmIo(backend: WasmBackend): Io {
  return {
    read: (info) => viewOf(backend, info) as Float32Array,
    make: (shapes) => {
      const infos = shapes.map((shape) => backend.makeOutput(shape, "float32"));
      return { infos, arrays: infos.map((info) => viewOf(backend, info) as Float32Array) };
    },
  };
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function cpuIo(backend: CpuBackend): Io {
  return {
    read: (info) => backend.data.get(info.dataId).values as Float32Array,
    make: (shapes) => {
      const arrays = shapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
      return { infos: shapes.map((shape, i) => backend.makeTensorInfo(shape, "float32", arrays[i])), arrays };
    },
  };
}

type ForwardInputs = "xGates" | "recurrentKernel" | "h0" | "c0";
type GradInputs = "recurrentKernel" | "h0" | "c0" | "hs" | "cs" | "gates" | "dhs" | "dcs";

function forwardKernel(io: Io, inputs: Record<ForwardInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, G] = inputs.xGates.shape, H = G / 4;
  const { infos, arrays: [hs, cs, gates] } = io.make([[B, T, H], [B, T, H], [B, T, G]]);
  const [xg, wh, h0, c0] = [inputs.xGates, inputs.recurrentKernel, inputs.h0, inputs.c0].map(io.read);
  forward(B, T, H, xg, wh, h0, c0, hs, cs, gates);
  return infos;
}

function gradKernel(io: Io, inputs: Record<GradInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, G] = inputs.gates.shape, H = G / 4;
  const { infos, arrays: [dxg, dwh, dh0, dc0] } = io.make([[B, T, G], [H, G], [B, H], [B, H]]);
  const [wh, h0, c0, hs, cs, gates, dhs, dcs] = [
    inputs.recurrentKernel,
    inputs.h0,
    inputs.c0,
    inputs.hs,
    inputs.cs,
    inputs.gates,
    inputs.dhs,
    inputs.dcs,
  ].map(io.read);
  backward(B, T, H, wh, h0, c0, hs, cs, gates, dhs, dcs, dxg, dwh, dh0, dc0);
  return infos;
}

type AnyBackend = WasmBackend & CpuBackend;
const ioOf = (backendName: string, backend: AnyBackend): Io =>
  backendName === "wasm" ? wasmIo(backend) : cpuIo(backend);

/** The kernel configs of the fused LSTM, forward and backward, for the wasm and cpu backends. */
export const LSTM_KERNELS: readonly tf.KernelConfig[] = Object.freeze(
  (["wasm", "cpu"] as const).flatMap((backendName) => [
    {
      kernelName: LSTM_KERNEL,
      backendName,
      kernelFunc:
        (({ inputs, backend }: KernelArgs<unknown, ForwardInputs>) =>
          forwardKernel(ioOf(backendName, backend as AnyBackend), inputs)) as unknown as tf.KernelFunc,
    },
    {
      kernelName: LSTM_GRAD_KERNEL,
      backendName,
      kernelFunc:
        (({ inputs, backend }: KernelArgs<unknown, GradInputs>) =>
          gradKernel(ioOf(backendName, backend as AnyBackend), inputs)) as unknown as tf.KernelFunc,
    },
  ]),
);

/** The gradient of {@link LSTM_KERNEL}: one run of {@link LSTM_GRAD_KERNEL}. */
export const lstmGradConfig: tf.GradConfig = {
  kernelName: LSTM_KERNEL,
  inputsToSave: ["recurrentKernel", "h0", "c0"],
  outputsToSave: [true, true, true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const [dhs, dcs] = dy as tf.Tensor[];
    const [recurrentKernel, h0, c0, hs, cs, gates] = saved;
    const inputs = { recurrentKernel, h0, c0, hs, cs, gates, dhs, dcs } as unknown as tf.NamedTensorMap;
    const [dxg, dwh, dh0, dc0] = tf.engine().runKernel(LSTM_GRAD_KERNEL, inputs, {}) as tf.Tensor[];
    return { xGates: () => dxg, recurrentKernel: () => dwh, h0: () => dh0, c0: () => dc0 };
  },
};

/**
 * Whether {@link lstmFused} runs on the current backend (wasm and cpu; elsewhere, e.g. webgpu, use the readable cell).
 *
 * @returns `true` when the fused kernels are registered for `tf.getBackend()`.
 * @example
 * ```ts
 * import { lstmFusedAvailable } from "@lib/core/kernels/lstm.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lstmFusedAvailable(), tf.getBackend() === "wasm" || tf.getBackend() === "cpu");
 * ```
 */
export function lstmFusedAvailable(): boolean {
  return tf.getKernel(LSTM_KERNEL, tf.getBackend()) !== undefined;
}

function checkShape(what: string, t: tf.Tensor, expected: number[]): void {
  if (!(t instanceof tf.Tensor)) {
    throw new TypeError(`Cannot run the fused LSTM as ${what} must be a tensor: current value is ${t}`);
  }
  if (t.dtype !== "float32") {
    throw new TypeError(`Cannot run the fused LSTM as ${what} must be float32: current dtype is ${t.dtype}`);
  }
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(
      `Cannot run the fused LSTM as ${what} must have shape [${expected}]: current shape is [${t.shape}]`,
    );
  }
}

/**
 * Runs an LSTM over a whole sequence in one kernel (differentiable: its gradient is one backpropagation-through-time
 * kernel). For each step t: `z = xGates[:, t] + h_{t-1} · recurrentKernel`, split into input, forget, candidate and
 * output gates `i, f, g, o` (sigmoid, sigmoid, tanh, sigmoid), `c_t = f ⊙ c_{t-1} + i ⊙ g`, `h_t = o ⊙ tanh(c_t)`.
 *
 * @param xGates The input projections `x_t · W_x + b` for every step, `[B, T, 4H]` (gate order i, f, g, o).
 * @param recurrentKernel `W_h`, `[H, 4H]`.
 * @param h0 Initial hidden state `[B, H]`.
 * @param c0 Initial cell state `[B, H]`.
 * @returns Every hidden state and every cell state, `[B, T, H]` each.
 * @throws {TypeError} When an input is not a float32 tensor. {@link RangeError} When the shapes do not fit together,
 *   or the current backend has no fused kernel (see {@link lstmFusedAvailable}).
 * @example
 * ```ts
 * import { lstmFused } from "@lib/core/kernels/lstm.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * const { hs, cs } = lstmFused(tf.zeros([2, 3, 8]), tf.zeros([2, 8]), tf.zeros([2, 2]), tf.ones([2, 2]));
 * assert.deepEqual(hs.shape, [2, 3, 2]);
 * assert.ok(Math.abs(cs.arraySync()[0][0][0] - 0.5) < 1e-6); // the forget gate, σ(0) = ½, halves the memory
 * ```
 */
export function lstmFused(
  xGates: tf.Tensor,
  recurrentKernel: tf.Tensor,
  h0: tf.Tensor,
  c0: tf.Tensor,
): LstmFusedOutput {
  if (!(xGates instanceof tf.Tensor) || xGates.rank !== 3 || xGates.shape[2]! % 4 !== 0 || xGates.shape[2] === 0) {
    throw new RangeError(
      `Cannot run the fused LSTM as xGates must be a tensor [B, T, 4H] with H ≥ 1: current shape is [${
        (xGates as tf.Tensor)?.shape
      }]`,
    );
  }
  const [B, T, G] = xGates.shape, H = G / 4;
  if (B === 0 || T === 0) {
    throw new RangeError(`Cannot run the fused LSTM as B and T must be ≥ 1: current shape is [${xGates.shape}]`);
  }
  checkShape("xGates", xGates, xGates.shape);
  checkShape("recurrentKernel", recurrentKernel, [H, G]);
  checkShape("h0", h0, [B, H]);
  checkShape("c0", c0, [B, H]);
  if (!lstmFusedAvailable()) {
    throw new RangeError(
      `Cannot run the fused LSTM on the ${tf.getBackend()} backend: it runs on wasm and cpu (use the readable cell)`,
    );
  }
  const inputs = { xGates, recurrentKernel, h0, c0 } as unknown as tf.NamedTensorMap;
  const [hs, cs, gates] = tf.engine().runKernel(LSTM_KERNEL, inputs, {}) as tf.Tensor[];
  gates.dispose(); // the gradient keeps its own reference
  return { hs: hs as tf.Tensor3D, cs: cs as tf.Tensor3D };
}
