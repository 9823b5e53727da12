/**
 * A multi-armed bandit and an epsilon-greedy agent: reinforcement learning (强化学习) at its smallest.
 *
 * A row of slot machines ("arms") each pays a noisy reward around a mean the agent does not know. The agent learns
 * only from the rewards it gets: with probability epsilon it explores (pulls a random arm), otherwise it exploits
 * (pulls the arm whose average reward so far is highest).
 *
 * @module
 */
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { argmax } from "../core/argmax.ts";

/** Options of a {@link Bandit}. */
export interface BanditOptions {
  /** Standard deviation of the Gaussian noise around each arm's mean reward (default 1). */
  std?: number;
  /** Seed or generator for the reward noise (default 1337). */
  seed?: number | Prng;
}

/**
 * A k-armed bandit whose arm `i` pays `mean[i] + std · N(0, 1)`.
 *
 * @example
 * ```ts
 * import { Bandit } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const bandit = new Bandit([0.1, 0.9, 0.5], { std: 0 });
 * assert.equal(bandit.arms, 3);
 * assert.equal(bandit.bestArm, 1);
 * assert.equal(bandit.pull(1), 0.9);
 * ```
 */
export class Bandit {
  /** The mean reward of each arm (hidden from the agent). */
  readonly means: readonly number[];
  /** Noise standard deviation. */
  readonly std: number;
  #rng: Prng;

  /**
   * @param means The mean reward of each arm; at least one, all finite.
   * @param options Noise and seed.
   * @throws {RangeError} When `means` is empty or holds a non-finite number, or `std` is negative.
   */
  constructor(means: readonly number[], options: BanditOptions = {}) {
    if (!Array.isArray(means) || means.length === 0) {
      throw new RangeError(`Cannot create a bandit as means must be a non-empty array: current value is ${means}`);
    }
    const bad = means.findIndex((m) => !Number.isFinite(m));
    if (bad >= 0) {
      throw new RangeError(`Cannot create a bandit as every mean must be finite: means[${bad}] is ${means[bad]}`);
    }
    const std = options.std ?? 1;
    if (!(std >= 0) || !Number.isFinite(std)) {
      throw new RangeError(`Cannot create a bandit as std must be a finite number >= 0: current value is ${std}`);
    }
    this.means = Object.freeze([...means]);
    this.std = std;
    this.#rng = toPrng(options.seed ?? SEED);
  }

  /** Number of arms. */
  get arms(): number {
    return this.means.length;
  }

  /** Index of the arm with the highest mean (the first one on ties). */
  get bestArm(): number {
    return argmax(this.means);
  }

  /**
   * Pulls an arm and returns its noisy reward.
   *
   * @param arm Index in `[0, arms)`.
   * @returns The reward.
   * @throws {RangeError} When `arm` is not an integer index of an arm.
   */
  pull(arm: number): number {
    checkArm(arm, this.arms, "pull an arm");
    return this.std === 0 ? this.means[arm] : this.#rng.normal(this.means[arm], this.std);
  }
}

/** Options of an {@link EpsilonGreedyAgent}. */
export interface EpsilonGreedyOptions {
  /** Probability of exploring (a uniformly random arm) at each step, in [0, 1] (default 0.1). */
  epsilon?: number;
  /** Starting estimate of every arm's value (default 0; a high value makes even a greedy agent explore). */
  initialValue?: number;
  /** Seed or generator for exploration and tie-breaking (default 1337). */
  seed?: number | Prng;
}

/**
 * The epsilon-greedy agent: keeps the average reward of each arm and mostly pulls the best-looking one.
 *
 * @example
 * ```ts
 * import { EpsilonGreedyAgent } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const agent = new EpsilonGreedyAgent(2, { epsilon: 0 });
 * agent.update(1, 5);
 * assert.equal(agent.act(), 1);
 * assert.deepEqual(agent.values, [0, 5]);
 * ```
 */
export class EpsilonGreedyAgent {
  /** Exploration probability. */
  readonly epsilon: number;
  /** Estimated value (average reward so far) of each arm. */
  readonly values: number[];
  /** How many times each arm was pulled. */
  readonly counts: number[];
  #rng: Prng;

  /**
   * @param arms Number of arms, a positive integer.
   * @param options Epsilon, initial value, seed.
   * @throws {RangeError} When `arms` is not a positive integer, `epsilon` is outside [0, 1], or `initialValue` is
   * not finite.
   */
  constructor(arms: number, options: EpsilonGreedyOptions = {}) {
    checkPositiveInteger(arms, "arms", "create an agent");
    const epsilon = options.epsilon ?? 0.1;
    if (!(epsilon >= 0 && epsilon <= 1)) {
      throw new RangeError(`Cannot create an agent as epsilon must be in [0, 1]: current value is ${epsilon}`);
    }
    const init = options.initialValue ?? 0;
    if (!Number.isFinite(init)) {
      throw new RangeError(`Cannot create an agent as initialValue must be finite: current value is ${init}`);
    }
    this.epsilon = epsilon;
    this.values = new Array(arms).fill(init);
    this.counts = new Array(arms).fill(0);
    this.#rng = toPrng(options.seed ?? SEED);
  }

  /** Picks an arm: random with probability epsilon, else the best estimate (random among ties). */
  act(): number {
    if (this.epsilon > 0 && this.#rng.next() < this.epsilon) return this.#rng.int(this.values.length);
    const best = Math.max(...this.values);
    const ties = this.values.flatMap((v, i) => (v === best ? [i] : []));
    return ties.length === 1 ? ties[0] : ties[this.#rng.int(ties.length)];
  }

  /**
   * Learns from one reward: moves the arm's estimate toward it by 1/count (the running average).
   *
   * @param arm The arm that was pulled.
   * @param reward The reward it paid.
   * @throws {RangeError} When `arm` is not an arm index or `reward` is not finite.
   */
  update(arm: number, reward: number): void {
    checkArm(arm, this.values.length, "update an arm");
    if (!Number.isFinite(reward)) {
      throw new RangeError(`Cannot update an arm as the reward must be finite: current value is ${reward}`);
    }
    this.counts[arm] += 1;
    this.values[arm] += (reward - this.values[arm]) / this.counts[arm];
  }
}

/** What {@link runBandit} records, one entry per step. */
export interface BanditRun {
  /** Arm pulled at each step. */
  actions: number[];
  /** Reward received at each step. */
  rewards: number[];
  /** Whether the pulled arm was the best one. */
  optimal: boolean[];
  /** The agent's value estimates after the last step. */
  values: number[];
}

/**
 * Lets an agent play a bandit for a number of steps, learning after every pull.
 *
 * @param bandit The environment.
 * @param agent The learner; its arm count must match the bandit's.
 * @param steps Number of pulls, a positive integer.
 * @returns Actions, rewards, optimal flags and final estimates.
 * @throws {RangeError} When `steps` is not a positive integer or the arm counts differ.
 * @example
 * ```ts
 * import { Bandit, EpsilonGreedyAgent, runBandit } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const bandit = new Bandit([0, 1, 0.5], { seed: 1 });
 * const run = runBandit(bandit, new EpsilonGreedyAgent(3, { epsilon: 0.1, seed: 2 }), 500);
 * assert.equal(run.rewards.length, 500);
 * assert.ok(run.optimal.slice(-100).filter(Boolean).length > 80);
 * ```
 */
export function runBandit(bandit: Bandit, agent: EpsilonGreedyAgent, steps: number): BanditRun {
  checkPositiveInteger(steps, "steps", "run a bandit");
  if (agent.values.length !== bandit.arms) {
    throw new RangeError(
      `Cannot run a bandit as the agent has ${agent.values.length} arms and the bandit ${bandit.arms}: they must match`,
    );
  }
  const run: BanditRun = { actions: [], rewards: [], optimal: [], values: [] };
  const best = bandit.bestArm;
  for (let t = 0; t < steps; t++) {
    const arm = agent.act();
    const reward = bandit.pull(arm);
    agent.update(arm, reward);
    run.actions.push(arm);
    run.rewards.push(reward);
    run.optimal.push(bandit.means[arm] === bandit.means[best]);
  }
  run.values = [...agent.values];
  return run;
}

/**
 * Running mean of a series: element t is the mean of `xs[0..t]` (for "average reward so far" curves).
 *
 * @param xs Numbers or booleans (true counts as 1).
 * @returns The cumulative averages, same length.
 * @example
 * ```ts
 * import { runningMean } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(runningMean([1, 0, 2]), [1, 0.5, 1]);
 * ```
 */
export function runningMean(xs: readonly (number | boolean)[]): number[] {
  let sum = 0;
  return xs.map((x, i) => (sum += Number(x)) / (i + 1));
}

/**
 * Trailing moving average: element t is the mean of the last `window` values up to t (fewer at the start).
 *
 * @param xs The series.
 * @param window Number of values averaged, a positive integer.
 * @returns The smoothed series, same length.
 * @throws {RangeError} When `window` is not a positive integer.
 * @example
 * ```ts
 * import { movingAverage } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(movingAverage([2, 4, 6, 8], 2), [2, 3, 5, 7]);
 * ```
 */
export function movingAverage(xs: readonly number[], window: number): number[] {
  checkPositiveInteger(window, "window", "smooth a series");
  let sum = 0;
  return xs.map((x, t) => {
    sum += x - (t >= window ? xs[t - window] : 0);
    return sum / Math.min(t + 1, window);
  });
}

/** Options of {@link banditTestbed}. */
export interface TestbedOptions {
  /** The agent's exploration probability (default 0.1). */
  epsilon?: number;
  /** Number of random bandit problems averaged (default 2000). */
  tasks?: number;
  /** Pulls per problem (default 1000). */
  pulls?: number;
  /** Arms per problem (default 10). */
  arms?: number;
  /** Seed of the whole experiment (default 1337). */
  seed?: number;
}

/** Per-step averages over the tasks of a {@link banditTestbed} run. */
export interface TestbedCurves {
  /** Mean reward at each pull. */
  reward: number[];
  /** Fraction of tasks in which the pull at that step was on the best arm. */
  optimal: number[];
}

/**
 * The k-armed testbed of Sutton & Barto (Reinforcement Learning, ch. 2): many bandits whose arm means are drawn
 * from N(0, 1) (rewards then N(mean, 1)), one fresh epsilon-greedy agent per bandit, results averaged per step.
 * The bandits depend only on `seed`, so runs with different epsilons face the same problems.
 *
 * @param options Epsilon, number of tasks, pulls, arms, seed.
 * @returns The average reward and the fraction of optimal pulls at each step.
 * @throws {RangeError} When a count is not a positive integer (or as {@link EpsilonGreedyAgent} for epsilon).
 * @example
 * ```ts
 * import { banditTestbed } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const curves = banditTestbed({ epsilon: 0.1, tasks: 20, pulls: 300 });
 * assert.equal(curves.optimal.length, 300);
 * assert.ok(curves.optimal.at(-1)! > curves.optimal[0]);
 * ```
 */
export function banditTestbed(options: TestbedOptions = {}): TestbedCurves {
  const { epsilon = 0.1, tasks = 2000, pulls = 1000, arms = 10, seed = SEED } = options;
  for (const [name, v] of [["tasks", tasks], ["pulls", pulls], ["arms", arms]] as const) {
    checkPositiveInteger(v, name, "run the bandit testbed");
  }
  const reward = new Array<number>(pulls).fill(0), optimal = new Array<number>(pulls).fill(0);
  const problems = new Prng(seed);
  for (let task = 0; task < tasks; task++) {
    const rng = problems.fork();
    const means = Array.from({ length: arms }, () => rng.normal());
    const run = runBandit(
      new Bandit(means, { seed: rng.fork() }),
      new EpsilonGreedyAgent(arms, { epsilon, seed: rng.fork() }),
      pulls,
    );
    for (let t = 0; t < pulls; t++) {
      reward[t] += run.rewards[t] / tasks;
      optimal[t] += Number(run.optimal[t]) / tasks;
    }
  }
  return { reward, optimal };
}

function checkArm(arm: number, arms: number, action: string): void {
  if (!Number.isInteger(arm) || arm < 0 || arm >= arms) {
    throw new RangeError(`Cannot ${action} as arm must be an integer in [0, ${arms}): current value is ${arm}`);
  }
}
