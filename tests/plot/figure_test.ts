import assert from "node:assert/strict";
import { DISPLAY } from "@lib/notebook/display.ts";
import { DEFAULT_HEIGHT, Figure, figure, FONT_FAMILY, layoutFrom, resetPlotly } from "@lib/plot/mod.ts";

Deno.test("a figure's bundle has plotly JSON, HTML and a text summary", () => {
  resetPlotly();
  const fig = figure([{ type: "scatter", mode: "lines", name: "loss", x: [0, 1, 2], y: [2, 1, 0.5] }], {
    title: { text: "训练 loss" },
  });
  const bundle = fig[DISPLAY]();
  assert.deepEqual(Object.keys(bundle).sort(), ["application/vnd.plotly.v1+json", "text/html", "text/plain"]);
  assert.deepEqual(bundle["application/vnd.plotly.v1+json"], { data: fig.data, layout: fig.layout });
  assert.equal(bundle["text/plain"], 'Figure "训练 loss": 1 trace\n- line "loss": 3 points, x 0…2, y 0.5…2');
  const html = String(bundle["text/html"]);
  assert.match(html, /window\.Plotly\.newPlot\(el, fig\.data, fig\.layout/);
  assert.ok(html.includes(`height:${DEFAULT_HEIGHT}px`));
  resetPlotly();
});

Deno.test("the layout gets a CJK font stack and keeps the caller's settings", () => {
  const fig = figure([], { font: { size: 16 }, height: 300 });
  assert.deepEqual(fig.layout.font, { family: FONT_FAMILY, size: 16 });
  assert.equal(fig.layout.height, 300);
  assert.match(FONT_FAMILY, /^"Noto Sans CJK SC"/);
  assert.ok(figure([]).html().includes("height:420px"));
  assert.ok(figure([], { height: 300, width: 500 }).html().includes("max-width:500px;height:300px"));
});

Deno.test("typed arrays become plain arrays so JSON has lists", () => {
  const fig = figure([{ x: new Float32Array([1, 2]), y: [new Int32Array([3])] }]);
  assert.equal(JSON.stringify(fig.data), '[{"x":[1,2],"y":[[3]]}]');
});

Deno.test("each HTML rendering has its own element id, and markup in data cannot close the script", () => {
  const fig = figure([{ name: "</script><b>", y: [1] }]);
  const a = fig.html(), b = fig.html();
  const id = (h: string) => h.match(/id="([^"]+)"/)![1];
  assert.notEqual(id(a), id(b));
  assert.equal(a.match(/<\/script>/g)!.length, 1);
  assert.ok(a.includes("\\u003c/script>\\u003cb>"));
  assert.ok(a.includes("plotly.js is not loaded in this page"), "fallback text for a page without plotly.js");
  assert.ok(a.includes("&lt;/script&gt;&lt;b&gt;"), "the fallback summary is escaped");
});

Deno.test("the HTML shows the text summary until plotly.js draws the chart (viewers that run no scripts)", () => {
  const fig = figure([{ type: "bar", name: "秘密", y: [1, 2] }], { title: { text: "t" } });
  const html = fig.html();
  const pre = html.match(/<div id="[^"]+" class="liandan-plot"[^>]*><pre[^>]*>([^<]*)<\/pre><\/div>/);
  assert.ok(pre, "a <pre> inside the chart's div");
  assert.equal(pre[1], "Figure &quot;t&quot;: 1 trace\n- bar &quot;秘密&quot;: 2 points, y 1…2");
  assert.match(html, /el\.innerHTML = "";\n\s+window\.Plotly\.newPlot/);
});

Deno.test("the summary names traces, counts points and gives ranges or categories", () => {
  const fig = new Figure(
    [
      { type: "bar", x: ["山", "水"], y: [3, 1] },
      { type: "heatmap", z: [[1, 2], [3, 4]] },
      { type: "scatter", mode: "markers", name: "pts", x: [5, 5], y: [1, 9] },
    ],
    { xaxis: { title: { text: "step" }, type: "log" }, yaxis: { type: "log" } },
    "note line",
  );
  assert.equal(
    fig.summary(),
    [
      "Figure: 3 traces (log x: step, log y: (untitled))",
      "- bar: 2 points, x: 山, 水, y 1…3",
      "- heatmap: z 2×2 in 1…4",
      '- scatter "pts": 2 points, x 5, y 1…9',
      "note line",
    ].join("\n"),
  );
});

Deno.test("add returns a new figure with more traces", () => {
  const a = figure([{ y: [1] }], { title: "t" });
  const b = a.add({ y: [2] }, { y: [3] });
  assert.equal(a.data.length, 1);
  assert.equal(b.data.length, 3);
  assert.equal(b.layout.title, "t");
});

Deno.test("layoutFrom maps the common options", () => {
  assert.deepEqual(
    layoutFrom({
      title: "T",
      xTitle: "x",
      yTitle: "y",
      xLog: true,
      yLog: true,
      width: 500,
      height: 300,
      showLegend: false,
    }),
    {
      title: { text: "T" },
      xaxis: { title: { text: "x" }, type: "log" },
      yaxis: { title: { text: "y" }, type: "log" },
      width: 500,
      height: 300,
      showlegend: false,
    },
  );
  assert.deepEqual(layoutFrom({ yTitle: "p" }, { yaxis: { range: [0, 1] }, barmode: "group" }), {
    xaxis: {},
    yaxis: { title: { text: "p" }, range: [0, 1] },
    barmode: "group",
  });
});

Deno.test("figure checks its arguments", () => {
  assert.throws(() => figure({} as never), {
    name: "TypeError",
    message: "Cannot make a figure as data must be an array of plotly traces: got Object",
  });
  assert.throws(() => figure([1] as never), {
    name: "TypeError",
    message: "Cannot make a figure as data[0] must be a plotly trace object: got 1",
  });
  assert.throws(() => figure([], [] as never), {
    name: "TypeError",
    message: "Cannot make a figure as layout must be an object: got an array of length 0",
  });
});

Deno.test("every 2-D axis gets automargin unless the layout says otherwise", () => {
  const fig = figure([{ type: "bar", x: [0], y: [1] }], {
    xaxis2: { title: { text: "b" } },
    yaxis: { automargin: false },
  });
  assert.deepEqual(fig.layout.xaxis, { automargin: true });
  assert.deepEqual(fig.layout.yaxis, { automargin: false });
  assert.deepEqual(fig.layout.xaxis2, { automargin: true, title: { text: "b" } });
});
