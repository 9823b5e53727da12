import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempCache } from "../_temp_cache.ts";
import { cached } from "@lib/checkpoint/mod.ts";
import { setQuick } from "@lib/core/mod.ts";
import { cacheMain, formatBytes } from "../../tools/cache.ts";

const entry = (name: string, notebook?: string) => ({
  name,
  notebook,
  kind: "numbers",
  config: { n: 3 },
  quiet: true,
  train: () => [1, 2, 3],
  save: (v: number[]) => ({ config: { n: 3 }, weights: {}, extra: v }),
  load: (ckpt: { extra?: unknown }) => ckpt.extra as number[],
});

async function run(args: string[], root?: string): Promise<string[]> {
  const lines: string[] = [];
  await cacheMain(args, (l) => lines.push(l), root);
  return lines;
}

Deno.test("deno task cache lists name, notebook, mode, kind, size, age and staleness; --clear removes", async () => {
  await withTempCache(async (root) => {
    assert.deepEqual(await run([]), [`The model cache (${root}) is empty.`]);
    setQuick(true);
    await cached(entry("numbers", "05_numbers"));
    await cached(entry("other"));
    await Deno.mkdir(join(root, "old-0123456789abcdef"));
    const lines = await run([]);
    assert.match(lines[0], /^NAME +NOTEBOOK +MODE +KIND +SIZE +AGE +STALE$/);
    assert.match(lines[1], /^numbers +05_numbers +quick +numbers +\d+(\.\d)? [KM]?B +\d+s +no$/);
    assert.match(lines[2], /^old +- +any +\? +0 B +\? +yes: an old cache format \(before safetensors\)$/);
    assert.match(lines[3], /^other +- +quick +numbers .* no$/);
    assert.match(lines[4], new RegExp(`^3 entries, .* in ${root}\\.$`));
    assert.match(lines[5], /^Stale entries are trained again/);
    assert.deepEqual(await run(["--clear", "numbers"]), [`Removed 1 entry named numbers from ${root}.`]);
    assert.deepEqual(await run(["--clear"]), [`Removed 2 entries from ${root}.`]);
    assert.deepEqual(await run([]), [`The model cache (${root}) is empty.`]);
  });
});

Deno.test("deno task cache: --help, and clear errors for unknown flags and bad names", async () => {
  assert.match((await run(["--help"]))[0], /^Usage: deno task cache \[--clear \[NAME\]\]/);
  await assert.rejects(run(["--list"]), { name: "UsageError", message: /^Unknown argument "--list"/ });
  await assert.rejects(run(["--clear", "a", "b"]), { name: "UsageError", message: /^Too many arguments/ });
  await assert.rejects(run(["--clear", "../x"], await Deno.makeTempDir()), {
    name: "UsageError",
    message: /^Cannot use cache name "\.\.\/x"/,
  });
  assert.equal(formatBytes(1_234_567_890), "1.2 GB");
});

Deno.test("deno task cache runs as a command", async () => {
  await withTempCache(async (root) => {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../tools/cache.ts", import.meta.url).pathname, "--bogus"],
      env: { LIANDAN_CACHE: root },
    }).output();
    assert.equal(out.code, 2);
    assert.match(new TextDecoder().decode(out.stderr), /^error: Unknown argument "--bogus"/);
    const ok = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", new URL("../../tools/cache.ts", import.meta.url).pathname],
      env: { LIANDAN_CACHE: root },
    }).output();
    assert.equal(ok.code, 0);
    assert.equal(new TextDecoder().decode(ok.stdout), `The model cache (${root}) is empty.\n`);
  });
});
