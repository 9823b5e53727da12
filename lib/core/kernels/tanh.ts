/**
 * `Tanh` for the wasm backend through its vectorised `Sigmoid`: `tanh(x) = 2·σ(2x) − 1`, with a Taylor polynomial
 * near 0 where that difference would lose relative precision. tfjs-backend-wasm's own `Tanh` is a scalar loop
 * ~6× slower, and GELU (GPT's MLP) and LSTM cells call it on every step.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, release, runWasmKernel, viewOf, wasmKernelConfig } from "./_wasm.ts";

/** Below this |x| the Taylor polynomial (error < 1e-12 relative) replaces 2·σ(2x) − 1. */
const SMALL = 0.05;

/**
 * The `Tanh` kernel function. Within 2e-7 of the cpu backend's result (relative near 0, absolute elsewhere); same
 * shape and dtype.
 *
 * @param args Kernel arguments: float32 input `x`.
 * @returns `tanh(x)`.
 */
export function tanh(args: KernelArgs<Record<string, never>, "x">): tf.TensorInfo {
  const { inputs: { x }, backend } = args;
  const doubled = backend.makeOutput(x.shape, "float32");
  const [src, twice] = [viewOf(backend, x), viewOf(backend, doubled)];
  for (let i = 0; i < src.length; i++) twice[i] = 2 * src[i];
  const out = runWasmKernel("Sigmoid", backend, { x: doubled }, {}); // σ(2x)
  release(backend, doubled);
  const [v, y] = [viewOf(backend, x), viewOf(backend, out)];
  for (let i = 0; i < v.length; i++) {
    const a = v[i];
    if (Math.abs(a) < SMALL) {
      const a2 = a * a;
      y[i] = a * (1 + a2 * (-1 / 3 + a2 * (2 / 15 + a2 * (-17 / 315))));
    } else y[i] = 2 * y[i] - 1;
  }
  return out;
}

/** Kernel config registering {@link tanh} for the wasm backend. */
export const tanhConfig: tf.KernelConfig = wasmKernelConfig(tf.Tanh, tanh);
