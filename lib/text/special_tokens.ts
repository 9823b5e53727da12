/**
 * Special tokens: strings such as `<|end|>` that a tokenizer keeps whole and never splits or merges.
 *
 * @module
 */

/** The unknown-character token of a {@link CharTokenizer}: what a character outside the vocabulary becomes. */
export const UNK_TOKEN = "<unk>";

/** Marks the end of a document or of one chat turn. */
export const END_TOKEN = "<|end|>";

/** The chat roles' tokens used by the instruction-tuning and RLHF notebooks, in id order. */
export const CHAT_TOKENS: readonly string[] = Object.freeze(["<|user|>", "<|assistant|>", END_TOKEN]);

/** One piece of text cut by {@link splitOnSpecialTokens}. */
export interface TextPiece {
  /** The text of the piece. */
  text: string;
  /** Whether the piece is exactly one special token. */
  special: boolean;
}

/**
 * Checks a list of special tokens before a tokenizer adds them.
 *
 * @param tokens The candidate tokens.
 * @throws {TypeError} When `tokens` is not an array of strings.
 * @throws {RangeError} When a token is the empty string.
 * @example
 * ```ts
 * import { checkSpecialTokens } from "@lib/text/special_tokens.ts";
 * import assert from "node:assert/strict";
 * checkSpecialTokens(["<|end|>"]);
 * assert.throws(() => checkSpecialTokens([""]), RangeError);
 * ```
 */
export function checkSpecialTokens(tokens: readonly string[]): void {
  if (!Array.isArray(tokens)) {
    throw new TypeError(`Cannot add special tokens as they must be an array of strings: current value is ${tokens}`);
  }
  for (const token of tokens) {
    if (typeof token !== "string") {
      throw new TypeError(`Cannot add special token ${String(token)} as it must be a string: got ${typeof token}`);
    }
    if (token.length === 0) throw new RangeError("Cannot add special token as it must be a non-empty string");
  }
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * Cuts text into ordinary pieces and special-token pieces. Longer tokens win when two start at the same place.
 *
 * @param text The text to cut.
 * @param specials The special tokens to find; empty means no cutting.
 * @returns The pieces in order; joining their `text` gives back `text`. Empty pieces are left out.
 * @example
 * ```ts
 * import { splitOnSpecialTokens } from "@lib/text/special_tokens.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(splitOnSpecialTokens("hi<|end|>", ["<|end|>"]), [
 *   { text: "hi", special: false },
 *   { text: "<|end|>", special: true },
 * ]);
 * ```
 */
export function splitOnSpecialTokens(text: string, specials: readonly string[]): TextPiece[] {
  if (specials.length === 0) return text.length > 0 ? [{ text, special: false }] : [];
  const sorted = [...specials].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(sorted.map(escapeRegExp).join("|"), "g");
  const pieces: TextPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > last) pieces.push({ text: text.slice(last, match.index), special: false });
    pieces.push({ text: match[0], special: true });
    last = match.index + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last), special: false });
  return pieces;
}
