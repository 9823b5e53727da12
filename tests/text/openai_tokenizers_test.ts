import assert from "node:assert/strict";
import { OPENAI_ENCODINGS, openAiTokens } from "@lib/text/openai_tokenizers.ts";

const LINE = "床前明月光，疑是地上霜。";

Deno.test("openAiTokens: the history of tokenizers learning Chinese, on one line of 12 characters", async () => {
  const counts = [];
  for (const { name } of OPENAI_ENCODINGS) {
    const t = await openAiTokens(LINE, name);
    const joined = new Uint8Array(t.bytes.reduce((n, b) => n + b.length, 0));
    t.bytes.reduce((at, b) => (joined.set(b, at), at + b.length), 0);
    assert.equal(new TextDecoder().decode(joined), LINE, `${name}: the tokens' bytes are the text's`);
    assert.equal(t.pieces.length, t.ids.length);
    assert.equal(t.partial, t.pieces.filter((p) => p.startsWith("<")).length);
    counts.push([name, t.ids.length, t.vocabSize]);
  }
  assert.deepEqual(counts, [["gpt2", 23, 50257], ["cl100k_base", 17, 100277], ["o200k_base", 13, 200019]]);
  const pieces = await Promise.all(OPENAI_ENCODINGS.map(async ({ name }) => (await openAiTokens(LINE, name)).partial));
  assert.deepEqual(pieces, [19, 9, 2]); // tokens that are only part of a character: fewer with every generation
  assert.deepEqual((await openAiTokens(LINE, "o200k_base")).pieces.slice(0, 5), ["床", "前", "明", "月", "光"]);
  assert.deepEqual((await openAiTokens("hello world", "gpt2")).pieces, ["hello", " world"]);
});

Deno.test("openAiTokens refuses an unknown encoding and a non-string", async () => {
  await assert.rejects(
    () => openAiTokens(LINE, "p50k_base" as "gpt2"),
    /expected one of gpt2, cl100k_base, o200k_base/,
  );
  await assert.rejects(() => openAiTokens(42 as unknown as string, "gpt2"), /type number: give a string/);
});

Deno.test("openAiTokens cuts a text exactly as the full js-tiktoken encoder does", async () => {
  const { Tiktoken } = await import("js-tiktoken/lite");
  const { default: gpt2 } = await import("js-tiktoken/ranks/gpt2");
  const { default: o200k } = await import("js-tiktoken/ranks/o200k_base");
  const texts = [
    LINE,
    "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。",
    "Hello, world! The quick brown fox jumps over the lazy dog 1234567.",
    "混合 mixed 文本 with emoji 🐱🌙 and   spaces\n\n",
  ];
  for (const [name, table] of [["gpt2", gpt2], ["o200k_base", o200k]] as const) {
    const full = new Tiktoken(table);
    for (const text of texts) {
      assert.deepEqual((await openAiTokens(text, name)).ids, full.encode(text), `${name}: ${text}`);
    }
  }
});
