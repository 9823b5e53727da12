/**
 * The course's small convolutional network for 28×28 digits (LeNet's shape, made smaller): two 3×3 convolutions
 * with ReLU, each followed by 2×2 max pooling, then one dense layer to ten scores.
 *
 * ```
 * [B, 28, 28, 1] → conv 3×3, 16 → ReLU → max pool 2 → [B, 14, 14, 16]
 *                → conv 3×3, 32 → ReLU → max pool 2 → [B, 7, 7, 32] → flatten → dense 10 → logits
 * ```
 *
 * Notebook 04 trains it without augmentation beside logistic regression and an MLP; notebook 06 trains it with
 * shifts of up to 2 pixels; `deno task bench:nn` times its training step against the same model in PyTorch. About
 * 98% of its multiply-adds are in the two convolutions ({@link DigitCnn.flops}).
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** Shape and learning rate of a {@link DigitCnn}. */
export interface DigitCnnConfig {
  /** Filters of the first convolution. */
  channels1: number;
  /** Filters of the second convolution. */
  channels2: number;
  /** Adam learning rate. */
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

function validate(config: DigitCnnConfig): DigitCnnConfig {
  checkPositiveInteger(config.channels1, "channels1", "create DigitCnn");
  checkPositiveInteger(config.channels2, "channels2", "create DigitCnn");
  if (!(config.learningRate > 0)) {
    throw new RangeError(
      `Cannot create DigitCnn as learningRate must be a positive number: current value is ${config.learningRate}`,
    );
  }
  return Object.freeze({ ...config });
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
 * The digits CNN: seeded weights (He-normal convolutions, zero biases), logits, loss and an Adam training step.
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
 * cnn.dispose();
 * ```
 */
export class DigitCnn {
  /** The validated configuration. */
  readonly config: DigitCnnConfig;
  /** Trainable weights: filters `[3, 3, in, out]`, biases, and the dense layer `[7·7·channels2, 10]`. */
  readonly params: Record<"conv1" | "bias1" | "conv2" | "bias2" | "dense" | "bias3", tf.Variable>;
  #optimizer: tf.Optimizer;

  /**
   * @param config Any of {@link DIGIT_CNN_DEFAULTS} to override.
   * @param seed Seed (or generator) of the initial weights.
   * @throws {RangeError} When a channel count is not a positive integer or the learning rate is not positive.
   */
  constructor(config: Partial<DigitCnnConfig> = {}, seed: number | Prng = SEED) {
    this.config = validate({ ...DIGIT_CNN_DEFAULTS, ...config });
    const { channels1: c1, channels2: c2 } = this.config;
    const prng = toPrng(seed);
    const init = (shape: number[], fanIn: number) => {
      const t = fanIn === 0
        ? tf.zeros(shape)
        : tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", prng.tfSeed());
      const v = tf.variable(t, true);
      t.dispose();
      return v;
    };
    const flat = (SIDE / 4) * (SIDE / 4) * c2;
    this.params = {
      conv1: init([3, 3, 1, c1], 9), // [3, 3, 1, c1]
      bias1: init([c1], 0),
      conv2: init([3, 3, c1, c2], 9 * c1), // [3, 3, c1, c2]
      bias2: init([c2], 0),
      dense: init([flat, CLASSES], flat / 2), // [7·7·c2, 10]: Glorot-like, so first scores stay small
      bias3: init([CLASSES], 0),
    };
    this.#optimizer = tf.train.adam(this.config.learningRate);
  }

  /** Number of trainable numbers. */
  parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.size, 0);
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
      const p = this.params;
      const block = (input: tf.Tensor4D, filter: tf.Variable, bias: tf.Variable) =>
        tf.maxPool(
          tf.fused.conv2d({
            x: input,
            filter: filter as tf.Tensor4D,
            strides: 1,
            pad: "same",
            bias,
            activation: "relu",
          }),
          2,
          2,
          "valid",
        );
      const h1 = block(x, p.conv1, p.bias1); // [B, 14, 14, c1]
      const h2 = block(h1, p.conv2, p.bias2); // [B, 7, 7, c2]
      const flat = tf.reshape(h2, [x.shape[0], -1]) as tf.Tensor2D; // [B, 7·7·c2]
      return tf.add(tf.matMul(flat, p.dense as tf.Tensor2D), p.bias3) as tf.Tensor2D; // [B, 10]
    });
  }

  /**
   * Mean cross-entropy of the digits `labels` given `x`.
   * @param x Images `[B, 28, 28, 1]`.
   * @param labels `[B]` int32 digits 0..9.
   */
  loss(x: tf.Tensor4D, labels: tf.Tensor1D): tf.Scalar {
    if (labels.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `Cannot compute the loss as there must be one label per image: current counts are ${labels.shape[0]} labels, ${
          x.shape[0]
        } images`,
      );
    }
    return tf.tidy(() => tf.losses.softmaxCrossEntropy(tf.oneHot(labels, CLASSES), this.logits(x)) as tf.Scalar);
  }

  /**
   * One Adam step on a batch.
   * @param x Images `[B, 28, 28, 1]`.
   * @param labels `[B]` int32 digits.
   * @returns The batch loss before the step.
   */
  trainStep(x: tf.Tensor4D, labels: tf.Tensor1D): number {
    const loss = this.#optimizer.minimize(() => this.loss(x, labels), true)!;
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

  /** Frees the weights and optimizer state. */
  dispose(): void {
    tf.dispose(Object.values(this.params));
    this.#optimizer.dispose();
  }
}
