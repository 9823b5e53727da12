/**
 * A character-level MLP language model (Bengio et al. 2003): the last `blockSize` characters are looked up in an
 * embedding table, concatenated, passed through one tanh hidden layer, and a softmax scores every possible next
 * character. It is the smallest model that plays 文字接龙 (the word chain game) well enough to write a poem, and
 * it trains in seconds on a laptop CPU: the fixed-window baseline for the recurrent and attention models.
 *
 * It follows the course's model convention (lib/nn/model.ts), like the GPT: named `params`, `forward(idx, targets)`
 * over `[B, T]` token ids (a next-token prediction at every position, each from the `blockSize` tokens up to it),
 * `numParams`, `summary`, a notebook display and `dispose`. So it trains with lib/nn's `train` on `getBatch`
 * windows and writes with lib/nn's `generate`, exactly as the GPT does.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkInteger, checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy, dropout, embedding, linear } from "./layers.ts";
import { Parameters } from "./parameters.ts";
import {
  type ForwardOptions,
  type ForwardOutput,
  type LanguageModel,
  type ParamGroup,
  paramGroups,
  summaryBundle,
} from "./model.ts";

/** Shape of a {@link CharMlp}. */
export interface CharMlpConfig {
  /** Number of distinct tokens (characters plus specials). */
  vocabSize: number;
  /** How many previous characters the model sees (its context window; nanoGPT's name for it). */
  blockSize: number;
  /** Width of each character's embedding vector. */
  embed: number;
  /** Hidden units. */
  hidden: number;
  /** Dropout on the hidden layer in training mode (0 = none). */
  dropout: number;
  /** Token that fills the window before the first character. */
  padId: number;
}

/** Defaults for everything but the vocabulary size: about 1 M parameters with a 3000-character vocabulary. */
export const CHAR_MLP_DEFAULTS: Readonly<Omit<CharMlpConfig, "vocabSize">> = Object.freeze({
  blockSize: 8,
  embed: 24,
  hidden: 256,
  dropout: 0,
  padId: 0,
});

function validate(config: CharMlpConfig): CharMlpConfig {
  for (const key of ["vocabSize", "blockSize", "embed", "hidden"] as const) {
    checkPositiveInteger(config[key], key, "create CharMlp");
  }
  checkInteger(config.padId, "padId", "create CharMlp");
  if (config.padId >= config.vocabSize) {
    throw new RangeError(
      `Cannot create CharMlp as padId must be below vocabSize ${config.vocabSize}: current value is ${config.padId}`,
    );
  }
  if (!(config.dropout >= 0 && config.dropout < 1)) {
    throw new RangeError(`Cannot create CharMlp as dropout must be in [0, 1): current value is ${config.dropout}`);
  }
  return Object.freeze({ ...config });
}

/**
 * The character MLP language model.
 *
 * @example
 * ```ts
 * import { CharMlp } from "@lib/nn/char_mlp.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new CharMlp({ vocabSize: 5, blockSize: 2, hidden: 8 });
 * const { logits } = model.forward(tf.tensor2d([[1, 2, 3]], [1, 3], "int32"));
 * assert.deepEqual(logits.shape, [1, 3, 5]); // a guess after each of the 3 positions
 * const probs = model.nextProbs([1, 2]);
 * assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
 * model.dispose();
 * ```
 */
export class CharMlp implements LanguageModel {
  /** The validated configuration. */
  readonly config: Readonly<CharMlpConfig>;
  /** Trainable weights by name: `embedding.weight`, `hidden.weight`, `hidden.bias`, `out.weight`, `out.bias`. */
  readonly params = new Parameters("char_mlp");

  /**
   * @param config `vocabSize` plus any of {@link CHAR_MLP_DEFAULTS} to override.
   * @param seed Seed for the initial weights.
   * @throws {RangeError} When a size is not a positive integer, padId is not a token, or dropout is not in [0, 1).
   */
  constructor(config: Partial<CharMlpConfig> & { vocabSize: number }, seed: number | Prng = SEED) {
    this.config = validate({ ...CHAR_MLP_DEFAULTS, ...config });
    const { vocabSize: V, blockSize: T, embed: E, hidden: H } = this.config;
    const prng = toPrng(seed);
    const init = (name: string, shape: number[], std: number) => {
      const t = std === 0 ? tf.zeros(shape) : tf.truncatedNormal(shape, 0, std, "float32", prng.tfSeed());
      this.params.add(name, t);
    };
    init("embedding.weight", [V, E], 1);
    init("hidden.weight", [T * E, H], 1 / Math.sqrt(T * E));
    init("hidden.bias", [H], 0);
    init("out.weight", [H, V], 0.1 / Math.sqrt(H)); // small, so the first guesses are near uniform
    init("out.bias", [V], 0);
  }

  #param<R extends tf.Tensor>(name: string): R {
    return this.params.get(name) as unknown as R;
  }

  /** Number of trainable numbers. */
  numParams(): number {
    return this.params.count();
  }

  /**
   * Next-token logits at every position of `idx`, each from the `blockSize` tokens up to and including it (padded
   * with `padId` on the left), and the mean cross-entropy against `targets` when given.
   *
   * @param idx Token ids `[B, T]` int32 (any T ≥ 1).
   * @param targets Next-token ids `[B, T]` int32 (−1 = ignore).
   * @param opts Training mode (dropout), dropout seed, per-token loss weights `[B, T]`.
   * @returns Logits `[B, T, V]`, and the loss when targets were given (the caller disposes both).
   * @throws {RangeError} When idx is not `[B, T]`, or targets/weights do not have its shape.
   */
  forward(idx: tf.Tensor, targets?: tf.Tensor, opts: ForwardOptions = {}): ForwardOutput {
    if (idx.rank !== 2 || idx.shape[1] === 0) {
      throw new RangeError(`Cannot run CharMlp as idx must be [B, T] token ids: current shape is [${idx.shape}]`);
    }
    for (const [name, t] of [["targets", targets], ["weights", opts.weights]] as const) {
      if (t && t.shape.join() !== idx.shape.join()) {
        throw new RangeError(
          `Cannot run CharMlp as ${name} must have the shape of idx [${idx.shape}]: current shape is [${t.shape}]`,
        );
      }
    }
    const { blockSize: W, embed: E, padId } = this.config;
    const [B, T] = idx.shape;
    const prng = opts.training && this.config.dropout > 0 ? toPrng(opts.seed) : null;
    const [logits, loss] = tf.tidy(() => {
      const padded = tf.concat([tf.fill([B, W - 1], padId, "int32"), tf.cast(idx, "int32")], 1); // [B, T+W-1]
      const windows = tf.stack(Array.from({ length: W }, (_, j) => tf.slice(padded, [0, j], [B, T])), 2); // [B, T, W]
      const emb = embedding(this.#param("embedding.weight"), windows.reshape([-1])); // [B*T*W, E]
      const pre = linear(emb.reshape([B * T, W * E]), this.#param("hidden.weight"), this.#param("hidden.bias"));
      const h = dropout(tf.tanh(pre), this.config.dropout, prng); // [B*T, H]
      const logits = linear(h, this.#param("out.weight"), this.#param("out.bias")); // [B*T, V]
      const out: tf.Tensor[] = [logits.reshape([B, T, -1])];
      if (targets) {
        const w = opts.weights ? opts.weights.reshape([-1]) as tf.Tensor1D : null;
        out.push(crossEntropy(logits as tf.Tensor2D, tf.cast(targets, "int32").reshape([-1]), w));
      }
      return out;
    });
    return { logits: logits as tf.Tensor3D, loss: loss as tf.Scalar | undefined };
  }

  /**
   * Probabilities of the next character after `context` (its last `blockSize` ids; a shorter one is left-padded
   * with `padId`), to show 文字接龙's choice as a distribution.
   *
   * @param context Token ids (may be empty).
   * @param temperature Divides the logits (default 1).
   * @returns `vocabSize` probabilities.
   * @throws {RangeError} When the temperature is not positive.
   */
  nextProbs(context: readonly number[], temperature = 1): number[] {
    if (!(temperature > 0)) {
      throw new RangeError(`Cannot sample as temperature must be a positive number: current value is ${temperature}`);
    }
    const window = context.length ? context.slice(-this.config.blockSize) : [this.config.padId];
    return tf.tidy(() => {
      const { logits } = this.forward(tf.tensor2d([window], [1, window.length], "int32")); // [1, t, V]
      const last = logits.slice([0, window.length - 1, 0], [1, 1, -1]).reshape([-1]);
      return Array.from(tf.softmax(tf.div(last, temperature)).dataSync());
    });
  }

  /** Parameter counts by layer (embedding, hidden, out). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /** Shown in a notebook: the config and a table of parameter counts. */
  [DISPLAY](): MimeBundle {
    const c = this.config;
    const head = `CharMlp: ${c.blockSize} characters × ${c.embed}-wide embeddings → ${c.hidden} tanh units → ` +
      `${c.vocabSize} tokens: ${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees the weights. */
  dispose(): void {
    this.params.dispose();
  }
}
