/**
 * A grid of charts in one figure: each figure's traces drawn on its own pair of axes, its title above its panel.
 *
 * @module
 */
import { Figure, type Layout, type Trace } from "./figure.ts";
import { checkPositiveInteger } from "../core/validate.ts";
import { describe } from "./_validate.ts";

/**
 * Puts figures side by side, `columns` to a row, in one figure (plotly's independent grid): panel k gets axes
 * `x{k+1}`/`y{k+1}` (the first panel `x`/`y`), each figure's x and y axis settings (range, titles, `scaleanchor`)
 * move to its panel's axes, and its title becomes a label above its panel.
 *
 * @param figs The panels, in reading order.
 * @param columns Panels per row (default 2, at most the number of panels).
 * @param layout The whole figure's layout (title, width, height, …).
 * @returns The figure.
 * @throws {RangeError} When there are no figures or columns is not a positive integer.
 * @throws {TypeError} When a panel is not a Figure.
 * @example
 * ```ts
 * import { linePlot, subplots } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = subplots([linePlot([1, 2], { title: "a" }), linePlot([2, 1], { title: "b" })], 2, { height: 300 });
 * assert.deepEqual(fig.data.map((t) => [t.xaxis, t.yaxis]), [["x", "y"], ["x2", "y2"]]);
 * assert.deepEqual(fig.layout.grid, { rows: 1, columns: 2, pattern: "independent" });
 * assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["a", "b"]);
 * assert.equal((fig.layout.margin as { t: number }).t, 50);
 * // With a title of its own, the figure leaves room above the panel titles.
 * const titled = subplots([linePlot([1, 2], { title: "a" }), linePlot([2, 1], { title: "b" })], 2, { title: "both" });
 * assert.equal((titled.layout.margin as { t: number }).t, 110);
 * ```
 */
export function subplots(figs: readonly Figure[], columns = 2, layout: Layout = {}): Figure {
  if (!Array.isArray(figs) || figs.length === 0) {
    throw new RangeError(`Cannot lay out subplots as figs must hold at least one figure: got ${describe(figs)}`);
  }
  figs.forEach((f, k) => {
    if (!(f instanceof Figure)) {
      throw new TypeError(`Cannot lay out subplots as figs[${k}] must be a Figure: got ${describe(f)}`);
    }
  });
  checkPositiveInteger(columns, "columns", "lay out subplots");
  const cols = Math.min(columns, figs.length);
  const axis = (k: number, letter: "x" | "y") => (k === 0 ? letter : `${letter}${k + 1}`);
  const data = figs.flatMap((f: Figure, k: number) =>
    f.data.map((t: Trace) => ({ ...t, xaxis: axis(k, "x"), yaxis: axis(k, "y") }))
  );
  const axes: Layout = {};
  figs.forEach((f, k) => {
    for (const letter of ["x", "y"] as const) {
      const own = f.layout[`${letter}axis`] as Record<string, unknown> | undefined;
      if (!own) continue;
      const anchor = own.scaleanchor as string | undefined; // "x" in a single figure means this panel's x
      axes[k === 0 ? `${letter}axis` : `${letter}axis${k + 1}`] = anchor
        ? { ...own, scaleanchor: axis(k, anchor[0] as "x" | "y") }
        : own;
    }
  });
  const annotations = figs.flatMap((f, k) => {
    const title = f.layout.title as { text?: string } | string | undefined;
    const text = typeof title === "string" ? title : title?.text;
    if (!text) return [];
    const [xref, yref] = [`${axis(k, "x")} domain`, `${axis(k, "y")} domain`];
    return [{ text, showarrow: false, xref, yref, x: 0.5, y: 1.08, xanchor: "center", yanchor: "bottom" }];
  });
  const grid = { rows: Math.ceil(figs.length / cols), columns: cols, pattern: "independent" };
  const extra = (layout.annotations as unknown[] | undefined) ?? [];
  // Panel titles sit just above the first row: leave room for the figure's own title above them.
  const titled = annotations.length > 0 && Boolean(layout.title);
  const margin = { ...(titled ? { t: 110 } : {}), ...(layout.margin as Layout | undefined) };
  return new Figure(data, { ...axes, ...layout, margin, annotations: [...annotations, ...extra], grid });
}
