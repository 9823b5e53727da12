import assert from "node:assert/strict";
import { actionIndex, ACTIONS, DENSE_REWARD, FLAG_ONLY_REWARD, LEVELS, MarioWorld } from "@lib/rl/mod.ts";

// A corridor: start at column 0, a two-high wall at column 3, a block over column 6, a gap at 8, the flag at 10.
const ROOM = [
  "..........F",
  "......#...F",
  "...#......F",
  "S..#......F",
  "########.##",
];

Deno.test("MarioWorld parses the level: size, starts, flag, solid cells, gaps", () => {
  const w = new MarioWorld(ROOM);
  assert.deepEqual([w.width, w.height, w.flagColumn, w.jumpHeight, w.maxSteps], [11, 5, 10, 3, 33]);
  assert.deepEqual(w.starts, [{ x: 0, y: 3, rise: 0 }]);
  assert.ok(w.isSolid(3, 3) && w.isSolid(3, 2) && !w.isSolid(3, 1));
  assert.ok(w.isSolid(-1, 0) && w.isSolid(11, 0) && w.isSolid(0, -1), "the left, right and top edges are solid");
  assert.ok(!w.isSolid(8, 5), "below the grid is air");
  assert.ok(w.isGap(8) && !w.isGap(7));
  assert.ok(w.isFlag(10, 0) && !w.isFlag(9, 0));
  assert.equal(w.numStates, 11 * 5 * 4);
  assert.equal(w.numActions, 4);
  assert.deepEqual([...ACTIONS], ["left", "right", "run", "jump"]);
});

Deno.test("MarioWorld: walls block walking and running", () => {
  const w = new MarioWorld(ROOM);
  w.reset(0);
  assert.deepEqual(w.step("run").state, { x: 2, y: 3, rise: 0 });
  assert.deepEqual(w.step("right").state, { x: 2, y: 3, rise: 0 }, "the wall at column 3 blocks");
  assert.deepEqual(w.step("left").state, { x: 1, y: 3, rise: 0 });
  assert.deepEqual(w.step("run").state, { x: 2, y: 3, rise: 0 }, "running stops at the wall, cell by cell");
  w.reset(0);
  assert.deepEqual(w.step("left").state, { x: 0, y: 3, rise: 0 }, "the level's left edge blocks");
});

Deno.test("MarioWorld: gravity — a jump rises jumpHeight cells, then Mario falls back one cell a step", () => {
  const w = new MarioWorld(ROOM);
  w.reset(0);
  const ys = [w.step("jump"), w.step("jump"), w.step("jump"), w.step("jump"), w.step("jump"), w.step("jump")].map((
    s,
  ) => [s.state.y, s.state.rise]);
  // Jumping again in the air does nothing: up 3 (rise 2, 1, 0), then down 3, then a new jump from the ground.
  assert.deepEqual(ys, [[2, 2], [1, 1], [0, 0], [1, 0], [2, 0], [3, 0]]);
  assert.deepEqual(w.step("jump").state, { x: 0, y: 2, rise: 2 }, "back on the ground, jump works again");
});

Deno.test("MarioWorld: a jump carries Mario over a wall; a block overhead ends the jump", () => {
  const w = new MarioWorld(ROOM);
  w.reset({ x: 2, y: 3, rise: 0 });
  w.step("jump"); // y 2
  w.step("jump"); // y 1
  const over = w.step("right"); // rising to y 0 while stepping over the wall's top (rows 2–3)
  assert.deepEqual(over.state, { x: 3, y: 0, rise: 0 });
  assert.deepEqual(w.step("right").state, { x: 4, y: 1, rise: 0 }, "falls after the jump");
  const bonk = new MarioWorld(ROOM);
  bonk.reset({ x: 6, y: 3, rise: 0 });
  assert.deepEqual(bonk.step("jump").state, { x: 6, y: 2, rise: 2 });
  assert.deepEqual(bonk.step("jump").state, { x: 6, y: 2, rise: 0 }, "the block at row 1 stops the rise");
  assert.deepEqual(bonk.step("jump").state, { x: 6, y: 3, rise: 0 }, "and gravity pulls him back");
});

Deno.test("MarioWorld: walking into a gap kills, with the dense penalty", () => {
  const w = new MarioWorld(ROOM);
  w.reset({ x: 7, y: 3, rise: 0 });
  const s = w.step("right");
  assert.equal(s.outcome, "fell");
  assert.equal(s.done, true);
  assert.deepEqual(s.state, { x: 8, y: 4, rise: 0 });
  assert.ok(Math.abs(s.reward - (DENSE_REWARD.progress + DENSE_REWARD.fall)) < 1e-12);
  assert.throws(() => w.step("right"), {
    message: "Cannot step the Mario world as the episode has ended (fell): call reset() first",
  });
});

Deno.test("MarioWorld: running (two cells a step) skips a one-cell gap, walking does not", () => {
  const w = new MarioWorld(LEVELS.tiny);
  w.reset({ x: 2, y: 1, rise: 0 });
  assert.deepEqual(w.step("run"), { state: { x: 4, y: 1, rise: 0 }, reward: 0.2, done: false, outcome: "running" });
  w.reset({ x: 2, y: 1, rise: 0 });
  assert.equal(w.step("right").outcome, "fell");
});

Deno.test("MarioWorld: the flag ends the episode with the flag bonus; flag-only pays nothing before it", () => {
  for (const reward of [DENSE_REWARD, FLAG_ONLY_REWARD]) {
    const w = new MarioWorld(ROOM, { reward });
    w.reset({ x: 6, y: 3, rise: 0 });
    const first = w.step("right");
    assert.equal(first.reward, reward.progress);
    w.step("jump");
    const last = [w.step("run"), w.step("run")];
    assert.equal(last[0].outcome, "running");
    assert.equal(last[1].outcome, "flag");
    assert.ok(last[1].done);
    assert.ok(Math.abs(last[1].reward - (reward.progress + reward.flag)) < 1e-12, `${last[1].reward}`);
  }
});

Deno.test("MarioWorld: running into the flag pole mid-move counts", () => {
  const w = new MarioWorld(["....F", "S...F", "#####"]);
  w.reset(0);
  w.step("run");
  const s = w.step("run");
  assert.equal(s.outcome, "flag");
  assert.deepEqual(s.state, { x: 4, y: 1, rise: 0 });
});

Deno.test("MarioWorld: an episode is cut off after maxSteps (timeout, not a death)", () => {
  const w = new MarioWorld(ROOM, { maxSteps: 3 });
  w.reset(0);
  assert.equal(w.step("left").outcome, "running");
  assert.equal(w.step("left").outcome, "running");
  const s = w.step("left");
  assert.deepEqual([s.outcome, s.done, w.stepCount], ["timeout", true, 3]);
});

Deno.test("MarioWorld: step is deterministic and reset's random starts follow the seed", () => {
  const w = new MarioWorld(LEVELS["1-1"]);
  for (const s of w.starts) {
    for (let a = 0; a < 4; a++) assert.deepEqual(w.transition(s, a), w.transition(s, a));
  }
  const starts = (seed: number) => {
    const x = new MarioWorld(LEVELS["1-1"], { seed });
    return Array.from({ length: 20 }, () => x.reset().x);
  };
  assert.deepEqual(starts(5), starts(5));
  assert.notDeepEqual(starts(5), starts(6));
  assert.ok(new Set(starts(5)).size > 3, "the starts vary");
});

Deno.test("MarioWorld.render draws Mario, the path and the gaps as holes", () => {
  const w = new MarioWorld(LEVELS.tiny);
  w.reset(0);
  assert.equal(w.render(), "......F\nM.....F\n### ###");
  const path = [{ x: 0, y: 1, rise: 0 }, { x: 1, y: 1, rise: 0 }, { x: 2, y: 0, rise: 2 }];
  assert.equal(w.render({ state: { x: 2, y: 0, rise: 2 }, path }), "..M...F\n**....F\n### ###");
  assert.equal(w.render({ state: null }), "......F\n......F\n### ###");
});

Deno.test("MarioWorld.stateIndex numbers every state once", () => {
  const w = new MarioWorld(ROOM);
  const seen = new Set<number>();
  for (let rise = 0; rise <= w.jumpHeight; rise++) {
    for (let y = 0; y < w.height - 1; y++) {
      for (let x = 0; x < w.width; x++) {
        if (w.isSolid(x, y) || w.isFlag(x, y)) continue;
        const i = w.stateIndex({ x, y, rise });
        assert.ok(i >= 0 && i < w.numStates);
        seen.add(i);
      }
    }
  }
  assert.equal(seen.size, (11 * 4 - 3 - 4) * 4);
});

Deno.test("MarioWorld.features: one-hot position and rise, then the window around Mario", () => {
  const w = new MarioWorld(ROOM);
  const f = w.features({ x: 2, y: 3, rise: 1 });
  assert.equal(f.length, w.featureSize);
  assert.equal(w.featureSize, 11 + 5 + 4 + 20);
  assert.equal(f[2], 1);
  assert.equal(f[11 + 3], 1);
  assert.equal(f[11 + 5 + 1], 1);
  const window = Array.from(f.slice(20));
  // rows y−2…y+1 = 1…4, columns x−1…x+3 = 1…5
  assert.deepEqual(window, [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1]);
  const nearGap = w.features({ x: 7, y: 3, rise: 0 }).slice(20);
  assert.equal(nearGap[10 + 2], -1, "the column above the gap is marked −1");
});

Deno.test("MarioWorld rejects malformed levels with messages that say what is wrong", () => {
  const cases: [unknown, string][] = [
    [
      ["S.F"],
      'Cannot create a Mario world as the level must be an array of at least 2 strings: current value is ["S.F"]',
    ],
    [["F", "#"], "Cannot create a Mario world as rows must have at least 2 cells: row 0 has 1"],
    [["S.F", "##"], "Cannot create a Mario world as every row must have 3 cells like row 0: row 1 has 2"],
    [["S?F", "###"], 'Cannot create a Mario world as cells must be one of . # F S: row 0, column 1 is "?"'],
    [["S.F", "##F"], 'Cannot create a Mario world as the bottom row is ground (# or . for a gap): column 2 is "F"'],
    [["S..", "###"], "Cannot create a Mario world as the level has no flag (F)"],
    [["..F", "###"], "Cannot create a Mario world as the level has no start cell (S)"],
    [
      ["S.F", ".##"],
      "Cannot create a Mario world as a start must stand on solid ground: row 0, column 0 has air below",
    ],
  ];
  for (const [level, message] of cases) {
    assert.throws(() => new MarioWorld(level as string[]), { name: "RangeError", message });
  }
});

Deno.test("MarioWorld rejects bad options", () => {
  assert.throws(() => new MarioWorld(ROOM, { jumpHeight: 0 }), {
    message: "Cannot create a Mario world as jumpHeight must be a positive integer: current value is 0",
  });
  assert.throws(() => new MarioWorld(ROOM, { maxSteps: 2.5 }), {
    message: "Cannot create a Mario world as maxSteps must be a positive integer: current value is 2.5",
  });
  assert.throws(() => new MarioWorld(ROOM, { reward: { flag: NaN } }), {
    message: "Cannot create a Mario world as reward.flag must be finite: current value is NaN",
  });
  assert.throws(() => new MarioWorld(ROOM, { reward: { fall: 1 } }), {
    message: "Cannot create a Mario world as reward.fall and reward.step are penalties (≤ 0): current values are 1 " +
      "and 0",
  });
});

Deno.test("MarioWorld rejects bad actions and states with clear messages", () => {
  const w = new MarioWorld(ROOM);
  assert.throws(() => w.step("right"), {
    name: "Error",
    message: "Cannot step the Mario world before a reset: call reset() first",
  });
  w.reset(0);
  assert.throws(() => w.step("crouch" as never), {
    name: "RangeError",
    message: "Cannot step the Mario world as action must be one of left, right, run, jump or an index in [0, 4): " +
      'current value is "crouch"',
  });
  assert.throws(() => w.step(4), { message: /action must be one of .*current value is 4$/ });
  assert.throws(() => actionIndex(1.5), { message: /current value is 1.5$/ });
  assert.equal(actionIndex("run"), 2);
  const bad: [unknown, string][] = [
    [{ x: 11, y: 0, rise: 0 }, "Cannot reset the Mario world as x must be an integer in [0, 11): current value is 11"],
    [
      { x: 0, y: 4, rise: 0 },
      "Cannot reset the Mario world as y must be an integer in [0, 4) (the bottom row is ground): current value is 4",
    ],
    [{ x: 0, y: 0, rise: 4 }, "Cannot reset the Mario world as rise must be an integer in [0, 3]: current value is 4"],
    [{ x: 3, y: 3, rise: 0 }, "Cannot reset the Mario world as the cell at x 3, y 3 is solid"],
    [{ x: 10, y: 3, rise: 0 }, "Cannot reset the Mario world as the cell at x 10, y 3 is the flag"],
    [null, "Cannot reset the Mario world as the state must be an object {x, y, rise}: current value is null"],
  ];
  for (const [state, message] of bad) assert.throws(() => w.reset(state as never), { name: "RangeError", message });
  assert.throws(() => w.reset(1), {
    message: "Cannot reset the Mario world as a start index must be an integer in [0, 1): current value is 1",
  });
  assert.throws(() => new MarioWorld(ROOM).stateIndex(), {
    message: "Cannot number the state as the world has not been reset: call reset()",
  });
  assert.throws(() => w.transition({ x: 0, y: 3, rise: 0 }, 9), { message: /Cannot apply the rules as action/ });
});
