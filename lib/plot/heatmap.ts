/**
 * Heatmaps: a matrix as coloured cells, row 0 at the top (attention weights, confusion matrices).
 *
 * @module
 */
import { formatNumber } from "../notebook/display.ts";
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { type MatrixLike, toLabels, toMatrix } from "./_validate.ts";

/** The default colour scale: 0 white, 1 dark blue (plotly's own "Blues" runs the other way). */
export const WHITE_TO_BLUE: [number, string][] = [[0, "#f7fbff"], [0.5, "#6baed6"], [1, "#08306b"]];

/** Options of {@link heatmap}. */
export interface HeatmapOptions extends PlotOptions {
  /** Column labels (e.g. the keys' tokens 发现, 隐藏, 背后, 秘密); repeated labels stay separate columns. */
  x?: readonly (string | number)[];
  /** Row labels (e.g. the queries' tokens). */
  y?: readonly (string | number)[];
  /** Plotly colour scale: a name such as "Viridis", or `[[0, "#fff"], [1, "#000"]]` (default white to dark blue). */
  colorscale?: string | [number, string][];
  /** Value at the bottom of the colour scale (default: the smallest value). */
  zmin?: number;
  /** Value at the top of the colour scale (default: the largest value). */
  zmax?: number;
  /** Write each cell's value in it (default: when the matrix has at most 15×15 cells). */
  showValues?: boolean;
  /** d3 format of written values (default "d" when every value is an integer, as in counts; else ".2f"). */
  valueFormat?: string;
}

/**
 * Draws a matrix as a heatmap with row 0 at the top, like the matrix is written.
 *
 * @param z Rows of numbers (or a 2-D tensor): `z[row][column]`.
 * @param options Title, axis titles, size, row/column labels, colour scale and range, written values.
 * @returns The figure.
 * @throws {RangeError} For an empty, ragged or non-finite matrix, or labels that do not match its size.
 * @example
 * ```ts
 * import { heatmap } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const tokens = ["发现", "隐藏", "背后", "秘密"];
 * const attention = [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0.3, 0.5, 0], [0.1, 0.2, 0.3, 0.4]];
 * const fig = heatmap(attention, { x: tokens, y: tokens, title: "注意力 attention" });
 * assert.deepEqual((fig.layout.yaxis as { ticktext: string[] }).ticktext, tokens);
 * assert.equal((fig.layout.yaxis as { autorange: string }).autorange, "reversed");
 * ```
 */
export function heatmap(z: MatrixLike, options: HeatmapOptions = {}): Figure {
  const matrix = toMatrix("heatmap z", z);
  const rows = matrix.length, cols = matrix[0].length;
  const xLabels = options.x === undefined ? undefined : toLabels("heatmap x (column labels)", options.x, cols);
  const yLabels = options.y === undefined ? undefined : toLabels("heatmap y (row labels)", options.y, rows);
  const showValues = options.showValues ?? rows * cols <= 225;
  const trace: Trace = {
    type: "heatmap",
    z: matrix,
    x: matrix[0].map((_, c) => c),
    y: matrix.map((_, r) => r),
    colorscale: options.colorscale ?? WHITE_TO_BLUE,
    text: matrix.map((row, r) => row.map((_, c) => `${yLabels?.[r] ?? `row ${r}`} → ${xLabels?.[c] ?? `column ${c}`}`)),
    hovertemplate: "%{text}: %{z}<extra></extra>",
  };
  if (options.zmin !== undefined) trace.zmin = options.zmin;
  if (options.zmax !== undefined) trace.zmax = options.zmax;
  const counts = matrix.every((row) => row.every(Number.isInteger));
  if (showValues) trace.texttemplate = `%{z:${options.valueFormat ?? (counts ? "d" : ".2f")}}`;
  const axis = (labels: string[] | undefined, n: number) =>
    labels ? { tickmode: "array", tickvals: labels.map((_, i) => i), ticktext: labels } : n > 20 ? {} : { dtick: 1 };
  const extra = {
    xaxis: { ...axis(xLabels, cols), side: "bottom" },
    yaxis: { ...axis(yLabels, rows), autorange: "reversed" },
  };
  const note = rows <= 20 && cols <= 12 ? matrixText(matrix, xLabels, yLabels) : [
    xLabels ? `columns: ${xLabels.join(", ")}` : "",
    yLabels ? `rows: ${yLabels.join(", ")}` : "",
  ].filter((s) => s).join("; ");
  return new Figure([trace], layoutFrom(options, extra), note);
}

/** The matrix as a text table with its labels, for readers without JavaScript. */
function matrixText(matrix: number[][], xLabels?: string[], yLabels?: string[]): string {
  const cells = matrix.map((row) => row.map(formatNumber));
  const rowNames = matrix.map((_, r) => yLabels?.[r] ?? String(r));
  const colNames = matrix[0].map((_, c) => xLabels?.[c] ?? String(c));
  const width = (s: string) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 0x2e80 ? 2 : 1), 0);
  const pad = (s: string, n: number) => " ".repeat(Math.max(0, n - width(s))) + s;
  const colWidth = Math.max(...colNames.map(width), ...cells.flat().map(width));
  const rowWidth = Math.max(...rowNames.map(width));
  const head = `${" ".repeat(rowWidth)} ${colNames.map((c) => pad(c, colWidth)).join(" ")}`;
  return [head, ...cells.map((row, r) => `${pad(rowNames[r], rowWidth)} ${row.map((v) => pad(v, colWidth)).join(" ")}`)]
    .join("\n");
}
