import assert from "node:assert/strict";
import { imageGrid } from "@lib/plot/mod.ts";

/** A 2×3 image whose pixels are k, k+1, … */
function image(k: number): number[][] {
  return [[k, k + 1, k + 2], [k + 3, k + 4, k + 5]];
}

Deno.test("imageGrid tiles images into one heatmap with empty gaps and captions above", () => {
  const fig = imageGrid([image(0), image(10), image(20)], { columns: 2, captions: ["零", "一", "二"] });
  assert.equal(fig.data.length, 1);
  const z = fig.data[0].z as (number | null)[][];
  // tile = 2 rows of pixels + 3 caption rows; 3 columns + 1 gap column
  assert.equal(z.length, 2 * 5);
  assert.equal(z[0].length, 2 * 4);
  assert.deepEqual(z[3], [0, 1, 2, null, 10, 11, 12, null]);
  assert.deepEqual(z[4], [3, 4, 5, null, 13, 14, 15, null]);
  assert.deepEqual(z[8], [20, 21, 22, null, null, null, null, null]);
  assert.deepEqual(z[0], new Array(8).fill(null));
  const annotations = fig.layout.annotations as { text: string; x: number; y: number }[];
  assert.deepEqual(annotations.map((a) => [a.text, a.x, a.y]), [["零", 1, 2], ["一", 5, 2], ["二", 1, 7]]);
  assert.deepEqual([fig.data[0].zmin, fig.data[0].zmax], [0, 25]);
  assert.equal(
    fig.summary(),
    "Figure: 1 trace\n- heatmap: z 10×8 in 0…25\n3 images of 2×3 pixels in 2×2, values 0…25; captions: 零, 一, 二",
  );
});

Deno.test("imageGrid takes flat square images (MNIST's 784 values) or a shape", () => {
  const digit = Array.from({ length: 784 }, (_, i) => (i % 28) / 27);
  const fig = imageGrid([digit, digit], { invert: true, zmin: 0, zmax: 1 });
  assert.match(fig.note, /^2 images of 28×28 pixels in 1×2/);
  assert.deepEqual(fig.data[0].colorscale, [[0, "#000000"], [1, "#ffffff"]]);
  const wide = imageGrid([[1, 2, 3, 4, 5, 6]], { shape: [2, 3] });
  assert.deepEqual((wide.data[0].z as number[][]).slice(1, 3), [[1, 2, 3, null], [4, 5, 6, null]]);
});

Deno.test("imageGrid accepts a tensor-like [N, H, W] object", () => {
  const fig = imageGrid({ arraySync: () => [image(0)] });
  assert.match(fig.note, /^1 image of 2×3 pixels/);
});

Deno.test("imageGrid explains bad input", () => {
  assert.throws(() => imageGrid([]), {
    name: "RangeError",
    message: "Cannot draw an image grid as no images were given: give at least one",
  });
  assert.throws(() => imageGrid([[1, 2, 3]]), {
    name: "RangeError",
    message: "Cannot draw image 0 as a flat image of 3 values is not square: give options.shape as [height, width]",
  });
  assert.throws(() => imageGrid([[1, 2, 3]], { shape: [2, 2] }), {
    name: "RangeError",
    message: "Cannot draw image 0 as shape 2×2 needs 4 values: it has 3",
  });
  assert.throws(() => imageGrid([image(0), [[1]]]), {
    name: "RangeError",
    message: "Cannot draw an image grid as all images must have the same size: image 0 is 2×3, image 1 is 1×1",
  });
  assert.throws(() => imageGrid([image(0)], { captions: ["a", "b"] }), {
    name: "RangeError",
    message: "Cannot plot image grid captions as it must have 1 labels to match the data: got 2",
  });
  assert.throws(() => imageGrid([[[NaN]]]), {
    name: "RangeError",
    message: "Cannot plot image 0 as it must hold finite numbers: [0][0] is NaN",
  });
  assert.throws(() => imageGrid([image(0)], { columns: 0 }), {
    name: "RangeError",
    message: "Cannot plot as columns must be a positive integer: current value is 0",
  });
  assert.throws(() => imageGrid(7), {
    name: "TypeError",
    message: "Cannot draw an image grid as images must be a list of images: got 7",
  });
});

Deno.test("imageGrid takes a colour scale for signed values", () => {
  const diverging = [[0, "#2166ac"], [0.5, "#ffffff"], [1, "#b2182b"]] as const;
  const fig = imageGrid([[-1, 0, 0, 1]], { colorscale: diverging, zmin: -1, zmax: 1 });
  assert.deepEqual(fig.data[0].colorscale, diverging);
  assert.deepEqual([fig.data[0].zmin, fig.data[0].zmax], [-1, 1]);
  assert.deepEqual(imageGrid([[0, 1, 1, 0]]).data[0].colorscale, [[0, "#ffffff"], [1, "#000000"]]);
});
