/**
 * Digits as the diffusion model sees them, and back: 28×28 pixels in [0, 1] averaged down to 14×14 (or kept at
 * 28×28) and scaled to [-1, 1], the range the noise schedule is made for; and generated images scaled back to [0, 1]
 * and resized to 28×28 for notebook 06's CNN, the judge.
 *
 * @module
 */
import { tf } from "../core/backend.ts";

/** Side of the digits lib/data loads. */
const DIGIT_SIDE = 28;

function checkSize(size: number, action: string): void {
  if (size !== 14 && size !== 28) {
    throw new RangeError(`Cannot ${action} as size must be 14 or 28: current value is ${size}`);
  }
}

/**
 * Digits in the diffusion model's form.
 *
 * @param images `[n * 784]` pixels in [0, 1] (lib/data's `DigitSet.images`).
 * @param size 14 (2×2 averages) or 28.
 * @returns `[n * size²]` pixels in [-1, 1].
 * @throws {RangeError} When size is not 14 or 28, or `images` is not whole 28×28 images.
 * @example
 * ```ts
 * import { toDiffusionPixels } from "@lib/diffusion/images.ts";
 * import assert from "node:assert/strict";
 * const out = toDiffusionPixels(new Float32Array(784).fill(1), 14);
 * assert.equal(out.length, 196);
 * assert.equal(out[0], 1);
 * ```
 */
export function toDiffusionPixels(images: Float32Array, size: number): Float32Array {
  checkSize(size, "prepare digits for diffusion");
  const per = DIGIT_SIDE * DIGIT_SIDE;
  if (images.length === 0 || images.length % per !== 0) {
    throw new RangeError(
      `Cannot prepare digits for diffusion as images must hold whole 28×28 images: current length is ${images.length}`,
    );
  }
  const n = images.length / per;
  return tf.tidy(() => {
    let x = tf.tensor4d(images, [n, DIGIT_SIDE, DIGIT_SIDE, 1]);
    if (size === 14) x = tf.avgPool(x, 2, 2, "valid");
    return tf.sub(tf.mul(x, 2), 1).dataSync() as Float32Array;
  });
}

/**
 * Generated images as the judge (notebook 06's CNN) takes them: [0, 1], resized (bilinear) to 28×28.
 *
 * @param images `[n, S, S, 1]` in [-1, 1], as lib/diffusion's `sample` returns them.
 * @returns `[n * 784]` pixels in [0, 1].
 * @example
 * ```ts
 * import { toJudgePixels } from "@lib/diffusion/images.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const x = tf.fill([2, 14, 14, 1], -1) as tf.Tensor4D;
 * const out = toJudgePixels(x);
 * assert.equal(out.length, 2 * 784);
 * assert.equal(out[5], 0);
 * x.dispose();
 * ```
 */
export function toJudgePixels(images: tf.Tensor4D): Float32Array {
  return tf.tidy(() => {
    let x = tf.clipByValue(tf.div(tf.add(images, 1), 2), 0, 1) as tf.Tensor4D;
    if (x.shape[1] !== DIGIT_SIDE) x = tf.image.resizeBilinear(x, [DIGIT_SIDE, DIGIT_SIDE]);
    return x.dataSync() as Float32Array;
  });
}
