import assert from "node:assert/strict";
import { LEVELS, type MarioState, MarioWorld, runEpisode, shortestPath, standingCells } from "@lib/rl/mod.ts";

/** The fewest steps to the flag by trying every action sequence up to `limit` steps (tiny worlds only). */
function bruteForce(world: MarioWorld, start: MarioState, limit: number): number {
  let frontier = [start];
  for (let depth = 1; depth <= limit; depth++) {
    const next: MarioState[] = [];
    for (const s of frontier) {
      for (let a = 0; a < 4; a++) {
        const { state, outcome } = world.transition(s, a);
        if (outcome === "flag") return depth;
        if (outcome === "running") next.push(state);
      }
    }
    frontier = next;
  }
  return Infinity;
}

Deno.test("shortestPath: as short as trying every action sequence, from every standing cell of the tiny map", () => {
  const world = new MarioWorld(LEVELS.tiny);
  for (const s of standingCells(world)) {
    const path = shortestPath(world, s);
    assert.ok(path !== null);
    assert.equal(path.actions.length, bruteForce(world, s, 8), `from x ${s.x}`);
  }
});

Deno.test("shortestPath: replaying its actions reaches the flag through its states, on 1-3", () => {
  const world = new MarioWorld(LEVELS["1-3"]);
  const path = shortestPath(world, 0)!;
  assert.equal(path.states.length, path.actions.length + 1);
  const ep = runEpisode(world, (_s) => path.actions[world.stepCount], 0);
  assert.equal(ep.outcome, "flag");
  assert.deepEqual(ep.states, path.states);
  assert.ok(path.actions.length >= Math.ceil((world.flagColumn - 0) / 2), "runs at most two columns a step");
});

Deno.test("shortestPath: null when a wall is too high to jump; clear errors for bad starts", () => {
  const walled = new MarioWorld(["..#..F", "..#..F", "..#..F", "..#..F", "S.#..F", "######"]);
  assert.equal(shortestPath(walled, 0), null);
  assert.throws(() => shortestPath(walled, 3), {
    message: "Cannot search a shortest path as a start index must be an integer in [0, 1): current value is 3",
  });
  assert.throws(() => shortestPath(walled, { x: 2, y: 4, rise: 0 }), {
    message: "Cannot search a shortest path as the cell at x 2, y 4 is solid",
  });
});
