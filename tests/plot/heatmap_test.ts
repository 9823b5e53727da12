import assert from "node:assert/strict";
import { heatmap, WHITE_TO_BLUE } from "@lib/plot/mod.ts";

const TOKENS = ["发现", "隐藏", "背后", "秘密"];
const ATTENTION = [[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0.3, 0.5, 0], [0.1, 0.2, 0.3, 0.4]];

Deno.test("heatmap labels rows and columns with Chinese tokens, row 0 on top, values written", () => {
  const fig = heatmap(ATTENTION, { x: TOKENS, y: TOKENS, xTitle: "key", yTitle: "query", zmin: 0, zmax: 1 });
  const [trace] = fig.data;
  assert.deepEqual(trace.z, ATTENTION);
  assert.deepEqual([trace.x, trace.y], [[0, 1, 2, 3], [0, 1, 2, 3]]);
  assert.deepEqual([trace.zmin, trace.zmax, trace.colorscale], [0, 1, WHITE_TO_BLUE]);
  assert.equal(trace.texttemplate, "%{z:.2f}");
  assert.equal((trace.text as string[][])[2][1], "背后 → 隐藏");
  assert.deepEqual(fig.layout.xaxis, {
    automargin: true,
    title: { text: "key" },
    tickmode: "array",
    tickvals: [0, 1, 2, 3],
    ticktext: TOKENS,
    side: "bottom",
  });
  assert.equal((fig.layout.yaxis as { autorange: string }).autorange, "reversed");
});

Deno.test("heatmap's text summary is the matrix as a table", () => {
  const fig = heatmap([[1, 0.25], [0, 0.75]], { x: ["秘密", "b"], y: ["r0", "r1"], title: "attn" });
  assert.equal(
    fig.summary(),
    ['Figure "attn": 1 trace', "- heatmap: z 2×2 in 0…1", "   秘密    b", "r0    1 0.25", "r1    0 0.75"].join("\n"),
  );
});

Deno.test("heatmap of a big matrix does not write values and lists labels instead of a table", () => {
  const z = Array.from({ length: 30 }, (_, r) => Array.from({ length: 30 }, (_, c) => r * c));
  const fig = heatmap(z, { valueFormat: ".1f" });
  assert.equal(fig.data[0].texttemplate, undefined);
  assert.equal(fig.summary(), "Figure: 1 trace\n- heatmap: z 30×30 in 0…841");
  assert.equal(heatmap([[1]], { showValues: false }).data[0].texttemplate, undefined);
  assert.equal(heatmap([[1]], { valueFormat: ".0%" }).data[0].texttemplate, "%{z:.0%}");
});

Deno.test("heatmap accepts a tensor-like object with arraySync", () => {
  assert.deepEqual(heatmap({ arraySync: () => [[1, 2]] }).data[0].z, [[1, 2]]);
});

Deno.test("heatmap explains bad input", () => {
  assert.throws(() => heatmap([]), {
    name: "RangeError",
    message: "Cannot plot heatmap z as it has no rows: give at least one",
  });
  assert.throws(() => heatmap([[]]), {
    name: "RangeError",
    message: "Cannot plot heatmap z as its rows are empty: give at least one column",
  });
  assert.throws(() => heatmap([[1, 2], [3]]), {
    name: "RangeError",
    message: "Cannot plot heatmap z as all rows must have the same length: row 0 has 2 values, row 1 has 1",
  });
  assert.throws(() => heatmap([[1, NaN]]), {
    name: "RangeError",
    message: "Cannot plot heatmap z as it must hold finite numbers: [0][1] is NaN",
  });
  assert.throws(() => heatmap([[1, 2]], { x: ["a"] }), {
    name: "RangeError",
    message: "Cannot plot heatmap x (column labels) as it must have 2 labels to match the data: got 1",
  });
  assert.throws(() => heatmap([1, 2] as never), {
    name: "TypeError",
    message: "Cannot plot heatmap z as it must be a 2-D array: row 0 is 1",
  });
});

Deno.test("heatmap writes counts as integers and other values with two decimals", () => {
  assert.equal(heatmap([[803, 2], [5, 40]]).data[0].texttemplate, "%{z:d}");
  assert.equal(heatmap([[0.5, 1], [1, 0]]).data[0].texttemplate, "%{z:.2f}");
  assert.equal(heatmap([[1, 2]], { valueFormat: ".1%" }).data[0].texttemplate, "%{z:.1%}");
});
