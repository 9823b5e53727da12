import assert from "node:assert/strict";
import { byMode, isQuick, mode, setQuick } from "@lib/core/mode.ts";

Deno.test("byMode: full and quick counts follow the mode", () => {
  try {
    setQuick(true);
    assert.equal(isQuick(), true);
    assert.equal(mode(), "quick");
    assert.equal(byMode(1000, 10), 10);
    assert.equal(byMode(1000), 50);
    assert.equal(byMode(5), 1);
    setQuick(false);
    assert.equal(mode(), "full");
    assert.equal(byMode(1000, 10), 1000);
  } finally {
    setQuick(null);
  }
});

Deno.test("isQuick reads LIANDAN_QUICK when not overridden", () => {
  const old = Deno.env.get("LIANDAN_QUICK");
  try {
    Deno.env.set("LIANDAN_QUICK", "1");
    assert.equal(isQuick(), true);
    Deno.env.set("LIANDAN_QUICK", "0");
    assert.equal(isQuick(), false);
  } finally {
    if (old === undefined) Deno.env.delete("LIANDAN_QUICK");
    else Deno.env.set("LIANDAN_QUICK", old);
  }
});

Deno.test("byMode: bad counts give clear messages", () => {
  assert.throws(() => byMode(0), {
    name: "RangeError",
    message: /full must be a positive integer: current value is 0/,
  });
  assert.throws(() => byMode(10, 2.5), {
    name: "RangeError",
    message: /quick must be a positive integer: current value is 2.5/,
  });
});
