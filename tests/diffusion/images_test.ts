import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { toDiffusionPixels, toJudgePixels } from "@lib/diffusion/images.ts";

Deno.test("toDiffusionPixels: 2×2 averages scaled to [-1, 1]; toJudgePixels brings them back to 28×28 in [0, 1]", () => {
  const img = new Float32Array(784);
  img[0] = 1, img[1] = 1, img[28] = 1, img[29] = 0; // top-left 2×2 block averages to 0.75
  const small = toDiffusionPixels(img, 14);
  assert.equal(small.length, 196);
  assert.ok(Math.abs(small[0] - 0.5) < 1e-6 && small[1] === -1);
  assert.deepEqual(toDiffusionPixels(img, 28).slice(0, 2), Float32Array.from([1, 1]));
  const back = toJudgePixels(tf.tensor4d(small, [1, 14, 14, 1]));
  assert.equal(back.length, 784);
  assert.ok(back.every((v) => v >= 0 && v <= 1));
  assert.ok(back[0] > 0.7 && back[27 * 28 + 27] === 0);
});

Deno.test("toDiffusionPixels: bad sizes and partial images get clear errors", () => {
  assert.throws(() => toDiffusionPixels(new Float32Array(784), 7), {
    message: "Cannot prepare digits for diffusion as size must be 14 or 28: current value is 7",
  });
  assert.throws(() => toDiffusionPixels(new Float32Array(100), 14), {
    message: /whole 28×28 images: current length is 100/,
  });
});
