/**
 * Decision boundaries of a two-class model in the plane: the probability of class 1 at every point of a grid as a
 * coloured background, the 50% line where the model changes its mind, and the data on top.
 *
 * Two steps, so that the model can be anything (a tensor network read with `await`, the scalar engine, a rule):
 * {@link boundaryGrid} gives the points to ask the model about, {@link decisionBoundary} draws its answers.
 *
 * @module
 */
import { checkPositiveInteger } from "../core/validate.ts";
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { extent, sameLength, toVector, type VectorLike } from "./_validate.ts";

/** The points of a regular grid over a rectangle of the plane. */
export interface BoundaryGrid {
  /** The grid's x coordinates, left to right. */
  xs: number[];
  /** Its y coordinates, bottom to top. */
  ys: number[];
  /** Every grid point `[x, y]`, row by row: `points[r · xs.length + c] = [xs[c], ys[r]]`. */
  points: number[][];
}

/**
 * A grid of `steps × steps` points covering the data with a margin.
 *
 * @param X The data, rows `[x, y]` (at least one).
 * @param options Points per side (default 60) and margin as a share of each side's range (default 0.1).
 * @returns The grid.
 * @throws {RangeError} When X is empty or not two columns of finite numbers, or steps < 2.
 * @example
 * ```ts
 * import { boundaryGrid } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const grid = boundaryGrid([[0, 0], [1, 2]], { steps: 3, pad: 0 });
 * assert.deepEqual(grid.xs, [0, 0.5, 1]);
 * assert.deepEqual(grid.points[3], [0, 1]); // second row, first column
 * ```
 */
export function boundaryGrid(X: readonly number[][], options: { steps?: number; pad?: number } = {}): BoundaryGrid {
  const { steps = 60, pad = 0.1 } = options;
  checkPositiveInteger(steps, "steps", "make a boundary grid");
  if (steps < 2) {
    throw new RangeError(`Cannot make a boundary grid as steps must be at least 2: current value is ${steps}`);
  }
  if (!Array.isArray(X) || X.length === 0 || X.some((r) => !Array.isArray(r) || r.length !== 2)) {
    throw new RangeError("Cannot make a boundary grid as X must be a non-empty array of [x, y] rows");
  }
  const axis = (k: number) => {
    const [lo, hi] = extent(toVector(`boundary grid X column ${k}`, X.map((r) => r[k])));
    const margin = (hi - lo || 1) * pad;
    return Array.from({ length: steps }, (_, i) => lo - margin + (i * (hi - lo + 2 * margin)) / (steps - 1));
  };
  const xs = axis(0), ys = axis(1);
  return { xs, ys, points: ys.flatMap((y) => xs.map((x) => [x, y])) };
}

/** Options of {@link decisionBoundary}. */
export interface DecisionBoundaryOptions extends PlotOptions {
  /** Legend names of classes 0 and 1 (default "class 0", "class 1"). */
  classNames?: readonly [string, string];
  /** Marker diameter of the data points (default 5). */
  markerSize?: number;
  /** Draw the colour bar of the probabilities (default false). */
  showScale?: boolean;
}

/** Class 0 blue, class 1 orange; the background runs between their light shades through white at 50%. */
const COLORS = ["#1f77b4", "#ff7f0e"];
const BACKGROUND: [number, string][] = [[0, "#9ecae1"], [0.5, "#ffffff"], [1, "#fdae6b"]];

/**
 * Draws a model's probability of class 1 over a grid, its 50% border, and the labelled data.
 *
 * @param grid The grid the model was asked about ({@link boundaryGrid}).
 * @param probs P(class 1) at each grid point, in the order of `grid.points`.
 * @param X The data points, rows `[x, y]`.
 * @param y Their classes, 0 or 1.
 * @param options Title, axis titles, size, class names, marker size, colour bar.
 * @returns The figure (axes at equal scale).
 * @throws {RangeError} When probs does not have one value in [0, 1] per grid point, or X and y differ in length.
 * @example
 * ```ts
 * import { boundaryGrid, decisionBoundary } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const X = [[-1, 0], [1, 0]], y = [0, 1];
 * const grid = boundaryGrid(X, { steps: 5 });
 * const fig = decisionBoundary(grid, grid.points.map(([a]) => (a > 0 ? 0.9 : 0.1)), X, y, { title: "x > 0" });
 * assert.deepEqual(fig.data.map((t) => t.type), ["heatmap", "contour", "scatter", "scatter"]);
 * ```
 */
export function decisionBoundary(
  grid: BoundaryGrid,
  probs: VectorLike,
  X: readonly number[][],
  y: readonly number[],
  options: DecisionBoundaryOptions = {},
): Figure {
  const p = toVector("decision boundary probs", probs);
  sameLength("decision boundary", "probs", p.length, "grid points", grid.points.length);
  const outside = p.findIndex((v) => !(v >= 0 && v <= 1));
  if (outside >= 0) {
    throw new RangeError(
      `Cannot draw a decision boundary as probs must lie in [0, 1]: probs[${outside}] is ${p[outside]}`,
    );
  }
  sameLength("decision boundary", "X", X.length, "y", y.length);
  const cols = grid.xs.length;
  const z = grid.ys.map((_, r) => p.slice(r * cols, (r + 1) * cols));
  const background: Trace = {
    type: "heatmap",
    x: grid.xs,
    y: grid.ys,
    z,
    zmin: 0,
    zmax: 1,
    colorscale: BACKGROUND,
    showscale: options.showScale ?? false,
    hovertemplate: "P(1) = %{z:.2f}<extra></extra>",
  };
  const border: Trace = {
    type: "contour",
    x: grid.xs,
    y: grid.ys,
    z,
    contours: { start: 0.5, end: 0.5, size: 1, coloring: "lines" },
    colorscale: [[0, "#222"], [1, "#222"]], // a "lines" contour takes its colour from the scale
    line: { width: 2 },
    showscale: false,
    showlegend: false,
    hoverinfo: "skip",
  };
  const names = options.classNames ?? ["class 0", "class 1"];
  const dots = [0, 1].map((c): Trace => {
    const idx = y.map((_, i) => i).filter((i) => y[i] === c);
    return {
      type: "scatter",
      mode: "markers",
      name: names[c],
      x: idx.map((i) => X[i][0]),
      y: idx.map((i) => X[i][1]),
      marker: { size: options.markerSize ?? 5, color: COLORS[c], line: { width: 0.5, color: "#fff" } },
    };
  });
  const layout = layoutFrom(options, {
    xaxis: { range: [grid.xs[0], grid.xs.at(-1)] },
    yaxis: { range: [grid.ys[0], grid.ys.at(-1)], scaleanchor: "x" },
  });
  return new Figure([background, border, ...dots], layout);
}
