import assert from "node:assert/strict";
import fc from "fast-check";
import { pretokenize } from "@lib/text/pretokenize.ts";

Deno.test("pretokenize keeps Chinese runs, words with their leading space, digits and punctuation apart", () => {
  assert.deepEqual(pretokenize("白日依山尽，黄河入海流。"), ["白日依山尽", "，", "黄河入海流", "。"]);
  assert.deepEqual(pretokenize("GPT-3 has 175 billion"), ["GPT", "-", "3", " has", " 175", " billion"]);
  assert.deepEqual(pretokenize("a  b\n\nc"), ["a", " ", " b", "\n", "\n", "c"]); // as GPT-2 cuts it
  assert.deepEqual(pretokenize("猫😀🐱"), ["猫", "😀🐱"]);
  assert.deepEqual(pretokenize(""), []);
});

Deno.test("pretokenize caps runs at 64 characters", () => {
  const pieces = pretokenize("月".repeat(130));
  assert.deepEqual(pieces.map((p) => p.length), [64, 64, 2]);
});

Deno.test("property: pre-tokens join back into the text", () => {
  fc.assert(fc.property(fc.string({ unit: "binary" }), (t) => pretokenize(t).join("") === t));
  fc.assert(fc.property(fc.string({ unit: "grapheme" }), (t) => pretokenize(t).join("") === t));
});
