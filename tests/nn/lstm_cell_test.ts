import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { initLstmWeights, lstm, lstmCell, type LstmWeights } from "@lib/nn/mod.ts";
import { layersReference, maxDiff } from "./_tf_layers_reference.ts";

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

for (const fused of [false, true]) {
  Deno.test(`lstm (${fused ? "fused" : "readable cell"}) equals tf.layers.lstm given the same weights`, () => {
    tf.tidy(() => {
      const x = rand([3, 6, 5], 1), w = initLstmWeights(5, 4, 2), r = rand([3, 6, 4], 3);
      const ref = layersReference("lstm", x as tf.Tensor3D, w, r);
      const ours = (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) =>
        lstm(x, { kernel, recurrentKernel, bias }, undefined, { fused }).hs;
      assert.ok(maxDiff(ours(x, w.kernel, w.recurrentKernel, w.bias), ref.out) < 1e-5, "hidden states");
      const grads = tf.grads((x, k, rk, b) => tf.sum(tf.mul(ours(x, k, rk, b), r)))([
        x,
        w.kernel,
        w.recurrentKernel,
        w.bias,
      ]);
      ["x", "kernel", "recurrentKernel", "bias"].forEach((name, i) => {
        assert.deepEqual(grads[i].shape, ref.grads[i].shape, name);
        assert.ok(maxDiff(grads[i], ref.grads[i]) < 1e-4, `gradient of ${name}: ${maxDiff(grads[i], ref.grads[i])}`);
      });
    });
  });
}

Deno.test("lstmCell: one step by hand, gate by gate", () => {
  tf.tidy(() => {
    // In = 1, H = 1: the pre-activations are z = x·k + h·rk + b for the gates i, f, g, o
    const w: LstmWeights = {
      kernel: tf.tensor2d([[0.5, 2, -1, 1]]),
      recurrentKernel: tf.tensor2d([[1, 0, 0.5, -2]]),
      bias: tf.tensor1d([0, 1, 0, 0.5]),
    };
    const [x, h, c] = [0.4, -0.3, 0.7];
    const step = lstmCell(tf.tensor2d([[x]]), { h: tf.tensor2d([[h]]), c: tf.tensor2d([[c]]) }, w);
    const i = sigmoid(0.5 * x + h), f = sigmoid(2 * x + 1), g = Math.tanh(-x + 0.5 * h), o = sigmoid(x - 2 * h + 0.5);
    const c1 = f * c + i * g;
    const expected = { input: i, forget: f, candidate: g, output: o, c: c1, h: o * Math.tanh(c1) };
    for (const [name, value] of Object.entries(expected)) {
      const got = step[name as keyof typeof expected].arraySync()[0][0];
      assert.ok(Math.abs(got - value) < 1e-6, `${name}: ${got}, by hand ${value}`);
    }
  });
});

Deno.test("lstmCell's steps make lstm's sequence; a forget gate shut (bias −∞) erases the memory", () => {
  tf.tidy(() => {
    const x = rand([2, 5, 3], 4), w = initLstmWeights(3, 4, 5), h0 = rand([2, 4], 6), c0 = rand([2, 4], 7);
    const out = lstm(x, w, { h: h0, c: c0 }, { fused: false });
    let s = { h: h0, c: c0 };
    for (let t = 0; t < 5; t++) s = lstmCell(tf.slice(x, [0, t, 0], [2, 1, 3]).reshape([2, 3]), s, w);
    assert.ok(maxDiff(s.h, out.h) < 1e-6 && maxDiff(s.c, out.c) < 1e-6);
    const shut = { ...w, bias: tf.concat([tf.zeros([4]), tf.fill([4], -1e4), tf.zeros([8])]) };
    const step = lstmCell(tf.zeros([2, 3]), { h: tf.zeros([2, 4]), c: c0 }, shut);
    assert.equal(tf.max(step.forget).dataSync()[0], 0);
    const written = tf.mul(step.input, step.candidate); // the new memory is only what the input gate wrote
    assert.ok(maxDiff(step.c, written) < 1e-7);
  });
});

Deno.test("lstmCell and initLstmWeights say what is wrong with bad input", () => {
  const w = initLstmWeights(3, 4, 1);
  assert.throws(() => lstmCell(tf.ones([2, 3]), { h: tf.ones([2, 4]), c: tf.ones([2, 5]) }, w), {
    message: "Cannot run the LSTM cell as x must be [B, 3] and the state [B, 4]: current shapes are [2,3] and [2,5]",
  });
  assert.throws(() => lstmCell(tf.ones([2, 3]), { h: tf.ones([2, 4]), c: tf.ones([2, 4]) }, { ...w, bias: w.kernel }), {
    message:
      "Cannot run the LSTM cell as the weights must be kernel [In, 4H], recurrentKernel [H, 4H] and bias [4H]: " +
      "current shapes are [3,16], [4,16], [3,16]",
  });
  assert.throws(() => initLstmWeights(3, 1.5), {
    message: "Cannot initialise LSTM weights as hidden must be a positive integer: current value is 1.5",
  });
  tf.dispose(Object.values(w));
});
