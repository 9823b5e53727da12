/**
 * A fused LSTM and a fused plain RNN: the whole recurrence of a sequence as one kernel forward and one kernel backward,
 * for the wasm and cpu backends.
 *
 * Written out with tensor ops (lib/nn/lstm_cell.ts) each time step costs about 77 tfjs kernels forward and backward;
 * here a time step is one BLAS product `h_{t-1} · W_h` (`[B, H] × [H, 4H]`, the four gate products batched) plus one
 * JavaScript loop over the gates, and backpropagation through time is one product `dz_t · W_hᵀ` per step plus a
 * single `[H, B·T] × [B·T, 4H]` product for `dW_h`. The input projection `x · W_x + b` is not part of it: it is one
 * big matMul over all time steps, done outside (lib/nn/recurrent.ts).
 *
 * Gate order in the last axis (`4H`): input, forget, candidate, output — Keras's and PyTorch's order. The forward
 * kernel also returns the activated gates and `tanh(c_t)` (`[B, T, 5H]`), which its gradient reads instead of
 * recomputing them.
 *
 * The plain RNN (`h_t = tanh(x_t W_x + b + h_{t-1} W_h)`, {@link rnnFused}) is the same loop with one gate: per step
 * one product `[B, H] × [H, H]` and a tanh; its gradient needs only the hidden states (`tanh′ = 1 − h²`). Written
 * with tensor ops it costs about 10 tfjs kernels per step, forward and backward.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { blasActive, sgemm } from "./blas.ts";
import { f32At, type KernelArgs, viewOf, type WasmBackend } from "./_wasm.ts";
import { LSTM_WASM } from "./_lstm_wasm.ts";

/** Name of the forward kernel (outputs: hidden states, cell states, activated gates with `tanh(c)`). */
export const LSTM_KERNEL = "LiandanLstm";
/** Name of the backward kernel. */
export const LSTM_GRAD_KERNEL = "LiandanLstmGrad";

/** Name of the plain RNN's forward kernel (output: hidden states). */
export const RNN_KERNEL = "LiandanRnn";
/** Name of the plain RNN's backward kernel. */
export const RNN_GRAD_KERNEL = "LiandanRnnGrad";

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

/** 2^k for k = −128…127, by `k + 128`. */
const POW2 = Float64Array.from({ length: 256 }, (_, i) => 2 ** (i - 128));
const LN2_HI = 0.693145751953125, LN2_LO = 1.428606820309417232e-6;

/**
 * `e^x` to about 1e-8 relative error, twice as fast as `Math.exp` in V8: `x = k·ln 2 + r` with |r| ≤ ½ ln 2, then
 * `2^k` from a table times a degree-7 Taylor polynomial of `e^r` (clamped to |x| ≤ 80, where the gates saturate).
 */
function exp(x: number): number {
  if (x > 80) x = 80;
  else if (x < -80) x = -80;
  const k = Math.floor(x * Math.LOG2E + 0.5);
  const r = x - k * LN2_HI - k * LN2_LO;
  const p = 1 + r * (1 + r * (1 / 2 + r * (1 / 6 + r * (1 / 24 + r * (1 / 120 + r * (1 / 720 + r / 5040))))));
  return POW2[k + 128] * p;
}

function sigmoid(x: number): number {
  return 1 / (1 + exp(-x));
}

function tanh(x: number): number {
  return 1 - 2 / (1 + exp(2 * x));
}

/** The element-wise work of one time step: in JavaScript (cpu backend, below) or wasm SIMD (lstm.c). */
interface Steps {
  /** From `z` `[B, 4H]` (pre-activations) and the state `h`, `c` `[B, H]` (overwritten with step t's) to the gates
   * `[B, T, 5H]` and step t's rows of `hs`, `cs`. */
  forward(
    z: Float32Array,
    h: Float32Array,
    c: Float32Array,
    gates: Float32Array,
    hs: Float32Array,
    cs: Float32Array,
    B: number,
    H: number,
    T: number,
    t: number,
  ): void;
  /** From `dh`, `dc` (the gradients of h_t, c_t from later steps) and step t's `dhs`, `dcs` to `dz` `[B, 4H]` and
   * step t's rows of `dxg`; leaves the memory path's ∂L/∂c_{t-1} in `dc`. */
  backward(
    gates: Float32Array,
    cs: Float32Array,
    c0: Float32Array,
    dhs: Float32Array,
    dcs: Float32Array,
    dh: Float32Array,
    dc: Float32Array,
    dz: Float32Array,
    dxg: Float32Array,
    B: number,
    H: number,
    T: number,
    t: number,
  ): void;
  /** The plain RNN: from `z` `[B, H]` to `h = tanh(z)` (the state) and step t's row of `hs`. */
  rnnForward(z: Float32Array, h: Float32Array, hs: Float32Array, B: number, H: number, T: number, t: number): void;
  /** The plain RNN: from `dh` (the gradient of h_t from later steps) and step t's `dhs` to `dz` `[B, H]` and step t's
   * rows of `dxg`. */
  rnnBackward(
    hs: Float32Array,
    dhs: Float32Array,
    dh: Float32Array,
    dz: Float32Array,
    dxg: Float32Array,
    B: number,
    H: number,
    T: number,
    t: number,
  ): void;
}

const JS_STEPS: Steps = {
  forward(z, h, c, gates, hs, cs, B, H, T, t) {
    for (let b = 0; b < B; b++) {
      const zo = b * 4 * H, go = (b * T + t) * 5 * H, so = (b * T + t) * H, ho = b * H;
      for (let j = 0; j < H; j++) {
        const i = sigmoid(z[zo + j]), f = sigmoid(z[zo + H + j]);
        const g = tanh(z[zo + 2 * H + j]), o = sigmoid(z[zo + 3 * H + j]);
        const cj = f * c[ho + j] + i * g; // forget some memory, write some candidate
        const tc = tanh(cj);
        const hj = o * tc; // show some of it
        gates[go + j] = i;
        gates[go + H + j] = f;
        gates[go + 2 * H + j] = g;
        gates[go + 3 * H + j] = o;
        gates[go + 4 * H + j] = tc;
        cs[so + j] = c[ho + j] = cj;
        hs[so + j] = h[ho + j] = hj;
      }
    }
  },
  backward(gates, cs, c0, dhs, dcs, dh, dc, dz, dxg, B, H, T, t) {
    for (let b = 0; b < B; b++) {
      const go = (b * T + t) * 5 * H, xo = (b * T + t) * 4 * H, so = (b * T + t) * H, ho = b * H, zo = b * 4 * H;
      for (let j = 0; j < H; j++) {
        const i = gates[go + j], f = gates[go + H + j], g = gates[go + 2 * H + j], o = gates[go + 3 * H + j];
        const tc = gates[go + 4 * H + j];
        const dhj = dh[ho + j] + dhs[so + j];
        const dcj = dc[ho + j] + dcs[so + j] + dhj * o * (1 - tc * tc);
        const cPrev = t > 0 ? cs[so - H + j] : c0[ho + j];
        const di = dcj * g * i * (1 - i), df = dcj * cPrev * f * (1 - f);
        const dg = dcj * i * (1 - g * g), dO = dhj * tc * o * (1 - o);
        dz[zo + j] = dxg[xo + j] = di;
        dz[zo + H + j] = dxg[xo + H + j] = df;
        dz[zo + 2 * H + j] = dxg[xo + 2 * H + j] = dg;
        dz[zo + 3 * H + j] = dxg[xo + 3 * H + j] = dO;
        dc[ho + j] = dcj * f;
      }
    }
  },
  rnnForward(z, h, hs, B, H, T, t) {
    for (let b = 0; b < B; b++) {
      const ho = b * H, so = (b * T + t) * H;
      for (let j = 0; j < H; j++) hs[so + j] = h[ho + j] = tanh(z[ho + j]);
    }
  },
  rnnBackward(hs, dhs, dh, dz, dxg, B, H, T, t) {
    for (let b = 0; b < B; b++) {
      const ho = b * H, so = (b * T + t) * H;
      for (let j = 0; j < H; j++) {
        const hj = hs[so + j];
        dz[ho + j] = dxg[so + j] = (dh[ho + j] + dhs[so + j]) * (1 - hj * hj); // tanh′ = 1 − tanh²
      }
    }
  },
};

/** lstm.c's functions, instantiated on a wasm backend's own memory (once per memory). */
const wasmSteps = new WeakMap<WebAssembly.Memory, Steps>();

function stepsOn(backend: WasmBackend): Steps {
  const memory = (backend.wasm as unknown as { asm: { memory: WebAssembly.Memory } }).asm.memory;
  let steps = wasmSteps.get(memory);
  if (!steps) {
    const module = new WebAssembly.Module(Uint8Array.from(atob(LSTM_WASM), (ch) => ch.charCodeAt(0)));
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports as Record<
      string,
      (...args: number[]) => void
    >;
    const p = (a: Float32Array) => a.byteOffset;
    steps = {
      forward: (z, h, c, gates, hs, cs, B, H, T, t) =>
        exports.lstm_forward_step(p(z), p(h), p(c), p(gates), p(hs), p(cs), B, H, T, t),
      backward: (gates, cs, c0, dhs, dcs, dh, dc, dz, dxg, B, H, T, t) =>
        exports.lstm_backward_step(p(gates), p(cs), p(c0), p(dhs), p(dcs), p(dh), p(dc), p(dz), p(dxg), B, H, T, t),
      rnnForward: (z, h, hs, B, H, T, t) => exports.rnn_forward_step(p(z), p(h), p(hs), B, H, T, t),
      rnnBackward: (hs, dhs, dh, dz, dxg, B, H, T, t) =>
        exports.rnn_backward_step(p(hs), p(dhs), p(dh), p(dz), p(dxg), B, H, T, t),
    };
    wasmSteps.set(memory, steps);
  }
  return steps;
}

/**
 * The forward recurrence. `xg` `[B, T, 4H]` are the input projections (bias included), `wh` `[H, 4H]`; writes `hs`,
 * `cs` `[B, T, H]` and the activated gates i, f, g, o with `tanh(c_t)`, `[B, T, 5H]`. `z` `[B, 4H]`, `h`, `c`
 * `[B, H]` are scratch (where the steps can reach them).
 */
function forward(
  steps: Steps,
  B: number,
  T: number,
  H: number,
  [xg, wh, h0, c0]: Float32Array[],
  [hs, cs, gates]: Float32Array[],
  [z, h, c]: Float32Array[],
): void {
  const G = 4 * H;
  h.set(h0);
  c.set(c0);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) z.set(xg.subarray((b * T + t) * G, (b * T + t + 1) * G), b * G);
    gemm(false, false, B, G, H, h, wh, z, 1); // z = x_t W_x + b + h_{t-1} W_h, [B, 4H]
    steps.forward(z, h, c, gates, hs, cs, B, H, T, t);
  }
}

/**
 * Backpropagation through time: from the gradients of every hidden and cell state (`dhs`, `dcs` `[B, T, H]`) to those
 * of the input projections (`dxg` `[B, T, 4H]`), `W_h` (`dwh`) and the initial state. `dh`, `dc` `[B, H]` and `dz`
 * `[B, 4H]` are scratch.
 */
function backward(
  steps: Steps,
  B: number,
  T: number,
  H: number,
  [wh, h0, c0, hs, cs, gates, dhs, dcs]: Float32Array[],
  [dxg, dwh, dh0, dc0]: Float32Array[],
  [dh, dc, dz]: Float32Array[],
): void {
  const G = 4 * H;
  dh.fill(0);
  dc.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    steps.backward(gates, cs, c0, dhs, dcs, dh, dc, dz, dxg, B, H, T, t);
    gemm(false, true, B, H, G, dz, wh, dh, 0); // dh_{t-1} = dz_t W_hᵀ, [B, H]
  }
  recurrentKernelGrad(B, T, H, G, h0, hs, dxg, dwh); // [H, B·T] × [B·T, 4H]
  dh0.set(dh);
  dc0.set(dc);
}

/** `dW_h = Σ_t h_{t-1}ᵀ dz_t` as one product over all (b, t) rows, `[H, B·T] × [B·T, G]`, from `h0` and `hs`. */
function recurrentKernelGrad(
  B: number,
  T: number,
  H: number,
  G: number,
  h0: Float32Array,
  hs: Float32Array,
  dz: Float32Array,
  dwh: Float32Array,
): void {
  const hPrev = new Float32Array(B * T * H);
  for (let b = 0; b < B; b++) {
    hPrev.set(h0.subarray(b * H, (b + 1) * H), b * T * H);
    hPrev.set(hs.subarray(b * T * H, ((b + 1) * T - 1) * H), (b * T + 1) * H);
  }
  gemm(true, false, H, G, B * T, hPrev, dz, dwh, 0);
}

/** The plain RNN's forward recurrence: `xg` `[B, T, H]` (bias included), `wh` `[H, H]`; writes `hs` `[B, T, H]`. */
function rnnForward(
  steps: Steps,
  B: number,
  T: number,
  H: number,
  [xg, wh, h0]: Float32Array[],
  [hs]: Float32Array[],
  [z, h]: Float32Array[],
): void {
  h.set(h0);
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) z.set(xg.subarray((b * T + t) * H, (b * T + t + 1) * H), b * H);
    gemm(false, false, B, H, H, h, wh, z, 1); // z = x_t W_x + b + h_{t-1} W_h, [B, H]
    steps.rnnForward(z, h, hs, B, H, T, t);
  }
}

/** The plain RNN's backpropagation through time: from `dhs` `[B, T, H]` to `dxg` `[B, T, H]`, `dwh`, `dh0`. */
function rnnBackward(
  steps: Steps,
  B: number,
  T: number,
  H: number,
  [wh, h0, hs, dhs]: Float32Array[],
  [dxg, dwh, dh0]: Float32Array[],
  [dh, dz]: Float32Array[],
): void {
  dh.fill(0);
  for (let t = T - 1; t >= 0; t--) {
    steps.rnnBackward(hs, dhs, dh, dz, dxg, B, H, T, t);
    gemm(false, true, B, H, H, dz, wh, dh, 0); // dh_{t-1} = dz_t W_hᵀ, [B, H]
  }
  recurrentKernelGrad(B, T, H, H, h0, hs, dxg, dwh);
  dh0.set(dh);
}

/** Reads float32 inputs, makes float32 outputs and scratch arrays on one backend, and runs the steps there. */
interface Io {
  steps: Steps;
  /**
   * Allocates the outputs and scratch arrays (of `scratch` floats each) first — on wasm an allocation can move the
   * heap — then returns the arrays of the inputs, outputs and scratch, and `free` for the scratch.
   */
  run(
    inputs: tf.TensorInfo[],
    shapes: number[][],
    scratch: number[],
  ): { infos: tf.TensorInfo[]; ins: Float32Array[]; outs: Float32Array[]; tmp: Float32Array[]; free(): void };
}

function wasmIo(backend: WasmBackend): Io {
  return {
    steps: stepsOn(backend),
    run: (inputs, shapes, scratch) => {
      const infos = shapes.map((shape) => backend.makeOutput(shape, "float32"));
      const offsets = scratch.map((n) => backend.wasm._malloc(4 * n));
      return {
        infos,
        ins: inputs.map((info) => viewOf(backend, info) as Float32Array),
        outs: infos.map((info) => viewOf(backend, info) as Float32Array),
        tmp: offsets.map((offset, i) => f32At(backend, offset, scratch[i])),
        free: () => offsets.forEach((offset) => backend.wasm._free(offset)),
      };
    },
  };
}

interface CpuBackend {
  data: { get(id: tf.DataId): { values: unknown } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

function cpuIo(backend: CpuBackend): Io {
  return {
    steps: JS_STEPS,
    run: (inputs, shapes, scratch) => {
      const outs = shapes.map((shape) => new Float32Array(tf.util.sizeFromShape(shape)));
      return {
        infos: shapes.map((shape, i) => backend.makeTensorInfo(shape, "float32", outs[i])),
        ins: inputs.map((info) => backend.data.get(info.dataId).values as Float32Array),
        outs,
        tmp: scratch.map((n) => new Float32Array(n)),
        free: () => {},
      };
    },
  };
}

type ForwardInputs = "xGates" | "recurrentKernel" | "h0" | "c0";
type GradInputs = "recurrentKernel" | "h0" | "c0" | "hs" | "cs" | "gates" | "dhs" | "dcs";

function forwardKernel(io: Io, inputs: Record<ForwardInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, G] = inputs.xGates.shape, H = G / 4;
  const { infos, ins, outs, tmp, free } = io.run(
    [inputs.xGates, inputs.recurrentKernel, inputs.h0, inputs.c0],
    [[B, T, H], [B, T, H], [B, T, 5 * H]],
    [B * G, B * H, B * H],
  );
  try {
    forward(io.steps, B, T, H, ins, outs, tmp);
  } finally {
    free();
  }
  return infos;
}

function gradKernel(io: Io, inputs: Record<GradInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, H] = inputs.hs.shape, G = 4 * H;
  const { recurrentKernel, h0, c0, hs, cs, gates, dhs, dcs } = inputs;
  const { infos, ins, outs, tmp, free } = io.run(
    [recurrentKernel, h0, c0, hs, cs, gates, dhs, dcs],
    [[B, T, G], [H, G], [B, H], [B, H]],
    [B * H, B * H, B * G],
  );
  try {
    backward(io.steps, B, T, H, ins, outs, tmp);
  } finally {
    free();
  }
  return infos;
}

type RnnInputs = "xProj" | "recurrentKernel" | "h0";
type RnnGradInputs = "recurrentKernel" | "h0" | "hs" | "dhs";

function rnnForwardKernel(io: Io, inputs: Record<RnnInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, H] = inputs.xProj.shape;
  const { infos, ins, outs, tmp, free } = io.run(
    [inputs.xProj, inputs.recurrentKernel, inputs.h0],
    [[B, T, H]],
    [B * H, B * H],
  );
  try {
    rnnForward(io.steps, B, T, H, ins, outs, tmp);
  } finally {
    free();
  }
  return infos;
}

function rnnGradKernel(io: Io, inputs: Record<RnnGradInputs, tf.TensorInfo>): tf.TensorInfo[] {
  const [B, T, H] = inputs.hs.shape;
  const { infos, ins, outs, tmp, free } = io.run(
    [inputs.recurrentKernel, inputs.h0, inputs.hs, inputs.dhs],
    [[B, T, H], [H, H], [B, H]],
    [B * H, B * H],
  );
  try {
    rnnBackward(io.steps, B, T, H, ins, outs, tmp);
  } finally {
    free();
  }
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

/** The kernel configs of the fused plain RNN, forward and backward, for the wasm and cpu backends. */
export const RNN_KERNELS: readonly tf.KernelConfig[] = Object.freeze(
  (["wasm", "cpu"] as const).flatMap((backendName) => [
    {
      kernelName: RNN_KERNEL,
      backendName,
      kernelFunc:
        (({ inputs, backend }: KernelArgs<unknown, RnnInputs>) =>
          rnnForwardKernel(ioOf(backendName, backend as AnyBackend), inputs)) as unknown as tf.KernelFunc,
    },
    {
      kernelName: RNN_GRAD_KERNEL,
      backendName,
      kernelFunc:
        (({ inputs, backend }: KernelArgs<unknown, RnnGradInputs>) =>
          rnnGradKernel(ioOf(backendName, backend as AnyBackend), inputs)) as unknown as tf.KernelFunc,
    },
  ]),
);

/** The gradient of {@link RNN_KERNEL}: one run of {@link RNN_GRAD_KERNEL}. */
export const rnnGradConfig: tf.GradConfig = {
  kernelName: RNN_KERNEL,
  inputsToSave: ["recurrentKernel", "h0"],
  outputsToSave: [true],
  gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
    const dhs = Array.isArray(dy) ? dy[0] : dy;
    const [recurrentKernel, h0, hs] = saved;
    const inputs = { recurrentKernel, h0, hs, dhs } as unknown as tf.NamedTensorMap;
    const [dxg, dwh, dh0] = tf.engine().runKernel(RNN_GRAD_KERNEL, inputs, {}) as tf.Tensor[];
    return { xProj: () => dxg, recurrentKernel: () => dwh, h0: () => dh0 };
  },
};

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

function checkShape(what: string, t: tf.Tensor, expected: number[], action = "run the fused LSTM"): void {
  if (!(t instanceof tf.Tensor)) {
    throw new TypeError(`Cannot ${action} as ${what} must be a tensor: current value is ${t}`);
  }
  if (t.dtype !== "float32") {
    throw new TypeError(`Cannot ${action} as ${what} must be float32: current dtype is ${t.dtype}`);
  }
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) {
    throw new RangeError(`Cannot ${action} as ${what} must have shape [${expected}]: current shape is [${t.shape}]`);
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

/**
 * Whether {@link rnnFused} runs on the current backend (wasm and cpu; elsewhere, e.g. webgpu, use the readable cell).
 *
 * @returns `true` when the fused kernels are registered for `tf.getBackend()`.
 * @example
 * ```ts
 * import { rnnFusedAvailable } from "@lib/core/kernels/lstm.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rnnFusedAvailable(), tf.getBackend() === "wasm" || tf.getBackend() === "cpu");
 * ```
 */
export function rnnFusedAvailable(): boolean {
  return tf.getKernel(RNN_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * Runs a plain RNN over a whole sequence in one kernel (differentiable: its gradient is one backpropagation-through-
 * time kernel): `h_t = tanh(xProj[:, t] + h_{t-1} · recurrentKernel)` for t = 1…T.
 *
 * @param xProj The input projections `x_t · W_x + b` for every step, `[B, T, H]`.
 * @param recurrentKernel `W_h`, `[H, H]`.
 * @param h0 Initial hidden state `[B, H]`.
 * @returns Every hidden state `[B, T, H]`.
 * @throws {TypeError} When an input is not a float32 tensor. {@link RangeError} When the shapes do not fit together,
 *   or the current backend has no fused kernel (see {@link rnnFusedAvailable}).
 * @example
 * ```ts
 * import { rnnFused } from "@lib/core/kernels/lstm.ts";
 * import { tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * // W_h = 1: h_1 = tanh(0.5), h_2 = tanh(0.5 + h_1)
 * const hs = rnnFused(tf.fill([1, 2, 1], 0.5), tf.ones([1, 1]), tf.zeros([1, 1]));
 * assert.ok(Math.abs(hs.arraySync()[0][1][0] - Math.tanh(0.5 + Math.tanh(0.5))) < 1e-6);
 * ```
 */
export function rnnFused(xProj: tf.Tensor, recurrentKernel: tf.Tensor, h0: tf.Tensor): tf.Tensor3D {
  const action = "run the fused RNN";
  if (!(xProj instanceof tf.Tensor) || xProj.rank !== 3 || xProj.shape.some((d) => d === 0)) {
    throw new RangeError(
      `Cannot ${action} as xProj must be a tensor [B, T, H] with B, T, H ≥ 1: current shape is [${
        (xProj as tf.Tensor)?.shape
      }]`,
    );
  }
  const [B, , H] = xProj.shape;
  checkShape("xProj", xProj, xProj.shape, action);
  checkShape("recurrentKernel", recurrentKernel, [H, H], action);
  checkShape("h0", h0, [B, H], action);
  if (!rnnFusedAvailable()) {
    throw new RangeError(
      `Cannot ${action} on the ${tf.getBackend()} backend: it runs on wasm and cpu (use the readable cell)`,
    );
  }
  const inputs = { xProj, recurrentKernel, h0 } as unknown as tf.NamedTensorMap;
  const [hs] = tf.engine().runKernel(RNN_KERNEL, inputs, {}) as tf.Tensor[];
  return hs as tf.Tensor3D;
}
