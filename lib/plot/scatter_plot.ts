/**
 * Scatter charts: points in the plane, coloured by group and optionally labelled (word vectors, iris).
 *
 * @module
 */
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { sameLength, toLabels, toVector, type VectorLike } from "./_validate.ts";
import { checkPositive } from "../core/validate.ts";

/** Options of {@link scatterPlot}. */
export interface ScatterOptions extends PlotOptions {
  /** A group per point (class, label): one colour and legend entry per distinct group, in order of appearance. */
  groups?: ArrayLike<string | number>;
  /** A text label per point, written next to it (e.g. the words of a 2-D word-vector map). */
  labels?: readonly (string | number)[];
  /** Marker diameter in pixels (default 8). */
  markerSize?: number;
  /** Legend name when there are no groups. */
  name?: string;
}

/**
 * Draws points (x[i], y[i]).
 *
 * @param x x coordinates.
 * @param y y coordinates, as many as x.
 * @param options Title, axis titles, log axes, size, `groups`, `labels`, `markerSize`, `name`.
 * @returns The figure.
 * @throws {RangeError} For empty or non-finite coordinates, or lengths that differ.
 * @example
 * ```ts
 * import { scatterPlot } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = scatterPlot([0, 1, 5, 6], [0, 1, 5, 6], { groups: ["a", "a", "b", "b"], labels: ["猫", "狗", "车", "船"] });
 * assert.deepEqual(fig.data.map((t) => t.name), ["a", "b"]);
 * assert.deepEqual(fig.data[1].text, ["车", "船"]);
 * ```
 */
export function scatterPlot(x: VectorLike, y: VectorLike, options: ScatterOptions = {}): Figure {
  const xs = toVector("scatter plot x", x);
  const ys = toVector("scatter plot y", y);
  sameLength("scatter plot", "x", xs.length, "y", ys.length);
  if (options.markerSize !== undefined) checkPositive(options.markerSize, "markerSize", "plot");
  const labels = options.labels === undefined ? undefined : toLabels("scatter plot labels", options.labels, xs.length);
  const groups = options.groups === undefined
    ? undefined
    : toLabels("scatter plot groups", Array.from(options.groups), xs.length);
  const order = groups ? [...new Set(groups)] : [options.name ?? ""];
  const traces: Trace[] = order.map((group) => {
    const idx = xs.map((_, i) => i).filter((i) => !groups || groups[i] === group);
    const trace: Trace = {
      type: "scatter",
      mode: labels ? "markers+text" : "markers",
      name: group,
      x: idx.map((i) => xs[i]),
      y: idx.map((i) => ys[i]),
      marker: { size: options.markerSize ?? 8 },
    };
    if (labels) Object.assign(trace, { text: idx.map((i) => labels[i]), textposition: "top center" });
    return trace;
  });
  return new Figure(traces, layoutFrom(options));
}
