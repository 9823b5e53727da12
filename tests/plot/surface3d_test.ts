import assert from "node:assert/strict";
import { surface3d } from "@lib/plot/mod.ts";

const WS = [-1, 0, 1, 2];
const BS = [-1, 0, 1];
const LOSS = BS.map((b) => WS.map((w) => w * w + b * b)); // 3 rows (b) × 4 columns (w)

Deno.test("surface3d draws z over the grid with 3-D axis titles", () => {
  const fig = surface3d(LOSS, { x: WS, y: BS, xTitle: "w", yTitle: "b", zTitle: "loss", title: "Loss surface" });
  assert.deepEqual(fig.data[0], {
    type: "surface",
    name: "surface",
    z: LOSS,
    x: WS,
    y: BS,
    colorscale: "Viridis",
    opacity: 0.9,
  });
  assert.deepEqual(fig.layout.scene, {
    xaxis: { title: { text: "w" } },
    yaxis: { title: { text: "b" } },
    zaxis: { title: { text: "loss" } },
  });
  assert.equal(fig.layout.xaxis, undefined);
  assert.equal(fig.layout.height, 520);
  assert.equal(
    fig.summary(),
    'Figure "Loss surface": 1 trace\n- surface "surface": x -1…2, y -1…1, z 3×4 in 0…5\naxes x: w, y: b, z: loss',
  );
});

Deno.test("surface3d draws a descent path as a 3-D line on the surface", () => {
  const path = { x: [2, 1, 0], y: [1, 0.5, 0], z: [5, 1.25, 0], name: "gradient descent" };
  const fig = surface3d(LOSS, { x: WS, y: BS, path });
  const line = fig.data[1];
  assert.deepEqual([line.type, line.mode, line.name, line.x, line.y, line.z], [
    "scatter3d",
    "lines+markers",
    "gradient descent",
    [2, 1, 0],
    [1, 0.5, 0],
    [5, 1.25, 0],
  ]);
});

Deno.test("surface3d defaults the grid to indices", () => {
  const fig = surface3d([[1, 2, 3]]);
  assert.deepEqual([fig.data[0].x, fig.data[0].y], [[0, 1, 2], [0]]);
});

Deno.test("surface3d explains bad input", () => {
  assert.throws(() => surface3d(LOSS, { x: [1, 2, 3] }), {
    name: "RangeError",
    message:
      "Cannot plot surface as x and the columns of z must have the same length: x has 3 values, the columns of z has 4",
  });
  assert.throws(() => surface3d(LOSS, { y: [1] }), {
    name: "RangeError",
    message:
      "Cannot plot surface as y and the rows of z must have the same length: y has 1 values, the rows of z has 3",
  });
  assert.throws(() => surface3d(LOSS, { path: { x: [1, 2], y: [1, 2], z: [1] } }), {
    name: "RangeError",
    message: 'Cannot plot surface path "path" as x and z must have the same length: x has 2 values, z has 1',
  });
  assert.throws(() => surface3d([[1, NaN]]), {
    name: "RangeError",
    message: "Cannot plot surface z as it must hold finite numbers: [0][1] is NaN",
  });
});
