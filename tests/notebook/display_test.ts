import assert from "node:assert/strict";
import {
  DISPLAY,
  escapeHtml,
  formatNumber,
  inJupyter,
  isDisplayable,
  type MimeBundle,
  newDisplayId,
  setKernelDisplay,
  show,
  toBundle,
} from "@lib/notebook/display.ts";

/** Runs `fn` with console.log captured; returns the printed lines. */
async function captureLog(fn: () => Promise<void> | void): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines;
}

Deno.test("DISPLAY is the symbol the Deno kernel looks for", () => {
  assert.equal(DISPLAY, Symbol.for("Jupyter.display"));
});

Deno.test("inJupyter is false under deno test, true with a fake kernel, false again after", () => {
  assert.equal(inJupyter(), false);
  setKernelDisplay(() => Promise.resolve());
  assert.equal(inJupyter(), true);
  setKernelDisplay(null);
  assert.equal(inJupyter(), false);
});

Deno.test("show prints the text/plain part outside the kernel", async () => {
  const value = { [DISPLAY]: () => ({ "text/plain": "3 points", "text/html": "<b>3</b> points" }) };
  assert.deepEqual(await captureLog(() => show(value)), ["3 points"]);
  assert.deepEqual(await captureLog(() => show("plain text")), ["plain text"]);
});

Deno.test("show sends the raw bundle, display id and update flag to the kernel", async () => {
  const calls: [MimeBundle, Record<string, unknown>][] = [];
  setKernelDisplay((bundle, options) => {
    calls.push([bundle, options]);
    return Promise.resolve();
  });
  try {
    const value = { [DISPLAY]: () => ({ "text/plain": "t", "text/html": "<i>t</i>" }) };
    const printed = await captureLog(async () => {
      await show(value, { id: "d1" });
      await show(value, { id: "d1", update: true });
      await show(42);
    });
    assert.deepEqual(printed, []);
    assert.deepEqual(calls, [
      [{ "text/plain": "t", "text/html": "<i>t</i>" }, { raw: true, display_id: "d1" }],
      [{ "text/plain": "t", "text/html": "<i>t</i>" }, { raw: true, display_id: "d1", update: true }],
      [{ "text/plain": "42" }, { raw: true }],
    ]);
  } finally {
    setKernelDisplay(null);
  }
});

Deno.test("show waits for the kernel to send the output", async () => {
  let release = () => {};
  let sent = false;
  setKernelDisplay(() => new Promise<void>((resolve) => (release = () => ((sent = true), resolve()))));
  try {
    const shown = show("x");
    await Promise.resolve();
    assert.equal(sent, false);
    release();
    await shown;
    assert.equal(sent, true);
  } finally {
    setKernelDisplay(null);
  }
});

Deno.test("show refuses an update without a display id", async () => {
  await assert.rejects(() => show("x", { update: true }), {
    name: "TypeError",
    message: "Cannot update a display as no id was given: pass {id, update: true} with the id shown first",
  });
});

Deno.test("toBundle uses the display method, strings as text, and inspects anything else", () => {
  assert.deepEqual(toBundle({ [DISPLAY]: () => ({ "text/plain": "a", "image/png": "xx" }) }), {
    "text/plain": "a",
    "image/png": "xx",
  });
  assert.deepEqual(toBundle("s"), { "text/plain": "s" });
  assert.deepEqual(toBundle({ a: 1 }), { "text/plain": "{ a: 1 }" });
  assert.throws(() => toBundle({ [DISPLAY]: () => null }), {
    name: "TypeError",
    message: "Cannot show a value as its display method must return a MIME bundle object: got null",
  });
  assert.equal(isDisplayable({ [DISPLAY]: () => ({}) }), true);
  assert.equal(isDisplayable({ [DISPLAY]: 1 }), false);
  assert.equal(isDisplayable(null), false);
});

Deno.test("newDisplayId gives distinct ids with the prefix", () => {
  const ids = new Set(Array.from({ length: 100 }, () => newDisplayId("bar")));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^bar-\d+-[a-z0-9]+$/);
});

Deno.test("escapeHtml escapes markup and quotes, keeps Chinese", () => {
  assert.equal(
    escapeHtml(`<a href="x">'秘密' & co</a>`),
    "&lt;a href=&quot;x&quot;&gt;&#39;秘密&#39; &amp; co&lt;/a&gt;",
  );
});

Deno.test("formatNumber keeps 4 significant digits and integers whole", () => {
  assert.deepEqual(
    [0, 7, -12, 123456, 1.23456, 0.000123, 2.5e7, NaN, Infinity, 0.1 + 0.2].map(formatNumber),
    ["0", "7", "-12", "123456", "1.235", "1.23e-4", "2.5e7", "NaN", "Infinity", "0.3"],
  );
});
