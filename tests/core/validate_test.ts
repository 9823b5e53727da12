import assert from "node:assert/strict";
import { checkPositiveInteger } from "../../lib/core/validate.ts";

Deno.test("checkPositiveInteger accepts 1, 2 and large integers", () => {
  for (const v of [1, 2, 1e9]) checkPositiveInteger(v, "n", "count");
});

Deno.test("checkPositiveInteger names the action, the argument and the value of anything else", () => {
  for (const v of [0, -1, 1.5, NaN, Infinity]) {
    assert.throws(() => checkPositiveInteger(v, "window", "smooth a series"), {
      name: "RangeError",
      message: `Cannot smooth a series as window must be a positive integer: current value is ${v}`,
    });
  }
});
