import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import {
  addChatTokens,
  labelPairs,
  NEW_TOPICS,
  pairPrompts,
  preferPoem,
  sampleAnswers,
  sampleRewardPairs,
  TOPICS,
} from "@lib/rlhf/mod.ts";
import { CharTokenizer } from "@lib/text/mod.ts";

const GOOD = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";
const NO_RHYME = "床前明月光，疑是地上霜。\n举头望明月，低头思故人。";

Deno.test("pairPrompts: every topic at both lengths, the new topics kept apart", () => {
  const { train, newTopics } = pairPrompts();
  assert.equal(train.length + newTopics.length, 2 * TOPICS.length);
  assert.ok(newTopics.every((p) => NEW_TOPICS.includes(p.topic)));
  assert.ok(train.every((p) => !NEW_TOPICS.includes(p.topic) && p.prompt.includes(p.topic)));
  assert.ok(train.some((p) => p.length === 7 && p.prompt.endsWith("七言绝句")));
});

Deno.test("labelPairs: drops ties and keeps every other pair, however small its margin", () => {
  const oneRepeat = "床前明月光，疑是地上霜。\n举头望明月，明月思故乡。"; // one more 明月 than GOOD
  const groups = [{
    prompt: "写一首关于月的五言绝句",
    topic: "月",
    answers: [GOOD, GOOD, NO_RHYME, GOOD, GOOD, oneRepeat, "x"],
  }];
  const { pairs, ties } = labelPairs(groups);
  assert.equal(ties, 1);
  assert.equal(pairs.length, 2, "the odd last answer is left out");
  assert.equal(pairs[0].chosen, GOOD);
  assert.equal(pairs[0].rejected, NO_RHYME);
  assert.equal(pairs[0].margin, 0.25);
  assert.equal(pairs[0].rejectedScores.rhyme, 0);
  const small = preferPoem(GOOD, oneRepeat, "月").margin;
  assert.ok(small > 0 && small < 0.05, `a tiny margin (${small}) is kept`);
  assert.equal(pairs[1].chosen, GOOD);
  assert.ok(pairs.every((p) => p.margin > 0 && p.chosenScores.total > p.rejectedScores.total));
});

Deno.test("labelPairs in rankings of k: every pair of a ranking, ties dropped, each pair tagged with its ranking", () => {
  const oneRepeat = "床前明月光，疑是地上霜。\n举头望明月，明月思故乡。";
  const answers = [GOOD, NO_RHYME, GOOD, oneRepeat, NO_RHYME, GOOD, GOOD, GOOD, "x"];
  const { pairs, ties } = labelPairs([{ prompt: "写一首关于月的五言绝句", topic: "月", answers }], 4);
  // ranking 0: GOOD, NO_RHYME, GOOD, oneRepeat → 6 pairs, GOOD–GOOD a tie; ranking 1: NO_RHYME and three GOOD → 3
  // pairs, 3 ties; "x" is left out (an incomplete ranking)
  assert.deepEqual([pairs.length, ties], [5 + 3, 1 + 3]);
  assert.deepEqual(pairs.map((p) => p.ranking), [0, 0, 0, 0, 0, 1, 1, 1]);
  assert.ok(pairs.every((p) => p.margin > 0 && p.chosenScores.total > p.rejectedScores.total));
  assert.equal(pairs.filter((p) => p.rejected === NO_RHYME).length, 2 + 1 + 3, "NO_RHYME loses to every other");
  assert.deepEqual(labelPairs([{ prompt: "", topic: "月", answers }], 2).pairs.length, 3);
  assert.throws(() => labelPairs([], 1), /k \(answers per ranking\) must be an integer ≥ 2: got 1/);
});

Deno.test("sampleAnswers: k answers, seeded, stop at <|end|>, no special token, memory unchanged", async () => {
  const tok = CharTokenizer.fromText(GOOD + "写一首关于的五言绝句");
  addChatTokens(tok);
  const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 48, nLayer: 1, nHead: 2, nEmbd: 16 }, 3);
  const a = await sampleAnswers(model, tok, "写一首关于月的五言绝句", 4, { maxNewTokens: 12, seed: 5 });
  const before = tf.memory().numTensors; // after a first call (the model keeps some constants it made then)
  assert.deepEqual(await sampleAnswers(model, tok, "写一首关于月的五言绝句", 4, { maxNewTokens: 12, seed: 5 }), a);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(a.length, 4);
  assert.ok(a.every((x) => [...x].length <= 12 && !x.includes("<|")));
  assert.notDeepEqual(await sampleAnswers(model, tok, "写一首关于月的五言绝句", 4, { maxNewTokens: 12, seed: 6 }), a);
  await assert.rejects(sampleAnswers(model, tok, "月", 0), /k must be a positive integer/);
  await assert.rejects(
    sampleAnswers(model, tok, "月".repeat(60), 2),
    /the prompt takes 62 tokens of the context of 48/,
  );
  model.dispose();
});

Deno.test("sampleRewardPairs: three sets from the prompts' answers, labelled, the time measured", async () => {
  const tok = CharTokenizer.fromText(GOOD + TOPICS.join("") + "写一首关于的五七言绝句");
  addChatTokens(tok);
  const model = new GPT({ vocabSize: tok.vocabSize, blockSize: 48, nLayer: 1, nHead: 2, nEmbd: 16 }, 3);
  let prompts = 0;
  const pairs = await sampleRewardPairs(model, tok, { train: 8, heldOut: 4, newTopics: 4 }, () => prompts++);
  const { train, newTopics } = pairPrompts();
  assert.equal(prompts, 2 * train.length + newTopics.length);
  // rankings of four: six comparisons each, ties included
  assert.equal(pairs.train.pairs.length + pairs.train.ties, 2 * 6 * train.length);
  assert.equal(pairs.heldOut.pairs.length + pairs.heldOut.ties, 6 * train.length);
  assert.equal(pairs.newTopics.pairs.length + pairs.newTopics.ties, 6 * newTopics.length);
  await assert.rejects(
    sampleRewardPairs(model, tok, { train: 8, heldOut: 6, newTopics: 4 }),
    /answers per prompt must be multiples of 4 \(whole rankings\): got heldOut 6/,
  );
  assert.ok(pairs.newTopics.pairs.every((p) => NEW_TOPICS.includes(p.topic)));
  assert.ok(pairs.sampleSeconds > 0);
  model.dispose();
});
