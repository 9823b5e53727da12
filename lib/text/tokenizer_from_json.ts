/**
 * Reading any saved tokenizer, whatever its kind.
 *
 * @module
 */
import { BpeTokenizer } from "./bpe_tokenizer.ts";
import { CharTokenizer } from "./char_tokenizer.ts";
import { checkTokenizerHeader, type Tokenizer } from "./tokenizer.ts";

/**
 * Turns a tokenizer's JSON (from `toJSON()` or a saved file) back into a tokenizer of the right class.
 *
 * @param json The parsed JSON.
 * @returns A {@link CharTokenizer} or a {@link BpeTokenizer}.
 * @throws {TypeError} | {RangeError} When `json` is not a saved tokenizer of a known kind and this version.
 * @example
 * ```ts
 * import { CharTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = CharTokenizer.fromText("春眠不觉晓");
 * const copy = tokenizerFromJSON(JSON.parse(JSON.stringify(tok)));
 * assert.equal(copy.kind, "char");
 * assert.deepEqual(copy.encode("春晓"), tok.encode("春晓"));
 * ```
 */
export function tokenizerFromJSON(json: unknown): Tokenizer {
  const { kind } = checkTokenizerHeader(json);
  if (kind === "char") return CharTokenizer.fromJSON(json);
  if (kind === "bpe") return BpeTokenizer.fromJSON(json);
  throw new RangeError(`Cannot read tokenizer of kind "${kind}": known kinds are "char" and "bpe"`);
}

/**
 * Reads a tokenizer saved with `save(path)`.
 *
 * @param path The JSON file.
 * @returns The tokenizer.
 * @throws {Deno.errors.NotFound} When the file is missing; {@link SyntaxError} for broken JSON; see
 *   {@link tokenizerFromJSON}.
 */
export async function loadTokenizer(path: string): Promise<Tokenizer> {
  return tokenizerFromJSON(JSON.parse(await Deno.readTextFile(path)));
}
