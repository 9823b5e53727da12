/**
 * Kernels only the cpu backend has (e.g. `Einsum`, the `Ragged*` kernels), run from the wasm backend by copying
 * their inputs to the cpu backend and their outputs back. Slow for big tensors, but `tf.einsum` works on wasm
 * instead of throwing "Kernel 'Einsum' not registered for backend 'wasm'".
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import type { WasmBackend } from "./_wasm.ts";

/** cpu kernels that cannot run this way: complex numbers have no wasm storage; `Draw` needs a canvas. */
const EXCLUDED = new Set(["Complex", "ComplexAbs", "FFT", "IFFT", "Imag", "Real", "Draw"]);

/** The parts of the cpu backend used here. */
interface CpuBackend {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: unknown): tf.TensorInfo;
  readSync(dataId: tf.DataId): unknown;
  disposeIntermediateTensorInfo(info: tf.TensorInfo): void;
}

type Infos = tf.TensorInfo[] | Record<string, tf.TensorInfo | undefined>;

/** Applies `f` to every tensor of an input map or array, keeping its form. */
function mapInfos(inputs: Infos, f: (info: tf.TensorInfo) => tf.TensorInfo): Infos {
  if (Array.isArray(inputs)) return inputs.map(f);
  return Object.fromEntries(Object.entries(inputs).map(([name, info]) => [name, info && f(info)]));
}

/** Runs a cpu kernel on copies of wasm tensors and copies its outputs back to wasm. */
function runOnCpu(kernel: tf.KernelConfig, args: { inputs: Infos; backend: WasmBackend; attrs: unknown }) {
  const { inputs, backend, attrs } = args;
  const cpu = tf.findBackend("cpu") as unknown as CpuBackend;
  const wasm = backend as unknown as { readSync(dataId: tf.DataId): unknown };
  const moved = mapInfos(inputs, (info) => cpu.makeTensorInfo(info.shape, info.dtype, wasm.readSync(info.dataId)));
  const run = kernel.kernelFunc as unknown as (a: object) => tf.TensorInfo | tf.TensorInfo[];
  const result = run({ inputs: moved, backend: cpu, attrs });
  const back = [result].flat().map((out) => {
    const values = cpu.readSync(out.dataId) as tf.backend_util.BackendValues;
    const copy = (backend as unknown as {
      makeOutput(s: number[], d: tf.DataType, o?: number, v?: tf.backend_util.BackendValues): tf.TensorInfo;
    }).makeOutput(out.shape, out.dtype, undefined, values);
    cpu.disposeIntermediateTensorInfo(out);
    return copy;
  });
  Object.values(moved).forEach((info) => info && cpu.disposeIntermediateTensorInfo(info));
  return Array.isArray(result) ? back : back[0];
}

/**
 * Kernel configs for the wasm backend that run, through the cpu backend, every kernel the cpu backend has and the
 * wasm backend lacks (complex-number kernels and `Draw` excepted). Call after the kernels of this folder are
 * registered, so that only real gaps are filled.
 *
 * @returns One config per missing kernel (none if the cpu backend is not registered).
 */
export function cpuFallbackConfigs(): tf.KernelConfig[] {
  const onWasm = new Set(tf.getKernelsForBackend("wasm").map((k) => k.kernelName));
  return tf.getKernelsForBackend("cpu")
    .filter((k) => !onWasm.has(k.kernelName) && !EXCLUDED.has(k.kernelName))
    .map((k) => ({
      kernelName: k.kernelName,
      backendName: "wasm",
      kernelFunc: ((args: never) => runOnCpu(k, args)) as unknown as tf.KernelFunc,
    }));
}
