/**
 * The exercises of notebook 15 · RLHF with PPO: the advantages of one answer by GAE, and PPO's clipped objective for
 * one token.
 *
 * @module
 */
import { gae } from "../rlhf/ppo_math.ts";
import type { CaseExercise } from "./check.ts";

type Advantages = (rewards: number[], values: number[], gamma: number, lambda: number) => number[];
type ClippedObjective = (ratio: number, advantage: number, epsilon: number) => number;

const GAE_CASES: [number[], number[], number, number][] = [
  [[1], [0], 1, 0.95],
  [[0, 0, 1], [0, 0, 0], 1, 1],
  [[0, 0, 1], [0.5, 0.2, 0.4], 0.9, 0.8],
  [[0, 0, 1], [0.5, 0.2, 0.4], 0.9, 0],
  [[-0.1, -0.05, -0.2, 2], [0.3, 0.6, 0.9, 1.2], 1, 0.95],
  [[1, 1, 1, 1, 1], [0, 0, 0, 0, 0], 0.5, 1],
];

/** The usual slips: the sum run forwards instead of backwards, the value after the last step not taken as 0, λ left out. */
function diagnoseGae(got: unknown, expected: unknown, args: [number[], number[], number, number]): string | undefined {
  if (!Array.isArray(got) || !Array.isArray(expected)) return undefined;
  if (got.length !== expected.length) return "length";
  const [rewards, values, gamma, lambda] = args;
  const near = (a: number[]) => a.every((x, i) => Math.abs(x - (got[i] as number)) < 1e-6);
  if (lambda !== 1 && near(gae(rewards, values, gamma, 1).advantages)) return "lambda";
  const returns = gae(rewards, values, gamma, lambda).returns;
  if (near(returns)) return "returns";
  return undefined;
}

/**
 * The learner writes `advantagesOf(rewards, values, gamma, lambda)`: GAE from the last step back, δₜ = rₜ + γ·Vₜ₊₁ − Vₜ
 * (V after the last step is 0), Aₜ = δₜ + γλ·Aₜ₊₁.
 */
export const GAE_ADVANTAGES: CaseExercise<Advantages> = Object.freeze<CaseExercise<Advantages>>({
  id: "15-gae",
  name: "advantagesOf",
  reference: (rewards, values, gamma, lambda) => gae(rewards, values, gamma, lambda).advantages,
  cases: GAE_CASES.map((args) => ({ args })),
  tolerance: 1e-6,
  diagnose: diagnoseGae,
});

/** min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A). */
function referenceClipped(ratio: number, advantage: number, epsilon: number): number {
  const clipped = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon);
  return Math.min(ratio * advantage, clipped * advantage);
}

const CLIP_CASES: [number, number, number][] = [
  [1, 2, 0.2],
  [1.1, 2, 0.2],
  [1.5, 2, 0.2],
  [1.5, -2, 0.2],
  [0.5, -2, 0.2],
  [0.5, 2, 0.2],
  [0.9, -1, 0.1],
  [3, 0.5, 0.3],
];

/**
 * The usual slips: the clipped term alone (no min), the max instead of the min. (The unclipped term alone fails
 * exactly where it is the larger term, so it reads as the max.)
 */
function diagnoseClipped(got: unknown, expected: unknown, args: [number, number, number]): string | undefined {
  if (typeof got !== "number" || typeof expected !== "number") return undefined;
  const [ratio, advantage, epsilon] = args;
  const clipped = Math.min(Math.max(ratio, 1 - epsilon), 1 + epsilon);
  if (Math.abs(got - clipped * advantage) < 1e-9) return "clip-only";
  if (Math.abs(got - Math.max(ratio * advantage, clipped * advantage)) < 1e-9) return "max";
  return undefined;
}

/**
 * The learner writes `clippedObjective(ratio, advantage, epsilon)`: PPO's objective for one token (the loss is its
 * negative), the pessimistic minimum of the unclipped and the clipped term.
 */
export const CLIPPED_OBJECTIVE: CaseExercise<ClippedObjective> = Object.freeze<CaseExercise<ClippedObjective>>({
  id: "15-clipped-objective",
  name: "clippedObjective",
  reference: referenceClipped,
  cases: CLIP_CASES.map((args) => ({ args })),
  tolerance: 1e-9,
  diagnose: diagnoseClipped,
});
