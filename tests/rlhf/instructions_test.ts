import assert from "node:assert/strict";
import { loadPoems, type Poem } from "@lib/data/mod.ts";
import {
  balanceFamilies,
  checkAnswer,
  INSTRUCTION_FAMILIES,
  instructionData,
  makeInstruction,
  PLAIN_EXAMPLES,
  plainPrompt,
} from "@lib/rlhf/mod.ts";

const JING_YE_SI: Poem = {
  title: "静夜思",
  author: "李白",
  lines: ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"],
  source: "tangshi300",
  text: "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。",
};
const FENG_QIAO: Poem = {
  title: "枫桥夜泊",
  author: "张继",
  lines: ["月落乌啼霜满天", "江枫渔火对愁眠", "姑苏城外寒山寺", "夜半钟声到客船"],
  source: "tangshi300",
  text: "月落乌啼霜满天，江枫渔火对愁眠。\n姑苏城外寒山寺，夜半钟声到客船。",
};
const AUTHORS = new Set(["李白", "杜甫", "张继"]);
const make = (family: (typeof INSTRUCTION_FAMILIES)[number], poem = JING_YE_SI) => makeInstruction(family, poem)!;

Deno.test("makeInstruction: each family's prompt and answer from one poem", () => {
  assert.deepEqual(
    INSTRUCTION_FAMILIES.map((f) => [make(f).prompt, make(f).response]),
    [
      ["写一首关于月的五言绝句", JING_YE_SI.text],
      ["续写：床前明月光", "疑是地上霜。\n举头望明月，低头思故乡。"],
      ["这首诗的作者是谁？\n" + JING_YE_SI.text, "李白"],
      ["写一首藏头诗：床疑举低", JING_YE_SI.text],
    ],
  );
  assert.equal(make("topic", FENG_QIAO).prompt, "写一首关于月的七言绝句", "the first topic character: 月落乌啼");
  assert.equal(makeInstruction("author", { ...JING_YE_SI, author: "无名氏" }), null);
  const noTopic: Poem = { ...JING_YE_SI, lines: ["一二三四五", "疑是地上霜", "举头望明月", "低头思故乡"] };
  assert.equal(makeInstruction("topic", noTopic), null, "no topic character in the first verse");
  assert.throws(() => makeInstruction("rhyme" as never, JING_YE_SI), /families are topic, continue/);
});

Deno.test("checkAnswer: topic — a quatrain of the asked length that contains the topic", () => {
  const e = make("topic");
  assert.equal(checkAnswer(e, JING_YE_SI.text, AUTHORS).follows, true);
  assert.equal(checkAnswer(e, "  " + JING_YE_SI.text + "\n", AUTHORS).follows, true, "whitespace is ignored");
  assert.equal(checkAnswer(e, FENG_QIAO.text, AUTHORS).follows, false, "seven characters, five asked");
  assert.equal(checkAnswer(e, "春眠不觉晓，处处闻啼鸟。\n夜来风雨声，花落知多少。", AUTHORS).follows, false, "no 月");
  assert.equal(checkAnswer(e, "床前明月光，疑是地上霜。", AUTHORS).follows, false, "two verses");
});

Deno.test("checkAnswer: continue, acrostic and author", () => {
  const other = "白日依山尽。\n黄河入海流，更上一层楼。";
  assert.equal(checkAnswer(make("continue"), other, AUTHORS).follows, true, "any three verses after the given one");
  assert.equal(checkAnswer(make("continue"), JING_YE_SI.text, AUTHORS).follows, false, "the given verse again");
  assert.equal(checkAnswer(make("continue"), "疑是地上霜。", AUTHORS).follows, false, "one verse");
  assert.equal(checkAnswer(make("acrostic"), JING_YE_SI.text, AUTHORS).follows, true);
  assert.equal(
    checkAnswer(make("acrostic"), "床前明月光，白日依山尽。\n举头望明月，低头思故乡。", AUTHORS).follows,
    false,
  );
  assert.deepEqual(checkAnswer(make("author"), "李白", AUTHORS), { follows: true, correct: true });
  assert.deepEqual(checkAnswer(make("author"), "杜甫", AUTHORS), { follows: true, correct: false });
  assert.deepEqual(checkAnswer(make("author"), "明月光", AUTHORS), { follows: false, correct: false });
  assert.throws(
    () => checkAnswer(make("author"), 3 as never, AUTHORS),
    /Cannot check an answer as it must be a string/,
  );
});

Deno.test("balanceFamilies: each family as often as the largest", async () => {
  const corpus = await loadPoems({ limit: 600 });
  const balanced = balanceFamilies(instructionData(corpus, { perFamily: 2 }).train);
  const counts = INSTRUCTION_FAMILIES.map((f) => balanced.filter((e) => e.family === f).length);
  assert.ok(counts.every((n) => n === counts[0] && n > 100), String(counts));
  assert.deepEqual(balanceFamilies([]), []);
});

Deno.test("plainPrompt: the best form without the template — never a chat token", () => {
  assert.deepEqual(plainPrompt(make("topic")), { text: PLAIN_EXAMPLES[5] + "\n\n月", prefix: "月", until: "poem" });
  assert.deepEqual(plainPrompt(make("acrostic")), { text: "\n\n床", prefix: "床", until: "poem" });
  assert.deepEqual(plainPrompt(make("continue")), { text: "\n\n床前明月光，", prefix: "", until: "poem" });
  assert.deepEqual(plainPrompt(make("author")), {
    text: JING_YE_SI.text + "\n这首诗的作者是",
    prefix: "",
    until: "verse",
  });
  for (const f of INSTRUCTION_FAMILIES) assert.doesNotMatch(plainPrompt(make(f)).text, /<\|/);
});

Deno.test("instructionData: train from train poems, held-out from val poems, filtered by the vocabulary", async () => {
  const corpus = await loadPoems({ limit: 1000 });
  const data = instructionData(corpus, { vocabulary: corpus.vocabulary, perFamily: 5 });
  assert.deepEqual(
    INSTRUCTION_FAMILIES.map((f) => data.heldOut.filter((e) => e.family === f).length),
    [5, 5, 5, 5],
  );
  const valTexts = new Set(corpus.val.map((p) => p.text)), trainTexts = new Set(corpus.train.map((p) => p.text));
  assert.ok(data.heldOut.every((e) => valTexts.has(e.poem.text)));
  assert.ok(data.train.every((e) => trainTexts.has(e.poem.text)));
  const heldPoems = data.heldOut.map((e) => e.poem.text);
  assert.equal(new Set(heldPoems).size, heldPoems.length, "each held-out example from another poem");
  const vocab = new Set(corpus.vocabulary);
  assert.ok(data.train.every((e) => [...e.poem.text, ...e.response].every((ch) => vocab.has(ch))));
  assert.ok(!data.authors.has("无名氏") && data.authors.size > 50);
  const again = instructionData(corpus, { vocabulary: corpus.vocabulary, perFamily: 5 });
  assert.deepEqual(again.heldOut.map((e) => e.prompt), data.heldOut.map((e) => e.prompt), "seeded");
  assert.throws(() => instructionData(corpus, { perFamily: 1000 }), /Cannot hold out 1000 examples of each family/);
  assert.throws(() => instructionData(corpus, { perFamily: 0 }), /perFamily/);
});

Deno.test("instructionData: on the whole corpus every instruction is in the poem vocabulary plus ： and ？", async () => {
  const corpus = await loadPoems();
  const data = instructionData(corpus, { vocabulary: corpus.vocabulary });
  const vocab = new Set([...corpus.vocabulary, "：", "？"]);
  const outside = new Set(data.train.flatMap((e) => [...e.prompt].filter((ch) => !vocab.has(ch))));
  assert.deepEqual([...outside], []);
  assert.ok(data.train.length > 25_000, `${data.train.length} training instructions`);
});
