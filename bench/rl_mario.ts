/**
 * Q-learning and REINFORCE on the Mario levels, dense vs flag-only reward (and Q-learning with optimistic initial
 * values on the flag-only reward): the greedy success rate from 200 seeded random starts after a number of training
 * episodes, over three training seeds, with the wall time. The settings notebook 13 uses were chosen from these runs;
 * the notebook measures its own numbers with five seeds in full mode.
 *
 *   deno run -A bench/rl_mario.ts [q-episodes,...] [reinforce-episodes,...]
 */
import {
  DENSE_REWARD,
  FLAG_ONLY_REWARD,
  greedyPolicy,
  LEVELS,
  MarioWorld,
  QLearningAgent,
  ReinforceAgent,
  reinforcePolicy,
  successRate,
  trainQLearning,
  trainReinforce,
} from "@lib/rl/mod.ts";
import { tf } from "@lib/core/mod.ts";

const qBudgets = (Deno.args[0] ?? "30,100,300,1000,3000,10000").split(",").map(Number);
const pgBudgets = (Deno.args[1] ?? "300,1000").split(",").map(Number);
const SEEDS = [1337, 1, 2];
const REWARDS = [["dense", DENSE_REWARD], ["flag-only", FLAG_ONLY_REWARD]] as const;
/** Q-learning's settings: the table starts at 0, or at 1 (optimistic initial values: untried actions look best). */
const Q_SETTINGS = [
  ...REWARDS.map(([name, reward]) => [name, reward, 0] as const),
  [
    "flag-only, optimistic",
    FLAG_ONLY_REWARD,
    1,
  ] as const,
];
await tf.ready();
console.log(`backend ${tf.getBackend()}; load ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log("agent | level | reward | episodes | train steps (mean) | wall s (mean) | greedy success per seed");
for (const name of ["1-1", "1-2", "1-3"] as const) {
  for (const [rname, reward, initialValue] of Q_SETTINGS) {
    for (const episodes of qBudgets) {
      const rates: string[] = [];
      let steps = 0, ms = 0;
      for (const seed of SEEDS) {
        const world = new MarioWorld(LEVELS[name], { reward, seed });
        const agent = new QLearningAgent(world.numStates, world.numActions, {
          alpha: 0.5,
          gamma: 0.95,
          initialValue,
          seed: seed + 1,
        });
        const t0 = performance.now();
        const h = trainQLearning(world, agent, episodes, { epsilonStart: 0.3, epsilonEnd: 0.05 });
        ms += performance.now() - t0;
        steps += h.steps.reduce((a, b) => a + b, 0);
        rates.push((100 * successRate(world, greedyPolicy(world, agent), { episodes: 200, seed: 7 }).rate).toFixed(1));
      }
      const n = SEEDS.length;
      console.log(
        `Q | ${name} | ${rname} | ${episodes} | ${(steps / n).toFixed(0)} | ${(ms / n / 1000).toFixed(3)} | ${
          rates.join(" ")
        }`,
      );
    }
  }
}
for (const name of ["1-1", "1-3"] as const) {
  for (const [rname, reward] of REWARDS) {
    for (const episodes of pgBudgets) {
      const rates: string[] = [];
      let steps = 0, ms = 0;
      for (const seed of SEEDS) {
        const world = new MarioWorld(LEVELS[name], { reward, seed });
        const agent = new ReinforceAgent(world.featureSize, world.numActions, { seed: seed + 1 });
        const t0 = performance.now();
        const h = await trainReinforce(world, agent, episodes);
        ms += performance.now() - t0;
        steps += h.steps.reduce((a, b) => a + b, 0);
        rates.push(
          (100 * successRate(world, reinforcePolicy(world, agent), { episodes: 200, seed: 7 }).rate).toFixed(1),
        );
        agent.dispose();
      }
      const n = SEEDS.length;
      console.log(
        `REINFORCE | ${name} | ${rname} | ${episodes} | ${(steps / n).toFixed(0)} | ${(ms / n / 1000).toFixed(2)} | ${
          rates.join(" ")
        }`,
      );
    }
  }
}
console.log(`load ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
