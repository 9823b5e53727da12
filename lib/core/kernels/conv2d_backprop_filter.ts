/**
 * `Conv2DBackpropFilter` for the wasm backend, which lacks it (so `tf.conv2d`'s filter could not train on wasm).
 * It lays the input patches out as rows (im2col) and multiplies them with the output gradient through the fast
 * `BatchMatMul` of this folder: `dW[fh, fw, c, o] = Σ_{b, i, j} x[b, i·s + fh − pad, j·s + fw − pad, c] · dy[b, i, j, o]`.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { batchMatMul } from "./batch_mat_mul.ts";
import { f32At, type KernelArgs, offsetOf, release, runWasmKernel, viewOf, type WasmBackend } from "./_wasm.ts";

/** Attributes tfjs passes to `Conv2DBackpropFilter`. */
export interface Conv2DBackpropFilterAttrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** Floats of patch matrix built at once; larger batches are processed in chunks of images. */
const CHUNK_FLOATS = 1 << 22;

/** Writes the patches of images `[first, first + count)` of NHWC `x` as rows of `cols` (zeros where padded). */
function im2col(
  backend: WasmBackend,
  x: tf.TensorInfo,
  cols: tf.TensorInfo,
  first: number,
  count: number,
  info: tf.backend_util.Conv2DInfo,
): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } =
    info;
  const src = viewOf(backend, x);
  const dst = viewOf(backend, cols);
  let d = 0;
  for (let b = first; b < first + count; b++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        for (let fh = 0; fh < FH; fh++) {
          const h = i * info.strideHeight - info.padInfo.top + fh;
          for (let fw = 0; fw < FW; fw++) {
            const w = j * info.strideWidth - info.padInfo.left + fw;
            if (h < 0 || h >= H || w < 0 || w >= W) dst.fill(0, d, d + C);
            else for (let c = 0, s = ((b * H + h) * W + w) * C; c < C; c++) dst[d + c] = src[s + c];
            d += C;
          }
        }
      }
    }
  }
}

/** `dW` for images `[first, first + count)`: patches^T · dy, shape `[FH·FW·C, O]`. */
function chunkGradient(
  backend: WasmBackend,
  x: tf.TensorInfo,
  dy: tf.TensorInfo,
  first: number,
  count: number,
  info: tf.backend_util.Conv2DInfo,
): tf.TensorInfo {
  const rows = count * info.outHeight * info.outWidth;
  const patch = info.filterHeight * info.filterWidth * info.inChannels;
  const cols = backend.makeOutput([rows, patch], "float32"); // [rows, FH·FW·C]
  im2col(backend, x, cols, first, count, info);
  const whole = count === info.batchSize;
  const dyRows = whole
    ? { ...dy, shape: [rows, info.outChannels] }
    : backend.makeOutput([rows, info.outChannels], "float32");
  if (!whole) {
    const from = offsetOf(backend, dy) + first * info.outHeight * info.outWidth * info.outChannels * 4;
    f32At(backend, offsetOf(backend, dyRows), rows * info.outChannels).set(
      f32At(backend, from, rows * info.outChannels),
    );
  }
  const part = batchMatMul({ inputs: { a: cols, b: dyRows }, backend, attrs: { transposeA: true, transposeB: false } });
  release(backend, cols);
  if (!whole) release(backend, dyRows);
  return part;
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
  const x = nhwc ? inputs.x : runWasmKernel("Transpose", backend, { x: inputs.x }, { perm: [0, 2, 3, 1] });
  const dy = nhwc ? inputs.dy : runWasmKernel("Transpose", backend, { x: inputs.dy }, { perm: [0, 2, 3, 1] });
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  const imagesPerChunk = Math.max(1, Math.floor(CHUNK_FLOATS / Math.max(perImage, 1)));
  let total: tf.TensorInfo | null = null;
  for (let first = 0; first < info.batchSize; first += imagesPerChunk) {
    const part = chunkGradient(backend, x, dy, first, Math.min(imagesPerChunk, info.batchSize - first), info);
    if (total === null) total = part;
    else {
      const size = tf.util.sizeFromShape(part.shape);
      const sum = f32At(backend, offsetOf(backend, total), size);
      const add = f32At(backend, offsetOf(backend, part), size);
      for (let i = 0; i < size; i++) sum[i] += add[i];
      release(backend, part);
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
export const conv2DBackpropFilterConfig: tf.KernelConfig = {
  kernelName: tf.Conv2DBackpropFilter,
  backendName: "wasm",
  kernelFunc: conv2DBackpropFilter as unknown as tf.KernelFunc,
};
