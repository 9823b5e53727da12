import assert from "node:assert/strict";
import { parseDenoTestSummary, summaryLine } from "../../tools/test.ts";

Deno.test("parseDenoTestSummary reads the last summary of deno test, with steps, ignored tests and colours", () => {
  const output = [
    "ok | 3 passed | 0 failed (1s)",
    "\x1b[0m\x1b[31mFAILED\x1b[0m | 41 passed (7 steps) | 2 failed | 1 ignored \x1b[0m\x1b[38;5;245m(12s)\x1b[0m",
  ].join("\n");
  assert.deepEqual(parseDenoTestSummary(output), { passed: 41, failed: 2 });
  assert.deepEqual(parseDenoTestSummary("ok | 0 passed | 0 failed (0ms)\n"), { passed: 0, failed: 0 });
  assert.equal(parseDenoTestSummary("error: Module not found"), null);
});

Deno.test("summaryLine sums the stages into the suite's last line", () => {
  assert.equal(summaryLine([]), "0 passed, 0 failed");
  assert.equal(
    summaryLine([{ passed: 1, failed: 0 }, { passed: 0, failed: 1 }, { passed: 120, failed: 0 }]),
    "121 passed, 1 failed",
  );
});
