import assert from "node:assert/strict";
import { type MimeBundle, setKernelDisplay } from "@lib/notebook/display.ts";
import { LiveChart, resetPlotly } from "@lib/plot/mod.ts";

interface Call {
  plain: string;
  html: string;
  plotly?: { data: { name: string; x: number[]; y: number[] }[] };
  id?: string;
  update?: boolean;
}

function fakeKernel() {
  const calls: Call[] = [];
  setKernelDisplay((bundle: MimeBundle, options) => {
    calls.push({
      plain: String(bundle["text/plain"]),
      html: String(bundle["text/html"]),
      plotly: bundle["application/vnd.plotly.v1+json"] as Call["plotly"],
      id: options.display_id,
      update: options.update,
    });
    return Promise.resolve();
  });
  return { calls, [Symbol.dispose]: () => setKernelDisplay(null) };
}

Deno.test("LiveChart redraws in place at most every `every` ms and always draws the final state", async () => {
  using kernel = fakeKernel();
  resetPlotly();
  const clock = { t: 0 };
  const chart = new LiveChart({ title: "loss", every: 100, now: () => clock.t });
  for (const [t, loss] of [[0, 4], [50, 3], [100, 2], [150, 1.5], [250, 1.2], [260, 1.1]]) {
    clock.t = t;
    await chart.push(t, { train: loss });
  }
  await chart.push(260, { val: 1.3 });
  await chart.done();
  const [library, ...draws] = kernel.calls;
  assert.equal(library.plain, "plotly.js loaded for the charts of this notebook", "plotly.js first, in its own output");
  assert.equal(library.id, undefined);
  assert.deepEqual(draws.map((c) => c.plotly!.data.map((t) => [t.name, t.y.length])), [
    [["train", 1]], // t = 0
    [["train", 3]], // t = 100
    [["train", 5]], // t = 250
    [["train", 6], ["val", 1]], // done()
  ]);
  assert.deepEqual(draws.map((c) => c.update), [undefined, true, true, true]);
  assert.equal(new Set(draws.map((c) => c.id)).size, 1);
  assert.equal(draws[0].id, chart.id);
  assert.ok(draws.every((c) => !c.html.includes("window.Plotly = Plotly")), "the chart never carries the library");
  await chart.done();
  assert.equal(kernel.calls.length, 5, "a second done() draws nothing more");
  resetPlotly();
});

Deno.test("LiveChart skips redraws while one is unsent (a loop that never awaits) but still ends complete", async () => {
  using kernel = fakeKernel();
  resetPlotly();
  const clock = { t: 0 };
  const chart = new LiveChart({ now: () => clock.t });
  for (let step = 0; step < 100; step++) {
    clock.t = step * 50;
    void chart.push(step, { loss: 1 / (step + 1) }); // not awaited: the first draw stays in flight
  }
  await chart.done();
  const draws = kernel.calls.filter((c) => c.id === chart.id);
  assert.deepEqual(draws.map((c) => c.plotly!.data[0].y.length), [1, 100]);
  resetPlotly();
});

Deno.test("LiveChart outside the kernel draws nothing until done, then prints the summary", async () => {
  const lines: string[] = [];
  const log = console.log;
  console.log = (s: string) => void lines.push(s);
  try {
    const chart = new LiveChart({ title: "acc", xTitle: "step" });
    for (let step = 1; step <= 3; step++) await chart.push(step, { acc: step / 4 });
    assert.deepEqual(lines, []);
    await chart.done();
  } finally {
    console.log = log;
  }
  assert.deepEqual(lines, ['Figure "acc": 1 trace (x: step)\n- line "acc": 3 points, x 1…3, y 0.25…0.75']);
});

Deno.test("LiveChart explains bad input", async () => {
  const chart = new LiveChart();
  assert.throws(() => chart.push(NaN, { a: 1 }), {
    name: "RangeError",
    message: "Cannot push to a live chart as x must be a finite number: current value is NaN",
  });
  assert.throws(() => chart.push(3, { loss: NaN }), {
    name: "RangeError",
    message: 'Cannot push to a live chart as series "loss" must be a finite number at x=3: got NaN',
  });
  assert.throws(() => chart.push(3, null as never), {
    name: "TypeError",
    message: "Cannot push to a live chart as values must be an object like {loss: 1.2}: got null",
  });
  assert.equal(chart.figure().data.length, 0, "rejected pushes add nothing");
  const log = console.log;
  console.log = () => {};
  await chart.done().finally(() => (console.log = log));
  assert.throws(() => chart.push(1, { a: 1 }), {
    name: "RangeError",
    message: "Cannot push to a live chart after done(): make a new LiveChart",
  });
  assert.throws(() => new LiveChart({ every: -1 }), {
    name: "RangeError",
    message: "Cannot make a live chart as every must be a non-negative number of ms: current value is -1",
  });
});
