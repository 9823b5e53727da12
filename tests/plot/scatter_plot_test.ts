import assert from "node:assert/strict";
import { scatterPlot } from "@lib/plot/mod.ts";

Deno.test("scatterPlot makes one trace per group, in order of appearance", () => {
  const fig = scatterPlot([1, 2, 3, 4], [5, 6, 7, 8], { groups: [1, 0, 1, 0], markerSize: 5, title: "iris" });
  assert.deepEqual(fig.data.map((t) => [t.name, t.x, t.y]), [
    ["1", [1, 3], [5, 7]],
    ["0", [2, 4], [6, 8]],
  ]);
  assert.deepEqual(fig.data[0].marker, { size: 5 });
  assert.equal(fig.data[0].mode, "markers");
});

Deno.test("scatterPlot writes labels next to points (word vectors)", () => {
  const fig = scatterPlot([0, 1, 2], [0, 1, 0], { labels: ["国王", "王后", "男人"], name: "words" });
  assert.equal(fig.data.length, 1);
  assert.equal(fig.data[0].name, "words");
  assert.equal(fig.data[0].mode, "markers+text");
  assert.deepEqual(fig.data[0].text, ["国王", "王后", "男人"]);
});

Deno.test("scatterPlot explains bad input", () => {
  assert.throws(() => scatterPlot([1, 2], [1]), {
    name: "RangeError",
    message: "Cannot plot scatter plot as x and y must have the same length: x has 2 values, y has 1",
  });
  assert.throws(() => scatterPlot([1], [Infinity]), {
    name: "RangeError",
    message: "Cannot plot scatter plot y as it must hold finite numbers: item 0 is Infinity",
  });
  assert.throws(() => scatterPlot([1, 2], [1, 2], { groups: ["a"] }), {
    name: "RangeError",
    message: "Cannot plot scatter plot groups as it must have 2 labels to match the data: got 1",
  });
  assert.throws(() => scatterPlot([1], [1], { markerSize: 0 }), {
    name: "RangeError",
    message: "Cannot plot as markerSize must be a positive number: current value is 0",
  });
});
