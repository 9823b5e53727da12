import assert from "node:assert/strict";
import { Prng } from "@lib/core/mod.ts";
import { randomShifts, shiftImage } from "@lib/nn/augment.ts";

/** A 5×5 image with pixel (y, x) = 10·y + x + 1, so every pixel says where it came from. */
const GRID = Float32Array.from({ length: 25 }, (_, i) => 10 * Math.floor(i / 5) + (i % 5) + 1);
const at = (img: Float32Array, y: number, x: number) => img[y * 5 + x];

Deno.test("shiftImage: out[y][x] = in[y − dy][x − dx], zeros where nothing comes from, no shift copies", () => {
  const right = shiftImage(GRID, 5, 2, 0);
  assert.equal(at(right, 0, 2), at(GRID, 0, 0));
  assert.equal(at(right, 4, 4), at(GRID, 4, 2));
  assert.deepEqual([0, 1].map((x) => at(right, 3, x)), [0, 0]);
  const upLeft = shiftImage(GRID, 5, -1, -2);
  assert.equal(at(upLeft, 0, 0), at(GRID, 2, 1));
  assert.deepEqual([at(upLeft, 3, 0), at(upLeft, 4, 4), at(upLeft, 0, 4)], [0, 0, 0]);
  assert.deepEqual([...shiftImage(GRID, 5, 0, 0)], [...GRID]);
  assert.ok(shiftImage(GRID, 5, 5, 0).every((v) => v === 0));
  // shifting back undoes a shift inside the kept area
  const back = shiftImage(shiftImage(GRID, 5, 1, 1), 5, -1, -1);
  assert.equal(at(back, 2, 2), at(GRID, 2, 2));
  assert.throws(() => shiftImage(GRID, 4, 0, 0), /16 pixels/);
  assert.throws(() => shiftImage(GRID, 5, 0.5, 0), /dx must be an integer/);
});

Deno.test("randomShifts: each image is its source moved by one of the (2·max+1)² shifts; all of them occur; seeded", () => {
  const set = new Float32Array(3 * 25);
  set.set(GRID, 25); // image 1 is the grid, images 0 and 2 are blank
  const indices = Array.from({ length: 400 }, () => 1);
  const batch = randomShifts(set, indices, { side: 5, maxShift: 2, prng: new Prng(7) });
  const seen = new Set<string>();
  for (let b = 0; b < indices.length; b++) {
    const img = batch.subarray(b * 25, (b + 1) * 25);
    const match = [-2, -1, 0, 1, 2].flatMap((dy) => [-2, -1, 0, 1, 2].map((dx) => [dx, dy]))
      .filter(([dx, dy]) => shiftImage(GRID, 5, dx, dy).every((v, i) => v === img[i]));
    assert.equal(match.length, 1, `image ${b} is one shift of its source`);
    seen.add(match[0].join(","));
  }
  assert.equal(seen.size, 25);
  assert.deepEqual(
    randomShifts(set, [1, 1], { side: 5, prng: new Prng(3) }),
    randomShifts(set, [1, 1], { side: 5, prng: new Prng(3) }),
  );
  assert.deepEqual([...randomShifts(set, [1, 0], { side: 5, maxShift: 0, prng: new Prng(1) })], [
    ...GRID,
    ...new Float32Array(25),
  ]);
  assert.throws(() => randomShifts(set, [3], { side: 5, prng: new Prng(1) }), /index 3 is not one of the 3 images/);
  assert.throws(() => randomShifts(set, [0], { side: 5, maxShift: -1, prng: new Prng(1) }), /maxShift/);
});
