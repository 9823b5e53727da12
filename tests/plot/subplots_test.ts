import assert from "node:assert/strict";
import { figure, linePlot, subplots } from "@lib/plot/mod.ts";

Deno.test("subplots: each figure on its own axes, titles above the panels, axis settings moved with them", () => {
  const a = figure([{ type: "scatter", x: [0, 1], y: [0, 1] }], {
    title: { text: "first" },
    xaxis: { range: [0, 1] },
    yaxis: { scaleanchor: "x" },
  });
  const b = linePlot([3, 1, 2], { title: "second" });
  const c = figure([{ type: "heatmap", z: [[1]] }, { type: "scatter", x: [0], y: [0] }]);
  const fig = subplots([a, b, c], 2, { title: { text: "all" }, height: 600 });
  assert.deepEqual(fig.data.map((t) => [t.type, t.xaxis, t.yaxis]), [
    ["scatter", "x", "y"],
    ["scatter", "x2", "y2"],
    ["heatmap", "x3", "y3"],
    ["scatter", "x3", "y3"],
  ]);
  assert.deepEqual(fig.layout.grid, { rows: 2, columns: 2, pattern: "independent" });
  assert.deepEqual(fig.layout.xaxis, { automargin: true, range: [0, 1] });
  assert.deepEqual(fig.layout.yaxis, { automargin: true, scaleanchor: "x" });
  assert.equal(fig.layout.height, 600);
  assert.deepEqual((fig.layout.title as { text: string }).text, "all");
  const notes = fig.layout.annotations as { text: string; xref: string }[];
  assert.deepEqual(notes.map((n) => [n.text, n.xref]), [["first", "x domain"], ["second", "x2 domain"]]);
});

Deno.test("subplots: a panel's scaleanchor points at its own axis; columns never exceed the panels", () => {
  const panel = figure([{ type: "contour", z: [[1]] }], { yaxis: { scaleanchor: "x" } });
  const fig = subplots([panel, panel, panel], 5);
  assert.deepEqual(fig.layout.grid, { rows: 1, columns: 3, pattern: "independent" });
  assert.equal((fig.layout.yaxis3 as { scaleanchor: string }).scaleanchor, "x3");
});

Deno.test("subplots: bad arguments get clear messages", () => {
  assert.throws(() => subplots([]), {
    name: "RangeError",
    message: "Cannot lay out subplots as figs must hold at least one figure: got an array of length 0",
  });
  assert.throws(() => subplots([linePlot([1])], 0), {
    message: "Cannot lay out subplots as columns must be a positive integer: current value is 0",
  });
  assert.throws(() => subplots([{ data: [] } as never]), {
    name: "TypeError",
    message: "Cannot lay out subplots as figs[0] must be a Figure: got Object",
  });
});
