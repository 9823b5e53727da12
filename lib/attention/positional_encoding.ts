/**
 * Positional encoding: attention by itself sees a set, not a sequence (permute the tokens and each output is permuted
 * the same way), so every position gets a vector added to its token's embedding. The Transformer paper (Vaswani et
 * al. 2017, §3.5) uses fixed sinusoids of geometrically spaced wavelengths; GPT learns one vector per position.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/**
 * The paper's sinusoidal encoding: `PE[p, 2i] = sin(p / 10000^(2i/C))`, `PE[p, 2i+1] = cos(p / 10000^(2i/C))`.
 * Each pair of columns is a clock turning at its own speed, so a fixed offset between two positions is a fixed rotation,
 * which attention can learn to detect.
 *
 * @param length Number of positions (rows).
 * @param width Width C of the embeddings (columns); must be even.
 * @returns A float32 `[length, width]` tensor.
 * @throws {RangeError} When a size is not a positive integer or the width is odd.
 * @example
 * ```ts
 * import { sinusoidalPositions } from "@lib/attention/mod.ts";
 * import assert from "node:assert/strict";
 * const pe = sinusoidalPositions(3, 4).arraySync();
 * assert.deepEqual(pe[0], [0, 1, 0, 1]); // position 0: sin 0 = 0, cos 0 = 1
 * assert.ok(Math.abs(pe[1][0] - Math.sin(1)) < 1e-6); // the fastest clock turns one radian per position
 * ```
 */
export function sinusoidalPositions(length: number, width: number): tf.Tensor2D {
  checkPositiveInteger(length, "length", "create sinusoidal positions");
  checkPositiveInteger(width, "width", "create sinusoidal positions");
  if (width % 2 !== 0) {
    throw new RangeError(`Cannot create sinusoidal positions as the width must be even: current value is ${width}`);
  }
  const data = new Float32Array(length * width);
  for (let p = 0; p < length; p++) {
    for (let i = 0; i < width / 2; i++) {
      const angle = p / 10000 ** ((2 * i) / width);
      data[p * width + 2 * i] = Math.sin(angle);
      data[p * width + 2 * i + 1] = Math.cos(angle);
    }
  }
  return tf.tensor2d(data, [length, width]);
}
