/**
 * PPO and DPO from notebook 12's SFT model, against notebook 14's reward model, over several seeds: the labeler's
 * score, the reward model's score and the KL to the SFT model of each tuned policy (measured as notebook 15 measures
 * them: 8 answers to each of the 24 training prompts, temperature 1, the same draws for every policy), as the mean
 * and the spread (min–max) over the seeds, with the tuning time. The seed changes the rollouts' prompts and draws
 * (PPO) or the batches (DPO); every run starts from the same SFT model. The recipes are notebook 15's
 * (PPO_RECIPE, DPO_RECIPE) in the current mode.
 *
 *   deno task bench:rlhf [--seeds 1,2,3] [--json FILE]      (LIANDAN_QUICK=1 for the quick models and recipes)
 */
import { mode } from "@lib/core/mode.ts";
import { tf } from "@lib/core/mod.ts";
import {
  bannedTokens,
  DPO_RECIPE,
  measurePolicy,
  pairPrompts,
  type PolicyMeasure,
  PolicyWithValue,
  PPO_RECIPE,
  rewardModel,
  rewardModelScorer,
  rewardScale,
  sftGpt,
  trainDpo,
  trainPpo,
} from "@lib/rlhf/mod.ts";

function arg(name: string): string | undefined {
  const i = Deno.args.indexOf(name);
  return i >= 0 ? Deno.args[i + 1] : Deno.args.find((a) => a.startsWith(`${name}=`))?.split("=")[1];
}
const seeds = (arg("--seeds") ?? "1,2,3").split(",").map(Number);
if (seeds.some((s) => !Number.isInteger(s))) {
  throw new Error(`--seeds takes integers, e.g. 1,2,3: got ${arg("--seeds")}`);
}
const jsonFile = arg("--json");

await tf.ready();
const load = () => Deno.loadavg().map((x) => x.toFixed(1)).join(" ");
console.log(
  `bench:rlhf — ${mode()} mode, backend ${tf.getBackend()}, ${navigator.hardwareConcurrency} cores, load ${load()}`,
);
const { model: reference, tokenizer } = await sftGpt({ quiet: true, progress: false });
const rm = await rewardModel({ quiet: true, progress: false });
const scorer = rewardModelScorer(rm.model, tokenizer, await rewardScale(rm.model, tokenizer, rm.pairs.heldOut.pairs));
const prompts = pairPrompts().train;
const measure = (policy: typeof reference) =>
  measurePolicy(policy, reference, tokenizer, scorer, prompts, { perPrompt: 8, seed: 1337 });

type Run = { method: string; seed: number; seconds: number } & Pick<PolicyMeasure, "labeler" | "reward" | "kl">;
const runs: Run[] = [];
const baseline = await measure(reference);
console.log(
  `SFT: labeler ${baseline.labeler.toFixed(3)}, reward ${baseline.reward.toFixed(2)}, KL ${baseline.kl.toFixed(2)}`,
);
for (const seed of seeds) {
  for (const method of ["PPO", "DPO"] as const) {
    const policy = (await sftGpt({ quiet: true, progress: false })).model;
    const t0 = performance.now();
    if (method === "PPO") {
      const withValue = new PolicyWithValue(policy, bannedTokens(tokenizer));
      await trainPpo(withValue, reference, scorer, tokenizer, prompts, { ...PPO_RECIPE[mode()], seed }, {
        progress: false,
      });
      withValue.dispose();
    } else {
      await trainDpo(policy, reference, tokenizer, { train: rm.pairs.train.pairs, val: rm.pairs.heldOut.pairs }, {
        ...DPO_RECIPE[mode()],
        seed,
      }, { progress: false });
    }
    const seconds = (performance.now() - t0) / 1000;
    const m = await measure(policy);
    policy.dispose();
    runs.push({ method, seed, seconds, labeler: m.labeler, reward: m.reward, kl: m.kl });
    console.log(
      `${method} seed ${seed}: labeler ${m.labeler.toFixed(3)}, reward ${m.reward.toFixed(2)}, KL ${m.kl.toFixed(2)}, ${
        seconds.toFixed(1)
      } s (load ${load()})`,
    );
  }
}

const stat = (xs: number[], digits: number) => {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return `${mean.toFixed(digits)} (${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)})`;
};
console.log(`\n${seeds.length} seeds (${seeds.join(", ")}): mean (min–max)`);
console.log("| method | labeler score | reward model | KL to SFT (nats per answer) | tuning time (s) |");
console.log("| --- | --- | --- | --- | --- |");
console.log(
  `| SFT (baseline) | ${baseline.labeler.toFixed(3)} | ${baseline.reward.toFixed(2)} | ${baseline.kl.toFixed(1)} | — |`,
);
for (const method of ["PPO", "DPO"]) {
  const r = runs.filter((x) => x.method === method);
  console.log(
    `| ${method} | ${stat(r.map((x) => x.labeler), 3)} | ${stat(r.map((x) => x.reward), 2)} | ${
      stat(r.map((x) => x.kl), 1)
    } | ${stat(r.map((x) => x.seconds), 1)} |`,
  );
}
if (jsonFile) await Deno.writeTextFile(jsonFile, JSON.stringify({ mode: mode(), baseline, runs }, null, 2));
reference.dispose();
rm.model.dispose();
