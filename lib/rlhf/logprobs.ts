/**
 * Log-probabilities of the tokens a model produced — the quantity that preference optimisation (DPO) and
 * reinforcement learning (PPO) push up or down. For a language model, the probability of a whole answer is the
 * product of its tokens' probabilities, so its log-probability is the sum of theirs: log π(y | x) = Σₜ log π(yₜ | x, y<ₜ).
 *
 * {@link tokenLogProbs} reads `log softmax(logits)` at each target with a fused gradient (softmax's gradient written
 * out, never the `[N, T, V]` log-softmax tensor kept for the backward pass); {@link responseLogProbs} sums them over
 * the answer's tokens (the response mask of the chat template); {@link banMask} takes tokens out of the
 * distribution.
 *
 * @module
 */
import { tf } from "../core/mod.ts";
import type { Batch } from "../nn/train.ts";
import { customOp } from "../nn/layers.ts";
import type { GPT } from "../gpt/model.ts";

function checkShapes(logits: tf.Tensor, targets: tf.Tensor, action: string): void {
  if (
    logits.rank !== 3 || targets.rank !== 2 || logits.shape[0] !== targets.shape[0] ||
    logits.shape[1] !== targets.shape[1]
  ) {
    throw new RangeError(
      `Cannot ${action} as logits must be [N, T, V] and targets [N, T]: got [${logits.shape}] and [${targets.shape}]`,
    );
  }
}

/**
 * The log-probability the logits give each target token: `log softmax(logits)[n, t, targets[n, t]]`, with a fused
 * gradient (d/dlogits = onehot(target) − softmax, times the incoming gradient).
 *
 * @param logits Next-token logits `[N, T, V]`.
 * @param targets The tokens that came next `[N, T]` (int32, each in 0…V−1).
 * @returns `[N, T]` log-probabilities (≤ 0; the caller disposes them).
 * @throws {RangeError} When the shapes do not match.
 * @example
 * ```ts
 * import { tokenLogProbs } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * // uniform over 4 tokens: every token has probability 1/4
 * const lp = tokenLogProbs(tf.zeros([1, 2, 4]), tf.tensor2d([[0, 3]], [1, 2], "int32"));
 * assert.ok(Math.abs(lp.dataSync()[1] - Math.log(0.25)) < 1e-6);
 * lp.dispose();
 * ```
 */
export function tokenLogProbs(logits: tf.Tensor, targets: tf.Tensor): tf.Tensor2D {
  checkShapes(logits, targets, "read token log-probabilities");
  const [n, t, v] = logits.shape;
  return customOp<tf.Tensor2D>([logits], ([l], save) => {
    const rows = l.reshape([n * t, v]); // [N·T, V]
    const at = tf.stack([tf.range(0, n * t, 1, "int32"), tf.cast(targets, "int32").reshape([n * t])], 1); // [N·T, 2]
    const m = tf.max(rows, -1, true); // [N·T, 1]
    const e = tf.exp(tf.sub(rows, m)); // [N·T, V], softmax numerators
    const s = tf.sum(e, -1, true); // [N·T, 1]
    const lp = tf.sub(tf.gatherND(rows, at).reshape([n * t, 1]), tf.add(tf.log(s), m)); // l_target − log Σ e^l
    save([e, s, at]);
    return {
      value: lp.reshape([n, t]),
      gradFunc: (dy, [e, s, at]) => {
        const g = dy.reshape([n * t, 1]); // [N·T, 1]
        const softmax = tf.div(e, s); // [N·T, V]
        return [tf.sub(tf.scatterND(at, g.reshape([n * t]), [n * t, v]), tf.mul(softmax, g)).reshape([n, t, v])];
      },
    };
  });
}

/**
 * The log-probability of each row's answer under a model: the sum of {@link tokenLogProbs} over the positions where
 * the batch's weights are 1 (the response mask of {@link chatBatch}, `<|end|>` included; prompt and padding are 0).
 *
 * @param model The language model.
 * @param batch `x` and `y` `[N, T]` (int32) and `weights` `[N, T]` (the response mask).
 * @returns `[N]` log π(answer | prompt), one per row (the caller disposes it); differentiable with respect to the
 *   model's weights.
 * @throws {RangeError} When the batch has no weights.
 * @example
 * ```ts
 * import { responseLogProbs } from "@lib/rlhf/mod.ts";
 * import { GPT } from "@lib/gpt/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const gpt = new GPT({ vocabSize: 5, blockSize: 8, nLayer: 1, nHead: 1, nEmbd: 8 });
 * const x = tf.tensor2d([[1, 2, 3]], [1, 3], "int32"), y = tf.tensor2d([[2, 3, 4]], [1, 3], "int32");
 * const none = responseLogProbs(gpt, { x, y, weights: tf.zeros([1, 3]) });
 * assert.equal(none.dataSync()[0], 0); // no answer tokens: log 1
 * tf.dispose([x, y, none]);
 * gpt.dispose();
 * ```
 */
export function responseLogProbs(model: GPT, batch: Batch): tf.Tensor1D {
  if (!batch.weights) {
    throw new RangeError("Cannot sum an answer's log-probabilities without the batch's response mask (its weights)");
  }
  const { logits } = model.forward(batch.x, undefined, {});
  try {
    return tf.tidy(() => tf.sum(tf.mul(tokenLogProbs(logits, batch.y), batch.weights!), 1) as tf.Tensor1D); // [N]
  } finally {
    logits.dispose();
  }
}

/**
 * A vector to add to logits so that some tokens are never drawn and get no probability: −1e9 at `banned`, 0 elsewhere
 * (the chat template's role tokens, for sampling, the PPO policy and the KL alike).
 *
 * @param vocabSize The vocabulary's size.
 * @param banned The ids left out.
 * @returns The mask `[vocabSize]` (the caller disposes it).
 * @example
 * ```ts
 * import { banMask } from "@lib/rlhf/mod.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const mask = banMask(3, [1]);
 * const p = tf.softmax(tf.add(tf.tensor1d([0, 5, 0]), mask));
 * assert.deepEqual(Array.from(p.dataSync()), [0.5, 0, 0.5]);
 * tf.dispose([mask, p]);
 * ```
 */
export function banMask(vocabSize: number, banned: Iterable<number>): tf.Tensor1D {
  const m = new Float32Array(vocabSize);
  for (const id of banned) m[id] = BANNED;
  return tf.tensor1d(m);
}

const BANNED = -1e9;
