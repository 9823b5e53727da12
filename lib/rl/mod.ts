/**
 * lib/rl: reinforcement learning (强化学习) environments and agents.
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
