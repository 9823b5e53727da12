/**
 * Decoding ids one at a time, as a model samples them, without breaking characters that span several byte tokens.
 *
 * @module
 */
import type { DecodeOptions, Tokenizer } from "./tokenizer.ts";

/** A tokenizer that can give the bytes of an id (as {@link BpeTokenizer} does). */
interface ByteTokenizer extends Tokenizer {
  idToBytes(id: number): Uint8Array;
}

function hasBytes(tokenizer: Tokenizer): tokenizer is ByteTokenizer {
  return typeof (tokenizer as Partial<ByteTokenizer>).idToBytes === "function";
}

/**
 * Turns a stream of ids into text pieces. With a byte fallback a character can take several ids; the decoder holds
 * back incomplete UTF-8 until the rest arrives, so the pieces joined equal `tokenizer.decode(allIds)`.
 *
 * @example
 * ```ts
 * import { BpeTokenizer, StreamDecoder } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = BpeTokenizer.train("明月", { vocabSize: 300 });
 * const stream = new StreamDecoder(tok);
 * const pieces = tok.encode("明🐱").map((id) => stream.push(id));
 * assert.deepEqual(pieces, ["明", "", "", "", "🐱"]); // the emoji is 4 byte tokens
 * assert.equal(stream.flush(), "");
 * ```
 */
export class StreamDecoder {
  readonly #tokenizer: Tokenizer;
  readonly #options: DecodeOptions;
  readonly #utf8 = new TextDecoder();

  /**
   * Starts an empty stream.
   *
   * @param tokenizer Any {@link Tokenizer}.
   * @param options `skipSpecial` leaves special tokens out.
   * @throws {TypeError} When `tokenizer` has no `decode` method.
   */
  constructor(tokenizer: Tokenizer, options: DecodeOptions = {}) {
    if (typeof tokenizer?.decode !== "function") {
      throw new TypeError(`Cannot create StreamDecoder as ${tokenizer} is not a tokenizer (it has no decode method)`);
    }
    this.#tokenizer = tokenizer;
    this.#options = options;
  }

  /**
   * Adds ids and returns the text they complete (possibly empty).
   *
   * @param ids One id or several.
   * @returns The new text.
   * @throws {RangeError} For an id outside the vocabulary.
   */
  push(ids: number | ArrayLike<number>): string {
    const list = typeof ids === "number" ? [ids] : Array.from(ids);
    const tok = this.#tokenizer;
    const specials = new Set(Object.values(tok.specialTokens));
    let text = "";
    for (const id of list) {
      if (specials.has(id)) text += this.#utf8.decode() + (this.#options.skipSpecial ? "" : tok.decode([id]));
      else if (hasBytes(tok)) text += this.#utf8.decode(tok.idToBytes(id), { stream: true });
      else text += tok.decode([id], this.#options);
    }
    return text;
  }

  /**
   * Ends the stream: bytes still held back (an incomplete character) come out as U+FFFD.
   *
   * @returns The remaining text.
   */
  flush(): string {
    return this.#utf8.decode();
  }
}
