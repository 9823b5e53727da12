/**
 * Private: the C loops of conv_kernels.c (im2col, col2im, bias + ReLU, pooling gradients), instantiated once per
 * wasm backend on that backend's own memory, so they read and write tensors in place by their heap offsets.
 *
 * @module
 */
import type * as tf from "@tensorflow/tfjs-core";
import { CONV_KERNELS_WASM } from "./_conv_kernels_wasm.ts";
import { type WasmBackend, wasmExportsOn } from "./_wasm.ts";

/** Where a window of a convolution or pooling lies: what `computeConv2DInfo`/`computePool2DInfo` work out. */
type Geometry = [H: number, W: number, C: number, OH: number, OW: number, FH: number, FW: number, ...rest: number[]];

/** The exports of conv_kernels.c; every pointer is a byte offset in the backend's heap. */
export interface ConvKernels {
  im2col(x: number, cols: number, count: number, ...g: Geometry): void;
  col2im(cols: number, dx: number, count: number, ...g: Geometry): void;
  bias_activation(out: number, bias: number, rows: number, n: number, relu: number): void;
  max_pool_grad(x: number, dy: number, dx: number, batch: number, ...g: Geometry): void;
  avg_pool_grad(dy: number, dx: number, batch: number, ...g: Geometry): void;
  add_into(a: number, b: number, n: number): void;
}

/** The kernels bound to `backend`'s memory (instantiated on first use). */
export function convKernels(backend: WasmBackend): ConvKernels {
  return wasmExportsOn(backend, CONV_KERNELS_WASM) as unknown as ConvKernels;
}

/** The geometry arguments of a convolution, in conv_kernels.c's order. */
export function convGeometry(info: tf.backend_util.Conv2DInfo): Geometry {
  return [
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}
