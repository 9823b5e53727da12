/**
 * Training notebook 16's denoiser on lib/nn's shared loop, and keeping it in the model cache.
 *
 * Each step draws a batch of training digits, replaces each label by "no digit" ({@link NULL_CLASS}) with
 * probability `labelDropout` (classifier-free guidance's label dropout: one network learns both the conditional and
 * the unconditional noise), and lets the loop call the denoiser's `forward`, which draws the timesteps and the noise
 * from the iteration's generator and returns the noise-prediction loss. Adam (no weight decay) with a warmup and a
 * cosine decay. A stopped cell resumes from the step it reached (keep a {@link DenoiserRun}).
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { byMode, isQuick } from "../core/mode.ts";
import { type Prng, SEED } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { assignWeights, type LoadedCheckpoint } from "../checkpoint/checkpoint.ts";
import { type CacheAdapter, cached } from "../checkpoint/model_cache.ts";
import { cosineLr } from "../nn/lr_schedule.ts";
import { AdamW } from "../nn/optim.ts";
import { type EvalRecord, type LoopState, type StepInfo, train } from "../nn/train.ts";
import { Denoiser, DENOISER_DEFAULTS, type DenoiserConfig, NULL_CLASS } from "./denoiser.ts";
import { toDiffusionPixels } from "./images.ts";

/** How notebook 16 trains its denoiser (the recipe part of the cache key). */
export interface DenoiserRecipe {
  /** Optimizer steps. */
  steps: number;
  /** Digits per step. */
  batch: number;
  /** Peak learning rate (after 100 warmup steps; cosine down to a tenth of it). */
  lr: number;
  /** Share of labels replaced by "no digit" (classifier-free guidance). */
  labelDropout: number;
  /** Seed of the first weights, the batches, the timesteps and the noise. */
  seed: number;
}

/**
 * Notebook 16's recipe in the current mode: 2000 steps at a peak learning rate of 2e-3 in full mode, 300 steps at
 * 3e-3 in quick mode (the short run needs the larger steps to draw anything better than chance); batch 64, 10% label
 * dropout.
 */
export function denoiserRecipe(): DenoiserRecipe {
  return { steps: byMode(2000, 300), batch: 64, lr: isQuick() ? 3e-3 : 2e-3, labelDropout: 0.1, seed: SEED };
}

/** What training kept: the loss of every step and the loss estimates (lib/nn's `replayChart` redraws them). */
export interface DenoiserHistory {
  losses: number[];
  evals: EvalRecord[];
}

/**
 * A training run that survives an interrupted cell: the model, its optimizer and the loop's last state.
 */
export class DenoiserRun {
  /** The network being trained (the caller owns it once training returns it). */
  readonly model: Denoiser;
  /** Adam without weight decay. */
  readonly optimizer: AdamW;
  /** The loop's state at the last checkpoint. */
  state: LoopState | undefined;

  /**
   * @param config The network's shape (default {@link DENOISER_DEFAULTS}).
   * @param seed Seed of the first weights.
   */
  constructor(config: Partial<DenoiserConfig> = {}, seed: number = SEED) {
    this.model = new Denoiser(config, seed);
    this.optimizer = new AdamW(this.model.params, { weightDecay: 0 });
  }

  /** Frees the optimizer's moments (not the model). */
  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Digits with their labels, as lib/data's `DigitSet` holds them (28×28, [0, 1]). */
export interface LabelledDigits {
  readonly images: Float32Array;
  readonly labels: readonly number[];
}

/** Options of {@link trainDenoiser} and {@link cachedDenoiser}. */
export interface TrainDenoiserOptions {
  /** The network's shape (default {@link DENOISER_DEFAULTS}); part of the cache key. */
  config?: Partial<DenoiserConfig>;
  /** Any of {@link denoiserRecipe}'s fields to override; part of the cache key. */
  recipe?: Partial<DenoiserRecipe>;
  /** The run to continue (default a new one). */
  run?: DenoiserRun;
  /** Digits whose noise-prediction loss is estimated every `evalInterval` steps, drawn as `val`. */
  val?: LabelledDigits;
  /** Steps between estimates on `val` (default 250). */
  evalInterval?: number;
  /** A live chart (lib/plot's `LiveChart`). */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Called after every step with the model (e.g. to draw a grid of samples now and then). */
  onStep?: (info: StepInfo, model: Denoiser) => unknown;
  /** The progress bar's label, or false for none (default "denoiser"). */
  progress?: boolean | string;
  /** {@link cachedDenoiser} only: the cache folder. */
  root?: string;
}

function checkRecipe(r: DenoiserRecipe): void {
  const action = "train the denoiser";
  checkPositiveInteger(r.steps, "steps", action);
  checkPositiveInteger(r.batch, "batch", action);
  if (!(r.lr > 0)) throw new RangeError(`Cannot ${action} as lr must be a positive number: current value is ${r.lr}`);
  if (!(r.labelDropout >= 0 && r.labelDropout < 1)) {
    throw new RangeError(`Cannot ${action} as labelDropout must be in [0, 1): current value is ${r.labelDropout}`);
  }
}

/**
 * Trains a denoiser on digits with the noise-prediction loss (see the module documentation). Interrupting the cell
 * throws lib/nn's `TrainingStopped`; calling again with the same `run` resumes.
 *
 * @param data Training digits (28×28 in [0, 1]; lib/data's `(await loadDigits()).train`).
 * @param options Shape, recipe, run, validation digits, chart, a callback per step, progress.
 * @returns The trained network (`run.model`), its `history` filled in.
 * @throws {RangeError} For a bad recipe, or labels that are not digits.
 */
export async function trainDenoiser(data: LabelledDigits, options: TrainDenoiserOptions = {}): Promise<Denoiser> {
  const r = { ...denoiserRecipe(), ...options.recipe };
  checkRecipe(r);
  const run = options.run ?? new DenoiserRun(options.config, r.seed);
  const model = run.model, size = model.config.size, px = size * size;
  const pixels = toDiffusionPixels(data.images, size);
  const n = data.labels.length;
  const draw = (images: Float32Array, labels: readonly number[], count: number, prng: Prng, dropout: number) => {
    const x = new Float32Array(r.batch * px), y: number[] = [];
    for (let b = 0; b < r.batch; b++) {
      const i = prng.int(count);
      x.set(images.subarray(i * px, (i + 1) * px), b * px);
      y.push(prng.next() < dropout ? NULL_CLASS : labels[i]);
    }
    return { x: tf.tensor4d(x, [r.batch, size, size, 1]), y: tf.tensor1d(y, "int32") };
  };
  const val = options.val;
  const valPixels = val ? toDiffusionPixels(val.images, size) : undefined;
  const evalInterval = options.evalInterval ?? 250;
  const result = await train({
    model,
    optimizer: run.optimizer,
    batches: (_it, prng) => draw(pixels, data.labels, n, prng, r.labelDropout),
    steps: r.steps,
    lr: (it) =>
      cosineLr(it, { lr: r.lr, warmupIters: Math.min(100, r.steps >> 2), decayIters: r.steps, minLr: r.lr / 10 }),
    seed: r.seed,
    evalSplits: val ? { val: (_i, prng) => draw(valPixels!, val.labels, val.labels.length, prng, 0) } : undefined,
    evalInterval: val ? evalInterval : 0,
    evalIters: 4,
    chart: options.chart,
    onStep: options.onStep ? (info) => options.onStep!(info, model) : undefined,
    progress: options.progress ?? "denoiser",
    checkpointInterval: 50,
    resumeFrom: run.state,
    onCheckpoint: (state) => void (run.state = state),
    record: { lr: r.lr, batch: r.batch, labelDropout: r.labelDropout },
  });
  model.history = { losses: result.losses, evals: result.evals };
  if (options.run === undefined) run.dispose();
  return model;
}

/** The checkpoint kind of a {@link Denoiser}. */
export const DENOISER_KIND = "diffusion-denoiser";

/** The model cache's adapter for a Denoiser (config, weights, and the loss history in `extra`). */
export const DENOISER_CACHE: CacheAdapter<Denoiser> = Object.freeze({
  kind: DENOISER_KIND,
  save: (model: Denoiser) => {
    if (!(model instanceof Denoiser)) {
      throw new TypeError(`Cannot save a denoiser as model must be a Denoiser: current value is ${model}`);
    }
    const h = model.history;
    return {
      config: { ...model.config, channels: [...model.config.channels] },
      weights: model.params,
      extra: h ? { losses: Float32Array.from(h.losses), evals: h.evals } : undefined,
    };
  },
  load: (ckpt: LoadedCheckpoint) => {
    const model = new Denoiser(ckpt.config as Partial<DenoiserConfig>);
    try {
      assignWeights(model.params, ckpt.weights);
    } catch (e) {
      model.dispose();
      throw e;
    }
    const extra = ckpt.extra as { losses?: Float32Array; evals?: EvalRecord[] } | undefined;
    if (extra?.losses) model.history = { losses: Array.from(extra.losses), evals: extra.evals ?? [] };
    return model;
  },
});

/** The model-cache name of notebook 16's denoiser. */
export const DENOISER_16 = "digit-diffusion-16";

/**
 * Notebook 16's trained denoiser from the model cache (entry `digit-diffusion-16@quick` or `@full`, kind
 * `diffusion-denoiser`), trained by {@link trainDenoiser} and saved when the cache does not have it. The key holds
 * the config, the recipe and the number of training digits, so pass the same split every time:
 * `loadDigits({ seed: 1337 })`'s `train`.
 *
 * @param data The training digits.
 * @param options Shape and recipe (another key, so another model), run, validation digits, chart, callback.
 * @returns The trained network with its loss `history` (the caller disposes it).
 * @example
 * ```ts ignore
 * import { loadDigits } from "@lib/data/digits.ts";
 * import { cachedDenoiser } from "@lib/diffusion/mod.ts";
 * const digits = await loadDigits({ seed: 1337 });
 * const denoiser = await cachedDenoiser(digits.train);
 * ```
 */
export async function cachedDenoiser(data: LabelledDigits, options: TrainDenoiserOptions = {}): Promise<Denoiser> {
  const recipe = { ...denoiserRecipe(), ...options.recipe };
  const config = { ...DENOISER_DEFAULTS, ...options.config };
  return await cached({
    ...DENOISER_CACHE,
    name: DENOISER_16,
    notebook: "16_image_generation",
    config: { ...config, channels: [...config.channels] },
    recipe: { ...recipe, optimizer: "adam", schedule: "cosine", digits: data.labels.length },
    train: () => trainDenoiser(data, { ...options, config, recipe }),
    root: options.root,
  });
}
