import assert from "node:assert/strict";
import { LEVELS, MarioWorld, randomLevel } from "@lib/rl/mod.ts";

/** Breadth-first search over the rules: can the flag be reached from a state? */
function solvable(world: MarioWorld, start: { x: number; y: number; rise: number }): boolean {
  const seen = new Set<number>([world.stateIndex(start)]);
  const queue = [start];
  while (queue.length) {
    const s = queue.shift()!;
    for (let a = 0; a < 4; a++) {
      const { state, outcome } = world.transition(s, a);
      if (outcome === "flag") return true;
      if (outcome !== "running") continue;
      const i = world.stateIndex(state);
      if (!seen.has(i)) {
        seen.add(i);
        queue.push(state);
      }
    }
  }
  return false;
}

Deno.test("every hand-made level parses and the flag can be reached from every start", () => {
  for (const [name, level] of Object.entries(LEVELS)) {
    const world = new MarioWorld(level);
    for (const s of world.starts) {
      assert.ok(solvable(world, s), `${name}: no way to the flag from ${JSON.stringify(s)}`);
    }
  }
  assert.ok(Object.isFrozen(LEVELS) && Object.isFrozen(LEVELS["1-1"]));
});

Deno.test("the flag cannot be reached from a start boxed in by walls (the search can fail)", () => {
  const world = new MarioWorld(["####..F", "#S.#..F", "#######"]);
  assert.equal(solvable(world, world.starts[0]), false);
});

Deno.test("randomLevel: seeded, has gaps and walls, and is always solvable", () => {
  assert.deepEqual(randomLevel({ seed: 4 }), randomLevel({ seed: 4 }));
  assert.notDeepEqual(randomLevel({ seed: 4 }), randomLevel({ seed: 5 }));
  for (let seed = 1; seed <= 30; seed++) {
    const level = randomLevel({ seed, width: 24 + seed, height: 5 + (seed % 3) });
    const world = new MarioWorld(level);
    assert.equal(world.width, 24 + seed);
    for (const s of world.starts) {
      assert.ok(solvable(world, s), `seed ${seed}: ${JSON.stringify(s)}\n${level.join("\n")}`);
    }
  }
  const all = Array.from({ length: 10 }, (_, i) => randomLevel({ seed: i }).join("\n")).join("\n");
  assert.ok(all.includes("#.") || all.includes(".#"), "some walls or gaps");
});

Deno.test("randomLevel rejects sizes it cannot fill", () => {
  assert.throws(() => randomLevel({ width: 11 }), {
    message: "Cannot generate a level as width must be ≥ 12: current value is 11",
  });
  assert.throws(() => randomLevel({ height: 3 }), {
    message: "Cannot generate a level as height must be ≥ 4: current value is 3",
  });
  assert.throws(() => randomLevel({ width: 20.5 }), {
    message: "Cannot generate a level as width must be a positive integer: current value is 20.5",
  });
});
