/**
 * `Conv2DBackpropFilter` for the wasm backend, which lacks it (so `tf.conv2d`'s filter could not train on wasm).
 * It lays the input patches out as rows (im2col, in C) and multiplies them with the output gradient:
 * `dW[fh, fw, c, o] = Σ_{b, i, j} x[b, i·s + fh − pad, j·s + fw − pad, c] · dy[b, i, j, o]`.
 *
 * With BLAS the batch goes in cache-sized chunks of images, each chunk's product `patchesᵀ · dy` added into `dW` by
 * `cblas_sgemm` itself (β = 1), reading `dy` in place; without BLAS each chunk is a `BatchMatMul` (XNNPACK).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMul } from "./batch_mat_mul.ts";
import { blasActive, sgemm } from "./blas.ts";
import { convKernels } from "./_conv_kernels.ts";
import { CACHE_FLOATS, dyRows, im2col, imageChunks, patchFloats, permute, releaseRows } from "./_im2col.ts";
import { f32At, type KernelArgs, offsetOf, release, viewOf, type WasmBackend, wasmKernelConfig } from "./_wasm.ts";

/** Attributes tfjs passes to `Conv2DBackpropFilter`. */
export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

type Info = tf.backend_util.Conv2DInfo;

/** `dW = Σ_chunks patchesᵀ · dy` with BLAS, written into `out` (`[FH·FW·C, O]`). */
function blasGradient(backend: WasmBackend, x: tf.TensorInfo, dy: tf.TensorInfo, out: tf.TensorInfo, info: Info) {
  const K = info.filterHeight * info.filterWidth * info.inChannels, O = info.outChannels;
  const chunks = imageChunks(info, CACHE_FLOATS);
  const pixels = info.outHeight * info.outWidth;
  const cols = backend.makeOutput([chunks[0][1] * patchFloats(info)], "float32");
  const [xAt, dyAt, colsAt] = [offsetOf(backend, x), offsetOf(backend, dy), offsetOf(backend, cols)];
  for (const [first, count] of chunks) {
    const rows = count * pixels;
    im2col(backend, xAt, colsAt, first, count, info);
    const g = f32At(backend, dyAt + first * pixels * O * 4, rows * O); // [rows, O], in place
    const dw = f32At(backend, offsetOf(backend, out), K * O);
    sgemm(true, false, K, O, rows, f32At(backend, colsAt, rows * K), g, dw, first === 0 ? 0 : 1);
  }
  release(backend, cols);
}

/** `dW` for images `[first, first + count)` through `BatchMatMul`: patches^T · dy, shape `[FH·FW·C, O]`. */
function chunkGradient(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  [first, count]: [number, number],
  info: Info,
): tf.TensorInfo {
  const rows = count * info.outHeight * info.outWidth;
  const cols = backend.makeOutput([rows, info.filterHeight * info.filterWidth * info.inChannels], "float32"); // [rows, FH·FW·C]
  im2col(backend, offsetOf(backend, x), offsetOf(backend, cols), first, count, info);
  const g = dyRows(backend, dy, first, count, info); // [rows, O]
  const part = batchMatMul({ inputs: { a: cols, b: g }, backend, attrs: { transposeA: true, transposeB: false } });
  release(backend, cols);
  releaseRows(backend, g, dy);
  return part;
}

/** Adds `part` into `total` (both float32 of the same size) and releases `part`. */
function accumulate(backend: WasmBackend, total: tf.TensorInfo, part: tf.TensorInfo): void {
  const size = tf.util.sizeFromShape(part.shape);
  convKernels(backend).add_into(offsetOf(backend, total), offsetOf(backend, part), size);
  release(backend, part);
}

/**
 * The `Conv2DBackpropFilter` kernel function: gradient of `conv2d` with respect to its filter, on the wasm heap.
 * Same values (within float rounding), shape and dtype as the cpu backend; NHWC and NCHW, any strides and padding.
 *
 * @param args Kernel arguments: inputs `x` and `dy`, attributes as {@link Conv2DBackpropFilterAttrs}.
 * @returns The filter gradient, shape `filterShape`.
 */
export function conv2DBackpropFilter(args: KernelArgs<Conv2DBackpropFilterAttrs, "x" | "dy">): tf.TensorInfo {
  const { inputs, backend, attrs: { strides, pad, dataFormat, dimRoundingMode, filterShape } } = args;
  const format = tf.backend_util.convertConv2DDataFormat(dataFormat);
  const xShape = inputs.x.shape as [number, number, number, number];
  const info = tf.backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad, dimRoundingMode, false, format);
  const nhwc = format === "channelsLast";
  const x = nhwc ? inputs.x : permute(backend, inputs.x, [0, 2, 3, 1]);
  const dy = nhwc ? inputs.dy : permute(backend, inputs.dy, [0, 2, 3, 1]);
  let total: tf.TensorInfo | null = null;
  if (info.batchSize > 0 && blasActive()) {
    total = backend.makeOutput(filterShape, "float32");
    blasGradient(backend, x, dy, total, info);
  } else {
    for (const chunk of imageChunks(info)) {
      const part = chunkGradient(backend, x, dy, chunk, info);
      if (total === null) total = part;
      else accumulate(backend, total, part);
    }
  }
  if (!nhwc) [x, dy].forEach((t) => release(backend, t));
  if (total === null) { // empty batch: zero gradient
    total = backend.makeOutput(filterShape, "float32");
    viewOf(backend, total).fill(0);
  }
  return { dataId: total.dataId, shape: [...filterShape], dtype: "float32" };
}

/** Kernel config registering {@link conv2DBackpropFilter} for the wasm backend. */
export const conv2DBackpropFilterConfig: tf.KernelConfig = wasmKernelConfig(
  tf.Conv2DBackpropFilter,
  conv2DBackpropFilter,
);
