/**
 * A clear error when the wasm backend runs out of memory.
 *
 * A wasm module addresses at most 4 GiB. When a step needs more (a large batch × context: a 6-layer, 384-wide GPT at
 * batch 32 × 256 holds about 5 GiB of activations for its backward pass), tfjs-backend-wasm's `malloc` returns 0, tfjs
 * writes the tensor at address 0, and the step dies later with "table index is out of bounds" or "memory access out of
 * bounds". {@link guardWasmMemory} makes the failed allocation itself throw a {@link WasmOutOfMemory} that says so.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";

/** The largest heap a wasm backend can have. */
export const WASM_MAX_BYTES = 4 * 2 ** 30;

/** Thrown when the wasm backend cannot allocate a tensor: its message says what to change. */
export class WasmOutOfMemory extends RangeError {
  override name = "WasmOutOfMemory";
  constructor(readonly bytes: number, readonly heapBytes: number) {
    super(
      `${
        Number.isNaN(bytes) ? "Ran out of memory in a kernel" : `Cannot allocate ${mib(bytes)} for a tensor`
      }: the wasm backend's memory is limited to 4 GiB and ${
        mib(heapBytes)
      } are in use. Use a smaller batch size or context (blockSize), a smaller model, or a GPU (LIANDAN_BACKEND=webgpu); ` +
        "restart the kernel first to free what the failed step still holds",
    );
  }
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

type Malloc = ((bytes: number) => number) & { liandanGuard?: true };
interface WasmModule {
  _malloc: Malloc;
  _free(ptr: number): void;
  HEAPU8: Uint8Array;
}

/**
 * Makes the wasm backend's `malloc` throw {@link WasmOutOfMemory} instead of returning 0 (idempotent).
 *
 * @param backend tfjs's wasm backend (`tf.findBackend("wasm")`).
 */
export function guardWasmMemory(backend: tf.KernelBackend): void {
  const wasm = (backend as unknown as { wasm?: WasmModule }).wasm;
  if (!wasm || wasm._malloc.liandanGuard) return;
  wasm._free(wasm._malloc(8)); // the first call swaps Emscripten's lazy stub for the real export: wrap that one
  const malloc = wasm._malloc;
  const guarded: Malloc = (bytes: number) => {
    if (bytes >= WASM_MAX_BYTES) throw new WasmOutOfMemory(bytes, wasm.HEAPU8.byteLength); // would wrap around
    const ptr = malloc(bytes);
    if (ptr === 0 && bytes > 0) throw new WasmOutOfMemory(bytes, wasm.HEAPU8.byteLength);
    return ptr;
  };
  guarded.liandanGuard = true;
  wasm._malloc = guarded;
}

/**
 * The error to show for `error`, thrown while the wasm backend ran: a {@link WasmOutOfMemory} when it is a WebAssembly
 * trap ("memory access out of bounds", "table index is out of bounds") and the heap has grown to within 512 MiB of its
 * 4 GiB limit (an allocation inside a C kernel failed: nothing else reports it), otherwise `error` itself.
 *
 * @param error What was thrown.
 * @param backend tfjs's current backend.
 * @returns The error to rethrow.
 */
export function explainWasmError(error: unknown, backend: tf.KernelBackend): unknown {
  const wasm = (backend as unknown as { wasm?: WasmModule }).wasm;
  if (!wasm || !(error instanceof WebAssembly.RuntimeError)) return error;
  const heap = wasm.HEAPU8.byteLength;
  return heap >= WASM_MAX_BYTES - 2 ** 29 ? new WasmOutOfMemory(NaN, heap) : error;
}
