import assert from "node:assert/strict";
import { addChatTokens, encodeChat, formatChat, INSTRUCTION_PUNCTUATION } from "@lib/rlhf/mod.ts";
import { CharTokenizer, CHAT_TOKENS } from "@lib/text/mod.ts";

const poemTokenizer = () => new CharTokenizer(["<unk>", "\n", "，", "。", ..."床前明月光疑是地上霜续写"]);

Deno.test("formatChat: the template, with and without the answer", () => {
  assert.equal(formatChat("续写：床前明月光"), "<|user|>续写：床前明月光<|assistant|>");
  assert.equal(formatChat("问", "答"), "<|user|>问<|assistant|>答<|end|>");
  assert.throws(() => formatChat(3 as never), /Cannot format a chat as the prompt must be a string: got number/);
  assert.throws(() => formatChat("问", 3 as never), /the response must be a string: got number/);
});

Deno.test("addChatTokens: the role tokens and the punctuation go at the end, ids of the poem vocabulary unchanged", () => {
  const tok = poemTokenizer(), before = tok.vocabSize, moon = tok.encode("月")[0];
  const ids = addChatTokens(tok);
  assert.deepEqual([ids.user, ids.assistant, ids.end], [before, before + 1, before + 2]);
  assert.equal(ids.vocabSize, before + CHAT_TOKENS.length + INSTRUCTION_PUNCTUATION.length);
  assert.equal(tok.encode("月")[0], moon);
  assert.deepEqual(tok.encode("：？"), [before + 3, before + 4]); // ordinary characters now, not <unk>
  assert.deepEqual(tok.encode("<|assistant|>"), [before + 1]); // kept whole
  assert.deepEqual(addChatTokens(tok), ids, "a second call changes nothing");
});

Deno.test("encodeChat: ids of the template; the mask is 1 exactly on the targets that are the response and <|end|>", () => {
  const tok = poemTokenizer();
  addChatTokens(tok);
  const e = encodeChat(tok, { prompt: "续写：床前明月光", response: "床前明月光，疑是地上霜。" });
  assert.equal(tok.decode(e.ids), "<|user|>续写：床前明月光<|assistant|>床前明月光，疑是地上霜。<|end|>");
  assert.equal(e.promptLength, 1 + 8 + 1);
  assert.equal(e.mask.length, e.ids.length - 1);
  // target t is ids[t + 1]: the prompt's characters and <|assistant|> are masked, the answer and <|end|> are not
  const targets = e.ids.slice(1).map((id) => tok.idToToken(id));
  const learned = targets.filter((_, t) => e.mask[t] === 1).join("");
  assert.equal(learned, "床前明月光，疑是地上霜。<|end|>");
  assert.equal(e.mask.slice(0, e.promptLength - 1).every((m) => m === 0), true);
});

Deno.test("encodeChat: refuses a tokenizer without the chat tokens and texts that contain them", () => {
  assert.throws(
    () => encodeChat(poemTokenizer(), { prompt: "问", response: "答" }),
    /Cannot encode a chat as the tokenizer has no <\|user\|> token: add the chat tokens with addChatTokens/,
  );
  const tok = poemTokenizer();
  addChatTokens(tok);
  assert.throws(
    () => encodeChat(tok, { prompt: "问", response: "答<|end|>多" }),
    /Cannot encode a chat as its response contains the template token <\|end\|>/,
  );
  assert.throws(() => encodeChat(tok, { prompt: 1 as never, response: "" }), /its prompt must be a string: got number/);
});
