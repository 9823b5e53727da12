/**
 * The exact GELU `x·Φ(x)` (Φ the standard normal CDF, as PyTorch's `nn.GELU()` and nanoGPT) and its derivative
 * `Φ(x) + x·φ(x)`, in one pass over the input: the kernel `GeluParts` for the wasm backend, whose own `Erf` is a
 * scalar loop ~5× slower than its `Sigmoid`, written in C with SIMD (activations.c, four numbers at a time). Other
 * backends compose the same maths from tfjs ops ({@link geluParts}).
 *
 * Φ comes from erfc by Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, the formula of tfjs's cpu `Erf`):
 * for z = |x|/√2, t = 1/(1 + p·z), q = ½·t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−z²) is Φ(−|x|); and
 * e^(−z²) = e^(−x²/2) = √(2π)·φ(x) is the density the derivative needs.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, offsetOf, wasmExportsOn, wasmKernelConfig } from "./_wasm.ts";
import { ACTIVATIONS_WASM } from "./_activations_wasm.ts";

/** The export of activations.c; pointers are byte offsets in the backend's heap (0: no derivative). */
interface ActivationKernels {
  gelu_parts(x: number, y: number, d: number, n: number): void;
}

/** Name of the kernel (ours: tfjs has no GELU kernel). */
export const GELU_PARTS = "GeluParts";

const P = 0.3275911, A1 = 0.254829592, A2 = -0.284496736, A3 = 1.421413741, A4 = -1.453152027, A5 = 1.061405429;
const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Attributes of {@link geluPartsKernel}: whether to write the derivative too. */
export interface GeluAttrs {
  derivative: boolean;
}

/**
 * The `GeluParts` kernel function for the wasm backend.
 *
 * @param args Float32 input `x`; attribute `derivative`.
 * @returns `[x·Φ(x)]`, or `[x·Φ(x), Φ(x) + x·φ(x)]` when `derivative` is true; same shape as x.
 */
export function geluPartsKernel(args: KernelArgs<GeluAttrs, "x">): tf.TensorInfo[] {
  const { inputs: { x }, backend, attrs: { derivative } } = args;
  const y = backend.makeOutput(x.shape, "float32");
  const d = derivative ? backend.makeOutput(x.shape, "float32") : null;
  const kernels = wasmExportsOn(backend, ACTIVATIONS_WASM) as unknown as ActivationKernels;
  const size = x.shape.reduce((a, b) => a * b, 1);
  kernels.gelu_parts(offsetOf(backend, x), offsetOf(backend, y), d ? offsetOf(backend, d) : 0, size);
  return d ? [y, d] : [y];
}

/** Kernel config registering {@link geluPartsKernel} for the wasm backend. */
export const geluPartsConfig: tf.KernelConfig = wasmKernelConfig(
  GELU_PARTS,
  geluPartsKernel as unknown as (args: KernelArgs<GeluAttrs, "x">) => tf.TensorInfo,
);

/** Φ(x) from tfjs ops: `tf.erf` where the backend has it, else the same Abramowitz & Stegun formula. */
function normalCdf(x: tf.Tensor): tf.Tensor {
  if (tf.getKernel(tf.Erf, tf.getBackend())) return tf.mul(tf.add(tf.erf(tf.mul(x, INV_SQRT2)), 1), 0.5);
  const z = tf.mul(tf.abs(x), INV_SQRT2);
  const t = tf.div(1, tf.add(tf.mul(z, P), 1));
  let poly = tf.add(tf.mul(t, A5), A4);
  for (const a of [A3, A2, A1]) poly = tf.add(tf.mul(poly, t), a);
  const q = tf.mul(tf.mul(tf.mul(poly, t), tf.exp(tf.neg(tf.square(z)))), 0.5); // Φ(−|x|)
  return tf.where(tf.greaterEqual(x, 0), tf.sub(1, q), q);
}

/**
 * The exact GELU and, when asked, its derivative, on any backend (one kernel on wasm).
 *
 * @param x A float32 tensor.
 * @param derivative Also return `Φ(x) + x·φ(x)` (what the backward pass multiplies the output gradient by).
 * @returns `[gelu(x)]` or `[gelu(x), gelu'(x)]`, each of x's shape.
 * @example
 * ```ts
 * import { geluParts } from "@lib/core/kernels/gelu.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const [y, d] = geluParts(tf.tensor1d([0, 1]), true);
 * assert.ok(Math.abs(y.dataSync()[1] - 0.841345) < 1e-6); // 1·Φ(1)
 * assert.ok(Math.abs(d.dataSync()[0] - 0.5) < 1e-6); // Φ(0) + 0
 * ```
 */
export function geluParts(x: tf.Tensor, derivative: boolean): tf.Tensor[] {
  if (x.dtype !== "float32") {
    throw new TypeError(`Cannot compute GELU as x must be float32: current dtype is ${x.dtype}`);
  }
  if (tf.getKernel(GELU_PARTS, tf.getBackend())) {
    const attrs = { derivative } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(GELU_PARTS, { x }, attrs) as unknown as tf.Tensor[];
  }
  return tf.tidy(() => {
    const cdf = normalCdf(x);
    const y = tf.mul(x, cdf);
    if (!derivative) return [y];
    const pdf = tf.mul(tf.exp(tf.mul(tf.square(x), -0.5)), INV_SQRT_2PI);
    return [y, tf.add(cdf, tf.mul(x, pdf))];
  });
}
