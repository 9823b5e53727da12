/**
 * The course's multilayer perceptron for 28×28 digits: the image read as 784 numbers, one hidden layer of ReLU
 * units, ten scores. It sees pixels, not shapes: nothing in it knows that neighbouring pixels belong together,
 * which is what the convolutions of {@link DigitCnn} add.
 *
 * ```
 * [B, 28, 28, 1] or [B, 784] → flatten → dense 784 × 256 → ReLU → dense 256 × 10 → logits
 * ```
 *
 * Notebook 04 trains it beside logistic regression and the CNN on the same digits.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy } from "./layers.ts";
import { type ForwardOutput, type Model, type ParamGroup, paramGroups, summaryBundle } from "./model.ts";
import { Linear } from "./modules.ts";
import { Parameters } from "./parameters.ts";

/** Shape of a {@link DigitMlp}. */
export interface DigitMlpConfig {
  /** ReLU units of the hidden layer. */
  hidden: number;
}

/** The default: 256 hidden units (about 200 k parameters). */
export const DIGIT_MLP_DEFAULTS: Readonly<DigitMlpConfig> = Object.freeze({ hidden: 256 });

/** Pixels of an image. */
const PIXELS = 28 * 28;
/** Classes it scores. */
const CLASSES = 10;

/**
 * The digits MLP: He-normal weights, zero biases, logits and the mean cross-entropy.
 *
 * @example
 * ```ts
 * import { DigitMlp } from "@lib/nn/digit_mlp.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const mlp = new DigitMlp({ hidden: 32 });
 * const { logits, loss } = mlp.forward(tf.zeros([2, 784]), tf.tensor1d([3, 7], "int32"));
 * assert.deepEqual(logits.shape, [2, 10]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(10)) < 1e-6); // zero images, zero biases: uniform guesses
 * assert.equal(mlp.numParams(), 784 * 32 + 32 + 32 * 10 + 10);
 * mlp.dispose();
 * ```
 */
export class DigitMlp implements Model {
  /** The validated configuration (plain JSON). */
  readonly config: Readonly<DigitMlpConfig>;
  /** Trainable weights by name: `hidden.weight` `[784, H]`, `hidden.bias`, `out.weight` `[H, 10]`, `out.bias`. */
  readonly params = new Parameters("mlp");
  readonly #hidden: Linear;
  readonly #out: Linear;

  /**
   * @param config Any of {@link DIGIT_MLP_DEFAULTS} to override.
   * @param seed Seed (or generator) of the initial weights.
   * @throws {RangeError} When `hidden` is not a positive integer.
   */
  constructor(config: Partial<DigitMlpConfig> = {}, seed: number | Prng = SEED) {
    const hidden = { ...DIGIT_MLP_DEFAULTS, ...config }.hidden;
    checkPositiveInteger(hidden, "hidden", "create DigitMlp");
    this.config = Object.freeze({ hidden });
    const prng = toPrng(seed);
    this.#hidden = new Linear(this.params, "hidden", PIXELS, hidden, { std: Math.sqrt(2 / PIXELS), seed: prng });
    this.#out = new Linear(this.params, "out", hidden, CLASSES, { std: Math.sqrt(1 / hidden), seed: prng });
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by layer (hidden, out). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /**
   * Scores of each image.
   * @param x Images `[B, 28, 28, 1]` or `[B, 784]`.
   * @returns Logits `[B, 10]`.
   * @throws {RangeError} When `x` does not hold 784 pixels per image.
   */
  logits(x: tf.Tensor): tf.Tensor2D {
    if (x.rank < 2 || x.size !== x.shape[0] * PIXELS) {
      throw new RangeError(
        `Cannot run DigitMlp as images must be [B, 784] or [B, 28, 28, 1]: current shape is [${x.shape}]`,
      );
    }
    return tf.tidy(() => {
      const flat = tf.reshape(x, [x.shape[0], PIXELS]) as tf.Tensor2D; // [B, 784]
      return this.#out.forward(tf.relu(this.#hidden.forward(flat))); // [B, H] → [B, 10]
    });
  }

  /**
   * Logits and, given the digits, the mean cross-entropy (the convention lib/nn's `train` calls).
   * @param x Images `[B, 28, 28, 1]` or `[B, 784]`.
   * @param y `[B]` int32 digits 0..9.
   * @returns `{logits: [B, 10], loss?}` (the caller disposes both).
   * @throws {RangeError} When `x` has the wrong size or there is not one label per image.
   */
  forward(x: tf.Tensor, y?: tf.Tensor): ForwardOutput {
    if (y !== undefined && y.shape[0] !== x.shape[0]) {
      throw new RangeError(
        `Cannot compute the loss as there must be one label per image: current counts are ${y.shape[0]} labels, ${
          x.shape[0]
        } images`,
      );
    }
    const logits = this.logits(x);
    if (y === undefined) return { logits };
    return { logits, loss: tf.tidy(() => crossEntropy(logits, tf.cast(y, "int32") as tf.Tensor1D)) };
  }

  /**
   * The most likely digit of each image.
   * @param x Images `[B, 28, 28, 1]` or `[B, 784]`.
   * @returns `[B]` digits.
   */
  predict(x: tf.Tensor): number[] {
    return tf.tidy(() => Array.from(tf.argMax(this.logits(x), 1).dataSync()));
  }

  /** Shown in a notebook: the layers and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const head = `DigitMlp: 784 pixels → ${this.config.hidden} ReLU → 10: ${
      this.numParams().toLocaleString("en")
    } parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees the weights. */
  dispose(): void {
    this.params.dispose();
  }
}
