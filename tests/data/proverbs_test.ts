import assert from "node:assert/strict";
import { loadPoems } from "@lib/data/poems.ts";
import { loadProverbs, parseProverbs, PROVERB_FILE, proverbText } from "@lib/data/proverbs.ts";

Deno.test("parseProverbs: halves, comments and blank lines, the text format", () => {
  const got = parseProverbs("# comment\n\n活到老，学到老\n  吃一堑，长一智  \n");
  assert.deepEqual(got.map((p) => [p.first, p.second, p.text]), [
    ["活到老", "学到老", "活到老，学到老。"],
    ["吃一堑", "长一智", "吃一堑，长一智。"],
  ]);
  assert.equal(proverbText(got), "活到老，学到老。\n吃一堑，长一智。");
});

Deno.test("parseProverbs: a malformed or repeated line is named", () => {
  assert.throws(() => parseProverbs("活到老，学到老\n活到老学到老"), {
    message: 'Cannot read proverbs as line 2 must be two halves of Han characters joined by "，": current value is ' +
      '"活到老学到老"',
  });
  assert.throws(() => parseProverbs("活到老，学到老，再学"), /line 1 must be two halves/);
  assert.throws(() => parseProverbs("活到老，学到老。"), /line 1/); // no final punctuation in the file
  assert.throws(() => parseProverbs("活到老，学到老\n活到老，学到老"), {
    message: 'Cannot read proverbs as line 2 repeats "活到老，学到老"',
  });
  assert.throws(() => parseProverbs(3 as unknown as string), TypeError);
});

Deno.test("the corpus file: a few hundred sayings, all well formed, none a verse of the poem corpus but one", async () => {
  const all = parseProverbs(await Deno.readTextFile(PROVERB_FILE));
  assert.ok(all.length >= 300, `${all.length} sayings`);
  assert.ok(all.some((p) => p.text === "不听老人言，吃亏在眼前。"));
  assert.ok(all.some((p) => p.text === "少壮不努力，老大徒伤悲。"));
  const poems = await loadPoems();
  const verses = new Set([...poems.train, ...poems.val].flatMap((p) => p.lines));
  // 一寸光阴一寸金 is also a verse of 王贞白's 白鹿洞 (a Tang quatrain): the one saying both corpora share
  const shared = all.filter((p) => verses.has(p.first) || verses.has(p.second)).map((p) => p.first);
  assert.deepEqual(shared, ["一寸光阴一寸金"]);
});

Deno.test("loadProverbs: a seeded split, disjoint, in file order", async () => {
  const a = await loadProverbs(), b = await loadProverbs();
  assert.deepEqual(a.test, b.test);
  const total = a.train.length + a.test.length;
  assert.equal(a.test.length, Math.round(total * 0.2));
  const train = new Set(a.train.map((p) => p.text));
  assert.ok(a.test.every((p) => !train.has(p.text)));
  const other = await loadProverbs({ seed: 7 });
  assert.notDeepEqual(other.test, a.test);
  const source = "甲，乙\n丙，丁\n戊，己\n庚，辛";
  const small = await loadProverbs({ source, testFraction: 0.5 });
  assert.equal(small.test.length, 2);
  assert.deepEqual([...small.train, ...small.test].map((p) => p.first).sort(), ["丙", "庚", "戊", "甲"].sort());
  assert.match(a.summary(), /sayings .* train \d+, test \d+ \(seed 1337\)/);
});

Deno.test("loadProverbs: bad options say what is wrong", async () => {
  await assert.rejects(() => loadProverbs({ testFraction: 0 }), {
    message: "Cannot load proverbs as testFraction must be a number in (0, 0.5]: current value is 0",
  });
  await assert.rejects(() => loadProverbs({ seed: 1.5 }), {
    message: "Cannot load proverbs as seed must be an integer: current value is 1.5",
  });
  await assert.rejects(() => loadProverbs({ source: "甲，乙", testFraction: 0.5 }), /none left to train/);
});
