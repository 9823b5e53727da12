import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { GPT } from "@lib/gpt/mod.ts";
import reference from "../../bench/reference/gpt_logits.json" with { type: "json" };

// Numbers recorded from PyTorch (float64) by bench/reference/gpt_logits.py: same model, same formula for the weights.
Deno.test("GPT: loss, logits and gradients match PyTorch on a tiny config", () => {
  const model = new GPT({ vocabSize: 11, blockSize: 8, nLayer: 2, nHead: 2, nEmbd: 16, bias: true });
  [...model.params].forEach(([name, p], k) => {
    const vals = Float32Array.from({ length: p.size }, (_, i) => 0.1 * Math.sin(0.37 * i + 1.3 * k));
    if (name.includes("ln_") && name.endsWith("weight")) vals.forEach((v, i) => vals[i] = v + 1);
    p.assign(tf.tensor(vals, p.shape));
  });
  const x = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]], [2, 5], "int32");
  const y = tf.tensor2d([[2, 3, 4, 5, 6], [7, 8, 9, 10, 0]], [2, 5], "int32");
  const { logits, loss } = model.forward(x, y);
  assert.ok(Math.abs(loss!.dataSync()[0] - reference.loss) < 1e-5, `loss ${loss!.dataSync()[0]} vs ${reference.loss}`);
  const last = (logits.arraySync() as number[][][])[0][4];
  last.forEach((v, i) =>
    assert.ok(Math.abs(v - reference.logits[i]) < 1e-5, `logit ${i}: ${v} vs ${reference.logits[i]}`)
  );
  const { grads } = tf.variableGrads(() => model.forward(x, y).loss!, [...model.params.values()]);
  for (const [name, want] of Object.entries(reference.grads)) {
    const got = grads[model.params.get(name)!.name].dataSync().slice(0, want.length);
    want.forEach((w, i) => assert.ok(Math.abs(got[i] - w) < 1e-5, `${name}[${i}]: ${got[i]} vs ${w}`));
  }
  model.dispose();
});
