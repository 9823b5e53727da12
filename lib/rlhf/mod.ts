/**
 * lib/rlhf: the pieces of reinforcement learning from human feedback (RLHF, 基于人类反馈的强化学习).
 *
 * | file | what |
 * |------|------|
 * | rhyme.ts | rhyme keys from pinyin finals (medials dropped), the rhyme rate of real quatrains |
 * | labeler.ts | the programmatic labeler standing in for human annotators: poem scores and preferences |
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
