import assert from "node:assert/strict";
import { DISPLAY, type MimeBundle, setKernelDisplay } from "@lib/notebook/display.ts";
import { formatDuration, progress } from "@lib/notebook/progress.ts";

/** A clock the test moves by hand. */
function fakeClock() {
  const clock = { t: 0, now: () => clock.t };
  return clock;
}

/** Installs a fake kernel recording [text/plain, display options]; returns the record and an uninstaller. */
function fakeKernel() {
  const calls: { text: string; html: string; id?: string; update?: boolean }[] = [];
  setKernelDisplay((bundle: MimeBundle, options) => {
    calls.push({
      text: String(bundle["text/plain"]),
      html: String(bundle["text/html"]),
      id: options.display_id,
      update: options.update,
    });
    return Promise.resolve();
  });
  return { calls, [Symbol.dispose]: () => setKernelDisplay(null) };
}

Deno.test("progress prints a text line at most every textEvery ms, and always the final line", async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  const bar = progress(10, { label: "train", now: clock.now, print: (l) => lines.push(l) });
  for (const _ of bar) {
    clock.t += 500;
    bar.set({ loss: 2 / (bar.step + 1) });
  }
  await bar.done();
  assert.deepEqual(lines, [
    "train: 4/10 (40%), 2 it/s, elapsed 2.0s, ETA 3.0s; loss 0.5",
    "train: 8/10 (80%), 2 it/s, elapsed 4.0s, ETA 1.0s; loss 0.25",
    "train: done 10/10 (100%), 2 it/s, elapsed 5.0s; loss 0.2",
  ]);
  await bar.done();
  assert.equal(lines.length, 3, "a second done() prints nothing more");
});

Deno.test("progress yields 0…n-1 for a count and the items of an array", async () => {
  const quiet = { print: () => {} };
  assert.deepEqual([...progress(4, quiet)], [0, 1, 2, 3]);
  const letters: string[] = [];
  const bar = progress(["发", "现"], quiet);
  for (const c of bar) letters.push(c);
  await bar.done();
  assert.deepEqual(letters, ["发", "现"]);
  assert.equal(bar.total, 2);
  assert.equal(bar.status, "done");
});

Deno.test("progress shows where a loop that broke out stopped", async () => {
  const lines: string[] = [];
  const bar = progress(10, { now: () => 0, print: (l) => lines.push(l) });
  for (const i of bar) if (i === 3) break;
  await bar.done();
  assert.equal(bar.status, "stopped");
  assert.deepEqual(lines, ["stopped at 3/10 (30%), elapsed 0.0s"]);
});

Deno.test("progress shows where a loop that threw stopped, and lets the error through", async () => {
  const lines: string[] = [];
  const bar = progress(10, { label: "fit", now: () => 0, print: (l) => lines.push(l) });
  assert.throws(() => {
    for (const i of bar) if (i === 6) throw new Error("loss is NaN");
  }, { message: "loss is NaN" });
  await bar.done();
  assert.deepEqual(lines, ["fit: stopped at 6/10 (60%), elapsed 0.0s"]);
});

Deno.test("progress iterates async iterables with for await, total unknown", async () => {
  const clock = fakeClock();
  const lines: string[] = [];
  async function* batches() {
    for (let i = 0; i < 3; i++) {
      clock.t += 1000;
      yield i;
    }
  }
  const bar = progress(batches(), { label: "async", now: clock.now, print: (l) => lines.push(l) });
  const seen: number[] = [];
  for await (const b of bar) seen.push(b);
  await bar.done();
  assert.deepEqual(seen, [0, 1, 2]);
  assert.deepEqual(lines, ["async: 2 it, 1 it/s, elapsed 2.0s", "async: done 3 it, 1 it/s, elapsed 3.0s"]);
});

Deno.test("progress in the kernel: one display id, updates throttled to `every`, final state always sent", async () => {
  using kernel = fakeKernel();
  const clock = fakeClock();
  const bar = progress(10, { label: "train", now: clock.now, every: 100 });
  for await (const _ of bar) clock.t += 30;
  await bar.done();
  assert.deepEqual(kernel.calls.map((c) => [c.text, c.update]), [
    ["train: 0/10 (0%), elapsed 0.0s", undefined],
    ["train: 4/10 (40%), 33.3 it/s, elapsed 0.1s, ETA 0.2s", true],
    ["train: 8/10 (80%), 33.3 it/s, elapsed 0.2s, ETA 0.1s", true],
    ["train: done 10/10 (100%), 33.3 it/s, elapsed 0.3s", true],
  ]);
  assert.equal(new Set(kernel.calls.map((c) => c.id)).size, 1);
  assert.equal(kernel.calls[0].id, bar.id);
});

Deno.test("progress in the kernel does display work on few iterations of a long loop", async () => {
  using kernel = fakeKernel();
  const clock = fakeClock();
  const bar = progress(1000, { now: clock.now });
  for await (const _ of bar) clock.t += 1; // 1 ms per step: 1 s in all
  await bar.done();
  const steps = kernel.calls.map((c) => c.text.split(" ")[0]);
  assert.deepEqual(steps, ["0/1000", ...Array.from({ length: 10 }, (_, i) => `${100 * (i + 1)}/1000`), "done"]);
});

Deno.test("progress in a synchronous loop in the kernel falls back to text lines, then shows the final bar", async () => {
  using kernel = fakeKernel();
  const clock = fakeClock();
  const lines: string[] = [];
  const bar = progress(10, { now: clock.now, every: 100, textEvery: 200, print: (l) => lines.push(l) });
  for (const _ of bar) clock.t += 100; // no await: the kernel cannot send displays until the loop ends
  await bar.done();
  assert.deepEqual(lines.map((l) => l.split(",")[0]), [
    "2/10 (20%)",
    "4/10 (40%)",
    "6/10 (60%)",
    "8/10 (80%)",
    "10/10 (100%)",
  ]);
  assert.deepEqual(kernel.calls.map((c) => [c.text.split(",")[0], c.update]), [
    ["0/10 (0%)", undefined],
    ["done 10/10 (100%)", true],
  ]);
});

Deno.test("progress HTML shows the fraction, colour by state, escaped label and metrics", async () => {
  const bar = progress(5, { label: "<b>", now: () => 0, print: () => {} });
  const it = bar[Symbol.iterator]();
  it.next();
  it.next();
  it.next(); // two steps completed
  bar.set({ "a&b": 0.123456, note: "<x>" });
  const html = String(bar[DISPLAY]()["text/html"]);
  assert.match(html, /width:40\.0%;background:#2563eb/);
  assert.match(html, /<b>&lt;b&gt;<\/b>/);
  assert.match(html, /a&amp;b <b>0\.1235<\/b> · note <b>&lt;x&gt;<\/b>/);
  it.return!();
  assert.match(String(bar[DISPLAY]()["text/html"]), /background:#ea580c/);
  assert.equal(bar[DISPLAY]()["text/plain"], "<b>: stopped at 2/5 (40%), elapsed 0.0s; a&b 0.1235, note <x>");
  await bar.done();
});

Deno.test("progress rate and ETA follow the clock", () => {
  const clock = fakeClock();
  const bar = progress(100, { now: clock.now, print: () => {} });
  bar.advance(0);
  clock.t = 4000;
  bar.advance(20);
  assert.equal(bar.elapsed, 4);
  assert.equal(bar.rate, 5);
  assert.equal(bar.eta, 16);
});

Deno.test("advance steps a bar by hand; done() before total marks it stopped", async () => {
  const lines: string[] = [];
  const bar = progress(10, { label: "eval", now: () => 0, print: (l) => lines.push(l) });
  bar.advance(3);
  bar.advance();
  await bar.done();
  assert.deepEqual(lines, ["eval: stopped at 4/10 (40%), elapsed 0.0s"]);
  assert.throws(() => bar.advance(-1), {
    name: "RangeError",
    message: "Cannot advance a progress bar as n must be a non-negative integer: current value is -1",
  });
});

Deno.test("progress checks its arguments", () => {
  assert.throws(() => progress(-1), {
    name: "RangeError",
    message: "Cannot make a progress bar as total must be a non-negative integer: current value is -1",
  });
  assert.throws(() => progress(2.5), {
    name: "RangeError",
    message: "Cannot make a progress bar as total must be a non-negative integer: current value is 2.5",
  });
  assert.throws(() => progress(5 as unknown as Iterable<number>, { every: -1 }), {
    name: "RangeError",
    message: "Cannot make a progress bar as every must be a non-negative number of milliseconds: current value is -1",
  });
  assert.throws(() => progress({} as unknown as Iterable<number>), {
    name: "TypeError",
    message: "Cannot make a progress bar as source must be a step count or an iterable: got [object Object]",
  });
  assert.throws(() => progress([1], { total: -2 }), {
    name: "RangeError",
    message: "Cannot make a progress bar as total must be a non-negative integer: current value is -2",
  });
});

Deno.test("a progress bar refuses to be iterated twice, or synchronously over an async source", () => {
  const bar = progress(2, { print: () => {} });
  for (const _ of bar);
  assert.throws(() => [...bar], {
    message: "Cannot iterate a progress bar twice: make a new one with progress(...)",
  });
  const asyncBar = progress((async function* () {})(), { print: () => {} });
  assert.throws(() => [...asyncBar], {
    name: "TypeError",
    message: "Cannot iterate this progress bar with for…of as its source is async: use for await…of",
  });
});

Deno.test("set merges metrics and rejects bad ones", () => {
  const bar = progress(1, { print: () => {} });
  bar.set({ loss: 1 }).set({ acc: 0.5 }).set({ loss: 0.5 });
  assert.deepEqual(bar.metrics, { loss: 0.5, acc: 0.5 });
  assert.throws(() => bar.set(null as never), {
    name: "TypeError",
    message: "Cannot set progress metrics as they must be an object like {loss: 1.2}: got null",
  });
  assert.throws(() => bar.set({ ok: true } as never), {
    name: "TypeError",
    message: 'Cannot set progress metric "ok" as it must be a number or a string: got boolean',
  });
});

Deno.test("formatDuration", () => {
  assert.deepEqual([0, 59.94, 61, 3599, 7322, NaN].map(formatDuration), [
    "0.0s",
    "59.9s",
    "1m01s",
    "59m59s",
    "2h02m",
    "?",
  ]);
});
