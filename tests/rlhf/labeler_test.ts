import assert from "node:assert/strict";
import { LABELER_WEIGHTS, preferPoem, scorePoem } from "@lib/rlhf/mod.ts";

const JING_YE_SI = "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。";
const DENG_GUAN_QUE_LOU = "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。";
const SHAN_XING = "远上寒山石径斜，白云生处有人家。\n停车坐爱枫林晚，霜叶红于二月花。";
const WU_YI_XIANG = "朱雀桥边野草花，乌衣巷口夕阳斜。\n旧时王谢堂前燕，飞入寻常百姓家。";

Deno.test("scorePoem: 静夜思 scores full form, rhyme (霜/乡) and topic; 明月 twice costs a little", () => {
  const { scores, lines } = scorePoem(JING_YE_SI, "月");
  assert.deepEqual(lines, ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]);
  assert.deepEqual(scores, { form: 1, rhyme: 1, topic: 1, repetition: 15 / 16, total: (3 + 15 / 16) / 4 });
});

Deno.test("scorePoem: rhyme of 流/楼 passes; 斜/家 (a Tang rhyme) does not under modern pinyin", () => {
  assert.equal(scorePoem(DENG_GUAN_QUE_LOU, "河").scores.rhyme, 1);
  const shan = scorePoem(SHAN_XING, "山").scores;
  assert.equal(shan.form, 1, "seven-character lines are a form too");
  assert.equal(shan.rhyme, 1, "家 jia and 花 hua (only lines 2 and 4 count: 斜 ends line 1)");
  const wu = scorePoem(WU_YI_XIANG, "燕").scores;
  assert.equal(wu.rhyme, 0, "斜 xie (Tang: like 霞) and 家 jia: lost in modern Mandarin");
});

Deno.test("scorePoem: the form score, component by component", () => {
  const form = (text: string) => scorePoem(text, "月").scores.form;
  assert.equal(form("床前明月光，疑是地上霜。"), 0.5 * 0.5 + 0.5 * 0.5, "two lines: half the count, 2 of 4 lengths");
  assert.equal(form("床前明月光，疑是地上霜，举头望明月，低头思故乡，床前明月光。"), 0.5 * 0.75 + 0.5, "five lines");
  assert.equal(form("床前明月，疑是地上霜。\n举头望明月，低头思故乡。"), 0.5 + 0.5 * 0.75, "one line of 4");
  assert.equal(form("床前明月光，疑是地上霜霜霜。\n举头望明月，低头思故乡。"), 0.5 + 0.5 * 0.75, "one line of 7");
  assert.equal(form("床前明月A，疑是地上霜。\n举头望明月，低头思故乡。"), 0.5 + 0.5 * 0.75, "non-Han characters");
  assert.equal(form(""), 0);
  assert.equal(form("。，\n"), 0, "only punctuation");
});

Deno.test("scorePoem: topic and repetition", () => {
  assert.equal(scorePoem(JING_YE_SI, "花").scores.topic, 0);
  assert.equal(scorePoem(JING_YE_SI, "霜").scores.topic, 1);
  const same = "明月明月明，明月明月明。\n明月明月明，明月明月明。";
  const r = scorePoem(same, "月").scores.repetition;
  assert.equal(r, 2 / 16, "only 明月 and 月明 among 16 bigrams");
  assert.equal(scorePoem("月", "月").scores.repetition, 1, "no bigrams, nothing repeated");
  assert.equal(scorePoem(DENG_GUAN_QUE_LOU, "河").scores.repetition, 1);
});

Deno.test("scorePoem: weights change the total, not the components", () => {
  const equal = scorePoem(WU_YI_XIANG, "燕").scores;
  const rhymeOnly = scorePoem(WU_YI_XIANG, "燕", { weights: { form: 0, topic: 0, repetition: 0 } }).scores;
  assert.equal(rhymeOnly.total, 0);
  assert.deepEqual({ ...rhymeOnly, total: 0 }, { ...equal, total: 0 });
  assert.deepEqual(LABELER_WEIGHTS, { form: 1, rhyme: 1, topic: 1, repetition: 1 });
});

Deno.test("preferPoem: the better answer wins, margins are signed, equal totals tie", () => {
  const broken = "明月明月明月明月";
  const p = preferPoem(JING_YE_SI, broken, "月");
  assert.equal(p.winner, "a");
  assert.ok(p.margin > 0);
  assert.equal(p.margin, p.a.scores.total - p.b.scores.total);
  assert.equal(preferPoem(broken, JING_YE_SI, "月").winner, "b");
  assert.equal(preferPoem(JING_YE_SI, JING_YE_SI, "月").winner, "tie");
  // Different poems with equal totals tie too: swap the order of the two couplets (still 4 lines, 霜/乡 → 乡/霜).
  const swapped = "举头望明月，低头思故乡。\n床前明月光，疑是地上霜。";
  const tie = preferPoem(JING_YE_SI, swapped, "月");
  assert.equal(tie.winner, "tie");
  assert.equal(tie.margin, 0);
  const close = preferPoem(JING_YE_SI, DENG_GUAN_QUE_LOU, "月", { tolerance: 1 });
  assert.equal(close.winner, "tie", "a wide tolerance calls everything a tie");
});

Deno.test("the labeler rejects bad input with clear messages", () => {
  assert.throws(() => scorePoem(42 as never, "月"), {
    name: "TypeError",
    message: "Cannot score a poem as the answer must be a string: got number",
  });
  for (const topic of ["", "明月", "a", 5]) {
    assert.throws(() => scorePoem(JING_YE_SI, topic as never), {
      name: "RangeError",
      message: `Cannot score a poem as the topic must be one Han character: current value is ${JSON.stringify(topic)}`,
    });
  }
  assert.throws(() => scorePoem(JING_YE_SI, "月", { weights: { rhyme: -1 } }), {
    message: "Cannot score a poem as weights.rhyme must be a finite number ≥ 0: current value is -1",
  });
  assert.throws(() => scorePoem(JING_YE_SI, "月", { weights: { form: 0, rhyme: 0, topic: 0, repetition: 0 } }), {
    message: "Cannot score a poem as the weights are all 0: at least one must be positive",
  });
  assert.throws(() => preferPoem(JING_YE_SI, JING_YE_SI, "月", { tolerance: NaN }), {
    message: "Cannot compare poems as tolerance must be a finite number ≥ 0: current value is NaN",
  });
});
