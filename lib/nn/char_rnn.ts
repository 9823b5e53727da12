/**
 * A character-level recurrent language model: each character is looked up in an embedding table, a recurrent cell
 * (the plain RNN or the LSTM) reads the sequence one character at a time, and a linear head scores every possible
 * next character from the hidden state.
 *
 *     ids [B, T] → embedding [B, T, E] → RNN / LSTM [B, T, H] → head [B, T, V]
 *
 * Unlike the character MLP, which sees a fixed window, the recurrent model's state can in principle carry anything it
 * has read; {@link CharRnn.inputGradients} measures how much the last prediction still depends on each earlier
 * character, which shows the plain RNN's vanishing gradient (长距离依赖问题) and the LSTM's memory. Notebook 07 trains
 * both on Tang poems; notebook 08 uses the LSTM (its hidden states, {@link CharRnn.forward} with `hidden: true`) as
 * the recurrent baseline against attention.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { crossEntropy, embedding, linear } from "./layers.ts";
import { lstm, rnn } from "./recurrent.ts";
import { initRecurrent } from "./_recurrent.ts";
import { type ForwardOptions, type LanguageModel, type ParamGroup, paramGroups, summaryBundle } from "./model.ts";

/** The two cells {@link CharRnn} can use. */
export const CHAR_RNN_CELLS = ["rnn", "lstm"] as const;

/** Shape of a {@link CharRnn}. */
export interface CharRnnConfig {
  /** Number of distinct tokens (characters plus specials). */
  vocabSize: number;
  /** `"rnn"` (plain tanh cell) or `"lstm"`. */
  cell: typeof CHAR_RNN_CELLS[number];
  /** Width of each character's embedding vector. */
  embed: number;
  /** Hidden units of the cell. */
  hidden: number;
  /** The longest prompt generation reads (older tokens are cropped). The state carries the context, so this only
   * bounds prompts: default 10,000. */
  blockSize: number;
}

/** Defaults for everything but the vocabulary size. */
export const CHAR_RNN_DEFAULTS: Readonly<Omit<CharRnnConfig, "vocabSize">> = Object.freeze({
  cell: "lstm",
  embed: 64,
  hidden: 128,
  blockSize: 10_000,
});

/** The state a {@link CharRnn} carries between calls: `h` `[B, H]`, and for the LSTM the memory `c` `[B, H]`. */
export interface RecurrentState {
  h: tf.Tensor2D;
  c?: tf.Tensor2D;
}

/** What {@link CharRnn.forward} returns. */
export interface CharRnnOutput {
  /** Next-token logits `[B, T, V]`. */
  logits: tf.Tensor3D;
  /** Mean cross-entropy against the targets (when targets were given). */
  loss?: tf.Scalar;
  /** Every hidden state `[B, T, H]` (when `hidden: true`). */
  hidden?: tf.Tensor3D;
  /** The state after the last step, to continue from. */
  state: RecurrentState;
}

function validate(config: CharRnnConfig): CharRnnConfig {
  for (const key of ["vocabSize", "embed", "hidden", "blockSize"] as const) {
    checkPositiveInteger(config[key], key, "create CharRnn");
  }
  if (!CHAR_RNN_CELLS.includes(config.cell)) {
    throw new RangeError(
      `Cannot create CharRnn as cell must be one of ${CHAR_RNN_CELLS.join(", ")}: current value is ${config.cell}`,
    );
  }
  return Object.freeze({ ...config });
}

/**
 * Number of parameters of a {@link CharRnn} with this config (to give an RNN and an LSTM the same budget).
 *
 * @param config `vocabSize` plus any of {@link CHAR_RNN_DEFAULTS}.
 * @returns The count.
 * @throws {RangeError} For an invalid config.
 * @example
 * ```ts
 * import { countCharRnnParams } from "@lib/nn/char_rnn.ts";
 * import assert from "node:assert/strict";
 * // embedding 10·4, cell (4 + 8 + 1)·8·4 for the LSTM's four gates, head 8·10 + 10
 * assert.equal(countCharRnnParams({ vocabSize: 10, embed: 4, hidden: 8 }), 40 + 416 + 90);
 * ```
 */
export function countCharRnnParams(config: Partial<CharRnnConfig> & { vocabSize: number }): number {
  const { vocabSize: V, cell, embed: E, hidden: H } = validate({ ...CHAR_RNN_DEFAULTS, ...config });
  const gates = cell === "lstm" ? 4 : 1;
  return V * E + (E + H + 1) * gates * H + H * V + V;
}

/**
 * The character RNN/LSTM language model.
 *
 * @example
 * ```ts
 * import { CharRnn } from "@lib/nn/char_rnn.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const model = new CharRnn({ vocabSize: 6, cell: "lstm", embed: 4, hidden: 8 });
 * const { logits, loss, state } = model.forward(tf.tensor2d([[1, 2, 3]], [1, 3], "int32"), tf.tensor2d([[2, 3, 4]], [1, 3], "int32"));
 * assert.deepEqual(logits.shape, [1, 3, 6]);
 * assert.ok(Math.abs(loss!.dataSync()[0] - Math.log(6)) < 0.5); // near uniform before training
 * assert.deepEqual(state.c!.shape, [1, 8]);
 * model.dispose();
 * ```
 */
/** The recurrent state as the cache of lib/nn's `generate`: each new token costs one step, not a pass over the text. */
export class RecurrentCache {
  /** Tokens read so far. */
  length = 0;
  /** The state after them (none before the first call). */
  state?: RecurrentState;
  /** Frees the state's tensors. */
  dispose(): void {
    if (this.state) tf.dispose([this.state.h, ...(this.state.c ? [this.state.c] : [])]);
    this.state = undefined;
  }
}

export class CharRnn implements LanguageModel {
  /** The validated configuration. */
  readonly config: CharRnnConfig;
  /** Trainable weights by name: `embedding`, `cell.kernel`, `cell.recurrentKernel`, `cell.bias`, `head.weight`,
   * `head.bias`. */
  readonly params = new Map<string, tf.Variable>();

  /**
   * @param config `vocabSize` plus any of {@link CHAR_RNN_DEFAULTS} to override.
   * @param seed Seed or generator for the initial weights.
   * @throws {RangeError} When a size is not a positive integer or the cell is unknown.
   */
  constructor(config: Partial<CharRnnConfig> & { vocabSize: number }, seed: number | Prng = SEED) {
    this.config = validate({ ...CHAR_RNN_DEFAULTS, ...config });
    const { vocabSize: V, cell, embed: E, hidden: H } = this.config;
    const prng = toPrng(seed);
    const w = initRecurrent(E, H, cell === "lstm" ? 4 : 1, prng, "create CharRnn");
    const k = 1 / Math.sqrt(H);
    const tensors: [string, tf.Tensor][] = [
      ["embedding", tf.randomNormal([V, E], 0, 1, "float32", prng.tfSeed())], // [V, E]
      ["cell.kernel", w.kernel], // [E, G·H]
      ["cell.recurrentKernel", w.recurrentKernel], // [H, G·H]
      ["cell.bias", w.bias], // [G·H]
      ["head.weight", tf.randomUniform([H, V], -k, k, "float32", prng.tfSeed())], // [H, V]
      ["head.bias", tf.zeros([V])], // [V]
    ];
    for (const [name, t] of tensors) {
      this.params.set(name, tf.variable(t, true)); // unnamed: tfjs names each uniquely, so re-created models never clash
      t.dispose();
    }
  }

  #p<T extends tf.Tensor = tf.Tensor2D>(name: string): T {
    return this.params.get(name) as unknown as T;
  }

  /** Number of trainable numbers. */
  numParams(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.size;
    return n;
  }

  #checkIds(ids: tf.Tensor, name: string): [number, number] {
    if (!(ids instanceof tf.Tensor) || ids.rank !== 2 || ids.dtype !== "int32") {
      throw new RangeError(
        `Cannot run CharRnn as ${name} must be an int32 tensor [B, T]: current value is ${
          ids instanceof tf.Tensor ? `${ids.dtype} [${ids.shape}]` : ids
        }`,
      );
    }
    return ids.shape as [number, number];
  }

  /**
   * Runs the model over `idx`, continuing from `state` when given.
   *
   * @param idx Token ids `[B, T]` (int32).
   * @param targets Next-token ids `[B, T]` (int32) for the loss; negative ids are ignored.
   * @param opts `state` to continue from (default zeros); `hidden: true` to also return every hidden state; `fused`
   *   to force (`true`) or avoid (`false`) the fused RNN/LSTM kernel (default: fused where the backend has it).
   * @returns Logits, the loss when targets were given, hidden states when asked, and the last state.
   * @throws {RangeError} When `idx` or `targets` is not an int32 `[B, T]` tensor, or they differ in shape.
   */
  forward(
    idx: tf.Tensor,
    targets?: tf.Tensor,
    opts: ForwardOptions & { state?: RecurrentState; hidden?: boolean; fused?: boolean } = {},
  ): CharRnnOutput {
    const [B, T] = this.#checkIds(idx, "idx");
    if (targets !== undefined) {
      const [tb, tt] = this.#checkIds(targets, "targets");
      if (tb !== B || tt !== T) {
        throw new RangeError(
          `Cannot run CharRnn as targets must have the shape of idx [${B}, ${T}]: current shape is [${tb}, ${tt}]`,
        );
      }
    }
    return tf.tidy(() => {
      const x = embedding(this.#p("embedding"), idx.reshape([-1]) as tf.Tensor1D).reshape([B, T, -1]); // [B, T, E]
      return this.#fromEmbeddings(x, targets, opts) as unknown as tf.TensorContainerObject;
    }) as unknown as CharRnnOutput;
  }

  /** The cell and head on embedded inputs `[B, T, E]`. */
  #fromEmbeddings(
    x: tf.Tensor,
    targets: tf.Tensor | undefined,
    opts: { state?: RecurrentState; hidden?: boolean; fused?: boolean },
  ): CharRnnOutput {
    const [B, T] = x.shape;
    const { vocabSize: V, hidden: H } = this.config;
    const w = {
      kernel: this.#p("cell.kernel"),
      recurrentKernel: this.#p("cell.recurrentKernel"),
      bias: this.#p("cell.bias"),
    };
    let hs: tf.Tensor3D, state: RecurrentState;
    if (this.config.cell === "lstm") {
      const out = lstm(x, w, opts.state, { fused: opts.fused });
      [hs, state] = [out.hs, { h: out.h, c: out.c }];
    } else {
      const out = rnn(x, w, opts.state?.h, { fused: opts.fused });
      [hs, state] = [out.hs, { h: out.h }];
    }
    const logits = linear(hs.reshape([B * T, H]), this.#p("head.weight"), this.#p<tf.Tensor1D>("head.bias")); // [B·T, V]
    const result: CharRnnOutput = { logits: logits.reshape([B, T, V]), state };
    if (targets) result.loss = crossEntropy(logits as tf.Tensor2D, targets.reshape([-1]) as tf.Tensor1D);
    if (opts.hidden) result.hidden = hs;
    return result;
  }

  /**
   * How strongly the prediction at the last position depends on each earlier character: the norm of the gradient
   * of its loss with respect to each input embedding, `‖∂ℓ_T / ∂x_t‖`, averaged over the batch. For the plain RNN it
   * falls off geometrically with the distance `T − 1 − t`; for a trained LSTM it falls much more slowly.
   *
   * @param idx Token ids `[B, T]` (int32).
   * @param targets Next-token ids `[B, T]`; only the last column is used.
   * @returns `T` numbers: index t is the gradient norm at distance `T − 1 − t` from the last position.
   * @throws {RangeError} When `idx` or `targets` is not an int32 `[B, T]` tensor of the same shape.
   */
  async inputGradients(idx: tf.Tensor, targets: tf.Tensor): Promise<number[]> {
    const [B, T] = this.#checkIds(idx, "idx");
    this.#checkIds(targets, "targets");
    if (targets.shape[0] !== B || targets.shape[1] !== T) {
      throw new RangeError(
        `Cannot run CharRnn as targets must have the shape of idx [${B}, ${T}]: current shape is [${targets.shape}]`,
      );
    }
    const mean = tf.tidy(() => {
      const x = embedding(this.#p("embedding"), idx.reshape([-1]) as tf.Tensor1D).reshape([B, T, -1]);
      const last = tf.slice(targets, [0, T - 1], [B, 1]); // [B, 1]
      const mask = tf.concat([tf.fill([B, T - 1], -1, "int32"), last], 1); // only the last position counts
      const dx = tf.grad((x: tf.Tensor) => this.#fromEmbeddings(x, mask, {}).loss!)(x); // [B, T, E]
      const norms = tf.sqrt(tf.sum(tf.square(dx), 2)); // [B, T]
      return tf.mean(norms, 0); // [T]
    });
    const values = Array.from(await mean.data());
    mean.dispose();
    return values;
  }

  /**
   * The cached step of 文字接龙 (the word chain game; lib/nn's `generate` calls it): reads only the new tokens `idx`
   * `[B, Tnew]`, continuing from the state in `cache` (a new cache when null), and returns the last position's logits.
   *
   * @param idx New token ids `[B, Tnew]` (int32).
   * @param cache The cache of the tokens before them, or null.
   * @returns Logits `[B, V]` (the caller disposes them) and the cache, now holding the state after `idx`.
   */
  forwardCached(idx: tf.Tensor, cache: RecurrentCache | null): { logits: tf.Tensor2D; cache: RecurrentCache } {
    const next = cache ?? new RecurrentCache();
    const [, T] = this.#checkIds(idx, "idx");
    const { logits, state } = tf.tidy(() => {
      const out = this.forward(idx, undefined, { state: next.state });
      const [B, , V] = out.logits.shape;
      const last = tf.slice(out.logits, [0, T - 1, 0], [B, 1, V]).reshape([B, V]);
      return { logits: last, state: out.state as unknown as tf.TensorContainer };
    }) as unknown as { logits: tf.Tensor2D; state: RecurrentState };
    next.dispose();
    next.state = state;
    next.length += T;
    return { logits, cache: next };
  }

  /** Parameter counts by group (embedding, cell, head). */
  summary(): ParamGroup[] {
    return paramGroups(this.params);
  }

  /** Shown in a notebook: the cell, the sizes, the parameter count and the groups. */
  [DISPLAY](): MimeBundle {
    const { cell, vocabSize: V, embed: E, hidden: H } = this.config;
    const head = `CharRnn (${cell === "lstm" ? "LSTM" : "plain RNN"}): vocabulary ${V}, embedding ${E}, hidden ${H}: ` +
      `${this.numParams().toLocaleString("en")} parameters`;
    return summaryBundle(head, this.summary());
  }

  /** Frees every parameter. */
  dispose(): void {
    for (const p of this.params.values()) p.dispose();
    this.params.clear();
  }
}
