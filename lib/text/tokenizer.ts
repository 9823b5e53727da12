/**
 * The interface every tokenizer in the course implements, and the JSON header they share.
 *
 * @module
 */

/** The `format` field of every saved tokenizer. */
export const TOKENIZER_FORMAT = "liandan-tokenizer";

/** The version of the saved-tokenizer format this library writes and reads. */
export const TOKENIZER_VERSION = 1;

/** The kinds of tokenizer, as written in their JSON. */
export type TokenizerKind = "char" | "bpe";

/** What every saved tokenizer starts with. */
export interface TokenizerJSONHeader {
  /** Always {@link TOKENIZER_FORMAT}. */
  format: typeof TOKENIZER_FORMAT;
  /** {@link TOKENIZER_VERSION} when written. */
  version: number;
  /** Which class reads the rest. */
  kind: TokenizerKind;
}

/** Options of {@link Tokenizer.encode}. */
export interface EncodeOptions {
  /** Encode special tokens found in the text as their single ids (default `true`); `false` treats them as text. */
  allowSpecial?: boolean;
}

/** Options of {@link Tokenizer.decode}. */
export interface DecodeOptions {
  /** Leave special tokens out of the decoded text (default `false`). */
  skipSpecial?: boolean;
}

/** Text to token ids and back. {@link CharTokenizer} and {@link BpeTokenizer} implement it. */
export interface Tokenizer {
  /** `"char"` or `"bpe"`. */
  readonly kind: TokenizerKind;
  /** Number of ids: every id is an integer in `[0, vocabSize)`. Grows when special tokens are added. */
  readonly vocabSize: number;
  /** Special token → id. */
  readonly specialTokens: Readonly<Record<string, number>>;
  /** Text → ids. */
  encode(text: string, options?: EncodeOptions): number[];
  /** Ids → text. */
  decode(ids: ArrayLike<number>, options?: DecodeOptions): string;
  /** The tokens of `text` as display strings (bytes as `<0xE4>`), one per id of `encode(text)`. */
  tokens(text: string, options?: EncodeOptions): string[];
  /** The display string of one id. */
  idToToken(id: number): string;
  /** The id of a token string, or `undefined` when it is not in the vocabulary. */
  tokenToId(token: string): number | undefined;
  /** The id of a special token; throws a RangeError naming the known ones when it is missing. */
  specialId(token: string): number;
  /** Adds special tokens (existing ones keep their ids) and returns their ids in the order given. */
  addSpecialTokens(tokens: readonly string[]): number[];
  /** A JSON-ready description that {@link tokenizerFromJSON} turns back into an equal tokenizer. */
  toJSON(): TokenizerJSONHeader;
  /** Writes `toJSON()` to a file. */
  save(path: string): Promise<void>;
}

/**
 * Checks the header of a saved tokenizer.
 *
 * @param json The parsed JSON.
 * @param kind The kind the caller reads, or `undefined` for any.
 * @returns The header.
 * @throws {TypeError} When `json` is not a saved tokenizer of this format.
 * @throws {RangeError} When the version or kind differ.
 * @example
 * ```ts
 * import { checkTokenizerHeader } from "@lib/text/tokenizer.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkTokenizerHeader({ format: "liandan-tokenizer", version: 1, kind: "char" }).kind, "char");
 * assert.throws(() => checkTokenizerHeader({ format: "liandan-tokenizer", version: 9, kind: "char" }), /version 9/);
 * ```
 */
export function checkTokenizerHeader(json: unknown, kind?: TokenizerKind): TokenizerJSONHeader {
  const header = json as Partial<TokenizerJSONHeader> | null;
  if (typeof header !== "object" || header === null || header.format !== TOKENIZER_FORMAT) {
    throw new TypeError(
      `Cannot read tokenizer as its JSON must have format "${TOKENIZER_FORMAT}": got ${
        JSON.stringify(header?.format ?? header)?.slice(0, 80)
      }`,
    );
  }
  if (header.version !== TOKENIZER_VERSION) {
    throw new RangeError(
      `Cannot read tokenizer of format version ${header.version}: this library reads version ${TOKENIZER_VERSION}`,
    );
  }
  if (kind !== undefined && header.kind !== kind) {
    throw new RangeError(`Cannot read a "${header.kind}" tokenizer as a "${kind}" tokenizer`);
  }
  return header as TokenizerJSONHeader;
}

/**
 * Checks that every id is an integer in `[0, vocabSize)`.
 *
 * @param ids The ids to decode.
 * @param vocabSize The tokenizer's vocabulary size.
 * @throws {TypeError} When `ids` is not array-like.
 * @throws {RangeError} Naming the first bad id and its position.
 * @example
 * ```ts
 * import { checkIds } from "@lib/text/tokenizer.ts";
 * import assert from "node:assert/strict";
 * checkIds([0, 1], 2);
 * assert.throws(() => checkIds([0, 2], 2), /token id 2 at position 1/);
 * ```
 */
export function checkIds(ids: ArrayLike<number>, vocabSize: number): void {
  if (ids === null || typeof ids !== "object" || typeof ids.length !== "number") {
    throw new TypeError(`Cannot decode ids as they must be an array of integers: current value is ${ids}`);
  }
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new RangeError(
        `Cannot decode token id ${id} at position ${i} as ids must be integers in [0, ${vocabSize})`,
      );
    }
  }
}
