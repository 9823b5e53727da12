/**
 * The denoiser of notebook 16: a small U-Net that looks at a noisy digit `x_t`, the step t and the digit asked for,
 * and predicts the noise ε that was added (DDPM's ε-prediction). Sizes are for `size = 14`, `channels = [16, 32]` (the defaults):
 *
 * ```
 * t → sinusoid → dense → SiLU → dense ─┐
 * class (0..9, or 10 = "any digit") → embedding ─┴→ + → SiLU → cond [B, E]   (each block adds dense(cond) per channel)
 *
 * x_t [B, 14, 14, 1] → conv 3×3 → 16 → block(16) ──────────────────────────── skip ─┐
 *                    → avg pool 2 → conv → 32 → [B, 7, 7, 32] → block(32) → block(32) (middle)
 *                    → concat skip… (per level) → conv → block → upsample ×2 ←─────┘ … → conv 3×3 → ε̂ [B, 14, 14, 1]
 * ```
 *
 * A block is `x + conv(SiLU(conv(x) + dense(cond)))` followed by SiLU: a residual block without normalisation (the
 * network is small and trains with Adam without it). Class 10 is the "no class" token that label dropout trains,
 * so one network predicts both the conditional and the unconditional noise that classifier-free guidance combines
 * (Ho and Salimans 2022, arXiv:2207.12598).
 *
 * The model follows lib/nn's convention (named `params`, `forward`, `numParams`, `summary`, a display, `dispose`):
 * `forward(x0, labels, {seed})` draws the timesteps and the noise from the seed, noises `x0` in closed form and
 * returns the noise-prediction loss, so lib/nn's `train` trains it unchanged.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import {
  type ForwardOptions,
  type ForwardOutput,
  type Model,
  type ParamGroup,
  paramGroups,
  summaryBundle,
} from "../nn/model.ts";
import { Parameters } from "../nn/parameters.ts";
import { linearSchedule, NoiseSchedule } from "./schedule.ts";

/** Number of digit classes. */
export const CLASSES = 10;
/** The label meaning "no class" (unconditional), trained by label dropout. */
export const NULL_CLASS = 10;

/** Shape of a {@link Denoiser}. */
export interface DenoiserConfig {
  /** Image side in pixels (divisible by 2^(levels-1)). */
  size: number;
  /** Channels at each resolution, from the full size down (one entry per level). */
  channels: number[];
  /** Width of the time and class embedding. */
  embed: number;
  /** Noising steps T of the schedule it is trained on. */
  steps: number;
}

/**
 * The defaults: 14×14 digits, 16 and 32 channels, embedding 64, T = 200 (about 112 k parameters). Notebook 16's spike
 * found this the smallest that draws recognisable digits in a few CPU minutes (32/64 channels cost 3× the time).
 */
export const DENOISER_DEFAULTS: Readonly<DenoiserConfig> = Object.freeze({
  size: 14,
  channels: [16, 32],
  embed: 64,
  steps: 200,
});

function validate(config: DenoiserConfig): Readonly<DenoiserConfig> {
  const action = "create Denoiser";
  checkPositiveInteger(config.size, "size", action);
  checkPositiveInteger(config.embed, "embed", action);
  checkPositiveInteger(config.steps, "steps", action);
  if (!Array.isArray(config.channels) || config.channels.length < 1 || config.channels.length > 4) {
    throw new RangeError(
      `Cannot ${action} as channels must list 1 to 4 channel counts: current value is ${
        JSON.stringify(config.channels)
      }`,
    );
  }
  config.channels.forEach((c, i) => checkPositiveInteger(c, `channels[${i}]`, action));
  const div = 2 ** (config.channels.length - 1);
  if (config.size % div !== 0) {
    throw new RangeError(
      `Cannot ${action} as size must be divisible by ${div} for ${config.channels.length} levels: current value is ${config.size}`,
    );
  }
  return Object.freeze({ ...config, channels: Object.freeze([...config.channels]) as number[] });
}

/**
 * Checks class labels: integers 0..9, or 10 ({@link NULL_CLASS}) when `allowNull`.
 * @throws {RangeError} Naming the first bad label.
 */
export function checkLabels(labels: ArrayLike<number>, action: string, allowNull = true): void {
  const top = allowNull ? NULL_CLASS : CLASSES - 1;
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i];
    if (!Number.isInteger(c) || c < 0 || c > top) {
      throw new RangeError(
        `Cannot ${action} as every digit must be an integer from 0 to 9${allowNull ? " (or 10 for no digit)" : ""}: ` +
          `current value at ${i} is ${c}`,
      );
    }
  }
}

/** `[B, dim]` sinusoidal features of the timesteps (the Transformer's positional encoding, applied to t). */
export function timestepFeatures(t: ArrayLike<number>, dim: number): tf.Tensor2D {
  const half = Math.floor(dim / 2), out = new Float32Array(t.length * dim);
  for (let b = 0; b < t.length; b++) {
    for (let i = 0; i < half; i++) {
      const freq = Math.exp(-Math.log(10_000) * i / half);
      out[b * dim + i] = Math.sin(t[b] * freq);
      out[b * dim + half + i] = Math.cos(t[b] * freq);
    }
  }
  return tf.tensor2d(out, [t.length, dim]);
}

const silu = (x: tf.Tensor) => tf.mul(x, tf.sigmoid(x));

/**
 * The class-conditional noise predictor.
 *
 * @example
 * ```ts
 * import { Denoiser } from "@lib/diffusion/denoiser.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const net = new Denoiser({ size: 8, channels: [4, 8], embed: 8, steps: 20 });
 * const eps = net.predictNoise(tf.zeros([3, 8, 8, 1]), [0, 5, 19], [7, 1, 10]);
 * assert.deepEqual(eps.shape, [3, 8, 8, 1]);
 * eps.dispose();
 * net.dispose();
 * ```
 */
export class Denoiser implements Model {
  /** The validated configuration (plain JSON). */
  readonly config: Readonly<DenoiserConfig>;
  /** Trainable weights by name (`temb.*`, `class.embedding`, `in`, `enc.L.*`, `down.L`, `mid.*`, `dec.L.*`, `out`). */
  readonly params: Parameters;
  /** The noise schedule the network is trained on (T = `config.steps`, {@link linearSchedule}). */
  readonly schedule: NoiseSchedule;
  /** The losses of its training (set by lib/diffusion's `trainDenoiser` and kept in the model cache), or null. */
  history: { losses: number[]; evals: ({ iter: number } & Record<string, number>)[] } | null = null;

  /**
   * @param config Any of {@link DENOISER_DEFAULTS} to override.
   * @param seed Seed (or generator) of the initial weights.
   * @throws {RangeError} When a size or count is not a positive integer, or the size does not halve evenly.
   */
  constructor(config: Partial<DenoiserConfig> = {}, seed: number | Prng = SEED) {
    this.config = validate({ ...DENOISER_DEFAULTS, ...config });
    this.schedule = new NoiseSchedule(linearSchedule(this.config.steps));
    const { channels: ch, embed: e } = this.config;
    const prng = toPrng(seed);
    const he = (shape: number[], fanIn: number, gain = 2) =>
      tf.randomNormal(shape, 0, Math.sqrt(gain / fanIn), "float32", prng.tfSeed());
    const p = this.params = new Parameters("denoiser");
    const conv = (name: string, cin: number, cout: number, gain = 2) => {
      p.add(`${name}.weight`, he([3, 3, cin, cout], 9 * cin, gain));
      p.add(`${name}.bias`, tf.zeros([cout]));
    };
    const dense = (name: string, cin: number, cout: number) => {
      p.add(`${name}.weight`, he([cin, cout], cin, 1));
      p.add(`${name}.bias`, tf.zeros([cout]));
    };
    const block = (name: string, c: number) => {
      conv(`${name}.conv1`, c, c);
      dense(`${name}.cond`, e, c);
      conv(`${name}.conv2`, c, c, 0.5); // small: each block starts near the identity
    };
    dense("temb.dense1", e, e);
    dense("temb.dense2", e, e);
    p.add("class.embedding", tf.randomNormal([CLASSES + 1, e], 0, 1, "float32", prng.tfSeed()));
    conv("in", 1, ch[0]);
    ch.forEach((c, l) => {
      block(`enc.${l}`, c);
      if (l < ch.length - 1) conv(`down.${l}`, c, ch[l + 1]);
    });
    const deepest = ch.length - 1;
    block("mid.0", ch[deepest]);
    for (let l = deepest; l >= 0; l--) {
      conv(`dec.${l}.merge`, ch[l] + (l === deepest ? ch[l] : ch[l + 1]), ch[l]);
      block(`dec.${l}`, ch[l]);
    }
    conv("out", ch[0], 1, 0.01);
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by group. */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  #conv(x: tf.Tensor4D, name: string): tf.Tensor4D {
    const p = this.params;
    return tf.conv2d(x, p.get(`${name}.weight`)! as tf.Tensor4D, 1, "same").add(p.get(`${name}.bias`)!);
  }

  #dense(x: tf.Tensor2D, name: string): tf.Tensor2D {
    const p = this.params;
    return tf.add(tf.matMul(x, p.get(`${name}.weight`)! as tf.Tensor2D), p.get(`${name}.bias`)!);
  }

  #block(x: tf.Tensor4D, cond: tf.Tensor2D, name: string): tf.Tensor4D {
    const c = x.shape[3];
    const shift = tf.reshape(this.#dense(cond, `${name}.cond`), [-1, 1, 1, c]); // [B, 1, 1, c]
    const h = silu(tf.add(this.#conv(x, `${name}.conv1`), shift)) as tf.Tensor4D;
    return silu(tf.add(x, this.#conv(h, `${name}.conv2`))) as tf.Tensor4D;
  }

  /**
   * The predicted noise ε̂(x_t, t, class).
   *
   * @param xt Noisy images `[B, size, size, 1]`.
   * @param t `[B]` timesteps 0..T-1.
   * @param labels `[B]` digits 0..9, or 10 for "no digit" (the unconditional prediction).
   * @returns `[B, size, size, 1]` (the caller disposes it).
   * @throws {RangeError} When the images have the wrong shape, or a timestep or label is out of range or missing.
   */
  predictNoise(xt: tf.Tensor, t: ArrayLike<number>, labels: ArrayLike<number>): tf.Tensor4D {
    const { size, embed, channels: ch } = this.config;
    const [b, h, w, c] = xt.shape;
    if (xt.rank !== 4 || h !== size || w !== size || c !== 1) {
      throw new RangeError(
        `Cannot predict noise as images must be [B, ${size}, ${size}, 1]: current shape is [${xt.shape}]`,
      );
    }
    if (t.length !== b || labels.length !== b) {
      throw new RangeError(
        `Cannot predict noise as there must be one timestep and one label per image: current counts are ` +
          `${t.length} timesteps, ${labels.length} labels, ${b} images`,
      );
    }
    this.schedule.checkTimesteps(t, "predict noise");
    checkLabels(labels, "predict noise");
    return tf.tidy(() => {
      const temb = this.#dense(
        silu(this.#dense(timestepFeatures(t, embed), "temb.dense1")) as tf.Tensor2D,
        "temb.dense2",
      );
      const cemb = tf.gather(this.params.get("class.embedding")!, tf.tensor1d(Array.from(labels), "int32"));
      const cond = silu(tf.add(temb, cemb)) as tf.Tensor2D; // [B, E]
      let x = this.#conv(xt as tf.Tensor4D, "in"); // [B, S, S, c0]
      const skips: tf.Tensor4D[] = [];
      ch.forEach((_, l) => {
        x = this.#block(x, cond, `enc.${l}`);
        skips.push(x);
        if (l < ch.length - 1) x = this.#conv(tf.avgPool(x, 2, 2, "valid"), `down.${l}`); // [B, S/2, S/2, c_{l+1}]
      });
      const deepest = ch.length - 1;
      x = this.#block(x, cond, "mid.0");
      for (let l = deepest; l >= 0; l--) {
        x = silu(this.#conv(tf.concat([x, skips[l]], 3), `dec.${l}.merge`)) as tf.Tensor4D;
        x = this.#block(x, cond, `dec.${l}`);
        if (l > 0) x = upsample2(x); // [B, 2h, 2w, c_l]
      }
      return this.#conv(x, "out"); // [B, S, S, 1]
    });
  }

  /**
   * The noise-prediction loss `‖ε - ε̂(√ᾱ_t x_0 + √(1-ᾱ_t) ε, t, class)‖²` (mean over pixels), the timesteps and
   * noise drawn from `opts.seed` (lib/nn's loop passes each iteration's generator; without one, seed 1337, so an
   * evaluation is repeatable). This is what lib/nn's `train` calls.
   *
   * @param x Clean images `[B, size, size, 1]` in [-1, 1].
   * @param y `[B]` digits 0..9 or 10 (label dropout happens in the batch source).
   * @param opts `seed`: generator of the timesteps and the noise.
   * @returns `{logits: ε̂, loss}` (the caller disposes both).
   * @throws {RangeError} Without labels, or as {@link predictNoise}.
   */
  forward(x: tf.Tensor, y?: tf.Tensor, opts: ForwardOptions = {}): ForwardOutput {
    if (y === undefined) {
      throw new RangeError(
        "Cannot compute the noise-prediction loss as forward needs the labels (10 for no digit): call predictNoise " +
          "for the noise alone",
      );
    }
    const prng = toPrng(opts.seed ?? SEED);
    const labels = Array.from(y.dataSync());
    const t = this.schedule.sampleTimesteps(x.shape[0], prng);
    const noise = tf.randomNormal(x.shape, 0, 1, "float32", prng.tfSeed());
    const xt = this.schedule.addNoise(x, t, noise);
    try {
      const logits = this.predictNoise(xt, t, labels);
      const loss = tf.tidy(() => tf.mean(tf.squaredDifference(logits, noise))) as tf.Scalar;
      return { logits, loss };
    } finally {
      tf.dispose([noise, xt]);
    }
  }

  /** Shown in a notebook: the shape and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const { size, channels, embed, steps } = this.config;
    const head =
      `Denoiser (U-Net): ${size}×${size}, channels ${channels.join("/")}, embedding ${embed}, T = ${steps}: ` +
      `${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees the weights. */
  dispose(): void {
    this.params.dispose();
  }
}

/** Nearest-neighbour upsampling ×2 by broadcasting: `[B, h, w, c]` → `[B, 2h, 2w, c]`. */
export function upsample2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.tidy(() =>
    tf.reshape(tf.mul(tf.reshape(x, [b, h, 1, w, 1, c]), tf.ones([1, 1, 2, 1, 2, 1])), [b, 2 * h, 2 * w, c])
  );
}
