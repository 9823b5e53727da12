/**
 * The DDPM noise schedule (Ho, Jain and Abbeel 2020, "Denoising Diffusion Probabilistic Models", arXiv:2006.11239):
 * a variance `β_t` added at each of `T` steps of the forward (noising) process
 *
 * ```
 * q(x_t | x_{t-1}) = N(√(1-β_t) · x_{t-1}, β_t · I)
 * ```
 *
 * and its closed form, which jumps from a clean image straight to step t:
 *
 * ```
 * ᾱ_t = ∏_{s ≤ t} (1 - β_s)        q(x_t | x_0) = N(√ᾱ_t · x_0, (1 - ᾱ_t) · I)
 * x_t = √ᾱ_t · x_0 + √(1 - ᾱ_t) · ε,   ε ~ N(0, I)
 * ```
 *
 * Steps are numbered 0..T-1 here (the paper's 1..T): step 0 adds the first, smallest noise.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** How the per-step variances β run from `betaStart` to `betaEnd`. */
export interface ScheduleConfig {
  /** Number of noising steps T. */
  steps: number;
  /** β of the first step. */
  betaStart: number;
  /** β of the last step. */
  betaEnd: number;
}

/**
 * The paper's schedule scaled to `steps`: β linear from 1e-4·(1000/T) to 0.02·(1000/T), so that T = 1000 is the
 * paper's and a shorter chain noises as much overall.
 *
 * @param steps T (default 1000).
 * @returns The configuration.
 * @throws {RangeError} When `steps` is not an integer from 10 to 10 000.
 * @example
 * ```ts
 * import { linearSchedule } from "@lib/diffusion/schedule.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(linearSchedule(1000), { steps: 1000, betaStart: 1e-4, betaEnd: 0.02 });
 * ```
 */
export function linearSchedule(steps = 1000): ScheduleConfig {
  checkSteps(steps, "make a noise schedule");
  const scale = 1000 / steps;
  return { steps, betaStart: 1e-4 * scale, betaEnd: Math.min(0.02 * scale, 0.999) };
}

function checkSteps(steps: number, action: string): void {
  if (!Number.isInteger(steps) || steps < 10 || steps > 10_000) {
    throw new RangeError(`Cannot ${action} as steps must be an integer from 10 to 10000: current value is ${steps}`);
  }
}

/**
 * A DDPM schedule: β_t, α_t = 1 - β_t and ᾱ_t for t = 0..T-1, with the forward process in closed form
 * ({@link NoiseSchedule.addNoise}) and step by step ({@link NoiseSchedule.noiseStep}).
 *
 * @example
 * ```ts
 * import { NoiseSchedule, linearSchedule } from "@lib/diffusion/schedule.ts";
 * import assert from "node:assert/strict";
 * const s = new NoiseSchedule(linearSchedule(200));
 * assert.equal(s.steps, 200);
 * assert.ok(s.alphaBar[0] > 0.99 && s.alphaBar[199] < 1e-3); // nearly clean after step 0, nearly pure noise at the end
 * assert.ok(Math.abs(s.alphaBar[1] - s.alpha[0] * s.alpha[1]) < 1e-12);
 * ```
 */
export class NoiseSchedule {
  /** The configuration it was built from. */
  readonly config: Readonly<ScheduleConfig>;
  /** β_t, the variance added at step t. */
  readonly beta: Float64Array;
  /** α_t = 1 - β_t. */
  readonly alpha: Float64Array;
  /** ᾱ_t = α_0 · … · α_t: how much of the clean image is left after step t. */
  readonly alphaBar: Float64Array;

  /**
   * @param config Steps and the β range (e.g. {@link linearSchedule}).
   * @throws {RangeError} When `steps` is not an integer from 10 to 10 000 or the βs are not in (0, 1) with
   *   betaStart ≤ betaEnd.
   */
  constructor(config: ScheduleConfig) {
    const { steps, betaStart, betaEnd } = config;
    checkSteps(steps, "make a noise schedule");
    if (!(betaStart > 0 && betaEnd < 1 && betaStart <= betaEnd)) {
      throw new RangeError(
        `Cannot make a noise schedule as betas must satisfy 0 < betaStart ≤ betaEnd < 1: current values are ` +
          `${betaStart} and ${betaEnd}`,
      );
    }
    this.config = Object.freeze({ steps, betaStart, betaEnd });
    this.beta = new Float64Array(steps);
    this.alpha = new Float64Array(steps);
    this.alphaBar = new Float64Array(steps);
    let bar = 1;
    for (let t = 0; t < steps; t++) {
      this.beta[t] = betaStart + (betaEnd - betaStart) * (steps === 1 ? 0 : t / (steps - 1));
      this.alpha[t] = 1 - this.beta[t];
      bar *= this.alpha[t];
      this.alphaBar[t] = bar;
    }
  }

  /** Number of steps T. */
  get steps(): number {
    return this.config.steps;
  }

  /**
   * Checks that every step is an integer in 0..T-1.
   * @throws {RangeError} Naming the first bad step.
   */
  checkTimesteps(t: ArrayLike<number>, action: string): void {
    for (let i = 0; i < t.length; i++) {
      if (!Number.isInteger(t[i]) || t[i] < 0 || t[i] >= this.steps) {
        throw new RangeError(
          `Cannot ${action} as every timestep must be an integer from 0 to ${this.steps - 1}: ` +
            `current value at ${i} is ${t[i]}`,
        );
      }
    }
  }

  /**
   * The closed form: `x_t = √ᾱ_t · x_0 + √(1-ᾱ_t) · ε`, one timestep per image.
   *
   * @param x0 Clean images `[B, …]`.
   * @param t `[B]` timesteps 0..T-1.
   * @param noise ε, the shape of `x0`.
   * @returns `x_t` (the caller disposes it).
   * @throws {RangeError} When a timestep is out of range or there is not one per image.
   * @example
   * ```ts
   * import { NoiseSchedule, linearSchedule } from "@lib/diffusion/schedule.ts";
   * import { tf } from "@lib/core/mod.ts";
   * import assert from "node:assert/strict";
   * const s = new NoiseSchedule(linearSchedule(100));
   * const xt = s.addNoise(tf.ones([2, 3]), [0, 99], tf.zeros([2, 3]));
   * const v = xt.arraySync() as number[][];
   * assert.ok(Math.abs(v[0][0] - Math.sqrt(s.alphaBar[0])) < 1e-6);
   * assert.ok(Math.abs(v[1][0] - Math.sqrt(s.alphaBar[99])) < 1e-6);
   * ```
   */
  addNoise(x0: tf.Tensor, t: ArrayLike<number>, noise: tf.Tensor): tf.Tensor {
    if (t.length !== x0.shape[0]) {
      throw new RangeError(
        `Cannot add noise as there must be one timestep per image: current counts are ${t.length} timesteps, ` +
          `${x0.shape[0]} images`,
      );
    }
    this.checkTimesteps(t, "add noise");
    return tf.tidy(() => {
      const shape = [t.length, ...x0.shape.slice(1).map(() => 1)];
      const a = tf.tensor(Array.from(t, (s) => Math.sqrt(this.alphaBar[s])), shape);
      const b = tf.tensor(Array.from(t, (s) => Math.sqrt(1 - this.alphaBar[s])), shape);
      return tf.add(tf.mul(a, x0), tf.mul(b, noise));
    });
  }

  /**
   * One step of the forward process: `x_{t} = √α_t · x_{t-1} + √β_t · ε` (what {@link addNoise} jumps over).
   *
   * @param x The images after step t-1 (the clean images for t = 0).
   * @param t The step, 0..T-1.
   * @param noise ε, the shape of `x`.
   * @returns The images after step t.
   * @throws {RangeError} When t is out of range.
   */
  noiseStep(x: tf.Tensor, t: number, noise: tf.Tensor): tf.Tensor {
    this.checkTimesteps([t], "take a noising step");
    return tf.tidy(() => tf.add(tf.mul(x, Math.sqrt(this.alpha[t])), tf.mul(noise, Math.sqrt(this.beta[t]))));
  }

  /**
   * `count` timesteps drawn uniformly from 0..T-1.
   * @param count How many.
   * @param seed Seed or generator.
   */
  sampleTimesteps(count: number, seed: number | Prng): number[] {
    checkPositiveInteger(count, "count", "draw timesteps");
    const prng = toPrng(seed);
    return Array.from({ length: count }, () => prng.int(this.steps));
  }
}
