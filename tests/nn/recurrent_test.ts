import assert from "node:assert/strict";
import { backendName, blasInfo, setBlasEnabled, tf, useBackend } from "@lib/core/mod.ts";
import { AdamW, initLstmWeights, initRnnWeights, lstm, rnn } from "@lib/nn/mod.ts";
import { maxDiff } from "./_tf_layers_reference.ts";

const rand = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);

/** A loss that reads every output of lstm: all hidden states, and the last hidden and cell states. */
function lossOf(fused: boolean, r: tf.Tensor, rh: tf.Tensor, rc: tf.Tensor) {
  return (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, h: tf.Tensor, c: tf.Tensor) => {
    const out = lstm(x, { kernel, recurrentKernel, bias }, { h, c }, { fused });
    return tf.addN([tf.sum(tf.mul(out.hs, r)), tf.sum(tf.mul(out.h, rh)), tf.sum(tf.mul(out.c, rc))]);
  };
}

/** Fused against readable on the current backend: values and the gradients of all six inputs within 1e-4. */
function assertFusedEqualsReadable(B: number, T: number, In: number, H: number): void {
  tf.tidy(() => {
    const w = initLstmWeights(In, H, 11);
    const inputs = [rand([B, T, In], 1), w.kernel, w.recurrentKernel, w.bias, rand([B, H], 2), rand([B, H], 3)];
    const [r, rh, rc] = [rand([B, T, H], 4), rand([B, H], 5), rand([B, H], 6)];
    const fast = lstm(inputs[0], w, { h: inputs[4], c: inputs[5] });
    const slow = lstm(inputs[0], w, { h: inputs[4], c: inputs[5] }, { fused: false });
    for (const key of ["hs", "h", "c"] as const) {
      assert.ok(maxDiff(fast[key], slow[key]) < 1e-5, `${key}: ${maxDiff(fast[key], slow[key])}`);
    }
    const gFast = tf.grads(lossOf(true, r, rh, rc))(inputs), gSlow = tf.grads(lossOf(false, r, rh, rc))(inputs);
    ["x", "kernel", "recurrentKernel", "bias", "h0", "c0"].forEach((name, i) => {
      const scale = Math.max(1, tf.max(tf.abs(gSlow[i])).dataSync()[0]);
      const d = maxDiff(gFast[i], gSlow[i]) / scale;
      assert.ok(d < 1e-4, `${tf.getBackend()}: gradient of ${name} differs by ${d} (relative to ${scale})`);
    });
  });
}

Deno.test("the fused LSTM equals the readable cell, forward and gradients (wasm with and without BLAS, cpu)", async () => {
  const before = backendName(), wasBlas = blasInfo().enabled;
  try {
    assertFusedEqualsReadable(4, 20, 6, 16);
    assertFusedEqualsReadable(1, 1, 1, 1);
    setBlasEnabled(false);
    assertFusedEqualsReadable(3, 9, 5, 8);
    setBlasEnabled(wasBlas);
    await useBackend("cpu");
    assertFusedEqualsReadable(3, 9, 5, 8);
  } finally {
    setBlasEnabled(wasBlas);
    await useBackend(before);
  }
});

/** The fused plain RNN against its step-by-step tensor ops: values and the gradients of all five inputs. */
function assertFusedRnnEqualsReadable(B: number, T: number, In: number, H: number): void {
  tf.tidy(() => {
    const w = initRnnWeights(In, H, 12);
    const inputs = [rand([B, T, In], 1), w.kernel, w.recurrentKernel, w.bias, rand([B, H], 2)];
    const [r, rh] = [rand([B, T, H], 4), rand([B, H], 5)];
    const fast = rnn(inputs[0], w, inputs[4], { fused: true }), slow = rnn(inputs[0], w, inputs[4], { fused: false });
    for (const key of ["hs", "h"] as const) {
      assert.ok(maxDiff(fast[key], slow[key]) < 1e-5, `${key}: ${maxDiff(fast[key], slow[key])}`);
    }
    const loss =
      (fused: boolean) =>
      (x: tf.Tensor, kernel: tf.Tensor, recurrentKernel: tf.Tensor, bias: tf.Tensor, h0: tf.Tensor) => {
        const out = rnn(x, { kernel, recurrentKernel, bias }, h0, { fused });
        return tf.add(tf.sum(tf.mul(out.hs, r)), tf.sum(tf.mul(out.h, rh)));
      };
    const gFast = tf.grads(loss(true))(inputs), gSlow = tf.grads(loss(false))(inputs);
    ["x", "kernel", "recurrentKernel", "bias", "h0"].forEach((name, i) => {
      const scale = Math.max(1, tf.max(tf.abs(gSlow[i])).dataSync()[0]);
      const d = maxDiff(gFast[i], gSlow[i]) / scale;
      assert.ok(d < 1e-4, `${tf.getBackend()}: RNN gradient of ${name} differs by ${d} (relative to ${scale})`);
    });
  });
}

Deno.test("the fused RNN equals the step-by-step one, forward and gradients (wasm with and without BLAS, cpu)", async () => {
  const before = backendName(), wasBlas = blasInfo().enabled;
  try {
    assertFusedRnnEqualsReadable(4, 20, 6, 16);
    assertFusedRnnEqualsReadable(1, 1, 1, 1);
    assertFusedRnnEqualsReadable(2, 5, 3, 7); // H not a multiple of 4: the scalar tail
    setBlasEnabled(false);
    assertFusedRnnEqualsReadable(3, 9, 5, 8);
    setBlasEnabled(wasBlas);
    await useBackend("cpu");
    assertFusedRnnEqualsReadable(3, 9, 5, 8);
  } finally {
    setBlasEnabled(wasBlas);
    await useBackend(before);
  }
});

for (const cell of ["lstm", "rnn"] as const) {
  Deno.test(`a training step through the fused ${cell.toUpperCase()} leaves the tensor count unchanged`, async () => {
    const w = cell === "lstm" ? initLstmWeights(5, 8, 3) : initRnnWeights(5, 8, 3);
    const params = new Map(Object.entries(w).map(([name, t]) => [name, tf.variable(t)]));
    tf.dispose(Object.values(w));
    const opt = new AdamW(params, { lr: 0.01 });
    const [x, r] = [rand([4, 12, 5], 1), rand([4, 12, 8], 2)];
    const step = async () => {
      const { value, grads } = tf.variableGrads(() => {
        const [kernel, recurrentKernel, bias] = ["kernel", "recurrentKernel", "bias"].map((k) => params.get(k)!);
        const weights = { kernel, recurrentKernel, bias };
        const hs = cell === "lstm"
          ? lstm(x, weights, undefined, { fused: true }).hs
          : rnn(x, weights, undefined, { fused: true }).hs;
        return tf.sum(tf.mul(hs, r)) as tf.Scalar;
      });
      await opt.step(grads);
      const loss = (await value.data())[0];
      tf.dispose([value, ...Object.values(grads)]);
      return loss;
    };
    const first = await step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = await step();
    assert.equal(tf.memory().numTensors, before);
    assert.ok(last < first, `the loss went down: ${first} → ${last}`);
    tf.dispose([x, r, ...params.values()]);
  });
}

Deno.test("lstm says what is wrong with bad input", () => {
  const w = initLstmWeights(3, 4, 1), x = tf.ones([2, 5, 3]);
  assert.throws(() => lstm(tf.ones([2, 3]), w), {
    message: "Cannot run the LSTM as x must be [B, T, 3] with B, T ≥ 1: current shape is [2,3]",
  });
  assert.throws(() => lstm(x, w, { c: tf.ones([1, 4]) }), {
    message: "Cannot run the LSTM as state.c must be a tensor [2, 4]: current value is shape [1,4]",
  });
  assert.throws(() => lstm(x, w, {}, { fused: 1 as unknown as boolean }), {
    name: "TypeError",
    message: "Cannot run the LSTM as options.fused must be a boolean: current value is 1",
  });
  assert.throws(() => lstm("x" as unknown as tf.Tensor, w), {
    name: "TypeError",
    message: "Cannot run the LSTM as x must be a tensor: current value is x",
  });
  tf.dispose([x, ...Object.values(w)]);
});
