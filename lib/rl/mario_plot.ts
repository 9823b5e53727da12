/**
 * The Mario world drawn with lib/plot: the level as coloured cells, Mario's paths drawn over it.
 *
 * @module
 */
import { Figure, heatmap, type Trace } from "../plot/mod.ts";
import { tr } from "../notebook/lang.ts";
import type { MarioState, MarioWorld } from "./mario.ts";

/** Colours of the cells: air, solid, flag, gap. */
export const MARIO_COLORS = Object.freeze({ air: "#dff3ff", solid: "#a0522d", flag: "#2e8b57", gap: "#1f1f1f" });

/** A path to draw: the states of an episode, with a name for the legend. */
export interface MarioPath {
  /** Legend entry, e.g. "greedy from column 3". */
  name?: string;
  /** The states visited, in order (an {@link Episode}'s `states`). */
  states: readonly MarioState[];
}

/** Options of {@link marioPlot}. */
export interface MarioPlotOptions {
  /** Chart title (default "Mario world", 马里奥的世界 in the Chinese edition). */
  title?: string;
  /** Paths drawn over the level, each a line with a marker per step. */
  paths?: readonly (MarioPath | readonly MarioState[])[];
  /** Pixels per cell (default: as large as fits 900 px, at most 36). */
  cell?: number;
}

/**
 * Draws a level: air, solid cells, the flag and the gaps as coloured cells (row 0 at the top, like the text), and
 * the given paths as lines through the cells Mario visited.
 *
 * @param world The world whose level is drawn.
 * @param options Title, paths, cell size.
 * @returns The figure: one heatmap trace for the level, one scatter trace per path.
 * @throws {RangeError} When a path is empty or leaves the grid, or `cell` is not a positive number.
 * @example
 * ```ts
 * import { LEVELS, marioPlot, MarioWorld, runEpisode } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny);
 * const ep = runEpisode(world, (s) => (s.x === 2 && s.y === 1 ? "jump" : "run"), 0);
 * const fig = marioPlot(world, { paths: [{ name: "hop", states: ep.states }] });
 * assert.deepEqual(fig.data.map((t) => t.type), ["heatmap", "scatter"]);
 * ```
 */
export function marioPlot(world: MarioWorld, options: MarioPlotOptions = {}): Figure {
  const { width, height } = world;
  const cell = options.cell ?? Math.max(8, Math.min(36, Math.floor(900 / width)));
  if (!(cell > 0) || !Number.isFinite(cell)) {
    throw new RangeError(`Cannot draw the Mario world as cell must be a positive number: current value is ${cell}`);
  }
  const z = Array.from(
    { length: height },
    (_, y) =>
      Array.from(
        { length: width },
        (_, x) => world.isFlag(x, y) ? 2 : world.isSolid(x, y) ? 1 : y === height - 1 ? 3 : 0,
      ),
  );
  const c = MARIO_COLORS;
  const colorscale: [number, string][] = [
    [0, c.air],
    [1 / 6, c.air],
    [1 / 6, c.solid],
    [1 / 2, c.solid],
    [1 / 2, c.flag],
    [5 / 6, c.flag],
    [5 / 6, c.gap],
    [1, c.gap],
  ];
  const base = heatmap(z, {
    title: options.title ?? tr("Mario world", "马里奥的世界"),
    colorscale,
    zmin: 0,
    zmax: 3,
    showValues: false,
    width: cell * width + 90,
    height: cell * height + 130,
  });
  const names = [tr("air", "空气"), tr("solid", "实心砖块"), tr("flag", "旗杆"), tr("gap", "坑")];
  const level: Trace = {
    ...base.data[0],
    showscale: false,
    text: z.map((row, y) => row.map((v, x) => tr(`column ${x}, row ${y}: `, `第 ${x} 列，第 ${y} 行：`) + names[v])),
    hovertemplate: "%{text}<extra></extra>",
  };
  const traces: Trace[] = (options.paths ?? []).map((p, i) => {
    const path: MarioPath = Array.isArray(p) ? { states: p as readonly MarioState[] } : p as MarioPath;
    if (path.states.length === 0) throw new RangeError(`Cannot draw the Mario world as path ${i} has no states`);
    path.states.forEach((s, t) => {
      if (!(Number.isInteger(s.x) && Number.isInteger(s.y) && s.x >= 0 && s.x < width && s.y >= 0 && s.y < height)) {
        throw new RangeError(
          `Cannot draw the Mario world as path ${i} leaves the grid at step ${t}: x ${s.x}, y ${s.y}`,
        );
      }
    });
    return {
      type: "scatter",
      mode: "lines+markers",
      name: path.name ?? tr(`path ${i + 1}`, `路径 ${i + 1}`),
      x: path.states.map((s) => s.x),
      y: path.states.map((s) => s.y),
      marker: { size: Math.max(4, cell / 4) },
      line: { width: 2 },
    };
  });
  const layout = {
    ...base.layout,
    xaxis: { ...(base.layout.xaxis as object), showgrid: false, zeroline: false, constrain: "domain" },
    yaxis: {
      ...(base.layout.yaxis as object),
      autorange: false,
      range: [height - 0.5, -0.5], // row 0 at the top, no padding rows
      showgrid: false,
      zeroline: false,
      scaleanchor: "x",
      constrain: "domain",
    },
    legend: { orientation: "h", y: -0.15 },
  };
  return new Figure([level, ...traces], layout, world.render({ state: null }));
}
