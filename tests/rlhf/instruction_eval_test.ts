import assert from "node:assert/strict";
import type { Poem } from "@lib/data/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import { addChatTokens, answerInstructions, makeInstruction, scoreAnswers } from "@lib/rlhf/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";

const POEM: Poem = {
  title: "静夜思",
  author: "李白",
  lines: ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"],
  source: "tangshi300",
  text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。",
};

Deno.test("answerInstructions: plain answers start with their prefix, chat answers stop at <|end|>; same seed, same answers", async () => {
  const tok = CharTokenizer.fromText(POEM.text + "写一首关于的五言绝句续藏头诗这作者是谁白");
  addChatTokens(tok);
  const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 64, nLayer: 1, nHead: 1, nEmbd: 8 }, 2);
  const examples = (["topic", "continue", "author", "acrostic"] as const).map((f) => makeInstruction(f, POEM)!);
  const plain = await answerInstructions(model, tok, examples, "plain", { maxNewTokens: 6 });
  assert.ok(plain[0].startsWith("月") && plain[3].startsWith("床"));
  assert.ok(plain.every((a) => !a.includes("<|") && !a.includes("<unk>")));
  assert.doesNotMatch(plain[2], /[\n，。]/, "a name ends at the end of the verse");
  const seen: number[] = [];
  const chat = await answerInstructions(model, tok, examples, "chat", {
    maxNewTokens: 6,
    onAnswer: (i) => seen.push(i),
  });
  assert.deepEqual(seen, [0, 1, 2, 3]);
  assert.ok(chat.every((a) => !a.includes("<|end|>")));
  assert.deepEqual(await answerInstructions(model, tok, examples, "chat", { maxNewTokens: 6 }), chat);
  await assert.rejects(() => answerInstructions(model, tok, examples, "json" as never), /use "chat" or "plain"/);
  model.dispose();
});

Deno.test("scoreAnswers: rates by family and overall, the author's two rates apart", () => {
  const examples = (["topic", "continue", "author", "author"] as const).map((f) => makeInstruction(f, POEM)!);
  const s = scoreAnswers(examples, [POEM.text, "疑是地上霜。", "杜甫", "李白"], new Set(["李白", "杜甫"]));
  assert.deepEqual(s.byFamily, { topic: 1, continue: 0, author: 1, acrostic: 0 });
  assert.equal(s.overall, 3 / 4);
  assert.deepEqual(s.author, { givesName: 1, rightName: 0.5 });
  assert.throws(() => scoreAnswers(examples, [], new Set()), /there must be one per example: got 0 for 4/);
});
