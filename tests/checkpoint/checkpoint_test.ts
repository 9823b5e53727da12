import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import {
  assignWeights,
  CHECKPOINT_FILES,
  CheckpointError,
  type CheckpointMeta,
  decodeSafetensors,
  encodeSafetensors,
  loadCheckpoint,
  readCheckpointMeta,
  saveCheckpoint,
  type SaveStage,
  sha256Hex,
} from "@lib/checkpoint/mod.ts";
import { BpeTokenizer, CharTokenizer, tokenizerFromJSON } from "@lib/text/mod.ts";

const CONFIG = Object.freeze({ vocabSize: 5, nEmbd: 3, nLayer: 1, name: "test" });
const KIND = "test-model";

/** A small model's weights: a float matrix, a vector, an int tensor and a bool tensor. */
function makeWeights(scale = 1): Record<string, tf.Tensor> {
  return {
    "wte.weight": tf.tensor2d([[1, 2, 3], [4, 5, 6], [7, 8, 9], [0.5, -1, 1e-7], [-0, 3.25, 1e30]]).mul(scale),
    "ln_f.bias": tf.tensor1d([0.1, 0.2, 0.3]),
    "counts": tf.tensor1d([1, -2, 2147483647], "int32"),
    "mask": tf.tensor2d([[true, false], [false, true]], [2, 2], "bool"),
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "liandan_ckpt_" });
  try {
    await fn(`${root}/run/ckpt`);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function saveSmall(dir: string, scale = 1, step = 7): Promise<CheckpointMeta> {
  const weights = makeWeights(scale);
  try {
    return await saveCheckpoint(dir, { kind: KIND, config: CONFIG, step, weights });
  } finally {
    tf.dispose(Object.values(weights));
  }
}

async function stepOf(dir: string): Promise<number> {
  const ckpt = await loadCheckpoint(dir);
  ckpt.dispose();
  return ckpt.step;
}

async function firstWeight(dir: string): Promise<number> {
  const ckpt = await loadCheckpoint(dir);
  const value = ckpt.weights["wte.weight"].dataSync()[0];
  ckpt.dispose();
  return value;
}

Deno.test("round trip: config, step, weights of every dtype, tokenizer, optimizer state and extra data", async () => {
  await withDir(async (dir) => {
    const weights = makeWeights();
    const tokenizer = BpeTokenizer.train("明月光，明月光。moon light, moon light.", { vocabSize: 300 });
    tokenizer.addSpecialTokens(["<|end|>"]);
    const m = tf.tensor2d([[0.5, 0.25]]);
    const optimizer = { t: 3, m: { w: new Float32Array([1, 2, 3]) }, v: { w: new Float32Array([4, 5, 6]) }, moment: m };
    const extra = { losses: [2.5, 2.25], ids: new Int32Array([1, 2]), flags: new Uint8Array([1, 0, 1]), note: "hi" };
    const info = { note: "kept in config.json" };
    await saveCheckpoint(dir, { kind: KIND, config: CONFIG, step: 42, weights, tokenizer, optimizer, extra, info });
    const ckpt = await loadCheckpoint<typeof CONFIG>(dir, { kind: KIND, expectConfig: { nEmbd: 3, name: "test" } });
    assert.equal(ckpt.kind, KIND);
    assert.deepEqual(ckpt.config, CONFIG);
    assert.deepEqual(ckpt.info, info);
    assert.equal(ckpt.step, 42);
    assert.deepEqual(Object.keys(ckpt.weights), Object.keys(weights));
    for (const [name, t] of Object.entries(weights)) {
      assert.equal(ckpt.weights[name].dtype, t.dtype, name);
      assert.deepEqual(ckpt.weights[name].shape, t.shape, name);
      assert.deepEqual(ckpt.weights[name].arraySync(), t.arraySync(), name);
    }
    const text = "明月<|end|>moon 龍";
    assert.deepEqual(tokenizerFromJSON(ckpt.tokenizer).encode(text), tokenizer.encode(text));
    const opt = ckpt.optimizer as typeof optimizer;
    assert.equal(opt.t, 3);
    assert.deepEqual(opt.m.w, new Float32Array([1, 2, 3]));
    assert.deepEqual(opt.v.w, new Float32Array([4, 5, 6]));
    assert.deepEqual(opt.moment.arraySync(), [[0.5, 0.25]]);
    assert.deepEqual(ckpt.extra, extra);
    assert.equal(ckpt.dir, dir);
    ckpt.dispose();
    tf.dispose([...Object.values(weights), m]);
  });
});

Deno.test("the directory holds model.safetensors, the state and config.json with kind, version and checksums", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    const files = [];
    for await (const e of Deno.readDir(dir)) files.push(e.name);
    assert.deepEqual(files.sort(), ["config.json", "model.safetensors", "state.json", "state.safetensors"]);
    const meta = await readCheckpointMeta(dir);
    assert.equal(meta.format, "liandan-checkpoint");
    assert.equal(meta.version, 2);
    assert.equal(meta.kind, KIND);
    assert.deepEqual(meta.config, CONFIG);
    for (const file of ["model.safetensors", "state.json", "state.safetensors"]) {
      const bytes = await Deno.readFile(`${dir}/${file}`);
      assert.deepEqual(meta.files[file], { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) }, file);
    }
    const { tensors, metadata } = decodeSafetensors(await Deno.readFile(`${dir}/${CHECKPOINT_FILES.weights}`));
    assert.deepEqual([...tensors.keys()], ["wte.weight", "ln_f.bias", "counts", "mask"]);
    assert.deepEqual(tensors.get("wte.weight")!.shape, [5, 3]);
    assert.equal(tensors.get("counts")!.dtype, "I32");
    assert.equal(tensors.get("mask")!.dtype, "BOOL");
    assert.deepEqual(metadata, { "liandan.kind": KIND, "liandan.lib": meta.lib });
    assert.equal(JSON.parse(await Deno.readTextFile(`${dir}/state.json`)).step, 7);
  });
});

Deno.test("assignWeights copies loaded weights into a model's variables (Map, record or array)", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir, 2);
    const ckpt = await loadCheckpoint(dir);
    const model = new Map(Object.entries(makeWeights(0)).map(([name, t]) => [name, tf.variable(t, true)]));
    assignWeights(model, ckpt.weights);
    assert.deepEqual(model.get("wte.weight")!.arraySync(), ckpt.weights["wte.weight"].arraySync());
    assert.equal(model.get("wte.weight")!.dataSync()[1], 4);
    assignWeights(Object.fromEntries(model), ckpt.weights);
    ckpt.dispose();
    tf.dispose([...model.values()]);
  });
});

Deno.test("assignWeights names the tensor whose name, shape or dtype does not match, and assigns nothing", () => {
  const v = { a: tf.variable(tf.zeros([2, 3])), b: tf.variable(tf.zeros([4])) };
  const good = { a: tf.ones([2, 3]), b: tf.ones([4]) };
  const badShape = { a: tf.ones([2, 3]), b: tf.ones([5]) };
  const badType = { a: tf.ones([2, 3]), b: tf.ones([4], "int32") };
  assert.throws(() => assignWeights(v, badShape), {
    name: "RangeError",
    message: 'Cannot load weights as tensor "b" has shape [5] in the checkpoint but the model expects [4]',
  });
  assert.equal(v.a.dataSync()[0], 0, "nothing is assigned when a tensor does not match");
  assert.throws(() => assignWeights(v, badType), {
    name: "RangeError",
    message: 'Cannot load weights as tensor "b" has dtype int32 in the checkpoint but the model expects float32',
  });
  assert.throws(() => assignWeights(v, { a: good.a }), {
    name: "RangeError",
    message: 'Cannot load weights as the checkpoint lacks tensor "b" (shape [4])',
  });
  assert.throws(() => assignWeights({ a: v.a }, good), {
    name: "RangeError",
    message: 'Cannot load weights as the checkpoint has tensor "b" that the model lacks',
  });
  assignWeights([v.a, v.b].map((x, i) => Object.assign(x, { name: ["a", "b"][i] })), good);
  assert.equal(v.b.dataSync()[3], 1);
  tf.dispose([...Object.values(v), ...Object.values(good), ...Object.values(badShape), ...Object.values(badType)]);
});

/** Rewrites a checkpoint file and updates its size and checksum in config.json, so only the deeper checks see it. */
async function tamper(dir: string, file: string, change: (bytes: Uint8Array) => Uint8Array): Promise<void> {
  const bytes = change(await Deno.readFile(`${dir}/${file}`));
  await Deno.writeFile(`${dir}/${file}`, bytes);
  const meta = JSON.parse(await Deno.readTextFile(`${dir}/config.json`));
  meta.files[file] = { bytes: bytes.byteLength, sha256: await sha256Hex(bytes) };
  await Deno.writeTextFile(`${dir}/config.json`, JSON.stringify(meta));
}

/** A safetensors file with its header edited by `edit` (padded again) and the same data. */
function editHeader(bytes: Uint8Array, edit: (header: Record<string, Record<string, unknown>>) => void): Uint8Array {
  const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
  edit(header);
  const text = JSON.stringify(header);
  const json = new TextEncoder().encode(text.padEnd(Math.ceil(text.length / 8) * 8, " "));
  const out = new Uint8Array(8 + json.length + bytes.length - 8 - n);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(bytes.subarray(8 + n), 8 + json.length);
  return out;
}

Deno.test("corruption: a truncated model.safetensors is refused with both sizes", async () => {
  await withDir(async (dir) => {
    const meta = await saveSmall(dir);
    await Deno.truncate(`${dir}/${CHECKPOINT_FILES.weights}`, 10);
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as model.safetensors has 10 bytes but config.json says ` +
        `${meta.files["model.safetensors"].bytes} (the file is truncated or from another save)`,
    });
  });
});

Deno.test("corruption: a flipped byte fails the SHA-256 check", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    const path = `${dir}/${CHECKPOINT_FILES.weights}`;
    const bytes = await Deno.readFile(path);
    bytes[bytes.length - 5] ^= 0xff;
    await Deno.writeFile(path, bytes);
    await assert.rejects(loadCheckpoint(dir), (e: Error) => {
      assert.ok(e instanceof CheckpointError);
      assert.match(
        e.message,
        /as the SHA-256 of model\.safetensors is [0-9a-f]{12}… but config\.json says [0-9a-f]{12}… \(the file is damaged\)/,
      );
      return true;
    });
  });
});

Deno.test("corruption: a wrong shape, a tensor out of bounds, a header past the end of the file", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    const file = CHECKPOINT_FILES.weights;
    const original = await Deno.readFile(`${dir}/${file}`);
    await tamper(dir, file, (b) => editHeader(b, (h) => h["wte.weight"].shape = [4, 3]));
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as model.safetensors is invalid: tensor "wte.weight" has 60 ` +
        "bytes, which do not fit shape [4,3] of F32",
    });
    await tamper(dir, file, () => editHeader(original, (h) => h["ln_f.bias"].data_offsets = [1000000, 1000012]));
    await assert.rejects(
      loadCheckpoint(dir),
      /model\.safetensors is invalid: tensor "ln_f\.bias" lies outside the data \(offsets \[1000000, 1000012\] of 88 bytes\)/,
    );
    await tamper(dir, file, () => {
      const out = original.slice();
      new DataView(out.buffer).setBigUint64(0, 1n << 40n, true);
      return out;
    });
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as model.safetensors is invalid: its header length ` +
        `1099511627776 runs past the end of the file (${original.length} bytes)`,
    });
    await tamper(dir, file, () => original.subarray(0, original.length - 1));
    await assert.rejects(loadCheckpoint(dir), /model\.safetensors is invalid: tensor "mask" lies outside the data/);
  });
});

Deno.test("corruption: another format version, another format, another kind, broken JSON, missing files", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    const metaPath = `${dir}/${CHECKPOINT_FILES.config}`;
    const original = await Deno.readTextFile(metaPath);
    const edit = async (change: (m: CheckpointMeta) => void) => {
      const m = JSON.parse(original);
      change(m);
      await Deno.writeTextFile(metaPath, JSON.stringify(m));
    };
    await edit((m) => m.version = 3);
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as its format version is 3 but this library reads version 2`,
    });
    await edit((m) => (m as { format: string }).format = "safetensors");
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as config.json has format "safetensors", not "liandan-checkpoint"`,
    });
    await edit((m) => delete (m.files as Record<string, unknown>)["state.json"]);
    await assert.rejects(loadCheckpoint(dir), /as config\.json lacks the size and checksum of state\.json/);
    await Deno.writeTextFile(metaPath, original);
    await assert.rejects(loadCheckpoint(dir, { kind: "gpt" }), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as it holds a model of kind "${KIND}" but kind "gpt" was expected`,
    });
    await Deno.writeTextFile(metaPath, original.slice(0, 20));
    await assert.rejects(loadCheckpoint(dir), /as config\.json is not valid JSON/);
    await Deno.writeTextFile(metaPath, original);
    await Deno.remove(`${dir}/${CHECKPOINT_FILES.weights}`);
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as model.safetensors is missing`,
    });
    await Deno.remove(metaPath);
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as config.json is missing`,
    });
    await Deno.writeTextFile(`${dir}/meta.json`, "{}");
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as it is in the old format of this course (meta.json and ` +
        "tensors.bin, before safetensors): train it again or delete the directory",
    });
    await assert.rejects(loadCheckpoint(`${dir}-nope`), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}-nope" as the directory does not exist`,
    });
  });
});

Deno.test("corruption: state.json that refers to a tensor state.safetensors lacks, or has a bad step", async () => {
  await withDir(async (dir) => {
    const w = tf.ones([2]);
    await saveCheckpoint(dir, { kind: KIND, config: {}, weights: { w }, optimizer: { m: new Float32Array(2) } });
    w.dispose();
    const state = JSON.parse(await Deno.readTextFile(`${dir}/state.json`));
    const write = (s: unknown) => tamper(dir, "state.json", () => new TextEncoder().encode(JSON.stringify(s)));
    await write({ ...state, optimizer: { m: { $array: "optimizer.v" } } });
    await assert.rejects(loadCheckpoint(dir), {
      name: "CheckpointError",
      message:
        `Cannot load checkpoint from "${dir}" as state.json refers to "optimizer.v", which state.safetensors lacks`,
    });
    await write({ ...state, step: -2 });
    await assert.rejects(loadCheckpoint(dir), /as state\.json has step -2, not an integer ≥ 0/);
    const before = tf.memory().numTensors;
    await write({ ...state, optimizer: { a: { $tensor: "optimizer.m" }, b: { $tensor: "nope" } } });
    await assert.rejects(loadCheckpoint(dir), /refers to "nope"/);
    assert.equal(tf.memory().numTensors, before, "a refused load frees what it made");
  });
});

Deno.test("the weights file is plain safetensors: one written by another tool loads", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    const foreign = encodeSafetensors({
      "wte.weight": { dtype: "F32", shape: [5, 3], data: new Float32Array(15).fill(2) },
      "ln_f.bias": { dtype: "F32", shape: [3], data: new Float32Array(3) },
      counts: { dtype: "I32", shape: [3], data: new Int32Array(3) },
      mask: { dtype: "BOOL", shape: [2, 2], data: new Uint8Array(4) },
    }, { format: "pt" });
    await tamper(dir, CHECKPOINT_FILES.weights, () => foreign);
    assert.equal(await firstWeight(dir), 2);
  });
});

Deno.test("expectConfig and validateConfig refuse a checkpoint of another model, listing the differences", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir);
    await assert.rejects(loadCheckpoint(dir, { expectConfig: { nEmbd: 4, nLayer: 1, vocabSize: 6 } }), {
      name: "CheckpointError",
      message:
        `Cannot load checkpoint from "${dir}" as its config does not match: nEmbd is 3 in the checkpoint but 4 ` +
        "was expected; vocabSize is 5 in the checkpoint but 6 was expected",
    });
    const validateConfig = (c: typeof CONFIG) => {
      if (c.nLayer < 2) throw new RangeError(`nLayer must be ≥ 2: current value is ${c.nLayer}`);
    };
    await assert.rejects(loadCheckpoint<typeof CONFIG>(dir, { validateConfig }), {
      name: "CheckpointError",
      message: `Cannot load checkpoint from "${dir}" as its config is refused: nLayer must be ≥ 2: current value is 1`,
    });
  });
});

Deno.test("atomicity: a save interrupted at any stage leaves the previous checkpoint loadable", async () => {
  for (const crashAt of ["weights-written", "state-written", "config-written", "old-moved-aside"] as SaveStage[]) {
    await withDir(async (dir) => {
      await saveSmall(dir, 1, 1);
      const weights = makeWeights(10);
      const onStage = (stage: SaveStage) => {
        if (stage === crashAt) throw new Error(`simulated crash after ${stage}`);
      };
      const data = { kind: KIND, config: CONFIG, step: 2, weights };
      await assert.rejects(saveCheckpoint(dir, data, { onStage }), /simulated crash/);
      tf.dispose(Object.values(weights));
      assert.equal(await stepOf(dir), 1, crashAt);
      assert.equal(await firstWeight(dir), 1, crashAt);
      const [parent] = [dir.slice(0, dir.lastIndexOf("/"))];
      const left = [];
      for await (const e of Deno.readDir(parent)) left.push(e.name);
      assert.deepEqual(left, ["ckpt"], `no temporary directory is left after a failed save (${crashAt})`);
    });
  }
});

Deno.test("atomicity: after a crash between the two renames, loading falls back to <dir>.old", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir, 1, 1);
    await Deno.rename(dir, `${dir}.old`); // what a crash right after moving the old checkpoint aside leaves
    await Deno.mkdir(`${dir}.tmp-123-abc`); // and a half-written new one
    await Deno.writeTextFile(`${dir}.tmp-123-abc/${CHECKPOINT_FILES.weights}`, "partial");
    const ckpt = await loadCheckpoint(dir);
    assert.equal(ckpt.step, 1);
    assert.equal(ckpt.dir, `${dir}.old`);
    ckpt.dispose();
    await saveSmall(dir, 3, 3); // the next save cleans up both
    assert.equal(await firstWeight(dir), 3);
    const left = [];
    for await (const e of Deno.readDir(dir.slice(0, dir.lastIndexOf("/")))) left.push(e.name);
    assert.deepEqual(left, ["ckpt"]);
  });
});

Deno.test("a crash after the commit leaves the new checkpoint, and overwriting works", async () => {
  await withDir(async (dir) => {
    await saveSmall(dir, 1, 1);
    const weights = makeWeights(5);
    const onStage = (stage: SaveStage) => {
      if (stage === "committed") throw new Error("crash after commit");
    };
    await assert.rejects(saveCheckpoint(dir, { kind: KIND, config: CONFIG, step: 5, weights }, { onStage }));
    assert.equal(await firstWeight(dir), 5);
    await saveCheckpoint(dir, { kind: KIND, config: CONFIG, step: 6, weights });
    assert.equal(await stepOf(dir), 6);
    tf.dispose(Object.values(weights));
  });
});

Deno.test("no tensor leaks: saving creates none, loading creates one per tensor and dispose frees them", async () => {
  await withDir(async (dir) => {
    const weights = makeWeights();
    const before = tf.memory().numTensors;
    await saveCheckpoint(dir, { kind: KIND, config: CONFIG, step: 1, weights, optimizer: { m: weights["ln_f.bias"] } });
    assert.equal(tf.memory().numTensors, before);
    const ckpt = await loadCheckpoint(dir);
    assert.equal(tf.memory().numTensors, before + 5);
    ckpt.dispose();
    assert.equal(tf.memory().numTensors, before);
    tf.dispose(Object.values(weights));
  });
});

Deno.test("a char tokenizer's JSON can be saved too", async () => {
  await withDir(async (dir) => {
    const tokenizer = CharTokenizer.fromText("白日依山尽");
    const w = tf.zeros([1]);
    const weights = new Map([["w", w]]);
    await saveCheckpoint(dir, { kind: KIND, config: {}, weights, tokenizer: tokenizer.toJSON() });
    const ckpt = await loadCheckpoint(dir);
    assert.deepEqual(tokenizerFromJSON(ckpt.tokenizer).encode("白日"), tokenizer.encode("白日"));
    assert.equal(ckpt.step, 0, "step defaults to 0");
    ckpt.dispose();
    w.dispose();
  });
});

Deno.test("empty and scalar weights round-trip", async () => {
  await withDir(async (dir) => {
    const weights = { s: tf.scalar(2.5), e: tf.zeros([0]), e2: tf.zeros([3, 0], "int32") };
    await saveCheckpoint(dir, { kind: KIND, config: {}, weights });
    const ckpt = await loadCheckpoint(dir);
    for (const [name, t] of Object.entries(weights)) {
      assert.deepEqual(ckpt.weights[name].shape, t.shape, name);
      assert.equal(ckpt.weights[name].dtype, t.dtype, name);
      assert.deepEqual(ckpt.weights[name].arraySync(), t.arraySync(), name);
    }
    ckpt.dispose();
    tf.dispose(Object.values(weights));
  });
});

Deno.test("bad arguments throw errors naming the value", async () => {
  const w = tf.zeros([1]);
  const base = { kind: KIND, config: {}, step: 0, weights: { w } };
  await assert.rejects(saveCheckpoint("", base), {
    name: "TypeError",
    message: 'Cannot save checkpoint as dir must be a non-empty path: current value is ""',
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, kind: "GPT 2" }), {
    name: "TypeError",
    message: 'Cannot save checkpoint as kind must be lower-case letters, digits, "_", "." or "-" (e.g. "gpt"): ' +
      'current value is "GPT 2"',
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, step: -1 }), {
    name: "RangeError",
    message: "Cannot save checkpoint as step must be an integer ≥ 0: current value is -1",
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, weights: { w: [1, 2] as never } }), {
    name: "TypeError",
    message: 'Cannot save weight "w" as it is not a tf.Tensor: got object',
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, extra: new Float64Array(2) }), {
    name: "TypeError",
    message: "Cannot save extra as a Float64Array: use Float32Array, Int32Array or Uint8Array",
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, extra: { f: () => 1 } }), {
    name: "TypeError",
    message: "Cannot save extra.f as it is a function, which JSON cannot hold",
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, extra: new Map() }), {
    name: "TypeError",
    message: "Cannot save extra as a Map: use a plain object",
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, extra: { $array: "x" } }), {
    name: "TypeError",
    message: 'Cannot save extra as the keys "$tensor" and "$array" are reserved',
  });
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, config: { w } }), {
    name: "TypeError",
    message: "Cannot save config.w as a tensor or typed array: config must be plain JSON",
  });
  const s = tf.tensor(["a"]);
  await assert.rejects(saveCheckpoint("/tmp/x", { ...base, weights: { s } }), {
    name: "TypeError",
    message: 'Cannot save tensor "s" of dtype string: checkpoints hold float32, int32 and bool',
  });
  tf.dispose([w, s]);
  await assert.rejects(loadCheckpoint(""), {
    name: "TypeError",
    message: 'Cannot load checkpoint as dir must be a non-empty path: current value is ""',
  });
});
