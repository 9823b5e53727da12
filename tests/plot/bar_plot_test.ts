import assert from "node:assert/strict";
import { barPlot } from "@lib/plot/mod.ts";

Deno.test("barPlot puts bars at positions labelled with the categories, repeated labels kept apart", () => {
  const fig = barPlot(["的", "了", "的"], [0.5, 0.3, 0.2], { yTitle: "p" });
  assert.deepEqual(fig.data, [{
    type: "bar",
    name: "",
    x: [0, 1, 2],
    y: [0.5, 0.3, 0.2],
    hovertext: ["的", "了", "的"],
  }]);
  assert.deepEqual(fig.layout.xaxis, {
    automargin: true,
    tickmode: "array",
    tickvals: [0, 1, 2],
    ticktext: ["的", "了", "的"],
  });
  assert.equal(fig.summary(), "Figure: 1 trace (y: p)\n- bar: 的 0.5, 了 0.3, 的 0.2");
});

Deno.test("barPlot groups named value lists and can lie horizontal", () => {
  const fig = barPlot(["a", "b"], { model: [1, 2], target: [2, 2] }, { horizontal: true });
  assert.deepEqual(fig.data.map((t) => [t.name, t.orientation, t.x, t.y]), [
    ["model", "h", [1, 2], [0, 1]],
    ["target", "h", [2, 2], [0, 1]],
  ]);
  assert.equal(fig.layout.barmode, "group");
  assert.equal((fig.layout.yaxis as { autorange: string }).autorange, "reversed");
  assert.equal(fig.summary().split("\n")[1], '- bar "model": a 1, b 2');
});

Deno.test("barPlot explains bad input", () => {
  assert.throws(() => barPlot([], []), {
    name: "RangeError",
    message: "Cannot draw a bar plot as labels is empty: give at least one category",
  });
  assert.throws(() => barPlot(["a", "b"], [1]), {
    name: "RangeError",
    message:
      "Cannot plot bar plot values as labels and values must have the same length: labels has 2 values, values has 1",
  });
  assert.throws(() => barPlot(["a"], { m: [NaN] }), {
    name: "RangeError",
    message: 'Cannot plot bar plot values "m" as it must hold finite numbers: item 0 is NaN',
  });
  assert.throws(() => barPlot(["a"], {}), {
    name: "RangeError",
    message: "Cannot draw a bar plot as no values were given: give at least one list",
  });
  assert.throws(() => barPlot("ab" as never, [1]), {
    name: "TypeError",
    message: 'Cannot draw a bar plot as labels must be an array: got "ab"',
  });
});
