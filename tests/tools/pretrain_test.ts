import assert from "node:assert/strict";
import { isQuick, setQuick } from "@lib/core/mod.ts";
import { parsePretrainArgs, pretrain, PRETRAINABLE, type Pretrainable } from "../../tools/pretrain.ts";

Deno.test("pretrain: every model a later notebook loads is listed once, with the notebook that trains it", () => {
  const names = PRETRAINABLE.map((p) => p.name);
  assert.deepEqual([...new Set(names)], names);
  assert.ok(names.includes("gpt-poems"));
  assert.ok(names.indexOf("gpt-sft") > names.indexOf("gpt-poems"), "the SFT model after the poem GPT it starts from");
  assert.ok(
    names.indexOf("reward-14") > names.indexOf("gpt-sft"),
    "the reward model after the SFT model it starts from",
  );
  assert.ok(
    names.indexOf("gpt-rlhf") > names.indexOf("reward-14"),
    "the RLHF model after the reward model it learns from",
  );
  for (const p of PRETRAINABLE) assert.match(p.notebook, /^\d\d_[a-z0-9_]+$/);
});

Deno.test("pretrain: trains what is missing in order, in the mode asked, and counts what was cached", async () => {
  const calls: string[] = [];
  const fake = (name: string, trainedNow: boolean): Pretrainable => ({
    name,
    notebook: "06_cnn_vision",
    usedBy: "16",
    ensure: () => {
      calls.push(`${name}:${isQuick() ? "quick" : "full"}`);
      return Promise.resolve({ trainedNow });
    },
  });
  const models = [fake("a", true), fake("b", false), fake("c", true)];
  const lines: string[] = [];
  try {
    assert.equal(await pretrain({ quick: true, names: [] }, (l) => lines.push(l), models), 2);
    assert.deepEqual(calls, ["a:quick", "b:quick", "c:quick"]);
    assert.match(lines.at(-1)!, /^done: 2 trained, 1 already cached, in \d+\.\d s$/);
    assert.match(lines[2], /^cached +b \(06_cnn_vision; used by 16\)/);
    calls.length = 0;
    assert.equal(await pretrain(parsePretrainArgs(["c"], ["a", "b", "c"]), () => {}, models), 1);
    assert.deepEqual(calls, ["c:" + (isQuick() ? "quick" : "full")]);
  } finally {
    setQuick(null);
  }
});
