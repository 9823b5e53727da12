/**
 * `Identity` for the wasm backend without a copy. tfjs calls it for `tf.clone` and, during training, to keep every
 * tensor a gradient needs (about 150 times per GPT training step); tfjs-backend-wasm copied the data each time.
 * Tensors are immutable, so the result can share its input's data and reference count, as the cpu backend's
 * `Identity` and the wasm backend's own `Reshape` do.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, wasmKernelConfig } from "./_wasm.ts";

/**
 * The `Identity` kernel function: the input's data under a new tensor, with its reference count raised.
 *
 * @param args Kernel arguments: input `x`.
 * @returns A tensor info sharing `x`'s data.
 */
export function identity(args: KernelArgs<Record<string, never>, "x">): tf.TensorInfo {
  const { inputs: { x }, backend } = args;
  (backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

/** Kernel config registering {@link identity} for the wasm backend. */
export const identityConfig: tf.KernelConfig = wasmKernelConfig(tf.Identity, identity);
