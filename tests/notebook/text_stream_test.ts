import assert from "node:assert/strict";
import { DISPLAY, setKernelDisplay, TextColumns, TextStream } from "@lib/notebook/mod.ts";

Deno.test("TextStream: updates one display in place in the kernel, escapes HTML", async () => {
  const sent: { bundle: Record<string, unknown>; options: { display_id?: string; update?: boolean } }[] = [];
  setKernelDisplay((bundle, options) => {
    sent.push({ bundle, options });
    return Promise.resolve();
  });
  try {
    const s = new TextStream({ title: "prompt <b>" });
    for (const ch of "不听老人言") await s.append(ch);
    await s.done();
    assert.equal(sent.length, 6);
    assert.deepEqual(sent.map((m) => m.options.update === true), [false, true, true, true, true, true]);
    assert.ok(sent.every((m) => m.options.display_id === s.id));
    assert.equal(sent[2].bundle["text/plain"], "prompt <b>\n不听老");
    assert.match(String(sent[5].bundle["text/html"]), /prompt &lt;b&gt;.*不听老人言/s);
  } finally {
    setKernelDisplay(null);
  }
});

Deno.test("TextStream: outside the kernel prints once, at done()", async () => {
  const lines: unknown[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(" "));
  try {
    const s = new TextStream();
    await s.append("吃亏");
    await s.append("在眼前");
    assert.equal(lines.length, 0);
    await s.done();
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ["吃亏在眼前"]);
  assert.equal(new TextStream()[DISPLAY]()["text/plain"], "");
});

Deno.test("TextStream: bad delay gives a clear message", () => {
  assert.throws(() => new TextStream({ delay: -1 }), {
    name: "RangeError",
    message: "Cannot make a text stream as delay must be a non-negative number: current value is -1",
  });
});

Deno.test("TextColumns: one display, updated in place, one column per title; plain text outside the kernel", async () => {
  const sent: { bundle: Record<string, unknown>; options: { display_id?: string; update?: boolean } }[] = [];
  setKernelDisplay((bundle, options) => {
    sent.push({ bundle, options });
    return Promise.resolve();
  });
  try {
    const cols = new TextColumns(["greedy", "top-k <5>"]);
    await cols.append(0, "明");
    await cols.append(1, "清");
    await cols.append(0, "月");
    await cols.done();
    assert.deepEqual(cols.texts, ["明月", "清"]);
    assert.deepEqual(sent.map((m) => m.options.update === true), [false, true, true, true]);
    assert.ok(sent.every((m) => m.options.display_id === cols.id));
    assert.equal(sent[3].bundle["text/plain"], "greedy\n明月\n\ntop-k <5>\n清");
    assert.match(String(sent[3].bundle["text/html"]), /top-k &lt;5&gt;.*明月.*清/s);
  } finally {
    setKernelDisplay(null);
  }
  await assert.rejects(() => new TextColumns(["a"]).append(1, "x"), /columns are numbered 0 to 0/);
  assert.throws(() => new TextColumns([]), /without titles/);
  assert.throws(() => new TextColumns(["a"], { delay: NaN }), /delay must be a non-negative number/);
});
