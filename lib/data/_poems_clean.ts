/**
 * Reads the Tang quatrains out of the chinese-poetry package, converts them to simplified characters and cleans
 * them. The slow part of {@link loadPoems}; its result is cached.
 *
 * @module
 */
import pkg from "chinese-poetry/package.json" with { type: "json" };
import * as OpenCC from "opencc-js";

/** Version of the cleaning rules below: bump it whenever they change, so cached corpora are rebuilt. */
export const CLEAN_VERSION = 1;

/** The chinese-poetry package version the corpus comes from (part of the cache key). */
export const CHINESE_POETRY_VERSION: string = pkg.version;

/** Where a poem was taken from. */
export type PoemSource = "tangshi300" | "quantangshi";

/** A cleaned quatrain, before any split: what the cache stores. */
export interface RawPoem {
  /** Title in simplified characters. */
  title: string;
  /** Author in simplified characters. */
  author: string;
  /** The four verses, each 5 or 7 Han characters, no punctuation. */
  lines: [string, string, string, string];
  /** 唐诗三百首 (the familiar versions) or 全唐诗. */
  source: PoemSource;
}

/** What the cleaning kept and dropped, for the corpus summary. */
export interface CleanReport {
  /** Poems read (唐诗三百首 entries plus 全唐诗 poems). */
  read: number;
  /** Poems with four verses of five or seven characters before character checks. */
  quatrains: number;
  /** Quatrains dropped for a character that is not a common Han character (□, rare or private-use glyphs…). */
  oddCharacters: number;
  /** Quatrains dropped as exact or near duplicates (two or more verses equal to a poem kept earlier). */
  duplicates: number;
  /** Quatrains kept. */
  kept: number;
}

/** Punctuation that ends a verse. */
const VERSE_END = /[，。！？；]/;
/** Notes in parentheses, e.g. "(明年 一作：年年)"; only removed from 唐诗三百首, whose notes are marked this way. */
const NOTE = /[（(][^）)]*[）)]/g;
/** Quotation and title marks that may sit inside a verse: removed. */
const MARKS = /[《》〈〉「」『』“”‘’"]/g;
/** A verse of common Han characters (the CJK Unified Ideographs block, which opencc output stays within). */
const HAN_VERSE = /^[\u4e00-\u9fff]+$/;

interface Tangshi300File {
  content: { type: string; content: { chapter: string; author: string; paragraphs: string[] }[] }[];
}

interface QuantangshiPoem {
  title: string;
  author: string;
  paragraphs: string[];
}

/** The package's dist folder, found through the import map (so the path works from any working folder). */
function distUrl(path: string): URL {
  return new URL(`dist/${path}`, import.meta.resolve("chinese-poetry/package.json"));
}

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await Deno.readTextFile(distUrl(path))) as T;
}

/** 全唐诗's files in their numeric order (poet.tang.0.json, poet.tang.1000.json, …). */
async function quantangshiFiles(): Promise<string[]> {
  const names: string[] = [];
  for await (const item of Deno.readDir(distUrl("quantangshi/"))) {
    if (/^poet\.tang\.\d+\.json$/.test(item.name)) names.push(item.name);
  }
  const index = (name: string) => Number(name.split(".")[2]);
  return names.sort((a, b) => index(a) - index(b)).map((name) => `quantangshi/${name}`);
}

/** Splits a poem's paragraphs into verses on ，。！？；, dropping empty pieces and quotation marks. */
export function splitVerses(paragraphs: string[]): string[] {
  return paragraphs.join("").replace(MARKS, "").split(VERSE_END).map((v) => v.trim()).filter((v) => v !== "");
}

/** Whether verses form a quatrain: exactly four, all five or all seven characters long. */
export function isQuatrainShape(verses: string[]): boolean {
  const n = verses[0]?.length;
  return verses.length === 4 && (n === 5 || n === 7) && verses.every((v) => v.length === n);
}

/** A quatrain candidate before conversion. */
interface Candidate {
  title: string;
  author: string;
  verses: string[];
  source: PoemSource;
}

function candidates(poems: { title: string; author: string; paragraphs: string[] }[], source: PoemSource) {
  const out: Candidate[] = [];
  for (const p of poems) {
    const paragraphs = source === "tangshi300" ? p.paragraphs.map((s) => s.replace(NOTE, "")) : p.paragraphs;
    const verses = splitVerses(paragraphs);
    if (isQuatrainShape(verses)) out.push({ title: p.title.trim(), author: p.author.trim(), verses, source });
  }
  return out;
}

/**
 * Reads both sources, keeps the quatrains, converts them to simplified characters, drops odd characters and
 * duplicates. 唐诗三百首 comes first, so its familiar versions win over 全唐诗's variants.
 *
 * @returns The poems in corpus order and a report of what was dropped.
 */
export async function readQuatrains(): Promise<{ poems: RawPoem[]; report: CleanReport }> {
  const tangshi300 = (await readJson<Tangshi300File>("mengxue/tangshisanbaishou.json")).content
    .flatMap((section) => section.content)
    .map((p) => ({ title: p.chapter, author: p.author, paragraphs: p.paragraphs }));
  const all: Candidate[] = candidates(tangshi300, "tangshi300");
  let read = tangshi300.length;
  for (const file of await quantangshiFiles()) {
    const poems = await readJson<QuantangshiPoem[]>(file);
    read += poems.length;
    all.push(...candidates(poems, "quantangshi"));
  }
  const toSimplified = OpenCC.Converter({ from: "t", to: "cn" });
  const report: CleanReport = { read, quatrains: all.length, oddCharacters: 0, duplicates: 0, kept: 0 };
  const dedupe = new NearDuplicates();
  const poems: RawPoem[] = [];
  for (const c of all) {
    const lines = toSimplified(c.verses.join("，")).split("，");
    if (!isQuatrainShape(lines) || !lines.every((v) => HAN_VERSE.test(v))) {
      report.oddCharacters++;
    } else if (!dedupe.add(lines)) {
      report.duplicates++;
    } else {
      const [title, author] = [toSimplified(c.title), toSimplified(c.author)];
      poems.push({ title, author, lines: lines as RawPoem["lines"], source: c.source });
    }
  }
  report.kept = poems.length;
  return { poems, report };
}

/** Remembers the verses of kept poems; a poem sharing two or more verses with one poem kept before is a duplicate. */
class NearDuplicates {
  #byVerse = new Map<string, number[]>();
  #count = 0;

  /** Adds a poem unless it is a near duplicate; returns whether it was added. */
  add(lines: string[]): boolean {
    const shared = new Map<number, number>();
    for (const verse of new Set(lines)) {
      for (const id of this.#byVerse.get(verse) ?? []) {
        const n = (shared.get(id) ?? 0) + 1;
        if (n >= 2) return false;
        shared.set(id, n);
      }
    }
    const id = this.#count++;
    for (const verse of new Set(lines)) this.#byVerse.set(verse, [...(this.#byVerse.get(verse) ?? []), id]);
    return true;
  }
}
