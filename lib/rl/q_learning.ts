/**
 * Tabular Q-learning (Watkins 1989): a table `Q[state][action]` of how much reward an action is expected to bring,
 * learned from one step at a time by moving `Q[s][a]` toward `r + γ · max_a' Q[s'][a']` (the temporal-difference,
 * TD, target). It acts epsilon-greedily: a random action with probability ε (exploration), else the best one
 * (exploitation).
 *
 * @module
 */
import { type MarioState, type MarioStep, MarioWorld, type Outcome } from "./mario.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { type SuccessCurve, successCurve, type SuccessCurveOptions } from "./rollout.ts";

/** Options of a {@link QLearningAgent}. */
export interface QLearningOptions {
  /** Learning rate α in (0, 1] (default 0.5). */
  alpha?: number;
  /** Discount γ in [0, 1] (default 0.95). */
  gamma?: number;
  /** Exploration probability ε in [0, 1] (default 0.1); can be changed later (decay). */
  epsilon?: number;
  /** Starting value of every entry (default 0). */
  initialValue?: number;
  /** Seed or generator of exploration and tie-breaking (default 1337). */
  seed?: number | Prng;
}

/**
 * A Q-learning agent over numbered states and actions.
 *
 * @example
 * ```ts
 * import { QLearningAgent } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const agent = new QLearningAgent(2, 2, { alpha: 0.5, gamma: 0.9, epsilon: 0 });
 * agent.update(0, 1, 1, 1, false); // Q[0][1] += 0.5 · (1 + 0.9 · 0 − 0)
 * assert.equal(agent.value(0, 1), 0.5);
 * assert.equal(agent.act(0), 1);
 * ```
 */
export class QLearningAgent {
  /** Number of states (rows of the table). */
  readonly numStates: number;
  /** Number of actions (columns). */
  readonly numActions: number;
  /** Learning rate α. */
  readonly alpha: number;
  /** Discount γ. */
  readonly gamma: number;
  /** The table, row-major: entry `s · numActions + a`. */
  readonly q: Float64Array;
  #epsilon = 0;
  #rng: Prng;

  /**
   * @param numStates Number of states, a positive integer.
   * @param numActions Number of actions, a positive integer.
   * @param options α, γ, ε, initial value, seed.
   * @throws {RangeError} For a count that is not a positive integer or an option outside its range.
   */
  constructor(numStates: number, numActions: number, options: QLearningOptions = {}) {
    checkPositiveInteger(numStates, "numStates", "create a Q-learning agent");
    checkPositiveInteger(numActions, "numActions", "create a Q-learning agent");
    const { alpha = 0.5, gamma = 0.95, epsilon = 0.1, initialValue = 0 } = options;
    if (!(alpha > 0 && alpha <= 1)) {
      throw new RangeError(`Cannot create a Q-learning agent as alpha must be in (0, 1]: current value is ${alpha}`);
    }
    if (!(gamma >= 0 && gamma <= 1)) {
      throw new RangeError(`Cannot create a Q-learning agent as gamma must be in [0, 1]: current value is ${gamma}`);
    }
    if (!Number.isFinite(initialValue)) {
      throw new RangeError(
        `Cannot create a Q-learning agent as initialValue must be finite: current value is ${initialValue}`,
      );
    }
    this.numStates = numStates;
    this.numActions = numActions;
    this.alpha = alpha;
    this.gamma = gamma;
    this.q = new Float64Array(numStates * numActions).fill(initialValue);
    this.epsilon = epsilon;
    this.#rng = toPrng(options.seed ?? SEED);
  }

  /** Exploration probability ε. */
  get epsilon(): number {
    return this.#epsilon;
  }

  /** @throws {RangeError} When set outside [0, 1]. */
  set epsilon(value: number) {
    if (!(value >= 0 && value <= 1)) {
      throw new RangeError(`Cannot set epsilon as it must be in [0, 1]: current value is ${value}`);
    }
    this.#epsilon = value;
  }

  /**
   * `Q[state][action]`.
   * @throws {RangeError} For an out-of-range state or action.
   */
  value(state: number, action: number): number {
    this.#check(state, action, "read a Q-value");
    return this.q[state * this.numActions + action];
  }

  /**
   * The row of a state: the value of each action.
   * @throws {RangeError} For an out-of-range state.
   */
  values(state: number): number[] {
    this.#check(state, 0, "read Q-values");
    return Array.from(this.q.subarray(state * this.numActions, (state + 1) * this.numActions));
  }

  /**
   * The best action of a state; ties broken at random (with the agent's generator).
   * @throws {RangeError} For an out-of-range state.
   */
  greedy(state: number): number {
    this.#check(state, 0, "pick a greedy action");
    const row = state * this.numActions;
    let best = -Infinity, count = 0, pick = 0;
    for (let a = 0; a < this.numActions; a++) {
      const v = this.q[row + a];
      if (v > best) [best, count, pick] = [v, 1, a];
      else if (v === best && this.#rng.int(++count) === 0) pick = a; // reservoir sampling over the ties
    }
    return pick;
  }

  /**
   * Epsilon-greedy: a random action with probability ε, else {@link greedy}.
   * @throws {RangeError} For an out-of-range state.
   */
  act(state: number): number {
    this.#check(state, 0, "act");
    if (this.#epsilon > 0 && this.#rng.next() < this.#epsilon) return this.#rng.int(this.numActions);
    return this.greedy(state);
  }

  /**
   * One Q-learning update: `Q[s][a] += α · (r + γ · max_a' Q[s'][a'] − Q[s][a])`, with no future term when the
   * episode ended at `s'` (`terminal`). A step cut off by a time limit is not terminal: pass `false` there.
   *
   * @param state s.
   * @param action a.
   * @param reward r, finite.
   * @param next s'.
   * @param terminal Whether s' ends the episode (the flag or a gap).
   * @returns The TD error `target − Q[s][a]` before the update.
   * @throws {RangeError} For out-of-range states or action, or a non-finite reward.
   */
  update(state: number, action: number, reward: number, next: number, terminal: boolean): number {
    this.#check(state, action, "update a Q-value");
    this.#check(next, 0, "update a Q-value");
    if (!Number.isFinite(reward)) {
      throw new RangeError(`Cannot update a Q-value as the reward must be finite: current value is ${reward}`);
    }
    let future = 0;
    if (!terminal) {
      future = -Infinity;
      for (let b = 0; b < this.numActions; b++) future = Math.max(future, this.q[next * this.numActions + b]);
    }
    const i = state * this.numActions + action;
    const error = reward + this.gamma * future - this.q[i];
    this.q[i] += this.alpha * error;
    return error;
  }

  #check(state: number, action: number, what: string): void {
    if (!Number.isInteger(state) || state < 0 || state >= this.numStates) {
      throw new RangeError(
        `Cannot ${what} as state must be an integer in [0, ${this.numStates}): current value is ${state}`,
      );
    }
    if (!Number.isInteger(action) || action < 0 || action >= this.numActions) {
      throw new RangeError(
        `Cannot ${what} as action must be an integer in [0, ${this.numActions}): current value is ${action}`,
      );
    }
  }
}

/** Options of {@link trainQLearning}. */
export interface TrainQLearningOptions {
  /** ε of the first episode (default: the agent's ε). */
  epsilonStart?: number;
  /** ε of the last episode, reached by linear decay (default: `epsilonStart`, no decay). */
  epsilonEnd?: number;
  /** Called after each episode with its index and record (for live charts). */
  onEpisode?: (episode: number, record: EpisodeRecord) => void;
  /**
   * Called after every step with the state it started from, the action taken and what the step returned (for maps
   * of where the agent went while it explored).
   */
  onStep?: (state: MarioState, action: number, step: MarioStep) => void;
  /**
   * Test the greedy policy every few episodes (see {@link successCurve}) and return the curve as `history.success`.
   * The tests break ties with the agent's generator, so a run with tests differs from one without (both seeded).
   */
  evaluate?: SuccessCurveOptions;
}

/** What one training episode did. */
export interface EpisodeRecord {
  /** Undiscounted sum of rewards. */
  totalReward: number;
  /** Steps taken. */
  steps: number;
  /** How it ended. */
  outcome: Outcome;
}

/** The history of a training run, one entry per episode. */
export interface TrainingHistory {
  /** Sum of rewards of each episode. */
  totalRewards: number[];
  /** Steps of each episode. */
  steps: number[];
  /** Outcome of each episode. */
  outcomes: Outcome[];
  /** The success curve, when the `evaluate` option asked for one. */
  success?: SuccessCurve;
}

/**
 * Trains a Q-learning agent in a world: each episode starts at a random start cell (the world's generator) and
 * updates the table after every step.
 *
 * @param world The world; the agent's table must have `world.numStates` rows and 4 columns.
 * @param agent The learner (its ε is left at the last episode's value).
 * @param episodes Number of episodes, a positive integer.
 * @param options ε schedule, episode and step callbacks, a success curve.
 * @returns Total reward, steps and outcome of every episode.
 * @throws {RangeError} When the sizes do not match or `episodes` is not a positive integer.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, QLearningAgent, trainQLearning } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
 * const agent = new QLearningAgent(world.numStates, world.numActions, { epsilon: 0.2, seed: 2 });
 * let steps = 0;
 * const history = trainQLearning(world, agent, 300, { onStep: () => steps++ });
 * assert.equal(history.outcomes.length, 300);
 * assert.equal(history.outcomes.at(-1), "flag");
 * assert.equal(steps, history.steps.reduce((a, b) => a + b, 0));
 * const tested = trainQLearning(world, agent, 50, { evaluate: { every: 25, episodes: 10 } });
 * assert.deepEqual(tested.success!.episode, [25, 50]);
 * assert.equal(tested.success!.rate.at(-1), 1);
 * ```
 */
export function trainQLearning(
  world: MarioWorld,
  agent: QLearningAgent,
  episodes: number,
  options: TrainQLearningOptions = {},
): TrainingHistory {
  checkPositiveInteger(episodes, "episodes", "train a Q-learning agent");
  if (agent.numStates !== world.numStates || agent.numActions !== world.numActions) {
    throw new RangeError(
      `Cannot train a Q-learning agent as its table is ${agent.numStates}×${agent.numActions} and the world has ` +
        `${world.numStates} states and ${world.numActions} actions: they must match`,
    );
  }
  const start = options.epsilonStart ?? agent.epsilon, end = options.epsilonEnd ?? start;
  const history: TrainingHistory = { totalRewards: [], steps: [], outcomes: [] };
  const tests = options.evaluate && successCurve(world, greedyPolicy(world, agent), episodes, options.evaluate);
  if (tests) history.success = tests.curve;
  for (let e = 0; e < episodes; e++) {
    agent.epsilon = episodes === 1 ? start : start + (end - start) * e / (episodes - 1);
    let state = world.reset();
    let s = world.stateIndex(state);
    let total = 0;
    for (;;) {
      const a = agent.act(s);
      const step = world.step(a);
      options.onStep?.(state, a, step);
      state = step.state;
      const terminal = step.outcome === "flag" || step.outcome === "fell";
      const next = terminal ? s : world.stateIndex(step.state); // the flag and the gap have no row: no future term
      agent.update(s, a, step.reward, next, terminal);
      total += step.reward;
      s = next;
      if (step.done) {
        const record = { totalReward: total, steps: world.stepCount, outcome: step.outcome };
        history.totalRewards.push(total);
        history.steps.push(record.steps);
        history.outcomes.push(record.outcome);
        options.onEpisode?.(e, record);
        tests?.afterEpisode(e);
        break;
      }
    }
  }
  return history;
}

/**
 * The greedy policy of a trained agent in a world, for {@link runEpisode} and {@link successRate}.
 *
 * @param world The world whose states the agent's table numbers.
 * @param agent The agent.
 * @returns A policy that picks the best action of each state.
 * @example
 * ```ts
 * import { greedyPolicy, LEVELS, MarioWorld, QLearningAgent, successRate, trainQLearning } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
 * const agent = new QLearningAgent(world.numStates, world.numActions, { epsilon: 0.2, seed: 2 });
 * trainQLearning(world, agent, 300);
 * assert.equal(successRate(world, greedyPolicy(world, agent), { episodes: 10 }).rate, 1);
 * ```
 */
export function greedyPolicy(world: MarioWorld, agent: QLearningAgent): (state: MarioState) => number {
  return (state) => agent.greedy(world.stateIndex(state));
}

/**
 * The learned value of every cell, `max_a Q[s][a]` for Mario standing there (rise 0): a map of what the agent
 * believes each place is worth, for a heatmap (with the dense reward the far left is worth most: it has the most
 * progress still to collect; with the flag-only reward the value grows toward the flag). Cells Mario cannot be in (solid, flag, the bottom row) get the
 * smallest value of the map, so that the colour scale stays that of the reachable cells.
 *
 * @param world The world whose states the agent's table numbers.
 * @param agent The agent.
 * @returns `height` rows of `width` values.
 * @throws {RangeError} When the agent's table does not match the world.
 * @example
 * ```ts
 * import { FLAG_ONLY_REWARD, LEVELS, MarioWorld, QLearningAgent, stateValueGrid, trainQLearning } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny, { seed: 1, reward: FLAG_ONLY_REWARD });
 * const agent = new QLearningAgent(world.numStates, world.numActions, { epsilon: 0.3, seed: 2 });
 * trainQLearning(world, agent, 1000);
 * const grid = stateValueGrid(world, agent);
 * assert.ok(grid[1][4] > grid[1][0]); // flag-only: nearer the flag is worth more (γ^steps)
 * ```
 */
export function stateValueGrid(world: MarioWorld, agent: QLearningAgent): number[][] {
  if (agent.numStates !== world.numStates || agent.numActions !== world.numActions) {
    throw new RangeError(
      `Cannot map state values as the agent's table is ${agent.numStates}×${agent.numActions} and the world has ` +
        `${world.numStates} states and ${world.numActions} actions: they must match`,
    );
  }
  const grid = Array.from({ length: world.height }, (_, y) =>
    Array.from({ length: world.width }, (_, x) => {
      if (y === world.height - 1 || world.isSolid(x, y) || world.isFlag(x, y)) return NaN;
      return Math.max(...agent.values(world.stateIndex({ x, y, rise: 0 })));
    }));
  const finite = grid.flat().filter((v) => !Number.isNaN(v));
  const low = finite.length ? Math.min(...finite) : 0;
  return grid.map((row) => row.map((v) => (Number.isNaN(v) ? low : v)));
}
