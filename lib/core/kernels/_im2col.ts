/**
 * Private helpers for the GEMM-based convolution gradients: patch matrices (im2col), their scatter back
 * (col2im), and the chunking of a batch so that a patch matrix stays a few tens of megabytes.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { f32At, offsetOf, release, runWasmKernel, viewOf, type WasmBackend } from "./_wasm.ts";

type Info = tf.backend_util.Conv2DInfo;

/** Floats of patch matrix built at once; larger batches are processed in chunks of images. */
const CHUNK_FLOATS = 1 << 22;

/** Images per chunk, and the chunks `[first, count]` covering the batch. */
export function imageChunks(info: Info): [number, number][] {
  const perImage = info.outHeight * info.outWidth * info.filterHeight * info.filterWidth * info.inChannels;
  const size = Math.max(1, Math.floor(CHUNK_FLOATS / Math.max(perImage, 1)));
  const chunks: [number, number][] = [];
  for (let first = 0; first < info.batchSize; first += size) {
    chunks.push([first, Math.min(size, info.batchSize - first)]);
  }
  return chunks;
}

/** Calls `visit(col, x)` for each run of `C` channels of the patches of images `[first, first + count)`: flat start
 * index into the patch matrix `[count·OH·OW, FH·FW·C]` and into NHWC `x`, or −1 where the patch reads padding. */
function eachPatchRun(info: Info, first: number, count: number, visit: (col: number, x: number) => void): void {
  const { inHeight: H, inWidth: W, inChannels: C, outHeight: OH, outWidth: OW, filterHeight: FH, filterWidth: FW } =
    info;
  let d = 0;
  for (let b = first; b < first + count; b++) {
    for (let i = 0; i < OH; i++) {
      for (let j = 0; j < OW; j++) {
        for (let fh = 0; fh < FH; fh++) {
          const h = i * info.strideHeight - info.padInfo.top + fh;
          for (let fw = 0; fw < FW; fw++, d += C) {
            const w = j * info.strideWidth - info.padInfo.left + fw;
            visit(d, h >= 0 && h < H && w >= 0 && w < W ? ((b * H + h) * W + w) * C : -1);
          }
        }
      }
    }
  }
}

/** Writes the patches of images `[first, first + count)` of NHWC `x` as rows of `cols` (zeros where padded). */
export function im2col(
  backend: WasmBackend,
  x: tf.TensorInfo,
  cols: tf.TensorInfo,
  first: number,
  count: number,
  info: Info,
): void {
  const [src, dst, C] = [viewOf(backend, x), viewOf(backend, cols), info.inChannels];
  eachPatchRun(info, first, count, (col, i) => {
    if (i < 0) dst.fill(0, col, col + C);
    else for (let c = 0; c < C; c++) dst[col + c] = src[i + c];
  });
}

/** Adds the patch rows of `cols` back into NHWC `dx` (the adjoint of {@link im2col}). */
export function col2im(
  backend: WasmBackend,
  cols: tf.TensorInfo,
  dx: tf.TensorInfo,
  first: number,
  count: number,
  info: Info,
): void {
  const [src, dst, C] = [viewOf(backend, cols), viewOf(backend, dx), info.inChannels];
  eachPatchRun(info, first, count, (col, i) => {
    if (i >= 0) { for (let c = 0; c < C; c++) dst[i + c] += src[col + c]; }
  });
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
