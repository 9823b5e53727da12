/**
 * lib/rlhf: the pieces of reinforcement learning from human feedback (RLHF, 基于人类反馈的强化学习).
 *
 * | file | what |
 * |------|------|
 * | rhyme.ts | rhyme keys from pinyin finals (medials dropped), the rhyme rate of real quatrains |
 * | labeler.ts | the programmatic labeler standing in for human annotators: poem scores and preferences |
 * | chat_template.ts | the chat template of SFT: role tokens, the templated text, encoding with the response mask |
 * | sft_batch.ts | batches of chat examples: shifted, right-padded, loss weights = response mask |
 * | instructions.ts | instruction data from the poem corpus: four task families, their checkers and plain-text forms |
 * | instruction_eval.ts | asking a model the held-out instructions (chat or plain form) and scoring the answers |
 * | sft.ts | growing a GPT for the chat tokens, and fine-tuning it on lib/nn's training loop |
 * | sft_gpt.ts | the SFT model of notebook 12 (`sftGpt`, cache entry `gpt-sft`) that 14, 15 and the chat load |
 * | mask_view.ts | the response mask as a token-level picture |
 * | pairs.ts | preference pairs: the prompts, answers sampled in batches from the SFT model, labelled in rankings of four (ties dropped) |
 * | reward_model.ts | the reward model (GPT trunk + scalar head), the Bradley–Terry loss over pairs and rankings, its training on lib/nn's loop |
 * | reward_gpt.ts | the reward model of notebook 14 (`rewardModel`, cache entry `reward-14`) that 15 and the chat load |
 * | reward_eval.ts | a reward model's pair accuracy, by labeler component and by margin |
 * | logprobs.ts | log-probabilities of the tokens a model produced, and of a whole answer (sum over the response mask) |
 * | dpo.ts | direct preference optimisation: the DPO loss, pair batches, training on lib/nn's loop, implicit-reward accuracy |
 * | ppo_math.ts | PPO's arithmetic: per-token rewards, GAE, whitening, the clipped policy and value losses, the exact KL |
 * | ppo.ts | RLHF with PPO: the value head, rollouts, the reward's scale, one iteration (rollout, scores, advantages, updates), the run |
 * | policy_eval.ts | a policy measured the same way for all: labeler and reward-model scores, KL to the SFT model, variety |
 * | rlhf_gpt.ts | the policies of notebook 15 (`rlhfGpt`, cache entries `gpt-rlhf`, `gpt-rlhf-nokl`, `gpt-dpo`) |
 *
 * @example
 * ```ts
 * import { linesRhyme } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(linesRhyme("疑是地上霜", "低头思故乡"));
 * ```
 *
 * @module
 */
export * from "./rhyme.ts";
export * from "./labeler.ts";
export * from "./chat_template.ts";
export * from "./sft_batch.ts";
export * from "./instructions.ts";
export * from "./instruction_eval.ts";
export * from "./sft.ts";
export * from "./sft_gpt.ts";
export * from "./mask_view.ts";
export * from "./pairs.ts";
export * from "./reward_model.ts";
export * from "./reward_gpt.ts";
export * from "./reward_eval.ts";
export * from "./logprobs.ts";
export * from "./dpo.ts";
export * from "./ppo_math.ts";
export * from "./ppo.ts";
export * from "./policy_eval.ts";
export * from "./rlhf_gpt.ts";
