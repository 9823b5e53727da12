import assert from "node:assert/strict";
import { binCounts, histogram } from "@lib/plot/mod.ts";

Deno.test("binCounts counts values in equal bins, the top edge in the last bin, outliers left out", () => {
  assert.deepEqual(binCounts([0, 0.5, 1, 1.5, 2, -1, 3], 2, [0, 2]), { edges: [0, 1, 2], counts: [2, 3] });
});

Deno.test("histogram draws bin counts as bars at the bin centres", () => {
  const fig = histogram([1, 2, 2, 3, 3, 3, 4], { bins: 3 });
  assert.deepEqual(fig.data[0].y, [1, 2, 4]);
  assert.deepEqual(fig.data[0].x, [1.5, 2.5, 3.5]);
  assert.equal(fig.data[0].width, 1);
  assert.equal(
    fig.summary(),
    "Figure: 1 trace (y: count)\n- bar: 3 points, x 1.5…3.5, y 1…4\n7 values, mean 2.571",
  );
});

Deno.test("histogram overlays named samples on shared bins; density integrates to 1", () => {
  const fig = histogram({ a: [0, 0, 1, 1], b: [0, 1, 1, 1, 1, 1, 1, 1] }, { bins: 2, range: [0, 2], density: true });
  assert.deepEqual(fig.data.map((t) => t.x), [[0.5, 1.5], [0.5, 1.5]]);
  assert.deepEqual(fig.data.map((t) => t.y), [[0.5, 0.5], [0.125, 0.875]]);
  assert.equal(fig.layout.barmode, "overlay");
  assert.equal((fig.layout.yaxis as { title: { text: string } }).title.text, "density");
});

Deno.test("histogram of a constant sample uses a unit-wide range", () => {
  assert.deepEqual(histogram([5, 5], { bins: 1 }).data[0].x, [5]);
});

Deno.test("histogram explains bad input", () => {
  assert.throws(() => histogram([]), {
    name: "RangeError",
    message: "Cannot plot histogram values as it is empty: give at least one value",
  });
  assert.throws(() => histogram([1, NaN]), {
    name: "RangeError",
    message: "Cannot plot histogram values as it must hold finite numbers: item 1 is NaN",
  });
  assert.throws(() => histogram([1], { bins: 2.5 }), {
    name: "RangeError",
    message: "Cannot plot as bins must be a positive integer: current value is 2.5",
  });
  assert.throws(() => histogram([1], { range: [2, 1] }), {
    name: "RangeError",
    message: "Cannot draw a histogram as range must be [low, high] with low < high: got 2,1",
  });
});
