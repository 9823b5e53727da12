import assert from "node:assert/strict";
import { BpeTokenizer, CharTokenizer, loadTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";

const TEXT = "春眠不觉晓，处处闻啼鸟。夜来风雨声，花落知多少。";

Deno.test("tokenizerFromJSON returns the right class with the same ids", () => {
  const char = CharTokenizer.fromText(TEXT);
  const bpe = BpeTokenizer.train(TEXT.repeat(2), { vocabSize: 300 });
  for (const tok of [char, bpe]) {
    const copy = tokenizerFromJSON(JSON.parse(JSON.stringify(tok)));
    assert.equal(copy.constructor, tok.constructor);
    assert.deepEqual(copy.encode(TEXT), tok.encode(TEXT));
    assert.equal(copy.vocabSize, tok.vocabSize);
  }
});

Deno.test("loadTokenizer reads a saved file", async () => {
  const path = await Deno.makeTempFile({ suffix: ".json" });
  try {
    const tok = BpeTokenizer.train(TEXT, { vocabSize: 300 });
    await tok.save(path);
    assert.deepEqual((await loadTokenizer(path)).encode(TEXT), tok.encode(TEXT));
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("tokenizerFromJSON rejects unknown kinds and formats", () => {
  assert.throws(() => tokenizerFromJSON({ format: "liandan-tokenizer", version: 1, kind: "wordpiece" }), {
    name: "RangeError",
    message: 'Cannot read tokenizer of kind "wordpiece": known kinds are "char" and "bpe"',
  });
  assert.throws(() => tokenizerFromJSON({ vocab: {} }), TypeError);
});
