/** Private helpers for the tokenizers' notebook display. */

import { escapeHtml } from "../notebook/display.ts";

export { DISPLAY, escapeHtml } from "../notebook/display.ts";

/** Shows a token for people: whitespace and control characters made visible. */
export function visibleToken(token: string): string {
  // deno-lint-ignore no-control-regex
  return token.replace(/[\u0000-\u001f\u007f ]/gu, (c) => {
    if (c === " ") return "␣";
    if (c === "\n") return "↵";
    if (c === "\t") return "⇥";
    return `<0x${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}>`;
  });
}

/** A small HTML table of rows. */
export function htmlTable(rows: ReadonlyArray<readonly [string, string]>): string {
  const body = rows.map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td>${v}</td></tr>`);
  return `<table>${body.join("")}</table>`;
}
