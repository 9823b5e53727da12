import assert from "node:assert/strict";
import { canonicalJson, hashJson, sha256Hex } from "@lib/checkpoint/mod.ts";

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

Deno.test("sha256Hex: the standard test vectors, and a clear error for a non-Uint8Array", async () => {
  const hex = (text: string) => sha256Hex(new TextEncoder().encode(text));
  assert.equal(await hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  assert.equal(await hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  await assert.rejects(sha256Hex("abc" as never), {
    name: "TypeError",
    message: "Cannot hash bytes as they must be a Uint8Array: current value is string",
  });
});
