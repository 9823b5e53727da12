import assert from "node:assert/strict";
import { trainMain } from "../../tools/gpt_train.ts";
import { sampleMain } from "../../tools/gpt_sample.ts";
import { parseFlags, UsageError } from "../../tools/_gpt_cli.ts";

const TINY = ["--n-layer", "1", "--n-head", "2", "--n-embd", "16", "--block-size", "8", "--batch-size", "4", "--quiet"];

Deno.test("gpt:train then gpt:sample on a text file; --resume continues the run", async () => {
  const dir = await Deno.makeTempDir();
  const data = `${dir}/text.txt`;
  await Deno.writeTextFile(data, "to be or not to be, that is the question. ".repeat(40));
  const lines: string[] = [];
  const args = ["--data", data, "--out", `${dir}/ckpt`, "--eval-interval", "10", "--eval-iters", "2", ...TINY];
  const first = await trainMain([...args, "--max-iters", "20"], (l) => lines.push(l));
  assert.equal(first!.iters, 20);
  assert.ok(lines.some((l) => l.startsWith("step 20: train loss")), lines.join("\n"));
  const resumed = await trainMain([...args, "--max-iters", "30", "--resume"], (l) => lines.push(l));
  assert.equal(resumed!.iters, 30);
  assert.ok(lines.includes(`resuming from ${dir}/ckpt at step 20`));
  let streamed = "";
  const text = await sampleMain(["--ckpt", `${dir}/ckpt`, "--prompt", "to be", "--max-new-tokens", "12"], (t) => {
    streamed += t;
  });
  assert.equal(text!.length, 12);
  assert.equal(streamed, "to be" + text + "\n");
  const again = await sampleMain(["--ckpt", `${dir}/ckpt`, "--prompt", "to be", "--max-new-tokens", "12"], () => {});
  assert.equal(again, text); // seeded
  await Deno.remove(dir, { recursive: true });
});

Deno.test("gpt:train and gpt:sample: --help documents every flag; bad flags get clear errors", async () => {
  const help: string[] = [];
  assert.equal(await trainMain(["--help"], (l) => help.push(l)), null);
  for (
    const flag of [
      "--data",
      "--n-layer",
      "--n-head",
      "--n-embd",
      "--block-size",
      "--batch-size",
      "--max-iters",
      "--lr",
      "--eval-interval",
      "--out",
      "--resume",
    ]
  ) {
    assert.ok(help[0].includes(`  ${flag} `), flag);
  }
  let sampleHelp = "";
  await sampleMain(["--help"], (t) => sampleHelp += t);
  for (const flag of ["--ckpt", "--prompt", "--temperature", "--top-k", "--top-p", "--max-new-tokens"]) {
    assert.ok(sampleHelp.includes(`  ${flag} `), flag);
  }
  await assert.rejects(() => trainMain([]), { name: "UsageError", message: "Missing required flag --data" });
  await assert.rejects(() => trainMain(["--data", "x", "--lr", "fast"]), /Flag --lr must be a number: got "fast"/);
  await assert.rejects(() => trainMain(["--data", "x", "--n-layer", "1.5"]), /--n-layer must be an integer: got "1.5"/);
  await assert.rejects(() => trainMain(["--data", "/no/such/file.txt"]), /Cannot read --data \/no\/such\/file.txt/);
  await assert.rejects(() => trainMain(["--bogus"]), /Unknown flag --bogus. Known flags: --data/);
  await assert.rejects(() => sampleMain(["--ckpt", "x", "--top-p", "2"]), /--top-p must be ≤ 1: got 2/);
  await assert.rejects(() => sampleMain(["--ckpt", "/no/such/ckpt"]), /\/no\/such\/ckpt/);
});

Deno.test("parseFlags: forms and defaults", () => {
  const flags = {
    n: { type: "int" as const, default: 3, help: "" },
    s: { type: "string" as const, help: "" },
    b: { type: "bool" as const, default: false, help: "" },
  };
  assert.deepEqual(parseFlags(["--n=5", "--s", "x y", "--b"], flags), { n: 5, s: "x y", b: true });
  assert.deepEqual(parseFlags([], flags), { n: 3, s: undefined, b: false });
  assert.throws(() => parseFlags(["--n"], flags), UsageError);
  assert.throws(() => parseFlags(["x"], flags), /Unexpected argument "x"/);
  assert.throws(() => parseFlags(["--b=maybe"], flags), /--b is a switch/);
});
