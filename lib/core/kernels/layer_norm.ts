/**
 * Layer normalisation over the last axis in one pass forward and one backward: the kernels `LiandanLayerNorm`
 * (`x, g[, b]` → `y, mean, rstd`) and `LiandanLayerNormGrad` (`dy, x, g, mean, rstd` → `dx, dg, db`) for the wasm
 * backend, in C with SIMD (layer_norm.c). Composed from tfjs ops, the same layer is about twenty kernels per call;
 * a GPT step runs nine of them. Other backends compose the same maths from tfjs ops ({@link layerNormForward},
 * {@link layerNormBackward}).
 *
 * Forward: `mean = Σx/C`, `rstd = 1/√(Σ(x − mean)²/C + eps)`, `y = (x − mean)·rstd·g + b`. Backward, with
 * `x̂ = (x − mean)·rstd` and `d = dy·g`: `dx = rstd·(d − mean(d) − x̂·mean(d·x̂))`, `dg = Σ_rows dy·x̂`, `db = Σ_rows dy`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, offsetOf, wasmExportsOn, wasmKernelConfig } from "./_wasm.ts";
import { LAYER_NORM_WASM } from "./_layer_norm_wasm.ts";

/** The exports of layer_norm.c; pointers are byte offsets in the backend's heap (0: no bias). */
interface LayerNormKernels {
  layer_norm_forward(
    x: number,
    g: number,
    b: number,
    y: number,
    mean: number,
    rstd: number,
    rows: number,
    cols: number,
    eps: number,
  ): void;
  layer_norm_backward(
    dy: number,
    x: number,
    g: number,
    mean: number,
    rstd: number,
    dx: number,
    dg: number,
    db: number,
    rows: number,
    cols: number,
  ): void;
}

/** Name of the forward kernel. */
export const LAYER_NORM = "LiandanLayerNorm";
/** Name of the backward kernel. */
export const LAYER_NORM_GRAD = "LiandanLayerNormGrad";

/** Attributes of the forward kernel. */
export interface LayerNormAttrs {
  /** Added to the variance. */
  eps: number;
}

function kernels(backend: KernelArgs["backend"]): LayerNormKernels {
  return wasmExportsOn(backend, LAYER_NORM_WASM) as unknown as LayerNormKernels;
}

/** The `LiandanLayerNorm` kernel function: `x [N, C]`, `g [C]`, optional `b [C]` → `y [N, C]`, `mean [N]`, `rstd [N]`. */
export function layerNormKernel(args: KernelArgs<LayerNormAttrs, "x" | "g" | "b">): tf.TensorInfo[] {
  const { inputs: { x, g, b }, backend, attrs: { eps } } = args;
  const [rows, cols] = x.shape;
  const y = backend.makeOutput([rows, cols], "float32");
  const mean = backend.makeOutput([rows], "float32"), rstd = backend.makeOutput([rows], "float32");
  const o = (t: tf.TensorInfo) => offsetOf(backend, t);
  kernels(backend).layer_norm_forward(o(x), o(g), b ? o(b) : 0, o(y), o(mean), o(rstd), rows, cols, eps);
  return [y, mean, rstd];
}

/** The `LiandanLayerNormGrad` kernel function: `dy, x [N, C]`, `g [C]`, `mean, rstd [N]` → `dx [N, C]`, `dg, db [C]`. */
export function layerNormGradKernel(
  args: KernelArgs<Record<string, never>, "dy" | "x" | "g" | "mean" | "rstd">,
): tf.TensorInfo[] {
  const { inputs: { dy, x, g, mean, rstd }, backend } = args;
  const [rows, cols] = x.shape;
  const dx = backend.makeOutput([rows, cols], "float32");
  const dg = backend.makeOutput([cols], "float32"), db = backend.makeOutput([cols], "float32");
  const o = (t: tf.TensorInfo) => offsetOf(backend, t);
  kernels(backend).layer_norm_backward(o(dy), o(x), o(g), o(mean), o(rstd), o(dx), o(dg), o(db), rows, cols);
  return [dx, dg, db];
}

/** Kernel configs registering both for the wasm backend. */
export const layerNormConfigs: readonly tf.KernelConfig[] = Object.freeze([
  wasmKernelConfig(LAYER_NORM, layerNormKernel as unknown as (args: KernelArgs<LayerNormAttrs, "x">) => tf.TensorInfo),
  wasmKernelConfig(
    LAYER_NORM_GRAD,
    layerNormGradKernel as unknown as (args: KernelArgs<Record<string, never>, "x">) => tf.TensorInfo,
  ),
]);

/** The gradient of {@link LAYER_NORM} (so that autodiff through {@link layerNormForward} works on wasm too; the
 * outputs `mean` and `rstd` pass no gradient back). */
export const layerNormGradConfig: tf.GradConfig = {
  kernelName: LAYER_NORM,
  inputsToSave: ["x", "g"],
  outputsToSave: [false, true, true],
  gradFunc: (dy, saved) => {
    const [x, g, mean, rstd] = saved as [tf.Tensor2D, tf.Tensor1D, tf.Tensor1D, tf.Tensor1D];
    const dyy = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor2D;
    const grads = () => layerNormBackward(dyy, x, g, mean, rstd);
    return { x: () => grads().dx, g: () => grads().dg, b: () => grads().db };
  },
};

function check2d(x: tf.Tensor, g: tf.Tensor, what: string): void {
  if (x.rank !== 2 || g.rank !== 1 || g.shape[0] !== x.shape[1]) {
    throw new RangeError(
      `Cannot ${what} as x must be [N, C] and g [C]: current shapes are [${x.shape}] and [${g.shape}]`,
    );
  }
}

/**
 * Layer normalisation of the rows of `x`, with what its backward pass needs (one kernel on wasm).
 *
 * @param x `[N, C]` float32.
 * @param g Gain `[C]`.
 * @param b Bias `[C]`, or null.
 * @param eps Added to the variance.
 * @returns `{y [N, C], mean [N], rstd [N]}`.
 * @throws {RangeError} When the shapes do not fit.
 * @example
 * ```ts
 * import { layerNormForward } from "@lib/core/kernels/layer_norm.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const { y, mean } = layerNormForward(tf.tensor2d([[1, 3]]), tf.ones([2]), null, 1e-5);
 * assert.ok(Math.abs(y.dataSync()[1] - 1) < 1e-3);
 * assert.equal(mean.dataSync()[0], 2);
 * ```
 */
export function layerNormForward(
  x: tf.Tensor2D,
  g: tf.Tensor1D,
  b: tf.Tensor1D | null,
  eps: number,
): { y: tf.Tensor2D; mean: tf.Tensor1D; rstd: tf.Tensor1D } {
  check2d(x, g, "normalise layers");
  if (tf.getKernel(LAYER_NORM, tf.getBackend())) {
    const inputs = (b ? { x, g, b } : { x, g }) as unknown as tf.NamedTensorMap;
    const [y, mean, rstd] = tf.engine().runKernel(
      LAYER_NORM,
      inputs,
      { eps } as unknown as tf.NamedAttrMap,
    ) as unknown as tf.Tensor[];
    return { y: y as tf.Tensor2D, mean: mean as tf.Tensor1D, rstd: rstd as tf.Tensor1D };
  }
  return tf.tidy(() => {
    const mean = tf.mean(x, -1, true); // [N, 1]
    const xc = tf.sub(x, mean);
    const rstd = tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), eps)); // [N, 1]
    const scaled = tf.mul(tf.mul(xc, rstd), g);
    const y = (b ? tf.add(scaled, b) : scaled) as tf.Tensor2D;
    return { y, mean: tf.reshape(mean, [-1]) as tf.Tensor1D, rstd: tf.reshape(rstd, [-1]) as tf.Tensor1D };
  });
}

/**
 * The backward pass of {@link layerNormForward} (one kernel on wasm).
 *
 * @param dy Gradient of the output `[N, C]`.
 * @param x The forward's input `[N, C]`.
 * @param g Gain `[C]`.
 * @param mean The forward's `mean [N]`.
 * @param rstd The forward's `rstd [N]`.
 * @returns `{dx [N, C], dg [C], db [C]}`.
 * @example
 * ```ts
 * import { layerNormBackward, layerNormForward } from "@lib/core/kernels/layer_norm.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.tensor2d([[1, 2, 4]]), g = tf.ones([3]) as tf.Tensor1D;
 * const { mean, rstd } = layerNormForward(x, g, null, 1e-5);
 * const { dx, db } = layerNormBackward(tf.ones([1, 3]), x, g, mean, rstd);
 * assert.ok(Math.max(...dx.dataSync().map(Math.abs)) < 1e-5); // a constant shift of the output changes nothing
 * assert.deepEqual(Array.from(db.dataSync()), [1, 1, 1]);
 * ```
 */
export function layerNormBackward(
  dy: tf.Tensor2D,
  x: tf.Tensor2D,
  g: tf.Tensor1D,
  mean: tf.Tensor1D,
  rstd: tf.Tensor1D,
): { dx: tf.Tensor2D; dg: tf.Tensor1D; db: tf.Tensor1D } {
  check2d(x, g, "compute the layer norm's gradient");
  if (tf.getKernel(LAYER_NORM_GRAD, tf.getBackend())) {
    const [dx, dg, db] = tf.engine().runKernel(LAYER_NORM_GRAD, { dy, x, g, mean, rstd }) as unknown as tf.Tensor[];
    return { dx: dx as tf.Tensor2D, dg: dg as tf.Tensor1D, db: db as tf.Tensor1D };
  }
  return tf.tidy(() => {
    const [n, c] = x.shape;
    const r = tf.reshape(rstd, [n, 1]);
    const xhat = tf.mul(tf.sub(x, tf.reshape(mean, [n, 1])), r); // [N, C]
    const d = tf.mul(dy, g); // [N, C]
    const inner = tf.sub(tf.sub(d, tf.mean(d, -1, true)), tf.mul(xhat, tf.mean(tf.mul(d, xhat), -1, true)));
    const ones = tf.ones([1, n]); // column sums as a product (a reduction over axis 0 transposes first on wasm)
    return {
      dx: tf.mul(inner, r) as tf.Tensor2D,
      dg: tf.reshape(tf.matMul(ones, tf.mul(dy, xhat)), [c]) as tf.Tensor1D,
      db: tf.reshape(tf.matMul(ones, dy), [c]) as tf.Tensor1D,
    };
  });
}
