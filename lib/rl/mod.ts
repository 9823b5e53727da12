/**
 * lib/rl: reinforcement learning (强化学习) environments and agents.
 *
 * | file | what |
 * |------|------|
 * | bandit.ts | the k-armed bandit and an epsilon-greedy agent (notebook 02) |
 * | mario.ts | the 超级玛丽 grid world: levels as text, the rules of a step, dense and flag-only rewards |
 * | mario_levels.ts | the hand-made levels (`tiny`, `1-1`, `1-2`, `1-3`) and a seeded level generator |
 * | mario_plot.ts | a level drawn with lib/plot, paths over it |
 * | returns.ts | discounted returns |
 * | rollout.ts | playing an episode with a policy; success rates from seeded random starts |
 * | q_learning.ts | tabular Q-learning, its training loop, greedy policy and the map of learned state values |
 * | reinforce.ts | REINFORCE with a learned baseline on a small tfjs policy/value network |
 * | shortest_path.ts | planning with the rules: the fewest steps to the flag, the yardstick of learned paths |
 *
 * @example
 * ```ts
 * import { Bandit, EpsilonGreedyAgent, runBandit } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const run = runBandit(new Bandit([0, 1]), new EpsilonGreedyAgent(2), 200);
 * assert.equal(run.actions.length, 200);
 * ```
 *
 * @module
 */
export * from "./bandit.ts";
export * from "./mario.ts";
export * from "./mario_levels.ts";
export * from "./returns.ts";
export * from "./rollout.ts";
export * from "./q_learning.ts";
export * from "./mario_plot.ts";
export * from "./reinforce.ts";
export * from "./shortest_path.ts";
