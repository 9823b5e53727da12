/**
 * Supervised fine-tuning (SFT, 监督微调) of a pretrained GPT on chat examples: grow its vocabulary by the chat tokens
 * ({@link growForChat}), then lib/nn's training loop on batches of templated examples whose loss weights are the
 * response mask ({@link chatBatches}), with AdamW, a warmup + cosine learning rate, clipping, train/val estimates of
 * the masked loss, a chart, checkpoints and a stop from the notebook — the loop every model of the course trains with.
 *
 * @module
 */
import { type Prng, SEED } from "../core/mod.ts";
import { checkPositive, checkPositiveInteger } from "../core/validate.ts";
import type { GPT } from "../gpt/model.ts";
import type { TrainState } from "../gpt/train.ts";
import { AdamW, type AdamWState } from "../nn/optim.ts";
import { cosineLr } from "../nn/lr_schedule.ts";
import { type LoopResult, type LoopState, train } from "../nn/train.ts";
import type { CharTokenizer } from "../text/mod.ts";
import { addChatTokens, type EncodedChat } from "./chat_template.ts";
import { chatBatches } from "./sft_batch.ts";

/**
 * Makes a pretrained GPT and its tokenizer ready for the chat template: the tokenizer gets the chat tokens (and the
 * instructions' punctuation) at the end of its vocabulary, and the model's token embedding (tied to its output
 * head) grows by as many rows, drawn like at initialisation; every trained row is kept as it was.
 *
 * @param model The pretrained GPT (changed in place).
 * @param tokenizer Its character tokenizer (changed in place).
 * @param seed Seed of the new rows.
 * @returns The number of rows added.
 * @throws {RangeError} When the tokenizer and the model disagree on the vocabulary size before growing.
 * @example
 * ```ts
 * import { growForChat } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("床前明月光");
 * const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 });
 * assert.equal(growForChat(model, tok), 5); // <|user|> <|assistant|> <|end|> ： ？
 * assert.equal(model.config.vocabSize, tok.vocabSize);
 * model.dispose();
 * ```
 */
export function growForChat(model: GPT, tokenizer: CharTokenizer, seed: number | Prng = SEED): number {
  const before = model.config.vocabSize;
  if (tokenizer.vocabSize !== before) {
    throw new RangeError(
      `Cannot grow the model for chat as its vocabulary has ${before} entries and the tokenizer's ${tokenizer.vocabSize}`,
    );
  }
  const { vocabSize } = addChatTokens(tokenizer);
  if (vocabSize !== before) model.resizeVocab(vocabSize, seed);
  return vocabSize - before;
}

/** How a model is fine-tuned. */
export interface SftRecipe {
  /** Optimizer steps. */
  steps: number;
  /** Examples per batch. */
  batchSize: number;
  /** Peak learning rate. */
  lr: number;
  /** Final learning rate of the cosine (default lr / 10). */
  minLr?: number;
  /** Linear warmup steps. */
  warmupIters: number;
  /** AdamW weight decay (matrices only). */
  weightDecay: number;
  /** Clip gradients to this global norm (0 = off). */
  gradClip: number;
  /** Estimate the masked train/val loss every this many steps and at the end (0 = never). */
  evalInterval: number;
  /** Batches per estimate. */
  evalIters: number;
  /** Seed of the batches. */
  seed: number;
}

/** Settings of {@link trainSft} besides the recipe. */
export interface SftOptions {
  /** The id written in the padding (default the tokenizer's `<|end|>`; its weight is 0 whatever it is). */
  padId: number;
  /** Show a progress bar (default true), or its label. */
  progress?: boolean | string;
  /** A live chart (lib/plot's `LiveChart`): `train` and `val` masked losses, and `batch`. */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Called with the state every `checkpointInterval` steps, at the end, and when the learner stops. */
  onCheckpoint?: (state: TrainState) => unknown;
  /** Steps between checkpoints (default evalInterval). */
  checkpointInterval?: number;
  /** A state to resume from (as given to onCheckpoint). */
  resumeFrom?: TrainState;
}

/**
 * Fine-tunes a GPT on encoded chat examples with the loss masked to the responses (lib/nn's `train`).
 *
 * @param model The GPT, already grown for the chat tokens (trained in place).
 * @param data Encoded training examples, and optionally held-out ones for the val loss.
 * @param recipe Steps, batch size, learning rate and schedule, weight decay, clipping, estimates, seed.
 * @param options Padding id, progress, chart, checkpoints, resume.
 * @returns The run (losses, masked-loss estimates, optimizer state, wall time).
 * @throws {RangeError} For a recipe out of range or an example longer than the model's context.
 *   lib/nn's `TrainingStopped` when the learner stops the cell (its state resumes the run).
 * @example
 * ```ts
 * import { encodeChat, growForChat, trainSft } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("问答一二");
 * const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 16, nLayer: 1, nHead: 1, nEmbd: 16 });
 * growForChat(model, tok);
 * const train = [encodeChat(tok, { prompt: "问一", response: "答二" })];
 * const recipe = { steps: 30, batchSize: 2, lr: 1e-2, warmupIters: 0, weightDecay: 0, gradClip: 1, evalInterval: 30, evalIters: 1, seed: 1 };
 * const run = await trainSft(model, { train }, recipe, { padId: 0, progress: false });
 * assert.ok(run.evals.at(-1)!.train < 0.5);
 * model.dispose();
 * ```
 */
export async function trainSft(
  model: GPT,
  data: { train: readonly EncodedChat[]; val?: readonly EncodedChat[] },
  recipe: Readonly<SftRecipe>,
  options: SftOptions,
): Promise<LoopResult<AdamWState>> {
  for (const name of ["steps", "batchSize"] as const) checkPositiveInteger(recipe[name], name, "fine-tune");
  checkPositive(recipe.lr, "lr", "fine-tune");
  const { blockSize } = model.config, { padId } = options;
  const schedule = {
    lr: recipe.lr,
    warmupIters: recipe.warmupIters,
    decayIters: recipe.steps,
    minLr: recipe.minLr ?? recipe.lr / 10,
  };
  const batches = chatBatches(data.train, recipe.batchSize, padId, blockSize);
  const evalSplits = {
    train: batches,
    ...(data.val ? { val: chatBatches(data.val, recipe.batchSize, padId, blockSize) } : {}),
  };
  const opt = new AdamW(model.params, { lr: recipe.lr, weightDecay: recipe.weightDecay });
  try {
    return await train<AdamWState>({
      model,
      optimizer: opt,
      batches,
      steps: recipe.steps,
      lr: (it) => cosineLr(it, schedule),
      gradClip: recipe.gradClip,
      seed: recipe.seed,
      evalSplits,
      evalIters: recipe.evalIters,
      evalInterval: recipe.evalInterval,
      progress: options.progress ?? "SFT",
      chart: options.chart,
      onCheckpoint: options.onCheckpoint as ((state: LoopState<AdamWState>) => unknown) | undefined,
      checkpointInterval: options.checkpointInterval ?? recipe.evalInterval,
      resumeFrom: options.resumeFrom as LoopState<AdamWState> | undefined,
      record: { ...schedule, batchSize: recipe.batchSize },
    });
  } finally {
    opt.dispose();
  }
}
