/**
 * Discounted returns: what each step of an episode was worth, counting the rewards that came after it.
 *
 * @module
 */

/**
 * The discounted return of every step: `G[t] = r[t] + γ·r[t+1] + γ²·r[t+2] + …`, computed backwards as
 * `G[t] = r[t] + γ·G[t+1]`. With γ < 1 a reward far in the future counts less, so the return prefers short paths.
 *
 * @param rewards The rewards of one episode, in order; all finite.
 * @param gamma The discount γ in [0, 1].
 * @param bootstrap Value of the state after the last step (0 when the episode ended; an estimate when it was cut off).
 * @returns `G`, same length as `rewards`.
 * @throws {RangeError} When gamma is outside [0, 1] or a reward or the bootstrap value is not finite.
 * @example
 * ```ts
 * import { discountedReturns } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(discountedReturns([0, 0, 1], 0.5), [0.25, 0.5, 1]);
 * ```
 */
export function discountedReturns(rewards: readonly number[], gamma: number, bootstrap = 0): number[] {
  if (!(gamma >= 0 && gamma <= 1)) {
    throw new RangeError(`Cannot compute returns as gamma must be in [0, 1]: current value is ${gamma}`);
  }
  if (!Number.isFinite(bootstrap)) {
    throw new RangeError(`Cannot compute returns as bootstrap must be finite: current value is ${bootstrap}`);
  }
  const out = new Array<number>(rewards.length);
  let g = bootstrap;
  for (let t = rewards.length - 1; t >= 0; t--) {
    if (!Number.isFinite(rewards[t])) {
      throw new RangeError(`Cannot compute returns as every reward must be finite: rewards[${t}] is ${rewards[t]}`);
    }
    g = rewards[t] + gamma * g;
    out[t] = g;
  }
  return out;
}
