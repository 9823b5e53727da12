/**
 * Attention heads out of one projection and back: `LiandanSplitHeads` cuts `[B, T, P·C]` (P blocks side by side, as
 * q, k, v from one `[C, 3C]` weight) into P tensors `[B, H, T, D]`, and `LiandanMergeHeads` is its inverse (the
 * gradient), for the wasm backend in C (heads.c: one copy of D numbers per head and position). On wasm the same cut
 * composed from tfjs ops is either column slices (slow) or a rank-5 transpose (a scalar loop, ~20 ms per GPT layer);
 * other backends compose it from reshape, transpose and split ({@link splitHeads}, {@link mergeHeads}).
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { type KernelArgs, offsetOf, wasmExportsOn, wasmKernelConfig } from "./_wasm.ts";
import { HEADS_WASM } from "./_heads_wasm.ts";

/** The exports of heads.c; pointers are byte offsets in the backend's heap. */
interface HeadKernels {
  split_heads(z: number, out: number, b: number, t: number, parts: number, h: number, d: number, p: number): void;
  merge_heads(part: number, z: number, b: number, t: number, parts: number, h: number, d: number, p: number): void;
}

/** Name of the kernel that cuts `[B, T, P·C]` into P × `[B, H, T, D]`. */
export const SPLIT_HEADS = "LiandanSplitHeads";
/** Name of its inverse: inputs `x0 … x(P−1)`, each `[B, H, T, D]` → `[B, T, P·C]`. */
export const MERGE_HEADS = "LiandanMergeHeads";

/** Attributes of both kernels. */
export interface HeadsAttrs {
  /** Blocks side by side (3 for q, k, v). */
  parts: number;
  /** Heads per block. */
  heads: number;
}

function kernels(backend: KernelArgs["backend"]): HeadKernels {
  return wasmExportsOn(backend, HEADS_WASM) as unknown as HeadKernels;
}

/** The `LiandanSplitHeads` kernel function. */
export function splitHeadsKernel(args: KernelArgs<HeadsAttrs, "z">): tf.TensorInfo[] {
  const { inputs: { z }, backend, attrs: { parts, heads } } = args;
  const [b, t, width] = z.shape, d = width / parts / heads;
  return Array.from({ length: parts }, (_, p) => {
    const out = backend.makeOutput([b, heads, t, d], "float32");
    kernels(backend).split_heads(offsetOf(backend, z), offsetOf(backend, out), b, t, parts, heads, d, p);
    return out;
  });
}

/** The `LiandanMergeHeads` kernel function. */
export function mergeHeadsKernel(args: KernelArgs<HeadsAttrs, string>): tf.TensorInfo {
  const { inputs, backend, attrs: { parts, heads } } = args;
  const [b, h, t, d] = inputs.x0.shape;
  const z = backend.makeOutput([b, t, parts * h * d], "float32");
  for (let p = 0; p < parts; p++) {
    kernels(backend).merge_heads(offsetOf(backend, inputs[`x${p}`]), offsetOf(backend, z), b, t, parts, heads, d, p);
  }
  return z;
}

/** Kernel configs registering both for the wasm backend. */
export const headsConfigs: readonly tf.KernelConfig[] = Object.freeze([
  wasmKernelConfig(SPLIT_HEADS, splitHeadsKernel as unknown as (args: KernelArgs<HeadsAttrs, "z">) => tf.TensorInfo),
  wasmKernelConfig(MERGE_HEADS, mergeHeadsKernel),
]);

/** The gradient of {@link SPLIT_HEADS}: the parts' gradients merged back. */
export const splitHeadsGradConfig: tf.GradConfig = {
  kernelName: SPLIT_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const { parts } = attrs as unknown as HeadsAttrs;
    return { z: () => mergeHeads(dy as tf.Tensor4D[], parts) };
  },
};

/** The gradient of {@link MERGE_HEADS}: the output's gradient split again. */
export const mergeHeadsGradConfig: tf.GradConfig = {
  kernelName: MERGE_HEADS,
  gradFunc: (dy, _saved, attrs) => {
    const { parts, heads } = attrs as unknown as HeadsAttrs;
    const grads = () => splitHeads(dy as tf.Tensor3D, parts, heads);
    return Object.fromEntries(Array.from({ length: parts }, (_, p) => [`x${p}`, () => grads()[p]]));
  },
};

/**
 * Cuts `[B, T, parts·C]` into `parts` tensors `[B, H, T, D]` (`C = H·D`): block p holds columns `p·C … (p+1)·C − 1`,
 * head h of it columns `h·D …` within the block (one kernel on wasm).
 *
 * @param z `[B, T, parts·H·D]` float32.
 * @param parts Blocks side by side (3 for q, k, v).
 * @param heads Heads per block.
 * @returns `parts` tensors `[B, H, T, D]`.
 * @throws {RangeError} When z is not rank 3 or its last size is not a multiple of `parts·heads`.
 * @example
 * ```ts
 * import { splitHeads } from "@lib/core/kernels/heads.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const z = tf.tensor3d([[[1, 2, 3, 4, 5, 6, 7, 8]]]); // B = T = 1, q = [1 2 3 4], k = [5 6 7 8]
 * const [q, k] = splitHeads(z, 2, 2); // two heads of 2
 * assert.deepEqual(q.arraySync(), [[[[1, 2]], [[3, 4]]]]);
 * assert.deepEqual(k.shape, [1, 2, 1, 2]);
 * ```
 */
export function splitHeads(z: tf.Tensor, parts: number, heads: number): tf.Tensor4D[] {
  if (
    z.rank !== 3 || !Number.isInteger(parts) || !Number.isInteger(heads) || parts < 1 || heads < 1 ||
    z.shape[2]! % (parts * heads) !== 0
  ) {
    throw new RangeError(
      `Cannot split heads as z must be [B, T, parts·heads·D]: current shape is [${z.shape}], parts ${parts}, heads ${heads}`,
    );
  }
  const [b, t, width] = z.shape, d = width / parts / heads;
  if (tf.getKernel(SPLIT_HEADS, tf.getBackend()) && z.dtype === "float32") {
    const attrs = { parts, heads } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(SPLIT_HEADS, { z }, attrs) as unknown as tf.Tensor4D[];
  }
  return tf.tidy(() => {
    const blocks = tf.transpose(tf.reshape(z, [b, t, parts, heads, d]), [2, 0, 3, 1, 4]); // [P, B, H, T, D]
    return tf.split(blocks, parts, 0).map((p) => tf.reshape(p, [b, heads, t, d]) as tf.Tensor4D);
  });
}

/**
 * The inverse of {@link splitHeads}: `parts` tensors `[B, H, T, D]` side by side as `[B, T, parts·H·D]`.
 *
 * @param xs The parts, all of one shape `[B, H, T, D]`.
 * @param parts How many (must equal `xs.length`; kept for symmetry with the kernel's attributes).
 * @returns `[B, T, parts·H·D]`.
 * @throws {RangeError} When the parts' shapes differ or are not rank 4.
 * @example
 * ```ts
 * import { mergeHeads, splitHeads } from "@lib/core/kernels/heads.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const z = tf.randomNormal([2, 3, 12]);
 * const back = mergeHeads(splitHeads(z, 3, 2), 3);
 * assert.deepEqual(back.arraySync(), z.arraySync());
 * ```
 */
export function mergeHeads(xs: tf.Tensor4D[], parts: number = xs.length): tf.Tensor3D {
  if (xs.length !== parts || xs.some((x) => x.rank !== 4 || x.shape.join() !== xs[0].shape.join())) {
    throw new RangeError(
      `Cannot merge heads as they must be ${parts} tensors of one shape [B, H, T, D]: current shapes are ${
        xs.map((x) => `[${x.shape}]`).join(", ")
      }`,
    );
  }
  const [b, h, t, d] = xs[0].shape;
  if (tf.getKernel(MERGE_HEADS, tf.getBackend()) && xs.every((x) => x.dtype === "float32")) {
    const inputs = Object.fromEntries(xs.map((x, p) => [`x${p}`, x]));
    const attrs = { parts, heads: h } as unknown as tf.NamedAttrMap;
    return tf.engine().runKernel(MERGE_HEADS, inputs, attrs) as tf.Tensor3D;
  }
  return tf.tidy(() => {
    const blocks = tf.transpose(tf.stack(xs), [1, 3, 0, 2, 4]); // [B, T, P, H, D]
    return tf.reshape(blocks, [b, t, parts * h * d]) as tf.Tensor3D;
  });
}
