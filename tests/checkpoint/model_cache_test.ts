import assert from "node:assert/strict";
import { join } from "node:path";
import { withTempCache } from "../_temp_cache.ts";
import {
  cached,
  cacheDir,
  type CachedOptions,
  cacheKey,
  canonicalJson,
  clearCache,
  hashJson,
  LIB_VERSION,
  listCache,
  loadTensors,
  META_FILE,
  saveTensors,
  setQuick,
  sha256Hex,
  tf,
} from "../../lib/core/mod.ts";

/** A cached "model" (a list of numbers) saved as JSON, counting how often it is trained and loaded. */
function numbersEntry(config: Record<string, unknown> = { n: 3 }) {
  const counts = { train: 0, load: 0 };
  const options: CachedOptions<number[]> = {
    name: "numbers",
    config,
    train: () => {
      counts.train++;
      return [1, 2, 3];
    },
    save: (value, dir) => Deno.writeTextFile(join(dir, "value.json"), JSON.stringify(value)),
    load: async (dir) => {
      counts.load++;
      return JSON.parse(await Deno.readTextFile(join(dir, "value.json")));
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

Deno.test("canonicalJson sorts keys at every level and drops undefined properties", () => {
  assert.equal(
    canonicalJson({ z: 1, a: { y: [3, { c: 1, b: 2 }], x: undefined } }),
    '{"a":{"y":[3,{"b":2,"c":1}]},"z":1}',
  );
  assert.equal(canonicalJson({ s: "é\n", n: -0.5, t: true, f: null }), '{"f":null,"n":-0.5,"s":"é\\n","t":true}');
});

Deno.test("canonicalJson rejects values that JSON cannot represent, naming where they are", () => {
  assert.throws(
    () => canonicalJson({ lr: NaN }),
    { name: "TypeError", message: "Cannot hash config.lr as numbers must be finite: current value is NaN" },
  );
  assert.throws(() => canonicalJson({ layers: [1, () => 2] }), {
    name: "TypeError",
    message: "Cannot hash config.layers[1] as it must hold plain JSON values (null, boolean, finite number, string, " +
      "array, plain object): current value is a function",
  });
  assert.throws(() => canonicalJson({ m: new Map() }), { name: "TypeError", message: /config\.m .*a Map object/ });
  assert.throws(() => canonicalJson([undefined]), { name: "TypeError", message: /config\[0\] .*an? undefined/ });
});

Deno.test("hashJson is the SHA-256 of the canonical JSON", async () => {
  // Reference: printf '%s' '{"a":1,"b":[2]}' | sha256sum
  assert.equal(await hashJson({ b: [2], a: 1 }), "0855bfc20eb6cfaa4be7d6b510c63dd22997718bddadcb1a4915cec3a16145b9");
});

Deno.test("cacheKey hashes name, config, quick/full mode and LIB_VERSION", async () => {
  setQuick(false);
  try {
    const key = await cacheKey("gpt", { lr: 0.1 });
    const expected = (await hashJson({ name: "gpt", config: { lr: 0.1 }, mode: "full", lib: LIB_VERSION })).slice(
      0,
      16,
    );
    assert.equal(key, expected);
    assert.match(key, /^[0-9a-f]{16}$/);
    const otherVersion = (await hashJson({ name: "gpt", config: { lr: 0.1 }, mode: "full", lib: LIB_VERSION + "x" }))
      .slice(0, 16);
    assert.notEqual(key, otherVersion);
    assert.notEqual(key, await cacheKey("gpt", { lr: 0.2 }));
    assert.notEqual(key, await cacheKey("gpt2", { lr: 0.1 }));
    setQuick(true);
    assert.notEqual(key, await cacheKey("gpt", { lr: 0.1 }));
    assert.equal(
      await cacheKey("gpt", { lr: 0.1 }, false),
      await (setQuick(false), cacheKey("gpt", { lr: 0.1 }, false)),
    );
  } finally {
    setQuick(null);
  }
});

Deno.test("cacheKey rejects names that are not safe folder names", async () => {
  for (const name of ["", "../x", "a/b", ".hidden", "-x", "a b", "x".repeat(65)]) {
    await assert.rejects(() => cacheKey(name, {}), {
      name: "TypeError",
      message: `Cannot use cache name ${JSON.stringify(name)}: it must be 1-64 letters, digits, "_", "." or "-", ` +
        `starting with a letter or digit`,
    });
  }
});

Deno.test("cached trains once, then loads from the entry folder", async () => {
  await withTempCache(async (root) => {
    const { options, counts } = numbersEntry();
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.deepEqual(counts, { train: 1, load: 0 });
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.deepEqual(counts, { train: 1, load: 1 });
    const key = await cacheKey("numbers", { n: 3 });
    assert.deepEqual(await dirNames(root), [`numbers-${key}`]);
    assert.deepEqual(await dirNames(join(root, `numbers-${key}`)), [META_FILE, "value.json"]);
  });
});

Deno.test("cached retrains when the config or the mode changes", async () => {
  await withTempCache(async (root) => {
    setQuick(false);
    const a = numbersEntry({ n: 3 });
    await cached(a.options);
    await cached({ ...a.options, config: { n: 4 } });
    assert.equal(a.counts.train, 2);
    setQuick(true);
    await cached(a.options);
    assert.equal(a.counts.train, 3);
    await cached(a.options);
    assert.equal(a.counts.train, 3);
    assert.equal((await dirNames(root)).length, 3);
  });
});

Deno.test("cached with perMode false shares one entry between quick and full mode", async () => {
  await withTempCache(async () => {
    const { options, counts } = numbersEntry();
    setQuick(false);
    await cached({ ...options, perMode: false });
    setQuick(true);
    await cached({ ...options, perMode: false });
    assert.deepEqual(counts, { train: 1, load: 1 });
    assert.equal((await listCache("numbers"))[0].mode, null);
  });
});

Deno.test("cached deletes and retrains a corrupt entry, saying so", async () => {
  await withTempCache(async (root) => {
    const { options, counts } = numbersEntry();
    await cached(options);
    const dir = join(root, `numbers-${await cacheKey("numbers", { n: 3 })}`);
    await Deno.writeTextFile(join(dir, "value.json"), "{ truncated");
    let value: number[] = [];
    const warnings = await captureWarnings(async () => {
      value = await cached(options);
    });
    assert.deepEqual(value, [1, 2, 3]);
    assert.equal(counts.train, 2);
    assert.match(
      warnings,
      new RegExp(`Cache entry ${dir} could not be loaded \\(.*JSON.*\\): deleting it and training`),
    );
    assert.equal(await Deno.readTextFile(join(dir, "value.json")), "[1,2,3]");
  });
});

Deno.test("cached retrains an entry folder that has no meta.json", async () => {
  await withTempCache(async (root) => {
    const { options, counts } = numbersEntry();
    const dir = join(root, `numbers-${await cacheKey("numbers", { n: 3 })}`);
    await Deno.mkdir(dir, { recursive: true });
    await Deno.writeTextFile(join(dir, "value.json"), "[9]");
    const warnings = await captureWarnings(async () => {
      assert.deepEqual(await cached(options), [1, 2, 3]);
    });
    assert.deepEqual(counts, { train: 1, load: 0 });
    assert.match(warnings, /is incomplete \(no meta\.json\)/);
  });
});

Deno.test("leftover temporary folders are ignored by cached and listCache, and removed by clearCache()", async () => {
  await withTempCache(async (root) => {
    const key = await cacheKey("numbers", { n: 3 });
    const leftover = join(root, `.tmp-numbers-${key}-1234-abc`);
    await Deno.mkdir(leftover, { recursive: true });
    await Deno.writeTextFile(join(leftover, "value.json"), "[7]");
    const { options, counts } = numbersEntry();
    assert.deepEqual(await cached(options), [1, 2, 3]);
    assert.equal(counts.train, 1);
    assert.deepEqual((await listCache()).map((e) => e.dir), [join(root, `numbers-${key}`)]);
    assert.equal(await clearCache(), 2);
    assert.deepEqual(await dirNames(root), []);
  });
});

Deno.test("two concurrent trainings of one entry both succeed and leave one complete entry", async () => {
  await withTempCache(async (root) => {
    const { options, counts } = numbersEntry();
    const slow = { ...options, train: async () => (await new Promise((r) => setTimeout(r, 20)), options.train()) };
    const [a, b] = await Promise.all([cached(slow), cached(slow)]);
    assert.deepEqual(a, [1, 2, 3]);
    assert.deepEqual(b, [1, 2, 3]);
    assert.equal(counts.train, 2);
    assert.deepEqual(await dirNames(root), [`numbers-${await cacheKey("numbers", { n: 3 })}`]);
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
      message: /^Cannot save cache entry .*numbers-[0-9a-f]{16}: disk full$/,
    });
    assert.deepEqual(await dirNames(root), []);
  });
});

Deno.test("cached rejects missing callbacks with a clear message", async () => {
  await withTempCache(async () => {
    const { options } = numbersEntry();
    await assert.rejects(() => cached({ ...options, load: undefined as unknown as () => number[] }), {
      name: "TypeError",
      message: 'Cannot use the cache for "numbers" as load must be a function: current value is undefined',
    });
  });
});

Deno.test("listCache reports the meta data; clearCache(name) deletes only that name's entries", async () => {
  await withTempCache(async (root) => {
    setQuick(false);
    const a = numbersEntry({ n: 3 });
    await cached(a.options);
    await cached({ ...a.options, config: { n: 4 } });
    await cached({ ...a.options, name: "other" });
    await Deno.mkdir(join(root, "not-an-entry"));
    const entries = await listCache();
    assert.deepEqual(entries.map((e) => [e.name, e.config, e.mode, e.libVersion]), [
      ["numbers", { n: 3 }, "full", LIB_VERSION],
      ["numbers", { n: 4 }, "full", LIB_VERSION],
      ["other", { n: 3 }, "full", LIB_VERSION],
    ]);
    const valueBytes = "[1,2,3]".length;
    for (const e of entries) {
      const metaBytes = (await Deno.stat(join(e.dir, META_FILE))).size;
      assert.equal(e.bytes, valueBytes + metaBytes);
    }
    assert.equal((await listCache("other")).length, 1);
    assert.equal(await clearCache("numbers"), 2);
    assert.deepEqual(await dirNames(root), [`not-an-entry`, `other-${await cacheKey("other", { n: 3 })}`]);
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

Deno.test("saveTensors and loadTensors round-trip float32, int32 and bool tensors exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tensors = {
      w: tf.tensor2d([[0.1, -2.5, 3e-8], [1e6, 0, -0]], [2, 3]),
      ids: tf.tensor1d([0, 7, -3, 2147483647], "int32"),
      mask: tf.tensor2d([[true, false], [false, true]], [2, 2], "bool"),
      s: tf.scalar(4.25),
    };
    await saveTensors(dir, tensors);
    const before = tf.memory().numTensors;
    const back = await loadTensors(dir);
    assert.equal(tf.memory().numTensors, before + 4);
    assert.deepEqual(Object.keys(back).sort(), ["ids", "mask", "s", "w"]);
    for (const [name, t] of Object.entries(tensors)) {
      assert.equal(back[name].dtype, t.dtype, name);
      assert.deepEqual(back[name].shape, t.shape, name);
      assert.deepEqual(back[name].dataSync(), t.dataSync(), name);
    }
    tf.dispose([...Object.values(tensors), ...Object.values(back)]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadTensors rejects a truncated file; saveTensors rejects non-tensors and unsupported dtypes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const w = tf.ones([4, 4]);
    await saveTensors(dir, { w }, "model");
    const bin = join(dir, "model.bin");
    await Deno.writeFile(bin, (await Deno.readFile(bin)).slice(0, 10));
    await assert.rejects(() => loadTensors(dir, "model"), {
      message: "model.bin holds 10 bytes but model.json describes 64",
    });
    await assert.rejects(() => saveTensors(dir, { w, x: [1, 2] as unknown as tf.Tensor }), {
      name: "TypeError",
      message: 'Cannot save tensor "x" as it must be a tf.Tensor: current value is 1,2',
    });
    const s = tf.tensor(["a"]);
    await assert.rejects(() => saveTensors(dir, { s }), {
      name: "TypeError",
      message: 'Cannot save tensor "s" of dtype string: expected float32, int32 or bool',
    });
    w.dispose();
    await assert.rejects(() => saveTensors(dir, { w }), {
      name: "TypeError",
      message: 'Cannot save tensor "w" as it has been disposed',
    });
    s.dispose();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a cached model whose weights file is corrupt is retrained", async () => {
  await withTempCache(async () => {
    let trainings = 0;
    const options: CachedOptions<tf.Tensor> = {
      name: "tiny-model",
      config: { size: 3 },
      train: () => (trainings++, tf.range(0, 3)),
      save: (t, dir) => saveTensors(dir, { t }),
      load: async (dir) => (await loadTensors(dir)).t,
      quiet: true,
    };
    (await cached(options)).dispose();
    const [entry] = await listCache("tiny-model");
    await Deno.writeFile(join(entry.dir, "weights.bin"), new Uint8Array(3));
    let value: tf.Tensor | undefined;
    const warnings = await captureWarnings(async () => {
      value = await cached(options);
    });
    assert.equal(trainings, 2);
    assert.match(warnings, /weights\.bin holds 3 bytes but weights\.json describes 12/);
    assert.deepEqual(value!.arraySync(), [0, 1, 2]);
    value!.dispose();
    const loaded = await cached(options);
    assert.equal(trainings, 2);
    assert.deepEqual(loaded.arraySync(), [0, 1, 2]);
    loaded.dispose();
  });
});

Deno.test("sha256Hex: the standard test vectors", async () => {
  const hex = (text: string) => sha256Hex(new TextEncoder().encode(text));
  assert.equal(await hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(await hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
});
