/**
 * Private checks of the GPT's inputs (token ids, and tensors that must match them).
 *
 * @module
 */
import type { tf } from "../core/mod.ts";

/** Checks that idx is `[B, T]` int32 with 1 ≤ T ≤ blockSize; returns `[B, T]`. */
export function checkIdx(idx: tf.Tensor, blockSize: number): [number, number] {
  const t = idx.shape[1] ?? 0;
  if (idx.rank !== 2 || !(t >= 1 && t <= blockSize) || idx.shape[0] < 1) {
    throw new RangeError(
      `Cannot run the GPT as idx must be [B, T] with 1 ≤ T ≤ blockSize ${blockSize}: current shape is [${idx.shape}]`,
    );
  }
  if (idx.dtype !== "int32") {
    throw new TypeError(`Cannot run the GPT as idx must be int32 token ids: current dtype is ${idx.dtype}`);
  }
  return [idx.shape[0], t];
}

/** Checks that x (targets, loss weights) has idx's shape. */
export function checkSame(x: tf.Tensor, idx: tf.Tensor, name: string): void {
  if (x.shape.join() !== idx.shape.join()) {
    throw new RangeError(
      `Cannot run the GPT as ${name} must have the shape of idx [${idx.shape}]: current shape is [${x.shape}]`,
    );
  }
}
