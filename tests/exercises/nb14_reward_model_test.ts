import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { runCheck } from "@lib/exercises/check.ts";
import { BRADLEY_TERRY, RHYME_KEY } from "@lib/exercises/nb14_reward_model.ts";
import { bradleyTerryLoss, rhymeKey } from "@lib/rlhf/mod.ts";

const quiet = { log: () => {} };

Deno.test("14-bradley-terry: the reference is lib/rlhf's loss; the sum, the swapped sign and an overflow are diagnosed", async () => {
  const [c, r] = [[1.5, -0.5, 3], [0.5, 0.5, -1]];
  const lib = bradleyTerryLoss(tf.tensor1d(c), tf.tensor1d(r));
  assert.ok(Math.abs(BRADLEY_TERRY.reference(c, r) - lib.dataSync()[0]) < 1e-6);
  lib.dispose();
  assert.ok(Number.isFinite(BRADLEY_TERRY.reference([-400], [400])));
  const right = (ch: number[], re: number[]) =>
    ch.reduce((s, x, i) => s + Math.log1p(Math.exp(-Math.abs(re[i] - x))) + Math.max(re[i] - x, 0), 0) / ch.length;
  assert.equal((await runCheck(BRADLEY_TERRY, right, quiet)).passed, true);
  const sum = (ch: number[], re: number[]) => right(ch, re) * ch.length;
  assert.match((await runCheck(BRADLEY_TERRY, sum, quiet)).text(), /divide by their number/);
  const sign = (ch: number[], re: number[]) => right(re, ch);
  assert.match((await runCheck(BRADLEY_TERRY, sign, quiet)).text(), /sign is swapped/);
  const naive = (ch: number[], re: number[]) =>
    ch.reduce((s, x, i) => s - Math.log(1 / (1 + Math.exp(-(x - re[i])))), 0) / ch.length;
  assert.match((await runCheck(BRADLEY_TERRY, naive, quiet)).text(), /not a finite number/);
});

Deno.test("14-rhyme-key: the reference is lib/rlhf's rhymeKey; a kept medial and unexpanded short forms are diagnosed", async () => {
  assert.equal(RHYME_KEY.reference, rhymeKey);
  assert.equal(rhymeKey("shuang"), rhymeKey("xiang"));
  const right = (s: string) => {
    const initial = ["zh", "ch", "sh", ..."bpmfdtnlgkhjqxrzcs"].find((i) => s.startsWith(i) && s.length > i.length) ??
      "";
    const short: Record<string, string> = { iu: "iou", ui: "uei", un: "uen", in: "ien", ing: "ieng", ong: "ueng" };
    const f = short[s.slice(initial.length)] ?? s.slice(initial.length);
    return f.length > 1 && "iu".includes(f[0]) ? f.slice(1) : f;
  };
  assert.equal((await runCheck(RHYME_KEY, right, quiet)).passed, true);
  const keepsMedial = (s: string) => {
    const initial = ["zh", "ch", "sh", ..."bpmfdtnlgkhjqxrzcs"].find((i) => s.startsWith(i)) ?? "";
    return s.slice(initial.length);
  };
  assert.match((await runCheck(RHYME_KEY, keepsMedial, quiet)).text(), /Drop the medial/);
  const noExpand = (s: string) => {
    const initial = ["zh", "ch", "sh", ..."bpmfdtnlgkhjqxrzcs"].find((i) => s.startsWith(i) && s.length > i.length) ??
      "";
    const f = s.slice(initial.length);
    return f.length > 1 && "iu".includes(f[0]) ? f.slice(1) : f;
  };
  assert.match((await runCheck(RHYME_KEY, noExpand, quiet)).text(), /Expand the written short forms/);
});
