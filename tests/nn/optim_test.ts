import assert from "node:assert/strict";
import { backendName, tf, useBackend } from "@lib/core/mod.ts";
import { AdamW, clipByGlobalNorm } from "@lib/nn/mod.ts";

/** AdamW by hand, in float64, for one weight. */
function adamwByHand(p: number, grads: number[], lr: number, decay: number, b1 = 0.9, b2 = 0.99, eps = 1e-8): number {
  let m = 0, v = 0;
  grads.forEach((g, i) => {
    const t = i + 1;
    m = b1 * m + (1 - b1) * g;
    v = b2 * v + (1 - b2) * g * g;
    p -= lr * ((m / (1 - b1 ** t)) / (Math.sqrt(v / (1 - b2 ** t)) + eps) + decay * p);
  });
  return p;
}

Deno.test("AdamW: matches a hand computation; weight decay only on matrices", async () => {
  const w: tf.Variable = tf.variable(tf.tensor2d([[0.5, -1]])), b: tf.Variable = tf.variable(tf.tensor1d([2]));
  const opt = new AdamW(new Map<string, tf.Variable>([["w", w], ["b", b]]), { lr: 0.1, weightDecay: 0.5 });
  const gw = [[0.3, -2], [0.1, 0.4], [-0.5, 1]], gb = [1, -1, 3];
  for (let i = 0; i < 3; i++) await opt.step({ w: tf.tensor2d([gw[i]]), b: tf.tensor1d([gb[i]]) });
  const got = w.dataSync();
  assert.ok(Math.abs(got[0] - adamwByHand(0.5, gw.map((g) => g[0]), 0.1, 0.5)) < 1e-6);
  assert.ok(Math.abs(got[1] - adamwByHand(-1, gw.map((g) => g[1]), 0.1, 0.5)) < 1e-6);
  assert.ok(Math.abs(b.dataSync()[0] - adamwByHand(2, gb, 0.1, 0)) < 1e-6); // bias: no decay
  assert.equal(opt.t, 3);
  opt.dispose();
});

Deno.test("AdamW: state round-trips (a restored optimizer takes the same next step)", async () => {
  const make = () => tf.variable(tf.tensor1d([1, 2, 3]));
  const [a, b] = [make(), make()];
  const optA = new AdamW(new Map([["p", a]]), { lr: 0.01 });
  await optA.step({ p: tf.tensor1d([0.1, -0.2, 0.3]) });
  await optA.step({ p: tf.tensor1d([0.2, 0.1, -0.3]) });
  b.assign(a);
  const optB = new AdamW(new Map([["p", b]]), { lr: 0.01 });
  optB.setState(structuredClone(await optA.getState()));
  await optA.step({ p: tf.tensor1d([1, 1, 1]) });
  await optB.step({ p: tf.tensor1d([1, 1, 1]) });
  assert.deepEqual(a.dataSync(), b.dataSync());
  assert.throws(
    () => optB.setState({ t: 1, m: { p: new Float32Array(2) }, v: { p: new Float32Array(2) } }),
    /Cannot restore AdamW state of p: 2 values saved for 3 weights/,
  );
});

Deno.test("AdamW: errors name the value and the expectation", async () => {
  const params = new Map([["p", tf.variable(tf.zeros([2]))]]);
  assert.throws(() => new AdamW(params, { lr: -1 }), {
    name: "RangeError",
    message: "Cannot create AdamW as lr must be a finite number ≥ 0: current value is -1",
  });
  assert.throws(() => new AdamW(params, { beta2: 1 }), /beta2 must be in \[0, 1\): current value is 1/);
  const opt = new AdamW(params);
  await assert.rejects(
    () => opt.step({ p: tf.zeros([3]) }),
    /Cannot update p as its gradient has shape \[3\], not \[2\]/,
  );
});

Deno.test("AdamW: a step leaves the tensor count unchanged", async () => {
  const p = tf.variable(tf.ones([3, 3]));
  const opt = new AdamW(new Map([["p", p]]));
  const g = tf.ones([3, 3]);
  await opt.step({ p: g });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 5; i++) await opt.step({ p: g });
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("clipByGlobalNorm: scales to the max norm, leaves small gradients alone", () => {
  const { grads, norm } = clipByGlobalNorm({ a: tf.tensor1d([3, 0]), b: tf.tensor2d([[0, 4]]) }, 1);
  assert.equal(norm.dataSync()[0], 5);
  assert.ok(Math.abs(grads.a.dataSync()[0] - 0.6) < 1e-6 && Math.abs(grads.b.dataSync()[1] - 0.8) < 1e-6);
  const small = clipByGlobalNorm({ a: tf.tensor1d([0.3, 0.4]) }, 1);
  assert.deepEqual(small.grads.a.dataSync(), new Float32Array([0.3, 0.4]));
  assert.throws(() => clipByGlobalNorm({}, 0), /maxNorm must be > 0: current value is 0/);
});

Deno.test("AdamW.step: clips the global gradient norm first (as clip_grad_norm_) and returns it", async () => {
  const a: tf.Variable = tf.variable(tf.tensor1d([1, 1])), b: tf.Variable = tf.variable(tf.tensor1d([1]));
  const opt = new AdamW(new Map([["a", a], ["b", b]]), { lr: 0.1, weightDecay: 0, beta1: 0.5, beta2: 0.5 });
  const norm = await opt.step({ a: tf.tensor1d([3, 0]), b: tf.tensor1d([4]) }, 0.1, 1);
  assert.ok(Math.abs(norm - 5) < 1e-6);
  // after the first step Adam moves each weight by lr·sign(g) whatever the scale, so take a second step
  const norm2 = await opt.step({ a: tf.tensor1d([0.3, 0]), b: tf.tensor1d([0.4]) }, 0.1, 1);
  assert.ok(Math.abs(norm2 - 0.5) < 1e-6);
  const scale = 1 / (5 + 1e-6);
  const want = adamwByHand(1, [3 * scale, 0.3], 0.1, 0, 0.5, 0.5);
  assert.ok(Math.abs(a.dataSync()[0] - want) < 1e-6, `${a.dataSync()[0]} vs ${want}`);
});

Deno.test("AdamW: the wasm heap kernel (optim.c) takes the cpu loop's steps, clipped and decayed; moments survive a backend switch", async () => {
  const start = backendName();
  const values = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(0.7 * i + k));
  const run = async (backends: ("cpu" | "wasm")[]) => {
    const out: Float32Array[] = [];
    await useBackend(backends[0]);
    const w = tf.variable(tf.tensor2d(values(4 * 7, 1), [4, 7])), b = tf.variable(tf.tensor1d(values(7, 2)));
    const opt = new AdamW(new Map<string, tf.Variable>([["w", w], ["b", b]]), { lr: 0.05, weightDecay: 0.3 });
    for (const [step, backend] of backends.entries()) {
      await useBackend(backend); // variables move with the backend; the optimizer follows
      const grads = { w: tf.tensor2d(values(28, 10 + step), [4, 7]), b: tf.tensor1d(values(7, 20 + step)) };
      await opt.step(grads, undefined, 1.5); // the gradients' norm is about 3.8: clipped
      tf.dispose(Object.values(grads));
    }
    out.push(Float32Array.from(w.dataSync()), Float32Array.from(b.dataSync()));
    const state = await opt.getState();
    out.push(state.m.w, state.v.b);
    opt.dispose();
    tf.dispose([w, b]);
    return out;
  };
  try {
    const cpu = await run(["cpu", "cpu", "cpu", "cpu"]);
    for (const mixed of [["wasm", "wasm", "wasm", "wasm"], ["wasm", "cpu", "wasm", "cpu"]] as const) {
      const got = await run([...mixed]);
      cpu.forEach((want, k) =>
        want.forEach((x, i) =>
          assert.ok(Math.abs(got[k][i] - x) < 1e-6, `${mixed} output ${k}[${i}]: ${got[k][i]} vs ${x}`)
        )
      );
    }
  } finally {
    await useBackend(start);
  }
});
