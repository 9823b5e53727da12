/**
 * `deno task gpt:train` writes a model.safetensors that PyTorch reads without Liandan code
 * (bench/reference/read_safetensors.py): the PyTorch reference model loaded from it gives lib's logits within 1e-5.
 * Runs when a Python with torch is found (Debian's python3-torch: `/usr/bin/python3`), and says so when skipped.
 *
 * @module
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { tf } from "@lib/core/mod.ts";
import { loadGpt } from "@lib/gpt/mod.ts";
import { findPython } from "../../tools/nb.ts";
import { trainMain } from "../../tools/gpt_train.ts";

const SCRIPT = new URL("../../bench/reference/read_safetensors.py", import.meta.url).pathname;
const python = await findPython(undefined, "torch");
if (python === null) {
  console.log("skipping the PyTorch safetensors test: no Python with torch (apt install python3-torch)");
}

async function torchLogits(ckpt: string, ids: number[]): Promise<{ logits: number[][]; tensors: number }> {
  const out = await new Deno.Command(python!, { args: [SCRIPT, ckpt, "--ids", ids.join(",")] }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.ok(out.success, `read_safetensors.py failed: ${stderr}`);
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

for (const bias of [false, true]) {
  Deno.test({
    name: `PyTorch loads gpt:train's model.safetensors and reproduces lib's logits within 1e-5 (bias ${bias})`,
    ignore: python === null,
    fn: async () => {
      const dir = await Deno.makeTempDir({ prefix: "liandan_torch_" });
      try {
        const data = join(dir, "text.txt");
        await Deno.writeTextFile(data, "白日依山尽，黄河入海流。欲穷千里目，更上一层楼。".repeat(20));
        const out = join(dir, "ckpt");
        const args = ["--data", data, "--out", out, "--n-layer", "2", "--n-head", "2", "--n-embd", "16"];
        args.push("--block-size", "8", "--max-iters", "4", "--eval-interval", "2", "--eval-iters", "1", "--quiet");
        if (bias) args.push("--bias");
        await trainMain(args, () => {});
        const { model, tokenizer } = await loadGpt(out);
        const ids = tokenizer!.encode("黄河入海流。欲");
        const x = tf.tensor2d([ids], [1, ids.length], "int32");
        const { logits } = model.forward(x);
        const ours = (await logits.array() as number[][][])[0];
        const theirs = await torchLogits(out, ids);
        assert.equal(theirs.tensors, model.params.size);
        let worst = 0;
        ours.forEach((row, t) => row.forEach((v, i) => worst = Math.max(worst, Math.abs(v - theirs.logits[t][i]))));
        assert.ok(worst < 1e-5, `largest logit difference ${worst}`);
        tf.dispose([x, logits]);
        model.dispose();
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}
