import assert from "node:assert/strict";
import { withTempCache } from "../_temp_cache.ts";
import { listCache, readCheckpointMeta, saveCheckpoint } from "../../lib/checkpoint/mod.ts";
import {
  formatPoem,
  loadPoems,
  parsePoem,
  type Poem,
  POEM_SEPARATOR,
  POEM_STRUCTURE,
  POEM_UNK,
  type PoemOptions,
  poemText,
} from "../../lib/data/poems.ts";

const corpus = await loadPoems();
const all: Poem[] = [...corpus.train, ...corpus.val];

Deno.test("the corpus holds thousands of five- and seven-character quatrains", () => {
  const c = corpus.counts;
  assert.ok(c.poems > 12000 && c.poems < 15000, `poems: ${c.poems}`);
  assert.ok(c.fiveChar > 3000, `five-character: ${c.fiveChar}`);
  assert.ok(c.sevenChar > 9000, `seven-character: ${c.sevenChar}`);
  assert.equal(c.fiveChar + c.sevenChar, c.poems);
  assert.equal(c.train + c.val, c.poems);
  assert.equal(c.train, corpus.train.length);
  assert.equal(c.val, Math.round(c.poems * 0.05));
  assert.equal(c.characters, 20 * c.fiveChar + 28 * c.sevenChar);
  assert.equal(corpus.report.kept, c.poems);
});

Deno.test("every poem has four Han verses of equal length 5 or 7, in the documented text format", () => {
  for (const p of all) {
    assert.equal(p.lines.length, 4, p.title);
    const n = p.lines[0].length;
    assert.ok(n === 5 || n === 7, `${p.title}: verse length ${n}`);
    for (const line of p.lines) assert.match(line, n === 5 ? /^[\u4e00-\u9fff]{5}$/ : /^[\u4e00-\u9fff]{7}$/);
    assert.equal(p.text, `${p.lines[0]}，${p.lines[1]}。\n${p.lines[2]}，${p.lines[3]}。`);
    assert.deepEqual(parsePoem(p.text), p.lines);
    assert.ok(p.title.length > 0 && p.author.length > 0, JSON.stringify(p));
  }
});

Deno.test("the text is in simplified characters", () => {
  const traditional = /[們為無這說風東馬書來時國見長門後裏頭]/;
  const offenders = all.filter((p) => traditional.test(p.text + p.title + p.author));
  assert.deepEqual(offenders.slice(0, 3), []);
});

Deno.test("the familiar version of 静夜思 (from 唐诗三百首) is in, 全唐诗's variant is not", () => {
  const jingyesi = all.filter((p) => p.title === "静夜思" && p.author === "李白");
  assert.equal(jingyesi.length, 1);
  assert.equal(jingyesi[0].text, "床前明月光，疑是地上霜。\n举头望明月，低头思故乡。");
  assert.equal(jingyesi[0].source, "tangshi300");
  assert.equal(all.filter((p) => p.text.includes("床前看月光")).length, 0);
});

Deno.test("poems are unique and 唐诗三百首 comes first", () => {
  assert.equal(new Set(all.map((p) => p.text)).size, all.length);
  const sources = corpus.train.map((p) => p.source);
  assert.equal(sources.lastIndexOf("tangshi300") < sources.indexOf("quantangshi"), true);
  assert.ok(sources.filter((s) => s === "tangshi300").length > 50);
});

Deno.test("the split is deterministic for a seed, disjoint, and covers every poem", async () => {
  const a = await loadPoems({ seed: 7 });
  const b = await loadPoems({ seed: 7 });
  assert.deepEqual(a.val, b.val);
  assert.deepEqual(a.train, b.train);
  assert.notDeepEqual(a.val, corpus.val);
  const valTexts = new Set(a.val.map((p) => p.text));
  assert.equal(a.train.filter((p) => valTexts.has(p.text)).length, 0);
  assert.deepEqual(
    [...a.train, ...a.val].map((p) => p.text).sort(),
    all.map((p) => p.text).sort(),
  );
});

Deno.test("the vocabulary is <unk> then the most frequent characters by count, then code point", () => {
  const counts = new Map<string, number>();
  for (const ch of poemText(all)) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const v = corpus.vocabulary;
  assert.equal(v.length, 3000);
  assert.equal(v[0], POEM_UNK);
  assert.equal(new Set(v).size, v.length);
  for (const ch of POEM_STRUCTURE) assert.ok(v.includes(ch), JSON.stringify(ch));
  for (let i = 2; i < v.length; i++) {
    const [prev, cur] = [counts.get(v[i - 1])!, counts.get(v[i])!];
    assert.ok(prev > cur || (prev === cur && v[i - 1].codePointAt(0)! < v[i].codePointAt(0)!), `${v[i - 1]} ${v[i]}`);
  }
  const inVocab = new Set(v);
  const leftOutMax = Math.max(...[...counts].filter(([ch]) => !inVocab.has(ch)).map(([, n]) => n));
  assert.ok(leftOutMax <= counts.get(v[v.length - 1])!, `a left-out character is more frequent (${leftOutMax})`);
});

Deno.test("the vocabulary covers at least 95% of the characters, as counted by hand", () => {
  const inVocab = new Set(corpus.vocabulary);
  const han = all.flatMap((p) => [...p.lines.join("")]);
  const covered = han.filter((ch) => inVocab.has(ch)).length;
  assert.equal(corpus.coverage, covered / han.length);
  assert.ok(corpus.coverage >= 0.95, `coverage ${corpus.coverage}`);
  assert.equal(corpus.counts.distinctCharacters, new Set(han).size);
});

Deno.test("a smaller vocabulary keeps the structure and covers less", async () => {
  const small = await loadPoems({ vocabSize: 5 });
  assert.deepEqual(small.vocabulary.slice(0, 1), [POEM_UNK]);
  assert.equal(small.vocabulary.length, 5);
  for (const ch of POEM_STRUCTURE) assert.ok(small.vocabulary.includes(ch));
  assert.ok(small.coverage < 0.05, `coverage ${small.coverage}`);
  const mid = await loadPoems({ vocabSize: 1000 });
  assert.ok(mid.coverage > small.coverage && mid.coverage < corpus.coverage);
  assert.deepEqual(mid.vocabulary, corpus.vocabulary.slice(0, 1000));
});

Deno.test("lineLength and limit select poems", async () => {
  const five = await loadPoems({ lineLength: 5 });
  assert.ok([...five.train, ...five.val].every((p) => p.lines[0].length === 5));
  assert.equal(five.counts.poems, corpus.counts.fiveChar);
  const seven = await loadPoems({ lineLength: 7, limit: 100, seed: 3 });
  assert.equal(seven.counts.poems, 100);
  assert.equal(seven.counts.val, 5);
  assert.ok([...seven.train, ...seven.val].every((p) => p.lines[0].length === 7));
  assert.deepEqual((await loadPoems({ limit: 1, valFraction: 0 })).counts.train, 1);
});

Deno.test("the cleaned corpus is cached: a warm load gives the same data as a cold one and as no cache", async () => {
  await withTempCache(async () => {
    const cold = await loadPoems({ seed: 11 });
    const entries = await listCache("poems");
    assert.equal(entries.length, 1);
    assert.equal(entries[0].mode, null);
    const warm = await loadPoems({ seed: 11 });
    assert.deepEqual(warm.train, cold.train);
    assert.deepEqual(warm.val, cold.val);
    assert.deepEqual(warm.vocabulary, cold.vocabulary);
    assert.deepEqual(warm.counts, cold.counts);
    const uncached = await loadPoems({ seed: 11, cache: false });
    assert.deepEqual(uncached.train, cold.train);
    assert.deepEqual(uncached.report, cold.report);
  });
});

Deno.test("a corrupt cached corpus is rebuilt", async () => {
  await withTempCache(async () => {
    const first = await loadPoems({ limit: 50 });
    const [entry] = await listCache("poems");
    const meta = await readCheckpointMeta(entry.dir); // a foreign value under the entry's own key
    const bad = { poems: [], report: { kept: 3 } };
    await saveCheckpoint(entry.dir, { kind: meta.kind, config: meta.config, weights: {}, extra: bad, info: meta.info });
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (...args: unknown[]) => warnings.push(args.join(" "));
    try {
      const again = await loadPoems({ limit: 50 });
      assert.deepEqual(again.train, first.train);
    } finally {
      console.warn = warn;
    }
    assert.match(warnings.join("\n"), /could not be loaded \(the cached data is not a cleaned poem corpus\)/);
  });
});

Deno.test("poemText separates poems by a blank line and splits back", () => {
  const text = poemText(corpus.train.slice(0, 3));
  assert.equal(POEM_SEPARATOR, "\n\n");
  assert.deepEqual(text.split(POEM_SEPARATOR), corpus.train.slice(0, 3).map((p) => p.text));
  assert.equal(poemText([]), "");
});

Deno.test("parsePoem accepts exactly one quatrain in the text format", () => {
  const lines = ["白日依山尽", "黄河入海流", "欲穷千里目", "更上一层楼"];
  assert.deepEqual(parsePoem(formatPoem(lines)), lines);
  assert.deepEqual(parsePoem(`\n${formatPoem(lines)}\n\n`), lines);
  assert.equal(parsePoem("白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼楼。"), null);
  assert.equal(parsePoem("白日依山，黄河入海。\n欲穷千里，更上一层。"), null);
  assert.equal(parsePoem("白日依山尽，黄河入海流。欲穷千里目，更上一层楼。"), null);
  assert.equal(parsePoem(formatPoem(lines) + "\n\n" + formatPoem(lines)), null);
  assert.equal(parsePoem("白日依山尽，黄河入海流？\n欲穷千里目，更上一层楼。"), null);
});

Deno.test("the notebook display shows the counts and sample poems", () => {
  const display = (corpus as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("Jupyter.display")];
  const bundle = display.call(corpus);
  const text = bundle["text/plain"];
  assert.match(text, /^Tang quatrains \(唐诗绝句\), simplified: 1\d,\d{3} poems/);
  assert.match(text, /vocabulary 3,000 entries with <unk>: covers 9\d\.\d\d% of/);
  assert.ok(text.includes(corpus.train[0].text));
  assert.ok(bundle["text/html"].includes("&lt;unk&gt;"));
  assert.ok(!bundle["text/html"].includes("<unk>"));
});

Deno.test("bad options throw messages that name the option and the expectation", async () => {
  const cases: [unknown, string, string][] = [
    [
      { lineLenght: 5 },
      "TypeError",
      'Cannot load poems as option "lineLenght" is unknown: expected one of ' +
      "seed, valFraction, vocabSize, lineLength, limit, cache",
    ],
    [null, "TypeError", "Cannot load poems as options must be an object: current value is null"],
    [{ seed: 1.5 }, "RangeError", "Cannot load poems as seed must be an integer: current value is 1.5"],
    [
      { valFraction: 0.9 },
      "RangeError",
      "Cannot load poems as valFraction must be a number in [0, 0.5]: current value is 0.9",
    ],
    [
      { valFraction: NaN },
      "RangeError",
      "Cannot load poems as valFraction must be a number in [0, 0.5]: current value is NaN",
    ],
    [{ vocabSize: 4 }, "RangeError", "Cannot load poems as vocabSize must be an integer >= 5: current value is 4"],
    [
      { lineLength: 6 },
      "RangeError",
      "Cannot load poems as lineLength must be 5 or 7 (or left out for both): current value is 6",
    ],
    [{ limit: 0 }, "RangeError", "Cannot load poems as limit must be a positive integer: current value is 0"],
    [{ cache: "yes" }, "TypeError", "Cannot load poems as cache must be true or false: current value is yes"],
    [
      { limit: 1 },
      "RangeError",
      "Cannot split 1 poem(s) with valFraction 0.05: no training poem would be left; " +
      "use a larger limit or valFraction 0",
    ],
  ];
  for (const [options, name, message] of cases) {
    await assert.rejects(() => loadPoems(options as PoemOptions), { name, message });
  }
});

Deno.test("options set to undefined mean the defaults", async () => {
  const c = await loadPoems({ seed: undefined, lineLength: undefined, limit: undefined });
  assert.deepEqual(c.val, corpus.val);
  assert.equal(c.options.seed, 1337);
});
