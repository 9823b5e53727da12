import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { SGD } from "@lib/nn/mod.ts";

const close = (a: ArrayLike<number>, b: number[], tol = 1e-6) =>
  assert.ok(Array.from(a).every((v, i) => Math.abs(v - b[i]) < tol), `${Array.from(a)} vs ${b}`);

Deno.test("SGD: plain, momentum and Nesterov steps match a hand computation (PyTorch's rules)", async () => {
  const g = tf.tensor1d([1, -2]);
  const run = async (config: ConstructorParameters<typeof SGD>[1]) => {
    const p = tf.variable(tf.tensor1d([1, 1]));
    const opt = new SGD(new Map([["p", p]]), config);
    for (let i = 0; i < 2; i++) await opt.step({ p: g });
    const out = p.dataSync();
    opt.dispose();
    p.dispose();
    return out;
  };
  close(await run({ lr: 0.1 }), [1 - 0.2, 1 + 0.4]);
  // momentum 0.5: v = g, then 1.5 g
  close(await run({ lr: 0.1, momentum: 0.5 }), [1 - 0.1 * 2.5, 1 + 0.2 * 2.5]);
  // Nesterov: steps g + 0.5 v with v = g, then 1.5 g: 1.5 g, then 1.75 g
  close(await run({ lr: 0.1, momentum: 0.5, nesterov: true }), [1 - 0.1 * 3.25, 1 + 0.2 * 3.25]);
});

Deno.test("SGD: L2 weight decay on matrices only; clipping by global norm returns the norm", async () => {
  const w = tf.variable(tf.tensor2d([[2]])), b = tf.variable(tf.tensor1d([2]));
  const opt = new SGD(new Map<string, tf.Variable>([["w", w], ["b", b]]), { lr: 0.1, weightDecay: 0.5 });
  const norm = await opt.step({ w: tf.tensor2d([[3]]), b: tf.tensor1d([4]) }, 0.1, 1);
  assert.ok(Math.abs(norm - 5) < 1e-5);
  close(w.dataSync(), [2 - 0.1 * (0.6 + 0.5 * 2)], 1e-5); // clipped gradient 3/5, plus decay 0.5 · w
  close(b.dataSync(), [2 - 0.1 * 0.8], 1e-5); // no decay on a vector
  opt.dispose();
});

Deno.test("SGD: state round-trips; a step leaves the tensor count unchanged", async () => {
  const p = tf.variable(tf.ones([2, 2]));
  const opt = new SGD(new Map([["p", p]]), { momentum: 0.9 });
  const g = tf.ones([2, 2]);
  await opt.step({ p: g });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) await opt.step({ p: g });
  assert.equal(tf.memory().numTensors, before);
  const state = await opt.getState();
  assert.equal(state.t, 6);
  const q = tf.variable(tf.ones([2, 2]));
  const other = new SGD(new Map([["p", q]]), { momentum: 0.9 });
  other.setState(state);
  assert.deepEqual(await other.getState(), state);
  assert.throws(() => other.setState({ t: 1, velocity: { p: new Float32Array(3) } }), {
    message: "Cannot restore SGD state of p: 3 values saved for 4 weights",
  });
  [opt, other].forEach((o) => o.dispose());
});

Deno.test("SGD: errors name the value and the expectation", () => {
  const params = new Map([["p", tf.variable(tf.ones([2]))]]);
  assert.throws(() => new SGD(params, { lr: 0 }), {
    name: "RangeError",
    message: "Cannot create SGD as lr must be a positive number: current value is 0",
  });
  assert.throws(() => new SGD(params, { momentum: 1 }), {
    message: "Cannot create SGD as momentum must be in [0, 1): current value is 1",
  });
  assert.throws(() => new SGD(params, { weightDecay: -1 }), {
    message: "Cannot create SGD as weightDecay must be a number >= 0: current value is -1",
  });
  assert.throws(() => new SGD(params, { nesterov: true }), {
    message: "Cannot create SGD as nesterov needs momentum > 0: current momentum is 0",
  });
  const opt = new SGD(params);
  return assert.rejects(() => opt.step({ p: tf.ones([3]) }), {
    message: "Cannot update p as its gradient has shape [3], not [2]",
  });
});
