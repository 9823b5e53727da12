/**
 * The poem corpus: Tang quatrains (唐诗绝句, four lines of five or seven characters) in simplified characters,
 * from the npm package chinese-poetry (全唐诗 plus 唐诗三百首, whose familiar versions win, e.g. 床前明月光),
 * with a seeded train/val split and a capped character vocabulary.
 *
 * Text format (what the GPT notebooks learn to write): a poem is two lines of two verses each, the first verse of
 * a line ending in "，" and the second in "。", whatever punctuation the source used:
 *
 * ```text
 * 床前明月光，疑是地上霜。
 * 举头望明月，低头思故乡。
 * ```
 *
 * {@link poemText} joins poems with a blank line ({@link POEM_SEPARATOR}), so a model also learns where a poem ends.
 *
 * @module
 */
import { Prng, SEED } from "../core/mod.ts";
import { cached } from "../checkpoint/model_cache.ts";
import { DISPLAY, escapeHtml } from "../notebook/mod.ts";
import {
  CHINESE_POETRY_VERSION,
  CLEAN_VERSION,
  type CleanReport,
  type RawPoem,
  readQuatrains,
} from "./_poems_clean.ts";

export type { CleanReport, PoemSource } from "./_poems_clean.ts";

/** The unknown-character entry, always at index 0 of a corpus vocabulary. */
export const POEM_UNK = "<unk>";

/** Characters of the text format, always in the vocabulary: newline, the comma and the full stop. */
export const POEM_STRUCTURE: readonly string[] = Object.freeze(["\n", "，", "。"]);

/** What {@link poemText} puts between two poems: a blank line. */
export const POEM_SEPARATOR = "\n\n";

/** A Tang quatrain in simplified characters. */
export interface Poem extends RawPoem {
  /** The poem in the course's text format: "L1，L2。\nL3，L4。". */
  text: string;
}

/** Options of {@link loadPoems}. */
export interface PoemOptions {
  /** Seed of the train/val split (and of the `limit` sample). Default 1337. */
  seed?: number;
  /** Fraction of poems held out for validation, in [0, 0.5]. Default 0.05. */
  valFraction?: number;
  /**
   * Vocabulary size including {@link POEM_UNK} and the structural characters: the most frequent characters.
   * Default 3000, at least 5; the vocabulary is smaller when the poems have fewer distinct characters.
   */
  vocabSize?: number;
  /** Only five-character (五言) or only seven-character (七言) quatrains. Default: both. */
  lineLength?: 5 | 7;
  /** Keep a seeded random sample of this many poems (before the split). Default: all. */
  limit?: number;
  /** Read and write the cleaned corpus in the cache folder (default true); false rebuilds it every time. */
  cache?: boolean;
}

/** The defaults of {@link PoemOptions}. */
export const POEM_DEFAULTS: Readonly<{ seed: number; valFraction: number; vocabSize: number }> = Object.freeze({
  seed: SEED,
  valFraction: 0.05,
  vocabSize: 3000,
});

/** Sizes of a {@link PoemCorpus}. */
export interface PoemCounts {
  /** Poems in train and val together. */
  poems: number;
  /** Training poems. */
  train: number;
  /** Validation poems. */
  val: number;
  /** Five-character (五言) quatrains. */
  fiveChar: number;
  /** Seven-character (七言) quatrains. */
  sevenChar: number;
  /** Han characters in all poems (punctuation and newlines not counted). */
  characters: number;
  /** Distinct Han characters. */
  distinctCharacters: number;
}

const OPTION_NAMES = ["seed", "valFraction", "vocabSize", "lineLength", "limit", "cache"];

/**
 * Formats four verses in the course's text format.
 *
 * @param lines The four verses, without punctuation.
 * @returns "L1，L2。\nL3，L4。"
 * @example
 * ```ts
 * import { formatPoem } from "@lib/data/poems.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatPoem(["白日依山尽", "黄河入海流", "欲穷千里目", "更上一层楼"]), "白日依山尽，黄河入海流。\n欲穷千里目，更上一层楼。");
 * ```
 */
export function formatPoem(lines: readonly string[]): string {
  return `${lines[0]}，${lines[1]}。\n${lines[2]}，${lines[3]}。`;
}

/**
 * Reads a quatrain written in the course's text format (for checking what a model generated).
 *
 * @param text Candidate text; surrounding whitespace is ignored.
 * @returns The four verses when the text is exactly one quatrain of Han characters with equal verses of 5 or 7
 *   characters, else `null`.
 * @example
 * ```ts
 * import { parsePoem } from "@lib/data/poems.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parsePoem("床前明月光，疑是地上霜。\n举头望明月，低头思故乡。\n"), ["床前明月光", "疑是地上霜", "举头望明月", "低头思故乡"]);
 * assert.equal(parsePoem("床前明月光，疑是地上霜。"), null);
 * ```
 */
export function parsePoem(text: string): [string, string, string, string] | null {
  const match =
    /^([\u4e00-\u9fff]{5}|[\u4e00-\u9fff]{7})，([\u4e00-\u9fff]+)。\n([\u4e00-\u9fff]+)，([\u4e00-\u9fff]+)。$/
      .exec(text.trim());
  if (!match) return null;
  const lines = match.slice(1, 5) as [string, string, string, string];
  return lines.every((v) => v.length === lines[0].length) ? lines : null;
}

/**
 * The training text of some poems: each in the format of {@link formatPoem}, separated by a blank line.
 *
 * @param poems Poems, e.g. `corpus.train`.
 * @returns The text; `text.split(POEM_SEPARATOR)` gives the poems back.
 * @example
 * ```ts
 * import { formatPoem, poemText } from "@lib/data/poems.ts";
 * import assert from "node:assert/strict";
 * const a = { text: formatPoem(["一二三四五", "一二三四五", "一二三四五", "一二三四五"]) };
 * assert.equal(poemText([a, a]), a.text + "\n\n" + a.text);
 * ```
 */
export function poemText(poems: readonly { text: string }[]): string {
  return poems.map((p) => p.text).join(POEM_SEPARATOR);
}

/** The cleaned corpus as the cache stores it. */
interface CleanCorpus {
  poems: RawPoem[];
  report: CleanReport;
}

/** Reads the cleaned quatrains from the cache, or builds and caches them (about a second). */
function cleanCorpus(useCache: boolean): Promise<CleanCorpus> {
  if (!useCache) return readQuatrains();
  const config = { clean: CLEAN_VERSION, chinesePoetry: CHINESE_POETRY_VERSION };
  return cached<CleanCorpus>({
    name: "poems",
    kind: "poem-corpus",
    config,
    perMode: false,
    quiet: true,
    train: readQuatrains,
    save: (corpus) => ({ config, weights: {}, extra: corpus }),
    load: (ckpt) => checkClean(ckpt.extra as CleanCorpus),
  });
}

/** Checks a cached corpus enough to catch a truncated or foreign file (the cache then rebuilds it). */
function checkClean(value: CleanCorpus): CleanCorpus {
  const ok = Array.isArray(value?.poems) && value.poems.length === value.report?.kept &&
    value.poems.every((p) => Array.isArray(p.lines) && p.lines.length === 4);
  if (!ok) throw new Error("the cached data is not a cleaned poem corpus");
  return value;
}

/** Options with the defaults filled in. */
type CheckedOptions = typeof POEM_DEFAULTS & { cache: boolean; lineLength?: 5 | 7; limit?: number };

/** Validates the options once and merges them with {@link POEM_DEFAULTS} (options set to undefined count as unset). */
function checkOptions(options: PoemOptions): CheckedOptions {
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new TypeError(`Cannot load poems as options must be an object: current value is ${JSON.stringify(options)}`);
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.includes(key)) {
      throw new TypeError(
        `Cannot load poems as option "${key}" is unknown: expected one of ${OPTION_NAMES.join(", ")}`,
      );
    }
  }
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  const o: CheckedOptions = { ...POEM_DEFAULTS, cache: true, ...given };
  const fail = (name: string, expected: string, value: unknown) =>
    new RangeError(`Cannot load poems as ${name} must be ${expected}: current value is ${value}`);
  if (!Number.isInteger(o.seed)) throw fail("seed", "an integer", o.seed);
  if (!(o.valFraction >= 0 && o.valFraction <= 0.5)) throw fail("valFraction", "a number in [0, 0.5]", o.valFraction);
  if (!Number.isInteger(o.vocabSize) || o.vocabSize < 5) throw fail("vocabSize", "an integer >= 5", o.vocabSize);
  if (o.lineLength !== undefined && o.lineLength !== 5 && o.lineLength !== 7) {
    throw fail("lineLength", "5 or 7 (or left out for both)", o.lineLength);
  }
  if (o.limit !== undefined && !(Number.isInteger(o.limit) && o.limit > 0)) {
    throw fail("limit", "a positive integer", o.limit);
  }
  if (typeof o.cache !== "boolean") {
    throw new TypeError(`Cannot load poems as cache must be true or false: current value is ${o.cache}`);
  }
  return o;
}

/** Seeded split: a permutation of all poems, cut to `limit`, the first `valFraction` to val; both in corpus order. */
function split(poems: Poem[], seed: number, valFraction: number, limit?: number): { train: Poem[]; val: Poem[] } {
  const order = new Prng(seed).permutation(poems.length).slice(0, limit ?? poems.length);
  const nVal = valFraction > 0 ? Math.max(1, Math.round(order.length * valFraction)) : 0;
  if (order.length - nVal < 1) {
    throw new RangeError(
      `Cannot split ${order.length} poem(s) with valFraction ${valFraction}: no training poem would be left; ` +
        `use a larger limit or valFraction 0`,
    );
  }
  const pick = (idx: number[]) => idx.sort((a, b) => a - b).map((i) => poems[i]);
  return { val: pick(order.slice(0, nVal)), train: pick(order.slice(nVal)) };
}

/** Character counts of the poems' training text (newlines and punctuation included). */
function charCounts(poems: Poem[]): Map<string, number> {
  const text = poemText(poems);
  const byCode = new Uint32Array(0x10000); // every character of the corpus is in the Basic Multilingual Plane
  for (let i = 0; i < text.length; i++) byCode[text.charCodeAt(i)]++;
  const counts = new Map<string, number>();
  byCode.forEach((n, code) => n > 0 && counts.set(String.fromCharCode(code), n));
  return counts;
}

/**
 * The vocabulary: {@link POEM_UNK}, then the structural characters and the most frequent others, `size` entries
 * in all, ordered by frequency (descending) then code point.
 */
function buildVocabulary(counts: Map<string, number>, size: number): string[] {
  const byFrequency = (a: string, b: string) =>
    (counts.get(b) ?? 0) - (counts.get(a) ?? 0) || a.codePointAt(0)! - b.codePointAt(0)!;
  const others = [...counts.keys()].filter((ch) => !POEM_STRUCTURE.includes(ch)).sort(byFrequency);
  const chosen = [...POEM_STRUCTURE, ...others.slice(0, size - 1 - POEM_STRUCTURE.length)];
  return [POEM_UNK, ...chosen.sort(byFrequency)];
}

/**
 * Tang quatrains split into train and val, with a capped character vocabulary. Shown in a notebook as a summary
 * with a few sample poems.
 */
export class PoemCorpus {
  /**
   * @param train Training poems, in corpus order (唐诗三百首 first, then 全唐诗's order).
   * @param val Validation poems, in corpus order.
   * @param vocabulary {@link POEM_UNK} at index 0, then characters by frequency (descending) then code point.
   * @param coverage Fraction of the poems' Han characters that are in the vocabulary.
   * @param counts Sizes of the corpus.
   * @param options The options used, defaults filled in.
   * @param report What cleaning the sources kept and dropped.
   */
  constructor(
    readonly train: Poem[],
    readonly val: Poem[],
    readonly vocabulary: string[],
    readonly coverage: number,
    readonly counts: PoemCounts,
    readonly options: Readonly<PoemOptions>,
    readonly report: CleanReport,
  ) {}

  /** A plain-text summary: sizes, vocabulary coverage and three sample poems. */
  summary(): string {
    const n = (x: number) => x.toLocaleString("en-US");
    const c = this.counts;
    const head = [
      `Tang quatrains (唐诗绝句), simplified: ${n(c.poems)} poems ` +
      `(${n(c.fiveChar)} five-character 五言, ${n(c.sevenChar)} seven-character 七言)`,
      `train ${n(c.train)}, val ${n(c.val)} (seed ${this.options.seed}, valFraction ${this.options.valFraction})`,
      `vocabulary ${n(this.vocabulary.length)} entries with ${POEM_UNK}: covers ` +
      `${(100 * this.coverage).toFixed(2)}% of ${n(c.characters)} characters (${n(c.distinctCharacters)} distinct)`,
    ];
    const samples = this.train.slice(0, 3).map((p) => `${p.title} · ${p.author}\n${p.text}`);
    return [...head, "", ...samples.flatMap((s) => [s, ""])].join("\n").trimEnd();
  }

  /** Jupyter display: the summary as text and as HTML. */
  [DISPLAY](): Record<string, string> {
    return { "text/plain": this.summary(), "text/html": `<pre>${escapeHtml(this.summary())}</pre>` };
  }
}

/**
 * Loads the Tang quatrains: cleaned, simplified, split and with a capped vocabulary.
 *
 * The cleaned corpus is cached (under `cacheDir()`, see lib/checkpoint/model_cache.ts): the first call reads chinese-poetry
 * and converts it (about a second), later calls read one JSON file.
 *
 * @param options Seed, validation fraction, vocabulary size, line-length filter, sample limit, cache use.
 * @returns The corpus.
 * @throws {TypeError} For an unknown option or options that are not an object.
 * @throws {RangeError} For an option out of range, or a split that leaves no training poem.
 * @example
 * ```ts
 * import { loadPoems, parsePoem } from "@lib/data/poems.ts";
 * import assert from "node:assert/strict";
 * const corpus = await loadPoems({ lineLength: 5 });
 * assert.ok(corpus.counts.poems > 3000);
 * assert.ok([...corpus.train, ...corpus.val].some((p) => p.text.startsWith("床前明月光，疑是地上霜。")));
 * assert.equal(corpus.vocabulary[0], "<unk>");
 * assert.notEqual(parsePoem(corpus.train[0].text), null);
 * ```
 */
export async function loadPoems(options: PoemOptions = {}): Promise<PoemCorpus> {
  const o = checkOptions(options);
  const { poems: raw, report } = await cleanCorpus(o.cache);
  const poems = raw.filter((p) => o.lineLength === undefined || p.lines[0].length === o.lineLength)
    .map((p) => ({ ...p, text: formatPoem(p.lines) }));
  const { train, val } = split(poems, o.seed, o.valFraction, o.limit);
  const all = [...train, ...val];
  const counts = charCounts(all);
  const vocabulary = buildVocabulary(counts, o.vocabSize);
  const han = [...counts].filter(([ch]) => !POEM_STRUCTURE.includes(ch));
  const characters = han.reduce((sum, [, n]) => sum + n, 0);
  const inVocab = new Set(vocabulary);
  const covered = han.reduce((sum, [ch, n]) => sum + (inVocab.has(ch) ? n : 0), 0);
  const fiveChar = all.filter((p) => p.lines[0].length === 5).length;
  return new PoemCorpus(
    train,
    val,
    vocabulary,
    characters > 0 ? covered / characters : 1,
    {
      poems: all.length,
      train: train.length,
      val: val.length,
      fiveChar,
      sevenChar: all.length - fiveChar,
      characters,
      distinctCharacters: han.length,
    },
    Object.freeze({ ...o }),
    report,
  );
}
