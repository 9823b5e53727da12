/**
 * The one place that imports TensorFlow.js and chooses its backend.
 *
 * Importing this module initialises the backend named by the `LIANDAN_BACKEND` environment variable
 * (`wasm` by default, `cpu`, or `webgpu`). Everything else in the course imports `tf` from `@lib/core/mod.ts`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmKernels } from "./kernels/mod.ts";
import { fixBatchMatMulBroadcast } from "./kernels/broadcast_matmul.ts";
import { guardWasmMemory } from "./kernels/wasm_memory.ts";

export { tf };

/** The backends the course knows, in order of preference on a CPU-only machine. */
export const BACKENDS = ["wasm", "cpu", "webgpu"] as const;

/** Name of a backend the course can run on. */
export type BackendName = typeof BACKENDS[number];

/** The backend used when `LIANDAN_BACKEND` is not set. */
export const DEFAULT_BACKEND: BackendName = "wasm";

/**
 * Parses a backend name, as given in `LIANDAN_BACKEND`.
 *
 * @param value The name; `undefined` or empty means the default (`wasm`).
 * @returns The validated backend name.
 * @throws {RangeError} When the name is not one of {@link BACKENDS}.
 * @example
 * ```ts
 * import { parseBackendName } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseBackendName(" CPU "), "cpu");
 * assert.equal(parseBackendName(undefined), "wasm");
 * ```
 */
export function parseBackendName(value: string | undefined): BackendName {
  const name = (value ?? "").trim().toLowerCase();
  if (name === "") return DEFAULT_BACKEND;
  if ((BACKENDS as readonly string[]).includes(name)) return name as BackendName;
  throw new RangeError(
    `Cannot use backend "${value}": LIANDAN_BACKEND must be one of ${BACKENDS.join(", ")} (default ${DEFAULT_BACKEND})`,
  );
}

/** Silences tfjs's "install tfjs-node" banner, which the cpu backend prints on first use under Deno. */
function silenceNodeBanner(): void {
  const cpu = tf.findBackend("cpu") as unknown as { firstUse?: boolean } | null;
  if (cpu) cpu.firstUse = false;
}

let webgpuRegistered = false;

/** Registers the WebGPU backend after checking that this machine has a GPU adapter. */
async function registerWebgpu(): Promise<void> {
  if (webgpuRegistered) return;
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  const adapter = gpu ? await gpu.requestAdapter() : null;
  if (!adapter) {
    throw new Error(
      "Cannot use backend webgpu: no WebGPU adapter was found on this machine. " +
        "Run on the CPU instead: unset LIANDAN_BACKEND (or set LIANDAN_BACKEND=wasm) and restart the kernel.",
    );
  }
  await import("@tensorflow/tfjs-backend-webgpu");
  fixBatchMatMulBroadcast("webgpu");
  webgpuRegistered = true;
}

/** What a synchronous read on the webgpu backend says: Deno's WebGPU cannot wait for the GPU without awaiting. */
export const WEBGPU_SYNC_READ = "Cannot read a tensor synchronously (dataSync, arraySync) on the webgpu backend: " +
  "Deno's WebGPU has no synchronous read. Use `await t.data()` or `await t.array()`, or run this notebook on the CPU " +
  "(unset LIANDAN_BACKEND and restart the kernel)";

/** Makes the webgpu backend's synchronous read fail with {@link WEBGPU_SYNC_READ} instead of a canvas TypeError
 * (tfjs reads through an OffscreenCanvas, which Deno lacks). Values still held on the CPU read as before. */
function guardWebgpuReads(): void {
  type Data = { values?: unknown; dtype: string };
  const b = tf.findBackend("webgpu") as unknown as {
    readSync(id: unknown): unknown;
    tensorMap: { get(id: unknown): Data | undefined };
    liandanGuard?: boolean;
  } | null;
  if (!b || b.liandanGuard) return;
  const readSync = b.readSync.bind(b);
  b.readSync = (dataId: unknown) => {
    const d = b.tensorMap.get(dataId);
    if (d && d.values == null && d.dtype !== "string" && d.dtype !== "complex64") {
      const error = new Error(WEBGPU_SYNC_READ);
      error.stack = `Error: ${WEBGPU_SYNC_READ}`; // the message says it all: no stack trace through tfjs in the notebook
      throw error;
    }
    return readSync(dataId);
  };
  b.liandanGuard = true;
}

/**
 * Switches TensorFlow.js to a backend and waits until it is ready.
 *
 * @param name One of {@link BACKENDS}.
 * @returns The name of the backend now in use.
 * @throws {RangeError} For an unknown name; {@link Error} when WebGPU has no adapter or a backend fails to start.
 * @example
 * ```ts
 * import { useBackend, tf } from "@lib/core/backend.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await useBackend("cpu"), "cpu");
 * assert.equal(tf.getBackend(), "cpu");
 * await useBackend("wasm");
 * ```
 */
export async function useBackend(name: string): Promise<BackendName> {
  const backend = parseBackendName(name);
  if (backend === "webgpu") await registerWebgpu();
  if (tf.getBackend() !== backend) {
    const ok = await tf.setBackend(backend);
    if (!ok) throw new Error(`Cannot use backend ${backend}: tfjs failed to initialise it (see the warning above)`);
    await tf.ready();
    silenceNodeBanner();
  }
  if (backend === "wasm") guardWasmMemory(tf.backend()); // a clear error instead of a crash when 4 GiB are not enough
  if (backend === "webgpu") guardWebgpuReads();
  return backend;
}

/** The name of the backend tfjs is using now. */
export function backendName(): string {
  return tf.getBackend();
}

registerWasmKernels();
fixBatchMatMulBroadcast("cpu"); // wasm's comes wrapped (kernels/batch_mat_mul.ts), webgpu's is wrapped when it loads
await useBackend(Deno.env.get("LIANDAN_BACKEND") ?? "");
