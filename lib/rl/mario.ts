/**
 * A tiny side-scrolling world in the spirit of 超级玛丽 (Super Mario), the article's picture of reinforcement
 * learning (强化学习): an agent (Mario) in an environment (the level) picks actions, is rewarded for moving on and
 * reaching the flag, punished for falling into a gap, and learns by trial and error.
 *
 * The level is a grid written as strings, row 0 at the top:
 *
 * | char | cell |
 * |------|------|
 * | `.`  | air |
 * | `#`  | solid: ground, a wall or a floating block; it blocks moves and holds Mario up |
 * | `F`  | the flag pole: touching it ends the episode with success |
 * | `S`  | air where an episode may start (Mario stands there, so the cell below must be solid) |
 *
 * The bottom row is the ground: only `#` and `.` there, and a `.` in it is a gap. The rules of one step:
 *
 * 1. The action moves Mario sideways: `left` one column, `right` one, `run` two (cell by cell: a wall or the
 *    level's edge stops him), `jump` none. Actions steer in the air as well (Mario games allow that too).
 * 2. `jump` on solid ground starts a jump of `jumpHeight` cells; in the air it does nothing (no double jump).
 * 3. Gravity, after the sideways move: while a jump lasts Mario rises one cell a step (a block overhead ends the
 *    jump); otherwise, with air below, he falls one cell a step. So running skips a one-cell gap, as in the game.
 * 4. Entering the bottom row means falling into a gap: the episode ends (`"fell"`). Touching the flag ends it with
 *    success (`"flag"`). After `maxSteps` steps it is cut off (`"timeout"`).
 *
 * The state is (column, row, rise left in the jump): small enough for a Q-table. There is no crouch (下蹲) action:
 * Mario here is one cell tall, so ducking would change nothing — in the game it matters for big Mario under low
 * blocks, which this world leaves out rather than adding an action that does nothing.
 *
 * `step` draws no random numbers: the same state and action always give the same result. Randomness enters only
 * through {@link MarioWorld.reset}, which picks a start cell with the world's seeded generator.
 *
 * @module
 */
import { Prng, SEED, toPrng } from "../core/random.ts";
import { checkPositiveInteger } from "../core/validate.ts";

/** The actions, by index: 0 left, 1 right, 2 run (two cells right), 3 jump. */
export const ACTIONS = Object.freeze(["left", "right", "run", "jump"] as const);

/** Name of an action. */
export type Action = typeof ACTIONS[number];

/** Mario's state: column, row (0 at the top) and how many more steps the current jump rises (0 when not rising). */
export interface MarioState {
  x: number;
  y: number;
  rise: number;
}

/** How an episode ended, or `"running"`. */
export type Outcome = "running" | "flag" | "fell" | "timeout";

/**
 * The reward of a step: `progress · (columns gained) + step`, plus `fall` when Mario falls into a gap and `flag`
 * when he reaches the flag.
 */
export interface MarioReward {
  /** Reward per column moved to the right (negative when moving left). */
  progress: number;
  /** Reward for falling into a gap (a penalty: ≤ 0). */
  fall: number;
  /** Reward for reaching the flag. */
  flag: number;
  /** Reward of every step (a time cost: ≤ 0). */
  step: number;
}

/** Dense reward: 0.1 per column of progress, −1 for falling, +1 at the flag. */
export const DENSE_REWARD: Readonly<MarioReward> = Object.freeze({ progress: 0.1, fall: -1, flag: 1, step: 0 });

/** Flag-only reward: +1 at the flag and nothing else, the setting where credit assignment is hard. */
export const FLAG_ONLY_REWARD: Readonly<MarioReward> = Object.freeze({ progress: 0, fall: 0, flag: 1, step: 0 });

/** Options of a {@link MarioWorld}. */
export interface MarioOptions {
  /** Reward setting, merged over {@link DENSE_REWARD} (default dense). */
  reward?: Partial<MarioReward>;
  /** Cells a jump rises, a positive integer (default 3). */
  jumpHeight?: number;
  /** Steps before an episode is cut off, a positive integer (default: 3 × the level's width). */
  maxSteps?: number;
  /** Seed or generator for the random starts of {@link MarioWorld.reset} (default 1337). */
  seed?: number | Prng;
}

/** What one {@link MarioWorld.step} returns. */
export interface MarioStep {
  /** The state after the step. */
  state: MarioState;
  /** The reward of the step. */
  reward: number;
  /** Whether the episode has ended. */
  done: boolean;
  /** How it ended (`"running"` while not done). */
  outcome: Outcome;
}

/**
 * The Mario world: a parsed level, the rules of a step and the current episode.
 *
 * @example
 * ```ts
 * import { MarioWorld } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(["......F", "S.....F", "###.###"]);
 * world.reset();
 * assert.equal(world.step("right").outcome, "running");
 * const { state, outcome } = world.step("run"); // two columns, to above the gap at column 3…
 * assert.deepEqual([state.x, outcome], [3, "fell"]); // …and gravity pulls him in
 * ```
 */
export class MarioWorld {
  /** The level's rows, as given. */
  readonly level: readonly string[];
  /** Columns. */
  readonly width: number;
  /** Rows. */
  readonly height: number;
  /** Cells a jump rises. */
  readonly jumpHeight: number;
  /** Steps before an episode is cut off. */
  readonly maxSteps: number;
  /** The reward setting. */
  readonly reward: Readonly<MarioReward>;
  /** Cells where an episode may start, in reading order. */
  readonly starts: readonly MarioState[];
  /** Leftmost column of the flag pole. */
  readonly flagColumn: number;
  #solid: Uint8Array;
  #flag: Uint8Array;
  #rng: Prng;
  #state: MarioState | null = null;
  #outcome: Outcome = "running";
  #steps = 0;

  /**
   * @param level Rows of equal length over `.#FS`, at least 2 rows and 2 columns, with a flag, at least one start
   *   standing on solid ground, and only `#` and `.` in the bottom row.
   * @param options Reward setting, jump height, time limit, seed.
   * @throws {RangeError} For a malformed level or a bad option, with the row, column or value at fault.
   */
  constructor(level: readonly string[], options: MarioOptions = {}) {
    if (!Array.isArray(level) || level.length < 2 || level.some((row) => typeof row !== "string")) {
      throw new RangeError(
        `Cannot create a Mario world as the level must be an array of at least 2 strings: current value is ${
          JSON.stringify(level)
        }`,
      );
    }
    const width = level[0].length;
    if (width < 2) {
      throw new RangeError(`Cannot create a Mario world as rows must have at least 2 cells: row 0 has ${width}`);
    }
    const height = level.length;
    this.#solid = new Uint8Array(width * height);
    this.#flag = new Uint8Array(width * height);
    const starts: MarioState[] = [];
    let flagColumn = Infinity;
    level.forEach((row, y) => {
      if (row.length !== width) {
        throw new RangeError(
          `Cannot create a Mario world as every row must have ${width} cells like row 0: row ${y} has ${row.length}`,
        );
      }
      [...row].forEach((c, x) => {
        if (!".#FS".includes(c)) {
          throw new RangeError(
            `Cannot create a Mario world as cells must be one of . # F S: row ${y}, column ${x} is "${c}"`,
          );
        }
        if (y === height - 1 && c !== "#" && c !== ".") {
          throw new RangeError(
            `Cannot create a Mario world as the bottom row is ground (# or . for a gap): column ${x} is "${c}"`,
          );
        }
        if (c === "#") this.#solid[y * width + x] = 1;
        if (c === "F") {
          this.#flag[y * width + x] = 1;
          flagColumn = Math.min(flagColumn, x);
        }
        if (c === "S") starts.push({ x, y, rise: 0 });
      });
    });
    if (flagColumn === Infinity) throw new RangeError("Cannot create a Mario world as the level has no flag (F)");
    if (starts.length === 0) throw new RangeError("Cannot create a Mario world as the level has no start cell (S)");
    for (const s of starts) {
      if (level[s.y + 1][s.x] !== "#") {
        throw new RangeError(
          `Cannot create a Mario world as a start must stand on solid ground: row ${s.y}, column ${s.x} has air below`,
        );
      }
    }
    const jumpHeight = options.jumpHeight ?? 3;
    checkPositiveInteger(jumpHeight, "jumpHeight", "create a Mario world");
    const maxSteps = options.maxSteps ?? 3 * width;
    checkPositiveInteger(maxSteps, "maxSteps", "create a Mario world");
    this.reward = checkReward({ ...DENSE_REWARD, ...options.reward });
    this.level = Object.freeze([...level]);
    this.width = width;
    this.height = height;
    this.jumpHeight = jumpHeight;
    this.maxSteps = maxSteps;
    this.starts = Object.freeze(starts.map((s) => Object.freeze(s)));
    this.flagColumn = flagColumn;
    this.#rng = toPrng(options.seed ?? SEED);
  }

  /** Number of distinct states: width × height × (jumpHeight + 1). */
  get numStates(): number {
    return this.width * this.height * (this.jumpHeight + 1);
  }

  /** Number of actions (4). */
  get numActions(): number {
    return ACTIONS.length;
  }

  /** The current state (a copy), or null before the first reset. */
  get state(): MarioState | null {
    return this.#state && { ...this.#state };
  }

  /** How the current episode stands. */
  get outcome(): Outcome {
    return this.#outcome;
  }

  /** Steps taken in the current episode. */
  get stepCount(): number {
    return this.#steps;
  }

  /** Whether the cell is solid; cells outside the left, right and top edges count as solid, below the grid as air. */
  isSolid(x: number, y: number): boolean {
    if (y >= this.height) return false;
    if (x < 0 || x >= this.width || y < 0) return true;
    return this.#solid[y * this.width + x] === 1;
  }

  /** Whether the cell belongs to the flag pole. */
  isFlag(x: number, y: number): boolean {
    return x >= 0 && x < this.width && y >= 0 && y < this.height && this.#flag[y * this.width + x] === 1;
  }

  /** Whether the bottom-row cell of column `x` is a gap. */
  isGap(x: number): boolean {
    return x >= 0 && x < this.width && !this.isSolid(x, this.height - 1);
  }

  /**
   * Starts an episode.
   *
   * @param start Where to start: a state, or an index into {@link starts}; default a start cell drawn with the
   *   world's seeded generator (so a seed fixes the sequence of starts).
   * @returns The first state.
   * @throws {RangeError} When `start` is not a start index or a valid state (see {@link checkState}).
   */
  reset(start?: number | MarioState): MarioState {
    let s: MarioState;
    if (start === undefined) s = this.starts[this.#rng.int(this.starts.length)];
    else if (typeof start === "number") {
      if (!Number.isInteger(start) || start < 0 || start >= this.starts.length) {
        throw new RangeError(
          `Cannot reset the Mario world as a start index must be an integer in [0, ${this.starts.length}): ` +
            `current value is ${start}`,
        );
      }
      s = this.starts[start];
    } else s = this.checkState(start, "reset the Mario world");
    this.#state = { ...s };
    this.#outcome = "running";
    this.#steps = 0;
    return { ...s };
  }

  /**
   * Checks that a state is one Mario can be in: integer column and row inside the grid, above the bottom row, not in
   * a solid cell or on the flag, and a rise in [0, jumpHeight].
   *
   * @param state The state to check.
   * @param action What cannot be done with a bad state, for the message.
   * @returns A copy of the state.
   * @throws {RangeError} Naming the field at fault and its value.
   */
  checkState(state: MarioState, action = "use a Mario state"): MarioState {
    if (typeof state !== "object" || state === null) {
      throw new RangeError(`Cannot ${action} as the state must be an object {x, y, rise}: current value is ${state}`);
    }
    const { x, y, rise } = state;
    if (!Number.isInteger(x) || x < 0 || x >= this.width) {
      throw new RangeError(`Cannot ${action} as x must be an integer in [0, ${this.width}): current value is ${x}`);
    }
    if (!Number.isInteger(y) || y < 0 || y >= this.height - 1) {
      throw new RangeError(
        `Cannot ${action} as y must be an integer in [0, ${this.height - 1}) (the bottom row is ground): ` +
          `current value is ${y}`,
      );
    }
    if (!Number.isInteger(rise) || rise < 0 || rise > this.jumpHeight) {
      throw new RangeError(
        `Cannot ${action} as rise must be an integer in [0, ${this.jumpHeight}]: current value is ${rise}`,
      );
    }
    if (this.isSolid(x, y)) throw new RangeError(`Cannot ${action} as the cell at x ${x}, y ${y} is solid`);
    if (this.isFlag(x, y)) throw new RangeError(`Cannot ${action} as the cell at x ${x}, y ${y} is the flag`);
    return { x, y, rise };
  }

  /**
   * The number of a state, in [0, numStates): the row of a Q-table.
   *
   * @param state A valid state (default: the current one).
   * @returns `(rise · height + y) · width + x`.
   * @throws {RangeError} For an invalid state, or no state before the first reset.
   */
  stateIndex(state: MarioState | null = this.#state): number {
    if (state === null) throw new RangeError("Cannot number the state as the world has not been reset: call reset()");
    const { x, y, rise } = this.checkState(state, "number a state");
    return (rise * this.height + y) * this.width + x;
  }

  /**
   * One step of the rules (see the module doc). Deterministic: no random numbers are drawn.
   *
   * @param action An action name or its index in {@link ACTIONS}.
   * @returns The new state, the reward, whether the episode ended and how.
   * @throws {RangeError} For an unknown action; {@link Error} before a reset or after the episode ended.
   */
  step(action: Action | number): MarioStep {
    const a = actionIndex(action, "step the Mario world");
    if (this.#state === null) throw new Error("Cannot step the Mario world before a reset: call reset() first");
    if (this.#outcome !== "running") {
      throw new Error(`Cannot step the Mario world as the episode has ended (${this.#outcome}): call reset() first`);
    }
    const before = this.#state;
    const { state, outcome } = this.transition(before, a);
    this.#steps += 1;
    const final = outcome === "running" && this.#steps >= this.maxSteps ? "timeout" : outcome;
    const r = this.reward;
    const reward = r.progress * (state.x - before.x) + r.step + (outcome === "fell" ? r.fall : 0) +
      (outcome === "flag" ? r.flag : 0);
    this.#state = state;
    this.#outcome = final;
    return { state: { ...state }, reward, done: final !== "running", outcome: final };
  }

  /**
   * The rules without the episode: where a state and an action lead (for planning, tests and drawings).
   *
   * @param state A valid state.
   * @param action An action name or index.
   * @returns The next state and `"running"`, `"flag"` or `"fell"` (time limits belong to episodes, not rules).
   * @throws {RangeError} For an invalid state or action.
   */
  transition(state: MarioState, action: Action | number): { state: MarioState; outcome: Outcome } {
    const a = actionIndex(action, "apply the rules");
    let { x, y, rise } = this.checkState(state, "apply the rules");
    const onGround = this.isSolid(x, y + 1);
    if (ACTIONS[a] === "jump" && onGround && rise === 0) rise = this.jumpHeight;
    const dx = [-1, 1, 2, 0][a];
    for (let i = 0; i < Math.abs(dx); i++) {
      const nx = x + Math.sign(dx);
      if (this.isSolid(nx, y)) break; // walls block
      x = nx;
      if (this.isFlag(x, y)) return { state: { x, y, rise: 0 }, outcome: "flag" };
    }
    if (rise > 0) {
      if (this.isSolid(x, y - 1)) rise = 0; // a block overhead ends the jump
      else {
        y -= 1;
        rise -= 1;
      }
    } else if (!this.isSolid(x, y + 1)) y += 1; // gravity
    if (this.isFlag(x, y)) return { state: { x, y, rise: 0 }, outcome: "flag" };
    if (y >= this.height - 1) return { state: { x, y: this.height - 1, rise: 0 }, outcome: "fell" };
    return { state: { x, y, rise }, outcome: "running" };
  }

  /**
   * The level as text, with Mario (`M`) and an optional path (`*` on each visited cell).
   *
   * @param options `state` (default the current one; null for none) and `path` (states to mark).
   * @returns The rows joined by newlines; gaps in the bottom row show as spaces, so they read as holes.
   */
  render(options: { state?: MarioState | null; path?: readonly MarioState[] } = {}): string {
    const grid = this.level.map((row, y) =>
      [...row].map((c) => c === "S" ? "." : y === this.height - 1 && c === "." ? " " : c)
    );
    for (const p of options.path ?? []) {
      if (p.y >= 0 && p.y < this.height && p.x >= 0 && p.x < this.width) grid[p.y][p.x] = "*";
    }
    const m = options.state === undefined ? this.#state : options.state;
    if (m) grid[Math.min(m.y, this.height - 1)][m.x] = "M";
    return grid.map((row) => row.join("")).join("\n");
  }

  /**
   * Features of a state for a neural policy: one-hot column, one-hot row, one-hot rise, then the 4 × 5 window of
   * cells around Mario (rows y−2…y+1, columns x−1…x+3), 1 where solid, −1 where a gap lies below the window column
   * in the bottom row.
   *
   * @param state A valid state.
   * @returns A vector of length {@link featureSize}.
   * @throws {RangeError} For an invalid state.
   */
  features(state: MarioState): Float32Array {
    const { x, y, rise } = this.checkState(state, "compute features");
    const out = new Float32Array(this.featureSize);
    out[x] = 1;
    out[this.width + y] = 1;
    out[this.width + this.height + rise] = 1;
    let i = this.width + this.height + this.jumpHeight + 1;
    for (let dy = -2; dy <= 1; dy++) {
      for (let dx = -1; dx <= 3; dx++) out[i++] = this.isSolid(x + dx, y + dy) ? 1 : this.isGap(x + dx) ? -1 : 0;
    }
    return out;
  }

  /** Length of {@link features}: width + height + jumpHeight + 1 + 20. */
  get featureSize(): number {
    return this.width + this.height + this.jumpHeight + 1 + 20;
  }
}

/**
 * The index of an action given by name or index.
 *
 * @param action `"left"`, `"right"`, `"run"`, `"jump"` or 0–3.
 * @param what What cannot be done with a bad action, for the message.
 * @returns The index in {@link ACTIONS}.
 * @throws {RangeError} `Cannot <what> as action must be one of left, right, run, jump or an index in [0, 4): …`.
 * @example
 * ```ts
 * import { actionIndex } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(actionIndex("jump"), 3);
 * assert.throws(() => actionIndex("crouch"), /must be one of left, right, run, jump/);
 * ```
 */
export function actionIndex(action: Action | number | string, what = "use an action"): number {
  const i = typeof action === "number" ? action : (ACTIONS as readonly string[]).indexOf(action);
  if (!Number.isInteger(i) || i < 0 || i >= ACTIONS.length) {
    throw new RangeError(
      `Cannot ${what} as action must be one of ${ACTIONS.join(", ")} or an index in [0, ${ACTIONS.length}): ` +
        `current value is ${JSON.stringify(action)}`,
    );
  }
  return i;
}

function checkReward(r: MarioReward): Readonly<MarioReward> {
  for (const key of ["progress", "fall", "flag", "step"] as const) {
    if (!Number.isFinite(r[key])) {
      throw new RangeError(`Cannot create a Mario world as reward.${key} must be finite: current value is ${r[key]}`);
    }
  }
  if (r.fall > 0 || r.step > 0) {
    throw new RangeError(
      `Cannot create a Mario world as reward.fall and reward.step are penalties (≤ 0): current values are ${r.fall} ` +
        `and ${r.step}`,
    );
  }
  return Object.freeze({ ...r });
}
