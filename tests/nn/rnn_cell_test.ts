import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { initRnnWeights, rnn, rnnCell, type RnnWeights } from "@lib/nn/mod.ts";
import { layersReference, maxDiff } from "./_tf_layers_reference.ts";

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

for (const fused of [false, true]) {
  Deno.test(`rnn (${fused ? "fused" : "step by step"}) equals tf.layers.simpleRNN given the same weights, forward and gradients`, () => {
    tf.tidy(() => {
      const x = rand([3, 7, 5], 1) as tf.Tensor3D, w = initRnnWeights(5, 6, 2), r = rand([3, 7, 6], 3);
      const ref = layersReference("simpleRNN", x, w, r);
      const ours = (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor) =>
        rnn(x, { kernel, recurrentKernel, bias }, undefined, { fused }).hs;
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

Deno.test("rnnCell is one step of rnn, and h_1 = tanh(x W_x + h_0 W_h + b) by hand", () => {
  tf.tidy(() => {
    const x = rand([2, 4, 3], 4) as tf.Tensor3D, w = initRnnWeights(3, 5, 5), h0 = rand([2, 5], 6);
    const { hs, h } = rnn(x, w, h0, { fused: false });
    let state = h0;
    for (let t = 0; t < 4; t++) {
      state = rnnCell(tf.slice(x, [0, t, 0], [2, 1, 3]).reshape([2, 3]), state, w);
      assert.ok(maxDiff(state, tf.slice(hs, [0, t, 0], [2, 1, 5]).reshape([2, 5])) < 1e-6, `step ${t}`);
    }
    assert.ok(maxDiff(state, h) < 1e-6, "last state");
    const byHand: RnnWeights = {
      kernel: tf.tensor2d([[0.5, -1]]),
      recurrentKernel: tf.tensor2d([[1, 0], [0, 2]]),
      bias: tf.tensor1d([0.1, 0]),
    };
    const h1 = rnnCell(tf.tensor2d([[2]]), tf.tensor2d([[0.3, -0.2]]), byHand).arraySync()[0];
    assert.ok(Math.abs(h1[0] - Math.tanh(1 + 0.3 + 0.1)) < 1e-6);
    assert.ok(Math.abs(h1[1] - Math.tanh(-2 - 0.4)) < 1e-6);
  });
});

Deno.test("rnn and rnnCell leave no tensors behind and say what is wrong with bad input", () => {
  const w = initRnnWeights(3, 4, 1), x = tf.ones([2, 5, 3]);
  const before = tf.memory().numTensors;
  for (const fused of [false, true]) tf.dispose(Object.values(rnn(x, w, undefined, { fused })));
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => rnn(tf.ones([2, 5, 2]), w), {
    message: "Cannot run the RNN as x must be [B, T, 3] with B, T ≥ 1: current shape is [2,5,2]",
  });
  assert.throws(() => rnn(x, w, tf.ones([2, 3])), {
    message: "Cannot run the RNN as h0 must be a tensor [2, 4]: current value is shape [2,3]",
  });
  assert.throws(() => rnn(x, { ...w, bias: tf.ones([5]) }), {
    message: "Cannot run the RNN as the weights must be kernel [In, H], recurrentKernel [H, H] and bias [H]: " +
      "current shapes are [3,4], [4,4], [5]",
  });
  assert.throws(() => rnn(x, { ...w, kernel: null as unknown as tf.Tensor }), {
    name: "TypeError",
    message: "Cannot run the RNN as weights.kernel must be a tensor: current value is null",
  });
  assert.throws(() => rnn(x, w, undefined, { fused: "yes" as unknown as boolean }), {
    name: "TypeError",
    message: "Cannot run the RNN as options.fused must be a boolean: current value is yes",
  });
  assert.throws(() => rnnCell(tf.ones([2, 3]), tf.ones([1, 4]), w), {
    message: "Cannot run the RNN cell as x must be [B, 3] and the state [B, 4]: current shapes are [2,3] and [1,4]",
  });
  assert.throws(() => initRnnWeights(0, 4), {
    message: "Cannot initialise RNN weights as inputSize must be a positive integer: current value is 0",
  });
  tf.dispose([x, ...Object.values(w)]);
});
