/**
 * Rhyme (押韵) by modern Mandarin pinyin: two characters rhyme when their finals (韵母) agree once the medial
 * (介音 i, u, ü) is dropped. Pinyin from `pinyin-pro`, read in the context of the whole line (polyphones such as 还
 * get the reading the line suggests), tones ignored.
 *
 * From a syllable to its rhyme key:
 *
 * 1. The initial is removed (b p m f d t n l g k h j q x zh ch sh r z c s); y and w are spelling, not initials,
 *    and are undone: yi → i, ya → ia, you → iou, yu → ü, yue → üe, yun → ün, wu → u, wei → uei, wen → uen.
 *    After j, q, x the written u is ü (ju → ü, jun → ün).
 * 2. Written abbreviations are expanded to the finals they stand for: iu → iou, ui → uei, un → uen; also in → ien,
 *    ing → ieng, ün → üen, ong → ueng, iong → üeng, so that, as in the traditional 十三辙, 人 ren rhymes with 新 xin
 *    and 灯 deng with 星 xing and 风 feng.
 * 3. A medial i, u or ü is dropped when more follows: uang, iang → ang (霜 shuang and 乡 xiang rhyme), iou → ou (流 liu
 *    and 楼 lou rhyme), ia, ua → a (家 jia and 花 hua rhyme). A final that is only i, u or ü keeps it.
 *
 * | key | finals |
 * |-----|--------|
 * | a | a ia ua |
 * | o | o uo |
 * | e | e ie üe |
 * | ai | ai uai |
 * | ei | ei uei (ui) |
 * | ao | ao iao |
 * | ou | ou iou (iu) |
 * | an | an ian uan üan |
 * | en | en uen (un) in ün |
 * | ang | ang iang uang |
 * | eng | eng ueng ing ong iong |
 * | i, u, ü, er | themselves (zhi chi shi ri zi ci si count as i) |
 *
 * Modern Mandarin is not Tang Chinese: some rhymes of the poets are lost. 斜 was read like 霞 in the Tang and
 * rhymed with 家 and 花; today it is xie (key e), which does not rhyme with jia, hua (key a). The rule also merges
 * e with ie, üe (歌 and 月), which the 十三辙 keeps apart. See {@link rhymeRate} for how often real quatrains pass.
 *
 * @module
 */
import { pinyin } from "pinyin-pro";

const INITIALS = [
  "zh",
  "ch",
  "sh",
  "b",
  "p",
  "m",
  "f",
  "d",
  "t",
  "n",
  "l",
  "g",
  "k",
  "h",
  "j",
  "q",
  "x",
  "r",
  "z",
  "c",
  "s",
];
const Y_SPELLING: Record<string, string> = {
  yi: "i",
  ya: "ia",
  yo: "io",
  ye: "ie",
  yai: "iai",
  yao: "iao",
  you: "iou",
  yan: "ian",
  yin: "in",
  yang: "iang",
  ying: "ing",
  yong: "iong",
  yu: "ü",
  yue: "üe",
  yuan: "üan",
  yun: "ün",
};
const W_SPELLING: Record<string, string> = {
  wu: "u",
  wa: "ua",
  wo: "uo",
  wai: "uai",
  wei: "uei",
  wan: "uan",
  wen: "uen",
  wang: "uang",
  weng: "ueng",
};
/** Syllables without a vowel (interjections such as 嗯 ng): their own final. */
const NASALS = new Set(["m", "n", "ng", "hm", "hng"]);
const EXPAND: Record<string, string> = {
  iu: "iou",
  ui: "uei",
  un: "uen",
  in: "ien",
  ing: "ieng",
  "ün": "üen",
  ong: "ueng",
  iong: "üeng",
};

/**
 * The final (韵母) of a pinyin syllable, with y/w spelling undone and abbreviations expanded (steps 1–2 above).
 *
 * @param syllable A toneless pinyin syllable, e.g. "shuang", "liu", "yun", "nü" or "nv".
 * @returns The full final: "uang", "iou", "üen", "ü".
 * @throws {RangeError} When the syllable is not lowercase pinyin letters.
 * @example
 * ```ts
 * import { pinyinFinal } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(["shuang", "xiang", "liu", "gui", "jun", "wen"].map(pinyinFinal), ["uang", "iang", "iou", "uei", "üen", "uen"]);
 * ```
 */
export function pinyinFinal(syllable: string): string {
  if (typeof syllable !== "string" || !/^[a-zü]+$/.test(syllable.replaceAll("v", "ü"))) {
    throw new RangeError(
      `Cannot find the final of a pinyin syllable as it must be lowercase toneless pinyin: current value is ${
        JSON.stringify(syllable)
      }`,
    );
  }
  const s = syllable.replaceAll("v", "ü");
  let final: string;
  if (NASALS.has(s)) final = s;
  else if (s.startsWith("y")) final = Y_SPELLING[s] ?? s.slice(1);
  else if (s.startsWith("w")) final = W_SPELLING[s] ?? s.slice(1);
  else {
    const initial = INITIALS.find((i) => s.startsWith(i) && s.length > i.length) ?? "";
    final = s.slice(initial.length);
    if (["j", "q", "x"].includes(initial) && final.startsWith("u")) final = "ü" + final.slice(1);
  }
  return EXPAND[final] ?? final;
}

/**
 * The rhyme key of a pinyin syllable: its final with the medial dropped (see the module doc's table).
 *
 * @param syllable A toneless pinyin syllable.
 * @returns The key, e.g. "ang" for both "shuang" and "xiang".
 * @throws {RangeError} As {@link pinyinFinal}.
 * @example
 * ```ts
 * import { rhymeKey } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(rhymeKey("shuang"), rhymeKey("xiang"));
 * assert.notEqual(rhymeKey("xie"), rhymeKey("jia"));
 * ```
 */
export function rhymeKey(syllable: string): string {
  const final = pinyinFinal(syllable);
  return final.length > 1 && "iuü".includes(final[0]) ? final.slice(1) : final;
}

/**
 * The rhyme key of the last character of a line, read with the whole line as context.
 *
 * @param line A line of Han characters, e.g. 疑是地上霜.
 * @returns The key of its last character, or null when the line does not end in a Han character.
 * @throws {TypeError} When `line` is not a string.
 * @example
 * ```ts
 * import { lineRhyme } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lineRhyme("疑是地上霜"), "ang");
 * assert.equal(lineRhyme("低头思故乡"), "ang");
 * ```
 */
export function lineRhyme(line: string): string | null {
  if (typeof line !== "string") {
    throw new TypeError(`Cannot find the rhyme of a line as it must be a string: got ${typeof line}`);
  }
  const chars = [...line];
  if (chars.length === 0 || !/\p{Script=Han}/u.test(chars.at(-1)!)) return null;
  const syllables = pinyin(line, { toneType: "none", type: "array" }) as string[];
  const last = syllables.at(-1) ?? "";
  return /^[a-zü]+$/.test(last) ? rhymeKey(last) : null;
}

/**
 * Whether two lines rhyme under the rule: their last characters have the same rhyme key.
 *
 * @param a A line.
 * @param b Another line.
 * @returns True when both end in a Han character and their keys agree.
 * @throws {TypeError} When a line is not a string.
 * @example
 * ```ts
 * import { linesRhyme } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * assert.ok(linesRhyme("黄河入海流", "更上一层楼")); // liu (iou) and lou: ou
 * assert.ok(!linesRhyme("远上寒山石径斜", "白云生处有人家")); // a Tang rhyme modern Mandarin lost
 * ```
 */
export function linesRhyme(a: string, b: string): boolean {
  const ka = lineRhyme(a), kb = lineRhyme(b);
  return ka !== null && ka === kb;
}

/** What {@link rhymeRate} measures. */
export interface RhymeRateReport {
  /** Quatrains looked at. */
  poems: number;
  /** Share whose lines 2 and 4 rhyme under the rule. */
  rate: number;
  /** Up to `examples` quatrains that fail, as "line 2 / line 4 (key, key)". */
  misses: string[];
}

/**
 * How often lines 2 and 4 of real quatrains rhyme under the rule: a check of the rule itself, since nearly every
 * Tang quatrain rhymes there.
 *
 * @param poems Quatrains as four lines each (e.g. `corpus.train.map((p) => p.lines)`).
 * @param examples How many misses to keep (default 10).
 * @returns The count, the rate and some misses.
 * @throws {RangeError} When `poems` is empty or a poem does not have four lines.
 * @example
 * ```ts
 * import { rhymeRate } from "@lib/rlhf/mod.ts";
 * import assert from "node:assert/strict";
 * const report = rhymeRate([["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]]);
 * assert.equal(report.rate, 1);
 * ```
 */
export function rhymeRate(poems: readonly (readonly string[])[], examples = 10): RhymeRateReport {
  if (!Array.isArray(poems) || poems.length === 0) {
    throw new RangeError("Cannot measure a rhyme rate as poems must be a non-empty array of quatrains");
  }
  let hits = 0;
  const misses: string[] = [];
  poems.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 4) {
      throw new RangeError(`Cannot measure a rhyme rate as poem ${i} must have 4 lines: it has ${p?.length}`);
    }
    if (linesRhyme(p[1], p[3])) hits++;
    else if (misses.length < examples) misses.push(`${p[1]} / ${p[3]} (${lineRhyme(p[1])}, ${lineRhyme(p[3])})`);
  });
  return { poems: poems.length, rate: hits / poems.length, misses };
}
