/**
 * Chinese numerals (中文数字) for 0 to 99,999,999: one canonical reading per number, a strict parser back to digits,
 * and a seeded dataset for the encoder-decoder of notebook 09 (一千零二十四 ↔ 1024).
 *
 * ## The rules of the canonical reading
 *
 * Digits 零一二三四五六七八九; units 十 (10), 百 (100), 千 (1000) inside a group of four digits; 万 (10⁴) after
 * the upper group. A number is split into its upper group (the 万s, 0–9999) and its lower group (0–9999).
 *
 * 1. **A group** reads its digits from the highest non-zero one, each non-zero digit followed by its unit:
 *    1234 一千二百三十四. Zeros at the end of a group are not read: 1200 一千二百, 1000 一千.
 * 2. **Interior zeros**: a run of zeros between two non-zero digits of a group is read as one 零, however long:
 *    101 一百零一, 1001 一千零一, 1010 一千零一十.
 * 3. **Across 万**: the upper group is read, then 万, then the lower group. When the lower group is not zero but
 *    below 1000 (its thousands digit is zero), one 零 stands between them: 10001 一万零一, 10010 一万零一十,
 *    100100 十万零一百. When the lower group is zero nothing follows 万: 10000 一万. Zeros at the end of the upper
 *    group are silent, like any trailing zeros: 10001000 一千万一千 (no 零 although zeros sit between the ones).
 * 4. **十 at the start**: a reading that would begin with 一十 begins with 十 — 10 十, 15 十五, 100000 十万,
 *    150000 十五万 — and only there: 115 一百一十五, 10015 一万零一十五, 1100000 一百一十万.
 * 5. **二, never 两**: everyday speech says 两 before 百, 千 and 万 (两千, 两万); the canonical form uses 二
 *    everywhere (二千, 二万), so that every digit has one character. The parser rejects 两 and says so.
 * 6. **Zero** is 零. The range stops at 99,999,999 (九千九百九十九万九千九百九十九): 一亿 (10⁸) is out of range.
 *
 * @module
 */
import { type Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** The largest number with a reading here: 99,999,999. */
export const MAX_NUMERAL = 99_999_999;

const DIGITS = "零一二三四五六七八九";
const UNITS = ["", "十", "百", "千"];

/**
 * The canonical Chinese reading of a number (the rules are in the module doc).
 *
 * @param n An integer in [0, 99,999,999].
 * @returns Its reading, e.g. 一千零二十四 for 1024.
 * @throws {RangeError} When `n` is not an integer in range.
 * @example
 * ```ts
 * import { toChineseNumeral } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * assert.equal(toChineseNumeral(1024), "一千零二十四");
 * assert.equal(toChineseNumeral(15), "十五");
 * assert.equal(toChineseNumeral(10010), "一万零一十");
 * ```
 */
export function toChineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > MAX_NUMERAL) {
    throw new RangeError(
      `Cannot read a number in Chinese as it must be an integer in [0, ${MAX_NUMERAL}]: current value is ${n}`,
    );
  }
  if (n === 0) return "零";
  const high = Math.floor(n / 10000), low = n % 10000;
  let out = "";
  if (high > 0) {
    out = readGroup(high) + "万";
    if (low > 0) out += (low < 1000 ? "零" : "") + readGroup(low);
  } else out = readGroup(low);
  return out.startsWith("一十") ? out.slice(1) : out;
}

/** Reads 1–9999: non-zero digits with their units, one 零 for each interior run of zeros, trailing zeros silent. */
function readGroup(g: number): string {
  let out = "", zero = false;
  for (let p = 3; p >= 0; p--) {
    const d = Math.floor(g / 10 ** p) % 10;
    if (d === 0) {
      zero = out !== ""; // a zero after some digit: read as 零 if a non-zero digit follows
      continue;
    }
    if (zero) out += "零";
    out += DIGITS[d] + UNITS[p];
    zero = false;
  }
  return out;
}

/**
 * Reads a Chinese numeral back to its number. Only the canonical form is accepted, so that every number has one
 * reading: 一十五, 两千, 一千一 or 一千零零一 are rejected with the canonical reading in the message.
 *
 * @param text A reading made of 零一二三四五六七八九十百千万.
 * @returns The number.
 * @throws {RangeError} For a character outside the numerals (with its position; 亿 is named as out of range), a
 *   string that is no numeral, or a numeral that is not canonical.
 * @example
 * ```ts
 * import { parseChineseNumeral } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseChineseNumeral("一千零二十四"), 1024);
 * assert.throws(() => parseChineseNumeral("一十五"), /canonical reading of 15 is "十五"/);
 * ```
 */
export function parseChineseNumeral(text: string): number {
  if (typeof text !== "string" || text.length === 0) {
    throw new RangeError(
      `Cannot parse a Chinese numeral as it must be a non-empty string: current value is ${JSON.stringify(text)}`,
    );
  }
  const chars = [...text];
  chars.forEach((c, i) => {
    if (c === "亿") {
      throw new RangeError(
        `Cannot parse "${text}" as 亿 (10^8) is out of range: readings go up to 九千九百九十九万九千九百九十九 ` +
          `(${MAX_NUMERAL})`,
      );
    }
    if (c === "两") {
      throw new RangeError(
        `Cannot parse "${text}" as the canonical form writes 二, never 两: character ${i} is 两`,
      );
    }
    if (!(DIGITS + "十百千万").includes(c)) {
      throw new RangeError(
        `Cannot parse "${text}" as character ${i} ("${c}") is not one of 零一二三四五六七八九十百千万`,
      );
    }
  });
  const n = looseValue(chars, text);
  const canonical = toChineseNumeral(n);
  if (canonical !== text) {
    throw new RangeError(
      `Cannot parse "${text}" as it is not in canonical form: the canonical reading of ${n} is "${canonical}"`,
    );
  }
  return n;
}

/** The value of a reading that follows the place structure, canonical or not (零 skipped, a leading 十 = 一十). */
function looseValue(chars: string[], text: string): number {
  const wan = chars.indexOf("万");
  if (wan !== chars.lastIndexOf("万")) {
    throw new RangeError(`Cannot parse "${text}" as 万 may appear only once below 亿`);
  }
  if (wan === 0) throw new RangeError(`Cannot parse "${text}" as 万 must follow a number of 万s`);
  if (wan < 0) return groupValue(chars, text);
  const high = groupValue(chars.slice(0, wan), text);
  const lower = chars.slice(wan + 1);
  if (lower.length === 1 && lower[0] !== "零") {
    throw new RangeError(
      `Cannot parse "${text}" as a digit after 万 needs its unit or a 零 (${text}千 or ${
        chars.slice(0, wan + 1).join("")
      }` +
        `零${lower[0]}): the spoken shorthand is not canonical`,
    );
  }
  const low = wan === chars.length - 1 ? 0 : groupValue(lower, text);
  return high * 10000 + low;
}

function groupValue(chars: string[], text: string): number {
  let total = 0, digit = -1, lastUnit = 4, zeroBefore = false;
  for (const c of chars) {
    const d = DIGITS.indexOf(c);
    if (d === 0) {
      if (digit > 0) throw new RangeError(`Cannot parse "${text}" as a digit is followed by 零 instead of a unit`);
      zeroBefore = true;
      continue;
    }
    if (d > 0) {
      if (digit > 0) throw new RangeError(`Cannot parse "${text}" as two digits follow each other without a unit`);
      digit = d;
      continue;
    }
    const p = UNITS.indexOf(c);
    if (p >= lastUnit) {
      throw new RangeError(`Cannot parse "${text}" as the units must decrease (千, 百, 十) within a group of four`);
    }
    if (digit < 0) {
      if (c !== "十" || total !== 0) throw new RangeError(`Cannot parse "${text}" as ${c} needs a digit before it`);
      digit = 1;
    }
    total += digit * 10 ** p;
    digit = -1;
    lastUnit = p;
    zeroBefore = false;
  }
  if (digit > 0) {
    if (lastUnit >= 2 && lastUnit < 4 && !zeroBefore) {
      const head = text.slice(0, -1);
      throw new RangeError(
        `Cannot parse "${text}" as the digit after ${UNITS[lastUnit]} needs its unit or a 零 (${text}${
          UNITS[lastUnit - 1]
        } or ${head}零${DIGITS[digit]}): the spoken shorthand is not canonical`,
      );
    }
    total += digit;
  }
  return total;
}

/** Where the zeros of a number are, as they show in its reading. */
export type ZeroPattern = "none" | "trailing" | "ling" | "silent";

/**
 * The zero pattern of a number: `"none"` (no zero digit; 0 itself counts here), `"trailing"` (zeros only at the end:
 * 1200, no 零 read), `"ling"` (the reading has a 零: 1001, 10010) or `"silent"` (zeros between non-zero digits that
 * the reading does not say: 10001000 一千万一千).
 *
 * @param n An integer in [0, 99,999,999].
 * @returns The pattern.
 * @throws {RangeError} As {@link toChineseNumeral}.
 * @example
 * ```ts
 * import { zeroPattern } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([15, 1200, 1001, 10001000].map(zeroPattern), ["none", "trailing", "ling", "silent"]);
 * ```
 */
export function zeroPattern(n: number): ZeroPattern {
  const reading = toChineseNumeral(n);
  if (n === 0) return "none";
  if (reading.includes("零")) return "ling";
  const digits = String(n);
  if (!digits.includes("0")) return "none";
  return /^[1-9]+0+$/.test(digits) ? "trailing" : "silent";
}

/** Direction token put before a Chinese reading whose digits are wanted (一千零二十四 → 1024). */
export const TO_DIGITS_TOKEN = "<|digits|>";
/** Direction token put before digits whose Chinese reading is wanted (1024 → 一千零二十四). */
export const TO_CHINESE_TOKEN = "<|chinese|>";

/** One translation example. */
export interface NumeralExample {
  /** The number. */
  number: number;
  /** `"toDigits"` (source Chinese, target digits) or `"toChinese"`. */
  direction: "toDigits" | "toChinese";
  /** The direction token followed by the input, e.g. `<|digits|>一千零二十四`. */
  source: string;
  /** The wanted output, e.g. `1024`. */
  target: string;
  /** Digits of the number (1–8). */
  digitCount: number;
  /** Its {@link ZeroPattern}. */
  zeroPattern: ZeroPattern;
}

/** Options of {@link numeralDataset}. */
export interface NumeralDatasetOptions {
  /** Training numbers, each giving one example per direction (default 20000). */
  train?: number;
  /** Validation numbers, stratified like the test set (default 400). */
  valid?: number;
  /** Test numbers, stratified by digit count and zero pattern (default 1000). */
  test?: number;
  /** Seed or generator (default 1337). */
  seed?: number | Prng;
}

/** The three splits; no number appears in two of them. */
export interface NumeralDataset {
  train: NumeralExample[];
  valid: NumeralExample[];
  test: NumeralExample[];
}

/** The share of a small stratum (e.g. the 9 one-digit numbers) that may be held out, so training still sees it. */
const MAX_HELD_OUT_SHARE = 0.25;

/**
 * A seeded dataset of numbers and readings in both directions. Validation and test numbers are held out (never in
 * training, in either direction) and stratified: the same number of numbers for every digit count (1–8) and zero
 * pattern that exists at that length, so that 零 cases are not drowned by the 90% of numbers that have 8 digits.
 * Small strata give at most a quarter of their numbers to the held-out splits. The training numbers are drawn the
 * same stratified way from what is left (0 is always in training), so every length and pattern is learned.
 *
 * @param options Split sizes (in numbers; each number gives two examples) and seed.
 * @returns train, valid and test examples, ordered by a seeded shuffle.
 * @throws {RangeError} When a size is not a positive integer, or the splits ask for more numbers than exist.
 * @example
 * ```ts
 * import { numeralDataset } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * const data = numeralDataset({ train: 200, valid: 40, test: 80, seed: 1 });
 * assert.equal(data.train.length, 400);
 * const seen = new Set(data.train.map((e) => e.number));
 * assert.ok(data.test.every((e) => !seen.has(e.number)));
 * ```
 */
export function numeralDataset(options: NumeralDatasetOptions = {}): NumeralDataset {
  const { train = 20000, valid = 400, test = 1000 } = options;
  for (const [name, v] of [["train", train], ["valid", valid], ["test", test]] as const) {
    checkPositiveInteger(v, name, "build the numeral dataset");
  }
  const rng = toPrng(options.seed ?? SEED);
  const used = new Set<number>([0]);
  const testNumbers = stratifiedSample(test, rng, used, MAX_HELD_OUT_SHARE);
  const validNumbers = stratifiedSample(valid, rng, used, MAX_HELD_OUT_SHARE);
  const trainNumbers = [0, ...stratifiedSample(train - 1, rng, used, 1)];
  const examples = (numbers: number[]) =>
    rng.shuffle(numbers.flatMap((n) => [example(n, "toDigits"), example(n, "toChinese")]));
  return { train: examples(trainNumbers), valid: examples(validNumbers), test: examples(testNumbers) };
}

/**
 * The two examples of a number, or one direction.
 *
 * @param n An integer in [0, 99,999,999].
 * @param direction `"toDigits"` or `"toChinese"`.
 * @returns The example with its direction token, digit count and zero pattern.
 * @throws {RangeError} For a number out of range or an unknown direction.
 * @example
 * ```ts
 * import { numeralExample } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * assert.equal(numeralExample(1024, "toDigits").source, "<|digits|>一千零二十四");
 * assert.equal(numeralExample(1024, "toChinese").target, "一千零二十四");
 * ```
 */
export function numeralExample(n: number, direction: "toDigits" | "toChinese"): NumeralExample {
  return example(n, direction);
}

function example(n: number, direction: "toDigits" | "toChinese"): NumeralExample {
  if (direction !== "toDigits" && direction !== "toChinese") {
    throw new RangeError(
      `Cannot make a numeral example as direction must be "toDigits" or "toChinese": current value is ${
        JSON.stringify(direction)
      }`,
    );
  }
  const chinese = toChineseNumeral(n), digits = String(n);
  return {
    number: n,
    direction,
    source: direction === "toDigits" ? TO_DIGITS_TOKEN + chinese : TO_CHINESE_TOKEN + digits,
    target: direction === "toDigits" ? digits : chinese,
    digitCount: digits.length,
    zeroPattern: zeroPattern(n),
  };
}

/** A stratum of the numbers: a digit count, a zero pattern and how many numbers it holds. */
export interface NumeralStratum {
  digits: number;
  pattern: ZeroPattern;
  size: number;
}

const STRATA: readonly NumeralStratum[] = (() => {
  const out: NumeralStratum[] = [];
  const sum9 = (k: number) => (9 ** (k + 1) - 9) / 8; // 9 + 9² + … + 9^k
  for (let d = 1; d <= 8; d++) {
    const counts: Record<ZeroPattern, number> = { none: 0, trailing: 0, ling: 0, silent: 0 };
    if (d <= 4) { for (let n = 10 ** (d - 1); n < 10 ** d; n++) counts[zeroPattern(n)]++; }
    else {
      counts.none = 9 ** d; // no zero digit
      counts.trailing = sum9(d - 1); // h non-zero digits, then zeros (h = 1 … d − 1)
      // upper group: non-zero head then zeros; lower group: non-zero thousands, zeros only at the end (7380 ways)
      counts.silent = d >= 6 ? sum9(d - 5) * sum9(4) : 0;
      counts.ling = 9 * 10 ** (d - 1) - counts.none - counts.trailing - counts.silent;
    }
    for (const pattern of ["none", "trailing", "ling", "silent"] as const) {
      if (counts[pattern] > 0) out.push(Object.freeze({ digits: d, pattern, size: counts[pattern] }));
    }
  }
  return Object.freeze(out);
})();

/**
 * The strata of 1 to 99,999,999 by digit count and zero pattern, with their sizes: what {@link numeralDataset}
 * balances. Silent zeros need a 万 group ending in zero followed by a lower group of four digits, so they start at
 * 6 digits; 24 strata in all.
 *
 * @returns The strata, shortest numbers first.
 * @example
 * ```ts
 * import { numeralStrata } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * const strata = numeralStrata();
 * assert.equal(strata.length, 24);
 * assert.equal(strata.reduce((n, s) => n + s.size, 0), 99_999_999);
 * ```
 */
export function numeralStrata(): readonly NumeralStratum[] {
  return STRATA;
}

/** Draws `total` numbers not in `used`, spread evenly over the strata (small ones capped at `share` of their size). */
function stratifiedSample(total: number, rng: Prng, used: Set<number>, share: number): number[] {
  const quota = new Map<string, number>();
  const key = (d: number, p: ZeroPattern) => `${d}/${p}`;
  // A small stratum gives at most `share` of its numbers to this and the earlier calls together.
  const taken = new Map<string, number>();
  for (const n of used) {
    taken.set(key(String(n).length, zeroPattern(n)), (taken.get(key(String(n).length, zeroPattern(n))) ?? 0) + 1);
  }
  const caps = STRATA.map((s) => Math.max(0, Math.floor(s.size * share) - (taken.get(key(s.digits, s.pattern)) ?? 0)));
  const capacity = caps.reduce((a, b) => a + b, 0);
  if (capacity < total) {
    throw new RangeError(
      `Cannot build the numeral dataset as a split asks for ${total} numbers and the strata have room for ${capacity}`,
    );
  }
  // Hand the quota out one number at a time to the strata that still have room: an even spread.
  let left = total;
  for (let progress = true; left > 0 && progress;) {
    progress = false;
    STRATA.forEach((s, i) => {
      const k = key(s.digits, s.pattern);
      if (left > 0 && (quota.get(k) ?? 0) < caps[i]) {
        quota.set(k, (quota.get(k) ?? 0) + 1);
        left--;
        progress = true;
      }
    });
  }
  const out: number[] = [];
  for (const s of STRATA) {
    const want = quota.get(key(s.digits, s.pattern)) ?? 0;
    if (want === 0) continue;
    if (s.digits <= 4) {
      const pool: number[] = [];
      for (let n = 10 ** (s.digits - 1); n < 10 ** s.digits; n++) {
        if (!used.has(n) && zeroPattern(n) === s.pattern) pool.push(n);
      }
      for (const n of rng.shuffle(pool).slice(0, want)) {
        used.add(n);
        out.push(n);
      }
      continue;
    }
    for (let got = 0; got < want;) {
      const n = drawNumber(s.digits, s.pattern, rng);
      if (used.has(n) || zeroPattern(n) !== s.pattern) continue;
      used.add(n);
      out.push(n);
      got++;
    }
  }
  return out;
}

/** A random d-digit number aimed at a zero pattern (the caller checks the pattern and rejects misses). */
function drawNumber(d: number, pattern: ZeroPattern, rng: Prng): number {
  const digits = [1 + rng.int(9)];
  if (pattern === "none") { for (let i = 1; i < d; i++) digits.push(1 + rng.int(9)); }
  else if (pattern === "trailing") {
    const head = 1 + rng.int(d - 1); // non-zero digits before the zeros
    for (let i = 1; i < d; i++) digits.push(i < head ? 1 + rng.int(9) : 0);
  } else if (pattern === "silent") {
    // upper group: non-zero digits then at least one zero; lower group: non-zero thousands, zeros only at the end
    const upper = d - 4, head = 1 + rng.int(upper - 1), lowHead = 1 + rng.int(4);
    for (let i = 1; i < d; i++) {
      const nonZero = i < upper ? i < head : i - upper < lowHead;
      digits.push(nonZero ? 1 + rng.int(9) : 0);
    }
  } else {
    for (let i = 1; i < d - 1; i++) digits.push(rng.next() < 0.5 ? 0 : 1 + rng.int(9));
    digits.push(rng.next() < 0.3 ? 0 : 1 + rng.int(9));
  }
  return Number(digits.join(""));
}

/**
 * Every token of the numeral pairs, in id order: padding, the decoder's start and end, the two direction tokens,
 * the ten digits and the fourteen characters of the readings (零一二三四五六七八九十百千万). lib/text's
 * `new CharTokenizer(NUMERAL_VOCABULARY, { unk: null })` encodes every source and target of {@link numeralDataset}.
 *
 * @example
 * ```ts
 * import { NUMERAL_VOCABULARY } from "@lib/data/numerals.ts";
 * import assert from "node:assert/strict";
 * assert.equal(NUMERAL_VOCABULARY.length, 29);
 * assert.deepEqual(NUMERAL_VOCABULARY.slice(0, 3), ["<pad>", "<bos>", "<eos>"]);
 * ```
 */
export const NUMERAL_VOCABULARY: readonly string[] = Object.freeze([
  "<pad>",
  "<bos>",
  "<eos>",
  TO_DIGITS_TOKEN,
  TO_CHINESE_TOKEN,
  ..."0123456789",
  ...DIGITS,
  "十",
  "百",
  "千",
  "万",
]);
