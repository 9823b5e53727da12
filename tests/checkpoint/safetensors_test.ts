import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import {
  CheckpointError,
  decodeSafetensors,
  encodeSafetensors,
  fromTensor,
  type RawTensor,
  toTensor,
} from "@lib/checkpoint/mod.ts";

/** The same numbers in every dtype, in a given shape. */
function everyDtype(shape: number[]): Record<string, RawTensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  const ints = Array.from({ length: n }, (_, i) => (i % 7) - 3);
  return {
    f64: { dtype: "F64", shape, data: Float64Array.from(ints, (v) => v / 3) },
    f32: { dtype: "F32", shape, data: Float32Array.from(ints, (v) => v * 0.1) },
    f16: { dtype: "F16", shape, data: Uint16Array.from(ints, (v) => 0x3c00 + v) },
    bf16: { dtype: "BF16", shape, data: Uint16Array.from(ints, (v) => 0x3f80 + v) },
    i64: { dtype: "I64", shape, data: BigInt64Array.from(ints, (v) => BigInt(v) * 10000000000n) },
    i32: { dtype: "I32", shape, data: Int32Array.from(ints, (v) => v * 100000) },
    i16: { dtype: "I16", shape, data: Int16Array.from(ints) },
    i8: { dtype: "I8", shape, data: Int8Array.from(ints) },
    u8: { dtype: "U8", shape, data: Uint8Array.from(ints, (v) => v + 3) },
    bool: { dtype: "BOOL", shape, data: Uint8Array.from(ints, (v) => (v > 0 ? 1 : 0)) },
  };
}

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, Record<string, unknown>>; text: string } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  const text = new TextDecoder().decode(bytes.subarray(8, 8 + length));
  return { length, json: JSON.parse(text), text };
}

/** A file with this header text (padded to 8) and `data` bytes after it. */
function fileWith(header: unknown, data = new Uint8Array(0)): Uint8Array {
  const text = JSON.stringify(header);
  const json = new TextEncoder().encode(text.padEnd(Math.ceil(text.length / 8) * 8, " "));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

Deno.test("round trip through every dtype and shape: matrices, vectors, scalars and empty tensors", () => {
  for (const shape of [[2, 3], [5], [], [0], [2, 0, 3], [1, 1, 1, 4]]) {
    const tensors = everyDtype(shape);
    const back = decodeSafetensors(encodeSafetensors(tensors, { shape: String(shape) }));
    assert.deepEqual(back.metadata, { shape: String(shape) });
    assert.deepEqual(new Set(back.tensors.keys()), new Set(Object.keys(tensors)));
    for (const [name, t] of Object.entries(tensors)) assert.deepEqual(back.tensors.get(name), t, `${name} [${shape}]`);
  }
});

Deno.test("the layout follows the format: padded header, widest dtype first, contiguous offsets, raw LE bytes", () => {
  const bytes = encodeSafetensors({
    mask: { dtype: "U8", shape: [3], data: new Uint8Array([1, 2, 3]) },
    w: { dtype: "F32", shape: [2], data: new Float32Array([1.5, -2]) },
    big: { dtype: "I64", shape: [1], data: new BigInt64Array([-5n]) },
  });
  const { length, json, text } = headerOf(bytes);
  assert.equal(length % 8, 0, "the header length is a multiple of 8");
  assert.match(text, /^\{.*\} *$/, "the header is JSON padded with spaces");
  assert.deepEqual(json.big, { dtype: "I64", shape: [1], data_offsets: [0, 8] });
  assert.deepEqual(json.w, { dtype: "F32", shape: [2], data_offsets: [8, 16] });
  assert.deepEqual(json.mask, { dtype: "U8", shape: [3], data_offsets: [16, 19] });
  assert.equal(json.__metadata__, undefined, "no __metadata__ when none is given");
  const data = bytes.subarray(8 + length);
  assert.equal(data.length, 19);
  const view = new DataView(data.buffer, data.byteOffset);
  assert.equal(view.getBigInt64(0, true), -5n);
  assert.equal(view.getFloat32(8, true), 1.5);
  assert.equal(view.getFloat32(12, true), -2);
  assert.deepEqual([...data.subarray(16)], [1, 2, 3]);
});

Deno.test("a file with no tensors is an 8-byte header of {} and spaces", () => {
  const bytes = encodeSafetensors({});
  assert.equal(bytes.length, 16);
  assert.equal(headerOf(bytes).text, "{}      ");
  assert.equal(decodeSafetensors(bytes).tensors.size, 0);
});

Deno.test("decoding copies: the tensors do not share memory with the file's bytes", () => {
  const bytes = encodeSafetensors({ w: { dtype: "F32", shape: [1], data: new Float32Array([7]) } });
  const t = decodeSafetensors(bytes).tensors.get("w")!;
  bytes.fill(0);
  assert.deepEqual(t.data, new Float32Array([7]));
});

Deno.test("corrupt files are refused, naming what does not match", () => {
  const w = { dtype: "F32", shape: [2], data_offsets: [0, 8] };
  const data8 = new Uint8Array(8);
  const cases: Array<[Uint8Array, string]> = [
    [new Uint8Array(5), "the file has 5 bytes, fewer than the 8 of its header length"],
    [fileWith({ w }, data8).subarray(0, 20), "its header length 56 runs past the end of the file (20 bytes)"],
    [fileWith({ w }, data8).subarray(0, 70), 'tensor "w" lies outside the data (offsets [0, 8] of 6 bytes)'],
    [fileWith([1, 2]), "its header is [1,2], not a JSON object"],
    [fileWith({ w: { ...w, dtype: "F8" } }, data8), 'tensor "w" has dtype "F8", which this reader does not know'],
    [fileWith({ w: { ...w, shape: [2, -1] } }, data8), 'tensor "w" has shape [2,-1], not a list of sizes'],
    [fileWith({ w: { ...w, shape: [3] } }, data8), 'tensor "w" has 8 bytes, which do not fit shape [3] of F32'],
    [fileWith({ w: { ...w, data_offsets: [8] } }, data8), 'tensor "w" has data_offsets [8], not two non-negative'],
    [
      fileWith({ w: { ...w, data_offsets: [4, 12] } }, new Uint8Array(12)),
      'there is a hole of 4 bytes between the header and tensor "w"',
    ],
    [
      fileWith({ a: w, b: { ...w, data_offsets: [4, 12] } }, new Uint8Array(12)),
      'there is an overlap of 4 bytes between tensor "a" and tensor "b"',
    ],
    [fileWith({ w }, new Uint8Array(10)), 'the data has 2 bytes after tensor "w" that no tensor owns'],
    [fileWith({ __metadata__: { n: 1 } }), '__metadata__ "n" is 1, not a string'],
  ];
  for (const [bytes, why] of cases) {
    assert.throws(() => decodeSafetensors(bytes), (e: Error) => {
      assert.ok(e instanceof CheckpointError, why);
      assert.ok(e.message.startsWith(`Cannot read safetensors as ${why}`), `${e.message}\nexpected: ${why}`);
      return true;
    });
  }
  const notJson = fileWith({});
  notJson[9] = 0xff;
  assert.throws(() => decodeSafetensors(notJson), /its header is not valid UTF-8 JSON/);
});

Deno.test("encoding refuses bad tensors and metadata with messages naming them", () => {
  const f = new Float32Array(2);
  const cases: Array<[Record<string, unknown>, unknown, string]> = [
    [{ w: { dtype: "F8", shape: [2], data: f } }, {}, 'tensor "w" has dtype "F8": expected one of F64, I64'],
    [{ w: { dtype: "F32", shape: [2.5], data: f } }, {}, 'tensor "w" has shape [2.5]: expected a list of'],
    [{ w: { dtype: "I32", shape: [2], data: f } }, {}, 'tensor "w" of dtype I32 must hold its numbers in a Int32Array'],
    [{ w: { dtype: "F32", shape: [3], data: f } }, {}, 'tensor "w" has 2 numbers, which do not fit shape [3]'],
    [{ __metadata__: { dtype: "F32", shape: [2], data: f } }, {}, 'tensor "__metadata__" has a reserved name'],
    [{ w: null }, {}, 'tensor "w" must be {dtype, shape, data}: current value is null'],
    [{}, { n: 1 }, 'metadata "n" must be a string: current value is 1'],
  ];
  for (const [tensors, metadata, why] of cases) {
    assert.throws(
      () => encodeSafetensors(tensors as Record<string, RawTensor>, metadata as Record<string, string>),
      (e: Error) => e instanceof TypeError && e.message.startsWith(`Cannot write safetensors as ${why}`),
      why,
    );
  }
});

Deno.test("fromTensor and toTensor map tfjs dtypes to safetensors ones and back", async () => {
  const tensors = [
    tf.tensor2d([[1.5, -2], [0, 3e-8]]),
    tf.tensor1d([1, -2, 2147483647], "int32"),
    tf.tensor2d([[true, false]], [1, 2], "bool"),
    tf.scalar(4.25),
    tf.zeros([0, 3]),
  ];
  for (const t of tensors) {
    const raw = await fromTensor(t);
    assert.equal(raw.dtype, { float32: "F32", int32: "I32", bool: "BOOL" }[t.dtype as string]);
    const back = toTensor(raw);
    assert.equal(back.dtype, t.dtype);
    assert.deepEqual(back.shape, t.shape);
    assert.deepEqual(back.arraySync(), t.arraySync());
    back.dispose();
  }
  const widened = everyDtype([4]);
  widened.i64.data = BigInt64Array.from([1n, -2n, 2147483647n, -2147483648n]);
  const want = {
    F64: "float32",
    F16: "float32",
    BF16: "float32",
    I64: "int32",
    I16: "int32",
    I8: "int32",
    U8: "int32",
  };
  for (const raw of Object.values(widened)) {
    const t = toTensor(raw);
    if (raw.dtype in want) assert.equal(t.dtype, want[raw.dtype as keyof typeof want], raw.dtype);
    if (raw.dtype === "I64") assert.deepEqual(Array.from(t.dataSync()), [1, -2, 2147483647, -2147483648]);
    if (raw.dtype === "BF16") assert.equal(t.dataSync()[3], 1, "BF16 0x3f80 is 1");
    t.dispose();
  }
  const half = toTensor({ dtype: "F16", shape: [5], data: new Uint16Array([0x3c00, 0xc000, 0x3555, 0x0001, 0x7c00]) });
  assert.deepEqual(Array.from(half.dataSync()), [1, -2, Math.fround(0.333251953125), Math.fround(2 ** -24), Infinity]);
  half.dispose();
  assert.throws(() => toTensor({ dtype: "I64", shape: [1], data: new BigInt64Array([1n << 40n]) }, "ids"), {
    name: "RangeError",
    message: 'Cannot load tensor "ids" as int32: element 0 is 1099511627776, outside the int32 range',
  });
  const s = tf.tensor(["a"]);
  await assert.rejects(fromTensor(s, "s"), {
    name: "TypeError",
    message: 'Cannot save tensor "s" of dtype string: checkpoints hold float32, int32 and bool',
  });
  await assert.rejects(fromTensor([1] as never, "x"), {
    message: 'Cannot save "x" as it is not a tf.Tensor: got object',
  });
  tf.dispose([...tensors, s]);
  await assert.rejects(fromTensor(tensors[0], "w"), { message: 'Cannot save tensor "w" as it is disposed' });
});
