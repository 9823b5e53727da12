/**
 * Tables for the notebooks: rows of records shown as an HTML table with rounded numbers, and as aligned text where
 * HTML is not shown. Use it instead of `console.table`, which adds an "(idx)" column, quotes strings and prints
 * floating-point noise (0.19999999999999998).
 *
 * @module
 */
import { DISPLAY, type Displayable, escapeHtml, formatNumber, type MimeBundle } from "./display.ts";

/** A table cell: text, a number (rounded for reading), a boolean, or nothing. */
export type Cell = string | number | boolean | null | undefined;

/** Options of {@link table}. */
export interface TableOptions {
  /** A caption above the table. */
  title?: string;
  /** The columns to show, in order (default: every key, in the order the rows first use them). */
  columns?: readonly string[];
  /** How numbers are written (default {@link formatNumber}: 4 significant digits). */
  format?: (value: number, column: string) => string;
}

/** A table with a Jupyter display: HTML with a `text/plain` fallback. */
export class Table implements Displayable {
  /** The column names, in order. */
  readonly columns: readonly string[];
  /** The cells as the reader sees them, row by row. */
  readonly cells: readonly (readonly string[])[];
  /** The caption, or "". */
  readonly title: string;
  /** Which columns hold only numbers (right-aligned). */
  readonly #numeric: readonly boolean[];

  /**
   * @param columns Column names.
   * @param cells Text of every cell, row by row.
   * @param numeric Which columns to right-align.
   * @param title Caption.
   */
  constructor(
    columns: readonly string[],
    cells: readonly (readonly string[])[],
    numeric: readonly boolean[],
    title = "",
  ) {
    this.columns = columns;
    this.cells = cells;
    this.#numeric = numeric;
    this.title = title;
  }

  /** The table as aligned text (Chinese characters count as two columns). */
  text(): string {
    const widths = this.columns.map((c, j) => Math.max(textWidth(c), ...this.cells.map((r) => textWidth(r[j]))));
    const pad = (s: string, j: number) => {
      const fill = " ".repeat(widths[j] - textWidth(s));
      return this.#numeric[j] ? fill + s : s + fill;
    };
    const line = (row: readonly string[]) => row.map(pad).join("  ").trimEnd();
    const rule = widths.map((w) => "-".repeat(w)).join("  ");
    return [...(this.title ? [this.title] : []), line(this.columns), rule, ...this.cells.map(line)].join("\n");
  }

  /** The table as an HTML fragment. */
  html(): string {
    const align = (j: number) => (this.#numeric[j] ? "right" : "left");
    const head = this.columns.map((c, j) => `<th style="text-align:${align(j)}">${escapeHtml(c)}</th>`).join("");
    const body = this.cells.map((row) =>
      `<tr>${row.map((v, j) => `<td style="text-align:${align(j)}">${escapeHtml(v)}</td>`).join("")}</tr>`
    ).join("");
    const caption = this.title
      ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(this.title)}</caption>`
      : "";
    return `<table class="liandan-table">${caption}<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
  }

  /** MIME bundle: HTML and the aligned text. */
  [DISPLAY](): MimeBundle {
    return { "text/plain": this.text(), "text/html": this.html() };
  }
}

/**
 * Makes a table from rows of records: one column per key, numbers rounded for reading.
 *
 * @param rows The rows, e.g. `[{ eta: 0.1, loss: 0.00123 }, …]`.
 * @param options Caption, column order, number format.
 * @returns The table; `await show(table(rows))` displays it.
 * @throws {TypeError} When rows is not an array of plain objects, or a cell is an object or a function.
 * @throws {RangeError} When rows is empty or a named column is in no row.
 * @example
 * ```ts
 * import { table } from "@lib/notebook/table.ts";
 * import assert from "node:assert/strict";
 * const t = table([{ eta: 0.1, loss: 0.19999999999999998 }, { eta: 0.23, loss: 4.9147576445717755e-9 }]);
 * assert.equal(t.text(), [" eta      loss", "----  --------", " 0.1       0.2", "0.23  4.915e-9"].join("\n"));
 * ```
 */
export function table(rows: readonly Record<string, Cell>[], options: TableOptions = {}): Table {
  if (!Array.isArray(rows)) {
    throw new TypeError(`Cannot make a table as rows must be an array of records: got ${typeof rows}`);
  }
  if (rows.length === 0) throw new RangeError("Cannot make a table as rows is empty: give at least one row");
  rows.forEach((row, i) => {
    if (typeof row !== "object" || row === null || Array.isArray(row)) {
      throw new TypeError(`Cannot make a table as row ${i} must be a record of column values: got ${kind(row)}`);
    }
  });
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns = options.columns ? [...options.columns] : keys;
  for (const c of columns) {
    if (!keys.includes(c)) {
      throw new RangeError(`Cannot make a table as column "${c}" is in no row: the rows have ${keys.join(", ")}`);
    }
  }
  const format = options.format ?? ((v: number) => formatNumber(v));
  const cells = rows.map((row, i) =>
    columns.map((c) => {
      const v = row[c];
      if (typeof v === "number") return format(v, c);
      if (v === null || v === undefined) return "";
      if (typeof v === "string") return v;
      if (typeof v === "boolean") return v ? "yes" : "no";
      throw new TypeError(`Cannot make a table as row ${i}, column "${c}" must be text or a number: got ${kind(v)}`);
    })
  );
  const numeric = columns.map((c) => rows.every((r) => typeof r[c] === "number" || r[c] == null));
  return new Table(columns, cells, numeric, options.title ?? "");
}

function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? "an object" : typeof v;
}

/** Display width of text: characters from U+2E80 on (CJK, full-width) count as two. */
function textWidth(s: string): number {
  let n = 0;
  for (const ch of s) n += ch.codePointAt(0)! >= 0x2e80 ? 2 : 1;
  return n;
}
