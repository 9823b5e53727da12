/**
 * A byte-pair-encoding tokenizer over characters, with a byte fallback, so that any text round-trips.
 *
 * @module
 */
import { type BpeModel, type BpeTrainOptions, BYTE_TOKENS, MAX_BPE_VOCAB, trainBpe } from "./bpe_trainer.ts";
import { PRETOKENIZE_PATTERN } from "./pretokenize.ts";
import { checkSpecialTokens, splitOnSpecialTokens } from "./special_tokens.ts";
import {
  checkIds,
  checkTokenizerHeader,
  type DecodeOptions,
  type EncodeOptions,
  type Tokenizer,
  TOKENIZER_FORMAT,
  TOKENIZER_VERSION,
  type TokenizerJSONHeader,
} from "./tokenizer.ts";
import { DISPLAY, escapeHtml, htmlTable, visibleToken } from "./_display.ts";

/** The saved form of a {@link BpeTokenizer}. */
export interface BpeTokenizerJSON extends TokenizerJSONHeader {
  /** Always `"bpe"`. */
  kind: "bpe";
  /** The pre-tokenizer's regular expression (flags `gu`). */
  pattern: string;
  /** Base characters, ids 256, 257, …. */
  alphabet: string[];
  /** Merges in order, as pairs of ids. */
  merges: Array<[number, number]>;
  /** Special tokens, with the last ids in this order. */
  specials: string[];
}

const SHIFT = MAX_BPE_VOCAB;
const CACHE_LIMIT = 50_000;
const utf8 = new TextEncoder();
/** Runs of byte tokens are decoded on their own: a token's text never starts with a continuation byte, so this is
 * the same as decoding all the bytes at once. */
const utf8Decoder = new TextDecoder();

/** The display name of byte token `b`, as in SentencePiece: `<0xE4>`. */
export function byteTokenName(b: number): string {
  return `<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`;
}

/**
 * Byte-pair-encoding tokenizer. Ids: 0–255 are UTF-8 bytes (the fallback for characters outside the alphabet, as
 * `<0xE4>`), then the alphabet's characters (Chinese characters are base symbols), then one id per merge, then the
 * special tokens. Encoding any well-formed string and decoding the ids gives the string back.
 *
 * @example
 * ```ts
 * import { BpeTokenizer } from "@lib/text/bpe_tokenizer.ts";
 * import assert from "node:assert/strict";
 * const tok = BpeTokenizer.train("the cat sat on the mat. the cat ate.", { vocabSize: 300 });
 * const ids = tok.encode("the cat 🐱");
 * assert.equal(tok.decode(ids), "the cat 🐱");
 * assert.deepEqual(tok.tokens("the cat"), ["the", " cat"]);
 * ```
 */
export class BpeTokenizer implements Tokenizer {
  readonly kind = "bpe" as const;
  readonly #pattern: RegExp;
  readonly #alphabet: string[];
  readonly #merges: Array<[number, number]>;
  readonly #specials: string[] = [];
  /** Token string of every id ≥ 256 that is not special. */
  readonly #strings: string[] = [];
  readonly #ids = new Map<string, number>();
  readonly #charIds = new Map<string, number>();
  readonly #ranks = new Map<number, number>();
  readonly #cache = new Map<string, number[]>();

  /**
   * Builds a tokenizer from a learned model; use {@link BpeTokenizer.train} to learn one.
   *
   * @param model Alphabet and merges, as {@link trainBpe} returns.
   * @param specials Special tokens, given the ids after the merges.
   * @param pattern The pre-tokenizer's regular expression (default {@link PRETOKENIZE_PATTERN}).
   * @throws {TypeError} | {RangeError} When the alphabet or a merge is invalid, naming it.
   */
  constructor(model: BpeModel, specials: readonly string[] = [], pattern: string = PRETOKENIZE_PATTERN) {
    this.#pattern = new RegExp(pattern, "gu");
    this.#alphabet = [...model.alphabet];
    this.#merges = model.merges.map(([a, b]) => [a, b]);
    for (let b = 0; b < BYTE_TOKENS; b++) this.#ids.set(byteTokenName(b), b);
    this.#alphabet.forEach((ch, i) => this.#addChar(ch, i));
    this.#merges.forEach(([a, b], r) => this.#addMerge(a, b, r));
    this.addSpecialTokens(specials);
  }

  #addChar(ch: string, i: number): void {
    if (typeof ch !== "string" || [...ch].length !== 1 || this.#charIds.has(ch)) {
      throw new RangeError(
        `Cannot create BpeTokenizer as alphabet entry ${i} (${JSON.stringify(ch)}) must be one character, unique`,
      );
    }
    const id = BYTE_TOKENS + i;
    this.#charIds.set(ch, id);
    this.#strings.push(ch);
    if (!this.#ids.has(ch)) this.#ids.set(ch, id);
  }

  #addMerge(a: number, b: number, r: number): void {
    const id = BYTE_TOKENS + this.#strings.length;
    for (const x of [a, b]) {
      if (!Number.isInteger(x) || x < BYTE_TOKENS || x >= id) {
        throw new RangeError(
          `Cannot create BpeTokenizer as merge ${r} ([${a}, ${b}]) must join ids of earlier tokens in ` +
            `[${BYTE_TOKENS}, ${id}): ${x} is not one`,
        );
      }
    }
    const token = this.#strings[a - BYTE_TOKENS] + this.#strings[b - BYTE_TOKENS];
    this.#ranks.set(a * SHIFT + b, r);
    this.#strings.push(token);
    if (!this.#ids.has(token)) this.#ids.set(token, id);
  }

  /**
   * Learns a tokenizer from a corpus (see {@link trainBpe} for the options).
   *
   * @param text The corpus.
   * @param options `vocabSize` (required), `minFrequency`, `characterCoverage`, `maxAlphabet`, `specials`,
   *   `onProgress`.
   * @returns The trained tokenizer, whose `vocabSize` is at most `options.vocabSize`.
   * @throws {TypeError} | {RangeError} For bad text or options.
   * @example
   * ```ts
   * import { BpeTokenizer } from "@lib/text/bpe_tokenizer.ts";
   * import assert from "node:assert/strict";
   * const tok = BpeTokenizer.train("明月光，明月光。", { vocabSize: 300, specials: ["<|end|>"] });
   * assert.deepEqual(tok.tokens("明月光<|end|>"), ["明月光", "<|end|>"]);
   * assert.deepEqual(tok.tokens("日"), ["<0xE6>", "<0x97>", "<0xA5>"]); // not in the alphabet: UTF-8 bytes
   * ```
   */
  static train(text: string, options: BpeTrainOptions): BpeTokenizer {
    return new BpeTokenizer(trainBpe(text, options), options.specials ?? []);
  }

  /** Number of ids: 256 bytes + alphabet + merges + special tokens. */
  get vocabSize(): number {
    return BYTE_TOKENS + this.#strings.length + this.#specials.length;
  }

  /** The base characters (a copy), ids 256, 257, …. */
  get alphabet(): string[] {
    return [...this.#alphabet];
  }

  /** The merges in order as id pairs (a copy); merge `r` makes id `256 + alphabet.length + r`. */
  get merges(): Array<[number, number]> {
    return this.#merges.map(([a, b]) => [a, b]);
  }

  /** Special token → id. */
  get specialTokens(): Readonly<Record<string, number>> {
    const first = BYTE_TOKENS + this.#strings.length;
    return Object.fromEntries(this.#specials.map((s, i) => [s, first + i]));
  }

  /**
   * Text → ids.
   *
   * @param text Any string (lone surrogates become U+FFFD's bytes).
   * @param options `allowSpecial: false` encodes special tokens as plain text.
   * @returns The ids.
   * @throws {TypeError} When `text` is not a string.
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== "string") throw new TypeError(`Cannot encode text of type ${typeof text}: expected a string`);
    const ids: number[] = [];
    const specials = options.allowSpecial === false ? [] : this.#specials;
    for (const piece of splitOnSpecialTokens(text, specials)) {
      if (piece.special) ids.push(this.specialId(piece.text));
      else for (const word of piece.text.match(this.#pattern) ?? []) this.#encodeWord(word, ids);
    }
    return ids;
  }

  #encodeWord(word: string, out: number[]): void {
    let ids = this.#cache.get(word);
    if (ids === undefined) {
      ids = [];
      let segment: number[] = [];
      for (const ch of word) {
        const id = this.#charIds.get(ch);
        if (id !== undefined) {
          segment.push(id);
          continue;
        }
        ids.push(...this.#applyMerges(segment), ...utf8.encode(ch));
        segment = [];
      }
      ids.push(...this.#applyMerges(segment));
      if (this.#cache.size >= CACHE_LIMIT) this.#cache.clear();
      this.#cache.set(word, ids);
    }
    for (const id of ids) out.push(id);
  }

  /** Applies merges to a segment, lowest rank first, as training did. */
  #applyMerges(segment: number[]): number[] {
    const mergeBase = BYTE_TOKENS + this.#alphabet.length;
    while (segment.length > 1) {
      let best = Infinity;
      for (let i = 0; i + 1 < segment.length; i++) {
        const r = this.#ranks.get(segment[i] * SHIFT + segment[i + 1]);
        if (r !== undefined && r < best) best = r;
      }
      if (best === Infinity) break;
      const [a, b] = this.#merges[best];
      const merged: number[] = [];
      for (let i = 0; i < segment.length; i++) {
        if (segment[i] === a && segment[i + 1] === b) merged.push(mergeBase + best), i++;
        else merged.push(segment[i]);
      }
      segment = merged;
    }
    return segment;
  }

  /**
   * Ids → text. Byte tokens are joined into UTF-8; an incomplete or invalid byte sequence becomes U+FFFD.
   *
   * @param ids Integers in `[0, vocabSize)`.
   * @param options `skipSpecial` leaves special tokens out.
   * @returns The text.
   * @throws {RangeError} For an id outside the vocabulary.
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkIds(ids, this.vocabSize);
    const skipSpecial = options.skipSpecial ?? false;
    const pieces: string[] = [];
    let bytes: number[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id < BYTE_TOKENS) {
        bytes.push(id);
        continue;
      }
      if (bytes.length > 0) pieces.push(utf8Decoder.decode(Uint8Array.from(bytes))), bytes = [];
      const k = id - BYTE_TOKENS;
      if (k < this.#strings.length) pieces.push(this.#strings[k]);
      else if (!skipSpecial) pieces.push(this.#specials[k - this.#strings.length]);
    }
    if (bytes.length > 0) pieces.push(utf8Decoder.decode(Uint8Array.from(bytes)));
    return pieces.join("");
  }

  /**
   * The UTF-8 bytes of one id (one byte for a byte token), for decoders that stream bytes.
   *
   * @param id An integer in `[0, vocabSize)`.
   * @returns The bytes (a new array).
   * @throws {RangeError} For an id outside the vocabulary.
   */
  idToBytes(id: number): Uint8Array {
    checkIds([id], this.vocabSize);
    return id < BYTE_TOKENS ? Uint8Array.of(id) : utf8.encode(this.idToToken(id));
  }

  /** The tokens of `text` as display strings, one per id; bytes appear as `<0xE4>`. */
  tokens(text: string, options: EncodeOptions = {}): string[] {
    return this.encode(text, options).map((id) => this.idToToken(id));
  }

  /** The display string of an id: the token's text, or `<0xE4>` for a byte; throws a RangeError out of range. */
  idToToken(id: number): string {
    checkIds([id], this.vocabSize);
    if (id < BYTE_TOKENS) return byteTokenName(id);
    const i = id - BYTE_TOKENS;
    return i < this.#strings.length ? this.#strings[i] : this.#specials[i - this.#strings.length];
  }

  /** The id of a token string (`<0xE4>` names a byte), or `undefined`; the first id when two merges spell the same. */
  tokenToId(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** The id of a special token; throws a RangeError naming the special tokens there are. */
  specialId(token: string): number {
    const i = this.#specials.indexOf(token);
    if (i < 0) {
      throw new RangeError(
        `Cannot find special token "${token}": this tokenizer has ${JSON.stringify(this.#specials)}; ` +
          `add it with addSpecialTokens`,
      );
    }
    return BYTE_TOKENS + this.#strings.length + i;
  }

  /**
   * Adds special tokens at the end of the vocabulary; special tokens already there keep their ids.
   *
   * @param tokens Non-empty strings.
   * @returns Their ids, in the order given.
   * @throws {RangeError} For an empty token.
   * @example
   * ```ts
   * import { BpeTokenizer } from "@lib/text/bpe_tokenizer.ts";
   * import assert from "node:assert/strict";
   * const tok = BpeTokenizer.train("你好", { vocabSize: 300 });
   * assert.deepEqual(tok.addSpecialTokens(["<|user|>", "<|end|>"]), [258, 259]); // after 256 bytes + 你 + 好
   * assert.deepEqual(tok.encode("<|user|>你好<|end|>"), [258, 256, 257, 259]);
   * ```
   */
  addSpecialTokens(tokens: readonly string[]): number[] {
    checkSpecialTokens(tokens);
    return tokens.map((token) => {
      if (!this.#specials.includes(token)) {
        if (this.vocabSize >= MAX_BPE_VOCAB) {
          throw new RangeError(`Cannot add special token "${token}" as the vocabulary has ${MAX_BPE_VOCAB} ids`);
        }
        this.#specials.push(token);
        if (!this.#ids.has(token)) this.#ids.set(token, this.vocabSize - 1);
      }
      return this.specialId(token);
    });
  }

  /** The saved form. */
  toJSON(): BpeTokenizerJSON {
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_VERSION,
      kind: "bpe",
      pattern: this.#pattern.source,
      alphabet: this.alphabet,
      merges: this.merges,
      specials: [...this.#specials],
    };
  }

  /**
   * Reads the saved form.
   *
   * @param json What {@link BpeTokenizer.toJSON} returned (or its parsed file).
   * @returns The tokenizer.
   * @throws {TypeError} | {RangeError} When `json` is not a valid saved BPE tokenizer of this version.
   */
  static fromJSON(json: unknown): BpeTokenizer {
    checkTokenizerHeader(json, "bpe");
    const { pattern, alphabet, merges, specials } = json as BpeTokenizerJSON;
    for (const [name, value] of [["alphabet", alphabet], ["merges", merges], ["specials", specials]] as const) {
      if (!Array.isArray(value)) throw new TypeError(`Cannot read BPE tokenizer as its ${name} is not an array`);
    }
    if (typeof pattern !== "string") throw new TypeError("Cannot read BPE tokenizer as its pattern is not a string");
    return new BpeTokenizer({ alphabet, merges }, specials, pattern);
  }

  /** Writes the tokenizer as JSON. */
  async save(path: string): Promise<void> {
    await Deno.writeTextFile(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a tokenizer written by {@link BpeTokenizer.save}. */
  static async load(path: string): Promise<BpeTokenizer> {
    return BpeTokenizer.fromJSON(JSON.parse(await Deno.readTextFile(path)));
  }

  /** Notebook display: sizes, special tokens and the first and longest merges. */
  [DISPLAY](): Record<string, string> {
    const show = (id: number) => `<code>${escapeHtml(visibleToken(this.idToToken(id)))}</code>`;
    const base = BYTE_TOKENS + this.#alphabet.length;
    const first = this.#merges.slice(0, 12).map(([a, b], r) => `${show(a)}+${show(b)}→${show(base + r)}`);
    const longest = [...this.#strings.keys()].sort((i, j) =>
      [...this.#strings[j]].length - [...this.#strings[i]].length
    )
      .slice(0, 12).map((i) => show(BYTE_TOKENS + i));
    const rows: [string, string][] = [
      ["kind", "bpe"],
      [
        "vocabSize",
        `${this.vocabSize} = 256 bytes + ${this.#alphabet.length} characters + ` +
        `${this.#merges.length} merges + ${this.#specials.length} special`,
      ],
      ["special tokens", escapeHtml(this.#specials.join(" "))],
      ["first merges", first.join(", ")],
      ["longest tokens", longest.join(" ")],
    ];
    return { "text/plain": this.toString(), "text/html": htmlTable(rows) };
  }

  /** One line: sizes. */
  toString(): string {
    return `BpeTokenizer(vocabSize=${this.vocabSize}: 256 bytes + ${this.#alphabet.length} characters + ` +
      `${this.#merges.length} merges + ${this.#specials.length} special)`;
  }
}
