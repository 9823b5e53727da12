/**
 * The tuned policies of notebook 15, each one call — from the model cache, or tuned on the spot (progress bar,
 * resumable) from the SFT model of 12 against the reward model of 14 when the cache has none:
 *
 * ```ts ignore
 * const { model, tokenizer } = await rlhfGpt();                  // PPO with the KL penalty: the chat page's RLHF model
 * const noKl = await rlhfGpt({ method: "ppo-no-kl" });           // the same without the penalty (reward hacking)
 * const dpo = await rlhfGpt({ method: "dpo" });                  // DPO on 14's preference pairs
 * ```
 *
 * The contract with the chat page and `deno task pretrain`:
 *
 * - cache entries `gpt-rlhf` (PPO), `gpt-rlhf-nokl` and `gpt-dpo`, kind `"gpt"`: a checkpoint `loadGpt` reads (the
 *   policy's weights without the value head, its config, the SFT tokenizer), with the run's history in `extra`;
 * - the chat template of notebook 12 ({@link formatChat}); an answer ends at `<|end|>`;
 * - recipes: {@link PPO_RECIPE}, {@link PPO_NO_KL_RECIPE} and {@link DPO_RECIPE} of the mode; the key hashes them,
 *   the SFT and reward models' names, mode and lib version.
 *
 * @module
 */
import { mode } from "../core/mode.ts";
import { assignWeights, loadCheckpoint, type LoadedCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint.ts";
import { cached, cacheDir } from "../checkpoint/model_cache.ts";
import { exists } from "../checkpoint/fs.ts";
import { GPT } from "../gpt/model.ts";
import { runDir } from "../gpt/poem_gpt.ts";
import { GPT_KIND, gptFromCheckpoint } from "../gpt/save.ts";
import type { AdamWState } from "../nn/optim.ts";
import { type LoopState, replayChart } from "../nn/train.ts";
import type { CharTokenizer } from "../text/mod.ts";
import { DPO_RECIPE, type DpoRecipe, trainDpo } from "./dpo.ts";
import { pairPrompts } from "./pairs.ts";
import {
  bannedTokens,
  PolicyWithValue,
  PPO_RECIPE,
  type PpoRecipe,
  type PpoState,
  type PpoStats,
  rewardModelScorer,
  rewardScale,
  trainPpo,
} from "./ppo.ts";
import { REWARD_MODEL_NAME, rewardModel, rewardModelKey } from "./reward_gpt.ts";
import { SFT_GPT_NAME, sftGpt, sftGptKey } from "./sft_gpt.ts";

/** How the policy is tuned. */
export type RlhfMethod = "ppo" | "ppo-no-kl" | "dpo";

/** The cache entry of each method. */
export const RLHF_NAMES: Readonly<Record<RlhfMethod, string>> = Object.freeze({
  ppo: "gpt-rlhf",
  "ppo-no-kl": "gpt-rlhf-nokl",
  dpo: "gpt-dpo",
});

/** The RLHF model of the chat page: PPO with the KL penalty. */
export const RLHF_GPT_NAME = RLHF_NAMES.ppo;

/**
 * PPO without the KL penalty (β = 0), otherwise {@link PPO_RECIPE}, run 1.5 times as long in full mode (90 iterations):
 * long enough to see the reward model's score and the labeler's part ways (measured: the labeler peaks near 0.79 after
 * about 45 iterations and falls to 0.70 by 75, while the reward model's score keeps rising).
 */
export const PPO_NO_KL_RECIPE: Readonly<{ full: Readonly<PpoRecipe>; quick: Readonly<PpoRecipe> }> = Object.freeze({
  full: Object.freeze({ ...PPO_RECIPE.full, klCoef: 0, iterations: 90 }),
  quick: Object.freeze({ ...PPO_RECIPE.quick, klCoef: 0 }),
});

/** What {@link rlhfGpt} gives. */
export interface RlhfGpt {
  /** The tuned policy (the caller disposes it). */
  model: GPT;
  /** The SFT tokenizer. */
  tokenizer: CharTokenizer;
  /** How it was tuned. */
  method: RlhfMethod;
  /** PPO's statistics of every iteration (PPO methods). */
  ppo?: PpoStats[];
  /** DPO's losses and estimates (DPO). */
  dpo?: { losses: number[]; evals: { iter: number; train: number; val?: number }[] };
  /** Seconds the tuning took (summed over resumed parts). */
  seconds: number;
  /** The recipe. */
  recipe: Readonly<PpoRecipe> | Readonly<DpoRecipe>;
  /** True when this call tuned it. */
  trainedNow: boolean;
}

/** Options of {@link rlhfGpt}. */
export interface RlhfGptOptions {
  /** PPO (default), PPO without the KL penalty, or DPO. */
  method?: RlhfMethod;
  /** PPO: called with each iteration's statistics (live, or replayed from the cache). */
  onIteration?: (stats: PpoStats) => unknown;
  /** DPO: a live chart of the losses (live, or replayed). */
  chart?: { push(x: number, values: Record<string, number>): unknown };
  /** Show progress bars (default true). */
  progress?: boolean;
  /** Print nothing about the cache (default false). */
  quiet?: boolean;
  /** The cache folder (default `cacheDir()`). */
  root?: string;
}

interface Tuned {
  model: GPT;
  extra: { ppo?: PpoStats[]; dpo?: RlhfGpt["dpo"]; seconds: number };
}

function fromCheckpoint(ckpt: LoadedCheckpoint): Tuned {
  const model = gptFromCheckpoint(ckpt);
  const extra = ckpt.extra as Tuned["extra"] | undefined;
  if (typeof extra?.seconds !== "number" || !(Array.isArray(extra.ppo) || Array.isArray(extra.dpo?.losses))) {
    model.dispose();
    throw new Error("the checkpoint has no tuning history");
  }
  return { model, extra };
}

/** The recipe of a method in the current mode. */
export function rlhfRecipe(method: RlhfMethod): Readonly<PpoRecipe> | Readonly<DpoRecipe> {
  const m = mode();
  return method === "ppo" ? PPO_RECIPE[m] : method === "ppo-no-kl" ? PPO_NO_KL_RECIPE[m] : DPO_RECIPE[m];
}

/**
 * A policy of notebook 15 (see the module's documentation for the contract): loaded from the model cache, or tuned
 * from the SFT model against the reward model (both loaded or trained) and saved there. Tuning keeps a checkpoint
 * every 10 PPO iterations (every `evalInterval` DPO steps): a stopped cell resumes when called again.
 *
 * @param options The method, a per-iteration callback or chart, progress bars, quiet, the cache folder.
 * @returns The policy, the tokenizer, the run's history, and whether it was tuned now.
 * @throws {TrainingStopped} When the learner stops tuning (call again to resume).
 */
export async function rlhfGpt(options: RlhfGptOptions = {}): Promise<RlhfGpt> {
  const { method = "ppo", onIteration, chart, progress = true, quiet = false, root = cacheDir() } = options;
  const recipe = rlhfRecipe(method), name = RLHF_NAMES[method];
  const key = {
    method,
    ...recipe,
    base: { name: SFT_GPT_NAME, key: sftGptKey() },
    reward: { name: REWARD_MODEL_NAME, key: rewardModelKey(), scale: "std on the SFT model's held-out answers" },
    prompts: pairPrompts().train,
  };
  let trainedNow = false;
  const sft = await sftGpt({ progress, quiet: true, root });
  const tokenizer = sft.tokenizer;
  const value = await cached<Tuned>({
    kind: GPT_KIND,
    name,
    notebook: "15_rlhf_ppo",
    config: { ...sft.model.config },
    recipe: key,
    root,
    quiet,
    train: async () => {
      trainedNow = true;
      const reference = (await sftGpt({ progress: false, quiet: true, root })).model;
      const dir = await runDir(name, key, root), t0 = performance.now();
      const elapsed = () => (performance.now() - t0) / 1000;
      try {
        if (method === "dpo") {
          const rm = await rewardModel({ progress, quiet: true, root });
          const pairs = rm.pairs;
          rm.model.dispose();
          const resume = await loadDpoState(dir, sft.model);
          const run = await trainDpo(
            sft.model,
            reference,
            tokenizer,
            {
              train: pairs.train.pairs,
              val: pairs.heldOut.pairs,
            },
            recipe as DpoRecipe,
            {
              progress: progress ? "DPO" : false,
              chart,
              resumeFrom: resume?.state,
              onCheckpoint: (state) => saveDpoState(dir, sft.model, state, (resume?.seconds ?? 0) + elapsed()),
            },
          );
          const seconds = (resume?.seconds ?? 0) + elapsed();
          await Deno.remove(dir, { recursive: true }).catch(() => {});
          return { model: sft.model, extra: { dpo: { losses: run.losses, evals: run.evals as never }, seconds } };
        }
        const rm = await rewardModel({ progress, quiet: true, root });
        const policy = new PolicyWithValue(sft.model, bannedTokens(tokenizer));
        try {
          const resume = await loadPpoState(dir, policy);
          const state = await trainPpo(
            policy,
            reference,
            rewardModelScorer(rm.model, tokenizer, await rewardScale(rm.model, tokenizer, rm.pairs.heldOut.pairs)),
            tokenizer,
            pairPrompts().train,
            recipe as PpoRecipe,
            {
              progress: progress ? (method === "ppo" ? "PPO" : "PPO, no KL") : false,
              onIteration,
              resumeFrom: resume,
              onCheckpoint: (state) => savePpoState(dir, policy, state),
            },
          );
          const seconds = state.history.reduce((s, x) => s + x.ms, 0) / 1000;
          await Deno.remove(dir, { recursive: true }).catch(() => {});
          return { model: sft.model, extra: { ppo: state.history, seconds } };
        } finally {
          policy.dispose();
          rm.model.dispose();
        }
      } catch (error) {
        sft.model.dispose(); // stopped or failed: the checkpoint holds the weights, calling again resumes from it
        throw error;
      } finally {
        reference.dispose();
      }
    },
    save: (v) => ({ config: { ...v.model.config }, weights: v.model.params, tokenizer, extra: v.extra }),
    load: fromCheckpoint,
  });
  if (value.model !== sft.model) sft.model.dispose();
  if (!trainedNow) {
    if (onIteration) { for (const s of value.extra.ppo ?? []) await onIteration(s); }
    if (chart && value.extra.dpo) await replayChart(chart, value.extra.dpo);
  }
  return {
    model: value.model,
    tokenizer,
    method,
    ppo: value.extra.ppo,
    dpo: value.extra.dpo,
    seconds: value.extra.seconds,
    recipe,
    trainedNow,
  };
}

async function savePpoState(dir: string, policy: PolicyWithValue, state: PpoState): Promise<void> {
  await saveCheckpoint(`${dir}/ckpt`, {
    kind: "ppo-run",
    config: { ...policy.policy.config },
    step: state.iter,
    weights: policy.params,
    optimizer: state.optimizer,
    extra: { history: state.history },
  });
}

async function loadPpoState(dir: string, policy: PolicyWithValue): Promise<PpoState | undefined> {
  if (!(await exists(`${dir}/ckpt`))) return undefined;
  const ckpt = await loadCheckpoint(`${dir}/ckpt`, { kind: "ppo-run" }).catch(() => null);
  if (!ckpt) return undefined;
  try {
    assignWeights(policy.params, ckpt.weights);
    const extra = ckpt.extra as { history: PpoStats[] };
    return { iter: ckpt.step, history: extra.history, optimizer: ckpt.optimizer as AdamWState };
  } catch {
    return undefined;
  } finally {
    ckpt.dispose();
  }
}

async function saveDpoState(dir: string, model: GPT, state: LoopState<AdamWState>, seconds: number): Promise<void> {
  await saveCheckpoint(`${dir}/ckpt`, {
    kind: "dpo-run",
    config: { ...model.config },
    step: state.iter,
    weights: model.params,
    optimizer: state.optimizer,
    extra: { losses: state.losses, evals: state.evals, options: state.options, seconds },
  });
}

async function loadDpoState(
  dir: string,
  model: GPT,
): Promise<{ state: LoopState<AdamWState>; seconds: number } | undefined> {
  if (!(await exists(`${dir}/ckpt`))) return undefined;
  const ckpt = await loadCheckpoint(`${dir}/ckpt`, { kind: "dpo-run" }).catch(() => null);
  if (!ckpt) return undefined;
  try {
    assignWeights(model.params, ckpt.weights);
    const extra = ckpt.extra as {
      losses: number[];
      evals: LoopState["evals"];
      options: Record<string, number>;
      seconds: number;
    };
    const state = {
      iter: ckpt.step,
      losses: extra.losses,
      evals: extra.evals,
      options: extra.options,
      optimizer: ckpt.optimizer as AdamWState,
    };
    return { state, seconds: extra.seconds ?? 0 };
  } catch {
    return undefined;
  } finally {
    ckpt.dispose();
  }
}
