/**
 * An LSTM that reads a sequence and classifies it from its last hidden state: the recurrent side of notebook 08's
 * long-distance test (attention's side is lib/attention's `AttentionClassifier`).
 *
 *     ids [B, T] or [B, T, S] → embedding, slots added [B, T, E] → LSTM (07's fused kernel) → h_T [B, H] → head [B, K]
 *
 * Everything the model knows about the sequence when it answers is in `h_T` and the cell state: H + H numbers,
 * however long the sequence was.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { tr } from "../notebook/lang.ts";
import { crossEntropy, embedding, linear } from "./layers.ts";
import { lstm } from "./recurrent.ts";
import { initRecurrent } from "./_recurrent.ts";
import { type ForwardOptions, type Model, type ParamGroup, paramGroups, summaryBundle } from "./model.ts";
import { Parameters } from "./parameters.ts";

/** Shape of an {@link LstmClassifier}. */
export interface LstmClassifierConfig {
  /** Token ids 0 … vocabSize − 1. */
  vocabSize: number;
  /** Width E of each token's embedding. */
  embed: number;
  /** Hidden units H. */
  hidden: number;
  /** Classes K of the answer. */
  classes: number;
}

/**
 * Embeds ids `[B, T]` (or `[B, T, S]`, the S slots of each position added) with `table` `[V, E]`.
 *
 * @param table Embedding table `[V, E]`.
 * @param ids int32 `[B, T]` or `[B, T, S]`.
 * @param action What is being done, for the error.
 * @returns `[B, T, E]`.
 * @throws {RangeError} When ids is not an int32 tensor of rank 2 or 3.
 * @example
 * ```ts
 * import { embedSlots } from "@lib/nn/lstm_classifier.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const table = tf.tensor2d([[1, 0], [0, 1], [5, 5]]);
 * assert.deepEqual(embedSlots(table, tf.tensor3d([[[0, 1], [2, 2]]], [1, 2, 2], "int32"), "embed").arraySync(), [[[1, 1], [10, 10]]]);
 * ```
 */
export function embedSlots(table: tf.Tensor2D, ids: tf.Tensor, action: string): tf.Tensor3D {
  if (!(ids instanceof tf.Tensor) || ids.dtype !== "int32" || (ids.rank !== 2 && ids.rank !== 3)) {
    throw new RangeError(
      `Cannot ${action} as the ids must be an int32 tensor [B, T] or [B, T, slots]: current value is ${
        ids instanceof tf.Tensor ? `${ids.dtype} [${ids.shape}]` : ids
      }`,
    );
  }
  return tf.tidy(() => {
    const e = embedding<tf.Tensor>(table, ids); // [B, T, E] or [B, T, S, E]
    return (ids.rank === 3 ? tf.sum(e, 2) : e) as tf.Tensor3D;
  });
}

/** Checks the targets of a classifier: int32 `[B]`. */
export function checkClassTargets(y: tf.Tensor, batch: number, action: string): void {
  if (!(y instanceof tf.Tensor) || y.dtype !== "int32" || y.rank !== 1 || y.shape[0] !== batch) {
    throw new RangeError(
      `Cannot ${action} as the targets must be an int32 tensor [${batch}]: current value is ${
        y instanceof tf.Tensor ? `${y.dtype} [${y.shape}]` : y
      }`,
    );
  }
}

/**
 * The LSTM sequence classifier, parameters `embedding`, `cell.kernel`, `cell.recurrentKernel`, `cell.bias`,
 * `head.weight`, `head.bias` (drawn as {@link CharRnn}'s).
 *
 * @example
 * ```ts
 * import { LstmClassifier } from "@lib/nn/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new LstmClassifier({ vocabSize: 6, embed: 4, hidden: 8, classes: 3 });
 * const x = tf.tensor3d([[[1, 2], [3, 4], [5, 5]]], [1, 3, 2], "int32");
 * const { logits, loss } = model.forward(x, tf.tensor1d([2], "int32"));
 * assert.deepEqual(logits.shape, [1, 3]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(3)) < 0.7);
 * assert.equal(model.numParams(), 6 * 4 + (4 + 8 + 1) * 32 + 8 * 3 + 3);
 * model.dispose();
 * ```
 */
export class LstmClassifier implements Model {
  /** The config. */
  readonly config: Readonly<LstmClassifierConfig>;
  /** Trainable weights by name. */
  readonly params = new Parameters("lstm");

  /**
   * @param config Vocabulary, embedding width, hidden units, classes.
   * @param seed Seed or generator of the initial weights.
   * @throws {RangeError} When a size is not a positive integer.
   */
  constructor(config: LstmClassifierConfig, seed: number | Prng = SEED) {
    for (const key of ["vocabSize", "embed", "hidden", "classes"] as const) {
      checkPositiveInteger(config?.[key], `config.${key}`, "create an LstmClassifier");
    }
    this.config = Object.freeze({ ...config });
    const { vocabSize: V, embed: E, hidden: H, classes: K } = this.config;
    const prng = toPrng(seed);
    const w = initRecurrent(E, H, 4, prng, "create an LstmClassifier");
    const k = 1 / Math.sqrt(H);
    this.params.add("embedding", tf.randomNormal([V, E], 0, 1, "float32", prng.tfSeed()));
    this.params.add("cell.kernel", w.kernel);
    this.params.add("cell.recurrentKernel", w.recurrentKernel);
    this.params.add("cell.bias", w.bias);
    this.params.add("head.weight", tf.randomUniform([H, K], -k, k, "float32", prng.tfSeed()));
    this.params.add("head.bias", tf.zeros([K]));
  }

  /**
   * Reads each sequence and scores the classes from the last hidden state.
   *
   * @param x Ids `[B, T]` or `[B, T, S]` (int32).
   * @param y Classes `[B]` (int32) for the loss.
   * @param _opts Unused (no dropout).
   * @returns Logits `[B, K]` and the mean cross-entropy when y is given.
   * @throws {RangeError} When x or y has the wrong shape or type.
   */
  forward(x: tf.Tensor, y?: tf.Tensor, _opts: ForwardOptions = {}): { logits: tf.Tensor2D; loss?: tf.Scalar } {
    const action = "run the LstmClassifier";
    return tf.tidy(() => {
      const e = embedSlots(this.#p("embedding"), x, action); // [B, T, E]
      if (y !== undefined) checkClassTargets(y, x.shape[0], action);
      const { h } = lstm(e, {
        kernel: this.#p("cell.kernel"),
        recurrentKernel: this.#p("cell.recurrentKernel"),
        bias: this.#p("cell.bias"),
      }); // h: [B, H], the last hidden state
      const logits = linear(h, this.#p("head.weight"), this.#p<tf.Tensor1D>("head.bias")); // [B, K]
      return y === undefined ? { logits } : { logits, loss: crossEntropy(logits, y as tf.Tensor1D) };
    });
  }

  #p<T extends tf.Tensor = tf.Tensor2D>(name: string): T {
    return this.params.get(name) as unknown as T;
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /** Parameter counts by group (`embedding`, `cell`, `head`). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /** Shown in a notebook: the shape and the parameter table. */
  [DISPLAY](): MimeBundle {
    const { embed, hidden, classes } = this.config;
    const n = this.numParams().toLocaleString("en");
    return summaryBundle(
      tr(
        `LSTM classifier: embedding ${embed}, ${hidden} hidden units, ${classes} classes: ${n} parameters`,
        `LSTM 分类器：嵌入 ${embed} 维，${hidden} 个隐藏单元，${classes} 个类别：${n} 个参数`,
      ),
      this.summary(),
    );
  }

  /** Frees the weights. */
  dispose(): void {
    this.params.dispose();
  }
}
