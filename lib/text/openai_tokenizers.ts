/**
 * The tokenizers of OpenAI's GPTs, for comparison with ours: GPT-2's byte-level BPE (2019, 50,257 tokens), GPT-4's
 * cl100k_base (2023, ~100k) and GPT-4o's o200k_base (2024, ~200k), from the npm package js-tiktoken (pinned in
 * deno.json; its merge tables ship inside the package, so this works offline once `deno install` has run).
 *
 * A byte-level BPE cuts UTF-8 bytes, not characters: a Chinese character is 3 bytes, and a tokenizer that saw little
 * Chinese splits one character over two or three tokens. Each token's bytes are kept, so a display can show which
 * tokens are whole characters and which are pieces of one.
 *
 * @module
 */
import { Tiktoken, type TiktokenBPE } from "js-tiktoken/lite";

/** The encodings compared in notebook 11, oldest first. */
export type OpenAiEncoding = "gpt2" | "cl100k_base" | "o200k_base";

/** What each encoding is. */
export interface OpenAiEncodingInfo {
  /** The encoding's name in tiktoken. */
  name: OpenAiEncoding;
  /** The models that use it. */
  models: string;
  /** The year it came out. */
  year: number;
}

/** The three encodings, oldest first. */
export const OPENAI_ENCODINGS: readonly Readonly<OpenAiEncodingInfo>[] = Object.freeze(
  [
    Object.freeze({ name: "gpt2", models: "GPT-2 (GPT-3 too)", year: 2019 }),
    Object.freeze({ name: "cl100k_base", models: "GPT-3.5-turbo, GPT-4", year: 2023 }),
    Object.freeze({ name: "o200k_base", models: "GPT-4o", year: 2024 }),
  ] as const,
);

/** How a text is cut by one encoding. */
export interface OpenAiTokens {
  /** The encoding. */
  encoding: OpenAiEncoding;
  /** Its vocabulary size: the largest id (special tokens included) + 1, as tiktoken's `n_vocab`. */
  vocabSize: number;
  /** The token ids. */
  ids: number[];
  /** The UTF-8 bytes of each token. */
  bytes: Uint8Array[];
  /**
   * Each token as text: the characters when its bytes are whole UTF-8 characters, else the bytes in hex
   * (`<E5 BA>`), since such a token is only a piece of a character.
   */
  pieces: string[];
  /** How many tokens are pieces of a character rather than whole characters. */
  partial: number;
}

/** The merge tables, read once per process (the modules are large string literals). */
const tables = new Map<OpenAiEncoding, TiktokenBPE>();

async function ranks(name: OpenAiEncoding): Promise<TiktokenBPE> {
  if (!OPENAI_ENCODINGS.some((e) => e.name === name)) {
    throw new RangeError(
      `Cannot load the OpenAI encoding "${name}": expected one of ${OPENAI_ENCODINGS.map((e) => e.name).join(", ")}`,
    );
  }
  let table = tables.get(name);
  if (table === undefined) {
    switch (name) {
      case "gpt2":
        table = (await import("js-tiktoken/ranks/gpt2")).default;
        break;
      case "cl100k_base":
        table = (await import("js-tiktoken/ranks/cl100k_base")).default;
        break;
      case "o200k_base":
        table = (await import("js-tiktoken/ranks/o200k_base")).default;
        break;
    }
    tables.set(name, table!);
  }
  return table!;
}

/** A string with one character per byte (what `atob` returns), for searching bytes with `includes`. */
function binary(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += String.fromCharCode(b);
  return out;
}

/**
 * The encoder of one encoding, restricted to the tokens whose bytes occur in `text`, and the full vocabulary size.
 * Byte-pair encoding only ever forms tokens that are pieces of the text it encodes, so the restricted encoder cuts
 * `text` exactly as the full one does, and building it skips decoding the 100–200 thousand other tokens (building
 * o200k's full encoder takes over a second; a test checks that both agree).
 */
async function encoderFor(text: string, name: OpenAiEncoding): Promise<{ enc: Tiktoken; vocabSize: number }> {
  const table = await ranks(name);
  const hay = binary(new TextEncoder().encode(text));
  const kept: string[] = [];
  let max = Math.max(-1, ...Object.values(table.special_tokens));
  for (const line of table.bpe_ranks.split("\n")) {
    if (line === "") continue;
    const [marker, offsetText, ...tokens] = line.split(" ");
    const offset = Number.parseInt(offsetText, 10);
    max = Math.max(max, offset + tokens.length - 1);
    tokens.forEach((token, i) => {
      if (hay.includes(atob(token))) kept.push(`${marker} ${offset + i} ${token}`);
    });
  }
  return { enc: new Tiktoken({ ...table, bpe_ranks: kept.join("\n") }), vocabSize: max + 1 };
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A token's bytes as text when they are whole characters, else in hex. */
function pieceOf(bytes: Uint8Array): { text: string; whole: boolean } {
  try {
    return { text: strictUtf8.decode(bytes), whole: true };
  } catch {
    const hex = Array.from(bytes, (b) => b.toString(16).toUpperCase().padStart(2, "0")).join(" ");
    return { text: `<${hex}>`, whole: false };
  }
}

/**
 * Cuts a text with one of OpenAI's tokenizers.
 *
 * @param text The text.
 * @param name The encoding: "gpt2", "cl100k_base" or "o200k_base".
 * @returns The ids, each token's bytes and text, and how many tokens are pieces of a character.
 * @throws {RangeError} For another encoding name.
 * @throws {TypeError} When text is not a string.
 * @example
 * ```ts
 * import { openAiTokens } from "@lib/text/openai_tokenizers.ts";
 * import assert from "node:assert/strict";
 * const line = "床前明月光，疑是地上霜。";
 * assert.equal((await openAiTokens(line, "gpt2")).ids.length, 23);
 * assert.equal((await openAiTokens(line, "cl100k_base")).ids.length, 17);
 * const o200k = await openAiTokens(line, "o200k_base");
 * assert.equal(o200k.ids.length, 13);
 * assert.equal(o200k.pieces.join("").replace(/<[^>]*>/g, "").length > 0, true);
 * ```
 */
export async function openAiTokens(text: string, name: OpenAiEncoding): Promise<OpenAiTokens> {
  if (typeof text !== "string") {
    throw new TypeError(`Cannot tokenize a value of type ${typeof text}: give a string`);
  }
  const { enc, vocabSize } = await encoderFor(text, name);
  const ids = enc.encode(text);
  const table = (enc as unknown as { textMap: Map<number, Uint8Array> }).textMap;
  const bytes = ids.map((id) => table.get(id) ?? new TextEncoder().encode(enc.decode([id])));
  const pieces = bytes.map(pieceOf);
  return {
    encoding: name,
    vocabSize,
    ids,
    bytes,
    pieces: pieces.map((p) => p.text),
    partial: pieces.filter((p) => !p.whole).length,
  };
}
