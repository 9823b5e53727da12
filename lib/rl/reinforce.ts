/**
 * REINFORCE with a baseline (Williams 1992; Sutton & Barto ch. 13.4): a small neural policy π(a | s) that is made
 * more likely to repeat the actions of episodes that went better than expected.
 *
 * After an episode the return `G[t]` of each step is compared with the value the network expected there, `V(s[t])`;
 * the difference is the advantage `A[t] = G[t] − V(s[t])`. The loss
 *
 *     −mean(A[t] · log π(a[t] | s[t]))  +  c_v · mean((G[t] − V(s[t]))²)  −  c_e · mean(entropy of π(· | s[t]))
 *
 * pushes up the log-probability of actions with positive advantage and down those with negative advantage, teaches
 * the value head to predict returns (the baseline: it does not change the expected gradient, only its noise), and
 * keeps some exploration. The same network shape — a trunk with a policy head and a value head — is what PPO uses in
 * notebook 15.
 *
 * The network: `h = tanh(x · W1 + b1)`, `logits = h · Wπ + bπ`, `V = h · Wv + bv`. Acting runs the same maths on a
 * host copy of the weights (refreshed after every update), so playing an episode creates no tensors.
 *
 * @module
 */
import { tf } from "../core/backend.ts";
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { AdamW } from "../nn/optim.ts";
import { DISPLAY, type MimeBundle } from "../notebook/display.ts";
import { discountedReturns } from "./returns.ts";
import type { MarioState, MarioWorld } from "./mario.ts";
import { type Policy, successCurve, type SuccessCurveOptions } from "./rollout.ts";
import type { TrainingHistory } from "./q_learning.ts";

/** Options of a {@link ReinforceAgent}. */
export interface ReinforceOptions {
  /** Hidden units of the trunk, a positive integer (default 32). */
  hidden?: number;
  /** Discount γ in [0, 1] (default 0.99). */
  gamma?: number;
  /** Adam learning rate, > 0 (default 0.01). */
  lr?: number;
  /** Weight c_v of the value loss, ≥ 0 (default 0.5). */
  valueCoef?: number;
  /** Weight c_e of the entropy bonus, ≥ 0 (default 0.01). */
  entropyCoef?: number;
  /** Use the value head as baseline (default true); false gives plain REINFORCE, `A[t] = G[t]`. */
  baseline?: boolean;
  /** Seed or generator of the initial weights and of action sampling (default 1337). */
  seed?: number | Prng;
}

/** One episode as the agent learns from it. */
export interface Trajectory {
  /** Features of the state before each action. */
  features: readonly Float32Array[];
  /** Action index taken at each step. */
  actions: readonly number[];
  /** Reward of each step. */
  rewards: readonly number[];
}

/** What one {@link ReinforceAgent.update} measured (before the weights changed). */
export interface ReinforceStats {
  /** The policy term −mean(A · log π(a | s)). */
  policyLoss: number;
  /** mean((G − V)²). */
  valueLoss: number;
  /** Mean entropy of the policy over the visited states, in nats. */
  entropy: number;
  /** Steps learned from. */
  steps: number;
}

const PARAM_NAMES = ["w1", "b1", "wPi", "bPi", "wV", "bV"] as const;

/**
 * A policy-gradient agent: an MLP with a policy head and a value head, trained by REINFORCE with a baseline.
 *
 * @example
 * ```ts
 * import { ReinforceAgent } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const agent = new ReinforceAgent(3, 2, { hidden: 4, seed: 1 });
 * const p = agent.probabilities(new Float32Array([1, 0, 0]));
 * assert.ok(Math.abs(p[0] + p[1] - 1) < 1e-9);
 * const stats = await agent.update([{ features: [new Float32Array([1, 0, 0])], actions: [1], rewards: [1] }]);
 * assert.equal(stats.steps, 1);
 * agent.dispose();
 * ```
 */
export class ReinforceAgent {
  /** Length of a feature vector. */
  readonly inputSize: number;
  /** Number of actions. */
  readonly numActions: number;
  /** Hidden units. */
  readonly hidden: number;
  /** Discount γ. */
  readonly gamma: number;
  /** Value-loss weight. */
  readonly valueCoef: number;
  /** Entropy-bonus weight. */
  readonly entropyCoef: number;
  /** Whether the value head is used as baseline. */
  readonly baseline: boolean;
  /** The parameters by name: w1 [in, hidden], b1, wPi [hidden, actions], bPi, wV [hidden, 1], bV. */
  readonly params: Map<string, tf.Variable>;
  #optimizer: AdamW;
  #host: Record<string, Float32Array> = {};
  #rng: Prng;
  #disposed = false;

  /**
   * @param inputSize Length of the feature vectors, a positive integer (e.g. `world.featureSize`).
   * @param numActions Number of actions, a positive integer.
   * @param options Network size, γ, learning rate, loss weights, baseline, seed.
   * @throws {RangeError} For a size that is not a positive integer or an option outside its range.
   */
  constructor(inputSize: number, numActions: number, options: ReinforceOptions = {}) {
    const what = "create a REINFORCE agent";
    checkPositiveInteger(inputSize, "inputSize", what);
    checkPositiveInteger(numActions, "numActions", what);
    const { hidden = 32, gamma = 0.99, lr = 0.01, valueCoef = 0.5, entropyCoef = 0.01, baseline = true } = options;
    checkPositiveInteger(hidden, "hidden", what);
    if (!(gamma >= 0 && gamma <= 1)) {
      throw new RangeError(`Cannot ${what} as gamma must be in [0, 1]: current value is ${gamma}`);
    }
    if (!(lr > 0) || !Number.isFinite(lr)) {
      throw new RangeError(`Cannot ${what} as lr must be a finite number > 0: current value is ${lr}`);
    }
    for (const [name, v] of [["valueCoef", valueCoef], ["entropyCoef", entropyCoef]] as const) {
      if (!(v >= 0) || !Number.isFinite(v)) {
        throw new RangeError(`Cannot ${what} as ${name} must be a finite number ≥ 0: current value is ${v}`);
      }
    }
    this.inputSize = inputSize;
    this.numActions = numActions;
    this.hidden = hidden;
    this.gamma = gamma;
    this.valueCoef = valueCoef;
    this.entropyCoef = entropyCoef;
    this.baseline = baseline;
    this.#rng = toPrng(options.seed ?? SEED);
    const init = (rows: number, cols: number, scale: number) =>
      Float32Array.from({ length: rows * cols }, () => this.#rng.normal(0, scale));
    const shapes: Record<string, [number[], Float32Array]> = {
      w1: [[inputSize, hidden], init(inputSize, hidden, 1 / Math.sqrt(inputSize))],
      b1: [[hidden], new Float32Array(hidden)],
      wPi: [[hidden, numActions], init(hidden, numActions, 0.01)], // a near-uniform first policy
      bPi: [[numActions], new Float32Array(numActions)],
      wV: [[hidden, 1], init(hidden, 1, 0.01)],
      bV: [[1], new Float32Array(1)],
    };
    this.params = new Map(PARAM_NAMES.map((n) => [n, tf.variable(tf.tensor(shapes[n][1], shapes[n][0]))]));
    for (const n of PARAM_NAMES) this.#host[n] = shapes[n][1];
    this.#optimizer = new AdamW(this.params, { lr, weightDecay: 0 });
  }

  /** Number of trainable numbers. */
  get numParams(): number {
    let n = 0;
    for (const p of this.params.values()) n += p.size;
    return n;
  }

  /**
   * The network on a batch, with tensors (what the loss differentiates).
   *
   * @param x Features `[N, inputSize]`.
   * @returns Logits `[N, numActions]` and values `[N]`.
   */
  forward(x: tf.Tensor2D): { logits: tf.Tensor2D; value: tf.Tensor1D } {
    this.#alive("run the policy network");
    const p = (n: string) => this.params.get(n)!;
    return tf.tidy(() => {
      const h = tf.tanh(tf.add(tf.matMul(x, p("w1")), p("b1"))) as tf.Tensor2D; // [N, hidden]
      const logits = tf.add(tf.matMul(h, p("wPi")), p("bPi")) as tf.Tensor2D; // [N, A]
      const value = tf.reshape(tf.add(tf.matMul(h, p("wV")), p("bV")), [-1]) as tf.Tensor1D; // [N]
      return { logits, value };
    });
  }

  /**
   * π(· | s) for one state, computed on the host copy of the weights (no tensors).
   *
   * @param features A feature vector of length `inputSize`.
   * @returns The probability of each action.
   * @throws {RangeError} When the vector has the wrong length or holds a non-finite number.
   */
  probabilities(features: ArrayLike<number>): Float64Array {
    return this.#hostForward(features, "compute action probabilities").probs;
  }

  /**
   * V(s): the return the value head expects from a state (host copy, no tensors).
   * @throws {RangeError} As {@link probabilities}.
   */
  value(features: ArrayLike<number>): number {
    return this.#hostForward(features, "compute a state value").value;
  }

  /**
   * Samples an action from π(· | s) with the agent's generator.
   * @throws {RangeError} As {@link probabilities}.
   */
  act(features: ArrayLike<number>): number {
    return this.#rng.categorical(this.probabilities(features));
  }

  /**
   * The most probable action (the first on ties).
   * @throws {RangeError} As {@link probabilities}.
   */
  greedy(features: ArrayLike<number>): number {
    const p = this.probabilities(features);
    let best = 0;
    for (let a = 1; a < p.length; a++) if (p[a] > p[best]) best = a;
    return best;
  }

  /**
   * One gradient step on a batch of whole episodes (see the module doc for the loss). Episodes are treated as
   * finished: the return after the last step is 0.
   *
   * @param episodes One or more trajectories.
   * @returns The loss terms and entropy before the step, and the number of steps learned from.
   * @throws {RangeError} When there are no steps, lengths differ, an action is out of range or a feature vector has
   *   the wrong length.
   */
  async update(episodes: readonly Trajectory[]): Promise<ReinforceStats> {
    this.#alive("update the policy");
    if (!Array.isArray(episodes) || episodes.length === 0) {
      throw new RangeError("Cannot update the policy as episodes must be a non-empty array of trajectories");
    }
    const xs: number[] = [], acts: number[] = [], returns: number[] = [];
    episodes.forEach((ep, e) => {
      const n = ep.actions.length;
      if (ep.features.length !== n || ep.rewards.length !== n) {
        throw new RangeError(
          `Cannot update the policy as episode ${e} has ${ep.features.length} feature vectors, ${n} actions and ` +
            `${ep.rewards.length} rewards: they must be equal`,
        );
      }
      ep.actions.forEach((a: number) => this.#checkAction(a, "update the policy"));
      returns.push(...discountedReturns(ep.rewards, this.gamma));
      acts.push(...ep.actions);
      for (const f of ep.features) {
        this.#hostForward(f, "update the policy"); // validates the vector
        for (let i = 0; i < f.length; i++) xs.push(f[i]);
      }
    });
    const n = acts.length;
    if (n === 0) throw new RangeError("Cannot update the policy as the episodes hold no steps");
    const values: number[] = [], advantages: number[] = [];
    let entropy = 0, valueLoss = 0, policyLoss = 0;
    for (let t = 0; t < n; t++) {
      const { probs, value } = this.#hostForward(xs.slice(t * this.inputSize, (t + 1) * this.inputSize), "");
      values.push(value);
      const adv = returns[t] - (this.baseline ? value : 0);
      advantages.push(adv);
      for (const p of probs) if (p > 0) entropy -= p * Math.log(p) / n;
      valueLoss += (returns[t] - value) ** 2 / n;
      policyLoss -= adv * Math.log(probs[acts[t]]) / n;
    }
    const { value: loss, grads } = tf.tidy(() => {
      const x = tf.tensor2d(xs, [n, this.inputSize]);
      const mask = tf.oneHot(tf.tensor1d(acts, "int32"), this.numActions);
      const adv = tf.tensor1d(advantages), g = tf.tensor1d(returns);
      return tf.variableGrads(() => {
        const { logits, value } = this.forward(x);
        const logp = tf.logSoftmax(logits); // [N, A]
        const chosen = tf.sum(tf.mul(logp, mask), 1); // log π(a[t] | s[t]), [N]
        const pg = tf.neg(tf.mean(tf.mul(adv, chosen)));
        const vl = tf.mean(tf.square(tf.sub(g, value)));
        const ent = tf.neg(tf.mean(tf.sum(tf.mul(tf.exp(logp), logp), 1)));
        return tf.sub(tf.add(pg, tf.mul(vl, this.valueCoef)), tf.mul(ent, this.entropyCoef)) as tf.Scalar;
      }, [...this.params.values()]);
    });
    await this.#optimizer.step(grads);
    tf.dispose([loss, grads]);
    for (const [name, p] of this.params) this.#host[name] = (p.dataSync() as Float32Array).slice();
    return { policyLoss, valueLoss, entropy, steps: n };
  }

  /** Frees the parameters; the agent cannot be used afterwards. */
  dispose(): void {
    if (this.#disposed) return;
    for (const p of this.params.values()) p.dispose();
    this.#disposed = true;
  }

  /** A one-line summary for notebooks. */
  [DISPLAY](): MimeBundle {
    return {
      "text/plain":
        `ReinforceAgent: ${this.inputSize} features → tanh ${this.hidden} → ${this.numActions} action logits + ` +
        `1 value; ${this.numParams} parameters; γ ${this.gamma}, baseline ${this.baseline ? "V(s)" : "none"}`,
    };
  }

  #hostForward(features: ArrayLike<number>, what: string): { probs: Float64Array; value: number } {
    this.#alive(what || "run the policy network");
    if (what) {
      if (features?.length !== this.inputSize) {
        throw new RangeError(
          `Cannot ${what} as the features must have length ${this.inputSize}: current length is ${features?.length}`,
        );
      }
      for (let i = 0; i < features.length; i++) {
        if (!Number.isFinite(features[i])) {
          throw new RangeError(`Cannot ${what} as features[${i}] must be finite: current value is ${features[i]}`);
        }
      }
    }
    const { w1, b1, wPi, bPi, wV, bV } = this.#host;
    const H = this.hidden, A = this.numActions;
    const h = new Float64Array(H);
    for (let j = 0; j < H; j++) h[j] = b1[j];
    for (let i = 0; i < this.inputSize; i++) {
      const xi = features[i];
      if (xi === 0) continue;
      for (let j = 0; j < H; j++) h[j] += xi * w1[i * H + j];
    }
    for (let j = 0; j < H; j++) h[j] = Math.tanh(h[j]);
    const probs = new Float64Array(A);
    let value = bV[0], max = -Infinity;
    for (let a = 0; a < A; a++) {
      let z = bPi[a];
      for (let j = 0; j < H; j++) z += h[j] * wPi[j * A + a];
      probs[a] = z;
      max = Math.max(max, z);
    }
    let sum = 0;
    for (let a = 0; a < A; a++) sum += probs[a] = Math.exp(probs[a] - max);
    for (let a = 0; a < A; a++) probs[a] /= sum;
    for (let j = 0; j < H; j++) value += h[j] * wV[j];
    return { probs, value };
  }

  #checkAction(a: number, what: string): void {
    if (!Number.isInteger(a) || a < 0 || a >= this.numActions) {
      throw new RangeError(
        `Cannot ${what} as an action must be an integer in [0, ${this.numActions}): current value is ${a}`,
      );
    }
  }

  #alive(what: string): void {
    if (this.#disposed) throw new Error(`Cannot ${what} as the agent has been disposed`);
  }
}

/** Options of {@link trainReinforce}. */
export interface TrainReinforceOptions {
  /** Episodes per gradient step, a positive integer (default 1). */
  batch?: number;
  /** Called after each episode with its index and record. */
  onEpisode?: (episode: number, record: { totalReward: number; steps: number; outcome: string }) => void;
  /** Test the greedy policy every few episodes (see {@link successCurve}) and return the curve as `history.success`. */
  evaluate?: SuccessCurveOptions;
}

/**
 * Trains a REINFORCE agent in a world: plays episodes from random starts (the world's generator), sampling actions
 * from the policy, and takes a gradient step after every `batch` episodes.
 *
 * @param world The world; the agent's inputSize must be `world.featureSize`.
 * @param agent The learner.
 * @param episodes Number of episodes, a positive integer.
 * @param options Batch size, an episode callback, a success curve.
 * @returns Total reward, steps and outcome of every episode.
 * @throws {RangeError} When the sizes do not match or a count is not a positive integer.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, ReinforceAgent, trainReinforce } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny, { seed: 1 });
 * const agent = new ReinforceAgent(world.featureSize, world.numActions, { seed: 2 });
 * const history = await trainReinforce(world, agent, 20);
 * assert.equal(history.outcomes.length, 20);
 * agent.dispose();
 * ```
 */
export async function trainReinforce(
  world: MarioWorld,
  agent: ReinforceAgent,
  episodes: number,
  options: TrainReinforceOptions = {},
): Promise<TrainingHistory> {
  checkPositiveInteger(episodes, "episodes", "train a REINFORCE agent");
  const batch = options.batch ?? 1;
  checkPositiveInteger(batch, "batch", "train a REINFORCE agent");
  if (agent.inputSize !== world.featureSize || agent.numActions !== world.numActions) {
    throw new RangeError(
      `Cannot train a REINFORCE agent as it takes ${agent.inputSize} features and ${agent.numActions} actions and ` +
        `the world has ${world.featureSize} features and ${world.numActions} actions: they must match`,
    );
  }
  const history: TrainingHistory = { totalRewards: [], steps: [], outcomes: [] };
  const tests = options.evaluate && successCurve(world, reinforcePolicy(world, agent), episodes, options.evaluate);
  if (tests) history.success = tests.curve;
  let pending: Trajectory[] = [];
  for (let e = 0; e < episodes; e++) {
    let state = world.reset();
    const ep = { features: [] as Float32Array[], actions: [] as number[], rewards: [] as number[] };
    for (;;) {
      const f = world.features(state);
      const a = agent.act(f);
      const step = world.step(a);
      ep.features.push(f);
      ep.actions.push(a);
      ep.rewards.push(step.reward);
      if (step.done) {
        const record = {
          totalReward: ep.rewards.reduce((s, r) => s + r, 0),
          steps: ep.actions.length,
          outcome: step.outcome,
        };
        history.totalRewards.push(record.totalReward);
        history.steps.push(record.steps);
        history.outcomes.push(step.outcome);
        options.onEpisode?.(e, record);
        break;
      }
      state = step.state;
    }
    pending.push(ep);
    if (pending.length === batch || e === episodes - 1) {
      await agent.update(pending);
      pending = [];
    }
    tests?.afterEpisode(e);
  }
  return history;
}

/**
 * The policy of a REINFORCE agent in a world, for {@link runEpisode} and {@link successRate}.
 *
 * @param world The world whose features the agent reads.
 * @param agent The agent.
 * @param greedy Take the most probable action (default true) or sample one.
 * @returns The policy.
 */
export function reinforcePolicy(world: MarioWorld, agent: ReinforceAgent, greedy = true): Policy {
  return (state: MarioState) => {
    const f = world.features(state);
    return greedy ? agent.greedy(f) : agent.act(f);
  };
}
