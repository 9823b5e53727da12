/**
 * The course's small convolutional network for 28×28 digits (LeNet's shape, made smaller): two 3×3 convolutions
 * with ReLU, each followed by 2×2 max pooling, then one dense layer to ten scores.
 *
 * ```
 * [B, 28, 28, 1] → conv 3×3, 16 → ReLU → max pool 2 → [B, 14, 14, 16]
 *                → conv 3×3, 32 → ReLU → max pool 2 → [B, 7, 7, 32] → flatten → dense 10 → logits
 * ```
 *
 * It follows the course's model convention (lib/nn/model.ts: named `params`, `forward`, `numParams`, `summary`, a
 * display), so lib/nn's `train` loop trains it with any optimizer, and {@link DIGIT_CNN_CACHE} keeps it in the
 * model cache. Notebook 04 trains it without augmentation beside logistic regression and an MLP; notebook 06 trains
 * it with shifts of up to 2 pixels; `deno task bench:nn` times {@link DigitCnn.trainStep} (one Adam step) against
 * the same model in PyTorch. About 98% of its multiply-adds are in the two convolutions ({@link DigitCnn.flops}).
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { byMode } from "../core/mode.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { assignWeights, type LoadedCheckpoint } from "../checkpoint/checkpoint.ts";
import { type CacheAdapter, cached } from "../checkpoint/model_cache.ts";
import { randomShifts } from "./augment.ts";
import { oneCycleLr } from "./lr_schedule.ts";
import { AdamW } from "./optim.ts";
import { epochBatches, type LoopState, train } from "./train.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy } from "./layers.ts";
import { type ForwardOutput, type Model, type ParamGroup, paramGroups, summaryBundle } from "./model.ts";
import { Parameters } from "./parameters.ts";

/** Shape of a {@link DigitCnn}, and the learning rate of its {@link DigitCnn.trainStep} shortcut. */
export interface DigitCnnConfig {
  /** Filters of the first convolution. */
  channels1: number;
  /** Filters of the second convolution. */
  channels2: number;
  /** Adam learning rate of `trainStep` (lib/nn's `train` takes its own). */
  learningRate: number;
}

/** The defaults: 16 and 32 filters, Adam at 1e-3 (about 20 k parameters). */
export const DIGIT_CNN_DEFAULTS: Readonly<DigitCnnConfig> = Object.freeze({
  channels1: 16,
  channels2: 32,
  learningRate: 1e-3,
});

/** Side of the images the network takes. */
const SIDE = 28;
/** Classes it scores. */
const CLASSES = 10;

function validate(config: DigitCnnConfig): Readonly<DigitCnnConfig> {
  checkPositiveInteger(config.channels1, "channels1", "create DigitCnn");
  checkPositiveInteger(config.channels2, "channels2", "create DigitCnn");
  if (!(config.learningRate > 0)) {
    throw new RangeError(
      `Cannot create DigitCnn as learningRate must be a positive number: current value is ${config.learningRate}`,
    );
  }
  return Object.freeze({ channels1: config.channels1, channels2: config.channels2, learningRate: config.learningRate });
}

/** Multiply-adds of one image's forward pass, by layer. */
export interface CnnFlops {
  conv1: number;
  conv2: number;
  dense: number;
  /** Share of all multiply-adds that are in the convolutions, 0..1. */
  convShare: number;
}

/**
 * The digits CNN: seeded weights (He-normal convolutions, zero biases), logits and loss, and an Adam step.
 *
 * @example
 * ```ts
 * import { DigitCnn } from "@lib/nn/cnn.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const cnn = new DigitCnn();
 * const x = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
 * const loss = cnn.trainStep(x, tf.tensor1d([3, 7], "int32"));
 * assert.ok(Math.abs(loss - Math.log(10)) < 1e-3); // zero images, zero biases: uniform guesses
 * assert.ok(cnn.flops().convShare > 0.8);
 * assert.deepEqual([...cnn.params.keys()].slice(0, 2), ["conv1.weight", "conv1.bias"]);
 * cnn.dispose();
 * ```
 */
export class DigitCnn implements Model {
  /** The validated configuration (plain JSON: `new DigitCnn(JSON.parse(JSON.stringify(cnn.config)))` rebuilds it). */
  readonly config: Readonly<DigitCnnConfig>;
  /**
   * Trainable weights by name: `conv1.weight` `[3, 3, 1, c1]`, `conv1.bias`, `conv2.weight` `[3, 3, c1, c2]`,
   * `conv2.bias`, `dense.weight` `[7·7·c2, 10]`, `dense.bias`.
   */
  readonly params: Parameters;
  #optimizer: tf.Optimizer | null = null;

  /**
   * @param config Any of {@link DIGIT_CNN_DEFAULTS} to override.
   * @param seed Seed (or generator) of the initial weights.
   * @throws {RangeError} When a channel count is not a positive integer or the learning rate is not positive.
   */
  constructor(config: Partial<DigitCnnConfig> = {}, seed: number | Prng = SEED) {
    this.config = validate({ ...DIGIT_CNN_DEFAULTS, ...config });
    const { channels1: c1, channels2: c2 } = this.config;
    const prng = toPrng(seed);
    const normal = (shape: number[], fanIn: number) =>
      tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", prng.tfSeed());
    const flat = (SIDE / 4) * (SIDE / 4) * c2;
    this.params = new Parameters("cnn");
    this.params.add("conv1.weight", normal([3, 3, 1, c1], 9)); // [3, 3, 1, c1]
    this.params.add("conv1.bias", tf.zeros([c1]));
    this.params.add("conv2.weight", normal([3, 3, c1, c2], 9 * c1)); // [3, 3, c1, c2]
    this.params.add("conv2.bias", tf.zeros([c2]));
    this.params.add("dense.weight", normal([flat, CLASSES], flat / 2)); // [7·7·c2, 10]: Glorot-like, small first scores
    this.params.add("dense.bias", tf.zeros([CLASSES]));
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by layer (conv1, conv2, dense). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /** Multiply-adds of one image's forward pass and the convolutions' share of them. */
  flops(): CnnFlops {
    const { channels1: c1, channels2: c2 } = this.config;
    const conv1 = SIDE * SIDE * 9 * c1;
    const conv2 = (SIDE / 2) * (SIDE / 2) * 9 * c1 * c2;
    const dense = (SIDE / 4) * (SIDE / 4) * c2 * CLASSES;
    return { conv1, conv2, dense, convShare: (conv1 + conv2) / (conv1 + conv2 + dense) };
  }

  /**
   * Scores of each image.
   * @param x Images `[B, 28, 28, 1]`.
   * @returns Logits `[B, 10]`.
   * @throws {RangeError} When `x` is not `[B, 28, 28, 1]`.
   */
  logits(x: tf.Tensor4D): tf.Tensor2D {
    const [, h, w, c] = x.shape;
    if (x.rank !== 4 || h !== SIDE || w !== SIDE || c !== 1) {
      throw new RangeError(`Cannot run DigitCnn as images must be [B, 28, 28, 1]: current shape is [${x.shape}]`);
    }
    return tf.tidy(() => {
      const p = (name: string) => this.params.get(name)!;
      const block = (input: tf.Tensor4D, layer: string) =>
        tf.maxPool(
          tf.fused.conv2d({
            x: input,
            filter: p(`${layer}.weight`) as tf.Tensor4D,
            strides: 1,
            pad: "same",
            bias: p(`${layer}.bias`),
            activation: "relu",
          }),
          2,
          2,
          "valid",
        );
      const h1 = block(x, "conv1"); // [B, 14, 14, c1]
      const h2 = block(h1, "conv2"); // [B, 7, 7, c2]
      const flat = tf.reshape(h2, [x.shape[0], -1]) as tf.Tensor2D; // [B, 7·7·c2]
      return tf.add(tf.matMul(flat, p("dense.weight") as tf.Tensor2D), p("dense.bias")) as tf.Tensor2D; // [B, 10]
    });
  }

  /**
   * Logits and, given the digits, the mean cross-entropy (the convention lib/nn's `train` calls).
   * @param x Images `[B, 28, 28, 1]`.
   * @param y `[B]` int32 digits 0..9.
   * @returns `{logits: [B, 10], loss?}` (the caller disposes both).
   * @throws {RangeError} When `x` is not `[B, 28, 28, 1]` or there is not one label per image.
   */
  forward(x: tf.Tensor, y?: tf.Tensor): ForwardOutput {
    if (y !== undefined && y.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `Cannot compute the loss as there must be one label per image: current counts are ${y.shape[0]} labels, ${
          x.shape[0]
        } images`,
      );
    }
    const logits = this.logits(x as tf.Tensor4D);
    if (y === undefined) return { logits };
    return { logits, loss: tf.tidy(() => crossEntropy(logits, tf.cast(y, "int32") as tf.Tensor1D)) };
  }

  /**
   * Mean cross-entropy of the digits `labels` given `x`.
   * @param x Images `[B, 28, 28, 1]`.
   * @param labels `[B]` int32 digits 0..9.
   */
  loss(x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
    const { logits, loss } = this.forward(x, labels);
    logits.dispose();
    return loss!;
  }

  /**
   * One Adam step (learning rate `config.learningRate`) on a batch, with an optimizer the model keeps for this
   * shortcut only: what `deno task bench:nn` times. Notebooks train with lib/nn's `train` and an optimizer of their
   * own over `params`.
   * @param x Images `[B, 28, 28, 1]`.
   * @param labels `[B]` int32 digits.
   * @returns The batch loss before the step.
   */
  trainStep(x: tf.Tensor4D, labels: tf.Tensor1D): number {
    this.#optimizer ??= tf.train.adam(this.config.learningRate);
    const loss = this.#optimizer.minimize(() => this.loss(x, labels), true, [...this.params.values()])!;
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  /**
   * The most likely digit of each image.
   * @param x Images `[B, 28, 28, 1]`.
   * @returns `[B]` digits.
   */
  predict(x: tf.Tensor4D): number[] {
    return tf.tidy(() => Array.from(tf.argMax(this.logits(x), 1).dataSync()));
  }

  /** Shown in a notebook: the layers and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const { channels1: c1, channels2: c2 } = this.config;
    const head = `DigitCnn: 28×28 → conv 3×3 ${c1} → pool → conv 3×3 ${c2} → pool → dense 10: ` +
      `${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees the weights and the `trainStep` optimizer's state. */
  dispose(): void {
    this.params.dispose();
    this.#optimizer?.dispose();
    this.#optimizer = null;
  }
}

/** The checkpoint kind of a {@link DigitCnn}. */
export const DIGIT_CNN_KIND = "digit-cnn";

/**
 * The model cache's adapter for a DigitCnn: `cached({ ...DIGIT_CNN_CACHE, name, config, recipe, train })`; also what
 * `saveCheckpoint`/`loadCheckpoint` need (config + named weights).
 */
export const DIGIT_CNN_CACHE: CacheAdapter<DigitCnn> = Object.freeze({
  kind: DIGIT_CNN_KIND,
  save: (model: DigitCnn) => {
    if (!(model instanceof DigitCnn)) {
      throw new TypeError(`Cannot save a digits CNN as model must be a DigitCnn: current value is ${model}`);
    }
    return { config: { ...model.config }, weights: model.params };
  },
  load: (ckpt: LoadedCheckpoint) => {
    const model = new DigitCnn(ckpt.config as Partial<DigitCnnConfig>);
    try {
      assignWeights(model.params, ckpt.weights);
    } catch (e) {
      model.dispose();
      throw e;
    }
    return model;
  },
});

/** Images with their digits, as lib/data's `DigitSet` holds them (lib/nn takes the arrays, not the loader). */
export interface DigitImages {
  /** `[n * 784]` pixels in [0, 1], one 28×28 image after the other. */
  readonly images: Float32Array;
  /** `[n]` digits 0..9. */
  readonly labels: readonly number[];
}

/** How notebook 06 trains its CNN (the recipe part of the cache key). */
export interface DigitCnnRecipe {
  /** Passes over the training digits. */
  epochs: number;
  /** Digits per step. */
  batch: number;
  /** Peak learning rate of the one-cycle schedule ({@link oneCycleLr}, Adam). */
  maxLr: number;
  /** Random shifts of up to this many pixels each way ({@link randomShifts}; 0 = no augmentation). */
  maxShift: number;
  /** Seed of the first weights, the batch order and the shifts. */
  seed: number;
}

/** Notebook 06's recipe in the current mode: 15 epochs in full mode, 2 in quick mode; batch 64, peak 6e-3, 2 px. */
export function digitCnnRecipe(): DigitCnnRecipe {
  return { epochs: byMode(15, 2), batch: 64, maxLr: 6e-3, maxShift: 2, seed: SEED };
}

/**
 * A training run of {@link trainDigitCnn} that survives an interrupted cell: the model, its Adam optimizer and the
 * loop's last state. Keep one in a cell of its own and pass it to every attempt: a stopped run goes on from its step.
 */
export class DigitCnnRun {
  /** The network being trained (the caller owns it once training returns it). */
  readonly model: DigitCnn;
  /** Adam without weight decay over its parameters. */
  readonly optimizer: AdamW;
  /** The loop's state at the last checkpoint (every epoch, and when the learner stops the cell). */
  state: LoopState | undefined;

  /** @param seed Seed of the first weights. */
  constructor(seed: number = SEED) {
    this.model = new DigitCnn({}, seed);
    this.optimizer = new AdamW(this.model.params, { weightDecay: 0 });
  }

  /** Frees the optimizer's moments (not the model, which training hands to its caller). */
  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Options of {@link trainDigitCnn} and {@link cachedDigitCnn}. */
export interface TrainDigitCnnOptions {
  /** Any of {@link digitCnnRecipe}'s fields to override. */
  recipe?: Partial<DigitCnnRecipe>;
  /** The run to continue (default a new one). Its seed should be the recipe's. */
  run?: DigitCnnRun;
  /** Digits whose loss is estimated after every epoch and drawn on the chart as `val` (never trained on). */
  val?: DigitImages;
  /** A live chart (lib/plot's `LiveChart`). */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** The progress bar's label, or false for none (default "CNN"). */
  progress?: boolean | string;
  /** {@link cachedDigitCnn} only: the cache folder (default the model cache's `cacheDir()`). */
  root?: string;
}

function tensorBatch(images: Float32Array, labels: readonly number[], indices: number[]) {
  return {
    x: tf.tensor4d(images, [indices.length, SIDE, SIDE, 1]),
    y: tf.tensor1d(indices.map((i) => labels[i]), "int32"),
  };
}

/**
 * Trains a DigitCnn the notebook-06 way: Adam with a one-cycle learning rate over `epochs` passes of `batch`
 * digits, each digit moved by a random shift of up to `maxShift` pixels every time it is drawn (a seeded shuffle per
 * pass, the shifts seeded by the step). Interrupting the cell throws lib/nn's `TrainingStopped`; calling again with
 * the same `run` resumes.
 *
 * @param data The training digits.
 * @param options Recipe, run, validation digits, chart, progress.
 * @returns The trained network (`run.model`).
 */
export async function trainDigitCnn(data: DigitImages, options: TrainDigitCnnOptions = {}): Promise<DigitCnn> {
  const r = { ...digitCnnRecipe(), ...options.recipe };
  const n = data.labels.length, run = options.run ?? new DigitCnnRun(r.seed);
  const passes = epochBatches(n, r.batch, r.seed);
  const steps = r.epochs * passes.stepsPerEpoch;
  const batches = (it: number) => {
    const idx = passes.indices(it);
    const pixels = randomShifts(data.images, idx, { maxShift: r.maxShift, prng: new Prng(r.seed * 100_003 + it) });
    return tensorBatch(pixels, idx.map((i) => data.labels[i]), idx.map((_, b) => b));
  };
  const val = options.val;
  const valBatches = val === undefined ? undefined : (_: number, prng: Prng) => {
    const idx = Array.from({ length: 256 }, () => prng.int(val.labels.length));
    return tensorBatch(
      randomShifts(val.images, idx, { maxShift: 0, prng }),
      idx.map((i) => val.labels[i]),
      idx.map((_, b) => b),
    );
  };
  await train({
    model: run.model,
    optimizer: run.optimizer,
    batches,
    steps,
    lr: (it) => oneCycleLr(it, { maxLr: r.maxLr, totalIters: steps }),
    seed: r.seed,
    evalSplits: valBatches ? { val: valBatches } : undefined,
    evalInterval: valBatches ? passes.stepsPerEpoch : 0,
    evalIters: 4,
    chart: options.chart,
    progress: options.progress ?? "CNN",
    checkpointInterval: passes.stepsPerEpoch,
    resumeFrom: run.state,
    onCheckpoint: (state) => void (run.state = state),
    record: { maxLr: r.maxLr, maxShift: r.maxShift, epochs: r.epochs },
  });
  if (options.run === undefined) run.dispose();
  return run.model;
}

/** A short fingerprint of a set of digits (SHA-256 of pixels and labels), so another split is another cache entry. */
export async function digitFingerprint(data: DigitImages): Promise<string> {
  const pixels = new Uint8Array(data.images.buffer, data.images.byteOffset, data.images.byteLength);
  const labels = Uint8Array.from(data.labels);
  const bytes = new Uint8Array(pixels.length + labels.length);
  bytes.set(pixels);
  bytes.set(labels, pixels.length);
  const hash = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(hash.slice(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The model-cache name of notebook 06's CNN. */
export const DIGIT_CNN_06 = "digit-cnn-06";

/**
 * Notebook 06's trained CNN, from the model cache: loaded when the cache has it, else trained by
 * {@link trainDigitCnn} (with a progress bar, and the chart when given) and saved.
 *
 * The entry is `digit-cnn-06@quick` or `digit-cnn-06@full` (`deno task cache` lists it), kind `digit-cnn`, config
 * {@link DIGIT_CNN_DEFAULTS} (16 and 32 filters). Recipe ({@link digitCnnRecipe}): Adam (no weight decay) with a
 * one-cycle learning rate peaking at 6e-3, batches of 64, random shifts of up to 2 pixels, seed 1337, 15 epochs in
 * full mode (about 98.5% on the 2000 test digits) and 2 in quick mode; the key also holds a fingerprint of the
 * training digits, so pass the same split every time: `loadDigits({ seed: 1337 })`'s `train`. Notebook 16 loads it as
 * the judge of its generated digits.
 *
 * @param data The training digits (lib/data's `(await loadDigits()).train`).
 * @param options Run (to resume an interrupted training), validation digits and chart, as for {@link trainDigitCnn};
 *   a `recipe` here changes the key, so it is another model.
 * @returns The trained network (the caller disposes it).
 * @example
 * ```ts ignore
 * import { loadDigits } from "@lib/data/digits.ts";
 * import { cachedDigitCnn } from "@lib/nn/mod.ts";
 * const digits = await loadDigits({ seed: 1337 });
 * const judge = await cachedDigitCnn(digits.train);
 * ```
 */
export async function cachedDigitCnn(data: DigitImages, options: TrainDigitCnnOptions = {}): Promise<DigitCnn> {
  const recipe = { ...digitCnnRecipe(), ...options.recipe };
  return await cached({
    ...DIGIT_CNN_CACHE,
    name: DIGIT_CNN_06,
    notebook: "06_cnn_vision",
    config: { ...DIGIT_CNN_DEFAULTS },
    recipe: { ...recipe, schedule: "one-cycle", optimizer: "adam", data: await digitFingerprint(data) },
    train: () => trainDigitCnn(data, { ...options, recipe }),
    root: options.root,
  });
}

/**
 * The digit a model gives each image, 500 images at a time.
 *
 * @param model Any model with `predict` on `[B, 28, 28, 1]` (DigitCnn, DigitMlp).
 * @param images `[n * 784]` pixels.
 * @returns `[n]` digits.
 */
export function predictDigits(model: { predict(x: tf.Tensor4D): number[] }, images: Float32Array): number[] {
  const n = images.length / (SIDE * SIDE), out: number[] = [];
  for (let start = 0; start < n; start += 500) {
    const count = Math.min(500, n - start);
    const x = tf.tensor4d(images.subarray(start * SIDE * SIDE, (start + count) * SIDE * SIDE), [count, SIDE, SIDE, 1]);
    out.push(...model.predict(x));
    x.dispose();
  }
  return out;
}
