/**
 * Showing how a tokenizer cuts a text: coloured token boundaries in a notebook.
 *
 * @module
 */
import type { EncodeOptions, Tokenizer } from "./tokenizer.ts";
import { DISPLAY, escapeHtml, visibleToken } from "./_display.ts";

const COLOURS = ["#fde2e4", "#cde6f7", "#d8f3dc", "#fff1c1", "#e2d9f3", "#ffd8be"];

/** A text cut into tokens, displayed as coloured boxes (hover for the id). */
export interface TokenView {
  /** The ids. */
  ids: number[];
  /** The display string of each id. */
  tokens: string[];
  /** The coloured HTML. */
  html: string;
  /** Notebook display: `text/html` boxes, `text/plain` tokens joined by `|`. */
  [DISPLAY](): Record<string, string>;
}

/**
 * Encodes a text and shows its tokens as alternately coloured boxes, for comparing tokenizers in a notebook.
 *
 * @param tokenizer Any {@link Tokenizer}.
 * @param text The text to cut.
 * @param options Encoding options (`allowSpecial`).
 * @returns The ids, tokens and HTML, displayable as a cell's last value.
 * @throws {TypeError} When `text` is not a string.
 * @example
 * ```ts
 * import { CharTokenizer, showTokens } from "@lib/text/mod.ts";
 * import assert from "node:assert/strict";
 * const view = showTokens(CharTokenizer.fromText("白日依山尽"), "白日");
 * assert.deepEqual(view.tokens, ["白", "日"]);
 * assert.match(view.html, /title="id 5"/); // ties in code-point order: 依 尽 山 日 白
 * ```
 */
export function showTokens(tokenizer: Tokenizer, text: string, options: EncodeOptions = {}): TokenView {
  const ids = tokenizer.encode(text, options);
  const tokens = ids.map((id) => tokenizer.idToToken(id));
  const boxes = tokens.map((token, i) => {
    const style = `background:${COLOURS[i % COLOURS.length]};padding:1px 2px;margin:0 1px;border-radius:3px`;
    const br = token.endsWith("\n") ? "<br>" : "";
    return `<span title="id ${ids[i]}" style="${style}">${escapeHtml(visibleToken(token))}</span>${br}`;
  });
  const html = `<div style="font-family:monospace;line-height:1.9">${boxes.join("")}</div>` +
    `<div style="color:#666">${ids.length} tokens for ${[...text].length} characters</div>`;
  return {
    ids,
    tokens,
    html,
    [DISPLAY]: () => ({ "text/html": html, "text/plain": tokens.map(visibleToken).join("|") }),
  };
}
