import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { disposeFresh, fresh } from "@lib/notebook/mod.ts";

function variable(n: number): tf.Variable {
  const t = tf.zeros([n]);
  const v = tf.variable(t);
  t.dispose();
  return v;
}

Deno.test("fresh: re-registering disposes the previous value, other names untouched", () => {
  const before = tf.memory().numTensors;
  const a = fresh("fresh-test-a", variable(2));
  fresh("fresh-test-b", variable(3));
  const a2 = fresh("fresh-test-a", variable(2));
  assert.equal(a.isDisposed, true);
  assert.equal(a2.isDisposed, false);
  assert.equal(fresh("fresh-test-a", a2), a2, "registering the same value again keeps it");
  assert.equal(a2.isDisposed, false);
  assert.equal(disposeFresh("fresh-test-a"), 1);
  assert.equal(a2.isDisposed, true);
  assert.equal(disposeFresh(), 1);
  assert.equal(disposeFresh("nothing"), 0);
  assert.equal(tf.memory().numTensors, before, "every registered variable was disposed");
});

Deno.test("fresh: bad arguments give clear messages", () => {
  assert.throws(() => fresh("", { dispose() {} }), {
    name: "TypeError",
    message: 'Cannot register a model as its name must be a non-empty string: got ""',
  });
  assert.throws(() => fresh("x", {} as never), { name: "TypeError", message: /"x" as it has no dispose\(\) method/ });
});
