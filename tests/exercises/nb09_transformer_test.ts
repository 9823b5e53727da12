import assert from "node:assert/strict";
import { paddingMask } from "@lib/attention/mod.ts";
import { tf } from "@lib/core/mod.ts";
import { toChineseNumeral } from "@lib/data/numerals.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { BEAM_STEP, NUMBER_READING, PADDING_MASK, type PartialBeam } from "@lib/exercises/nb09_transformer.ts";

const quiet = { log: () => {} };
const DIGITS = "零一二三四五六七八九", UNITS = ["", "十", "百", "千"];

/** A learner's reading, written from the rules without lib/data. */
function readNumber(n: number): string {
  if (n === 0) return "零";
  const group = (g: number) => {
    let out = "", zero = false;
    for (let p = 3; p >= 0; p--) {
      const d = Math.floor(g / 10 ** p) % 10;
      if (d === 0) {
        if (out) zero = true;
        continue;
      }
      out += (zero ? "零" : "") + DIGITS[d] + UNITS[p];
      zero = false;
    }
    return out;
  };
  const high = Math.floor(n / 10000), low = n % 10000;
  let out = high ? group(high) + "万" + (low && low < 1000 ? "零" : "") + (low ? group(low) : "") : group(low);
  if (out.startsWith("一十")) out = out.slice(1);
  return out;
}

Deno.test("09-reading: a reading written from the rules passes; the usual slips get their hints", async () => {
  assert.equal((await runCheck(NUMBER_READING, readNumber, quiet)).passed, true);
  const refused = await runCheck(NUMBER_READING, toChineseNumeral, quiet);
  assert.equal(refused.reason, "check.reference");
  const cases: [(n: number) => string, RegExp][] = [
    [(n) => n === 15 ? "一十五" : readNumber(n), /begins with 十 \(15 is 十五/],
    [(n) => n === 101 ? "一百零零一" : readNumber(n), /a single 零/],
    [(n) => n === 20 ? "二十零" : readNumber(n), /Zeros at the end of a group are silent/],
    [(n) => n === 2000 ? "两千" : readNumber(n), /writes 二 everywhere/],
    [(n) => readNumber(n).replace("万零", "万"), /a 零 stands after 万/],
    [(n) => n === 10001000 ? "一千万零一千" : readNumber(n), /Only zeros between two non-zero digits/],
  ];
  for (const [answer, hint] of cases) assert.match((await runCheck(NUMBER_READING, answer, quiet)).text(), hint);
});

Deno.test("09-padding-mask: a tensor mask passes, the inverted one gets its hint, a wrong shape is named; no leak", async () => {
  const before = tf.memory().numTensors;
  const mine = (ids: tf.Tensor, padId: number) =>
    tf.tidy(() => tf.cast(tf.notEqual(ids, padId), "float32").reshape([ids.shape[0], 1, 1, ids.shape[1]!]));
  assert.equal((await runCheck(PADDING_MASK, mine, quiet)).passed, true);
  assert.equal((await runCheck(PADDING_MASK, paddingMask, quiet)).reason, "check.reference");
  const inverted = (ids: tf.Tensor, padId: number) =>
    tf.tidy(() => tf.cast(tf.equal(ids, padId), "float32").reshape([ids.shape[0], 1, 1, ids.shape[1]!]));
  assert.match((await runCheck(PADDING_MASK, inverted, quiet)).text(), /upside down/);
  const flat = (ids: tf.Tensor, padId: number) => tf.cast(tf.notEqual(ids, padId), "float32");
  assert.equal((await runCheck(PADDING_MASK, flat, quiet)).reason, "check.wrong_shape");
  assert.equal(tf.memory().numTensors, before);
});

Deno.test("09-beam-step: all extensions ranked together pass; per-beam and unsummed scores get their hints", async () => {
  const mine = (beams: PartialBeam[], next: number[][], width: number) => {
    const all: PartialBeam[] = [];
    beams.forEach((b, i) => next[i].forEach((lp, t) => all.push({ ids: [...b.ids, t], logProb: b.logProb + lp })));
    return all.sort((a, b) => b.logProb - a.logProb).slice(0, width);
  };
  assert.equal((await runCheck(BEAM_STEP, mine, quiet)).passed, true);
  const perBeam = (beams: PartialBeam[], next: number[][], width: number) =>
    beams.map((b, i) => {
      const t = next[i].indexOf(Math.max(...next[i]));
      return { ids: [...b.ids, t], logProb: b.logProb + next[i][t] };
    }).sort((a, b) => b.logProb - a.logProb).slice(0, width);
  assert.match((await runCheck(BEAM_STEP, perBeam, quiet)).text(), /the two best may both grow from the same beam/);
  const unsummed = (beams: PartialBeam[], next: number[][], width: number) => {
    const all: PartialBeam[] = [];
    beams.forEach((b, i) => next[i].forEach((lp, t) => all.push({ ids: [...b.ids, t], logProb: lp })));
    return all.sort((a, b) => b.logProb - a.logProb).slice(0, width);
  };
  assert.match((await runCheck(BEAM_STEP, unsummed, quiet)).text(), /add the beam's own logProb/);
});
