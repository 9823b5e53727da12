/**
 * The arithmetic of PPO for a language model (Schulman et al. 2017, "Proximal Policy Optimization Algorithms"; the
 * RLHF form of Ouyang et al. 2022, InstructGPT, and Ziegler et al. 2019): each generated token is an action, and
 *
 * - the **reward** of a token is −β·KL(π ‖ π_ref) at that position, plus the reward model's score on the last token
 *   of the answer ({@link tokenRewards});
 * - the **advantage** of a token — how much better it was than the value head expected — comes from generalised
 *   advantage estimation (GAE; Schulman et al. 2015) over the answer's tokens ({@link gae});
 * - the policy is moved with the **clipped objective** ({@link clippedPolicyLoss}): once a token's probability ratio
 *   to the rollout's policy leaves [1 − ε, 1 + ε] in the direction its advantage pushes, its gradient is zero, so one
 *   batch of samples cannot drag the policy far;
 * - the value head learns the returns with a clipped loss too ({@link clippedValueLoss}).
 *
 * The KL here is exact: at every answer position, the sum over the whole vocabulary of p·(log p − log q)
 * ({@link tokenKl}), never negative, where sampled estimates (log p(token) − log q(token)) can be.
 *
 * @module
 */
import { tf } from "../core/mod.ts";

/**
 * Per-token rewards of one answer: −β·KL at each token, plus the score at the last one.
 *
 * @param kl The exact KL to the reference at each of the answer's tokens (its length is the answer's, `<|end|>`
 *   included).
 * @param score The reward model's score of the whole answer.
 * @param beta The KL coefficient β (0 turns the penalty off).
 * @returns One reward per token.
 * @throws {RangeError} For an empty answer or a negative β.
 * @example
 * ```ts
 * import { tokenRewards } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(tokenRewards([0.5, 1, 0], 2, 0.1), [-0.05, -0.1, 2]);
 * ```
 */
export function tokenRewards(kl: readonly number[], score: number, beta: number): number[] {
  if (kl.length === 0) throw new RangeError("Cannot reward an answer of no tokens: it has at least <|end|>");
  if (!(beta >= 0)) throw new RangeError(`Cannot reward with a KL coefficient β < 0: current value is ${beta}`);
  const r = kl.map((k) => -beta * k);
  r[r.length - 1] += score;
  return r;
}

/**
 * Generalised advantage estimation over one trajectory (an answer's tokens), from its last step back to the first:
 *
 *   δₜ = rₜ + γ·Vₜ₊₁ − Vₜ   (V after the last token is 0: the episode ends),   Aₜ = δₜ + γλ·Aₜ₊₁,
 *
 * and the returns the value head learns are Aₜ + Vₜ. λ = 1 gives the full return minus the value (unbiased, noisy);
 * λ = 0 gives the one-step δ (little noise, biased by the value head's errors).
 *
 * @param rewards The reward of each step.
 * @param values The value head's estimate at each step (same length).
 * @param gamma Discount γ in [0, 1] (1 for answers of a few dozen tokens).
 * @param lambda GAE's λ in [0, 1].
 * @returns `advantages` and `returns`, one per step.
 * @throws {RangeError} When the lengths differ or γ, λ are outside [0, 1].
 * @example
 * ```ts
 * import { gae } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * // reward only at the end, values 0: every step's advantage is the final reward (γ = λ = 1)
 * assert.deepEqual(gae([0, 0, 1], [0, 0, 0], 1, 1).advantages, [1, 1, 1]);
 * ```
 */
export function gae(
  rewards: readonly number[],
  values: readonly number[],
  gamma: number,
  lambda: number,
): { advantages: number[]; returns: number[] } {
  if (rewards.length !== values.length) {
    throw new RangeError(`Cannot estimate advantages of ${rewards.length} rewards with ${values.length} values`);
  }
  for (const [name, v] of [["gamma", gamma], ["lambda", lambda]] as const) {
    if (!(v >= 0 && v <= 1)) throw new RangeError(`Cannot estimate advantages as ${name} must be in [0, 1]: got ${v}`);
  }
  const n = rewards.length, advantages = new Array<number>(n);
  let next = 0; // Aₜ₊₁
  for (let t = n - 1; t >= 0; t--) {
    const nextValue = t + 1 < n ? values[t + 1] : 0;
    const delta = rewards[t] + gamma * nextValue - values[t];
    next = advantages[t] = delta + gamma * lambda * next;
  }
  return { advantages, returns: advantages.map((a, t) => a + values[t]) };
}

/**
 * Shifts and scales numbers to mean 0 and standard deviation 1 (advantage whitening: the step size then does not
 * depend on the reward's scale).
 *
 * @param values The numbers (at least one).
 * @returns The whitened numbers (all 0 when they are all equal).
 * @example
 * ```ts
 * import { whiten } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(whiten([1, 3]), [-1, 1]);
 * ```
 */
export function whiten(values: readonly number[]): number[] {
  if (values.length === 0) return [];
  const { mean, std } = meanStd(values);
  return values.map((v) => std > 1e-8 ? (v - mean) / std : 0);
}

/**
 * The mean and the (population) standard deviation of some numbers.
 *
 * @param values The numbers (at least one).
 * @returns `mean` and `std`.
 * @throws {RangeError} When there are none.
 * @example
 * ```ts
 * import { meanStd } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(meanStd([1, 3]), { mean: 2, std: 1 });
 * ```
 */
export function meanStd(values: readonly number[]): { mean: number; std: number } {
  const n = values.length;
  if (n === 0) throw new RangeError("Cannot take the mean and standard deviation of no numbers");
  const mean = values.reduce((s, v) => s + v, 0) / n;
  return { mean, std: Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / n) };
}

/** The mean of `x` over the positions where `mask` is 1. */
function maskedMean(x: tf.Tensor, mask: tf.Tensor): tf.Scalar {
  return tf.div(tf.sum(tf.mul(x, mask)), tf.maximum(tf.sum(mask), 1)) as tf.Scalar;
}

/**
 * PPO's clipped policy loss, averaged over the answer tokens:
 * −min(ρ·A, clip(ρ, 1 − ε, 1 + ε)·A) with ρ = exp(log π − log π_old).
 *
 * @param logProbs log π of the taken tokens under the policy being trained `[N, T]` (differentiable).
 * @param oldLogProbs log π_old of the same tokens, from the rollout `[N, T]`.
 * @param advantages The tokens' advantages `[N, T]`.
 * @param mask 1 at the answer's tokens, 0 at the prompt and padding `[N, T]`.
 * @param clip ε (about 0.2).
 * @returns `loss` (a scalar) and `clipped`, the share of answer tokens whose ratio is outside [1 − ε, 1 + ε] (the
 *   caller disposes both).
 * @example
 * ```ts
 * import { clippedPolicyLoss } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const t = (v: number) => tf.tensor2d([[v]]);
 * // ratio e^0.5 ≈ 1.65 > 1.2 with a positive advantage: clipped, the loss is −1.2·A
 * const { loss, clipped } = clippedPolicyLoss(t(0.5), t(0), t(2), t(1), 0.2);
 * assert.ok(Math.abs(loss.dataSync()[0] + 2.4) < 1e-6);
 * assert.equal(clipped.dataSync()[0], 1);
 * tf.dispose([loss, clipped]);
 * ```
 */
export function clippedPolicyLoss(
  logProbs: tf.Tensor,
  oldLogProbs: tf.Tensor,
  advantages: tf.Tensor,
  mask: tf.Tensor,
  clip: number,
): { loss: tf.Scalar; clipped: tf.Scalar } {
  return tf.tidy(() => {
    const ratio = tf.exp(tf.sub(logProbs, oldLogProbs)); // [N, T]
    const unclipped = tf.mul(ratio, advantages);
    const clippedTerm = tf.mul(tf.clipByValue(ratio, 1 - clip, 1 + clip), advantages);
    const loss = maskedMean(tf.neg(tf.minimum(unclipped, clippedTerm)), mask);
    const outside = tf.greater(tf.abs(tf.sub(ratio, 1)), clip).toFloat();
    return { loss, clipped: maskedMean(outside, mask) };
  });
}

/**
 * The value head's clipped loss, averaged over the answer tokens: ½·max((V − R)², (V_clip − R)²), where V_clip is V
 * kept within ±ε of the rollout's value V_old.
 *
 * @param values The value head's estimates now `[N, T]` (differentiable).
 * @param oldValues Its estimates at the rollout `[N, T]`.
 * @param returns The GAE returns `[N, T]`.
 * @param mask The answer tokens `[N, T]`.
 * @param clip ε of the values (in reward units).
 * @returns The loss (the caller disposes it).
 * @example
 * ```ts
 * import { clippedValueLoss } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * // V moved from 0 to 1 towards a return of 2; clipped at 0.2 it is 0.2: ½·max(1², 1.8²) = 1.62
 * const loss = clippedValueLoss(tf.tensor2d([[1]]), tf.tensor2d([[0]]), tf.tensor2d([[2]]), tf.tensor2d([[1]]), 0.2);
 * assert.ok(Math.abs(loss.dataSync()[0] - 1.62) < 1e-6);
 * ```
 */
export function clippedValueLoss(
  values: tf.Tensor,
  oldValues: tf.Tensor,
  returns: tf.Tensor,
  mask: tf.Tensor,
  clip: number,
): tf.Scalar {
  return tf.tidy(() => {
    const vClipped = tf.add(oldValues, tf.clipByValue(tf.sub(values, oldValues), -clip, clip));
    const worst = tf.maximum(tf.square(tf.sub(values, returns)), tf.square(tf.sub(vClipped, returns)));
    return tf.mul(maskedMean(worst, mask), 0.5) as tf.Scalar;
  });
}

/**
 * The exact KL divergence KL(π ‖ π_ref) = Σᵥ p(v)·(log p(v) − log q(v)) at every position, over the whole vocabulary,
 * and the policy's entropy −Σᵥ p(v)·log p(v) there.
 *
 * @param logits The policy's next-token logits `[N, T, V]`.
 * @param refLogits The reference's `[N, T, V]`.
 * @returns `kl` and `entropy` `[N, T]` in nats (the caller disposes them).
 * @throws {RangeError} When the shapes differ.
 * @example
 * ```ts
 * import { tokenKl } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const same = tf.randomNormal([2, 3, 7]);
 * const { kl, entropy } = tokenKl(same, same);
 * assert.ok(Math.max(...kl.dataSync()) < 1e-6); // the policy is the reference: KL 0
 * assert.ok(Math.max(...entropy.dataSync()) <= Math.log(7) + 1e-6);
 * tf.dispose([same, kl, entropy]);
 * ```
 */
export function tokenKl(logits: tf.Tensor, refLogits: tf.Tensor): { kl: tf.Tensor2D; entropy: tf.Tensor2D } {
  if (logits.rank !== 3 || logits.shape.join() !== refLogits.shape.join()) {
    throw new RangeError(
      `Cannot compute the KL as both logits must be [N, T, V] alike: got [${logits.shape}] and [${refLogits.shape}]`,
    );
  }
  return tf.tidy(() => {
    const logP = tf.logSoftmax(logits); // [N, T, V]
    const logQ = tf.logSoftmax(refLogits);
    const p = tf.exp(logP);
    const kl = tf.relu(tf.sum(tf.mul(p, tf.sub(logP, logQ)), -1)) as tf.Tensor2D; // [N, T]; relu: float rounding only
    const entropy = tf.neg(tf.sum(tf.mul(p, logP), -1)) as tf.Tensor2D;
    return { kl, entropy };
  });
}
