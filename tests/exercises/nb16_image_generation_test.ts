import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { DDPM_STEP, GUIDANCE, NOISING } from "@lib/exercises/nb16_image_generation.ts";
import { linearSchedule, NoiseSchedule } from "@lib/diffusion/schedule.ts";

const quiet = { log: () => {} };

Deno.test("16-noising: the reference is NoiseSchedule.addNoise; the closed form by hand passes", async () => {
  const s = new NoiseSchedule(linearSchedule(200));
  const ab = Array.from(s.alphaBar);
  const x0 = [0.5, -0.5], eps = [1, 2];
  const lib = s.addNoise(tf.tensor2d([x0]), [40], tf.tensor2d([eps]));
  assert.deepEqual(
    NOISING.reference(x0, eps, 40, ab).map((v) => v.toFixed(5)),
    Array.from(lib.dataSync(), (v) => v.toFixed(5)),
  );
  lib.dispose();
  const byHand = (x: number[], e: number[], t: number, a: number[]) =>
    x.map((v, i) => Math.sqrt(a[t]) * v + Math.sqrt(1 - a[t]) * e[i]);
  assert.equal((await runCheck(NOISING, byHand, quiet)).passed, true);
});

Deno.test("16-noising: no square roots and swapped factors get their own hints", async () => {
  const hint = async (f: (x: number[], e: number[], t: number, a: number[]) => unknown) =>
    (await runCheck(NOISING, f, quiet)).text();
  assert.match(await hint((x, e, t, a) => x.map((v, i) => a[t] * v + (1 - a[t]) * e[i])), /square roots/);
  assert.match(
    await hint((x, e, t, a) => x.map((v, i) => Math.sqrt(1 - a[t]) * v + Math.sqrt(a[t]) * e[i])),
    /wrong way round/,
  );
});

Deno.test("16-ddpm-step: Algorithm 2 by hand passes; σ = √β, no noise and noise at t = 0 get hints", async () => {
  const step =
    (sigmaOf: (b: number[], t: number, ab: number, abPrev: number) => number, noiseAtZero = false) =>
    (xt: number[], eps: number[], t: number, beta: number[], z: number[]) => {
      let ab = 1;
      for (let s = 0; s <= t; s++) ab *= 1 - beta[s];
      const abPrev = ab / (1 - beta[t]);
      const sigma = t > 0 || noiseAtZero ? sigmaOf(beta, t, ab, abPrev) : 0;
      return xt.map((x, i) => (x - beta[t] / Math.sqrt(1 - ab) * eps[i]) / Math.sqrt(1 - beta[t]) + sigma * z[i]);
    };
  const posterior = (b: number[], t: number, ab: number, abPrev: number) => Math.sqrt(b[t] * (1 - abPrev) / (1 - ab));
  assert.equal((await runCheck(DDPM_STEP, step(posterior), quiet)).passed, true);
  const hint = async (f: (...a: Parameters<typeof DDPM_STEP.reference>) => unknown) =>
    (await runCheck(DDPM_STEP, f, quiet)).text();
  assert.match(await hint(step((b, t) => Math.sqrt(b[t]))), /one of the paper's two choices/);
  assert.match(await hint(step(() => 0)), /DDPM samples/);
  // posterior σ for t > 0 but √β_0 of noise at the last step
  const noisyEnd = step((b, t, ab, abPrev) => t === 0 ? Math.sqrt(b[0]) : posterior(b, t, ab, abPrev), true);
  assert.match(await hint(noisyEnd), /At t = 0 the step lands on the clean image/);
});

Deno.test("16-guidance: the mix by hand passes; the mix reversed and w times epsCond get hints", async () => {
  const byHand = (c: number[], u: number[], w: number) => c.map((v, i) => (1 - w) * u[i] + w * v);
  assert.equal((await runCheck(GUIDANCE, byHand, quiet)).passed, true);
  const hint = async (f: (c: number[], u: number[], w: number) => unknown) =>
    (await runCheck(GUIDANCE, f, quiet)).text();
  assert.match(await hint((c, u, w) => c.map((v, i) => v + w * (u[i] - v))), /start from epsUncond/);
  assert.match(await hint((c, u, w) => c.map((v, i) => u[i] + w * v)), /not by epsCond alone/);
});
