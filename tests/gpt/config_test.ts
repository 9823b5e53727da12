import assert from "node:assert/strict";
import { GPT_BABY, GPT_DEFAULTS, GPT_TINY, gptConfig } from "@lib/gpt/mod.ts";

Deno.test("gptConfig: presets are frozen and valid; GPT_BABY is nanoGPT's CPU config", () => {
  assert.ok(Object.isFrozen(GPT_TINY) && Object.isFrozen(GPT_BABY) && Object.isFrozen(GPT_DEFAULTS));
  assert.deepEqual(
    [GPT_BABY.nLayer, GPT_BABY.nHead, GPT_BABY.nEmbd, GPT_BABY.blockSize, GPT_BABY.bias, GPT_BABY.dropout],
    [4, 4, 128, 64, false, 0],
  );
  assert.deepEqual(gptConfig(GPT_TINY), GPT_TINY);
  assert.equal(gptConfig({ nLayer: 1 }).nEmbd, GPT_DEFAULTS.nEmbd);
});

Deno.test("gptConfig: errors name the value and the expectation", () => {
  assert.throws(() => gptConfig({ nLayer: 0 }), {
    name: "RangeError",
    message: "Cannot build a GPT as nLayer must be a positive integer: current value is 0",
  });
  assert.throws(() => gptConfig({ vocabSize: 2.5 }), /vocabSize must be a positive integer: current value is 2.5/);
  assert.throws(() => gptConfig({ nEmbd: 10, nHead: 4 }), {
    message: "Cannot build a GPT as nHead must divide nEmbd: current values are nHead=4, nEmbd=10",
  });
  assert.throws(() => gptConfig({ dropout: 1 }), /dropout must be in \[0, 1\): current value is 1/);
  assert.throws(() => gptConfig({ dropout: NaN }), /dropout must be in \[0, 1\)/);
  assert.throws(() => gptConfig({ bias: 1 as unknown as boolean }), {
    name: "TypeError",
    message: "Cannot build a GPT as bias must be true or false: current value is 1",
  });
});
