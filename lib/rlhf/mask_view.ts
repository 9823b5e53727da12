/**
 * The response mask as a picture: every token of a templated example as a box, green when the loss counts the model's
 * prediction of it (the response and its `<|end|>`), grey when it does not (the prompt and the role tokens).
 *
 * @module
 */
import { DISPLAY, escapeHtml } from "../notebook/display.ts";
import type { CharTokenizer } from "../text/mod.ts";
import type { EncodedChat } from "./chat_template.ts";

/** What {@link maskView} gives: the tokens, whether each is learned, and the picture. */
export interface MaskView {
  /** Each token of the example, as text (`\n` shown as `↵`). */
  tokens: string[];
  /** Whether the loss counts the prediction of each token (the first token is never predicted). */
  learned: boolean[];
  /** The coloured boxes with a legend. */
  html: string;
  /** Notebook display: the boxes as HTML; in text, learned tokens in [brackets]. */
  [DISPLAY](): Record<string, string>;
}

/**
 * Draws an encoded chat example with its response mask, token by token.
 *
 * @param tokenizer The tokenizer it was encoded with.
 * @param example The encoded example ({@link encodeChat}).
 * @param legend The legend's two labels: tokens the loss counts, tokens it ignores (default English).
 * @returns The tokens, their learned flags and the HTML, displayable as a cell's last value.
 * @throws {RangeError} When the mask is not one entry shorter than the ids.
 * @example
 * ```ts
 * import { addChatTokens, encodeChat, maskView } from "@lib/rlhf/mod.ts";
 * import { CharTokenizer } from "@lib/text/mod.ts";
 * import { DISPLAY } from "@lib/notebook/mod.ts";
 * import assert from "node:assert/strict";
 * const tok = new CharTokenizer(["<unk>", "问", "答"]);
 * addChatTokens(tok);
 * const view = maskView(tok, encodeChat(tok, { prompt: "问", response: "答" }));
 * assert.deepEqual(view.learned, [false, false, false, true, true]);
 * assert.equal(view[DISPLAY]()["text/plain"], "<|user|> 问 <|assistant|> [答] [<|end|>]");
 * ```
 */
export function maskView(
  tokenizer: CharTokenizer,
  example: EncodedChat,
  legend: readonly [string, string] = ["in the loss (response)", "not in the loss (prompt, template)"],
): MaskView {
  if (example.mask.length !== example.ids.length - 1) {
    throw new RangeError(
      `Cannot draw the mask as it has ${example.mask.length} entries for ${example.ids.length} ids: it needs ` +
        `${example.ids.length - 1}`,
    );
  }
  const tokens = example.ids.map((id) => tokenizer.idToToken(id).replace(/\n/g, "↵"));
  const learned = example.ids.map((_, i) => i > 0 && example.mask[i - 1] === 1);
  const box = (text: string, on: boolean) =>
    `<span style="background:${on ? "#b7e4c7" : "#e9ecef"};color:${on ? "#1b4332" : "#6c757d"};` +
    `padding:1px 3px;margin:1px;border-radius:3px;display:inline-block">${escapeHtml(text)}</span>`;
  const html = `<div style="font-family:monospace;line-height:2">${
    tokens.map((t, i) => box(t, learned[i])).join("")
  }</div><div style="font-size:90%">${box("■", true)} ${escapeHtml(legend[0])} &nbsp; ${box("■", false)} ${
    escapeHtml(legend[1])
  } — ${learned.filter(Boolean).length} / ${tokens.length}</div>`;
  const plain = tokens.map((t, i) => (learned[i] ? `[${t}]` : t)).join(" ");
  return { tokens, learned, html, [DISPLAY]: () => ({ "text/html": html, "text/plain": plain }) };
}
