/**
 * Planning instead of learning: with the rules of the {@link MarioWorld} in hand, a breadth-first search finds the
 * fewest steps from a state to the flag. The agents of notebook 13 never see the rules; this is the yardstick their
 * learned paths are measured against.
 *
 * @module
 */
import { type MarioState, MarioWorld } from "./mario.ts";

/** A shortest way to the flag. */
export interface ShortestPath {
  /** The states from the start to the flag cell: `actions.length + 1` entries. */
  states: MarioState[];
  /** The action index of each step. */
  actions: number[];
}

/**
 * The fewest steps from a state to the flag, by breadth-first search over the world's rules (`transition`), trying
 * the actions in the order of `ACTIONS` (so among equally short paths the one found first wins).
 *
 * @param world The world.
 * @param start A valid state (see {@link MarioWorld.checkState}) or an index into `world.starts`.
 * @returns The path, or null when the flag cannot be reached from there (or not within `world.maxSteps` steps).
 * @throws {RangeError} For an invalid start.
 * @example
 * ```ts
 * import { LEVELS, MarioWorld, shortestPath } from "@lib/rl/mod.ts";
 * import assert from "node:assert/strict";
 * const world = new MarioWorld(LEVELS.tiny);
 * const path = shortestPath(world, 0)!;
 * assert.deepEqual(path.actions, [2, 2, 2]); // run, run, run: the second one carries Mario over the gap
 * assert.deepEqual(path.states.at(-1), { x: 6, y: 1, rise: 0 });
 * ```
 */
export function shortestPath(world: MarioWorld, start: number | MarioState): ShortestPath | null {
  let from: MarioState;
  if (typeof start === "number") {
    if (!Number.isInteger(start) || start < 0 || start >= world.starts.length) {
      throw new RangeError(
        `Cannot search a shortest path as a start index must be an integer in [0, ${world.starts.length}): ` +
          `current value is ${start}`,
      );
    }
    from = { ...world.starts[start] };
  } else from = world.checkState(start, "search a shortest path");
  const first = world.stateIndex(from);
  const parent = new Map<number, { prev: number; action: number; state: MarioState }>([
    [first, { prev: -1, action: -1, state: from }],
  ]);
  let frontier = [first];
  for (let depth = 0; depth < world.maxSteps && frontier.length > 0; depth++) {
    const next: number[] = [];
    for (const i of frontier) {
      const here = parent.get(i)!.state;
      for (let a = 0; a < world.numActions; a++) {
        const { state, outcome } = world.transition(here, a);
        if (outcome === "fell") continue;
        if (outcome === "flag") {
          const states = [state], actions = [a];
          for (let k = i; k !== -1; k = parent.get(k)!.prev) {
            const p = parent.get(k)!;
            states.unshift(p.state);
            if (p.action >= 0) actions.unshift(p.action);
          }
          return { states, actions };
        }
        const j = world.stateIndex(state);
        if (!parent.has(j)) {
          parent.set(j, { prev: i, action: a, state });
          next.push(j);
        }
      }
    }
    frontier = next;
  }
  return null;
}
