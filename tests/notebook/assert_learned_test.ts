import assert from "node:assert/strict";
import { assertLearned, LearningAssertionError } from "@lib/notebook/assert_learned.ts";
import { isQuick, isSmoke, setQuick, SMOKE_STEPS, steps } from "@lib/core/mode.ts";

function withSmoke(fn: () => void): void {
  const before = Deno.env.get("LIANDAN_SMOKE");
  Deno.env.set("LIANDAN_SMOKE", "1");
  try {
    fn();
  } finally {
    if (before === undefined) Deno.env.delete("LIANDAN_SMOKE");
    else Deno.env.set("LIANDAN_SMOKE", before);
  }
}

Deno.test("assertLearned throws on a false claim outside smoke mode", () => {
  assertLearned(true, "it learned");
  assert.throws(() => assertLearned(false, "the model uses its context"), LearningAssertionError);
  assert.throws(() => assertLearned(true, " "), /the claim must be a non-empty string: got {2}$/);
});

Deno.test("smoke mode: claims are skipped and say so; steps are cut to two; smoke implies quick", () => {
  withSmoke(() => {
    const printed: string[] = [];
    const log = console.log;
    console.log = (...a: unknown[]) => void printed.push(a.join(" "));
    try {
      assertLearned(false, "the model uses its context");
    } finally {
      console.log = log;
    }
    assert.deepEqual(printed, [
      "smoke mode: not checked that the model uses its context (quick and full mode check it)",
    ]);
    assert.equal(isSmoke(), true);
    assert.equal(isQuick(), true);
    assert.equal(steps(1500, 150), SMOKE_STEPS);
    assert.equal(steps(1500, 1), 1);
    setQuick(false); // an explicit override (tests) wins over the environment
    assert.equal(steps(1500, 150), 1500);
    setQuick(null);
  });
  assert.equal(isSmoke(), false);
});
