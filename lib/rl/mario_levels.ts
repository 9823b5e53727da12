/**
 * Levels for the {@link MarioWorld}: a few written by hand and a seeded generator of more.
 *
 * @module
 */
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/**
 * The course's levels, rows top to bottom (see the cell table in `mario.ts`):
 *
 * - `tiny`: 7 columns, one gap — small enough for a test to watch Q-learning converge.
 * - `1-1`: 24 columns, two gaps, a two-high wall and a block overhead; starts across the first half.
 * - `1-2`: 32 columns, a staircase, a three-wide gap after it, a wall and a floating platform.
 * - `1-3`: 48 columns, six gaps, walls up to three high: long enough that random play almost never finds the flag.
 *
 * @example
 * ```ts
 * import { LEVELS, MarioWorld } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS["1-1"]);
 * assert.deepEqual([world.width, world.height], [24, 6]);
 * ```
 */
export const LEVELS: Readonly<Record<"tiny" | "1-1" | "1-2" | "1-3", readonly string[]>> = Object.freeze({
  tiny: Object.freeze([
    "......F",
    "S.....F",
    "###.###",
  ]),
  "1-1": Object.freeze([
    "........................",
    "......................F.",
    "...........###........F.",
    "................#.....F.",
    "SSSSSS....SSSS..#.....F.",
    "#######..#######.###.###",
  ]),
  "1-2": Object.freeze([
    "................................",
    ".......................S......F.",
    ".........#............###.....F.",
    "........##....................F.",
    "SSSSS..###.SS..S.............#F.",
    "#####.####.###.###..####...#####",
  ]),
  "1-3": Object.freeze([
    "................................................",
    "..............................................F.",
    "..........###..............#..........###.....F.",
    "........................#..#..................F.",
    "SSSSS..#....SS.....#....#..#.SS............#..F.",
    "#####.###..####..#####..#######.###...####.#####",
  ]),
});

/** Options of {@link randomLevel}. */
export interface RandomLevelOptions {
  /** Columns, an integer ≥ 12 (default 32). */
  width?: number;
  /** Rows, an integer ≥ 4 (default 6); Mario walks on row height − 2. */
  height?: number;
  /** Seed or generator (default 1337). */
  seed?: number | Prng;
}

/**
 * A seeded random level that can be finished with a jump height of 3: ground with gaps one to three wide and walls
 * one or two high, at least two columns of ground between obstacles, starts on the ground of the first half, the
 * flag in the second-to-last column.
 *
 * @param options Width, height, seed.
 * @returns The level's rows, for {@link MarioWorld}.
 * @throws {RangeError} When the width is below 12 or the height below 4.
 * @example
 * ```ts
 * import { MarioWorld, randomLevel } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const level = randomLevel({ width: 20, seed: 3 });
 * assert.deepEqual(level, randomLevel({ width: 20, seed: 3 }));
 * assert.equal(new MarioWorld(level).width, 20);
 * ```
 */
export function randomLevel(options: RandomLevelOptions = {}): string[] {
  const { width = 32, height = 6 } = options;
  checkPositiveInteger(width, "width", "generate a level");
  checkPositiveInteger(height, "height", "generate a level");
  if (width < 12) throw new RangeError(`Cannot generate a level as width must be ≥ 12: current value is ${width}`);
  if (height < 4) throw new RangeError(`Cannot generate a level as height must be ≥ 4: current value is ${height}`);
  const rng = toPrng(options.seed ?? SEED);
  const grid = Array.from({ length: height }, () => new Array<string>(width).fill("."));
  const ground = height - 1, floor = height - 2;
  grid[ground].fill("#");
  for (let y = 1; y < ground; y++) grid[y][width - 2] = "F";
  let x = 4;
  while (x < width - 5) {
    if (rng.next() < 0.5) {
      const gap = 1 + rng.int(3);
      if (x + gap >= width - 4) break;
      for (let i = 0; i < gap; i++) grid[ground][x + i] = ".";
      x += gap;
    } else {
      const tall = 1 + rng.int(Math.min(2, floor - 1));
      const wide = 1 + rng.int(2);
      for (let i = 0; i < wide; i++) for (let h = 0; h < tall; h++) grid[floor - h][x + i] = "#";
      x += wide;
    }
    x += 2 + rng.int(3);
  }
  for (let c = 0; c < width / 2; c++) {
    if (grid[floor][c] === "." && grid[ground][c] === "#") grid[floor][c] = "S";
  }
  return grid.map((row) => row.join(""));
}
