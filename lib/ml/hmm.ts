/**
 * Hidden Markov model, 隐马尔可夫模型, with discrete observations: the forward algorithm (how likely is a
 * sequence?) and Viterbi decoding (which hidden states most likely produced it?).
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { argmax } from "../core/argmax.ts";
import { logSumExp } from "./_validate.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** Parameters of a {@link HiddenMarkovModel}. */
export interface HMMParams {
  /** Start probabilities `[s]`. */
  start: number[];
  /** `transition[i][j]` = p(next state j | state i), `[s][s]`. */
  transition: number[][];
  /** `emission[i][o]` = p(observation o | state i), `[s][o]`. */
  emission: number[][];
  /** Optional names of the states. */
  states?: string[];
  /** Optional names of the observation symbols. */
  symbols?: string[];
}

/**
 * A discrete hidden Markov model. All computations run in log space, so long sequences do not underflow.
 *
 * @example
 * ```ts
 * import { HiddenMarkovModel } from "@lib/ml/hmm.ts";
 * import assert from "node:assert/strict";
 * const hmm = new HiddenMarkovModel({
 *   states: ["Healthy", "Fever"], symbols: ["normal", "cold", "dizzy"],
 *   start: [0.6, 0.4],
 *   transition: [[0.7, 0.3], [0.4, 0.6]],
 *   emission: [[0.5, 0.4, 0.1], [0.1, 0.3, 0.6]],
 * });
 * const { path } = hmm.viterbi([0, 1, 2]);
 * assert.deepEqual(path.map((s) => hmm.states[s]), ["Healthy", "Healthy", "Fever"]);
 * ```
 */
export class HiddenMarkovModel {
  readonly start: number[];
  readonly transition: number[][];
  readonly emission: number[][];
  readonly states: string[];
  readonly symbols: string[];

  /** @throws {RangeError} When shapes disagree or a probability row does not sum to 1 (±1e-6). */
  constructor(params: HMMParams) {
    const s = params.start.length, who = "create HiddenMarkovModel";
    if (s === 0) throw new RangeError(`Cannot ${who} as start must hold at least one state: it is empty`);
    if (params.transition.length !== s || params.transition.some((r) => r.length !== s)) {
      throw new RangeError(`Cannot ${who} as transition must be ${s}×${s} (one row and column per state)`);
    }
    if (params.emission.length !== s || params.emission.some((r) => r.length !== params.emission[0].length)) {
      throw new RangeError(`Cannot ${who} as emission must have ${s} rows of equal length (one per state)`);
    }
    const rows: [string, number[]][] = [
      ["start", params.start],
      ...params.transition.map((r, i) => [`transition[${i}]`, r] as [string, number[]]),
      ...params.emission.map((r, i) => [`emission[${i}]`, r] as [string, number[]]),
    ];
    for (const [name, row] of rows) {
      const total = row.reduce((a, v) => a + v, 0);
      if (row.some((v) => !(v >= 0)) || Math.abs(total - 1) > 1e-6) {
        throw new RangeError(
          `Cannot ${who} as ${name} must hold probabilities >= 0 summing to 1: current value is [${row}]`,
        );
      }
    }
    this.start = params.start;
    this.transition = params.transition;
    this.emission = params.emission;
    this.states = params.states ?? params.start.map((_, i) => `s${i}`);
    this.symbols = params.symbols ?? params.emission[0].map((_, o) => `o${o}`);
  }

  #check(observations: number[], who: string): void {
    if (observations.length === 0) {
      throw new RangeError(`Cannot ${who} as observations is empty: need at least one symbol`);
    }
    observations.forEach((o, t) => {
      if (!Number.isInteger(o) || o < 0 || o >= this.emission[0].length) {
        throw new RangeError(
          `Cannot ${who} as observations[${t}] must be a symbol index in 0..${
            this.emission[0].length - 1
          }: current value is ${o}`,
        );
      }
    });
  }

  /**
   * The forward algorithm: log p(observations) summed over all hidden paths, and the forward table.
   * @returns `logLikelihood` and `logAlpha[t][i]` = log p(o_0..o_t, state_t = i).
   * @throws {RangeError} When the sequence is empty or holds an unknown symbol.
   */
  forward(observations: number[]): { logLikelihood: number; logAlpha: number[][] } {
    this.#check(observations, "run the forward algorithm");
    const s = this.start.length;
    const logAlpha = [this.start.map((p, i) => Math.log(p) + Math.log(this.emission[i][observations[0]]))];
    for (let t = 1; t < observations.length; t++) {
      const prev = logAlpha[t - 1];
      logAlpha.push(
        Array.from(
          { length: s },
          (_, j) =>
            logSumExp(prev.map((a, i) => a + Math.log(this.transition[i][j]))) +
            Math.log(this.emission[j][observations[t]]),
        ),
      );
    }
    return { logLikelihood: logSumExp(logAlpha[observations.length - 1]), logAlpha };
  }

  /**
   * Viterbi decoding: the single most probable hidden path.
   * @returns The path (state indices) and its log joint probability log p(path, observations).
   * @throws {RangeError} When the sequence is empty or holds an unknown symbol.
   */
  viterbi(observations: number[]): { path: number[]; logProbability: number } {
    this.#check(observations, "run Viterbi");
    const s = this.start.length, T = observations.length;
    let delta = this.start.map((p, i) => Math.log(p) + Math.log(this.emission[i][observations[0]]));
    const back: number[][] = [];
    for (let t = 1; t < T; t++) {
      const from = Array.from(
        { length: s },
        (_, j) => argmax(delta.map((d, i) => d + Math.log(this.transition[i][j]))),
      );
      delta = from.map((i, j) =>
        delta[i] + Math.log(this.transition[i][j]) + Math.log(this.emission[j][observations[t]])
      );
      back.push(from);
    }
    const path = [argmax(delta)];
    for (let t = T - 2; t >= 0; t--) path.unshift(back[t][path[0]]);
    return { path, logProbability: Math.max(...delta) };
  }

  /**
   * Draws a sequence of hidden states and observations.
   * @throws {RangeError} When length is not a positive integer.
   */
  sample(length: number, seed: number | Prng = SEED): { states: number[]; observations: number[] } {
    checkPositiveInteger(length, "length", "sample from HiddenMarkovModel");
    const prng = toPrng(seed), states: number[] = [], observations: number[] = [];
    for (let t = 0; t < length; t++) {
      const state = prng.categorical(t === 0 ? this.start : this.transition[states[t - 1]]);
      states.push(state);
      observations.push(prng.categorical(this.emission[state]));
    }
    return { states, observations };
  }
}
