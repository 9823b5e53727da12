/**
 * Line charts: training curves, functions, anything with y over x.
 *
 * @module
 */
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { describe, sameLength, toVector, type VectorLike } from "./_validate.ts";

/** One named line; `x` defaults to the shared `options.x`, then to 0, 1, 2, … */
export interface Series {
  /** Legend name. */
  name?: string;
  /** x values (e.g. the steps at which a validation loss was measured). */
  x?: VectorLike;
  /** y values. */
  y: VectorLike;
  /** Error bars: ± this much around each y (e.g. the standard deviation over seeds). */
  error?: VectorLike;
}

/** What {@link linePlot} draws: one list of y values, named lists `{train: [...], val: [...]}`, or series. */
export type LineData = VectorLike | Record<string, VectorLike> | readonly Series[];

/** Options of {@link linePlot}. */
export interface LineOptions extends PlotOptions {
  /** x values shared by every line that has none of its own (default 0, 1, 2, …). */
  x?: VectorLike;
  /** Draw a marker at each point too. */
  markers?: boolean;
}

/**
 * Draws one or more lines.
 *
 * @param data y values, named y lists (`{train, val}`), or `[{name, x, y, error?}]` series with their own x (and error
 *   bars).
 * @param options Title, axis titles, log axes, size, shared `x`, `markers`.
 * @returns The figure.
 * @throws {RangeError} For empty data, non-finite values, or x and y of different lengths.
 * @throws {TypeError} When data is not numbers.
 * @example
 * ```ts
 * import { linePlot } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const fig = linePlot({ train: [2.3, 1.1, 0.7], val: [2.4, 1.4, 1.2] }, { title: "Loss", xTitle: "epoch", yLog: true });
 * assert.equal(fig.data.length, 2);
 * assert.deepEqual(fig.data[1].x, [0, 1, 2]);
 * assert.equal((fig.layout.yaxis as { type: string }).type, "log");
 * ```
 */
export function linePlot(data: LineData, options: LineOptions = {}): Figure {
  const series = toSeries(data);
  if (series.length === 0) throw new RangeError("Cannot draw a line plot as no series were given: give at least one");
  const shared = options.x === undefined ? undefined : toVector("line plot x", options.x);
  const traces: Trace[] = series.map((s, i) => {
    const label = s.name !== undefined ? `line plot series "${s.name}"` : `line plot series ${i}`;
    const y = toVector(`${label} y`, s.y);
    const x = s.x !== undefined ? toVector(`${label} x`, s.x) : shared ?? y.map((_, j) => j);
    sameLength(label, "x", x.length, "y", y.length);
    const trace: Trace = {
      type: "scatter",
      mode: options.markers ? "lines+markers" : "lines",
      name: s.name ?? "",
      x,
      y,
    };
    if (s.error !== undefined) {
      const error = toVector(`${label} error`, s.error);
      sameLength(label, "error", error.length, "y", y.length);
      trace.error_y = { type: "data", array: error, visible: true };
    }
    return trace;
  });
  return new Figure(traces, layoutFrom(options));
}

function toSeries(data: LineData): Series[] {
  if (Array.isArray(data) && data.length > 0 && typeof data[0] === "object" && data[0] !== null) {
    return (data as readonly Series[]).map((s, i) => {
      if (typeof s !== "object" || s === null || !("y" in s)) {
        throw new TypeError(
          `Cannot draw a line plot as series ${i} must be an object {name?, x?, y}: got ${describe(s)}`,
        );
      }
      return s;
    });
  }
  const isVector = typeof data === "object" && data !== null &&
    (typeof (data as { length?: unknown }).length === "number" ||
      typeof (data as { dataSync?: unknown }).dataSync === "function");
  if (isVector) return [{ y: data as VectorLike }];
  if (typeof data !== "object" || data === null) {
    throw new TypeError(
      `Cannot draw a line plot as data must be numbers, named number lists or series: got ${describe(data)}`,
    );
  }
  return Object.entries(data as Record<string, VectorLike>).map(([name, y]) => ({ name, y }));
}
