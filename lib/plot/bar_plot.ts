/**
 * Bar charts: a value per category (next-character probabilities, class counts), grouped when several.
 *
 * @module
 */
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { describe, sameLength, toLabels, toVector, type VectorLike } from "./_validate.ts";

/** Options of {@link barPlot}. */
export interface BarOptions extends PlotOptions {
  /** Bars along the y axis (long labels read better). */
  horizontal?: boolean;
}

/**
 * Draws a bar per label; named value lists make grouped bars.
 *
 * @param labels Category names (Chinese characters are fine); repeated labels stay separate bars.
 * @param values One value per label, or named lists `{model: [...], target: [...]}`.
 * @param options Title, axis titles, log value axis (`yLog`, or `xLog` when horizontal), size, `horizontal`.
 * @returns The figure.
 * @throws {RangeError} For empty or non-finite values, or a count that differs from the labels'.
 * @example
 * ```ts
 * import { barPlot } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = barPlot(["山", "水", "月"], [0.5, 0.3, 0.2], { title: "Next character", yTitle: "p" });
 * assert.deepEqual(fig.data[0].y, [0.5, 0.3, 0.2]);
 * assert.deepEqual((fig.layout.xaxis as { ticktext: string[] }).ticktext, ["山", "水", "月"]);
 * ```
 */
export function barPlot(
  labels: readonly (string | number)[],
  values: VectorLike | Record<string, VectorLike>,
  options: BarOptions = {},
): Figure {
  if (!Array.isArray(labels)) {
    throw new TypeError(`Cannot draw a bar plot as labels must be an array: got ${describe(labels)}`);
  }
  if (labels.length === 0) {
    throw new RangeError("Cannot draw a bar plot as labels is empty: give at least one category");
  }
  const names = toLabels("bar plot labels", labels, labels.length);
  const isVector = typeof (values as { length?: unknown }).length === "number" ||
    typeof (values as { dataSync?: unknown }).dataSync === "function";
  const series: [string, VectorLike][] = isVector ? [["", values as VectorLike]] : Object.entries(values);
  if (series.length === 0) {
    throw new RangeError("Cannot draw a bar plot as no values were given: give at least one list");
  }
  const positions = names.map((_, i) => i);
  const traces: Trace[] = series.map(([name, v]) => {
    const label = name ? `bar plot values "${name}"` : "bar plot values";
    const vs = toVector(label, v);
    sameLength(label, "labels", names.length, "values", vs.length);
    return options.horizontal
      ? { type: "bar", orientation: "h", name, x: vs, y: positions, hovertext: names }
      : { type: "bar", name, x: positions, y: vs, hovertext: names };
  });
  const categoryAxis = { tickmode: "array", tickvals: positions, ticktext: names };
  const extra = options.horizontal
    ? { yaxis: { ...categoryAxis, autorange: "reversed" }, barmode: "group" }
    : { xaxis: categoryAxis, barmode: "group" };
  return new Figure(traces, layoutFrom(options, extra));
}
