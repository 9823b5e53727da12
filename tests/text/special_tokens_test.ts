import assert from "node:assert/strict";
import fc from "fast-check";
import {
  CHAT_TOKENS,
  checkSpecialTokens,
  END_TOKEN,
  splitOnSpecialTokens,
  UNK_TOKEN,
} from "@lib/text/special_tokens.ts";

Deno.test("the course's special tokens", () => {
  assert.deepEqual(CHAT_TOKENS, ["<|user|>", "<|assistant|>", "<|end|>"]);
  assert.equal(END_TOKEN, "<|end|>");
  assert.equal(UNK_TOKEN, "<unk>");
  assert.ok(Object.isFrozen(CHAT_TOKENS));
});

Deno.test("splitOnSpecialTokens cuts around tokens, longest first, and regex characters are literal", () => {
  assert.deepEqual(splitOnSpecialTokens("a<|end|>b<|end|>", CHAT_TOKENS), [
    { text: "a", special: false },
    { text: "<|end|>", special: true },
    { text: "b", special: false },
    { text: "<|end|>", special: true },
  ]);
  assert.deepEqual(splitOnSpecialTokens("<ab>", ["<a", "<ab>"]), [{ text: "<ab>", special: true }]);
  assert.deepEqual(splitOnSpecialTokens("x.*y", [".*"]).map((p) => p.text), ["x", ".*", "y"]);
  assert.deepEqual(splitOnSpecialTokens("", []), []);
  assert.deepEqual(splitOnSpecialTokens("abc", []), [{ text: "abc", special: false }]);
});

Deno.test("property: the pieces join back into the text", () => {
  const text = fc.array(fc.constantFrom("<|user|>", "<|end|>", "<|", "|>", "a", "好", "😀"), { maxLength: 20 })
    .map((parts) => parts.join(""));
  fc.assert(fc.property(text, (t) => splitOnSpecialTokens(t, CHAT_TOKENS).map((p) => p.text).join("") === t));
});

Deno.test("checkSpecialTokens rejects what is not a list of non-empty strings", () => {
  assert.throws(() => checkSpecialTokens("<|end|>" as unknown as string[]), {
    name: "TypeError",
    message: "Cannot add special tokens as they must be an array of strings: current value is <|end|>",
  });
  assert.throws(() => checkSpecialTokens([3 as unknown as string]), {
    name: "TypeError",
    message: "Cannot add special token 3 as it must be a string: got number",
  });
  assert.throws(() => checkSpecialTokens([""]), {
    name: "RangeError",
    message: "Cannot add special token as it must be a non-empty string",
  });
});
