/**
 * What a learner can check about generated digits besides "does the judge recognise them": how varied they are
 * (mean pairwise distance within a class, against the same for real digits) and whether they are copies of training
 * digits (the distance from each to its nearest training image, against the same for held-out real digits). FID, the
 * usual number for image generators, says little on MNIST (see pytorch-fid's issue 12), so the course reports these.
 *
 * Distances are Euclidean, between images as flat vectors of pixels in [-1, 1].
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { checkPositiveInteger } from "../core/validate.ts";

function rowsOf(images: Float32Array, dim: number, action: string, name: string): number {
  checkPositiveInteger(dim, "dim", action);
  if (images.length === 0 || images.length % dim !== 0) {
    throw new RangeError(
      `Cannot ${action} as ${name} must hold whole images of ${dim} pixels: current length is ${images.length}`,
    );
  }
  return images.length / dim;
}

/**
 * For each query image, the distance to its nearest reference image (e.g. generated digits against the training
 * digits: 0 means an exact copy).
 *
 * @param queries `[n * dim]` pixels.
 * @param reference `[m * dim]` pixels.
 * @param dim Pixels per image.
 * @returns `[n]` distances.
 * @throws {RangeError} When either set is not whole images.
 * @example
 * ```ts
 * import { nearestDistances } from "@lib/diffusion/metrics.ts";
 * import assert from "node:assert/strict";
 * const d = nearestDistances(new Float32Array([0, 0, 3, 4]), new Float32Array([0, 0, 6, 8]), 2);
 * assert.deepEqual(Array.from(d, (v) => Math.round(v * 1e4) / 1e4), [0, 5]);
 * ```
 */
export function nearestDistances(queries: Float32Array, reference: Float32Array, dim: number): Float32Array {
  const n = rowsOf(queries, dim, "measure nearest distances", "queries");
  const m = rowsOf(reference, dim, "measure nearest distances", "reference");
  const out = new Float32Array(n);
  const chunk = 1000;
  const r = tf.tensor2d(reference, [m, dim]);
  const r2 = tf.sum(tf.square(r), 1);
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const best = tf.tidy(() => {
      const q = tf.tensor2d(queries.subarray(start * dim, (start + count) * dim), [count, dim]);
      const q2 = tf.sum(tf.square(q), 1, true); // [count, 1]
      const d2 = tf.sub(tf.add(q2, r2), tf.mul(tf.matMul(q, r, false, true), 2)); // [count, m]
      return tf.sqrt(tf.relu(tf.min(d2, 1)));
    });
    out.set(best.dataSync(), start);
    best.dispose();
  }
  tf.dispose([r, r2]);
  return out;
}

/**
 * Mean Euclidean distance between all pairs of different images of a set (0 when they are all the same).
 *
 * @param images `[n * dim]` pixels, n ≥ 2.
 * @param dim Pixels per image.
 * @returns The mean distance.
 * @throws {RangeError} When the set is not whole images or has fewer than two.
 * @example
 * ```ts
 * import { meanPairwiseDistance } from "@lib/diffusion/metrics.ts";
 * import assert from "node:assert/strict";
 * assert.ok(Math.abs(meanPairwiseDistance(new Float32Array([0, 0, 3, 4, 0, 0]), 2) - 10 / 3) < 1e-5);
 * ```
 */
export function meanPairwiseDistance(images: Float32Array, dim: number): number {
  const n = rowsOf(images, dim, "measure diversity", "images");
  if (n < 2) throw new RangeError(`Cannot measure diversity as it needs at least 2 images: current count is ${n}`);
  return tf.tidy(() => {
    const x = tf.tensor2d(images, [n, dim]);
    const x2 = tf.sum(tf.square(x), 1, true);
    const d = tf.sqrt(tf.relu(tf.sub(tf.add(x2, tf.transpose(x2)), tf.mul(tf.matMul(x, x, false, true), 2))));
    const total = tf.sum(d).dataSync()[0]; // the diagonal is ~0
    return total / (n * (n - 1));
  });
}

/**
 * Diversity within classes: the mean, over the digits present at least twice, of {@link meanPairwiseDistance} among
 * the images of that digit. A generator that draws the same 7 every time scores 0; real digits score about 9 at 14×14.
 *
 * @param images `[n * dim]` pixels.
 * @param labels `[n]` digit of each image.
 * @param dim Pixels per image.
 * @returns The mean within-class pairwise distance.
 * @throws {RangeError} When there is not one label per image, or no digit appears twice.
 * @example
 * ```ts
 * import { classDiversity } from "@lib/diffusion/metrics.ts";
 * import assert from "node:assert/strict";
 * const same = new Float32Array([1, 1, 1, 1, 0, 0, 0, 0]);
 * assert.equal(classDiversity(same, [7, 7, 3, 3], 2), 0);
 * ```
 */
export function classDiversity(images: Float32Array, labels: readonly number[], dim: number): number {
  const n = rowsOf(images, dim, "measure diversity", "images");
  if (labels.length !== n) {
    throw new RangeError(
      `Cannot measure diversity as there must be one label per image: current counts are ${labels.length} labels, ${n} images`,
    );
  }
  const byClass = new Map<number, number[]>();
  labels.forEach((c, i) => byClass.set(c, [...(byClass.get(c) ?? []), i]));
  const scores: number[] = [];
  for (const idx of byClass.values()) {
    if (idx.length < 2) continue;
    const part = new Float32Array(idx.length * dim);
    idx.forEach((i, k) => part.set(images.subarray(i * dim, (i + 1) * dim), k * dim));
    scores.push(meanPairwiseDistance(part, dim));
  }
  if (scores.length === 0) throw new RangeError("Cannot measure diversity as no digit appears at least twice");
  return scores.reduce((s, v) => s + v, 0) / scores.length;
}

/**
 * The median of a list of numbers.
 * @throws {RangeError} For an empty list.
 */
export function median(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError("Cannot take the median as the list is empty");
  const s = Array.from(values).sort((a, b) => a - b), m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}
