/**
 * The poem GPT: the character-level GPT that notebook 11 pretrains on all the Tang quatrains, and the base model that
 * notebooks 12–15 and the chat page start from. One call gives it — from the model cache, or trained on the spot
 * (with a progress bar, resumable) when the cache has none:
 *
 * ```ts ignore
 * const { model, tokenizer } = await poemGpt();   // loaded, or trained and cached
 * ```
 *
 * The contract with the later notebooks:
 *
 * - cache entry `gpt-poems` (`<cacheDir>/gpt-poems@full` or `@quick`), kind `"gpt"`, a checkpoint that
 *   {@link loadGpt} reads too (weights, config, the tokenizer, and the loss history in `extra`);
 * - data: {@link POEM_GPT_DATA}, i.e. `loadPoems()` with its defaults — all 13,445 quatrains, seed 1337, 5% held
 *   out, the 3000 most frequent characters plus `<unk>` as vocabulary — as one character stream, poems separated
 *   by a blank line (lib/data/poems.ts's `poemText`);
 * - tokenizer: `new CharTokenizer(corpus.vocabulary)`: id 0 is `<unk>`, "\n", "，" and "。" are in the vocabulary;
 * - model: {@link POEM_GPT}`.full.config` (4 layers, 4 heads, 128 wide, context 64, no biases, no dropout:
 *   1.18 M parameters) trained by `.full.recipe`; in quick mode (`LIANDAN_QUICK=1`, CI) the smaller
 *   `.quick` model, so quick runs stay quick. The entry's key hashes config, recipe, data, mode and lib version: a
 *   change to any of them trains it again.
 *
 * @module
 */
import { join } from "node:path";
import { SEED } from "../core/mod.ts";
import { mode } from "../core/mode.ts";
import type { LoadedCheckpoint } from "../checkpoint/checkpoint.ts";
import { cached, cacheDir } from "../checkpoint/model_cache.ts";
import { hashJson } from "../checkpoint/hash_json.ts";
import { exists } from "../checkpoint/fs.ts";
import { loadPoems, type PoemCorpus, type PoemOptions, poemText } from "../data/poems.ts";
import { CharTokenizer } from "../text/mod.ts";
import { replayChart } from "../nn/train.ts";
import { type GptConfig, gptConfig } from "./config.ts";
import { GPT } from "./model.ts";
import { GPT_KIND, gptFromCheckpoint, trainResumable } from "./save.ts";
import type { EvalInfo, TrainOptions } from "./train.ts";

/** The cache entry's name. */
export const POEM_GPT_NAME = "gpt-poems";

/** The corpus options the poem GPT is trained on: `loadPoems()`'s defaults, written out. */
export const POEM_GPT_DATA: Readonly<PoemOptions> = Object.freeze({ seed: SEED, valFraction: 0.05, vocabSize: 3000 });

/** How the poem GPT is trained: the settings of `trainGpt` it uses (the rest are `trainGpt`'s defaults). */
export type PoemGptRecipe = Pick<
  TrainOptions,
  "maxIters" | "batchSize" | "lr" | "warmupIters" | "weightDecay" | "gradClip" | "evalInterval" | "evalIters" | "seed"
>;

/** A model shape and its training recipe. */
export interface PoemGptSpec {
  /** The GPT's config (vocabSize is the corpus vocabulary's 3000). */
  config: Readonly<GptConfig>;
  /** Its training recipe. */
  recipe: Readonly<PoemGptRecipe>;
}

const RECIPE = { weightDecay: 0.1, gradClip: 1, seed: SEED, evalIters: 20 };

/**
 * The poem GPT in each mode. Full (the learner's): 4 layers, 4 heads, 128 wide, context 64, no biases, no dropout
 * (1,179,776 parameters), 1500 steps of 16 windows of 64 characters (1.5 M characters, about 3.7 passes over the
 * training poems), peak learning rate 3e-3 after 100 warmup steps, cosine to 3e-4, AdamW (weight decay 0.1), gradients
 * clipped at 1. Quick (CI): 2 layers, 64 wide, 150 steps at 5e-3.
 */
export const POEM_GPT: Readonly<{ full: Readonly<PoemGptSpec>; quick: Readonly<PoemGptSpec> }> = Object.freeze({
  full: Object.freeze({
    config: gptConfig({ vocabSize: 3000, blockSize: 64, nLayer: 4, nHead: 4, nEmbd: 128, dropout: 0, bias: false }),
    recipe: Object.freeze({
      ...RECIPE,
      maxIters: 1500,
      batchSize: 16,
      lr: 3e-3,
      warmupIters: 100,
      evalInterval: 250,
    }),
  }),
  quick: Object.freeze({
    config: gptConfig({ vocabSize: 3000, blockSize: 64, nLayer: 2, nHead: 4, nEmbd: 64, dropout: 0, bias: false }),
    recipe: Object.freeze({ ...RECIPE, maxIters: 150, batchSize: 16, lr: 5e-3, warmupIters: 20, evalInterval: 50 }),
  }),
});

/**
 * The spec of the current mode (quick under `LIANDAN_QUICK=1` or smoke mode, else full).
 *
 * @returns {@link POEM_GPT}`.quick` or `.full`.
 * @example
 * ```ts
 * import { POEM_GPT, poemGptSpec } from "@lib/gpt/mod.ts";
 * import { setQuick } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * setQuick(false);
 * assert.equal(poemGptSpec(), POEM_GPT.full);
 * setQuick(null);
 * ```
 */
export function poemGptSpec(): Readonly<PoemGptSpec> {
  return POEM_GPT[mode()];
}

/** Losses of every step and the loss estimates of a training run. */
export interface PoemGptHistory {
  /** The batch loss of every step. */
  losses: number[];
  /** Train and val estimates every `evalInterval` steps and at the end. */
  evals: EvalInfo[];
}

/** What {@link poemGpt} gives. */
export interface PoemGpt {
  /** The trained model (the caller disposes it; a notebook registers it with `fresh`). */
  model: GPT;
  /** Its tokenizer: one id per character of the corpus vocabulary. */
  tokenizer: CharTokenizer;
  /** The corpus it was trained on. */
  corpus: PoemCorpus;
  /** The corpus as token ids: `poemText(corpus.train)` and `poemText(corpus.val)` encoded. */
  ids: { train: number[]; val: number[] };
  /** How training went. */
  history: PoemGptHistory;
  /** The spec it was built from. */
  spec: Readonly<PoemGptSpec>;
  /** True when this call trained it, false when it came from the cache. */
  trainedNow: boolean;
}

/** Options of {@link poemGpt}. */
export interface PoemGptOptions {
  /**
   * A live chart (lib/plot's `LiveChart`) for the losses: drawn live while training, or with the saved history when
   * the model comes from the cache.
   */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Show the training progress bar (default true). */
  progress?: boolean;
  /** Print nothing about the cache (default false). */
  quiet?: boolean;
  /** The cache folder (default `cacheDir()`). */
  root?: string;
}

/**
 * A folder for the checkpoints of a resumable run, named after what the run is: `<root>/runs/<label>-<hash of
 * config, recipe and mode>`. The same run finds the same folder again (and resumes), another recipe another one.
 *
 * @param label A readable prefix (letters, digits, `_`, `.`, `-`).
 * @param what The config, recipe and anything else that makes the run (plain JSON).
 * @param root The cache folder (default `cacheDir()`).
 * @returns The folder's path (not created).
 * @throws {TypeError} For a label with other characters.
 * @example
 * ```ts
 * import { runDir } from "@lib/gpt/mod.ts";
 * import assert from "node:assert/strict";
 * const a = await runDir("sweep-64", { nEmbd: 64, steps: 300 }, "/tmp/c");
 * assert.match(a, /^\/tmp\/c\/runs\/sweep-64-[0-9a-f]{12}$/);
 * assert.notEqual(a, await runDir("sweep-64", { nEmbd: 64, steps: 400 }, "/tmp/c"));
 * ```
 */
export async function runDir(label: string, what: unknown, root: string = cacheDir()): Promise<string> {
  if (typeof label !== "string" || !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(label)) {
    throw new TypeError(
      `Cannot name a run folder as label must be letters, digits, "_", "." or "-": current value is ${label}`,
    );
  }
  const hash = (await hashJson({ what, mode: mode() })).slice(0, 12);
  return join(root, "runs", `${label}-${hash}`);
}

/** The cached value: the model and its history. */
interface Trained {
  model: GPT;
  history: PoemGptHistory;
}

function fromCheckpoint(ckpt: LoadedCheckpoint): Trained {
  const model = gptFromCheckpoint(ckpt);
  const history = ckpt.extra as PoemGptHistory | undefined;
  if (!Array.isArray(history?.losses) || !Array.isArray(history?.evals)) {
    model.dispose();
    throw new Error("the checkpoint has no training history");
  }
  return { model, history: { losses: [...history.losses], evals: history.evals } };
}

/**
 * The pretrained poem GPT of notebook 11 (see the module's documentation for the contract): loaded from the model
 * cache, or, when the cache has none (or a stale one), trained with a progress bar and saved there. Training keeps a
 * checkpoint every `evalInterval` steps under `<cacheDir>/runs/`: a stopped cell (or a restarted kernel) resumes
 * where it was when called again.
 *
 * Full mode trains it in about 5 minutes on one core of a laptop (1500 steps, ~0.2 s each); quick mode in seconds.
 *
 * @param options A live chart, the progress bar, quiet, the cache folder.
 * @returns The model, its tokenizer, the corpus and its ids, the training history, and whether it was trained now.
 * @throws {TrainingStopped} When the learner stops training (call again to resume).
 */
export async function poemGpt(options: PoemGptOptions = {}): Promise<PoemGpt> {
  const { chart, progress = true, quiet = false, root = cacheDir() } = options;
  const corpus = await loadPoems(POEM_GPT_DATA);
  const tokenizer = new CharTokenizer(corpus.vocabulary);
  const spec = poemGptSpec();
  if (tokenizer.vocabSize !== spec.config.vocabSize) {
    throw new RangeError(
      `Cannot build the poem GPT as the corpus vocabulary has ${tokenizer.vocabSize} entries: its config expects ` +
        `${spec.config.vocabSize}`,
    );
  }
  const ids = { train: tokenizer.encode(poemText(corpus.train)), val: tokenizer.encode(poemText(corpus.val)) };
  const recipe = { ...spec.recipe, data: { ...POEM_GPT_DATA, poems: corpus.counts.poems } };
  let trainedNow = false;
  const value = await cached<Trained>({
    kind: GPT_KIND,
    name: POEM_GPT_NAME,
    notebook: "11_gpt_pretraining",
    config: spec.config,
    recipe,
    root,
    quiet,
    train: async () => {
      trainedNow = true;
      const dir = await runDir(POEM_GPT_NAME, { config: spec.config, recipe }, root);
      const { model, run } = await trainResumable(
        dir,
        spec.config,
        ids,
        { ...spec.recipe, chart, progress },
        tokenizer,
      );
      if (await exists(dir)) await Deno.remove(dir, { recursive: true }); // the cache entry replaces it
      return { model, history: { losses: run.losses, evals: run.evals } };
    },
    save: (v) => ({ config: { ...v.model.config }, weights: v.model.params, tokenizer, extra: v.history }),
    load: fromCheckpoint,
  });
  if (!trainedNow && chart) await replayChart(chart, value.history);
  return { model: value.model, tokenizer, corpus, ids, history: value.history, spec, trainedNow };
}
