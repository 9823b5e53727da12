import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempCache } from "../_temp_cache.ts";
import {
  age,
  cached,
  cacheDir,
  type CachedOptions,
  cacheKey,
  clearCache,
  hashJson,
  listCache,
  readCheckpointMeta,
  saveCheckpoint,
  sha256Hex,
} from "@lib/checkpoint/mod.ts";
import { LIB_VERSION, setQuick, tf } from "@lib/core/mod.ts";

/** A cached "model" (a list of numbers, kept as the checkpoint's extra data), counting trainings and loads. */
function numbersEntry(config: Record<string, unknown> = { n: 3 }) {
  const counts = { train: 0, load: 0 };
  const options: CachedOptions<number[]> = {
    name: "numbers",
    kind: "numbers",
    config,
    recipe: { steps: 3 },
    train: () => {
      counts.train++;
      return [1, 2, 3];
    },
    save: (value) => ({ config, weights: {}, extra: value }),
    load: (ckpt) => {
      counts.load++;
      const value = ckpt.extra as number[];
      if (!Array.isArray(value)) throw new Error("the entry holds no list of numbers");
      return value;
    },
    quiet: true,
  };
  return { options, counts };
}

async function dirNames(root: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of Deno.readDir(root)) names.push(item.name);
  return names.sort();
}

/** Silences console.warn while `fn` runs and returns what it would have printed. */
async function captureWarnings(fn: () => Promise<void>): Promise<string> {
  const original = console.warn;
  const lines: string[] = [];
  console.warn = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = original;
  }
  return lines.join("\n");
}

/** Rewrites a file of an entry and fixes its checksum in config.json, so that only the value's own check sees it. */
async function rewrite(dir: string, file: string, text: string): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  await Deno.writeFile(join(dir, file), bytes);
  const meta = JSON.parse(await Deno.readTextFile(join(dir, "config.json")));
  meta.files[file] = { bytes: bytes.length, sha256: await sha256Hex(bytes) };
  await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(meta));
}

Deno.test("cacheDir follows LIANDAN_CACHE and otherwise sits in <repo>/.cache/liandan", async () => {
  await withTempCache(async (root) => {
    assert.equal(cacheDir(), root);
    Deno.env.set("LIANDAN_CACHE", "  ");
    const repo = new URL("../../", import.meta.url).pathname;
    assert.equal(cacheDir(), join(repo, ".cache", "liandan"));
    Deno.env.set("LIANDAN_CACHE", root);
    await Promise.resolve();
  });
});

Deno.test("cacheKey hashes name, kind, config, recipe, quick/full mode and LIB_VERSION", async () => {
  setQuick(false);
  try {
    const inputs = { name: "gpt", kind: "gpt", config: { nEmbd: 8 }, recipe: { lr: 0.1 } };
    const key = await cacheKey(inputs);
    const parts = { kind: "gpt", config: { nEmbd: 8 }, recipe: { lr: 0.1 }, mode: "full", lib: LIB_VERSION };
    assert.equal(key, (await hashJson({ name: "gpt", ...parts })).slice(0, 16));
    assert.match(key, /^[0-9a-f]{16}$/);
    assert.notEqual(key, (await hashJson({ name: "gpt", ...parts, lib: LIB_VERSION + "x" })).slice(0, 16));
    assert.notEqual(key, await cacheKey({ ...inputs, recipe: { lr: 0.2 } }));
    assert.notEqual(key, await cacheKey({ ...inputs, config: { nEmbd: 16 } }));
    assert.notEqual(key, await cacheKey({ ...inputs, kind: "char-mlp" }));
    assert.notEqual(key, await cacheKey({ ...inputs, name: "gpt2" }));
    setQuick(true);
    assert.notEqual(key, await cacheKey(inputs));
    assert.equal(
      await cacheKey({ ...inputs, perMode: false }),
      await (setQuick(false), cacheKey({ ...inputs, perMode: false })),
    );
  } finally {
    setQuick(null);
  }
});

Deno.test("cacheKey rejects names that are not safe folder names, and a missing kind", async () => {
  for (const name of ["", "../x", "a/b", ".hidden", "-x", "a b", "a@b", "x".repeat(65)]) {
    await assert.rejects(() => cacheKey({ name, kind: "k", config: {} }), {
      name: "TypeError",
      message: `Cannot use cache name ${JSON.stringify(name)}: it must be 1-64 letters, digits, "_", "." or "-", ` +
        `starting with a letter or digit`,
    });
  }
  await assert.rejects(() => cacheKey({ name: "x", kind: "", config: {} }), {
    name: "TypeError",
    message: 'Cannot use the cache for "x" as kind must be a non-empty string: current value is ',
  });
});

Deno.test("cached trains once, then loads from the entry, a checkpoint directory that records the key", async () => {
  await withTempCache(async (root) => {
    setQuick(false);
    const { options, counts } = numbersEntry();
    assert.deepEqual(await cached({ ...options, notebook: "05_numbers" }), [1, 2, 3]);
    assert.deepEqual(counts, { train: 1, load: 0 });
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.deepEqual(counts, { train: 1, load: 1 });
    assert.deepEqual(await dirNames(root), ["numbers@full"]);
    const dir = join(root, "numbers@full");
    assert.deepEqual(await dirNames(dir), ["config.json", "model.safetensors", "state.json", "state.safetensors"]);
    const meta = await readCheckpointMeta(dir);
    assert.equal(meta.kind, "numbers");
    const record = (meta.info as { cache: Record<string, unknown> }).cache;
    assert.equal(record.key, await cacheKey(options));
    assert.equal(record.notebook, "05_numbers");
    assert.deepEqual(record.recipe, { steps: 3 });
    assert.equal(record.mode, "full");
  });
});

Deno.test("a stale entry (config, recipe or lib version changed) is retrained and replaced, saying why", async () => {
  await withTempCache(async (root) => {
    setQuick(false);
    const a = numbersEntry({ n: 3 });
    await cached(a.options);
    let warnings = await captureWarnings(async () => void await cached({ ...a.options, config: { n: 4 } }));
    assert.equal(a.counts.train, 2);
    assert.match(warnings, /Cache entry .*numbers@full is stale \(config\.n 3 → 4\): training it again\./);
    warnings = await captureWarnings(async () => void await cached({ ...a.options, recipe: { steps: 5 } }));
    assert.match(warnings, /is stale \(config\.n 4 → 3, recipe\.steps 3 → 5\)/);
    assert.equal(a.counts.train, 3);
    assert.deepEqual(await dirNames(root), ["numbers@full"], "the stale entry was replaced");
    const dir = join(root, "numbers@full");
    const meta = await readCheckpointMeta(dir);
    const record = (meta.info as { cache: Record<string, unknown> }).cache;
    [record.lib, record.key] = ["0.0.1", "0123456789abcdef"]; // as another lib version wrote it
    await Deno.writeTextFile(join(dir, "config.json"), JSON.stringify(meta));
    assert.equal((await listCache())[0].stale, `lib version 0.0.1, now ${LIB_VERSION}`);
    warnings = await captureWarnings(async () => void await cached({ ...a.options, recipe: { steps: 5 } }));
    assert.match(warnings, new RegExp(`is stale \\(lib version 0\\.0\\.1 → ${LIB_VERSION.replaceAll(".", "\\.")}\\)`));
    assert.equal(a.counts.train, 4);
    assert.equal((await listCache())[0].stale, null);
  });
});

Deno.test("quick and full mode keep separate entries; perMode false shares one", async () => {
  await withTempCache(async (root) => {
    const { options, counts } = numbersEntry();
    setQuick(false);
    await cached(options);
    setQuick(true);
    await cached(options);
    await cached(options);
    assert.equal(counts.train, 2);
    assert.deepEqual(await dirNames(root), ["numbers@full", "numbers@quick"]);
    const shared = numbersEntry();
    await cached({ ...shared.options, name: "shared", perMode: false });
    setQuick(false);
    await cached({ ...shared.options, name: "shared", perMode: false });
    assert.deepEqual(shared.counts, { train: 1, load: 1 });
    assert.equal((await listCache("shared"))[0].mode, null);
    assert.ok((await dirNames(root)).includes("shared@any"));
  });
});

Deno.test("cached deletes and retrains a damaged entry, saying so", async () => {
  await withTempCache(async (root) => {
    setQuick(true);
    const { options, counts } = numbersEntry();
    await cached(options);
    const dir = join(root, "numbers@quick");
    const state = await Deno.readTextFile(join(dir, "state.json"));
    await Deno.writeTextFile(join(dir, "state.json"), state.slice(0, 10));
    let value: number[] = [];
    let warnings = await captureWarnings(async () => void (value = await cached(options)));
    assert.deepEqual(value, [1, 2, 3]);
    assert.equal(counts.train, 2);
    assert.match(
      warnings,
      /Cache entry .*numbers@quick could not be loaded \(.*state\.json has 10 bytes but .*\): train/,
    );
    await rewrite(dir, "state.json", JSON.stringify({ step: 0, tokenizer: null, optimizer: null, extra: "x" }));
    warnings = await captureWarnings(async () => void (value = await cached(options)));
    assert.match(warnings, /could not be loaded \(the entry holds no list of numbers\): training it again/);
    assert.equal(counts.train, 3);
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.equal(counts.train, 3);
  });
});

Deno.test("cached retrains a folder without config.json and one in the cache's old format", async () => {
  await withTempCache(async (root) => {
    setQuick(true);
    const { options, counts } = numbersEntry();
    const dir = join(root, "numbers@quick");
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "value.json"), "[9]");
    const warnings = await captureWarnings(async () => void assert.deepEqual(await cached(options), [1, 2, 3]));
    assert.deepEqual(counts, { train: 1, load: 0 });
    assert.match(warnings, /could not be loaded \(.*config\.json is missing\)/);
    const legacy = join(root, "numbers-0123456789abcdef");
    await Deno.mkdir(legacy);
    await Deno.writeTextFile(join(legacy, "meta.json"), "{}");
    const entries = await listCache("numbers");
    assert.deepEqual(entries.map((e) => [e.dir, e.stale]), [
      [legacy, "an old cache format (before safetensors)"],
      [dir, null],
    ]);
    assert.equal(await clearCache("numbers"), 2);
  });
});

Deno.test("leftovers of interrupted saves are ignored by cached and listCache, and removed by clearCache()", async () => {
  await withTempCache(async (root) => {
    setQuick(true);
    const leftover = join(root, "numbers@quick.tmp-1234-abc");
    await Deno.mkdir(leftover, { recursive: true });
    await Deno.writeTextFile(join(leftover, "model.safetensors"), "partial");
    await Deno.mkdir(join(root, "other@quick.old"));
    const { options, counts } = numbersEntry();
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.equal(counts.train, 1);
    assert.deepEqual((await listCache()).map((e) => e.dir), [join(root, "numbers@quick")]);
    assert.equal(await clearCache(), 2);
    assert.deepEqual(await dirNames(root), []);
  });
});

Deno.test("two concurrent trainings of one entry both succeed and leave one complete entry", async () => {
  await withTempCache(async (root) => {
    setQuick(true);
    const { options, counts } = numbersEntry();
    const slow = { ...options, train: async () => (await new Promise((r) => setTimeout(r, 20)), options.train()) };
    const [a, b] = await Promise.all([cached(slow), cached(slow)]);
    assert.deepEqual(a, [1, 2, 3]);
    assert.deepEqual(b, [1, 2, 3]);
    assert.equal(counts.train, 2);
    assert.deepEqual(await dirNames(root), ["numbers@quick"]);
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.equal(counts.train, 2);
  });
});

Deno.test("a failing save leaves no entry and no temporary folder behind", async () => {
  await withTempCache(async (root) => {
    const { options } = numbersEntry();
    const failing = {
      ...options,
      save: () => {
        throw new Error("disk full");
      },
    };
    await assert.rejects(() => cached(failing), {
      name: "Error",
      message: /^Cannot save cache entry .*numbers@(quick|full): disk full$/,
    });
    assert.deepEqual(await dirNames(root), []);
  });
});

Deno.test("cached rejects missing callbacks and a bad step count with a clear message", async () => {
  await withTempCache(async () => {
    const { options } = numbersEntry();
    await assert.rejects(() => cached({ ...options, load: undefined as unknown as () => number[] }), {
      name: "TypeError",
      message: 'Cannot use the cache for "numbers" as load must be a function: current value is undefined',
    });
    await assert.rejects(() => cached({ ...options, steps: 0 }), {
      name: "RangeError",
      message: 'Cannot use the cache for "numbers" as steps must be a positive integer: current value is 0',
    });
  });
});

Deno.test("with steps, train gets a progress bar, finished by cached; loading prints where it came from", async () => {
  await withTempCache(async () => {
    const { options } = numbersEntry();
    const lines: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => lines.push(args.join(" "));
    let seen: number | undefined;
    try {
      await cached({
        ...options,
        quiet: false,
        steps: 4,
        notebook: "05_numbers",
        train: (bar) => {
          bar!.advance(2);
          seen = bar!.total;
          return [1, 2, 3];
        },
      });
      await cached({ ...options, quiet: false });
    } finally {
      console.log = log;
    }
    assert.equal(seen, 4);
    assert.match(lines[0], /^Training numbers \(not in the cache yet; it is saved to .*numbers@(quick|full)\)\.$/);
    assert.match(lines.join("\n"), /train numbers: done 4\/4 \(100%\)/);
    assert.match(lines.join("\n"), /Saved numbers to the cache after \d+\.\d s of training\./);
    assert.match(lines.at(-1)!, /^Loaded numbers from the cache \(trained 0s ago by 05_numbers in (quick|full) mode/);
  });
});

Deno.test("listCache reports each entry's record and size; clearCache(name) deletes only that name's entries", async () => {
  await withTempCache(async (root) => {
    setQuick(false);
    const a = numbersEntry({ n: 3 });
    await cached(a.options);
    await cached({ ...a.options, name: "other", notebook: "07_other" });
    setQuick(true);
    await cached(a.options);
    await Deno.mkdir(join(root, "not-an-entry"));
    const entries = await listCache();
    assert.deepEqual(entries.map((e) => [e.name, e.mode, e.record?.config, e.record?.lib, e.stale]), [
      ["numbers", "full", { n: 3 }, LIB_VERSION, null],
      ["numbers", "quick", { n: 3 }, LIB_VERSION, null],
      ["other", "full", { n: 3 }, LIB_VERSION, null],
    ]);
    assert.equal(entries[2].record?.notebook, "07_other");
    for (const e of entries) {
      let bytes = 0;
      for await (const f of Deno.readDir(e.dir)) bytes += (await Deno.stat(join(e.dir, f.name))).size;
      assert.equal(e.bytes, bytes);
    }
    assert.equal((await listCache("other")).length, 1);
    assert.equal(await clearCache("numbers"), 2);
    assert.deepEqual(await dirNames(root), ["not-an-entry", "other@full"]);
  });
});

Deno.test("an explicit root is used instead of cacheDir() by cached, listCache and clearCache", async () => {
  await withTempCache(async (envRoot) => {
    const root = join(envRoot, "elsewhere");
    const { options, counts } = numbersEntry();
    await cached({ ...options, root });
    await cached({ ...options, root });
    assert.deepEqual(counts, { train: 1, load: 1 });
    assert.deepEqual(await dirNames(envRoot), ["elsewhere"]);
    assert.deepEqual(await listCache(), []);
    assert.equal((await listCache("numbers", root)).length, 1);
    assert.equal(await clearCache(undefined, root), 1);
    assert.deepEqual(await dirNames(root), []);
  });
});

Deno.test("a cached model's weights come back; a damaged weights file is retrained; no tensor leaks", async () => {
  await withTempCache(async () => {
    let trainings = 0;
    const options: CachedOptions<tf.Tensor> = {
      name: "tiny-model",
      kind: "tensor",
      config: { size: 3 },
      train: () => (trainings++, tf.range(0, 3)),
      save: (t) => ({ config: { size: 3 }, weights: { t } }),
      load: (ckpt) => ckpt.weights.t.clone(),
      quiet: true,
    };
    (await cached(options)).dispose();
    const before = tf.memory().numTensors;
    const loaded = await cached(options);
    assert.equal(tf.memory().numTensors, before + 1, "only the value is left: the checkpoint's tensors are freed");
    assert.deepEqual(loaded.arraySync(), [0, 1, 2]);
    loaded.dispose();
    const [entry] = await listCache("tiny-model");
    await Deno.writeFile(join(entry.dir, "model.safetensors"), new Uint8Array(3));
    let value: tf.Tensor | undefined;
    const warnings = await captureWarnings(async () => void (value = await cached(options)));
    assert.equal(trainings, 2);
    assert.match(warnings, /model\.safetensors has 3 bytes but config\.json says \d+/);
    assert.deepEqual(value!.arraySync(), [0, 1, 2]);
    value!.dispose();
  });
});

Deno.test("a checkpoint saved by hand into the cache folder is no cache entry until cached writes one", async () => {
  await withTempCache(async (root) => {
    setQuick(true);
    await saveCheckpoint(join(root, "numbers@quick"), { kind: "numbers", config: {}, weights: {} });
    assert.equal((await listCache())[0].stale, "not a cache entry (no cache record)");
    const { options, counts } = numbersEntry();
    const warnings = await captureWarnings(async () => void await cached(options));
    assert.match(warnings, /is not a cache entry \(its config\.json has no cache record\): training it again/);
    assert.equal(counts.train, 1);
  });
});

Deno.test("age rounds down to the largest unit", () => {
  const now = Date.parse("2026-01-02T00:00:00Z");
  assert.deepEqual(
    ["2026-01-01T23:59:50Z", "2026-01-01T23:55:00Z", "2026-01-01T21:00:00Z", "2025-12-20T00:00:00Z", "nope"]
      .map((d) => age(d, now)),
    ["10s", "5m", "3h", "13d", "?"],
  );
});
