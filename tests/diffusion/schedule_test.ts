import assert from "node:assert/strict";
import { Prng, tf } from "@lib/core/mod.ts";
import { linearSchedule, NoiseSchedule } from "@lib/diffusion/schedule.ts";

Deno.test("NoiseSchedule: ᾱ is the running product of α, β linear between its ends", () => {
  const s = new NoiseSchedule(linearSchedule(200));
  assert.ok(Math.abs(s.beta[0] - 5e-4) < 1e-12 && Math.abs(s.beta[199] - 0.1) < 1e-12);
  let bar = 1;
  for (let t = 0; t < 200; t++) {
    bar *= 1 - s.beta[t];
    assert.ok(Math.abs(s.alphaBar[t] - bar) < 1e-12);
  }
  assert.ok(s.alphaBar[199] < 1e-4, "the last step is almost pure noise");
});

Deno.test("NoiseSchedule: the closed form has the mean and variance of iterating the forward process", () => {
  // Iterate x_t = √α_t x_{t-1} + √β_t ε from one clean image, 25 000 times, to step t; the closed form says
  // x_t ~ N(√ᾱ_t x_0, 1 - ᾱ_t) per pixel. Compare the sample mean and variance of both ways.
  const s = new NoiseSchedule(linearSchedule(50));
  const t = 30, n = 25_000, prng = new Prng(6);
  const x0 = tf.fill([n, 4], 0.8);
  let x = x0.clone();
  for (let step = 0; step <= t; step++) {
    const eps = tf.randomNormal([n, 4], 0, 1, "float32", prng.tfSeed());
    const next = s.noiseStep(x, step, eps);
    tf.dispose([x, eps]);
    x = next;
  }
  const eps = tf.randomNormal([n, 4], 0, 1, "float32", prng.tfSeed());
  const direct = s.addNoise(x0, new Array(n).fill(t), eps);
  const stats = (v: tf.Tensor) => {
    const { mean, variance } = tf.moments(v);
    const out = [mean.dataSync()[0], variance.dataSync()[0]];
    tf.dispose([mean, variance]);
    return out;
  };
  const [m1, v1] = stats(x), [m2, v2] = stats(direct);
  const mean = 0.8 * Math.sqrt(s.alphaBar[t]), variance = 1 - s.alphaBar[t];
  for (const [m, v] of [[m1, v1], [m2, v2]]) {
    assert.ok(Math.abs(m - mean) < 0.015, `mean ${m} vs ${mean}`);
    assert.ok(Math.abs(v - variance) < 0.02, `variance ${v} vs ${variance}`);
  }
  tf.dispose([x0, x, eps, direct]);
});

Deno.test("NoiseSchedule: one noising step from x_0 is the closed form at t = 0 with the same noise", () => {
  const s = new NoiseSchedule(linearSchedule(100));
  const x0 = tf.tensor2d([[0.5, -1], [1, 0]]), eps = tf.tensor2d([[1, 2], [-1, 0.5]]);
  const a = s.noiseStep(x0, 0, eps), b = s.addNoise(x0, [0, 0], eps);
  assert.deepEqual(Array.from(a.dataSync(), (v) => v.toFixed(6)), Array.from(b.dataSync(), (v) => v.toFixed(6)));
  tf.dispose([x0, eps, a, b]);
});

Deno.test("NoiseSchedule: bad steps, betas and timesteps get clear errors", () => {
  assert.throws(() => linearSchedule(5), {
    message: "Cannot make a noise schedule as steps must be an integer from 10 to 10000: current value is 5",
  });
  assert.throws(() => new NoiseSchedule({ steps: 20, betaStart: 0.1, betaEnd: 0.01 }), {
    message: /betas must satisfy 0 < betaStart ≤ betaEnd < 1: current values are 0.1 and 0.01/,
  });
  const s = new NoiseSchedule(linearSchedule(20));
  const x = tf.zeros([2, 3]);
  assert.throws(() => s.addNoise(x, [0, 20], x), {
    message: "Cannot add noise as every timestep must be an integer from 0 to 19: current value at 1 is 20",
  });
  assert.throws(() => s.addNoise(x, [0], x), { message: /one timestep per image: current counts are 1 timesteps, 2/ });
  assert.throws(() => s.noiseStep(x, 1.5, x), { message: /current value at 0 is 1.5/ });
  x.dispose();
});
