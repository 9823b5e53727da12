/**
 * The SFT model: the poem GPT of notebook 11 ({@link poemGpt}) fine-tuned by notebook 12 on the poem instructions
 * (lib/rlhf/instructions.ts), the model that notebooks 14 and 15 and the chat page start from. One call gives it —
 * from the model cache, or fine-tuned on the spot (with a progress bar, resumable) when the cache has none:
 *
 * ```ts ignore
 * const { model, tokenizer } = await sftGpt();   // loaded, or fine-tuned and cached
 * const prompt = tokenizer.encode(formatChat("写一首关于月的五言绝句"));
 * ```
 *
 * The contract with the later notebooks:
 *
 * - cache entry `gpt-sft` (`<cacheDir>/gpt-sft@full` or `@quick`), kind `"gpt"`, a checkpoint `loadGpt` reads too
 *   (weights, config, the tokenizer, and the loss history in `extra`);
 * - tokenizer: the poem GPT's `CharTokenizer` with {@link addChatTokens}: ids 0–2999 as in `gpt-poems`, then
 *   `<|user|>`, `<|assistant|>`, `<|end|>`, "：", "？" (3000–3004);
 * - the template: {@link formatChat}; an answer ends at `<|end|>`;
 * - data: {@link instructionData} of the poem corpus ({@link SFT_DATA}), drawn in the mix {@link SFT_MIX}; its
 *   held-out examples are the val poems'.
 * - model: the poem GPT of the same mode, grown to 3005 tokens, fine-tuned by {@link SFT_GPT}`[mode]`. The entry's
 *   key hashes the base model's spec, the SFT recipe, the data options, mode and lib version: a change to any of them
 *   trains it again (loading the SFT model never needs the base model; training it does).
 *
 * @module
 */
import { SEED } from "../core/mod.ts";
import { mode } from "../core/mode.ts";
import type { LoadedCheckpoint } from "../checkpoint/checkpoint.ts";
import { cached, cacheDir } from "../checkpoint/model_cache.ts";
import { exists } from "../checkpoint/fs.ts";
import { loadPoems, type PoemCorpus } from "../data/poems.ts";
import { type GptConfig, gptConfig } from "../gpt/config.ts";
import { GPT } from "../gpt/model.ts";
import { POEM_GPT_DATA, poemGpt, poemGptSpec, runDir } from "../gpt/poem_gpt.ts";
import { GPT_KIND, gptFromCheckpoint, loadGpt, saveGpt } from "../gpt/save.ts";
import type { TrainState } from "../gpt/train.ts";
import { replayChart } from "../nn/train.ts";
import { CharTokenizer, CHAT_TOKENS, END_TOKEN } from "../text/mod.ts";
import { addChatTokens, encodeChat, INSTRUCTION_PUNCTUATION } from "./chat_template.ts";
import {
  balanceFamilies,
  INSTRUCTION_FAMILIES,
  type InstructionData,
  instructionData,
  type InstructionFamily,
} from "./instructions.ts";
import { growForChat, type SftRecipe, trainSft } from "./sft.ts";

/** The cache entry's name. */
export const SFT_GPT_NAME = "gpt-sft";

/** The instruction data the SFT model is tuned on: 25 held-out examples per family (the val loss is theirs). */
export const SFT_DATA: Readonly<{ perFamily: number; seed: number }> = Object.freeze({ perFamily: 25, seed: SEED });

/**
 * How often each family is drawn, relative to the largest family (lib/rlhf's {@link balanceFamilies}): the acrostic
 * twice as often as the others. It is the one task that needs many steps (copying the right character of the
 * instruction to the start of each verse); the others are learned at the equal share.
 */
export const SFT_MIX: Readonly<Partial<Record<InstructionFamily, number>>> = Object.freeze({ acrostic: 2 });

const RECIPE = { weightDecay: 0.1, gradClip: 1, seed: SEED, evalIters: 5 };

/**
 * The fine-tuning recipe in each mode. Full: 1000 steps of 16 examples (16,000 examples, about half a pass over the
 * mixed instructions), peak learning rate 6e-3 after 50 warmup steps, cosine to 6e-4 — fewer steps than pretraining's
 * 1500, on far less text, at twice its learning rate (a small model picks up the template faster so; measured: the
 * acrostic went from 28% at 800 steps and 5e-3 on equal shares to 72% with this recipe). Quick: 200 steps of 16 at 1e-2
 * on the quick poem GPT.
 */
export const SFT_GPT: Readonly<{ full: Readonly<SftRecipe>; quick: Readonly<SftRecipe> }> = Object.freeze({
  full: Object.freeze({ ...RECIPE, steps: 1000, batchSize: 16, lr: 6e-3, warmupIters: 50, evalInterval: 200 }),
  quick: Object.freeze({ ...RECIPE, steps: 200, batchSize: 16, lr: 1e-2, warmupIters: 20, evalInterval: 50 }),
});

/** Losses of every step and the masked-loss estimates of the fine-tuning run. */
export interface SftHistory {
  /** The batch loss of every step. */
  losses: number[];
  /** Train and val masked-loss estimates every `evalInterval` steps and at the end. */
  evals: { iter: number; train: number; val?: number }[];
}

/** What {@link sftGpt} gives. */
export interface SftGpt {
  /** The fine-tuned model (the caller disposes it; a notebook registers it with `fresh`). */
  model: GPT;
  /** Its tokenizer: the poem GPT's, with the chat tokens. */
  tokenizer: CharTokenizer;
  /** The poem corpus. */
  corpus: PoemCorpus;
  /** The instruction data it was tuned on, with the held-out examples. */
  data: InstructionData;
  /** How fine-tuning went. */
  history: SftHistory;
  /** The recipe it was tuned with. */
  recipe: Readonly<SftRecipe>;
  /** True when this call fine-tuned it, false when it came from the cache. */
  trainedNow: boolean;
}

/** Options of {@link sftGpt}. */
export interface SftGptOptions {
  /** A live chart for the masked losses: drawn live while tuning, or with the saved history from the cache. */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Show the progress bars (default true). */
  progress?: boolean;
  /** Print nothing about the cache (default false). */
  quiet?: boolean;
  /** The cache folder (default `cacheDir()`). */
  root?: string;
}

interface Tuned {
  model: GPT;
  history: SftHistory;
}

function fromCheckpoint(ckpt: LoadedCheckpoint): Tuned {
  const model = gptFromCheckpoint(ckpt);
  const history = ckpt.extra as SftHistory | undefined;
  if (!Array.isArray(history?.losses) || !Array.isArray(history?.evals)) {
    model.dispose();
    throw new Error("the checkpoint has no fine-tuning history");
  }
  return { model, history: { losses: [...history.losses], evals: history.evals } };
}

/**
 * What the SFT model's cache entry is keyed on in the current mode: its recipe, the poem GPT's config, recipe and
 * data, the instruction data. The models made from it (notebooks 14 and 15) put it in their keys, so that a change
 * here makes them stale too.
 *
 * @returns The key's inputs (JSON).
 * @example
 * ```ts
 * import { SFT_GPT, sftGptKey } from "@lib/rlhf/mod.ts";
 * import { POEM_GPT_DATA } from "@lib/gpt/mod.ts";
 * import { mode } from "@lib/core/mode.ts";
 * import assert from "node:assert/strict";
 * const key = sftGptKey() as { steps: number; base: { data: unknown } };
 * assert.equal(key.steps, SFT_GPT[mode()].steps);
 * assert.deepEqual(key.base.data, POEM_GPT_DATA); // the poem GPT's data, so a new corpus makes the SFT model stale
 * ```
 */
export function sftGptKey(): Record<string, unknown> {
  const base = poemGptSpec();
  return {
    ...SFT_GPT[mode()],
    base: { config: base.config, recipe: base.recipe, data: POEM_GPT_DATA },
    data: {
      ...SFT_DATA,
      mix: SFT_MIX,
      families: INSTRUCTION_FAMILIES,
      tokens: [...CHAT_TOKENS, ...INSTRUCTION_PUNCTUATION],
    },
  };
}

/**
 * The SFT model of notebook 12 (see the module's documentation for the contract): loaded from the model cache, or,
 * when the cache has none (or a stale one), fine-tuned from the poem GPT (itself loaded or trained) with a progress
 * bar and saved there. Fine-tuning keeps a checkpoint every `evalInterval` steps under `<cacheDir>/runs/`: a stopped
 * cell resumes where it was when called again.
 *
 * @param options A live chart, progress bars, quiet, the cache folder.
 * @returns The model, its tokenizer, the corpus, the instruction data, the history, and whether it was tuned now.
 * @throws {TrainingStopped} When the learner stops training (call again to resume).
 */
export async function sftGpt(options: SftGptOptions = {}): Promise<SftGpt> {
  const { chart, progress = true, quiet = false, root = cacheDir() } = options;
  const corpus = await loadPoems(POEM_GPT_DATA);
  const tokenizer = new CharTokenizer(corpus.vocabulary);
  addChatTokens(tokenizer);
  const data = instructionData(corpus, { vocabulary: corpus.vocabulary, ...SFT_DATA });
  const recipe = SFT_GPT[mode()], base = poemGptSpec();
  const config = gptConfig({ ...base.config, vocabSize: tokenizer.vocabSize });
  const key = sftGptKey();
  let trainedNow = false;
  const value = await cached<Tuned>({
    kind: GPT_KIND,
    name: SFT_GPT_NAME,
    notebook: "12_supervised_finetuning",
    config,
    recipe: key,
    root,
    quiet,
    train: async () => {
      trainedNow = true;
      const dir = await runDir(SFT_GPT_NAME, { config, recipe: key }, root);
      const { model, state } = await startingPoint(dir, config, { progress, quiet, root });
      const encoded = {
        train: balanceFamilies(data.train, SFT_MIX).map((e) => encodeChat(tokenizer, e)),
        val: data.heldOut.map((e) => encodeChat(tokenizer, e)),
      };
      const run = await trainSft(model, encoded, recipe, {
        padId: tokenizer.specialId(END_TOKEN),
        progress: progress ? "SFT" : false,
        chart,
        resumeFrom: state,
        onCheckpoint: (state) => saveGpt(dir, model, { tokenizer, state }),
      }).catch((error) => {
        model.dispose(); // stopped or failed: the checkpoint holds the weights, calling again resumes from it
        throw error;
      });
      if (await exists(dir)) await Deno.remove(dir, { recursive: true }); // the cache entry replaces it
      return { model, history: { losses: run.losses, evals: run.evals as SftHistory["evals"] } };
    },
    save: (v) => ({ config: { ...v.model.config }, weights: v.model.params, tokenizer, extra: v.history }),
    load: fromCheckpoint,
  });
  if (!trainedNow && chart) await replayChart(chart, value.history);
  return { model: value.model, tokenizer, corpus, data, history: value.history, recipe, trainedNow };
}

/** The model to tune: the run's checkpoint when it holds one of this config, else the poem GPT grown for chat. */
async function startingPoint(
  dir: string,
  config: Readonly<GptConfig>,
  options: { progress: boolean; quiet: boolean; root: string },
): Promise<{ model: GPT; state?: TrainState }> {
  const saved = await loadGpt(dir).catch(() => null);
  if (saved && JSON.stringify(saved.model.config) === JSON.stringify(config) && saved.state) {
    return { model: saved.model, state: saved.state };
  }
  saved?.model.dispose();
  const base = await poemGpt({ progress: options.progress, quiet: options.quiet, root: options.root });
  growForChat(base.model, base.tokenizer, SEED);
  if (base.model.config.vocabSize !== config.vocabSize) {
    base.model.dispose();
    throw new RangeError(
      `Cannot fine-tune the poem GPT as it grew to ${base.model.config.vocabSize} tokens: the SFT model has ` +
        `${config.vocabSize}`,
    );
  }
  return { model: base.model };
}
