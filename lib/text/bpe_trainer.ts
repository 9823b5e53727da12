/**
 * The byte-pair-encoding learner: picks an alphabet of characters, then merges the most frequent adjacent pair of
 * tokens again and again until the vocabulary is full.
 *
 * @module
 */
import { pretokenize } from "./pretokenize.ts";
import { splitOnSpecialTokens } from "./special_tokens.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** Ids 0–255 are the 256 byte tokens of the byte fallback. */
export const BYTE_TOKENS = 256;

/** Largest vocabulary a {@link BpeTokenizer} can have (ids pack into pair keys). */
export const MAX_BPE_VOCAB = 1 << 20;

/** Progress of {@link trainBpe}, reported every 100 merges and at the end. */
export interface BpeProgress {
  /** Merges learned so far. */
  merges: number;
  /** Merges the vocabulary has room for. */
  target: number;
  /** The token the last merge made. */
  token: string;
  /** How often the merged pair occurred. */
  count: number;
  /** The pair's left token. */
  left: string;
  /** The pair's right token. */
  right: string;
}

/** Options of {@link trainBpe}. */
export interface BpeTrainOptions {
  /** Final vocabulary size: 256 byte tokens + alphabet + merges + special tokens. */
  vocabSize: number;
  /** A pair seen fewer times is never merged (default 2); training stops early when no pair is frequent enough. */
  minFrequency?: number;
  /**
   * Fraction of the text's characters the alphabet must cover, most frequent characters first (default 0.9995, as in
   * SentencePiece for Chinese); rarer characters are written with byte tokens.
   */
  characterCoverage?: number;
  /**
   * Largest alphabet (default: no cap but the vocabulary). Chinese text has thousands of distinct characters, which
   * can fill the whole vocabulary and leave no room for merges: cap the alphabet (or lower `characterCoverage`) to
   * keep room for them.
   */
  maxAlphabet?: number;
  /** Special tokens: never split, never merged, left out of the counts; they take ids at the end (default none). */
  specials?: readonly string[];
  /** Called with the progress every 100 merges and once at the end. */
  onProgress?: (progress: BpeProgress) => void;
  /** Called after every merge (the trace of training: which pair, how often, in what order). */
  onMerge?: (merge: BpeProgress) => void;
}

/** What {@link trainBpe} learns. */
export interface BpeModel {
  /** The base characters, ids 256, 257, … in order. */
  alphabet: string[];
  /** The merges in order: merge `r` joins ids `[a, b]` into id `256 + alphabet.length + r`. */
  merges: Array<[number, number]>;
}

const SHIFT = MAX_BPE_VOCAB;

/** Max-heap of pairs by count, ties to the smaller pair key, with stale entries checked on pop. */
class PairHeap {
  readonly counts: number[] = [];
  readonly keys: number[] = [];

  get size(): number {
    return this.keys.length;
  }

  #above(i: number, j: number): boolean {
    return this.counts[i] > this.counts[j] || (this.counts[i] === this.counts[j] && this.keys[i] < this.keys[j]);
  }

  #swap(i: number, j: number): void {
    [this.counts[i], this.counts[j]] = [this.counts[j], this.counts[i]];
    [this.keys[i], this.keys[j]] = [this.keys[j], this.keys[i]];
  }

  push(count: number, key: number): void {
    this.counts.push(count);
    this.keys.push(key);
    for (let i = this.keys.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.#above(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  pop(): [number, number] {
    const top: [number, number] = [this.counts[0], this.keys[0]];
    const lastCount = this.counts.pop()!, lastKey = this.keys.pop()!;
    if (this.keys.length > 0) {
      this.counts[0] = lastCount;
      this.keys[0] = lastKey;
      for (let i = 0;;) {
        const l = 2 * i + 1, r = l + 1;
        let best = i;
        if (l < this.keys.length && this.#above(l, best)) best = l;
        if (r < this.keys.length && this.#above(r, best)) best = r;
        if (best === i) break;
        this.#swap(i, best);
        i = best;
      }
    }
    return top;
  }
}

/** Counts characters and picks the alphabet: most frequent first until `coverage` of the text, at most `cap`. */
function chooseAlphabet(words: Map<string, number>, coverage: number, cap: number): string[] {
  const counts = new Map<string, number>();
  let total = 0;
  for (const [word, n] of words) {
    for (const ch of word) counts.set(ch, (counts.get(ch) ?? 0) + n), total += n;
  }
  const chars = [...counts.keys()].sort((a, b) =>
    counts.get(b)! - counts.get(a)! || a.codePointAt(0)! - b.codePointAt(0)!
  );
  const alphabet: string[] = [];
  let covered = 0;
  for (const ch of chars) {
    if (alphabet.length >= cap || (alphabet.length > 0 && covered >= coverage * total)) break;
    alphabet.push(ch);
    covered += counts.get(ch)!;
  }
  return alphabet;
}

/** A word as alphabet ids, with how often it occurs. */
interface Segment {
  ids: number[];
  count: number;
}

/** Words as id sequences; characters outside the alphabet cut a word into segments, since they are never merged. */
function segmentWords(words: Map<string, number>, charId: Map<string, number>): Segment[] {
  const segments = new Map<string, Segment>();
  const add = (ids: number[], count: number) => {
    if (ids.length < 2) return;
    const key = ids.join(",");
    const seen = segments.get(key);
    if (seen) seen.count += count;
    else segments.set(key, { ids, count });
  };
  for (const [word, count] of words) {
    let ids: number[] = [];
    for (const ch of word) {
      const id = charId.get(ch);
      if (id !== undefined) ids.push(id);
      else add(ids, count), ids = [];
    }
    add(ids, count);
  }
  return [...segments.values()];
}

/** The mutable state of the merge loop: words, their counts, pair counts and where each pair occurs. */
class MergeState {
  readonly words: Int32Array[] = [];
  readonly counts: number[] = [];
  readonly pairCounts = new Map<number, number>();
  readonly where = new Map<number, number[]>();
  readonly heap = new PairHeap();

  constructor(segments: Segment[]) {
    for (const { ids, count } of segments) {
      const w = this.words.length;
      this.words.push(Int32Array.from(ids));
      this.counts.push(count);
      for (let j = 0; j + 1 < ids.length; j++) this.#add(ids[j] * SHIFT + ids[j + 1], count, w);
    }
    for (const [key, count] of this.pairCounts) this.heap.push(count, key);
  }

  #add(key: number, count: number, w: number): void {
    this.pairCounts.set(key, (this.pairCounts.get(key) ?? 0) + count);
    const list = this.where.get(key);
    if (list === undefined) this.where.set(key, [w]);
    else if (list[list.length - 1] !== w) list.push(w);
  }

  /** The most frequent pair as `[count, key]`, or `undefined` when none is left. */
  best(): [number, number] | undefined {
    while (this.heap.size > 0) {
      const [count, key] = this.heap.pop();
      const now = this.pairCounts.get(key) ?? 0;
      if (now === count) return [count, key];
      if (now > 0) this.heap.push(now, key);
    }
    return undefined;
  }

  /** Replaces pair `key` by `newId` in every word that has it, updating the counts of the pairs around. */
  merge(key: number, newId: number): void {
    const a = Math.floor(key / SHIFT), b = key % SHIFT;
    const fresh = new Set<number>();
    for (const w of this.where.get(key) ?? []) {
      const word = this.words[w], count = this.counts[w];
      const merged = mergeWord(word, a, b, newId);
      if (merged.length === word.length) continue; // already merged: a stale entry of `where`
      for (let j = 0; j + 1 < word.length; j++) {
        const k = word[j] * SHIFT + word[j + 1];
        this.pairCounts.set(k, this.pairCounts.get(k)! - count);
      }
      for (let j = 0; j + 1 < merged.length; j++) {
        const k = merged[j] * SHIFT + merged[j + 1];
        this.#add(k, count, w);
        if (merged[j] === newId || merged[j + 1] === newId) fresh.add(k);
      }
      this.words[w] = merged;
    }
    this.where.delete(key);
    this.pairCounts.delete(key);
    for (const k of fresh) this.heap.push(this.pairCounts.get(k)!, k);
  }
}

/**
 * Joins every non-overlapping `a b` of a word, left to right, into `newId`.
 *
 * @param word Token ids.
 * @param a Left id of the pair.
 * @param b Right id of the pair.
 * @param newId The merged token's id.
 * @returns The merged word (the same array when nothing matched).
 */
export function mergeWord(word: Int32Array, a: number, b: number, newId: number): Int32Array {
  let n = 0;
  const out = new Int32Array(word.length);
  for (let i = 0; i < word.length; i++) {
    if (word[i] === a && i + 1 < word.length && word[i + 1] === b) out[n++] = newId, i++;
    else out[n++] = word[i];
  }
  return n === word.length ? word : out.slice(0, n);
}

function checkTrainOptions(
  text: string,
  options: BpeTrainOptions,
): Required<Omit<BpeTrainOptions, "onProgress" | "onMerge">> {
  if (typeof text !== "string") throw new TypeError(`Cannot train BPE on text of type ${typeof text}`);
  const { vocabSize, minFrequency = 2, characterCoverage = 0.9995, specials = [] } = options ?? {};
  const maxAlphabet = options?.maxAlphabet ?? MAX_BPE_VOCAB;
  const least = BYTE_TOKENS + specials.length + 1;
  if (!Number.isInteger(vocabSize) || vocabSize < least || vocabSize > MAX_BPE_VOCAB) {
    throw new RangeError(
      `Cannot train BPE as vocabSize must be an integer in [${least}, ${MAX_BPE_VOCAB}] (256 byte tokens, ` +
        `${specials.length} special tokens and at least one character): current value is ${vocabSize}`,
    );
  }
  checkPositiveInteger(minFrequency, "minFrequency", "train BPE");
  if (!(characterCoverage > 0 && characterCoverage <= 1)) {
    throw new RangeError(
      `Cannot train BPE as characterCoverage must be in (0, 1]: current value is ${characterCoverage}`,
    );
  }
  checkPositiveInteger(maxAlphabet, "maxAlphabet", "train BPE");
  return { vocabSize, minFrequency, characterCoverage, specials, maxAlphabet };
}

/**
 * Learns a byte-pair encoding of a text. Pair counts are kept up to date incrementally: a merge only revisits the
 * words that contain the merged pair, and a heap finds the next most frequent pair.
 *
 * @param text The training corpus.
 * @param options Vocabulary size, minimum pair frequency, character coverage, special tokens, progress and merge
 *   callbacks.
 * @returns The alphabet and the merges.
 * @throws {TypeError} When `text` is not a string.
 * @throws {RangeError} When an option is out of range.
 * @example
 * ```ts
 * import { trainBpe } from "@lib/text/bpe_trainer.ts";
 * import assert from "node:assert/strict";
 * const { alphabet, merges } = trainBpe("low lower lowest low", { vocabSize: 256 + 10 });
 * assert.deepEqual(alphabet.slice(0, 3), ["l", "o", "w"]); // 4 times each, ties in code-point order
 * assert.deepEqual(merges, [[256, 257], [264, 258]]); // "l" + "o", then "lo" + "w"
 * ```
 */
export function trainBpe(text: string, options: BpeTrainOptions): BpeModel {
  const { vocabSize, minFrequency, characterCoverage, specials, maxAlphabet } = checkTrainOptions(text, options);
  const words = new Map<string, number>();
  for (const piece of splitOnSpecialTokens(text, specials)) {
    if (piece.special) continue;
    for (const word of pretokenize(piece.text)) words.set(word, (words.get(word) ?? 0) + 1);
  }
  const budget = vocabSize - BYTE_TOKENS - specials.length;
  const alphabet = chooseAlphabet(words, characterCoverage, Math.min(budget, maxAlphabet));
  const charId = new Map(alphabet.map((ch, i) => [ch, BYTE_TOKENS + i]));
  const tokens = [...new Array<string>(BYTE_TOKENS).fill(""), ...alphabet];
  const state = new MergeState(segmentWords(words, charId));
  const merges: Array<[number, number]> = [];
  const target = budget - alphabet.length;
  let last: BpeProgress = { merges: 0, target, token: "", count: 0, left: "", right: "" };
  while (merges.length < target) {
    const best = state.best();
    if (best === undefined || best[0] < minFrequency) break;
    const [count, key] = best;
    const a = Math.floor(key / SHIFT), b = key % SHIFT;
    state.merge(key, tokens.length);
    merges.push([a, b]);
    tokens.push(tokens[a] + tokens[b]);
    last = {
      merges: merges.length,
      target,
      token: tokens[tokens.length - 1],
      count,
      left: tokens[a],
      right: tokens[b],
    };
    options.onMerge?.(last);
    if (merges.length % 100 === 0) options.onProgress?.(last);
  }
  options.onProgress?.(last);
  return { alphabet, merges };
}
