/**
 * Image augmentation for the digits CNN (notebook 06): each training image moved by a few whole pixels in a random
 * direction, so that the network sees a slightly different digit every pass and learns that a stroke means the same
 * wherever it is.
 *
 * @module
 */
import type { Prng } from "../core/random.ts";
import { checkInteger, checkPositiveInteger } from "../core/validate.ts";

/**
 * One square image moved by whole pixels, the uncovered border filled with 0 (paper).
 *
 * @param image `[side * side]` pixels, row-major.
 * @param side Side of the image in pixels.
 * @param dx Pixels to the right (negative: to the left).
 * @param dy Pixels down (negative: up).
 * @returns A new `[side * side]` image: `out[y][x] = image[y − dy][x − dx]`, 0 outside.
 * @throws {RangeError} When the image is not `side × side` or a shift is not an integer.
 * @example
 * ```ts
 * import { shiftImage } from "@lib/nn/augment.ts";
 * import assert from "node:assert/strict";
 * // 3×3 with one ink pixel in the middle, moved one right and one up
 * assert.deepEqual([...shiftImage([0, 0, 0, 0, 1, 0, 0, 0, 0], 3, 1, -1)], [0, 0, 1, 0, 0, 0, 0, 0, 0]);
 * ```
 */
export function shiftImage(image: ArrayLike<number>, side: number, dx: number, dy: number): Float32Array {
  checkPositiveInteger(side, "side", "shift an image");
  checkInteger(dx, "dx", "shift an image", -Infinity);
  checkInteger(dy, "dy", "shift an image", -Infinity);
  if (image.length !== side * side) {
    throw new RangeError(
      `Cannot shift an image as it must hold side × side = ${side * side} pixels: current length is ${image.length}`,
    );
  }
  const out = new Float32Array(side * side);
  shiftInto(image, 0, out, 0, side, dx, dy);
  return out;
}

function shiftInto(
  src: ArrayLike<number>,
  srcOffset: number,
  out: Float32Array,
  outOffset: number,
  side: number,
  dx: number,
  dy: number,
): void {
  const x0 = Math.max(0, dx), x1 = Math.min(side, side + dx);
  for (let y = Math.max(0, dy); y < Math.min(side, side + dy); y++) {
    const from = srcOffset + (y - dy) * side - dx, to = outOffset + y * side;
    for (let x = x0; x < x1; x++) out[to + x] = src[from + x];
  }
}

/**
 * A batch of images picked from a set, each moved by its own random shift of at most `maxShift` pixels in each
 * direction (dx and dy drawn uniformly from −maxShift..maxShift: 25 positions for 2 px, the unshifted one included).
 *
 * @param images `[n * side * side]` pixels, one image after the other (lib/data's `DigitSet.images`).
 * @param indices The images of the batch.
 * @param options `side` (default 28), `maxShift` (default 2; 0 copies the images unchanged) and the generator.
 * @returns `[indices.length * side * side]` pixels, ready for `tf.tensor4d(…, [B, side, side, 1])`.
 * @throws {RangeError} When an index is outside the set or maxShift is not an integer ≥ 0.
 * @example
 * ```ts
 * import { randomShifts } from "@lib/nn/augment.ts";
 * import { Prng } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const set = new Float32Array(2 * 784).fill(1); // two all-ink images
 * const batch = randomShifts(set, [1, 0, 1], { maxShift: 2, prng: new Prng(1) });
 * assert.equal(batch.length, 3 * 784);
 * const ink = batch.reduce((s, v) => s + v, 0);
 * assert.ok(ink <= 3 * 784 && ink >= 3 * 24 * 24); // each lost at most two rows and two columns
 * ```
 */
export function randomShifts(
  images: Float32Array,
  indices: readonly number[],
  options: { side?: number; maxShift?: number; prng: Prng },
): Float32Array {
  const side = options.side ?? 28, maxShift = options.maxShift ?? 2, pixels = side * side;
  checkPositiveInteger(side, "side", "shift images");
  checkInteger(maxShift, "maxShift", "shift images");
  const n = images.length / pixels, out = new Float32Array(indices.length * pixels);
  indices.forEach((index, b) => {
    if (!(Number.isInteger(index) && index >= 0 && index < n)) {
      throw new RangeError(`Cannot shift images as index ${index} is not one of the ${n} images`);
    }
    const dx = options.prng.int(2 * maxShift + 1) - maxShift, dy = options.prng.int(2 * maxShift + 1) - maxShift;
    shiftInto(images, index * pixels, out, b * pixels, side, dx, dy);
  });
  return out;
}
