/**
 * The chat template of supervised fine-tuning (SFT, 监督微调): how one instruction and its answer become one token
 * sequence the GPT can learn from, and which of its tokens the loss looks at.
 *
 * ```text
 * <|user|>写一首关于月的五言绝句<|assistant|>床前明月光，疑是地上霜。\n举头望明月，低头思故乡。<|end|>
 * └──────────── prompt: mask 0 ───────────┘└──────────────── response: mask 1 ─────────────────┘
 * ```
 *
 * The three role tokens are lib/text's {@link CHAT_TOKENS}: special tokens the tokenizer keeps whole. A pretrained
 * poem tokenizer has never seen them, so {@link addChatTokens} adds them (and the two punctuation marks the
 * instructions use, "：" and "？", which Tang quatrains never contain) at the end of its vocabulary, and the model's
 * token embedding grows by as many rows with `GPT.resizeVocab`: every trained row stays as it was.
 *
 * @module
 */
import { type CharTokenizer, CHAT_TOKENS, END_TOKEN } from "../text/mod.ts";

/** The role token before the instruction. */
export const USER_TOKEN = CHAT_TOKENS[0];

/** The role token before the answer. */
export const ASSISTANT_TOKEN = CHAT_TOKENS[1];

/** The token after the answer: generation stops there. */
export { END_TOKEN };

/** Characters the instructions use that the poem vocabulary lacks: added as ordinary tokens with the chat tokens. */
export const INSTRUCTION_PUNCTUATION: readonly string[] = Object.freeze(["：", "？"]);

/** One instruction and its answer. */
export interface ChatExample {
  /** The instruction (what the user types). */
  prompt: string;
  /** The answer the model should learn to give. */
  response: string;
}

/** A chat example as token ids, with the loss mask of each next-token target. */
export interface EncodedChat {
  /** The template's token ids: `<|user|> prompt <|assistant|> response <|end|>`. */
  ids: number[];
  /**
   * `mask[t]` is 1 when the target of position t (the token `ids[t + 1]`) belongs to the response (its `<|end|>`
   * included), 0 when it is prompt or template; `ids.length − 1` entries.
   */
  mask: number[];
  /** Tokens of `<|user|> prompt <|assistant|>`: the response starts at this index of `ids`. */
  promptLength: number;
}

/**
 * The template as text: what the model reads in training, and (without a response) what it is given to answer.
 *
 * @param prompt The instruction.
 * @param response The answer; leave out for the prompt the model answers (the text ends with `<|assistant|>`).
 * @returns The templated text.
 * @throws {TypeError} When prompt or response is not a string.
 * @example
 * ```ts
 * import { formatChat } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatChat("续写：床前明月光"), "<|user|>续写：床前明月光<|assistant|>");
 * assert.equal(formatChat("问", "答"), "<|user|>问<|assistant|>答<|end|>");
 * ```
 */
export function formatChat(prompt: string, response?: string): string {
  if (typeof prompt !== "string") {
    throw new TypeError(`Cannot format a chat as the prompt must be a string: got ${typeof prompt}`);
  }
  if (response !== undefined && typeof response !== "string") {
    throw new TypeError(`Cannot format a chat as the response must be a string: got ${typeof response}`);
  }
  const head = `${USER_TOKEN}${prompt}${ASSISTANT_TOKEN}`;
  return response === undefined ? head : `${head}${response}${END_TOKEN}`;
}

/**
 * Adds the chat tokens (and {@link INSTRUCTION_PUNCTUATION}) to a character tokenizer, at the end of its vocabulary;
 * tokens it already has keep their ids, so calling it twice changes nothing.
 *
 * @param tokenizer The pretrained model's tokenizer (changed in place).
 * @returns The ids of `<|user|>`, `<|assistant|>` and `<|end|>`, and the new vocabulary size.
 * @example
 * ```ts
 * import { addChatTokens } from "@lib/rlhf/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = new CharTokenizer(["<unk>", "月", "光"]);
 * const ids = addChatTokens(tok);
 * assert.deepEqual([ids.user, ids.assistant, ids.end, ids.vocabSize], [3, 4, 5, 8]);
 * assert.deepEqual(addChatTokens(tok), ids);
 * ```
 */
export function addChatTokens(
  tokenizer: CharTokenizer,
): { user: number; assistant: number; end: number; vocabSize: number } {
  const [user, assistant, end] = tokenizer.addSpecialTokens(CHAT_TOKENS);
  tokenizer.addSpecialTokens(INSTRUCTION_PUNCTUATION);
  return { user, assistant, end, vocabSize: tokenizer.vocabSize };
}

/**
 * Encodes a chat example with its response mask: the ids of the template and, for each next-token target, whether
 * the loss should count it (1 for the response and its `<|end|>`, 0 for the prompt and the role tokens).
 *
 * @param tokenizer A tokenizer with the chat tokens ({@link addChatTokens}).
 * @param example The prompt and response.
 * @returns The ids, the mask (one shorter than the ids) and the prompt's length in tokens.
 * @throws {RangeError} When the tokenizer lacks the chat tokens, or the prompt or response contains one.
 * @example
 * ```ts
 * import { addChatTokens, encodeChat } from "@lib/rlhf/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = new CharTokenizer(["<unk>", "问", "答"]);
 * addChatTokens(tok);
 * const { ids, mask } = encodeChat(tok, { prompt: "问问", response: "答" });
 * assert.deepEqual(tok.tokens(tok.decode(ids)), ["<|user|>", "问", "问", "<|assistant|>", "答", "<|end|>"]);
 * assert.deepEqual(mask, [0, 0, 0, 1, 1]); // targets 问 问 <|assistant|> are masked; 答 <|end|> count
 * ```
 */
export function encodeChat(tokenizer: CharTokenizer, example: ChatExample): EncodedChat {
  const specials = tokenizer.specialTokens;
  for (const token of CHAT_TOKENS) {
    if (!(token in specials)) {
      throw new RangeError(
        `Cannot encode a chat as the tokenizer has no ${token} token: add the chat tokens with addChatTokens`,
      );
    }
  }
  for (const field of ["prompt", "response"] as const) {
    const text = example?.[field];
    if (typeof text !== "string") {
      throw new TypeError(`Cannot encode a chat as its ${field} must be a string: got ${typeof text}`);
    }
    const inside = CHAT_TOKENS.find((token) => text.includes(token));
    if (inside) {
      throw new RangeError(`Cannot encode a chat as its ${field} contains the template token ${inside}: ${text}`);
    }
  }
  const head = tokenizer.encode(formatChat(example.prompt));
  const ids = [...head, ...tokenizer.encode(example.response), specials[END_TOKEN]];
  const mask = ids.slice(1).map((_, t) => (t + 1 >= head.length ? 1 : 0));
  return { ids, mask, promptLength: head.length };
}
