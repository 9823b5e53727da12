import assert from "node:assert/strict";
import { boundaryGrid, decisionBoundary } from "@lib/plot/mod.ts";

Deno.test("boundaryGrid: steps × steps points row by row over the data plus the margin", () => {
  const grid = boundaryGrid([[0, 0], [2, 4]], { steps: 5, pad: 0.5 });
  assert.deepEqual(grid.xs, [-1, 0, 1, 2, 3]);
  assert.deepEqual(grid.ys, [-2, 0, 2, 4, 6]);
  assert.equal(grid.points.length, 25);
  assert.deepEqual(grid.points[0], [-1, -2]);
  assert.deepEqual(grid.points[7], [1, 0]); // row 1, column 2
  const single = boundaryGrid([[1, 1]], { steps: 2 }); // one point: a margin of 0.1 around it
  assert.ok(Math.abs(single.xs[0] - 0.9) < 1e-12 && Math.abs(single.xs[1] - 1.1) < 1e-12);
});

Deno.test("decisionBoundary: background, 50% line and the two classes; rows of z follow ys; equal axes", () => {
  const X = [[-1, -1], [1, 1], [1, -1]], y = [0, 1, 1];
  const grid = boundaryGrid(X, { steps: 4 });
  const probs = grid.points.map(([a, b]) => (a + b > 0 ? 1 : 0));
  const fig = decisionBoundary(grid, probs, X, y, { title: "t", classNames: ["no", "yes"], xTitle: "x1" });
  const [background, border, c0, c1] = fig.data;
  assert.equal((background.z as number[][]).length, grid.ys.length);
  assert.deepEqual((background.z as number[][])[3], grid.xs.map((a) => (a + grid.ys[3] > 0 ? 1 : 0)));
  assert.deepEqual(border.contours, { start: 0.5, end: 0.5, size: 1, coloring: "lines" });
  assert.deepEqual([c0.name, c1.name], ["no", "yes"]);
  assert.deepEqual(c1.x, [1, 1]);
  assert.equal((fig.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
  assert.deepEqual((fig.layout.xaxis as { title: unknown }).title, { text: "x1" });
  assert.match(fig.summary(), /Figure "t": 4 traces/);
});

Deno.test("boundaryGrid, decisionBoundary: bad arguments are refused with the value in the message", () => {
  assert.throws(() => boundaryGrid([]), /X must be a non-empty array of \[x, y\] rows/);
  assert.throws(() => boundaryGrid([[1, 2]], { steps: 1 }), /steps must be at least 2: current value is 1/);
  const grid = boundaryGrid([[0, 0], [1, 1]], { steps: 2 });
  assert.throws(() => decisionBoundary(grid, [0.5], [[0, 0]], [0]), /probs and grid points must have the same length/);
  assert.throws(
    () => decisionBoundary(grid, [0, 1, 2, 0], [[0, 0]], [0]),
    /probs must lie in \[0, 1\]: probs\[2\] is 2/,
  );
  assert.throws(() => decisionBoundary(grid, [0, 1, 1, 0], [[0, 0]], []), /X and y must have the same length/);
});
