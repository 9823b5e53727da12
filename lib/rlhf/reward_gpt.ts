/**
 * The reward model of notebook 14, the one notebook 15 and the chat page load: the SFT model ({@link sftGpt}) with a
 * scalar head ({@link RewardModel}), trained with the Bradley–Terry loss on pairs of the SFT model's own answers
 * labelled by the programmatic labeler. One call gives it — from the model cache, or sampled and trained on the spot
 * (with progress bars, resumable) when the cache has none:
 *
 * ```ts ignore
 * const { model, tokenizer, pairs } = await rewardModel();
 * const [r] = await rewardsOf(model, [encodeScored(tokenizer, prompt, answer, model.config.blockSize)], pad);
 * ```
 *
 * The contract with the later notebooks:
 *
 * - cache entry `reward-14` (`<cacheDir>/reward-14@full` or `@quick`), kind `"reward-model"`: the trunk's GPT config,
 *   weights (the GPT's names plus `head.weight`, `head.bias`), the SFT tokenizer, and in `extra` the training history
 *   and the sampled pairs (so that loading it never samples again);
 * - a reward is read at `<|end|>` of `<|user|> prompt <|assistant|> answer <|end|>` ({@link encodeScored});
 * - pairs: {@link REWARD_PAIRS}`[mode]` answers per prompt, sampled with {@link PAIR_SAMPLING}, labelled by
 *   {@link labelPairs} in rankings of {@link RANKED} (ties dropped, everything else kept); the reward model trains on
 *   the rankings ({@link encodeRankings}: each answer read once per ranking).
 *
 * @module
 */
import { SEED } from "../core/mod.ts";
import { mode } from "../core/mode.ts";
import { assignWeights, type LoadedCheckpoint } from "../checkpoint/checkpoint.ts";
import { cached, cacheDir } from "../checkpoint/model_cache.ts";
import { exists } from "../checkpoint/fs.ts";
import { loadCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint.ts";
import { progress as progressBar } from "../notebook/progress.ts";
import { type GptConfig, gptConfig } from "../gpt/config.ts";
import { GPT } from "../gpt/model.ts";
import { runDir } from "../gpt/poem_gpt.ts";
import type { AdamWState } from "../nn/optim.ts";
import { replayChart } from "../nn/train.ts";
import type { LoopState } from "../nn/train.ts";
import { CharTokenizer, END_TOKEN, tokenizerFromJSON } from "../text/mod.ts";
import { type LabelledPairs, labelPairs, PAIR_SAMPLING, pairPrompts, RANKED, sampleAnswers } from "./pairs.ts";
import { encodeRankings, RewardModel, type RewardRecipe, trainRewardModel } from "./reward_model.ts";
import { SFT_GPT_NAME, sftGpt, sftGptKey } from "./sft_gpt.ts";

/** The cache entry's name. */
export const REWARD_MODEL_NAME = "reward-14";

/** The checkpoint kind. */
export const REWARD_KIND = "reward-model";

/** Answers sampled per prompt for each set of pairs (two answers make one pair, before ties are dropped). */
export interface PairSizes {
  /** Per training prompt, for the training pairs. */
  train: number;
  /** Per training prompt again, with other seeds: the held-out pairs. */
  heldOut: number;
  /** Per prompt of the new topics (never trained on). */
  newTopics: number;
}

/**
 * Pair sizes in each mode. Full: 1024 answers per training prompt (256 rankings of four, about 22,900 pairs after
 * ties; measured, paired two by two: 384 answers, 2,800 pairs, gave 68% held-out accuracy, the reward model memorising
 * them), 64 for the held-out pairs and for each new-topic prompt; quick: 128, 32, 16 (the quick SFT model samples 5×
 * faster).
 */
export const REWARD_PAIRS: Readonly<{ full: Readonly<PairSizes>; quick: Readonly<PairSizes> }> = Object.freeze({
  full: Object.freeze({ train: 1024, heldOut: 64, newTopics: 64 }),
  quick: Object.freeze({ train: 128, heldOut: 32, newTopics: 16 }),
});

const RECIPE = { weightDecay: 0.1, gradClip: 1, seed: SEED, evalIters: 4 };

/**
 * The training recipe in each mode (AdamW on every weight, cosine from lr to lr / 10; a batch is whole rankings).
 * Full: 800 steps of 32 rankings (about 128 answers and 130 pairs a step, 4.6 passes over the 5,600 rankings) at 1e-3
 * (3e-4 learned too slowly: train loss 0.52 after 400 steps; 16 rankings a step learned as well on one seed and stalled
 * at loss 0.43 on another). Quick: 150 steps of 8 rankings.
 */
export const REWARD_RECIPE: Readonly<{ full: Readonly<RewardRecipe>; quick: Readonly<RewardRecipe> }> = Object.freeze({
  full: Object.freeze({ ...RECIPE, steps: 800, batchSize: 32, lr: 1e-3, warmupIters: 20, evalInterval: 100 }),
  quick: Object.freeze({ ...RECIPE, steps: 150, batchSize: 8, lr: 1e-3, warmupIters: 10, evalInterval: 50 }),
});

/** The three sets of labelled pairs. */
export interface RewardPairs {
  /** Pairs the reward model trains on. */
  train: LabelledPairs;
  /** New answers to the training prompts: the held-out pairs. */
  heldOut: LabelledPairs;
  /** Pairs on the prompts of the new topics. */
  newTopics: LabelledPairs;
  /** Seconds the sampling took. */
  sampleSeconds: number;
}

/** Losses of the reward model's training run. */
export interface RewardHistory {
  /** The batch loss of every step. */
  losses: number[];
  /** Train and held-out loss estimates. */
  evals: { iter: number; train: number; val?: number }[];
}

/** What {@link rewardModel} gives. */
export interface RewardGpt {
  /** The reward model (the caller disposes it). */
  model: RewardModel;
  /** The SFT tokenizer. */
  tokenizer: CharTokenizer;
  /** The pairs it was trained and is tested on. */
  pairs: RewardPairs;
  /** How training went. */
  history: RewardHistory;
  /** The recipe. */
  recipe: Readonly<RewardRecipe>;
  /** True when this call trained it. */
  trainedNow: boolean;
}

/** Options of {@link rewardModel}. */
export interface RewardModelOptions {
  /** A live chart for the losses (drawn live while training, or replayed from the cache). */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Show progress bars (default true). */
  progress?: boolean;
  /** Print nothing about the cache (default false). */
  quiet?: boolean;
  /** The cache folder (default `cacheDir()`). */
  root?: string;
}

/**
 * Samples the three sets of pairs from a model: `sizes.train` answers per training prompt, `sizes.heldOut` more with
 * other seeds, `sizes.newTopics` per new-topic prompt; each set labelled by {@link labelPairs} in rankings of
 * {@link RANKED}.
 *
 * @param model The SFT model.
 * @param tokenizer Its tokenizer.
 * @param sizes Answers per prompt.
 * @param onPrompt Called after each prompt's answers (a progress bar's advance).
 * @returns The pairs and the seconds it took.
 * @throws {RangeError} When a size is not a multiple of {@link RANKED}.
 */
export async function sampleRewardPairs(
  model: GPT,
  tokenizer: CharTokenizer,
  sizes: Readonly<PairSizes>,
  onPrompt?: () => unknown,
): Promise<RewardPairs> {
  for (const [name, k] of Object.entries(sizes)) {
    if (!Number.isInteger(k) || k < RANKED || k % RANKED !== 0) {
      throw new RangeError(
        `Cannot sample the reward pairs as answers per prompt must be multiples of ${RANKED} (whole rankings): ` +
          `got ${name} ${k}`,
      );
    }
  }
  const t0 = performance.now();
  const { train, newTopics } = pairPrompts();
  const sample = async (prompts: typeof train, seed: number, k: number) => {
    const groups = [];
    for (const [i, p] of prompts.entries()) {
      groups.push({ ...p, answers: await sampleAnswers(model, tokenizer, p.prompt, k, { seed: seed + i }) });
      await onPrompt?.();
    }
    return labelPairs(groups, RANKED);
  };
  return {
    train: await sample(train, 1000, sizes.train),
    heldOut: await sample(train, 2000, sizes.heldOut),
    newTopics: await sample(newTopics, 3000, sizes.newTopics),
    sampleSeconds: (performance.now() - t0) / 1000,
  };
}

interface Trained {
  model: RewardModel;
  tokenizer: CharTokenizer;
  pairs: RewardPairs;
  history: RewardHistory;
}

function fromCheckpoint(ckpt: LoadedCheckpoint): Trained {
  const model = new RewardModel(new GPT(gptConfig(ckpt.config as Partial<GptConfig>)));
  try {
    assignWeights(model.params, ckpt.weights);
  } catch (e) {
    model.dispose();
    throw e;
  }
  const extra = ckpt.extra as { history?: RewardHistory; pairs?: RewardPairs } | undefined;
  if (!Array.isArray(extra?.history?.losses) || !Array.isArray(extra?.pairs?.train?.pairs)) {
    model.dispose();
    throw new Error("the checkpoint has no training history or pairs");
  }
  const tokenizer = tokenizerFromJSON(ckpt.tokenizer);
  if (!(tokenizer instanceof CharTokenizer)) {
    model.dispose();
    throw new Error("the checkpoint's tokenizer is not the SFT model's character tokenizer");
  }
  return { model, tokenizer, pairs: extra.pairs, history: extra.history };
}

/**
 * What the reward model's cache entry is keyed on in the current mode: its recipe, the pairs' sizes, ranking and
 * sampling, the prompts, and the SFT model's key ({@link sftGptKey}). Notebook 15's policies put it in their keys.
 *
 * @returns The key's inputs (JSON).
 * @example
 * ```ts
 * import { REWARD_RECIPE, rewardModelKey, sftGptKey } from "@lib/rlhf/mod.ts";
 * import { mode } from "@lib/core/mode.ts";
 * import assert from "node:assert/strict";
 * const key = rewardModelKey();
 * assert.deepEqual(key.base, { name: "gpt-sft", key: sftGptKey() }); // retraining the SFT model changes it
 * assert.equal(key.steps, REWARD_RECIPE[mode()].steps);
 * ```
 */
export function rewardModelKey(): Record<string, unknown> {
  const m = mode();
  return {
    ...REWARD_RECIPE[m],
    sizes: REWARD_PAIRS[m],
    ranked: RANKED,
    sampling: PAIR_SAMPLING,
    prompts: pairPrompts(),
    base: { name: SFT_GPT_NAME, key: sftGptKey() },
  };
}

/**
 * The reward model of notebook 14 (see the module's documentation for the contract): loaded from the model cache, or
 * sampled and trained on the SFT model (itself loaded or trained) and saved there. The sampled pairs are kept in the
 * run folder, and training keeps a checkpoint every `evalInterval` steps: a stopped cell resumes when called again.
 *
 * @param options A live chart, progress bars, quiet, the cache folder.
 * @returns The model, the tokenizer, the pairs, the history, the recipe, and whether it was trained now.
 * @throws {TrainingStopped} When the learner stops training (call again to resume).
 */
export async function rewardModel(options: RewardModelOptions = {}): Promise<RewardGpt> {
  const { chart, progress = true, quiet = false, root = cacheDir() } = options;
  const recipe = REWARD_RECIPE[mode()], sizes = REWARD_PAIRS[mode()];
  const key = rewardModelKey();
  let trainedNow = false;
  const value = await cached<Trained>({
    kind: REWARD_KIND,
    name: REWARD_MODEL_NAME,
    notebook: "14_reward_model",
    config: { base: SFT_GPT_NAME, head: "scalar at <|end|>" },
    recipe: key,
    root,
    quiet,
    train: async () => {
      trainedNow = true;
      const sft = await sftGpt({ progress, quiet, root });
      const dir = await runDir(REWARD_MODEL_NAME, key, root);
      const pairsFile = `${dir}/pairs.json`;
      let pairs: RewardPairs;
      if (await exists(pairsFile)) pairs = JSON.parse(await Deno.readTextFile(pairsFile));
      else {
        const prompts = pairPrompts();
        const bar = progress
          ? progressBar(2 * prompts.train.length + prompts.newTopics.length, { label: "pairs" })
          : null;
        pairs = await sampleRewardPairs(sft.model, sft.tokenizer, sizes, () => bar?.advance());
        await bar?.done();
        await Deno.mkdir(dir, { recursive: true });
        await Deno.writeTextFile(pairsFile, JSON.stringify(pairs));
      }
      const model = new RewardModel(sft.model);
      const resume = await loadState(dir, model);
      const { blockSize } = model.config;
      const data = {
        train: encodeRankings(sft.tokenizer, pairs.train.pairs, blockSize),
        val: encodeRankings(sft.tokenizer, pairs.heldOut.pairs, blockSize),
      };
      const run = await trainRewardModel(model, data, recipe, {
        padId: sft.tokenizer.specialId(END_TOKEN),
        progress: progress ? "RM" : false,
        chart,
        resumeFrom: resume,
        onCheckpoint: (state) => saveState(dir, model, state),
      }).catch((error) => {
        model.dispose();
        throw error;
      });
      if (await exists(dir)) await Deno.remove(dir, { recursive: true });
      return {
        model,
        tokenizer: sft.tokenizer,
        pairs,
        history: { losses: run.losses, evals: run.evals as RewardHistory["evals"] },
      };
    },
    save: (v) => ({
      config: { ...v.model.config },
      weights: v.model.params,
      tokenizer: v.tokenizer,
      extra: { history: v.history, pairs: v.pairs },
    }),
    load: fromCheckpoint,
  });
  if (!trainedNow && chart) await replayChart(chart, value.history);
  return {
    model: value.model,
    tokenizer: value.tokenizer,
    pairs: value.pairs,
    history: value.history,
    recipe,
    trainedNow,
  };
}

async function saveState(dir: string, model: RewardModel, state: LoopState<AdamWState>): Promise<void> {
  await saveCheckpoint(`${dir}/ckpt`, {
    kind: REWARD_KIND,
    config: { ...model.config },
    step: state.iter,
    weights: model.params,
    optimizer: state.optimizer,
    extra: { losses: state.losses, evals: state.evals, options: state.options },
  });
}

async function loadState(dir: string, model: RewardModel): Promise<LoopState<AdamWState> | undefined> {
  if (!(await exists(`${dir}/ckpt`))) return undefined;
  const ckpt = await loadCheckpoint(`${dir}/ckpt`, { kind: REWARD_KIND }).catch(() => null);
  if (!ckpt) return undefined;
  try {
    assignWeights(model.params, ckpt.weights);
    const extra = ckpt.extra as { losses: number[]; evals: LoopState["evals"]; options: Record<string, number> };
    return {
      iter: ckpt.step,
      losses: extra.losses,
      evals: extra.evals,
      options: extra.options,
      optimizer: ckpt.optimizer as AdamWState,
    };
  } catch {
    return undefined;
  } finally {
    ckpt.dispose();
  }
}
