import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { layerNormBackward, layerNormForward } from "@lib/core/kernels/layer_norm.ts";
import { registerWasmKernels } from "@lib/core/kernels/mod.ts";
import { assertSameAsCpu } from "./_same_as_cpu.ts";

const values = (n: number, seed: number) => Array.from({ length: n }, (_, i) => 3 * Math.sin(1.3 * i + seed) + 0.5);

Deno.test("LiandanLayerNorm (layer_norm.c) equals the composed ops of the cpu backend, forward and backward, every tail length", async () => {
  registerWasmKernels();
  for (const [rows, cols] of [[1, 1], [3, 4], [5, 7], [2, 130], [17, 128]]) {
    for (const bias of [true, false]) {
      await assertSameAsCpu(() => {
        const x = tf.tensor2d(values(rows * cols, 1), [rows, cols]);
        const g = tf.tensor1d(values(cols, 2)), b = bias ? tf.tensor1d(values(cols, 3)) : null;
        const { y, mean, rstd } = layerNormForward(x, g, b, 1e-5);
        const dy = tf.tensor2d(values(rows * cols, 4), [rows, cols]);
        const { dx, dg, db } = layerNormBackward(dy, x, g, mean, rstd);
        return [y, mean, rstd, dx, dg, db];
      });
    }
  }
});

Deno.test("LiandanLayerNorm: autodiff through layerNormForward equals tf.grads of the plain formula", () => {
  registerWasmKernels();
  const [rows, cols] = [6, 9];
  const x = tf.tensor2d(values(rows * cols, 5), [rows, cols]), g = tf.tensor1d(values(cols, 6));
  const b = tf.tensor1d(values(cols, 7)), w = tf.tensor2d(values(rows * cols, 8), [rows, cols]);
  const fused = tf.grads((x, g, b) =>
    tf.sum(tf.mul(layerNormForward(x as tf.Tensor2D, g as tf.Tensor1D, b as tf.Tensor1D, 1e-5).y, w))
  );
  const plain = tf.grads((x, g, b) => {
    const xc = tf.sub(x, tf.mean(x, -1, true));
    const y = tf.add(tf.mul(tf.mul(xc, tf.rsqrt(tf.add(tf.mean(tf.square(xc), -1, true), 1e-5))), g), b);
    return tf.sum(tf.mul(y, w));
  });
  const [a, e] = [fused([x, g, b]), plain([x, g, b])];
  a.forEach((t, i) => {
    const [got, want] = [t.dataSync(), e[i].dataSync()];
    want.forEach((v, j) => assert.ok(Math.abs(got[j] - v) < 1e-4, `input ${i}[${j}]: ${got[j]} vs ${v}`));
  });
  tf.dispose([x, g, b, w, ...a, ...e]);
});

Deno.test("layerNormForward: shapes that do not fit are a clear error", () => {
  assert.throws(
    () => layerNormForward(tf.ones([2, 3]) as tf.Tensor2D, tf.ones([4]) as tf.Tensor1D, null, 1e-5),
    /Cannot normalise layers as x must be \[N, C\] and g \[C\]: current shapes are \[2,3\] and \[4\]/,
  );
});
