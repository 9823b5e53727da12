/**
 * A character-level MLP language model (Bengio et al. 2003): the last `context` characters are looked up in an
 * embedding table, concatenated, passed through one tanh hidden layer, and a softmax scores every possible next
 * character. It is the smallest model that plays 文字接龙 (the word chain game) well enough to write a poem, and
 * it trains in seconds on a laptop CPU: the fixed-window baseline for the recurrent and attention models.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/check_positive_integer.ts";

/** Shape of a {@link CharMlp}. */
export interface CharMlpConfig {
  /** Number of distinct tokens (characters plus specials). */
  vocabSize: number;
  /** How many previous characters the model sees. */
  context: number;
  /** Width of each character's embedding vector. */
  embed: number;
  /** Hidden units. */
  hidden: number;
  /** Adam learning rate. */
  learningRate: number;
}

/** Defaults for everything but the vocabulary size: about 1 M parameters with a 3000-character vocabulary. */
export const CHAR_MLP_DEFAULTS: Readonly<Omit<CharMlpConfig, "vocabSize">> = Object.freeze({
  context: 8,
  embed: 24,
  hidden: 256,
  learningRate: 3e-3,
});

function validate(config: CharMlpConfig): CharMlpConfig {
  for (const key of ["vocabSize", "context", "embed", "hidden"] as const) {
    checkPositiveInteger(config[key], key, "create CharMlp");
  }
  if (!(config.learningRate > 0)) {
    throw new RangeError(
      `Cannot create CharMlp as learningRate must be a positive number: current value is ${config.learningRate}`,
    );
  }
  return Object.freeze({ ...config });
}

/** Options of {@link CharMlp.generate}. */
export interface GenerateOptions {
  /** Most tokens to add. Default 100. */
  maxNew?: number;
  /** Divides the logits: below 1 is bolder about likely characters, above 1 more adventurous. Default 1. */
  temperature?: number;
  /** Random generator for the draws (takes precedence over `seed`). */
  prng?: Prng;
  /** Seed for the draws when no `prng` is given. Default 1337. */
  seed?: number;
  /** Token ids never drawn, such as `<unk>`. */
  banned?: readonly number[];
  /** Pads a context shorter than the model's window. Default 0. */
  padId?: number;
  /** Ends generation when it returns true, given the tokens added so far. */
  stop?: (added: readonly number[]) => boolean;
  /** Called (and awaited) after every new token. */
  onToken?: (id: number) => void | Promise<void>;
}

/**
 * The character MLP language model.
 *
 * @example
 * ```ts
 * import { CharMlp } from "@lib/nn/char_mlp.ts";
 * import assert from "node:assert/strict";
 * const model = new CharMlp({ vocabSize: 5, context: 2, hidden: 8 });
 * const probs = model.nextProbs([1, 2]);
 * assert.equal(probs.length, 5);
 * assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-5);
 * model.dispose();
 * ```
 */
export class CharMlp {
  /** The validated configuration. */
  readonly config: CharMlpConfig;
  /** Trainable weights by name. */
  readonly params: Record<"embedding" | "w1" | "b1" | "w2" | "b2", tf.Variable>;
  #optimizer: tf.Optimizer;

  /**
   * @param config `vocabSize` plus any of {@link CHAR_MLP_DEFAULTS} to override.
   * @param seed Seed for the initial weights.
   * @throws {RangeError} When a size is not a positive integer.
   */
  constructor(config: Partial<CharMlpConfig> & { vocabSize: number }, seed: number | Prng = SEED) {
    this.config = validate({ ...CHAR_MLP_DEFAULTS, ...config });
    const { vocabSize: V, context: T, embed: E, hidden: H } = this.config;
    const prng = toPrng(seed);
    const init = (shape: number[], std: number) => {
      const t = std === 0 ? tf.zeros(shape) : tf.truncatedNormal(shape, 0, std, "float32", prng.tfSeed());
      const v = tf.variable(t, true); // unnamed: tfjs gives each a unique name, so re-created models never clash
      t.dispose();
      return v;
    };
    this.params = {
      embedding: init([V, E], 1), // [V, E]
      w1: init([T * E, H], 1 / Math.sqrt(T * E)), // [T*E, H]
      b1: init([H], 0), // [H]
      w2: init([H, V], 0.1 / Math.sqrt(H)), // [H, V]: small, so the first guesses are near uniform
      b2: init([V], 0), // [V]
    };
    this.#optimizer = tf.train.adam(this.config.learningRate);
  }

  /** Number of trainable numbers. */
  parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.size, 0);
  }

  /**
   * Scores for the next character.
   * @param contexts `[B, context]` int32 token ids.
   * @returns `[B, vocabSize]` logits.
   */
  logits(contexts: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const { context: T, embed: E } = this.config;
      const [B] = contexts.shape;
      const emb = tf.gather(this.params.embedding, contexts.reshape([-1])); // [B*T, E]
      const h = tf.tanh(tf.add(tf.matMul(emb.reshape([B, T * E]), this.params.w1), this.params.b1)); // [B, H]
      return tf.add(tf.matMul(h, this.params.w2), this.params.b2) as tf.Tensor2D; // [B, V]
    });
  }

  /** Mean cross-entropy of predicting `targets` ([B] int32) from `contexts` ([B, context]). */
  loss(contexts: tf.Tensor2D, targets: tf.Tensor1D): tf.Scalar {
    return tf.tidy(() => {
      const logits = this.logits(contexts); // [B, V]
      const logp = tf.logSoftmax(logits); // [B, V]
      const picked = tf.sum(tf.mul(logp, tf.oneHot(targets, this.config.vocabSize)), 1); // [B]
      return tf.neg(tf.mean(picked)) as tf.Scalar;
    });
  }

  /**
   * One Adam step on a batch.
   * @returns The batch loss before the step.
   */
  trainStep(contexts: tf.Tensor2D, targets: tf.Tensor1D): number {
    const loss = this.#optimizer.minimize(() => this.loss(contexts, targets), true)!;
    const value = loss.dataSync()[0];
    loss.dispose();
    return value;
  }

  /**
   * Probabilities of the next character after `context` (the last `config.context` ids; shorter is left-padded
   * with `padId`).
   */
  nextProbs(context: readonly number[], temperature = 1, padId = 0): number[] {
    if (!(temperature > 0)) {
      throw new RangeError(`Cannot sample as temperature must be a positive number: current value is ${temperature}`);
    }
    const T = this.config.context;
    const window = context.slice(-T);
    const padded = [...Array(T - window.length).fill(padId), ...window];
    return tf.tidy(() => {
      const logits = this.logits(tf.tensor2d([padded], [1, T], "int32")); // [1, V]
      return Array.from(tf.softmax(tf.div(logits, temperature)).dataSync());
    });
  }

  /**
   * Plays 文字接龙: predicts a character, appends it to the context, predicts the next, and so on.
   *
   * @param prompt Token ids to start from (may be empty: the context is then all `padId`).
   * @param options `maxNew` tokens at most (default 100); `temperature` (default 1); `prng` or `seed` for the draws;
   *   `banned` ids never drawn (e.g. `<unk>`); `stop(ids)` ends early when it returns true; `onToken(id)` is
   *   awaited after each token (a notebook streams the text with it); `padId` (default 0).
   * @returns The new token ids (without the prompt).
   * @throws {RangeError} When `maxNew` is not a non-negative integer or the temperature is not positive.
   */
  async generate(prompt: readonly number[], options: GenerateOptions = {}): Promise<number[]> {
    const { maxNew = 100, temperature = 1, banned = [], padId = 0 } = options;
    if (!Number.isInteger(maxNew) || maxNew < 0) {
      throw new RangeError(`Cannot generate as maxNew must be a non-negative integer: current value is ${maxNew}`);
    }
    const prng = options.prng ?? new Prng(options.seed ?? SEED);
    const ids = [...prompt], added: number[] = [];
    for (let i = 0; i < maxNew; i++) {
      const probs = this.nextProbs(ids, temperature, padId);
      for (const b of banned) probs[b] = 0;
      const id = prng.categorical(probs);
      ids.push(id);
      added.push(id);
      await options.onToken?.(id);
      if (options.stop?.(added)) break;
    }
    return added;
  }

  /** Frees the weights and optimizer state. */
  dispose(): void {
    tf.dispose(Object.values(this.params));
    this.#optimizer.dispose();
  }
}

/**
 * Cuts a token sequence into (context, next-token) training pairs.
 *
 * @param ids The token ids of the whole training text.
 * @param context Window length.
 * @param padId Id used before the first token.
 * @returns `x` (row-major `[count, context]`) and `y` (`[count]`).
 * @throws {RangeError} When `context` is not a positive integer or `ids` is empty.
 * @example
 * ```ts
 * import { contextWindows } from "@lib/nn/char_mlp.ts";
 * import assert from "node:assert/strict";
 * const { x, y, count } = contextWindows([5, 6, 7], 2, 0);
 * assert.equal(count, 3);
 * assert.deepEqual(Array.from(x), [0, 0, 0, 5, 5, 6]);
 * assert.deepEqual(Array.from(y), [5, 6, 7]);
 * ```
 */
export function contextWindows(
  ids: readonly number[],
  context: number,
  padId = 0,
): { x: Int32Array; y: Int32Array; count: number } {
  checkPositiveInteger(context, "context", "cut windows");
  if (ids.length === 0) throw new RangeError("Cannot cut windows from an empty token sequence");
  const count = ids.length;
  const x = new Int32Array(count * context), y = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < context; j++) {
      const k = i - context + j;
      x[i * context + j] = k < 0 ? padId : ids[k];
    }
    y[i] = ids[i];
  }
  return { x, y, count };
}

/**
 * Draws a random batch of training pairs.
 *
 * @param windows What {@link contextWindows} returned.
 * @param context Window length (as given to contextWindows).
 * @param batch Pairs to draw.
 * @param prng The generator that picks them.
 * @returns Tensors `x` `[batch, context]` and `y` `[batch]`; the caller disposes them.
 * @example
 * ```ts
 * import { Prng, tf } from "@lib/core/mod.ts";
 * import { contextWindows, sampleBatch } from "@lib/nn/char_mlp.ts";
 * import assert from "node:assert/strict";
 * const { x, y } = sampleBatch(contextWindows([5, 6, 7], 2), 2, 4, new Prng(1));
 * assert.deepEqual(x.shape, [4, 2]);
 * assert.deepEqual(y.shape, [4]);
 * tf.dispose([x, y]);
 * ```
 */
export function sampleBatch(
  windows: { x: Int32Array; y: Int32Array; count: number },
  context: number,
  batch: number,
  prng: Prng,
): { x: tf.Tensor2D; y: tf.Tensor1D } {
  const xb = new Int32Array(batch * context), yb = new Int32Array(batch);
  for (let b = 0; b < batch; b++) {
    const i = prng.int(windows.count);
    xb.set(windows.x.subarray(i * context, (i + 1) * context), b * context);
    yb[b] = windows.y[i];
  }
  return { x: tf.tensor2d(xb, [batch, context], "int32"), y: tf.tensor1d(yb, "int32") };
}
