/**
 * Private helpers shared by the GEMM-based convolution kernels: patch matrices (im2col) and their scatter back
 * (col2im) through the C loops of conv_kernels.c, and the chunking of a batch so that a patch matrix stays small
 * (in cache, for the BLAS path; a few tens of megabytes for the XNNPACK path).
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { convGeometry, convKernels } from "./_conv_kernels.ts";
import { f32At, offsetOf, release, runWasmKernel, type WasmBackend } from "./_wasm.ts";

type Info = tf.backend_util.Conv2DInfo;

/** Floats of patch matrix built at once by the XNNPACK path (each chunk is a tensor and a product). */
export const CHUNK_FLOATS = 1 << 22;
/** Floats of patch matrix built at once by the BLAS path: about 1 MiB, so a chunk is still in L2 for its product. */
export const CACHE_FLOATS = 1 << 18;

/** Floats in one image's patch matrix. */
export function patchFloats(info: Info): number {
  return info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
}

/** The chunks `[first, count]` of images covering the batch, each with at most `floats` of patches (≥ 1 image). */
export function imageChunks(info: Info, floats = CHUNK_FLOATS): [number, number][] {
  const size = Math.max(1, Math.floor(floats / Math.max(patchFloats(info), 1)));
  const chunks: [number, number][] = [];
  for (let first = 0; first < info.batchSize; first += size) {
    chunks.push([first, Math.min(size, info.batchSize - first)]);
  }
  return chunks;
}

/** Whether the patch matrix of `x` is `x` itself seen as `[B·H·W, C]` (1×1 filter, stride 1, no padding). */
export function patchesAreInput(info: Info): boolean {
  const { filterHeight, filterWidth, strideHeight, strideWidth, padInfo } = info;
  return filterHeight === 1 && filterWidth === 1 && strideHeight === 1 && strideWidth === 1 &&
    padInfo.top === 0 && padInfo.left === 0 && padInfo.bottom === 0 && padInfo.right === 0;
}

/** Byte offset of image `first` in an NHWC tensor at `offset` with `pixels·channels` floats per image. */
export function imageOffset(offset: number, first: number, floatsPerImage: number): number {
  return offset + first * floatsPerImage * 4;
}

/** Writes the patches of images `[first, first + count)` of NHWC `x` (at heap offset `x`) as rows at `cols`. */
export function im2col(backend: WasmBackend, x: number, cols: number, first: number, count: number, info: Info): void {
  const perImage = info.inHeight * info.inWidth * info.inChannels;
  convKernels(backend).im2col(imageOffset(x, first, perImage), cols, count, ...convGeometry(info));
}

/** Adds the patch rows at `cols` back into images `[first, first + count)` of NHWC `dx` (the adjoint of im2col). */
export function col2im(backend: WasmBackend, cols: number, dx: number, first: number, count: number, info: Info): void {
  const perImage = info.inHeight * info.inWidth * info.inChannels;
  convKernels(backend).col2im(cols, imageOffset(dx, first, perImage), count, ...convGeometry(info));
}

/** Rows `[first·OH·OW, (first + count)·OH·OW)` of NHWC `dy` as a `[rows, O]` matrix (a copy unless whole). */
export function dyRows(
  backend: WasmBackend,
  dy: tf.TensorInfo,
  first: number,
  count: number,
  info: Info,
): tf.TensorInfo {
  const rows = count * info.outHeight * info.outWidth;
  if (count === info.batchSize) return { ...dy, shape: [rows, info.outChannels] };
  const out = backend.makeOutput([rows, info.outChannels], "float32");
  const from = offsetOf(backend, dy) + first * info.outHeight * info.outWidth * info.outChannels * 4;
  f32At(backend, offsetOf(backend, out), rows * info.outChannels).set(f32At(backend, from, rows * info.outChannels));
  return out;
}

/** Releases a {@link dyRows} result if it was a copy. */
export function releaseRows(backend: WasmBackend, rows: tf.TensorInfo, dy: tf.TensorInfo): void {
  if (rows.dataId !== dy.dataId) release(backend, rows);
}

/** NCHW → NHWC (or back with `perm` [0, 3, 1, 2]) with the wasm `Transpose` kernel. */
export function permute(backend: WasmBackend, x: tf.TensorInfo, perm: number[]): tf.TensorInfo {
  return runWasmKernel("Transpose", backend, { x }, { perm });
}
