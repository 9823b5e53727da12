import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { CONV_OUTPUT_SIZE, CONVOLVE_3X3, MAX_POOL } from "@lib/exercises/nb06_cnn_vision.ts";

const quiet = { log: () => {} };

Deno.test("06-conv-output-size: the CNN's own shapes; a missing + 1, one-sided padding and no floor are diagnosed", async () => {
  assert.equal(CONV_OUTPUT_SIZE.reference(28, 3, 1, 1), 28); // "same" padding keeps 28
  assert.equal(CONV_OUTPUT_SIZE.reference(28, 2, 0, 2), 14); // the 2×2 pool halves it
  assert.equal(CONV_OUTPUT_SIZE.reference(7, 3, 0, 2), 3);
  const x = tf.zeros([1, 28, 28, 1]) as tf.Tensor4D, f = tf.zeros([5, 5, 1, 1]) as tf.Tensor4D;
  assert.equal(tf.conv2d(x, f, 1, "valid").shape[1], CONV_OUTPUT_SIZE.reference(28, 5, 0, 1));
  assert.equal(tf.conv2d(x, f, 2, "valid").shape[1], CONV_OUTPUT_SIZE.reference(28, 5, 0, 2));
  tf.dispose([x, f]);
  const right = (n: number, k: number, p: number, s: number) => Math.floor((n + 2 * p - k) / s) + 1;
  assert.equal((await runCheck(CONV_OUTPUT_SIZE, right, quiet)).passed, true);
  const noPlus = (n: number, k: number, p: number, s: number) => Math.floor((n + 2 * p - k) / s);
  assert.match((await runCheck(CONV_OUTPUT_SIZE, noPlus, quiet)).text(), /first position, before any move/);
  const oneSide = (n: number, k: number, p: number, s: number) => Math.floor((n + p - k) / s) + 1;
  assert.match((await runCheck(CONV_OUTPUT_SIZE, oneSide, quiet)).text(), /both sides/);
  const noFloor = (n: number, k: number, p: number, s: number) => (n + 2 * p - k) / s + 1;
  assert.match((await runCheck(CONV_OUTPUT_SIZE, noFloor, quiet)).text(), /round the division down/);
});

Deno.test("06-convolve-3x3: the reference is tf.conv2d with one filter and no padding; flips and shapes are diagnosed", async () => {
  const image = [[1, 0, 2, 1, 3], [0, 1, 3, 0, 2], [2, 2, 0, 1, 1], [1, 0, 1, 2, 0]];
  const kernel = [[1, 2, 0], [0, -1, 1], [2, 0, 1]];
  const ours = CONVOLVE_3X3.reference(image, kernel);
  const theirs = tf.tidy(() =>
    tf.conv2d(tf.tensor4d(image.flat(), [1, 4, 5, 1]), tf.tensor4d(kernel.flat(), [3, 3, 1, 1]), 1, "valid")
      .reshape([2, 3]).arraySync() as number[][]
  );
  assert.deepEqual(ours, theirs);
  const right = (img: number[][], k: number[][]) =>
    img.slice(2).map((_, y) =>
      img[0].slice(2).map((_, x) => k.flat().reduce((s, w, i) => s + w * img[y + Math.floor(i / 3)][x + (i % 3)], 0))
    );
  assert.equal((await runCheck(CONVOLVE_3X3, right, quiet)).passed, true);
  const flipped = (img: number[][], k: number[][]) => right(img, k.map((r) => [...r].reverse()).reverse());
  assert.match((await runCheck(CONVOLVE_3X3, flipped, quiet)).text(), /flipped the kernel/);
  const same = (img: number[][], _k: number[][]) => img.map((row) => row.map(() => 0));
  assert.match((await runCheck(CONVOLVE_3X3, same, quiet)).text(), /\(H − 2\) × \(W − 2\)/);
});

Deno.test("06-max-pool: the reference is tf.maxPool 2×2 stride 2; mean pooling and overlapping windows are diagnosed", async () => {
  const map = [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [1, 1, 1, 1, 1], [2, 0, 0, 2, 9], [7, 7, 7, 7, 7]];
  const theirs = tf.tidy(() =>
    tf.maxPool(tf.tensor4d(map.flat(), [1, 5, 5, 1]), 2, 2, "valid").reshape([2, 2]).arraySync() as number[][]
  );
  assert.deepEqual(MAX_POOL.reference(map), theirs);
  const right = (m: number[][]) =>
    Array.from(
      { length: Math.floor(m.length / 2) },
      (_, y) =>
        Array.from({ length: Math.floor(m[0].length / 2) }, (_, x) =>
          Math.max(m[2 * y][2 * x], m[2 * y][2 * x + 1], m[2 * y + 1][2 * x], m[2 * y + 1][2 * x + 1])),
    );
  assert.equal((await runCheck(MAX_POOL, right, quiet)).passed, true);
  const mean = (m: number[][]) =>
    right(m).map((row, y) =>
      row.map((_, x) => (m[2 * y][2 * x] + m[2 * y][2 * x + 1] + m[2 * y + 1][2 * x] + m[2 * y + 1][2 * x + 1]) / 4)
    );
  assert.match((await runCheck(MAX_POOL, mean, quiet)).text(), /average pooling/);
  const overlapping = (m: number[][]) =>
    m.slice(1).map((_, y) => m[0].slice(1).map((_, x) => Math.max(m[y][x], m[y][x + 1], m[y + 1][x], m[y + 1][x + 1])));
  assert.match((await runCheck(MAX_POOL, overlapping, quiet)).text(), /do not overlap/);
});
