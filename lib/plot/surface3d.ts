/**
 * 3-D surfaces: a loss landscape, optionally with the path gradient descent took on it.
 *
 * @module
 */
import { Figure, layoutFrom, type PlotOptions, type Trace } from "./figure.ts";
import { type MatrixLike, sameLength, toMatrix, toVector, type VectorLike } from "./_validate.ts";

/** A path drawn on the surface as a 3-D line with markers. */
export interface Path3d {
  /** x of each point. */
  x: VectorLike;
  /** y of each point. */
  y: VectorLike;
  /** z of each point (e.g. the loss at each descent step). */
  z: VectorLike;
  /** Legend name (default "path"). */
  name?: string;
}

/** Options of {@link surface3d}. */
export interface SurfaceOptions extends PlotOptions {
  /** x coordinate of each column of z (default 0, 1, 2, …). */
  x?: VectorLike;
  /** y coordinate of each row of z (default 0, 1, 2, …). */
  y?: VectorLike;
  /** Title of the z axis (e.g. "loss"). */
  zTitle?: string;
  /** Plotly colour scale name (default "Viridis"). */
  colorscale?: string;
  /** A path drawn on the surface, e.g. the (w, b, loss) of each gradient-descent step. */
  path?: Path3d;
}

/**
 * Draws z over a grid as a 3-D surface: `z[i][j]` is the height at (`x[j]`, `y[i]`).
 *
 * @param z Rows of heights (or a 2-D tensor).
 * @param options Title, axis titles (`xTitle`, `yTitle`, `zTitle`), size, grid coordinates, colour scale, `path`.
 * @returns The figure.
 * @throws {RangeError} For an empty, ragged or non-finite grid, coordinates that do not match it, or a path whose
 *   x, y and z differ in length.
 * @example
 * ```ts
 * import { surface3d } from "@lib/plot/mod.ts";
 * import assert from "node:assert/strict";
 * const ws = [-2, -1, 0, 1, 2];
 * const loss = ws.map((b) => ws.map((w) => w * w + b * b));
 * const fig = surface3d(loss, { x: ws, y: ws, zTitle: "loss", path: { x: [2, 1, 0], y: [2, 1, 0], z: [8, 2, 0] } });
 * assert.deepEqual(fig.data.map((t) => t.type), ["surface", "scatter3d"]);
 * ```
 */
export function surface3d(z: MatrixLike, options: SurfaceOptions = {}): Figure {
  const matrix = toMatrix("surface z", z);
  const x = options.x === undefined ? matrix[0].map((_, j) => j) : toVector("surface x", options.x);
  const y = options.y === undefined ? matrix.map((_, i) => i) : toVector("surface y", options.y);
  sameLength("surface", "x", x.length, "the columns of z", matrix[0].length);
  sameLength("surface", "y", y.length, "the rows of z", matrix.length);
  const traces: Trace[] = [
    { type: "surface", name: "surface", z: matrix, x, y, colorscale: options.colorscale ?? "Viridis", opacity: 0.9 },
  ];
  if (options.path !== undefined) traces.push(pathTrace(options.path));
  const title = (text: string | undefined) => (text === undefined ? {} : { title: { text } });
  const scene = {
    xaxis: { ...title(options.xTitle), ...(options.xLog ? { type: "log" } : {}) },
    yaxis: { ...title(options.yTitle), ...(options.yLog ? { type: "log" } : {}) },
    zaxis: title(options.zTitle),
  };
  const layout = layoutFrom({ ...options, xTitle: undefined, yTitle: undefined, xLog: false, yLog: false }, { scene });
  delete layout.xaxis;
  delete layout.yaxis;
  const axes = [options.xTitle, options.yTitle, options.zTitle].map((t, i) => `${"xyz"[i]}: ${t ?? "(untitled)"}`);
  return new Figure(traces, { height: 520, ...layout }, `axes ${axes.join(", ")}`);
}

function pathTrace(path: Path3d): Trace {
  const name = path.name ?? "path";
  const px = toVector(`surface path "${name}" x`, path.x);
  const py = toVector(`surface path "${name}" y`, path.y);
  const pz = toVector(`surface path "${name}" z`, path.z);
  sameLength(`surface path "${name}"`, "x", px.length, "y", py.length);
  sameLength(`surface path "${name}"`, "x", px.length, "z", pz.length);
  return {
    type: "scatter3d",
    mode: "lines+markers",
    name,
    x: px,
    y: py,
    z: pz,
    line: { color: "#dc2626", width: 5 },
    marker: { size: 3, color: "#dc2626" },
  };
}
