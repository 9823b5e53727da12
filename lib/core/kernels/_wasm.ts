/**
 * Private helpers shared by the kernels in this folder: a typed view of the parts of tfjs's `BackendWasm` that the
 * kernels use (its Emscripten module, its tensor table) and small functions over them.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";

/** The parts of the Emscripten module of tfjs-backend-wasm that the kernels use. */
export interface WasmModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  HEAPF32: Float32Array;
  _malloc(bytes: number): number;
  _free(offset: number): void;
  cwrap(name: string, returns: null, args: string[]): (...args: unknown[]) => void;
  tfjs: { registerTensor(id: number, size: number, offset: number): void; disposeData(id: number): void };
}

/** One entry of the backend's tensor table. */
export interface WasmTensorData {
  id: number;
  memoryOffset: number;
  shape: number[];
  dtype: string;
  refCount: number;
}

/** The parts of tfjs-backend-wasm's `BackendWasm` that the kernels use. */
export interface WasmBackend {
  wasm: WasmModule;
  dataIdNextNumber: number;
  dataIdMap: { get(dataId: tf.DataId): WasmTensorData };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** Inputs, backend and attributes as tfjs passes them to a kernel function. */
export interface KernelArgs<A = Record<string, unknown>, I extends string = string> {
  inputs: Record<I, tf.TensorInfo>;
  backend: WasmBackend;
  attrs: A;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).memoryOffset;
}

/** The wasm-side id of a tensor (what the C++ kernels take). */
export function idOf(backend: WasmBackend, info: tf.TensorInfo): number {
  return backend.dataIdMap.get(info.dataId).id;
}

/** A Float32Array view of `size` floats at a byte offset of the heap; valid until the heap grows. */
export function f32At(backend: WasmBackend, offset: number, size: number): Float32Array {
  return new Float32Array(backend.wasm.HEAPF32.buffer, offset, size);
}

/** A Float32Array or Int32Array view of a tensor's data (by dtype); valid until the heap grows. */
export function viewOf(backend: WasmBackend, info: tf.TensorInfo): Float32Array | Int32Array {
  const size = tf.util.sizeFromShape(info.shape);
  const buffer = backend.wasm.HEAPU8.buffer;
  const offset = offsetOf(backend, info);
  if (info.dtype === "float32") return new Float32Array(buffer, offset, size);
  if (info.dtype === "int32") return new Int32Array(buffer, offset, size);
  throw new TypeError(`Cannot view a ${info.dtype} tensor: only float32 and int32 are supported`);
}

/** Runs another kernel registered for the wasm backend, e.g. `Transpose`, and returns its output. */
export function runWasmKernel(
  name: string,
  backend: WasmBackend,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
): tf.TensorInfo {
  const config = tf.getKernel(name, "wasm");
  if (!config) throw new Error(`Cannot run kernel ${name}: it is not registered for the wasm backend`);
  const run = config.kernelFunc as unknown as (args: KernelArgs) => tf.TensorInfo;
  return run({ inputs, backend, attrs });
}

/** The config that registers `kernelFunc`, a kernel function of this folder, as `kernelName` for the wasm backend. */
export function wasmKernelConfig<A, I extends string>(
  kernelName: string,
  kernelFunc: (args: KernelArgs<A, I>) => tf.TensorInfo,
): tf.KernelConfig {
  return { kernelName, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

/** Frees the output of {@link runWasmKernel} or `makeOutput` once a kernel no longer needs it. */
export function release(backend: WasmBackend, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

const compiled = new Map<string, WebAssembly.Module>();
const instantiated = new WeakMap<WebAssembly.Memory, Map<WebAssembly.Module, WebAssembly.Exports>>();

/**
 * The exports of one of this folder's C modules (a `*_WASM` base64 string from a generated `_*_wasm.ts`),
 * instantiated on the backend's own memory, so its functions read and write tensors in place by heap offset:
 * compiled once per process, instantiated once per memory.
 *
 * @param backend The wasm backend.
 * @param base64 The module's bytes, base64.
 * @returns The module's exports.
 * @throws {Error} When the backend does not expose its memory.
 */
export function wasmExportsOn(backend: WasmBackend, base64: string): WebAssembly.Exports {
  const memory = (backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory } }).asm?.memory;
  if (!(memory instanceof WebAssembly.Memory)) {
    throw new Error("Cannot load the wasm kernels: the tfjs wasm backend does not expose its memory (asm.memory)");
  }
  let module = compiled.get(base64);
  if (!module) {
    module = new WebAssembly.Module(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    compiled.set(base64, module);
  }
  let perMemory = instantiated.get(memory);
  if (!perMemory) instantiated.set(memory, perMemory = new Map());
  let exports = perMemory.get(module);
  if (!exports) {
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    perMemory.set(module, exports);
  }
  return exports;
}
