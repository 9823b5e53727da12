/**
 * Episodes in the {@link MarioWorld}: play one with a policy, measure how often a policy reaches the flag from seeded
 * random starts, and record that success rate every few episodes while an agent trains (the success curve).
 *
 * @module
 */
import { type Action, actionIndex, type MarioState, MarioWorld, type Outcome } from "./mario.ts";
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** A policy: the action to take in a state. */
export type Policy = (state: MarioState, world: MarioWorld) => Action | number;

/** One played episode. */
export interface Episode {
  /** The states before each action, then the last state: `actions.length + 1` entries. */
  states: MarioState[];
  /** The action index taken at each step. */
  actions: number[];
  /** The reward of each step. */
  rewards: number[];
  /** How it ended. */
  outcome: Outcome;
  /** Sum of the rewards (undiscounted). */
  totalReward: number;
}

/**
 * Plays one episode: reset, then act and step until the episode ends (flag, gap or time limit).
 *
 * @param world The world (its episode is restarted).
 * @param policy Picks each action.
 * @param start Start index or state (default: drawn by the world's generator, see {@link MarioWorld.reset}).
 * @returns The states, actions, rewards and outcome.
 * @throws {RangeError} When the policy returns an unknown action, or `start` is invalid.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, runEpisode } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny);
 * const always = runEpisode(world, () => "right", 0);
 * assert.equal(always.outcome, "fell");
 * const hop = runEpisode(world, (s) => (s.x === 2 && s.y === 1 ? "jump" : "run"), 0);
 * assert.equal(hop.outcome, "flag");
 * ```
 */
export function runEpisode(world: MarioWorld, policy: Policy, start?: number | MarioState): Episode {
  if (typeof policy !== "function") {
    throw new TypeError(`Cannot run an episode as the policy must be a function: current value is ${policy}`);
  }
  let state = world.reset(start);
  const ep: Episode = { states: [state], actions: [], rewards: [], outcome: "running", totalReward: 0 };
  for (;;) {
    const action = actionIndex(policy(state, world), "run an episode");
    const step = world.step(action);
    ep.actions.push(action);
    ep.rewards.push(step.reward);
    ep.totalReward += step.reward;
    state = step.state;
    ep.states.push(state);
    if (step.done) {
      ep.outcome = step.outcome;
      return ep;
    }
  }
}

/** Options of {@link successRate}. */
export interface SuccessRateOptions {
  /** Episodes played, each from a start drawn at random (default 100). */
  episodes?: number;
  /** Seed or generator of the starts, separate from the world's own (default 1337). */
  seed?: number | Prng;
  /**
   * The states starts are drawn from (default: the level's start cells, `world.starts`); e.g.
   * {@link standingCells} for a harder test from every place Mario can stand.
   */
  starts?: readonly MarioState[];
}

/** What {@link successRate} measures. */
export interface SuccessReport {
  /** Fraction of episodes that reached the flag. */
  rate: number;
  /** Outcome counts. */
  outcomes: Record<Outcome, number>;
  /** Mean steps of the successful episodes (NaN when none). */
  meanSteps: number;
}

/**
 * Plays a policy from seeded random start cells and counts how often it reaches the flag.
 *
 * @param world The world.
 * @param policy The policy (for a learned one, usually its greedy version).
 * @param options Episodes, seed, and the states to start from.
 * @returns The success rate, the outcome counts and the mean length of successful runs.
 * @throws {RangeError} When `episodes` is not a positive integer or `starts` is empty or holds an invalid state.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, successRate } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const hop = (s: { x: number; y: number }) => (s.x === 2 && s.y === 1 ? "jump" : "run");
 * const report = successRate(new MarioWorld(LEVELS.tiny), hop, { episodes: 5 });
 * assert.equal(report.rate, 1);
 * ```
 */
export function successRate(world: MarioWorld, policy: Policy, options: SuccessRateOptions = {}): SuccessReport {
  const episodes = options.episodes ?? 100;
  checkPositiveInteger(episodes, "episodes", "measure a success rate");
  const starts = options.starts ?? world.starts;
  if (!Array.isArray(starts) || starts.length === 0) {
    throw new RangeError(
      `Cannot measure a success rate as starts must be a non-empty array of states: current value is ${
        JSON.stringify(starts)
      }`,
    );
  }
  starts.forEach((s, i) => world.checkState(s, `measure a success rate from starts[${i}]`));
  const rng = toPrng(options.seed ?? SEED);
  const outcomes: Record<Outcome, number> = { running: 0, flag: 0, fell: 0, timeout: 0 };
  let steps = 0;
  for (let i = 0; i < episodes; i++) {
    const ep = runEpisode(world, policy, starts[rng.int(starts.length)]);
    outcomes[ep.outcome] += 1;
    if (ep.outcome === "flag") steps += ep.actions.length;
  }
  return { rate: outcomes.flag / episodes, outcomes, meanSteps: outcomes.flag ? steps / outcomes.flag : NaN };
}

/**
 * Every place Mario can stand still left of the flag: air with solid ground below, rise 0, in reading order. A
 * harder set of starts than the level's own `S` cells, for {@link successRate}: a policy that only memorised the
 * runs from its training starts fails from many of these.
 *
 * @param world The world.
 * @returns The states.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, standingCells } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny);
 * assert.deepEqual(standingCells(world).map((s) => s.x), [0, 1, 2, 4, 5]); // column 3 is the gap
 * ```
 */
export function standingCells(world: MarioWorld): MarioState[] {
  const out: MarioState[] = [];
  for (let y = 0; y < world.height - 1; y++) {
    for (let x = 0; x < world.flagColumn; x++) {
      if (!world.isSolid(x, y) && !world.isFlag(x, y) && world.isSolid(x, y + 1)) out.push({ x, y, rise: 0 });
    }
  }
  return out;
}

/** Options of {@link successCurve}: how often and how a training run's policy is tested. */
export interface SuccessCurveOptions {
  /** Test after every this many training episodes (and after the last one), a positive integer. */
  every: number;
  /** Runs per test (default 50). */
  episodes?: number;
  /** Seed of the test starts, the same at every test (default 1337). */
  seed?: number;
  /** The states test runs start from (default the level's start cells). */
  starts?: readonly MarioState[];
}

/** A success curve: after how many training episodes each test ran, and the success rate it measured. */
export interface SuccessCurve {
  /** Training episodes done at each test: every, 2·every, …, and the total. */
  episode: number[];
  /** Success rate of each test. */
  rate: number[];
}

/**
 * A recorder for a success curve: call `afterEpisode(e)` after training episode `e` (counting from 0) and it tests
 * the policy with {@link successRate} whenever `e + 1` is a multiple of `every` or the last episode. The trainers
 * (`trainQLearning`, `trainReinforce`) use it for their `evaluate` option.
 *
 * @param world The world (its episode is restarted by each test; the next training episode resets it anyway).
 * @param policy The policy to test, usually the agent's greedy one, reading the agent as it is at test time.
 * @param total Training episodes in all, a positive integer.
 * @param options How often, how many runs, which seed and starts.
 * @returns The curve (filled in as training goes) and the callback.
 * @throws {RangeError} When `total` or `every` is not a positive integer, or for bad `episodes` or `starts`.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, successCurve } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const { curve, afterEpisode } = successCurve(new MarioWorld(LEVELS.tiny), () => "run", 5, { every: 2 });
 * for (let e = 0; e < 5; e++) afterEpisode(e);
 * assert.deepEqual(curve.episode, [2, 4, 5]);
 * assert.equal(curve.rate.length, 3);
 * ```
 */
export function successCurve(
  world: MarioWorld,
  policy: Policy,
  total: number,
  options: SuccessCurveOptions,
): { curve: SuccessCurve; afterEpisode: (episode: number) => void } {
  checkPositiveInteger(total, "total", "record a success curve");
  checkPositiveInteger(options?.every, "every", "record a success curve");
  const test = { episodes: options.episodes ?? 50, seed: options.seed ?? SEED, starts: options.starts };
  checkPositiveInteger(test.episodes, "episodes", "record a success curve");
  const curve: SuccessCurve = { episode: [], rate: [] };
  const afterEpisode = (e: number) => {
    if ((e + 1) % options.every !== 0 && e + 1 !== total) return;
    curve.episode.push(e + 1);
    curve.rate.push(successRate(world, policy, test).rate);
  };
  return { curve, afterEpisode };
}
