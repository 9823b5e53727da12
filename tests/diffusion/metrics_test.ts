import assert from "node:assert/strict";
import { Prng } from "@lib/core/mod.ts";
import { classDiversity, meanPairwiseDistance, median, nearestDistances } from "@lib/diffusion/metrics.ts";

function randomImages(n: number, dim: number, seed: number): Float32Array {
  const prng = new Prng(seed);
  return Float32Array.from({ length: n * dim }, () => prng.uniform(-1, 1));
}

/** The brute-force distance, to compare against. */
function distance(a: Float32Array, i: number, b: Float32Array, j: number, dim: number): number {
  let s = 0;
  for (let k = 0; k < dim; k++) s += (a[i * dim + k] - b[j * dim + k]) ** 2;
  return Math.sqrt(s);
}

Deno.test("nearestDistances: matches a brute-force search; a copy of a training image is at distance 0", () => {
  const dim = 16, train = randomImages(1500, dim, 1), q = randomImages(30, dim, 2);
  q.set(train.subarray(7 * dim, 8 * dim), 0); // query 0 is training image 7
  const got = nearestDistances(q, train, dim);
  assert.ok(got[0] < 1e-3);
  for (let i = 1; i < 30; i++) {
    let best = Infinity;
    for (let j = 0; j < 1500; j++) best = Math.min(best, distance(q, i, train, j, dim));
    assert.ok(Math.abs(got[i] - best) < 1e-3, `query ${i}: ${got[i]} vs ${best}`);
  }
});

Deno.test("meanPairwiseDistance and classDiversity: brute force, and copies score 0", () => {
  const dim = 5, x = randomImages(12, dim, 3);
  let total = 0;
  for (let i = 0; i < 12; i++) for (let j = 0; j < 12; j++) if (i !== j) total += distance(x, i, x, j, dim);
  assert.ok(Math.abs(meanPairwiseDistance(x, dim) - total / 132) < 1e-3);
  const labels = Array.from({ length: 12 }, (_, i) => i % 3);
  const byHand = [0, 1, 2].map((c) => {
    const part = Float32Array.from(
      labels.flatMap((l, i) => l === c ? Array.from(x.subarray(i * dim, (i + 1) * dim)) : []),
    );
    return meanPairwiseDistance(part, dim);
  });
  assert.ok(Math.abs(classDiversity(x, labels, dim) - (byHand[0] + byHand[1] + byHand[2]) / 3) < 1e-6);
  const copies = new Float32Array(4 * dim);
  for (let i = 0; i < 4; i++) copies.set(x.subarray(0, dim), i * dim);
  assert.ok(classDiversity(copies, [1, 1, 2, 2], dim) < 1e-3);
});

Deno.test("metrics: bad sets get clear errors; median", () => {
  assert.throws(() => nearestDistances(new Float32Array(5), new Float32Array(4), 2), {
    message: "Cannot measure nearest distances as queries must hold whole images of 2 pixels: current length is 5",
  });
  assert.throws(() => meanPairwiseDistance(new Float32Array(2), 2), {
    message: /at least 2 images: current count is 1/,
  });
  assert.throws(() => classDiversity(new Float32Array(4), [1], 2), { message: /one label per image/ });
  assert.throws(() => classDiversity(new Float32Array(4), [1, 2], 2), { message: /no digit appears at least twice/ });
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.throws(() => median([]), { message: /empty/ });
});
