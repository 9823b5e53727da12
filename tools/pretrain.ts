/**
 * `deno task pretrain [--quick] [NAME…]`: trains, in dependency order, every model that a later notebook or the chat
 * page loads from the model cache (and notebook 16's denoiser, its own longest wait), skipping the entries that are already there and fresh, and prints what it did and
 * the total time. Each model trains resumably (its checkpoints stay in the cache's `runs/` folder): stop it with
 * Ctrl+C and run the command again to go on. `--quick` trains the quick-mode models (the ones CI and
 * `LIANDAN_QUICK=1` use). The instructor guide says to run it the evening before a workshop.
 *
 * @module
 */
import { setQuick } from "../lib/core/mode.ts";
import { cacheDir, listCache } from "../lib/checkpoint/model_cache.ts";
import { loadDigits } from "../lib/data/digits.ts";
import { POEM_GPT_NAME, poemGpt } from "../lib/gpt/mod.ts";
import { cachedDigitCnn, DIGIT_CNN_06 } from "../lib/nn/mod.ts";
import { REWARD_MODEL_NAME, rewardModel, RLHF_GPT_NAME, rlhfGpt, SFT_GPT_NAME, sftGpt } from "../lib/rlhf/mod.ts";
import { cachedDenoiser, DENOISER_16 } from "../lib/diffusion/mod.ts";

/** The `created` stamps of a name's cache entries: a new stamp after a call means the call trained (and saved) it. */
async function stamps(name: string): Promise<Set<string>> {
  return new Set((await listCache(name)).map((e) => `${e.dir} ${e.record?.created}`));
}

/** One model of the cache that later notebooks load. */
export interface Pretrainable {
  /** The cache entry's name. */
  name: string;
  /** The notebook that trains it (and explains it). */
  notebook: string;
  /** Who loads it. */
  usedBy: string;
  /** Loads it from the cache or trains it there; says which. */
  ensure(): Promise<{ trainedNow: boolean }>;
}

/** The models, in the order they depend on each other. */
export const PRETRAINABLE: readonly Pretrainable[] = Object.freeze([
  {
    name: DIGIT_CNN_06,
    notebook: "06_cnn_vision",
    usedBy: "notebook 16 (the judge of its digits)",
    async ensure() {
      const before = await stamps(DIGIT_CNN_06);
      const cnn = await cachedDigitCnn((await loadDigits({ seed: 1337 })).train);
      cnn.dispose();
      const after = await stamps(DIGIT_CNN_06);
      return { trainedNow: [...after].some((s) => !before.has(s)) };
    },
  },
  {
    name: POEM_GPT_NAME,
    notebook: "11_gpt_pretraining",
    usedBy: "notebooks 11–15 and the chat page",
    async ensure() {
      const gpt = await poemGpt({ quiet: true });
      gpt.model.dispose();
      return { trainedNow: gpt.trainedNow };
    },
  },
  {
    name: SFT_GPT_NAME,
    notebook: "12_supervised_finetuning",
    usedBy: "notebooks 14 and 15 and the chat page",
    async ensure() {
      const tuned = await sftGpt({ quiet: true });
      tuned.model.dispose();
      return { trainedNow: tuned.trainedNow };
    },
  },
  {
    name: REWARD_MODEL_NAME,
    notebook: "14_reward_model",
    usedBy: "notebook 15 and the chat page",
    async ensure() {
      const rm = await rewardModel({ quiet: true });
      rm.model.dispose();
      return { trainedNow: rm.trainedNow };
    },
  },
  {
    name: RLHF_GPT_NAME,
    notebook: "15_rlhf_ppo",
    usedBy: "the chat page (and notebook 15's PPO cell)",
    async ensure() {
      const tuned = await rlhfGpt({ quiet: true });
      tuned.model.dispose();
      return { trainedNow: tuned.trainedNow };
    },
  },
  {
    name: DENOISER_16,
    notebook: "16_image_generation",
    usedBy: "notebook 16 (its training cell loads it instead of training for 5 minutes)",
    async ensure() {
      const before = await stamps(DENOISER_16);
      const denoiser = await cachedDenoiser((await loadDigits({ seed: 1337 })).train);
      denoiser.dispose();
      const after = await stamps(DENOISER_16);
      return { trainedNow: [...after].some((s) => !before.has(s)) };
    },
  },
]);

/** What {@link parsePretrainArgs} reads. */
export interface PretrainArgs {
  /** Train the quick-mode models. */
  quick: boolean;
  /** Only these entries (default all). */
  names: string[];
}

/**
 * Reads the command line of `deno task pretrain`.
 *
 * @param argv The arguments.
 * @param known The entries' names.
 * @returns The parsed arguments.
 * @throws {Error} For an unknown flag or name.
 * @example
 * ```ts
 * import { parsePretrainArgs } from "./pretrain.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePretrainArgs(["--quick"], ["gpt-poems"]), { quick: true, names: [] });
 * assert.throws(() => parsePretrainArgs(["cnn"], ["gpt-poems"]), /no model named cnn: the cache's are gpt-poems/);
 * ```
 */
export function parsePretrainArgs(argv: readonly string[], known: readonly string[]): PretrainArgs {
  const args: PretrainArgs = { quick: false, names: [] };
  for (const arg of argv) {
    if (arg === "--quick") args.quick = true;
    else if (arg.startsWith("-")) throw new Error(`Unknown flag ${arg}: deno task pretrain [--quick] [NAME…]`);
    else if (!known.includes(arg)) {
      throw new Error(`There is no model named ${arg}: the cache's are ${known.join(", ")}`);
    } else args.names.push(arg);
  }
  return args;
}

/**
 * Trains (or finds) the models and prints one line each and the total.
 *
 * @param args What to train.
 * @param log Where the lines go.
 * @param models The models (default {@link PRETRAINABLE}).
 * @returns How many were trained now.
 */
export async function pretrain(
  args: PretrainArgs,
  log: (line: string) => void = console.log,
  models: readonly Pretrainable[] = PRETRAINABLE,
): Promise<number> {
  setQuick(args.quick ? true : null);
  const todo = models.filter((p) => args.names.length === 0 || args.names.includes(p.name));
  log(`Model cache: ${cacheDir()} (${args.quick ? "quick" : "full"} mode, ${todo.length} model(s))`);
  const start = performance.now();
  let trained = 0;
  for (const p of todo) {
    const t0 = performance.now();
    const { trainedNow } = await p.ensure();
    const seconds = ((performance.now() - t0) / 1000).toFixed(1);
    trained += trainedNow ? 1 : 0;
    log(`${trainedNow ? "trained" : "cached "}  ${p.name} (${p.notebook}; used by ${p.usedBy}) in ${seconds} s`);
  }
  log(
    `done: ${trained} trained, ${todo.length - trained} already cached, in ${
      ((performance.now() - start) / 1000).toFixed(1)
    } s`,
  );
  return trained;
}

if (import.meta.main) {
  try {
    await pretrain(parsePretrainArgs(Deno.args, PRETRAINABLE.map((p) => p.name)));
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(2);
  }
}
