/**
 * Drawing digits from a trained {@link Denoiser}: DDPM's ancestral sampler (every one of the T steps, with fresh
 * noise each step; Ho et al. 2020) and DDIM's deterministic few-step sampler (Song, Meng and Ermon 2021, "Denoising
 * Diffusion Implicit Models", arXiv:2010.02502), both with classifier-free guidance (Ho and Salimans 2022,
 * arXiv:2207.12598): at each step the network is run once on a batch holding every image twice, once with its digit
 * and once with the "no digit" label, and the two noise predictions are mixed
 *
 * ```
 * ε̃ = ε̂(x_t, t, ∅) + w · (ε̂(x_t, t, c) - ε̂(x_t, t, ∅))      (w = 1: plain conditional; w = 0: unconditional)
 * ```
 *
 * From ε̃ both samplers first estimate the clean image `x̂_0 = (x_t - √(1-ᾱ_t) ε̃) / √ᾱ_t`, clipped to [-1, 1]. DDPM
 * then draws `x_{t-1}` from the posterior `q(x_{t-1} | x_t, x̂_0)`; DDIM (η = 0) jumps to an earlier step s with no
 * new noise: `x_s = √ᾱ_s x̂_0 + √(1-ᾱ_s) ε̃`.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { checkLabels, type Denoiser, NULL_CLASS } from "./denoiser.ts";
import type { NoiseSchedule } from "./schedule.ts";

/** Options of {@link sample}. */
export interface SampleOptions {
  /** `"ddim"` (default) or `"ddpm"` (every one of the T steps). */
  sampler?: "ddim" | "ddpm";
  /** DDIM only: number of denoising steps, 1..T (default 25, or fewer when `start` is close to the end). */
  steps?: number;
  /** Guidance strength w ≥ 0 (default 2; 1 = no guidance, 0 = unconditional). */
  guidance?: number;
  /** Seed or generator of the starting noise (and DDPM's noise). Default 1337. */
  seed?: number | Prng;
  /**
   * Start from these images noised to step `t` instead of from pure noise (the notebook's "bring a noisy 7 back"):
   * `x` `[n, S, S, 1]` are the noisy images `x_t` themselves, one per label.
   */
  start?: { x: tf.Tensor4D; t: number };
  /** Images per network call (each runs twice for guidance). Default 256. */
  batch?: number;
  /**
   * Called after every step (of each batch) with the step number, the current estimate of the clean images and the
   * images after the step, both `[B, S, S, 1]` (freed after the call: copy what you keep).
   */
  onStep?: (step: number, x0: tf.Tensor4D, x: tf.Tensor4D) => unknown;
}

/**
 * The timesteps a DDIM run visits, from T-1 down to 0, evenly spaced.
 *
 * @param schedule The noise schedule.
 * @param steps How many, 1..from + 1.
 * @param from The first timestep (default T - 1, pure noise).
 * @returns Decreasing timesteps, from `from` to 0.
 * @throws {RangeError} When `from` is not a timestep or `steps` is not an integer in 1..from + 1.
 * @example
 * ```ts
 * import { ddimTimesteps } from "@lib/diffusion/sample.ts";
 * import { NoiseSchedule, linearSchedule } from "@lib/diffusion/schedule.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(ddimTimesteps(new NoiseSchedule(linearSchedule(100)), 4), [99, 66, 33, 0]);
 * ```
 */
export function ddimTimesteps(schedule: NoiseSchedule, steps: number, from: number = schedule.steps - 1): number[] {
  const T = schedule.steps;
  schedule.checkTimesteps([from], "sample with DDIM");
  if (!Number.isInteger(steps) || steps < 1 || steps > from + 1) {
    throw new RangeError(
      `Cannot sample with DDIM as steps must be an integer from 1 to ${from + 1} (${
        from === T - 1 ? "the schedule's T" : `the start step ${from} + 1`
      }): current value is ${steps}`,
    );
  }
  if (steps === 1) return [from];
  return Array.from({ length: steps }, (_, i) => Math.round(from * (1 - i / (steps - 1))));
}

/**
 * Classifier-free guided noise: one network call on `[x; x]` with labels `[c; ∅]`, then
 * `ε̂_∅ + w (ε̂_c - ε̂_∅)`. With w = 1 the unconditional half is skipped.
 *
 * @param model The denoiser.
 * @param xt `[B, S, S, 1]` noisy images.
 * @param t The timestep of all of them.
 * @param labels `[B]` digits.
 * @param guidance w.
 * @returns `[B, S, S, 1]` guided noise.
 */
export function guidedNoise(
  model: Denoiser,
  xt: tf.Tensor4D,
  t: number,
  labels: readonly number[],
  guidance: number,
): tf.Tensor4D {
  const b = labels.length;
  if (guidance === 1) return model.predictNoise(xt, new Array(b).fill(t), labels);
  return tf.tidy(() => {
    const both = model.predictNoise(
      tf.concat([xt, xt], 0),
      new Array(2 * b).fill(t),
      [...labels, ...new Array(b).fill(NULL_CLASS)],
    ); // [2B, S, S, 1]: conditional, then unconditional
    const [cond, uncond] = tf.split(both, 2, 0);
    return tf.add(uncond, tf.mul(tf.sub(cond, uncond), guidance)) as tf.Tensor4D;
  });
}

/**
 * One reverse step from timestep t, given the guided noise: returns `{x, x0}` with `x` the images at the next
 * timestep (`next` for DDIM, t-1 for DDPM; -1 means the end: `x` is the clean estimate) and `x0` the clipped clean
 * estimate.
 *
 * @param schedule The noise schedule.
 * @param xt `x_t`.
 * @param eps The (guided) predicted noise.
 * @param t The current timestep.
 * @param next DDIM: the timestep to jump to (-1 at the end); DDPM: ignored (t-1).
 * @param noise DDPM only: fresh ε for the posterior draw; undefined for DDIM (and for DDPM's last step, t = 0).
 * @returns Both tensors (the caller disposes them).
 */
export function reverseStep(
  schedule: NoiseSchedule,
  xt: tf.Tensor,
  eps: tf.Tensor,
  t: number,
  next: number,
  noise?: tf.Tensor,
): { x: tf.Tensor; x0: tf.Tensor } {
  return tf.tidy(() => {
    const ab = schedule.alphaBar[t];
    const x0 = tf.clipByValue(tf.div(tf.sub(xt, tf.mul(eps, Math.sqrt(1 - ab))), Math.sqrt(ab)), -1, 1);
    if (noise === undefined) { // DDIM, η = 0
      if (next < 0) return { x: x0.clone(), x0 };
      const abNext = schedule.alphaBar[next];
      // recompute ε from the clipped x̂_0 so that x_s stays consistent with it
      const e = tf.div(tf.sub(xt, tf.mul(x0, Math.sqrt(ab))), Math.sqrt(1 - ab));
      return { x: tf.add(tf.mul(x0, Math.sqrt(abNext)), tf.mul(e, Math.sqrt(1 - abNext))), x0 };
    }
    if (t === 0) return { x: x0.clone(), x0 };
    const abPrev = schedule.alphaBar[t - 1], beta = schedule.beta[t];
    const c0 = Math.sqrt(abPrev) * beta / (1 - ab); // posterior mean = c0·x̂_0 + ct·x_t
    const ct = Math.sqrt(schedule.alpha[t]) * (1 - abPrev) / (1 - ab);
    const sigma = Math.sqrt(beta * (1 - abPrev) / (1 - ab));
    return { x: tf.add(tf.add(tf.mul(x0, c0), tf.mul(xt, ct)), tf.mul(noise, sigma)), x0 };
  });
}

/**
 * Draws one image per requested digit.
 *
 * @param model A trained denoiser.
 * @param labels The digit of each image, 0..9 (10 = any digit, unconditional).
 * @param options Sampler, steps, guidance, seed, batch size, a callback per step.
 * @returns `[n, S, S, 1]` images in [-1, 1] (the caller disposes it).
 * @throws {RangeError} When a label is not 0..10, DDIM's steps are not in 1..T (1..start.t + 1), guidance is
 *   negative, or `start.x` does not hold one image per label.
 * @example
 * ```ts
 * import { Denoiser } from "@lib/diffusion/denoiser.ts";
 * import { sample } from "@lib/diffusion/sample.ts";
 * import assert from "node:assert/strict";
 * const net = new Denoiser({ size: 8, channels: [4, 8], embed: 8, steps: 20 });
 * const a = await sample(net, [3, 7], { steps: 5, seed: 1 });
 * const b = await sample(net, [3, 7], { steps: 5, seed: 1 });
 * assert.deepEqual(a.shape, [2, 8, 8, 1]);
 * assert.deepEqual(a.dataSync(), b.dataSync()); // same seed, same digits
 * a.dispose(), b.dispose(), net.dispose();
 * ```
 */
export async function sample(
  model: Denoiser,
  labels: readonly number[],
  options: SampleOptions = {},
): Promise<tf.Tensor4D> {
  const { sampler = "ddim", guidance = 2, batch = 256, onStep } = options;
  checkLabels(labels, "sample digits");
  if (labels.length === 0) throw new RangeError("Cannot sample digits as labels is empty: ask for at least one digit");
  if (!(guidance >= 0) || !Number.isFinite(guidance)) {
    throw new RangeError(`Cannot sample digits as guidance must be a number ≥ 0: current value is ${guidance}`);
  }
  if (sampler !== "ddim" && sampler !== "ddpm") {
    throw new RangeError(`Cannot sample digits as sampler must be "ddim" or "ddpm": current value is "${sampler}"`);
  }
  checkPositiveInteger(batch, "batch", "sample digits");
  const schedule = model.schedule, size = model.config.size, init = options.start;
  const from = init?.t ?? schedule.steps - 1;
  const steps = options.steps ?? Math.min(25, from + 1);
  if (init && (init.x.rank !== 4 || init.x.shape[0] !== labels.length || init.x.shape[1] !== size)) {
    throw new RangeError(
      `Cannot sample digits as start.x must be [${labels.length}, ${size}, ${size}, 1], one image per label: ` +
        `current shape is [${init.x.shape}]`,
    );
  }
  const times = sampler === "ddim"
    ? ddimTimesteps(schedule, steps, from)
    : (schedule.checkTimesteps([from], "sample digits"), Array.from({ length: from + 1 }, (_, i) => from - i));
  const prng = toPrng(options.seed ?? SEED);
  const parts: tf.Tensor4D[] = [];
  for (let start = 0; start < labels.length; start += batch) {
    const chunk = labels.slice(start, start + batch);
    let x = init
      ? tf.slice(init.x, [start, 0, 0, 0], [chunk.length, size, size, 1])
      : tf.randomNormal([chunk.length, size, size, 1], 0, 1, "float32", prng.tfSeed()) as tf.Tensor4D;
    for (let i = 0; i < times.length; i++) {
      const t = times[i];
      const eps = guidedNoise(model, x, t, chunk, guidance);
      const noise = sampler === "ddpm" && t > 0 ? tf.randomNormal(x.shape, 0, 1, "float32", prng.tfSeed()) : undefined;
      const next = sampler === "ddim" ? (times[i + 1] ?? -1) : t - 1;
      const out = reverseStep(schedule, x, eps, t, next, noise); // DDPM's last step (t = 0) adds no noise
      tf.dispose([x, eps, ...(noise ? [noise] : [])]);
      x = out.x as tf.Tensor4D;
      if (onStep) await onStep(i, out.x0 as tf.Tensor4D, x);
      out.x0.dispose();
      if (i % 5 === 4) await new Promise((r) => setTimeout(r, 0)); // let the notebook draw
    }
    parts.push(x);
  }
  if (parts.length === 1) return parts[0];
  const all = tf.concat(parts, 0);
  tf.dispose(parts);
  return all;
}
