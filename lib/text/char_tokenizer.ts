/**
 * A character-level tokenizer: one id per Unicode character, plus whole special tokens.
 *
 * @module
 */
import { checkSpecialTokens, splitOnSpecialTokens, UNK_TOKEN } from "./special_tokens.ts";
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

/** The saved form of a {@link CharTokenizer}. */
export interface CharTokenizerJSON extends TokenizerJSONHeader {
  /** Always `"char"`. */
  kind: "char";
  /** Token of each id, in id order: single characters and special tokens. */
  vocabulary: string[];
  /** The unknown token, or `null` when unknown characters are an error. */
  unk: string | null;
}

/** Options of the {@link CharTokenizer} constructor. */
export interface CharTokenizerOptions {
  /** Token that unknown characters become; default `"<unk>"` when the vocabulary has it, else none (`null`). */
  unk?: string | null;
}

/** Options of {@link CharTokenizer.fromText}. */
export interface CharFromTextOptions {
  /** Largest vocabulary, special tokens included; the most frequent characters are kept (default: all). */
  maxVocab?: number;
  /** Special tokens placed first, at ids 0, 1, …; default `["<unk>"]`. */
  specials?: readonly string[];
}

/** Number of UTF-16 units of a string that is one code point. */
function isOneCodePoint(s: string): boolean {
  const cp = s.codePointAt(0);
  return cp !== undefined && s.length === (cp > 0xffff ? 2 : 1);
}

/**
 * Character tokenizer: each character of the vocabulary is one id; multi-character entries (`<unk>`, `<|end|>`) are
 * special tokens encoded whole; characters outside the vocabulary become `<unk>`.
 *
 * @example
 * ```ts
 * import { CharTokenizer } from "@lib/text/char_tokenizer.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("床前明月光，疑是地上霜。");
 * assert.equal(tok.vocabSize, 13); // <unk> + 12 characters
 * assert.equal(tok.decode(tok.encode("明月光")), "明月光");
 * assert.equal(tok.decode(tok.encode("明日")), "明<unk>");
 * ```
 */
export class CharTokenizer implements Tokenizer {
  readonly kind = "char" as const;
  readonly #vocabulary: string[] = [];
  readonly #ids = new Map<string, number>();
  readonly #specials: string[] = [];
  #unkId: number | undefined;

  /**
   * Builds a tokenizer from a vocabulary list; the id of a token is its index.
   *
   * @param vocabulary Distinct tokens: single characters, and special tokens of several characters.
   * @param options The unknown token.
   * @throws {TypeError} When `vocabulary` is not an array of strings.
   * @throws {RangeError} For an empty or duplicated entry, or an `unk` that is not in the vocabulary.
   */
  constructor(vocabulary: readonly string[], options: CharTokenizerOptions = {}) {
    if (!Array.isArray(vocabulary)) {
      throw new TypeError(`Cannot create CharTokenizer as vocabulary must be an array of strings: got ${vocabulary}`);
    }
    for (const token of vocabulary) this.#push(token, !isOneCodePoint(String(token)));
    const unk = options.unk === undefined ? (this.#ids.has(UNK_TOKEN) ? UNK_TOKEN : null) : options.unk;
    if (unk !== null && !this.#ids.has(unk)) {
      throw new RangeError(`Cannot create CharTokenizer as its unknown token "${unk}" is not in the vocabulary`);
    }
    this.#unkId = unk === null ? undefined : this.#ids.get(unk);
    if (unk !== null && !this.#specials.includes(unk)) this.#specials.push(unk);
  }

  #push(token: string, special: boolean): number {
    if (typeof token !== "string" || token.length === 0) {
      throw new RangeError(
        `Cannot add token ${JSON.stringify(token)} to CharTokenizer as it must be a non-empty string`,
      );
    }
    if (this.#ids.has(token)) {
      throw new RangeError(`Cannot add token "${token}" to CharTokenizer as it is already in the vocabulary`);
    }
    const id = this.#vocabulary.length;
    this.#vocabulary.push(token);
    this.#ids.set(token, id);
    if (special) this.#specials.push(token);
    return id;
  }

  /**
   * Builds the vocabulary of a text: special tokens first, then characters from most to least frequent (ties in
   * code-point order).
   *
   * @param text The corpus.
   * @param options Size cap and special tokens.
   * @returns The tokenizer.
   * @throws {TypeError} When `text` is not a string.
   * @throws {RangeError} When `maxVocab` is not an integer larger than the number of special tokens.
   * @example
   * ```ts
   * import { CharTokenizer } from "@lib/text/char_tokenizer.ts";
   * import assert from "node:assert/strict";
   * const tok = CharTokenizer.fromText("aaabbc", { maxVocab: 3 });
   * assert.deepEqual(tok.tokens("abc"), ["a", "b", "<unk>"]);
   * ```
   */
  static fromText(text: string, options: CharFromTextOptions = {}): CharTokenizer {
    if (typeof text !== "string") throw new TypeError(`Cannot build CharTokenizer from text of type ${typeof text}`);
    const specials = options.specials ?? [UNK_TOKEN];
    checkSpecialTokens(specials);
    const maxVocab = options.maxVocab ?? Infinity;
    if (maxVocab !== Infinity && (!Number.isInteger(maxVocab) || maxVocab <= specials.length)) {
      throw new RangeError(
        `Cannot build CharTokenizer as maxVocab must be an integer larger than the ${specials.length} special ` +
          `tokens: current value is ${maxVocab}`,
      );
    }
    const counts = new Map<string, number>();
    for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    const chars = [...counts.keys()].filter((ch) => !specials.includes(ch));
    chars.sort((a, b) => counts.get(b)! - counts.get(a)! || a.codePointAt(0)! - b.codePointAt(0)!);
    const tok = new CharTokenizer([], { unk: null });
    for (const s of specials) tok.#push(s, true);
    for (const ch of chars.slice(0, maxVocab - specials.length)) tok.#push(ch, false);
    tok.#unkId = tok.#ids.get(UNK_TOKEN);
    return tok;
  }

  /** Number of ids. */
  get vocabSize(): number {
    return this.#vocabulary.length;
  }

  /** The vocabulary in id order (a copy). */
  get vocabulary(): string[] {
    return [...this.#vocabulary];
  }

  /** Special token → id, `<unk>` included. */
  get specialTokens(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.#specials.map((s) => [s, this.#ids.get(s)!]));
  }

  /** The id unknown characters get, or `undefined` when they are an error. */
  get unkId(): number | undefined {
    return this.#unkId;
  }

  /**
   * Text → ids, one per character or special token.
   *
   * @param text The text.
   * @param options `allowSpecial: false` reads special tokens as plain characters.
   * @returns The ids.
   * @throws {TypeError} When `text` is not a string.
   * @throws {RangeError} For a character outside the vocabulary when there is no unknown token.
   */
  encode(text: string, options: EncodeOptions = {}): number[] {
    if (typeof text !== "string") throw new TypeError(`Cannot encode text of type ${typeof text}: expected a string`);
    const ids: number[] = [];
    const specials = options.allowSpecial === false ? [] : this.#specials;
    for (const piece of splitOnSpecialTokens(text, specials)) {
      if (piece.special) ids.push(this.#ids.get(piece.text)!);
      else for (const ch of piece.text) ids.push(this.#ids.get(ch) ?? this.#unknown(ch, text));
    }
    return ids;
  }

  #unknown(ch: string, text: string): number {
    if (this.#unkId !== undefined) return this.#unkId;
    const cp = ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0");
    throw new RangeError(
      `Cannot encode character "${ch}" (U+${cp}) at position ${text.indexOf(ch)} as it is not in the vocabulary ` +
        `and the tokenizer has no unknown token`,
    );
  }

  /**
   * Ids → text.
   *
   * @param ids Integers in `[0, vocabSize)`.
   * @param options `skipSpecial` leaves special tokens out.
   * @returns The text.
   * @throws {RangeError} For an id outside the vocabulary.
   */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    checkIds(ids, this.vocabSize);
    let text = "";
    for (let i = 0; i < ids.length; i++) {
      const token = this.#vocabulary[ids[i]];
      if (!(options.skipSpecial && this.#specials.includes(token))) text += token;
    }
    return text;
  }

  /** The tokens of `text` (characters, `<unk>` and special tokens), one per id. */
  tokens(text: string, options: EncodeOptions = {}): string[] {
    return this.encode(text, options).map((id) => this.#vocabulary[id]);
  }

  /** The token of an id; throws a RangeError outside the vocabulary. */
  idToToken(id: number): string {
    checkIds([id], this.vocabSize);
    return this.#vocabulary[id];
  }

  /** The id of a token, or `undefined`. */
  tokenToId(token: string): number | undefined {
    return this.#ids.get(token);
  }

  /** The id of a special token; throws a RangeError naming the special tokens there are. */
  specialId(token: string): number {
    const id = this.#specials.includes(token) ? this.#ids.get(token) : undefined;
    if (id === undefined) {
      throw new RangeError(
        `Cannot find special token "${token}": this tokenizer has ${JSON.stringify(this.#specials)}; ` +
          `add it with addSpecialTokens`,
      );
    }
    return id;
  }

  /**
   * Adds special tokens at the end of the vocabulary; tokens already there keep their ids (a single character already
   * in the vocabulary stays an ordinary character).
   *
   * @param tokens Non-empty strings.
   * @returns Their ids, in the order given.
   * @throws {RangeError} For an empty token.
   * @example
   * ```ts
   * import { CharTokenizer } from "@lib/text/char_tokenizer.ts";
   * import assert from "node:assert/strict";
   * const tok = CharTokenizer.fromText("你好");
   * assert.deepEqual(tok.addSpecialTokens(["<|user|>", "<|end|>"]), [3, 4]);
   * assert.deepEqual(tok.encode("<|user|>你好<|end|>"), [3, 1, 2, 4]);
   * ```
   */
  addSpecialTokens(tokens: readonly string[]): number[] {
    checkSpecialTokens(tokens);
    return tokens.map((token) => {
      const id = this.#ids.get(token);
      if (id !== undefined) {
        if (!isOneCodePoint(token) && !this.#specials.includes(token)) this.#specials.push(token);
        return id;
      }
      return this.#push(token, true);
    });
  }

  /** The saved form. */
  toJSON(): CharTokenizerJSON {
    const unk = this.#unkId === undefined ? null : this.#vocabulary[this.#unkId];
    return {
      format: TOKENIZER_FORMAT,
      version: TOKENIZER_VERSION,
      kind: "char",
      vocabulary: [...this.#vocabulary],
      unk,
    };
  }

  /**
   * Reads the saved form.
   *
   * @param json What {@link CharTokenizer.toJSON} returned (or its parsed file).
   * @returns The tokenizer.
   * @throws {TypeError} | {RangeError} When `json` is not a saved char tokenizer of this version.
   */
  static fromJSON(json: unknown): CharTokenizer {
    checkTokenizerHeader(json, "char");
    const { vocabulary, unk } = json as CharTokenizerJSON;
    if (!Array.isArray(vocabulary)) throw new TypeError("Cannot read char tokenizer as its vocabulary is not an array");
    return new CharTokenizer(vocabulary, { unk: unk ?? null });
  }

  /** Writes the tokenizer as JSON. */
  async save(path: string): Promise<void> {
    await Deno.writeTextFile(path, JSON.stringify(this.toJSON()));
  }

  /** Reads a tokenizer written by {@link CharTokenizer.save}. */
  static async load(path: string): Promise<CharTokenizer> {
    return CharTokenizer.fromJSON(JSON.parse(await Deno.readTextFile(path)));
  }

  /** Notebook display: size, special tokens and the first tokens. */
  [DISPLAY](): Record<string, string> {
    const first = this.#vocabulary.slice(0, 40).map((t) => escapeHtml(visibleToken(t))).join(" ");
    const rows: [string, string][] = [
      ["kind", "char"],
      ["vocabSize", String(this.vocabSize)],
      ["special tokens", escapeHtml(this.#specials.join(" "))],
      ["first tokens", first],
    ];
    return { "text/plain": this.toString(), "text/html": htmlTable(rows) };
  }

  /** One line: kind, size and special tokens. */
  toString(): string {
    return `CharTokenizer(vocabSize=${this.vocabSize}, specials=${this.#specials.join(" ")})`;
  }
}
