import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { mergeHeads, splitHeads } from "@lib/core/kernels/heads.ts";
import { registerWasmKernels } from "@lib/core/kernels/mod.ts";
import { assertSameAsCpu } from "./_same_as_cpu.ts";

const values = (n: number) => Array.from({ length: n }, (_, i) => i);

Deno.test("LiandanSplitHeads and LiandanMergeHeads (heads.c) equal reshape, transpose and split on cpu", async () => {
  registerWasmKernels();
  for (const [b, t, parts, heads, d] of [[1, 1, 1, 1, 1], [2, 3, 3, 2, 4], [3, 1, 2, 4, 5], [2, 7, 3, 4, 8]]) {
    await assertSameAsCpu(() => {
      const z = tf.tensor3d(values(b * t * parts * heads * d), [b, t, parts * heads * d]);
      const split = splitHeads(z, parts, heads);
      return [...split, mergeHeads(split, parts)];
    });
  }
});

Deno.test("splitHeads: head h of block p is columns p·C + h·D …; gradients flow back through both kernels", () => {
  registerWasmKernels();
  const z = tf.tensor3d([[[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]]]); // B = T = 1, 3 blocks of 2 heads of 2
  const [q, k, v] = splitHeads(z, 3, 2);
  assert.deepEqual(q.arraySync(), [[[[0, 1]], [[2, 3]]]]);
  assert.deepEqual(k.arraySync(), [[[[4, 5]], [[6, 7]]]]);
  assert.deepEqual(v.arraySync(), [[[[8, 9]], [[10, 11]]]]);
  const w = tf.tensor3d(values(12), [1, 1, 12]);
  const [dz] = tf.grads((z) => {
    const [a, b, c] = splitHeads(z, 3, 2);
    return tf.sum(tf.mul(mergeHeads([c, a, b], 3), w));
  })([z]);
  // z's block order (q, k, v) was written back as (v, q, k): each column's gradient is the weight where it landed
  assert.deepEqual(Array.from(dz.dataSync()), [4, 5, 6, 7, 8, 9, 10, 11, 0, 1, 2, 3]);
});

Deno.test("splitHeads and mergeHeads: bad shapes are clear errors", () => {
  assert.throws(() => splitHeads(tf.ones([2, 3, 10]), 3, 2), /Cannot split heads as z must be \[B, T, parts·heads·D\]/);
  assert.throws(
    () => mergeHeads([tf.ones([1, 2, 3, 4]) as tf.Tensor4D, tf.ones([1, 2, 3, 5]) as tf.Tensor4D]),
    /Cannot merge heads as they must be 2 tensors of one shape/,
  );
});
