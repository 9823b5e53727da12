/**
 * An AdamW step on the wasm heap: `LiandanAdamW` updates one parameter and its two moments in one pass (optim.c,
 * four numbers at a time), and `LiandanSumSquares` sums the squares of every gradient for the global norm that
 * clipping needs, without copying any of them out of the heap. lib/nn/optim.ts uses them when the backend has them
 * (wasm); on cpu it runs the same formula as a JavaScript loop, on a GPU as tensor ops.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, offsetOf, wasmExportsOn, wasmKernelConfig } from "./_wasm.ts";
import { OPTIM_WASM } from "./_optim_wasm.ts";

/** Name of the update kernel: inputs `p`, `g`, `m`, `v`; outputs the new `p`, `m`, `v`. */
export const ADAMW_KERNEL = "LiandanAdamW";
/** Name of the kernel that sums the squares of all its inputs into one float32 scalar. */
export const SUM_SQUARES_KERNEL = "LiandanSumSquares";

/**
 * The numbers of one AdamW update: `g' = scale·g`, `m' = b1·m + (1 − b1)·g'`, `v' = b2·v + (1 − b2)·g'²`,
 * `p' = keep·p − step·m' / (√(rc2·v') + eps)`.
 */
export interface AdamWAttrs {
  /** Gradient scale from clipping (1 when not clipped). */
  scale: number;
  /** Decay of the first moment. */
  b1: number;
  /** Decay of the second moment. */
  b2: number;
  /** `lr / (1 − b1^t)`: the learning rate with the first bias correction. */
  step: number;
  /** `1 / (1 − b2^t)`: the second bias correction. */
  rc2: number;
  /** Added to the denominator. */
  eps: number;
  /** `1 − lr·weightDecay` for decayed parameters, else 1. */
  keep: number;
}

/** The exports of optim.c; pointers are byte offsets in the backend's heap. */
interface OptimKernels {
  sum_squares(g: number, n: number): number;
  adamw_update(
    p: number,
    g: number,
    m: number,
    v: number,
    p2: number,
    m2: number,
    v2: number,
    n: number,
    scale: number,
    b1: number,
    b2: number,
    step: number,
    rc2: number,
    eps: number,
    keep: number,
  ): void;
}

function adamwKernel(args: KernelArgs<AdamWAttrs, "p" | "g" | "m" | "v">): tf.TensorInfo[] {
  const { inputs: { p, g, m, v }, backend, attrs: a } = args;
  const k = wasmExportsOn(backend, OPTIM_WASM) as unknown as OptimKernels;
  const [p2, m2, v2] = [0, 1, 2].map(() => backend.makeOutput(p.shape, "float32"));
  const at = (t: tf.TensorInfo) => offsetOf(backend, t); // offsets after every allocation: the heap may have grown
  const n = tf.util.sizeFromShape(p.shape);
  k.adamw_update(
    at(p),
    at(g),
    at(m),
    at(v),
    at(p2),
    at(m2),
    at(v2),
    n,
    a.scale,
    a.b1,
    a.b2,
    a.step,
    a.rc2,
    a.eps,
    a.keep,
  );
  return [p2, m2, v2];
}

function sumSquaresKernel(args: KernelArgs<Record<string, never>, string>): tf.TensorInfo {
  const { inputs, backend } = args;
  const k = wasmExportsOn(backend, OPTIM_WASM) as unknown as OptimKernels;
  let sum = 0;
  for (const g of Object.values(inputs)) sum += k.sum_squares(offsetOf(backend, g), tf.util.sizeFromShape(g.shape));
  const out = backend.makeOutput([], "float32");
  new Float32Array(backend.wasm.HEAPF32.buffer, offsetOf(backend, out), 1)[0] = sum;
  return out;
}

/** Kernel configs of the two kernels, for the wasm backend. */
export const adamwConfigs: readonly tf.KernelConfig[] = Object.freeze([
  wasmKernelConfig(ADAMW_KERNEL, adamwKernel as unknown as (args: KernelArgs<AdamWAttrs, string>) => tf.TensorInfo),
  wasmKernelConfig(SUM_SQUARES_KERNEL, sumSquaresKernel),
]);

/** Whether the current backend has the fused AdamW kernels. */
export function hasFusedAdamW(): boolean {
  return tf.getKernel(ADAMW_KERNEL, tf.getBackend()) !== undefined;
}

/**
 * One AdamW update of a parameter in one kernel (on a backend with {@link hasFusedAdamW}).
 *
 * @param p The parameter (float32).
 * @param g Its gradient, same shape.
 * @param m Its first moment, same size.
 * @param v Its second moment, same size.
 * @param attrs The step's numbers.
 * @returns The new parameter (p's shape) and moments (p's shape); the inputs are unchanged.
 * @throws {Error} When the backend has no such kernel, or a size differs.
 * @example
 * ```ts
 * import { fusedAdamW, hasFusedAdamW } from "@lib/core/kernels/adamw.ts";
 * import { tf, useBackend } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * await useBackend("wasm");
 * assert.ok(hasFusedAdamW());
 * const [p, m, v] = fusedAdamW(tf.tensor1d([1]), tf.tensor1d([0.5]), tf.tensor1d([0]), tf.tensor1d([0]), {
 *   scale: 1, b1: 0.9, b2: 0.99, step: 0.1 / (1 - 0.9), rc2: 1 / (1 - 0.99), eps: 0, keep: 1,
 * });
 * assert.ok(Math.abs(p.dataSync()[0] - 0.9) < 1e-6); // the first Adam step moves by lr, whatever the gradient's size
 * tf.dispose([p, m, v]);
 * ```
 */
export function fusedAdamW(
  p: tf.Tensor,
  g: tf.Tensor,
  m: tf.Tensor,
  v: tf.Tensor,
  attrs: AdamWAttrs,
): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (!hasFusedAdamW()) throw new Error(`Cannot run the fused AdamW step: backend ${tf.getBackend()} has no kernel`);
  for (const [name, t] of [["g", g], ["m", m], ["v", v]] as const) {
    if (t.size !== p.size || t.dtype !== "float32") {
      throw new RangeError(
        `Cannot run the fused AdamW step as ${name} must be float32 with ${p.size} values: it is ${t.dtype} [${t.shape}]`,
      );
    }
  }
  const inputs = { p, g, m, v } as unknown as tf.NamedTensorMap;
  return tf.engine().runKernel(ADAMW_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as unknown as [
    tf.Tensor,
    tf.Tensor,
    tf.Tensor,
  ];
}

/**
 * Σ of the squares of every element of the tensors, summed in double precision (on a backend with
 * {@link hasFusedAdamW}).
 *
 * @param tensors Float32 tensors.
 * @returns A float32 scalar.
 * @example
 * ```ts
 * import { sumOfSquares } from "@lib/core/kernels/adamw.ts";
 * import { tf, useBackend } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * await useBackend("wasm");
 * assert.equal(sumOfSquares([tf.tensor1d([3]), tf.tensor2d([[4, 0]])]).dataSync()[0], 25);
 * ```
 */
export function sumOfSquares(tensors: readonly tf.Tensor[]): tf.Scalar {
  if (!hasFusedAdamW()) throw new Error(`Cannot sum squares in one kernel: backend ${tf.getBackend()} has no kernel`);
  const inputs = Object.fromEntries(tensors.map((t, i) => [`g${i}`, t]));
  return tf.engine().runKernel(SUM_SQUARES_KERNEL, inputs, {}) as tf.Scalar;
}
