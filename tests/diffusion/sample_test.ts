import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { Denoiser, NULL_CLASS } from "@lib/diffusion/denoiser.ts";
import { ddimTimesteps, guidedNoise, reverseStep, sample } from "@lib/diffusion/sample.ts";
import { linearSchedule, NoiseSchedule } from "@lib/diffusion/schedule.ts";

const SMALL = { size: 8, channels: [4, 8], embed: 8, steps: 20 };

Deno.test("sample: shapes, range, and the same seed draws the same digits (DDIM and DDPM)", async () => {
  const net = new Denoiser(SMALL);
  for (const sampler of ["ddim", "ddpm"] as const) {
    const a = await sample(net, [1, 2, 3], { sampler, steps: 4, seed: 11, batch: 2 });
    const b = await sample(net, [1, 2, 3], { sampler, steps: 4, seed: 11, batch: 2 });
    const c = await sample(net, [1, 2, 3], { sampler, steps: 4, seed: 12 });
    assert.deepEqual(a.shape, [3, 8, 8, 1]);
    assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), `${sampler}: same seed, same images`);
    assert.notDeepEqual(Array.from(a.dataSync()), Array.from(c.dataSync()));
    assert.ok(Array.from(a.dataSync()).every((v) => v >= -1 && v <= 1));
    tf.dispose([a, b, c]);
  }
  net.dispose();
});

Deno.test("sample: no tensor is left behind per step; onStep sees every step", async () => {
  const net = new Denoiser(SMALL);
  const first = await sample(net, [5], { steps: 3 });
  first.dispose();
  const before = tf.memory().numTensors;
  const seen: number[] = [];
  const x = await sample(net, [5, 6], { steps: 6, onStep: (i) => void seen.push(i) });
  assert.equal(tf.memory().numTensors, before + 1, "only the result");
  const y = await sample(net, [5, 6], { sampler: "ddpm", guidance: 3 });
  assert.equal(tf.memory().numTensors, before + 2);
  assert.deepEqual(seen, [0, 1, 2, 3, 4, 5]);
  tf.dispose([x, y]);
  net.dispose();
});

Deno.test("sample: start from noisy images at step t (fewer steps, the images given, not new noise)", async () => {
  const net = new Denoiser(SMALL);
  const s = net.schedule;
  assert.deepEqual(ddimTimesteps(s, 3, 10), [10, 5, 0]);
  const x = tf.randomNormal([2, 8, 8, 1], 0, 1, "float32", 5) as tf.Tensor4D;
  const seen: number[] = [];
  const a = await sample(net, [1, 2], { start: { x, t: 10 }, steps: 3, seed: 1, onStep: (i) => void seen.push(i) });
  const b = await sample(net, [1, 2], { start: { x, t: 10 }, steps: 3, seed: 99 });
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(Array.from(a.dataSync()), Array.from(b.dataSync()), "DDIM from given images draws no noise");
  const c = await sample(net, [1, 2], { start: { x, t: 4 }, sampler: "ddpm" });
  assert.deepEqual(c.shape, [2, 8, 8, 1]);
  await assert.rejects(() => sample(net, [1, 2], { start: { x, t: 10 }, steps: 12 }), {
    message:
      "Cannot sample with DDIM as steps must be an integer from 1 to 11 (the start step 10 + 1): current value is 12",
  });
  await assert.rejects(() => sample(net, [1], { start: { x, t: 10 } }), { message: /start.x must be \[1, 8, 8, 1\]/ });
  await assert.rejects(() => sample(net, [1, 2], { start: { x, t: 20 } }), {
    message: /from 0 to 19: current value at 0 is 20/,
  });
  tf.dispose([x, a, b, c]);
  net.dispose();
});

Deno.test("guidedNoise: w = 0 is the unconditional prediction, w = 1 the conditional, and it mixes linearly", () => {
  const net = new Denoiser(SMALL);
  const x = tf.randomNormal([2, 8, 8, 1], 0, 1, "float32", 4) as tf.Tensor4D;
  const cond = net.predictNoise(x, [7, 7], [3, 8]);
  const uncond = net.predictNoise(x, [7, 7], [NULL_CLASS, NULL_CLASS]);
  const close = (a: tf.Tensor, b: tf.Tensor) => {
    const d = tf.max(tf.abs(tf.sub(a, b)));
    const v = d.dataSync()[0];
    d.dispose();
    return v < 1e-5;
  };
  const g0 = guidedNoise(net, x, 7, [3, 8], 0), g1 = guidedNoise(net, x, 7, [3, 8], 1);
  const g3 = guidedNoise(net, x, 7, [3, 8], 3);
  const want3 = tf.add(uncond, tf.mul(tf.sub(cond, uncond), 3));
  assert.ok(close(g0, uncond) && close(g1, cond) && close(g3, want3));
  tf.dispose([x, cond, uncond, g0, g1, g3, want3]);
  net.dispose();
});

Deno.test("reverseStep: with the true noise, DDIM recovers x_0 exactly; DDPM's mean is Algorithm 2's", () => {
  const s = new NoiseSchedule(linearSchedule(50));
  const x0 = tf.tensor2d([[0.5, -0.25, 0.9]]), eps = tf.tensor2d([[0.3, -1.2, 0.8]]);
  const t = 30, xt = s.addNoise(x0, [t], eps);
  const ddim = reverseStep(s, xt, eps, t, -1);
  assert.deepEqual(Array.from(ddim.x.dataSync(), (v) => v.toFixed(5)), ["0.50000", "-0.25000", "0.90000"]);
  const z = tf.zeros([1, 3]);
  const ddpm = reverseStep(s, xt, eps, t, t - 1, z);
  const mean = tf.tidy(() =>
    tf.div(tf.sub(xt, tf.mul(eps, s.beta[t] / Math.sqrt(1 - s.alphaBar[t]))), Math.sqrt(s.alpha[t]))
  );
  assert.deepEqual(
    Array.from(ddpm.x.dataSync(), (v) => v.toFixed(5)),
    Array.from(mean.dataSync(), (v) => v.toFixed(5)),
  );
  tf.dispose([x0, eps, xt, ddim.x, ddim.x0, z, ddpm.x, ddpm.x0, mean]);
});

Deno.test("ddimTimesteps and sample: bad step counts, labels and guidance get clear errors", async () => {
  const s = new NoiseSchedule(linearSchedule(20));
  assert.deepEqual(ddimTimesteps(s, 1), [19]);
  assert.deepEqual(ddimTimesteps(s, 20), Array.from({ length: 20 }, (_, i) => 19 - i));
  assert.throws(() => ddimTimesteps(s, 0), {
    message: "Cannot sample with DDIM as steps must be an integer from 1 to 20 (the schedule's T): current value is 0",
  });
  const net = new Denoiser(SMALL);
  await assert.rejects(() => sample(net, [3], { steps: 21 }), { message: /steps must be an integer from 1 to 20/ });
  await assert.rejects(() => sample(net, [3], { steps: 2.5 }), { message: /current value is 2.5/ });
  await assert.rejects(() => sample(net, [3, 12]), {
    message: "Cannot sample digits as every digit must be an integer from 0 to 9 (or 10 for no digit): " +
      "current value at 1 is 12",
  });
  await assert.rejects(() => sample(net, [3, 1.5]), { message: /current value at 1 is 1.5/ });
  await assert.rejects(() => sample(net, []), { message: /labels is empty/ });
  await assert.rejects(() => sample(net, [3], { guidance: -1 }), { message: /guidance must be a number ≥ 0/ });
  await assert.rejects(() => sample(net, [3], { sampler: "euler" as "ddim" }), { message: /"ddim" or "ddpm"/ });
  net.dispose();
});
