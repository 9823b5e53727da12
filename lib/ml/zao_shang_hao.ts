/**
 * The article's 早上好 example as a two-parameter learning problem (notebook 01's worked example of 机器如何进行学习),
 * with its loss-landscape figures.
 *
 * Characters stand for numbers (早 = 1, 上 = 2, 好 = 3, 坏 = 4). A "model" with two parameters x and y reads a
 * two-character prompt (a, b) and predicts `a·x + b·y`. Training means finding x and y that make the predictions
 * match the wanted characters; the loss is the mean squared error over the training examples.
 *
 * @module
 */
import { type Figure, figure, type Layout, type Trace } from "../plot/figure.ts";
import { subplots } from "../plot/subplots.ts";
import { checkInteger, checkPositive, checkPositiveInteger } from "../core/validate.ts";

/** The article's characters and the numbers it gives them. */
export const CHAR_VALUES: Readonly<Record<string, number>> = Object.freeze({ 早: 1, 上: 2, 好: 3, 坏: 4 });

/** One training example: the prompt's two numbers and the number of the wanted answer. */
export interface Example {
  /** Value of the first character (multiplied by x). */
  a: number;
  /** Value of the second character (multiplied by y). */
  b: number;
  /** Value of the character the model should output. */
  target: number;
  /** Human-readable form, e.g. "早上 → 好". */
  label: string;
}

/** Parameters of the model: prediction = a·x + b·y. */
export interface Params {
  x: number;
  y: number;
}

/** One step of a descent path: the parameters and the loss there. */
export interface PathPoint extends Params {
  loss: number;
}

/** Options of {@link gradientDescent}. */
export interface DescentOptions {
  /** Where to start (default x = 0, y = 0). */
  start?: Params;
  /** Step size (default 0.05). */
  learningRate?: number;
  /** Number of updates (default 100). */
  steps?: number;
}

function charValue(ch: string): number {
  const v = CHAR_VALUES[ch];
  if (v === undefined) {
    throw new RangeError(
      `Cannot encode "${ch}" as it has no number: known characters are ${Object.keys(CHAR_VALUES).join(" ")}`,
    );
  }
  return v;
}

/**
 * Turns a prompt of two characters and an answer character into an {@link Example}.
 *
 * @param prompt Two characters from {@link CHAR_VALUES}, e.g. "早上".
 * @param answer One character from {@link CHAR_VALUES}, e.g. "好".
 * @returns The example (a = 1, b = 2, target = 3 for 早上 → 好).
 * @throws {RangeError} When the prompt is not two known characters or the answer not one.
 * @example
 * ```ts
 * import { encodeExample } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(encodeExample("早上", "好"), { a: 1, b: 2, target: 3, label: "早上 → 好" });
 * ```
 */
export function encodeExample(prompt: string, answer: string): Example {
  const chars = [...prompt];
  if (chars.length !== 2) {
    throw new RangeError(`Cannot encode the prompt as it must be two characters: current value is "${prompt}"`);
  }
  if ([...answer].length !== 1) {
    throw new RangeError(`Cannot encode the answer as it must be one character: current value is "${answer}"`);
  }
  return { a: charValue(chars[0]), b: charValue(chars[1]), target: charValue(answer), label: `${prompt} → ${answer}` };
}

/**
 * The model's output for one example: `a·x + b·y`.
 *
 * @example
 * ```ts
 * import { encodeExample, predict } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * assert.equal(predict({ x: 2, y: 1 }, encodeExample("早上", "坏")), 4);
 * ```
 */
export function predict(params: Params, example: Pick<Example, "a" | "b">): number {
  return example.a * params.x + example.b * params.y;
}

function checkExamples(examples: readonly Example[], action: string): void {
  if (!Array.isArray(examples) || examples.length === 0) {
    throw new RangeError(`Cannot ${action} as examples must be a non-empty array: current value is ${examples}`);
  }
}

/**
 * Mean squared error of the model over the examples.
 *
 * @param params x and y.
 * @param examples At least one example.
 * @returns mean over examples of (a·x + b·y − target)².
 * @throws {RangeError} When there are no examples.
 * @example
 * ```ts
 * import { encodeExample, loss } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * assert.equal(loss({ x: 1, y: 1 }, [encodeExample("早上", "好")]), 0);
 * assert.equal(loss({ x: 0, y: 0 }, [encodeExample("早上", "好")]), 9);
 * ```
 */
export function loss(params: Params, examples: readonly Example[]): number {
  checkExamples(examples, "compute the loss");
  let sum = 0;
  for (const e of examples) sum += (predict(params, e) - e.target) ** 2;
  return sum / examples.length;
}

/**
 * Gradient of {@link loss} with respect to x and y, derived by hand: d/dx = mean(2·err·a), d/dy = mean(2·err·b).
 *
 * @param params x and y.
 * @param examples At least one example.
 * @returns `{ x: dLoss/dx, y: dLoss/dy }`.
 * @throws {RangeError} When there are no examples.
 * @example
 * ```ts
 * import { encodeExample, gradient } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(gradient({ x: 0, y: 0 }, [encodeExample("早上", "好")]), { x: -6, y: -12 });
 * ```
 */
export function gradient(params: Params, examples: readonly Example[]): Params {
  checkExamples(examples, "compute the gradient");
  let gx = 0, gy = 0;
  for (const e of examples) {
    const err = predict(params, e) - e.target;
    gx += 2 * err * e.a;
    gy += 2 * err * e.b;
  }
  return { x: gx / examples.length, y: gy / examples.length };
}

/**
 * Gradient descent on x and y: repeatedly step against the gradient of the loss.
 *
 * @param examples The training data.
 * @param options Start point, learning rate, steps.
 * @returns The path, `steps + 1` points from the start to the end, each with its loss.
 * @throws {RangeError} When there are no examples, the learning rate is not a positive number, steps is not a
 * positive integer, or the start is not finite.
 * @example
 * ```ts
 * import { encodeExample, gradientDescent } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * const data = [encodeExample("早上", "好"), encodeExample("上早", "好")];
 * const end = gradientDescent(data, { learningRate: 0.05, steps: 500 }).at(-1)!;
 * assert.ok(Math.abs(end.x - 1) < 1e-6 && Math.abs(end.y - 1) < 1e-6);
 * ```
 */
export function gradientDescent(examples: readonly Example[], options: DescentOptions = {}): PathPoint[] {
  checkExamples(examples, "run gradient descent");
  const { start = { x: 0, y: 0 }, learningRate = 0.05, steps = 100 } = options;
  checkPositive(learningRate, "learningRate", "run gradient descent");
  checkPositiveInteger(steps, "steps", "run gradient descent");
  if (!Number.isFinite(start.x) || !Number.isFinite(start.y)) {
    throw new RangeError(
      `Cannot run gradient descent as the start must be finite: current value is (${start.x}, ${start.y})`,
    );
  }
  let p: Params = { ...start };
  const path: PathPoint[] = [{ ...p, loss: loss(p, examples) }];
  for (let t = 0; t < steps; t++) {
    const g = gradient(p, examples);
    p = { x: p.x - learningRate * g.x, y: p.y - learningRate * g.y };
    path.push({ ...p, loss: loss(p, examples) });
  }
  return path;
}

/**
 * The loss on a grid of (x, y), for surface and contour plots.
 *
 * @param examples The training data.
 * @param range `[lo, hi]` used for both x and y (default [-1, 3]).
 * @param n Grid points per axis, at least 2 (default 41).
 * @returns `xs`, `ys` (n values each) and `z[i][j]` = loss at (xs[j], ys[i]) (row = y, as plotly expects).
 * @throws {RangeError} When the range is empty or n < 2.
 * @example
 * ```ts
 * import { encodeExample, lossGrid } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * const g = lossGrid([encodeExample("早上", "好")], [0, 2], 3);
 * assert.deepEqual(g.xs, [0, 1, 2]);
 * assert.equal(g.z[1][1], 0); // x = y = 1
 * ```
 */
export function lossGrid(
  examples: readonly Example[],
  range: [number, number] = [-1, 3],
  n = 41,
): { xs: number[]; ys: number[]; z: number[][] } {
  checkExamples(examples, "compute a loss grid");
  if (!(range[1] > range[0])) {
    throw new RangeError(`Cannot compute a loss grid as the range must have lo < hi: current value is [${range}]`);
  }
  checkInteger(n, "n", "compute a loss grid", 2);
  const xs = Array.from({ length: n }, (_, i) => range[0] + (i * (range[1] - range[0])) / (n - 1));
  const z = xs.map((y) => xs.map((x) => loss({ x, y }, examples)));
  return { xs, ys: [...xs], z };
}

/** A descent path to draw, with its legend name. */
export interface NamedPath {
  /** Legend name, e.g. "start (-1, 3)". */
  name: string;
  /** The points, as {@link gradientDescent} returns them. */
  points: readonly PathPoint[];
}

/** Options of {@link surfaceFigure} and {@link contourFigure}. */
export interface LandscapeOptions {
  /** Paths drawn on the landscape. */
  paths?: readonly NamedPath[];
  /** `[lo, hi]` for both x and y (default [-1, 3]). */
  range?: [number, number];
  /** Chart title. */
  title?: string;
}

/** The zero-error line a·x + b·y = target of an example, clipped to the square range (empty when it misses it). */
function valleyLine(e: Example, [lo, hi]: [number, number]): { x: number[]; y: number[] } {
  const pts: [number, number][] = [];
  for (const x of [lo, hi]) {
    const y = (e.target - e.a * x) / e.b;
    if (e.b !== 0 && y >= lo && y <= hi) pts.push([x, y]);
  }
  for (const y of [lo, hi]) {
    const x = (e.target - e.b * y) / e.a;
    if (e.a !== 0 && x >= lo && x <= hi) pts.push([x, y]);
  }
  pts.sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const ends = pts.length ? [pts[0], pts.at(-1)!] : [];
  return { x: ends.map((p) => p[0]), y: ends.map((p) => p[1]) };
}

/**
 * The loss surface in 3-D with each example's zero-error line (its "valley") on the floor and descent paths on top.
 *
 * @param examples The training data whose mean squared error is drawn.
 * @param options Paths, range, title.
 * @returns A plotly figure (surface, one line per example, one line per path).
 * @throws {RangeError} As {@link lossGrid}.
 * @example
 * ```ts
 * import { encodeExample, gradientDescent, surfaceFigure } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * const data = [encodeExample("早上", "好")];
 * const fig = surfaceFigure(data, { paths: [{ name: "from 0", points: gradientDescent(data) }] });
 * assert.deepEqual(fig.data.map((t) => t.type), ["surface", "scatter3d", "scatter3d"]);
 * ```
 */
export function surfaceFigure(examples: readonly Example[], options: LandscapeOptions = {}): Figure {
  const range = options.range ?? [-1, 3];
  const g = lossGrid(examples, range, 41);
  const surface = {
    type: "surface",
    x: g.xs,
    y: g.ys,
    z: g.z,
    name: "loss",
    colorscale: "Viridis",
    opacity: 0.8,
    showscale: false,
    contours: { z: { show: true, usecolormap: true, project: { z: true } } },
  };
  const valleys = examples.map((e) => {
    const line = valleyLine(e, range);
    const name = `${e.label}: ${e.a}x + ${e.b}y = ${e.target}`;
    return { type: "scatter3d", mode: "lines", ...line, z: line.x.map(() => 0), name, line: { width: 6 } };
  });
  const paths = (options.paths ?? []).map((p) => ({
    type: "scatter3d",
    mode: "lines+markers",
    name: p.name,
    x: p.points.map((q) => q.x),
    y: p.points.map((q) => q.y),
    z: p.points.map((q) => q.loss),
    marker: { size: 3 },
  }));
  const axis = (text: string) => ({ title: { text } });
  const scene = {
    xaxis: axis("x"),
    yaxis: axis("y"),
    zaxis: axis("loss"),
    camera: { eye: { x: 1.5, y: -1.6, z: 0.9 } },
  };
  return figure([surface, ...valleys, ...paths], { title: { text: options.title ?? "" }, scene, height: 560 });
}

/** Options of {@link contourFigure}. */
export interface ContourOptions extends LandscapeOptions {
  /** Draw each path in its own panel (two per row), titled by the path's name, to compare paths that would hide each other. */
  panels?: boolean;
}

/**
 * The loss seen from above: contour lines (of log(1 + loss)), each example's valley line, and descent paths, in
 * one panel or one panel per path.
 *
 * @param examples The training data whose mean squared error is drawn.
 * @param options Paths, range, title, panels.
 * @returns A plotly figure with equal x and y scales.
 * @throws {RangeError} As {@link lossGrid}.
 * @example
 * ```ts
 * import { contourFigure, encodeExample, gradientDescent } from "@lib/ml/zao_shang_hao.ts";
 * import assert from "node:assert/strict";
 * const data = [encodeExample("早上", "好"), encodeExample("上早", "好")];
 * assert.deepEqual(contourFigure(data).data.map((t) => t.type), ["contour", "scatter", "scatter"]);
 * const paths = [0.05, 0.2].map((learningRate) => ({ name: `${learningRate}`, points: gradientDescent(data, { learningRate }) }));
 * const fig = contourFigure(data, { paths, panels: true });
 * assert.deepEqual(fig.data.map((t) => t.xaxis), ["x", "x", "x", "x", "x2", "x2", "x2", "x2"]);
 * assert.deepEqual((fig.layout.annotations as { text: string }[]).map((a) => a.text), ["0.05", "0.2"]);
 * ```
 */
export function contourFigure(examples: readonly Example[], options: ContourOptions = {}): Figure {
  const range = options.range ?? [-1, 3];
  const g = lossGrid(examples, range, 81);
  const z = g.z.map((row) => row.map(Math.log1p));
  const paths = options.paths ?? [];
  const groups = options.panels && paths.length > 1 ? paths.map((p) => [p]) : [paths];
  const panels = groups.map((group, k) =>
    figure([
      { type: "contour", x: g.xs, y: g.ys, z, showscale: false, colorscale: LIGHT, ncontours: 25 },
      ...examples.map((e, i) => valleyTrace(e, range, i, k === 0)),
      ...group.map(pathTrace2d),
    ], {
      title: { text: groups.length > 1 ? group[0].name : "" }, // a panel is titled by its path's name
      xaxis: { range, title: { text: "x" } },
      yaxis: { range, title: { text: "y" }, scaleanchor: "x" },
    })
  );
  const columns = Math.min(2, panels.length), rows = Math.ceil(panels.length / columns);
  const layout: Layout = {
    title: { text: options.title ?? "" },
    width: columns === 1 ? 640 : 900,
    height: rows === 1 ? 580 : 60 + 400 * rows,
  };
  return panels.length === 1 ? figure(panels[0].data, { ...panels[0].layout, ...layout }) : subplots(panels, 2, layout);
}

/** Contour colours: white at the lowest loss, light blue at the highest. */
const LIGHT: [number, string][] = [[0, "#ffffff"], [1, "#9ecae1"]];

function valleyTrace(e: Example, range: [number, number], i: number, showlegend: boolean): Trace {
  const name = `${e.label}: ${e.a}x + ${e.b}y = ${e.target}`;
  const line = { dash: "dot", color: ["#e6550d", "#31a354", "#756bb1"][i % 3] };
  return { type: "scatter", mode: "lines", ...valleyLine(e, range), name, line, legendgroup: name, showlegend };
}

function pathTrace2d(p: NamedPath): Trace {
  const x = p.points.map((q) => q.x), y = p.points.map((q) => q.y);
  return { type: "scatter", mode: "lines+markers", name: p.name, x, y, marker: { size: 5 } };
}
