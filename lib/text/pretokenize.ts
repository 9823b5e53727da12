/**
 * Pre-tokenization: cutting text into "words" that byte-pair merges never cross, as GPT-2 does.
 *
 * @module
 */

/**
 * The pre-tokenizer's pattern: a run of letters (Chinese characters are letters, so a run of Chinese between
 * punctuation is one word) or of digits or of other symbols, each with an optional leading space, or a run of
 * whitespace. Runs are capped at 64 characters so that encoding stays fast on text without spaces.
 */
export const PRETOKENIZE_PATTERN: string = String
  .raw` ?[\p{L}\p{M}]{1,64}| ?\p{N}{1,64}| ?[^\s\p{L}\p{M}\p{N}]{1,64}|\s{1,64}(?!\S)|\s{1,64}`;

const PATTERN = new RegExp(PRETOKENIZE_PATTERN, "gu");

/**
 * Cuts text into pre-tokens; joining them gives back the text.
 *
 * @param text The text.
 * @returns The pre-tokens in order.
 * @example
 * ```ts
 * import { pretokenize } from "@lib/text/pretokenize.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(pretokenize("床前明月光，疑是地上霜。"), ["床前明月光", "，", "疑是地上霜", "。"]);
 * assert.deepEqual(pretokenize("Hello world!\n"), ["Hello", " world", "!", "\n"]);
 * ```
 */
export function pretokenize(text: string): string[] {
  return text.match(PATTERN) ?? [];
}
