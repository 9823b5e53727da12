import assert from "node:assert/strict";
import { linePlot } from "@lib/plot/mod.ts";

Deno.test("linePlot draws one list against 0…n-1", () => {
  const fig = linePlot(new Float32Array([3, 1, 2]), { title: "y" });
  assert.deepEqual(fig.data, [{ type: "scatter", mode: "lines", name: "", x: [0, 1, 2], y: [3, 1, 2] }]);
  assert.deepEqual(fig.layout.title, { text: "y" });
});

Deno.test("linePlot draws named lists over a shared x, with log axes and markers", () => {
  const fig = linePlot({ train: [4, 2, 1], val: [5, 3, 2] }, { x: [10, 20, 30], yLog: true, markers: true });
  assert.deepEqual(fig.data.map((t) => [t.name, t.mode, t.x]), [
    ["train", "lines+markers", [10, 20, 30]],
    ["val", "lines+markers", [10, 20, 30]],
  ]);
  assert.equal((fig.layout.yaxis as { type: string }).type, "log");
  assert.equal(
    fig.summary(),
    'Figure: 2 traces (log y: (untitled))\n- line "train": 3 points, x 10…30, y 1…4\n- line "val": 3 points, x 10…30, y 2…5',
  );
});

Deno.test("linePlot draws series with their own x (validation measured less often)", () => {
  const fig = linePlot([{ name: "train", y: [3, 2, 1.5, 1.2] }, { name: "val", x: [0, 3], y: [3.1, 1.6] }]);
  assert.deepEqual(fig.data[0].x, [0, 1, 2, 3]);
  assert.deepEqual(fig.data[1].x, [0, 3]);
});

Deno.test("linePlot accepts a tensor-like object with dataSync", () => {
  const tensorLike = { dataSync: () => new Float32Array([1, 4, 9]) };
  assert.deepEqual(linePlot(tensorLike).data[0].y, [1, 4, 9]);
});

Deno.test("linePlot explains bad input", () => {
  assert.throws(() => linePlot([]), {
    name: "RangeError",
    message: "Cannot plot line plot series 0 y as it is empty: give at least one value",
  });
  assert.throws(() => linePlot({}), {
    name: "RangeError",
    message: "Cannot draw a line plot as no series were given: give at least one",
  });
  assert.throws(() => linePlot({ loss: [1, NaN] }), {
    name: "RangeError",
    message: 'Cannot plot line plot series "loss" y as it must hold finite numbers: item 1 is NaN',
  });
  assert.throws(() => linePlot([1, 2, 3], { x: [0, 1] }), {
    name: "RangeError",
    message: "Cannot plot line plot series 0 as x and y must have the same length: x has 2 values, y has 3",
  });
  assert.throws(() => linePlot({ loss: "abc" as never }), {
    name: "TypeError",
    message: 'Cannot plot line plot series "loss" y as it must be an array of numbers: got "abc"',
  });
  assert.throws(() => linePlot({ loss: ["1"] as never }), {
    name: "RangeError",
    message: 'Cannot plot line plot series "loss" y as it must hold finite numbers: item 0 is "1"',
  });
  assert.throws(() => linePlot({ loss: 5 as never }), {
    name: "TypeError",
    message: 'Cannot plot line plot series "loss" y as it must be an array of numbers: got 5',
  });
  assert.throws(() => linePlot([{ name: "a" } as never]), {
    name: "TypeError",
    message: "Cannot draw a line plot as series 0 must be an object {name?, x?, y}: got Object",
  });
});

Deno.test("linePlot draws error bars of a series and checks their length", () => {
  const fig = linePlot([{ name: "cnn", x: [100, 1000], y: [0.8, 0.95], error: [0.02, 0.01] }], { xLog: true });
  assert.deepEqual(fig.data[0].error_y, { type: "data", array: [0.02, 0.01], visible: true });
  assert.equal(linePlot([{ y: [1, 2] }]).data[0].error_y, undefined);
  assert.throws(() => linePlot([{ name: "cnn", y: [1, 2], error: [0.1] }]), {
    name: "RangeError",
    message: 'Cannot plot line plot series "cnn" as error and y must have the same length: error has 1 values, y has 2',
  });
});
