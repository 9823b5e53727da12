import assert from "node:assert/strict";
import { LEVELS, MARIO_COLORS, marioPlot, MarioWorld, runEpisode } from "@lib/rl/mod.ts";
import { DISPLAY } from "@lib/notebook/display.ts";
import { resetPlotly } from "@lib/plot/mod.ts";

Deno.test("marioPlot draws the level as cell codes and each path as a line", () => {
  const world = new MarioWorld(LEVELS.tiny);
  const ep = runEpisode(world, () => "run", 0);
  const fig = marioPlot(world, { title: "tiny", paths: [{ name: "run", states: ep.states }, ep.states] });
  assert.equal(fig.data.length, 3);
  const [level, first, second] = fig.data as Record<string, unknown>[];
  // 0 air, 1 solid, 2 flag, 3 gap; row 0 at the top
  assert.deepEqual(level.z, [[0, 0, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0, 2], [1, 1, 1, 3, 1, 1, 1]]);
  assert.equal(level.showscale, false);
  assert.equal((level.text as string[][])[2][3], "column 3, row 2: gap");
  assert.deepEqual(first.x, [0, 2, 4, 6]);
  assert.deepEqual(first.y, [1, 1, 1, 1]);
  assert.equal(first.name, "run");
  assert.equal(second.name, "path 2");
  assert.deepEqual((fig.layout.yaxis as { range: number[] }).range, [2.5, -0.5], "row 0 at the top");
  assert.equal((fig.layout.title as { text: string }).text, "tiny");
  assert.ok(JSON.stringify(level.colorscale).includes(MARIO_COLORS.gap));
  const text = fig[DISPLAY]()["text/plain"] as string;
  assert.ok(text.includes("......F\n......F\n### ###"), text);
  resetPlotly();
});

Deno.test("marioPlot sizes cells to fit 900 px", () => {
  const wide = marioPlot(new MarioWorld(LEVELS["1-3"]));
  assert.equal(wide.layout.width, 18 * 48 + 90);
  assert.equal(marioPlot(new MarioWorld(LEVELS.tiny), { cell: 10 }).layout.width, 10 * 7 + 90);
});

Deno.test("marioPlot rejects empty paths, paths off the grid and bad cell sizes", () => {
  const world = new MarioWorld(LEVELS.tiny);
  assert.throws(() => marioPlot(world, { paths: [[]] }), {
    message: "Cannot draw the Mario world as path 0 has no states",
  });
  assert.throws(() => marioPlot(world, { paths: [[{ x: 0, y: 1, rise: 0 }, { x: 9, y: 1, rise: 0 }]] }), {
    message: "Cannot draw the Mario world as path 0 leaves the grid at step 1: x 9, y 1",
  });
  assert.throws(() => marioPlot(world, { cell: -2 }), {
    message: "Cannot draw the Mario world as cell must be a positive number: current value is -2",
  });
});

Deno.test("marioPlot speaks the edition's language: hover text, default title and path names in Chinese under zh", () => {
  const before = Deno.env.get("LIANDAN_LANG");
  Deno.env.set("LIANDAN_LANG", "zh");
  try {
    const world = new MarioWorld(LEVELS.tiny);
    const fig = marioPlot(world, { paths: [runEpisode(world, () => "run", 0).states] });
    const [level, path] = fig.data as Record<string, unknown>[];
    assert.equal((level.text as string[][])[2][3], "第 3 列，第 2 行：坑");
    assert.equal((fig.layout.title as { text: string }).text, "马里奥的世界");
    assert.equal(path.name, "路径 1");
  } finally {
    if (before === undefined) Deno.env.delete("LIANDAN_LANG");
    else Deno.env.set("LIANDAN_LANG", before);
    resetPlotly();
  }
});
