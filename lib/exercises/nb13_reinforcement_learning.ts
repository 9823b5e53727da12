/**
 * The exercises of notebook 13 · Reinforcement learning: the discounted return of every step of an episode, and one
 * Q-learning update by hand. Both references are the lib/rl pieces the exercises are about (`discountedReturns` and
 * `QLearningAgent.update`), so an answer that passes computes what the agents of the notebook compute.
 *
 * @module
 */
import { discountedReturns, QLearningAgent } from "../rl/mod.ts";
import type { CaseExercise } from "./check.ts";

type Returns = (rewards: number[], gamma: number) => number[];

const near = (a: unknown, b: readonly number[]) =>
  Array.isArray(a) && a.length === b.length && a.every((v, i) => typeof v === "number" && Math.abs(v - b[i]) < 1e-9);

/** Mistakes worth a hint of their own, each as the numbers it gives. */
function returnsMistake(got: unknown, rewards: readonly number[], gamma: number): string | undefined {
  const n = rewards.length;
  if (gamma !== 1 && near(got, discountedReturns(rewards, 1))) return "undiscounted";
  const forward: number[] = [];
  rewards.forEach((r, t) => forward.push(r + (t > 0 ? gamma * forward[t - 1] : 0)));
  if (near(got, forward)) return "forward";
  const absolute = rewards.map((_, t) => rewards.slice(t).reduce((s, r, k) => s + gamma ** (t + k) * r, 0));
  if (gamma !== 1 && n > 1 && near(got, absolute)) return "absolute";
  return undefined;
}

/** The learner writes `returnsOf(rewards, gamma)`: `G[t] = r[t] + γ·r[t+1] + γ²·r[t+2] + …` for every step t. */
export const DISCOUNTED_RETURNS: CaseExercise<Returns> = Object.freeze<CaseExercise<Returns>>({
  id: "13-discounted-returns",
  name: "returnsOf",
  reference: ((rewards: number[], gamma: number) => discountedReturns(rewards, gamma)) as Returns,
  equivalents: [discountedReturns],
  cases: () => [
    { args: [[0, 0, 1], 0.5] as [number[], number] },
    { args: [[1, 1, 1, 1], 0.9] as [number[], number] },
    { args: [[0.1, 0.2, 0, -1], 0.95] as [number[], number] },
    { args: [[0, 0, 0, 0, 1], 0.99] as [number[], number] },
    { args: [[2, -1, 3], 1] as [number[], number] },
    { args: [[0.1, 0.1, 1.1], 0] as [number[], number] },
    { args: [[5], 0.9] as [number[], number] },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, [rewards, gamma]) => returnsMistake(got, rewards, gamma),
});

type QUpdate = (
  q: number,
  reward: number,
  nextValues: number[],
  terminal: boolean,
  alpha: number,
  gamma: number,
) => number;

/** One update with lib/rl's agent: a two-state table, Q[0][0] = q and the row of state 1 = nextValues. */
function libQUpdate(
  q: number,
  reward: number,
  nextValues: number[],
  terminal: boolean,
  alpha: number,
  gamma: number,
): number {
  const agent = new QLearningAgent(2, nextValues.length, { alpha, gamma, epsilon: 0 });
  agent.q[0] = q;
  nextValues.forEach((v, b) => agent.q[nextValues.length + b] = v);
  agent.update(0, 0, reward, 1, terminal);
  return agent.value(0, 0);
}

/** The update's pieces computed the wrong way, for the hints. */
function qMistake(got: unknown, args: Parameters<QUpdate>): string | undefined {
  if (typeof got !== "number") return undefined;
  const [q, reward, next, terminal, alpha, gamma] = args;
  const is = (v: number) => Math.abs(got - v) < 1e-9;
  const best = Math.max(...next);
  const target = reward + (terminal ? 0 : gamma * best);
  if (terminal && is(q + alpha * (reward + gamma * best - q))) return "terminal";
  if (alpha !== 1 && is(target)) return "alpha";
  if (is(target - q)) return "error";
  const mean = next.reduce((s, v) => s + v, 0) / next.length;
  if (!terminal && mean !== best && is(q + alpha * (reward + gamma * mean - q))) return "max";
  if (!terminal && is(q + alpha * (reward + gamma * next[0] - q)) && next[0] !== best) return "max";
  return undefined;
}

/**
 * The learner writes `qUpdate(q, reward, nextValues, terminal, alpha, gamma)`: the new `Q[s][a]` after one step,
 * `q + α · (r + γ · max(nextValues) − q)`, with no future term when the step ended the episode.
 */
export const Q_UPDATE: CaseExercise<QUpdate> = Object.freeze<CaseExercise<QUpdate>>({
  id: "13-q-update",
  name: "qUpdate",
  reference: libQUpdate as QUpdate,
  cases: () => [
    { args: [0.2, 1, [0, 0, 0, 0], false, 0.5, 0.9] as Parameters<QUpdate> },
    { args: [0, 0.1, [0.2, 0.8, 0.5, 0.1], false, 0.5, 0.9] as Parameters<QUpdate> },
    { args: [0.4, -1, [0.7, 0.9, 0.3, 0.2], true, 0.5, 0.95] as Parameters<QUpdate> },
    { args: [0.3, 0.2, [0.1, -0.4, 0.6, 0], false, 0.1, 0.95] as Parameters<QUpdate> },
    { args: [1, 1, [2, 0.5, 1, 0.5], true, 0.25, 0.99] as Parameters<QUpdate> },
    { args: [-0.2, 0, [-0.5, -0.1, -0.3, -0.9], false, 1, 0.5] as Parameters<QUpdate> },
  ],
  tolerance: 1e-9,
  diagnose: (got, _expected, args) => qMistake(got, args),
});
