import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import {
  CHAR_VALUES,
  contourFigure,
  encodeExample,
  gradient,
  gradientDescent,
  loss,
  lossGrid,
  predict,
  surfaceFigure,
} from "@lib/ml/zao_shang_hao.ts";

const ONE = [encodeExample("早上", "好")];
const TWO = [encodeExample("早上", "好"), encodeExample("上早", "好")];

Deno.test("the article's numbers: x = y = 1 gives 好, x = 2, y = 1 gives 坏", () => {
  assert.deepEqual(CHAR_VALUES, { 早: 1, 上: 2, 好: 3, 坏: 4 });
  assert.equal(predict({ x: 1, y: 1 }, ONE[0]), CHAR_VALUES["好"]);
  assert.equal(predict({ x: 2, y: 1 }, ONE[0]), CHAR_VALUES["坏"]);
  assert.equal(loss({ x: 2, y: 1 }, [encodeExample("早上", "坏")]), 0);
});

Deno.test("gradient matches tfjs autograd of the same loss", () => {
  const data = [...TWO, encodeExample("早早", "坏")];
  const a = tf.tensor1d(data.map((e) => e.a)), b = tf.tensor1d(data.map((e) => e.b));
  const t = tf.tensor1d(data.map((e) => e.target));
  for (const p of [{ x: 0, y: 0 }, { x: -0.7, y: 2.3 }, { x: 1.5, y: 0.25 }]) {
    const f = (x: tf.Tensor, y: tf.Tensor) => a.mul(x).add(b.mul(y)).sub(t).square().mean();
    const [gx, gy] = tf.grads(f)([tf.scalar(p.x), tf.scalar(p.y)]);
    const g = gradient(p, data);
    assert.ok(Math.abs(gx.dataSync()[0] - g.x) < 1e-4, `dx ${gx.dataSync()[0]} vs ${g.x}`);
    assert.ok(Math.abs(gy.dataSync()[0] - g.y) < 1e-4, `dy ${gy.dataSync()[0]} vs ${g.y}`);
    tf.dispose([gx, gy]);
  }
  tf.dispose([a, b, t]);
});

Deno.test("one example: descent ends on the valley x + 2y = 3, at a point that depends on the start", () => {
  const ends = [{ x: 0, y: 0 }, { x: 3, y: -1 }, { x: -1, y: 3 }].map((start) =>
    gradientDescent(ONE, { start, learningRate: 0.05, steps: 200 }).at(-1)!
  );
  for (const e of ends) {
    assert.ok(e.loss < 1e-10, `loss ${e.loss}`);
    assert.ok(Math.abs(e.x + 2 * e.y - 3) < 1e-5);
  }
  // Descent moves along the gradient direction (1, 2), so it lands on the valley point closest to the start.
  assert.ok(Math.abs(ends[0].x - 0.6) < 1e-5 && Math.abs(ends[0].y - 1.2) < 1e-5, `${ends[0].x}, ${ends[0].y}`);
  assert.ok(Math.abs(ends[1].x - ends[2].x) > 1);
});

Deno.test("two examples pin x = y = 1 from any start", () => {
  for (const start of [{ x: 0, y: 0 }, { x: 3, y: -1 }, { x: -1, y: 3 }]) {
    const end = gradientDescent(TWO, { start, learningRate: 0.05, steps: 400 }).at(-1)!;
    assert.ok(Math.abs(end.x - 1) < 1e-6 && Math.abs(end.y - 1) < 1e-6, `end (${end.x}, ${end.y})`);
  }
});

Deno.test("learning rate: too small crawls, too large diverges", () => {
  const slow = gradientDescent(ONE, { learningRate: 0.001, steps: 50 }).at(-1)!;
  const good = gradientDescent(ONE, { learningRate: 0.05, steps: 50 }).at(-1)!;
  const wild = gradientDescent(ONE, { learningRate: 0.21, steps: 50 }).at(-1)!;
  assert.ok(slow.loss > 1 && good.loss < 1e-6 && wild.loss > 1e3, `${slow.loss} ${good.loss} ${wild.loss}`);
});

Deno.test("gradientDescent returns steps + 1 points starting at the start", () => {
  const path = gradientDescent(ONE, { start: { x: 2, y: 2 }, steps: 7 });
  assert.equal(path.length, 8);
  assert.deepEqual(path[0], { x: 2, y: 2, loss: 9 });
});

Deno.test("lossGrid is zero on the valley and rows run along y", () => {
  const g = lossGrid(ONE, [-1, 3], 5); // values -1, 0, 1, 2, 3
  assert.equal(g.z[2][2], 0); // y = 1, x = 1: 1 + 2 = 3
  assert.equal(g.z[1][4], 0); // y = 0, x = 3
  assert.equal(g.z[4][1], 9); // y = 3, x = 0: 0 + 6 = 6, (6 - 3)² = 9
  assert.equal(g.z[0][0], loss({ x: -1, y: -1 }, ONE));
  assert.equal(g.z[4][0], loss({ x: -1, y: 3 }, ONE));
});

Deno.test("surfaceFigure and contourFigure draw each example's valley line and the paths", () => {
  const path = gradientDescent(TWO, { steps: 5 });
  const fig3d = surfaceFigure(TWO, { paths: [{ name: "p", points: path }], title: "t" });
  assert.deepEqual(fig3d.data.map((t) => t.type), ["surface", "scatter3d", "scatter3d", "scatter3d"]);
  assert.deepEqual([fig3d.data[1].x, fig3d.data[1].y, fig3d.data[1].z], [[-1, 3], [2, 0], [0, 0]]); // x + 2y = 3
  assert.deepEqual([fig3d.data[2].x, fig3d.data[2].y], [[0, 2], [3, -1]]); // 2x + y = 3
  assert.equal(fig3d.data[2].name, "上早 → 好: 2x + 1y = 3");
  assert.deepEqual(fig3d.data[3].z, path.map((p) => p.loss));
  const fig2d = contourFigure(ONE, { paths: [{ name: "p", points: path }], range: [0, 2] });
  assert.deepEqual(fig2d.data.map((t) => t.type), ["contour", "scatter", "scatter"]);
  assert.deepEqual([fig2d.data[1].x, fig2d.data[1].y], [[0, 2], [1.5, 0.5]]); // x + 2y = 3 inside [0, 2]²
  assert.deepEqual(fig2d.data[2].x, path.map((p) => p.x));
  assert.throws(() => contourFigure([]), { name: "RangeError" });
});

Deno.test("contourFigure with panels puts each path in its own subplot and lists each valley once", () => {
  const paths = [0.01, 0.1, 0.23].map((learningRate) => ({
    name: `η = ${learningRate}`,
    points: gradientDescent(TWO, { learningRate, steps: 10 }),
  }));
  const fig = contourFigure(TWO, { paths, panels: true });
  assert.equal(fig.data.length, 3 * 4); // per panel: contour, two valleys, one path
  assert.deepEqual(fig.data.filter((t) => t.type === "contour").map((t) => [t.xaxis, t.yaxis]), [
    ["x", "y"],
    ["x2", "y2"],
    ["x3", "y3"],
  ]);
  assert.deepEqual(fig.data.filter((t) => t.mode === "lines+markers").map((t) => t.name), paths.map((p) => p.name));
  assert.equal(fig.data.filter((t) => t.mode === "lines" && t.showlegend).length, 2);
  assert.deepEqual(fig.layout.grid, { rows: 2, columns: 2, pattern: "independent" });
  assert.equal((fig.layout.yaxis3 as { scaleanchor: string }).scaleanchor, "x3");
  assert.equal(contourFigure(TWO, { paths: paths.slice(0, 1), panels: true }).layout.grid, undefined);
});

Deno.test("zao_shang_hao functions reject bad arguments with clear messages", () => {
  assert.throws(() => encodeExample("早", "好"), {
    name: "RangeError",
    message: 'Cannot encode the prompt as it must be two characters: current value is "早"',
  });
  assert.throws(() => encodeExample("早上", "好好"), {
    name: "RangeError",
    message: 'Cannot encode the answer as it must be one character: current value is "好好"',
  });
  assert.throws(() => encodeExample("晚上", "好"), {
    name: "RangeError",
    message: 'Cannot encode "晚" as it has no number: known characters are 早 上 好 坏',
  });
  assert.throws(() => loss({ x: 0, y: 0 }, []), {
    name: "RangeError",
    message: "Cannot compute the loss as examples must be a non-empty array: current value is ",
  });
  assert.throws(() => gradient({ x: 0, y: 0 }, []), {
    name: "RangeError",
    message: "Cannot compute the gradient as examples must be a non-empty array: current value is ",
  });
  assert.throws(() => gradientDescent([]), {
    name: "RangeError",
    message: "Cannot run gradient descent as examples must be a non-empty array: current value is ",
  });
  assert.throws(() => gradientDescent(ONE, { learningRate: 0 }), {
    name: "RangeError",
    message: "Cannot run gradient descent as learningRate must be a positive number: current value is 0",
  });
  assert.throws(() => gradientDescent(ONE, { steps: 1.5 }), {
    name: "RangeError",
    message: "Cannot run gradient descent as steps must be a positive integer: current value is 1.5",
  });
  assert.throws(() => gradientDescent(ONE, { start: { x: NaN, y: 0 } }), {
    name: "RangeError",
    message: "Cannot run gradient descent as the start must be finite: current value is (NaN, 0)",
  });
  assert.throws(() => lossGrid([]), {
    name: "RangeError",
    message: "Cannot compute a loss grid as examples must be a non-empty array: current value is ",
  });
  assert.throws(() => lossGrid(ONE, [1, 1]), {
    name: "RangeError",
    message: "Cannot compute a loss grid as the range must have lo < hi: current value is [1,1]",
  });
  assert.throws(() => lossGrid(ONE, [0, 1], 1), {
    name: "RangeError",
    message: "Cannot compute a loss grid as n must be an integer >= 2: current value is 1",
  });
});
