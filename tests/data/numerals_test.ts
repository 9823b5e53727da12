import assert from "node:assert/strict";
import fc from "fast-check";
import {
  MAX_NUMERAL,
  NUMERAL_VOCABULARY,
  numeralDataset,
  numeralExample,
  numeralStrata,
  parseChineseNumeral,
  TO_CHINESE_TOKEN,
  TO_DIGITS_TOKEN,
  toChineseNumeral,
  zeroPattern,
} from "@lib/data/mod.ts";

/** Readings checked by hand against the rules of the module doc. */
const TABLE: [number, string][] = [
  [0, "零"],
  [1, "一"],
  [2, "二"],
  [10, "十"],
  [11, "十一"],
  [15, "十五"],
  [20, "二十"],
  [99, "九十九"],
  [100, "一百"],
  [101, "一百零一"],
  [110, "一百一十"],
  [115, "一百一十五"],
  [200, "二百"],
  [1000, "一千"],
  [1001, "一千零一"],
  [1010, "一千零一十"],
  [1024, "一千零二十四"],
  [1100, "一千一百"],
  [2222, "二千二百二十二"],
  [10000, "一万"],
  [10001, "一万零一"],
  [10010, "一万零一十"],
  [10015, "一万零一十五"],
  [10100, "一万零一百"],
  [11000, "一万一千"],
  [20000, "二万"],
  [100000, "十万"],
  [100100, "十万零一百"],
  [101000, "十万一千"],
  [110000, "十一万"],
  [150000, "十五万"],
  [1000000, "一百万"],
  [1000100, "一百万零一百"],
  [1001000, "一百万一千"],
  [1100000, "一百一十万"],
  [10000000, "一千万"],
  [10000001, "一千万零一"],
  [10001000, "一千万一千"],
  [10101010, "一千零一十万一千零一十"],
  [20000000, "二千万"],
  [99999999, "九千九百九十九万九千九百九十九"],
];

Deno.test("toChineseNumeral matches the hand-checked table, and parseChineseNumeral reads it back", () => {
  for (const [n, reading] of TABLE) {
    assert.equal(toChineseNumeral(n), reading, `${n}`);
    assert.equal(parseChineseNumeral(reading), n, reading);
  }
  assert.equal(MAX_NUMERAL, 99_999_999);
});

Deno.test("round trip on random numbers of every length (fast-check)", () => {
  const anyLength = fc.integer({ min: 1, max: 8 }).chain((d) =>
    fc.integer({ min: d === 1 ? 0 : 10 ** (d - 1), max: 10 ** d - 1 })
  );
  // Numbers with many zeros: each digit zero with probability ~1/2.
  const zeroHeavy = fc.array(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })), { minLength: 1, maxLength: 8 })
    .map((ds) => Number(ds.join("")));
  for (const arb of [anyLength, zeroHeavy]) {
    fc.assert(
      fc.property(arb, (n) => {
        const reading = toChineseNumeral(n);
        assert.equal(parseChineseNumeral(reading), n);
        assert.ok(!reading.includes("零零"), "one 零 for a run of zeros");
        assert.ok(n === 0 || !reading.endsWith("零"), "trailing zeros are silent");
        assert.ok(!reading.includes("两"));
      }),
      { numRuns: 2000, seed: 1337 },
    );
  }
});

Deno.test("every number up to 10^5 has a distinct reading that parses back (exhaustive)", () => {
  const seen = new Set<string>();
  for (let n = 0; n <= 100_000; n++) {
    const reading = toChineseNumeral(n);
    assert.ok(!seen.has(reading), reading);
    seen.add(reading);
    if (parseChineseNumeral(reading) !== n) assert.fail(`${n} → ${reading} → ${parseChineseNumeral(reading)}`);
  }
});

Deno.test("zeroPattern sorts numbers by how their zeros are read", () => {
  assert.deepEqual(
    [0, 7, 15, 10, 1200, 150000, 101, 10010, 100100, 101000, 1001000, 10001000].map(zeroPattern),
    ["none", "none", "none", "trailing", "trailing", "trailing", "ling", "ling", "ling", "silent", "silent", "silent"],
  );
});

Deno.test("toChineseNumeral rejects numbers out of range", () => {
  for (const bad of [-1, 1.5, 100_000_000, NaN]) {
    assert.throws(() => toChineseNumeral(bad), {
      name: "RangeError",
      message: `Cannot read a number in Chinese as it must be an integer in [0, 99999999]: current value is ${bad}`,
    });
  }
});

Deno.test("parseChineseNumeral rejects non-canonical and malformed readings with a clear message", () => {
  const cases: [string, string][] = [
    ["一十五", 'Cannot parse "一十五" as it is not in canonical form: the canonical reading of 15 is "十五"'],
    ["一十万", 'Cannot parse "一十万" as it is not in canonical form: the canonical reading of 100000 is "十万"'],
    [
      "一千零零一",
      'Cannot parse "一千零零一" as it is not in canonical form: the canonical reading of 1001 is "一千零一"',
    ],
    [
      "一万一十",
      'Cannot parse "一万一十" as it is not in canonical form: the canonical reading of 10010 is "一万零一十"',
    ],
    ["五十零", 'Cannot parse "五十零" as it is not in canonical form: the canonical reading of 50 is "五十"'],
    ["零五", 'Cannot parse "零五" as it is not in canonical form: the canonical reading of 5 is "五"'],
    ["两千", 'Cannot parse "两千" as the canonical form writes 二, never 两: character 0 is 两'],
    [
      "一亿",
      'Cannot parse "一亿" as 亿 (10^8) is out of range: readings go up to 九千九百九十九万九千九百九十九 (99999999)',
    ],
    [
      "一千一",
      'Cannot parse "一千一" as the digit after 千 needs its unit or a 零 (一千一百 or 一千零一): the spoken shorthand ' +
      "is not canonical",
    ],
    [
      "一万五",
      'Cannot parse "一万五" as a digit after 万 needs its unit or a 零 (一万五千 or 一万零五): the spoken shorthand ' +
      "is not canonical",
    ],
    ["1024", 'Cannot parse "1024" as character 0 ("1") is not one of 零一二三四五六七八九十百千万'],
    ["十十", 'Cannot parse "十十" as the units must decrease (千, 百, 十) within a group of four'],
    ["百", 'Cannot parse "百" as 百 needs a digit before it'],
    ["三五", 'Cannot parse "三五" as two digits follow each other without a unit'],
    ["一万万", 'Cannot parse "一万万" as 万 may appear only once below 亿'],
    ["万", 'Cannot parse "万" as 万 must follow a number of 万s'],
    ["", 'Cannot parse a Chinese numeral as it must be a non-empty string: current value is ""'],
  ];
  for (const [text, message] of cases) assert.throws(() => parseChineseNumeral(text), { name: "RangeError", message });
});

Deno.test("numeralExample: both directions with their direction token", () => {
  assert.deepEqual(numeralExample(1024, "toDigits"), {
    number: 1024,
    direction: "toDigits",
    source: TO_DIGITS_TOKEN + "一千零二十四",
    target: "1024",
    digitCount: 4,
    zeroPattern: "ling",
  });
  assert.equal(numeralExample(10, "toChinese").source, `${TO_CHINESE_TOKEN}10`);
  assert.equal(numeralExample(10, "toChinese").target, "十");
  assert.throws(() => numeralExample(1, "both" as never), {
    message: 'Cannot make a numeral example as direction must be "toDigits" or "toChinese": current value is "both"',
  });
});

Deno.test("numeralDataset: held-out numbers never appear in training, in either direction", () => {
  const data = numeralDataset({ train: 5000, valid: 300, test: 600, seed: 3 });
  const numbers = (xs: { number: number }[]) => new Set(xs.map((e) => e.number));
  const train = numbers(data.train), valid = numbers(data.valid), test = numbers(data.test);
  assert.deepEqual([train.size, valid.size, test.size], [5000, 300, 600]);
  for (const n of test) assert.ok(!train.has(n) && !valid.has(n), `${n}`);
  for (const n of valid) assert.ok(!train.has(n), `${n}`);
  assert.ok(train.has(0), "0 is always trained on");
  for (const split of [data.train, data.valid, data.test]) {
    assert.equal(split.length, 2 * numbers(split).size, "two directions per number");
    assert.equal(split.filter((e) => e.direction === "toDigits").length, split.length / 2);
    for (const e of split.slice(0, 50)) {
      const input = e.source.replace(TO_DIGITS_TOKEN, "").replace(TO_CHINESE_TOKEN, "");
      if (e.direction === "toDigits") assert.equal(parseChineseNumeral(input), Number(e.target));
      else assert.equal(toChineseNumeral(Number(input)), e.target);
    }
  }
  assert.deepEqual(
    numeralDataset({ train: 300, valid: 30, test: 60, seed: 9 }),
    numeralDataset({ train: 300, valid: 30, test: 60, seed: 9 }),
  );
});

Deno.test("numeralDataset: the test set is stratified by digit count and zero pattern", () => {
  const data = numeralDataset({ train: 2000, valid: 200, test: 1000, seed: 1337 });
  const cells = new Map<string, number>();
  for (const e of data.test) {
    if (e.direction === "toDigits") {
      cells.set(`${e.digitCount}/${e.zeroPattern}`, (cells.get(`${e.digitCount}/${e.zeroPattern}`) ?? 0) + 1);
    }
  }
  // 24 strata exist (silent zeros from 6 digits on); the big ones (4 digits and up) get equal shares.
  assert.equal(cells.size, 24);
  const big = [...cells].filter(([k]) => Number(k.split("/")[0]) >= 4).map(([, v]) => v);
  assert.ok(Math.max(...big) - Math.min(...big) <= 1, `${[...cells]}`);
  const byLength = (d: number) => [...cells].filter(([k]) => k.startsWith(`${d}/`)).reduce((s, [, v]) => s + v, 0);
  assert.ok(byLength(8) < 0.2 * 1000, `8-digit share ${byLength(8)} (uniform sampling would give ~900)`);
  const ling = data.test.filter((e) => e.zeroPattern === "ling").length / data.test.length;
  assert.ok(ling > 0.2, `零 share ${ling}`);
  // Small strata give at most a quarter of their numbers: 2 of the 9 one-digit numbers 1–9 (0 counts as taken).
  assert.equal(cells.get("1/none"), 1);
  assert.equal(cells.get("2/trailing"), 2);
  assert.equal([...cells.values()].reduce((a, b) => a + b, 0), 1000);
  assert.ok(Math.max(...cells.values()) <= 50, "what the small strata cannot take is spread over the others");
});

Deno.test("numeralStrata: the sizes add up and match a count of every 5- and 6-digit number", () => {
  const strata = numeralStrata();
  assert.equal(strata.reduce((n, s) => n + s.size, 0), 99_999_999);
  for (const d of [5, 6]) {
    const counts: Record<string, number> = {};
    for (let n = 10 ** (d - 1); n < 10 ** d; n++) counts[zeroPattern(n)] = (counts[zeroPattern(n)] ?? 0) + 1;
    const sizes = Object.fromEntries(strata.filter((s) => s.digits === d).map((s) => [s.pattern, s.size]));
    assert.deepEqual(sizes, counts, `${d} digits`);
  }
  assert.deepEqual(strata.filter((s) => s.pattern === "silent").map((s) => s.digits), [6, 7, 8]);
});

Deno.test("numeralDataset rejects bad sizes", () => {
  assert.throws(() => numeralDataset({ test: 100_000_000 }), {
    message: "Cannot build the numeral dataset as a split asks for 100000000 numbers and the strata have room for " +
      "24999992",
  });
  assert.throws(() => numeralDataset({ test: 0 }), {
    message: "Cannot build the numeral dataset as test must be a positive integer: current value is 0",
  });
});

Deno.test("NUMERAL_VOCABULARY holds every character of every source and target, once", () => {
  const vocab = new Set(NUMERAL_VOCABULARY);
  assert.equal(vocab.size, NUMERAL_VOCABULARY.length);
  const data = numeralDataset({ train: 300, valid: 50, test: 100, seed: 4 });
  for (const e of [...data.train, ...data.valid, ...data.test]) {
    const source = e.source.slice(
      e.source.startsWith(TO_DIGITS_TOKEN) ? TO_DIGITS_TOKEN.length : TO_CHINESE_TOKEN.length,
    );
    for (const ch of source + e.target) assert.ok(vocab.has(ch), `${ch} of ${e.source}`);
  }
  assert.ok(vocab.has(TO_DIGITS_TOKEN) && vocab.has(TO_CHINESE_TOKEN));
});
