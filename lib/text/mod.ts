/**
 * lib/text: tokenizers that turn text into ids and back. {@link CharTokenizer} gives one id per character;
 * {@link BpeTokenizer} learns byte-pair merges over characters, with a UTF-8 byte fallback.
 *
 * @example
 * ```ts
 * import { BpeTokenizer, CHAT_TOKENS, CharTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const text = "床前明月光，疑是地上霜。举头望明月，低头思故乡。";
 * const chars = CharTokenizer.fromText(text);
 * const bpe = BpeTokenizer.train(text, { vocabSize: 300 });
 * const [user, assistant, end] = bpe.addSpecialTokens(CHAT_TOKENS);
 * assert.equal(bpe.decode(bpe.encode("<|user|>明月？")), "<|user|>明月？");
 * assert.deepEqual([user, assistant, end].map((id) => bpe.idToToken(id)), CHAT_TOKENS);
 * assert.equal(tokenizerFromJSON(chars.toJSON()).vocabSize, chars.vocabSize);
 * ```
 *
 * @module
 */
export * from "./tokenizer.ts";
export * from "./special_tokens.ts";
export * from "./pretokenize.ts";
export * from "./char_tokenizer.ts";
export * from "./bpe_trainer.ts";
export * from "./bpe_tokenizer.ts";
export * from "./bpe_trace.ts";
export * from "./tokenizer_from_json.ts";
export * from "./show_tokens.ts";
export * from "./stream_decoder.ts";
