/**
 * Histograms, binned here (not in the browser) so that the counts are in the notebook and its text summary.
 *
 * @module
 */
import { formatNumber } from "../notebook/display.ts";
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { extent, toVector, type VectorLike } from "./_validate.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** Options of {@link histogram}. */
export interface HistogramOptions extends PlotOptions {
  /** Number of equal-width bins (default 30). */
  bins?: number;
  /** Lowest and highest edge (default: the data's extent). Values outside are left out. */
  range?: [number, number];
  /** Show densities (area 1) instead of counts, to compare samples of different sizes. */
  density?: boolean;
}

/** Bin edges and counts of a sample, as computed by {@link binCounts}. */
export interface Bins {
  /** `bins + 1` edges, lowest first. */
  edges: number[];
  /** How many values fell in each bin (the last bin includes its upper edge). */
  counts: number[];
}

/**
 * Counts values in equal-width bins.
 *
 * @param values The sample.
 * @param bins Number of bins.
 * @param range Lowest and highest edge; values outside are not counted.
 * @returns Edges and counts.
 * @example
 * ```ts
 * import { binCounts } from "@lib/plot/histogram.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(binCounts([0, 1, 1, 2, 4], 2, [0, 4]), { edges: [0, 2, 4], counts: [3, 2] });
 * ```
 */
export function binCounts(values: readonly number[], bins: number, range: [number, number]): Bins {
  const [lo, hi] = range;
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? hi : lo + i * width));
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) {
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))] += 1;
  }
  return { edges, counts };
}

/**
 * Draws the distribution of one sample, or of several overlaid (`{before: [...], after: [...]}`).
 *
 * @param values A sample, or named samples sharing the same bins.
 * @param options Title, axis titles, log axes, size, `bins`, `range`, `density`.
 * @returns The figure (bar traces of the bin counts).
 * @throws {RangeError} For empty or non-finite samples, a bad bin count or an empty range.
 * @example
 * ```ts
 * import { histogram } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = histogram([1, 2, 2, 3, 3, 3], { bins: 3, xTitle: "value" });
 * assert.deepEqual(fig.data[0].y, [1, 2, 3]);
 * ```
 */
export function histogram(values: VectorLike | Record<string, VectorLike>, options: HistogramOptions = {}): Figure {
  if (options.bins !== undefined) checkPositiveInteger(options.bins, "bins", "plot");
  const isVector = typeof (values as { length?: unknown }).length === "number" ||
    typeof (values as { dataSync?: unknown }).dataSync === "function";
  const samples: [string, number[]][] =
    (isVector ? [["", values as VectorLike] as const] : Object.entries(values as Record<string, VectorLike>))
      .map(([name, v]) => [name, toVector(name ? `histogram sample "${name}"` : "histogram values", v)]);
  if (samples.length === 0) throw new RangeError("Cannot draw a histogram as no samples were given: give at least one");
  const range = histogramRange(samples.flatMap(([, v]) => v), options.range);
  const bins = options.bins ?? 30;
  const traces: Trace[] = samples.map(([name, v]) => {
    const { edges, counts } = binCounts(v, bins, range);
    const width = edges[1] - edges[0];
    const y = options.density ? counts.map((c) => c / (v.length * width)) : counts;
    return {
      type: "bar",
      name,
      x: counts.map((_, i) => (edges[i] + edges[i + 1]) / 2),
      y,
      width,
      opacity: samples.length > 1 ? 0.6 : 1,
    };
  });
  const note = samples.map(([name, v]) =>
    `${name ? `"${name}": ` : ""}${v.length} values, mean ${formatNumber(v.reduce((a, b) => a + b, 0) / v.length)}`
  ).join("; ");
  const yTitle = options.yTitle ?? (options.density ? "density" : "count");
  return new Figure(traces, layoutFrom({ ...options, yTitle }, { barmode: "overlay", bargap: 0 }), note);
}

function histogramRange(all: number[], range: [number, number] | undefined): [number, number] {
  if (range !== undefined) {
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
      throw new RangeError(`Cannot draw a histogram as range must be [low, high] with low < high: got ${range}`);
    }
    return range;
  }
  const [lo, hi] = extent(all);
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}
