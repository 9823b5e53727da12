import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { attentionSoftmax, softmaxBackward } from "@lib/core/kernels/softmax.ts";
import { registerWasmKernels } from "@lib/core/kernels/mod.ts";
import { assertSameAsCpu } from "./_same_as_cpu.ts";

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 4 * Math.sin(0.9 * i + seed));

Deno.test("LiandanAttentionSoftmax (softmax.c) equals the composed ops on cpu: causal or not, Tq < Tk, every tail length", async () => {
  registerWasmKernels();
  for (const shape of [[1, 1], [3, 3], [2, 5, 5], [2, 3, 7], [2, 2, 9, 9], [1, 1, 64]]) {
    for (const causal of [false, true]) {
      await assertSameAsCpu(() => {
        const n = shape.reduce((a, b) => a * b, 1);
        const s = tf.tensor(values(n, 1), shape);
        const p = attentionSoftmax(s, 0.35, causal);
        const ds = softmaxBackward(p, tf.tensor(values(n, 2), shape), 0.35);
        return [p, ds];
      });
    }
  }
});

Deno.test("LiandanAttentionSoftmax: masked weights are exactly 0, rows sum to 1, huge scores do not overflow", () => {
  registerWasmKernels();
  // 2 queries, 3 keys: the queries are the last 2 positions, so the first sees keys 0 and 1, the second all three
  const p = attentionSoftmax(tf.tensor2d([[1000, -1000, 5], [0, 0, 0]]), 1, true).arraySync() as number[][];
  assert.deepEqual(p[0], [1, 0, 0]);
  p[1].forEach((v) => assert.ok(Math.abs(v - 1 / 3) < 1e-7));
  const q = attentionSoftmax(tf.tensor2d([[3, 1, 2, 1e4]]), 1, false).arraySync() as number[][];
  assert.deepEqual(q[0], [0, 0, 0, 1]);
  const r = attentionSoftmax(tf.zeros([3, 3]), 1, true).arraySync() as number[][];
  assert.deepEqual(r.map((row) => row.map((v) => v > 0)), [[true, false, false], [true, true, false], [
    true,
    true,
    true,
  ]]);
  assert.ok(r.every((row) => Math.abs(row.reduce((a, b) => a + b, 0) - 1) < 1e-6));
});

Deno.test("LiandanAttentionSoftmax: autodiff equals tf.grads of scale, mask and tf.softmax", () => {
  registerWasmKernels();
  const s = tf.tensor3d(values(2 * 5 * 5, 3), [2, 5, 5]), w = tf.tensor3d(values(50, 4), [2, 5, 5]);
  const [fused] = tf.grads((s) => tf.sum(tf.mul(attentionSoftmax(s, 0.5, true), w)))([s]);
  const mask = tf.linalg.bandPart(tf.ones([5, 5]), -1, 0);
  const [plain] = tf.grads((s) => tf.sum(tf.mul(tf.softmax(tf.add(tf.mul(s, 0.5), tf.mul(tf.sub(1, mask), -1e9))), w)))(
    [s],
  );
  const [got, want] = [fused.dataSync(), plain.dataSync()];
  want.forEach((v, j) => assert.ok(Math.abs(got[j] - v) < 1e-5, `[${j}]: ${got[j]} vs ${v}`));
  tf.dispose([s, w, fused, plain, mask]);
});

Deno.test("attentionSoftmax: bad shapes are a clear error", () => {
  assert.throws(
    () => attentionSoftmax(tf.ones([3]), 1, false),
    /Cannot take the attention softmax of a tensor of rank 1/,
  );
  assert.throws(() => attentionSoftmax(tf.ones([3, 2]), 1, true), /more queries \(3\) than keys \(2\)/);
});
