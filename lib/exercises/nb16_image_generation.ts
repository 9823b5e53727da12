/**
 * The exercises of notebook 16 · Image generation: the noising closed form, one DDPM reverse step, and the
 * classifier-free guidance mix. Each reference is lib/diffusion's own code (`NoiseSchedule.addNoise`,
 * `reverseStep`, the mix inside `guidedNoise`).
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { Prng } from "../core/random.ts";
import { reverseStep } from "../diffusion/sample.ts";
import { linearSchedule, NoiseSchedule } from "../diffusion/schedule.ts";
import type { CaseExercise } from "./check.ts";

type Noisy = (x0: number[], eps: number[], t: number, alphaBar: number[]) => number[];
type DdpmStep = (xt: number[], epsHat: number[], t: number, beta: number[], z: number[]) => number[];
type Guide = (epsCond: number[], epsUncond: number[], w: number) => number[];

/** The notebook's schedule (T = 200), whose arrays the cases pass. */
const SCHEDULE = new NoiseSchedule(linearSchedule(200));
const ALPHA_BAR = Array.from(SCHEDULE.alphaBar);
const BETA = Array.from(SCHEDULE.beta);

function vector(n: number, prng: Prng, lo = -0.9, hi = 0.9): number[] {
  return Array.from({ length: n }, () => Number(prng.uniform(lo, hi).toFixed(3)));
}

function viaTensors(f: () => tf.Tensor): number[] {
  const out = f();
  const values = Array.from(out.dataSync());
  out.dispose();
  return values;
}

function referenceNoisy(x0: number[], eps: number[], t: number, alphaBar: number[]): number[] {
  const schedule = alphaBar === ALPHA_BAR || alphaBar.every((v, i) => v === ALPHA_BAR[i]) ? SCHEDULE : undefined;
  if (schedule) {
    return viaTensors(() => tf.tidy(() => schedule.addNoise(tf.tensor2d([x0]), [t], tf.tensor2d([eps]))));
  }
  return x0.map((x, i) => Math.sqrt(alphaBar[t]) * x + Math.sqrt(1 - alphaBar[t]) * eps[i]);
}

const NOISY_CASES = (() => {
  const prng = new Prng(16);
  return [0, 10, 100, 199, 57].map((t) => ({
    args: [vector(6, prng), vector(6, prng, -2, 2), t, ALPHA_BAR] as Parameters<Noisy>,
    label: `noisy(x0, eps, ${t}, alphaBar)`,
  }));
})();

/**
 * The learner writes `noisy(x0, eps, t, alphaBar)`: the image at step t in one jump, `√ᾱ_t·x0 + √(1-ᾱ_t)·ε`, for
 * images given as plain arrays of pixels.
 */
export const NOISING: CaseExercise<Noisy> = Object.freeze<CaseExercise<Noisy>>({
  id: "16-noising",
  name: "noisy",
  reference: referenceNoisy,
  cases: NOISY_CASES,
  tolerance: 1e-5,
  diagnose: (got, _expected, [x0, eps, t, alphaBar]) => {
    if (!Array.isArray(got) || got.length !== x0.length) return undefined;
    const close = (want: number[]) => want.every((v, i) => Math.abs(v - (got[i] as number)) < 1e-5);
    const a = alphaBar[t];
    if (close(x0.map((x, i) => a * x + (1 - a) * eps[i]))) return "no-sqrt";
    if (close(x0.map((x, i) => Math.sqrt(1 - a) * x + Math.sqrt(a) * eps[i]))) return "swapped";
    return undefined;
  },
});

function referenceDdpmStep(xt: number[], epsHat: number[], t: number, _beta: number[], z: number[]): number[] {
  return viaTensors(() =>
    tf.tidy(() => {
      const out = reverseStep(
        SCHEDULE,
        tf.tensor2d([xt]),
        tf.tensor2d([epsHat]),
        t,
        t - 1,
        t > 0 ? tf.tensor2d([z]) : undefined,
      );
      out.x0.dispose();
      return out.x;
    })
  );
}

/** Cases whose clean estimate stays inside [-1, 1], where lib/diffusion's clipping changes nothing. */
const DDPM_CASES = (() => {
  const prng = new Prng(61);
  return [150, 40, 5, 1, 0, 199].map((t) => {
    const x0 = vector(5, prng, -0.8, 0.8), eps = vector(5, prng, -1.5, 1.5), z = vector(5, prng, -1.5, 1.5);
    const ab = ALPHA_BAR[t];
    const xt = x0.map((x, i) => Number((Math.sqrt(ab) * x + Math.sqrt(1 - ab) * eps[i]).toFixed(6)));
    return { args: [xt, eps, t, BETA, z] as Parameters<DdpmStep>, label: `ddpmStep(xt, epsHat, ${t}, beta, z)` };
  });
})();

/**
 * The learner writes `ddpmStep(xt, epsHat, t, beta, z)`: one step of DDPM's sampler from step t to step t-1,
 * `(x_t - β_t/√(1-ᾱ_t)·ε̂)/√α_t + σ_t·z` with `σ_t² = β_t(1-ᾱ_{t-1})/(1-ᾱ_t)`, and no noise at t = 0.
 */
export const DDPM_STEP: CaseExercise<DdpmStep> = Object.freeze<CaseExercise<DdpmStep>>({
  id: "16-ddpm-step",
  name: "ddpmStep",
  reference: referenceDdpmStep,
  cases: DDPM_CASES,
  tolerance: 1e-4,
  diagnose: (got, _expected, [xt, eps, t, beta, z]) => {
    if (!Array.isArray(got) || got.length !== xt.length) return undefined;
    let ab = 1;
    for (let s = 0; s <= t; s++) ab *= 1 - beta[s];
    const mean = xt.map((x, i) => (x - beta[t] / Math.sqrt(1 - ab) * eps[i]) / Math.sqrt(1 - beta[t]));
    const close = (want: number[]) => want.every((v, i) => Math.abs(v - (got[i] as number)) < 1e-4);
    if (t === 0 && close(mean.map((m, i) => m + Math.sqrt(beta[0]) * z[i]))) return "noise-at-zero";
    if (t > 0 && close(mean.map((m, i) => m + Math.sqrt(beta[t]) * z[i]))) return "sigma-beta";
    if (t > 0 && close(mean)) return "no-noise";
    return undefined;
  },
});

const GUIDE_CASES = (() => {
  const prng = new Prng(7);
  return [0, 1, 3, 2.5, 7].map((w) => ({
    args: [vector(4, prng, -2, 2), vector(4, prng, -2, 2), w] as Parameters<Guide>,
    label: `guide(epsCond, epsUncond, ${w})`,
  }));
})();

/** The learner writes `guide(epsCond, epsUncond, w)`: `ε̂_∅ + w·(ε̂_c - ε̂_∅)`, pixel by pixel. */
export const GUIDANCE: CaseExercise<Guide> = Object.freeze<CaseExercise<Guide>>({
  id: "16-guidance",
  name: "guide",
  reference: (c: number[], u: number[], w: number) => c.map((v, i) => u[i] + w * (v - u[i])),
  cases: GUIDE_CASES,
  tolerance: 1e-9,
  diagnose: (got, _expected, [c, u, w]) => {
    if (!Array.isArray(got) || got.length !== c.length) return undefined;
    const close = (want: number[]) => want.every((v, i) => Math.abs(v - (got[i] as number)) < 1e-9);
    if (close(c.map((v, i) => v + w * (u[i] - v)))) return "swapped";
    if (close(c.map((v, i) => u[i] + w * v))) return "no-difference";
    return undefined;
  },
});
