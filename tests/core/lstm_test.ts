import assert from "node:assert/strict";
import { backendName, tf, useBackend } from "@lib/core/mod.ts";
import {
  LSTM_KERNEL,
  lstmFused,
  lstmFusedAvailable,
  RNN_KERNEL,
  rnnFused,
  rnnFusedAvailable,
} from "@lib/core/kernels/mod.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

Deno.test("lstmFused: two steps by hand, and the last state's gradient", () => {
  tf.tidy(() => {
    // B = 1, H = 1, W_h = 0: each step's gates come from xGates alone
    const z = [[0.2, -0.5, 0.9, 1.1], [-0.3, 0.4, -0.8, 0.6]];
    const { hs, cs } = lstmFused(tf.tensor3d([z]), tf.zeros([1, 4]), tf.zeros([1, 1]), tf.tensor2d([[0.5]]));
    let c = 0.5;
    for (let t = 0; t < 2; t++) {
      const [i, f, g, o] = [sigmoid(z[t][0]), sigmoid(z[t][1]), Math.tanh(z[t][2]), sigmoid(z[t][3])];
      c = f * c + i * g;
      assert.ok(Math.abs(cs.arraySync()[0][t][0] - c) < 1e-6, `c_${t + 1}`);
      assert.ok(Math.abs(hs.arraySync()[0][t][0] - o * Math.tanh(c)) < 1e-6, `h_${t + 1}`);
    }
    // ∂c_2/∂c_0 = f_1 · f_2 when W_h = 0: the memory's gradient is only multiplied by the forget gates
    const dc0 = tf.grad((c0: tf.Tensor) => {
      const { cs } = lstmFused(tf.tensor3d([z]), tf.zeros([1, 4]), tf.zeros([1, 1]), c0);
      return tf.slice(cs, [0, 1, 0], [1, 1, 1]).sum();
    })(tf.tensor2d([[0.5]]));
    assert.ok(Math.abs(dc0.dataSync()[0] - sigmoid(-0.5) * sigmoid(0.4)) < 1e-6);
  });
});

Deno.test("lstmFused runs on wasm and cpu, and says what is wrong with bad input", async () => {
  assert.ok(tf.getKernel(LSTM_KERNEL, "wasm") && tf.getKernel(LSTM_KERNEL, "cpu"));
  const before = backendName();
  await useBackend("cpu");
  assert.equal(lstmFusedAvailable(), true);
  await useBackend(before);
  const [xg, wh, h0, c0] = [tf.zeros([2, 3, 8]), tf.zeros([2, 8]), tf.zeros([2, 2]), tf.zeros([2, 2])];
  assert.throws(() => lstmFused(tf.zeros([2, 3, 6]), wh, h0, c0), {
    message: "Cannot run the fused LSTM as xGates must be a tensor [B, T, 4H] with H ≥ 1: current shape is [2,3,6]",
  });
  assert.throws(() => lstmFused(tf.zeros([2, 0, 8]), wh, h0, c0), {
    message: "Cannot run the fused LSTM as B and T must be ≥ 1: current shape is [2,0,8]",
  });
  assert.throws(() => lstmFused(xg, tf.zeros([8, 2]), h0, c0), {
    message: "Cannot run the fused LSTM as recurrentKernel must have shape [2,8]: current shape is [8,2]",
  });
  assert.throws(() => lstmFused(xg, wh, h0, tf.zeros([2, 2], "int32")), {
    name: "TypeError",
    message: "Cannot run the fused LSTM as c0 must be float32: current dtype is int32",
  });
  assert.throws(() => lstmFused(xg, wh, undefined as unknown as tf.Tensor, c0), {
    name: "TypeError",
    message: "Cannot run the fused LSTM as h0 must be a tensor: current value is undefined",
  });
  tf.dispose([xg, wh, h0, c0]);
});

Deno.test("rnnFused: two steps by hand, and the gradient through them", () => {
  tf.tidy(() => {
    // B = 1, H = 1, W_h = 0.7: h_1 = tanh(z_1 + 0.7 h_0), h_2 = tanh(z_2 + 0.7 h_1)
    const z = [0.3, -0.6], w = 0.7, h0 = 0.2;
    const hs = rnnFused(tf.tensor3d([[[z[0]], [z[1]]]]), tf.tensor2d([[w]]), tf.tensor2d([[h0]]));
    const h1 = Math.tanh(z[0] + w * h0), h2 = Math.tanh(z[1] + w * h1);
    assert.ok(Math.abs(hs.arraySync()[0][0][0] - h1) < 1e-6, "h_1");
    assert.ok(Math.abs(hs.arraySync()[0][1][0] - h2) < 1e-6, "h_2");
    // ∂h_2/∂h_0 = (1 − h_2²) · W_h · (1 − h_1²) · W_h: the gradient is multiplied by W_h · tanh′ once per step
    const dh0 = tf.grad((h: tf.Tensor) => {
      const hs = rnnFused(tf.tensor3d([[[z[0]], [z[1]]]]), tf.tensor2d([[w]]), h);
      return tf.slice(hs, [0, 1, 0], [1, 1, 1]).sum();
    })(tf.tensor2d([[h0]]));
    assert.ok(Math.abs(dh0.dataSync()[0] - (1 - h2 * h2) * w * (1 - h1 * h1) * w) < 1e-6);
  });
});

Deno.test("rnnFused runs on wasm and cpu, and says what is wrong with bad input", async () => {
  assert.ok(tf.getKernel(RNN_KERNEL, "wasm") && tf.getKernel(RNN_KERNEL, "cpu"));
  const before = backendName();
  await useBackend("cpu");
  assert.equal(rnnFusedAvailable(), true);
  await useBackend(before);
  const [xp, wh, h0] = [tf.zeros([2, 3, 4]), tf.zeros([4, 4]), tf.zeros([2, 4])];
  assert.throws(() => rnnFused(tf.zeros([2, 3]), wh, h0), {
    message: "Cannot run the fused RNN as xProj must be a tensor [B, T, H] with B, T, H ≥ 1: current shape is [2,3]",
  });
  assert.throws(() => rnnFused(xp, tf.zeros([4, 3]), h0), {
    message: "Cannot run the fused RNN as recurrentKernel must have shape [4,4]: current shape is [4,3]",
  });
  assert.throws(() => rnnFused(xp, wh, tf.zeros([2, 4], "int32")), {
    name: "TypeError",
    message: "Cannot run the fused RNN as h0 must be float32: current dtype is int32",
  });
  tf.dispose([xp, wh, h0]);
});
