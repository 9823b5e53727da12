/**
 * Q-learning on the Mario levels, dense vs flag-only reward: greedy success rate from seeded random starts after a
 * number of training episodes, with the wall time. The numbers notebook 13 asserts come from here.
 *
 *   deno run -A bench/rl_mario.ts [episodes,...]
 */
import {
  greedyPolicy,
  LEVELS,
  MarioWorld,
  QLearningAgent,
  randomLevel,
  successRate,
  trainQLearning,
} from "@lib/rl/mod.ts";
import { DENSE_REWARD, FLAG_ONLY_REWARD } from "@lib/rl/mod.ts";

const budgets = (Deno.args[0] ?? "10,30,100,300,1000,3000").split(",").map(Number);
const levels: [string, readonly string[]][] = [
  ["1-1", LEVELS["1-1"]],
  ["1-2", LEVELS["1-2"]],
  ["1-3", LEVELS["1-3"]],
  ["random seed 1", randomLevel({ seed: 1 })],
  ["random seed 2", randomLevel({ seed: 2 })],
];
console.log(`load: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
console.log("level | reward | episodes | train steps | wall ms | greedy success (200 seeded starts)");
for (const [name, level] of levels) {
  for (const [rname, reward] of [["dense", DENSE_REWARD], ["flag-only", FLAG_ONLY_REWARD]] as const) {
    for (const episodes of budgets) {
      const world = new MarioWorld(level, { reward, seed: 1337 });
      const agent = new QLearningAgent(world.numStates, world.numActions, { alpha: 0.5, gamma: 0.95, seed: 1338 });
      const t0 = performance.now();
      const h = trainQLearning(world, agent, episodes, { epsilonStart: 0.3, epsilonEnd: 0.05 });
      const ms = performance.now() - t0;
      const steps = h.steps.reduce((a, b) => a + b, 0);
      const report = successRate(world, greedyPolicy(world, agent), { episodes: 200, seed: 7 });
      console.log(
        `${name} | ${rname} | ${episodes} | ${steps} | ${ms.toFixed(0)} | ${(100 * report.rate).toFixed(1)}%`,
      );
    }
  }
}
