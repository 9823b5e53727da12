/**
 * Exercise checks: run a learner's function against cases and a reference, and show in the notebook a pass mark or a
 * hint (which case failed, its input, expected against got, and a nudge toward the idea, never the solution).
 *
 * Handles numbers, strings, arrays and records (compared with a tolerance), tensors (shape, dtype, then values),
 * async answers (raced against a time limit) and trained models (a metric against a threshold). A wrong type or shape,
 * a throw, NaN, an unresolved Promise, a missing `return`, or the reference function handed back is explained in the
 * catalog's words, never with a stack trace. Each case is printed before it runs, so that a learner who interrupts a
 * hang sees its input. {@link check} returns the function the cells below should use: the learner's once it passes,
 * the reference until then (and it says so), so a notebook runs to its end with the exercise unsolved.
 *
 * @module
 */
import { DISPLAY, type Displayable, escapeHtml, formatNumber, type MimeBundle, show } from "../notebook/display.ts";
import { tf } from "../core/mod.ts";
import { hasMessage, message } from "./catalog.ts";

// deno-lint-ignore no-explicit-any
type AnyFunction = (...args: any[]) => unknown;

/** One case: the arguments, and how to print them when they are long (e.g. "the 342 penguins"). */
export interface Case<A extends readonly unknown[] = readonly unknown[]> {
  /** The arguments the learner's function and the reference are called with. */
  args: A;
  /** Printed instead of the arguments. */
  label?: string;
}

/** What both kinds of exercise share. */
interface ExerciseBase<F extends AnyFunction> {
  /** Catalog prefix: `<id>.title` and `<id>.hint` must exist, e.g. `"03-gini"`. */
  id: string;
  /** The function's name in the notebook, for printing calls: `gini`. */
  name: string;
  /** The reference solution. */
  reference: F;
  /** Functions of lib that are the reference under another name: handed back, they are refused too. */
  equivalents?: readonly AnyFunction[];
  /** Milliseconds each case may take before it counts as hung (default {@link DEFAULT_TIMEOUT_MS}). */
  timeoutMs?: number;
}

/** An exercise graded case by case against the reference. */
export interface CaseExercise<F extends AnyFunction> extends ExerciseBase<F> {
  /** The cases, run in order; the first that fails is reported. A function makes them at check time (tensors), and
   * the tensors among their arguments are disposed afterwards. */
  cases: readonly Case<Parameters<F>>[] | (() => readonly Case<Parameters<F>>[]);
  /** Numbers match when |got − expected| ≤ tolerance · max(1, |expected|) (default 1e-6). */
  tolerance?: number;
  /**
   * Names a common mistake from a wrong answer: returns the catalog suffix of a more precise hint
   * (`"half"` for `<id>.hint.half`), or undefined for the general hint.
   */
  diagnose?: (got: unknown, expected: unknown, args: Parameters<F>) => string | undefined;
}

/** An exercise graded by a metric of what the learner's function builds (a trained model), against a threshold. */
export interface MetricExercise<F extends AnyFunction, C = unknown> extends ExerciseBase<F> {
  /** The metric's name as printed, e.g. "test accuracy". */
  metric: string;
  /** The least value that passes. */
  threshold: number;
  /** What the one run is given, as printed, e.g. "273 training penguins". */
  label: string;
  /** Runs the learner's (or the reference's) function on the context and measures the result. */
  score: (answer: F, context: C) => number | Promise<number>;
}

/** Either kind of exercise. */
export type Exercise<F extends AnyFunction, C = unknown> = CaseExercise<F> | MetricExercise<F, C>;

/** Milliseconds a case may take by default. */
export const DEFAULT_TIMEOUT_MS = 5000;

/** The error a student edition's stub throws; a check reads it as "not written yet". */
export class NotImplementedError extends Error {
  /** The exercise's id. */
  readonly exercise: string;

  /** @param exercise The exercise's id. */
  constructor(exercise: string) {
    super(`not implemented yet: ${exercise}`);
    this.name = "NotImplementedError";
    this.exercise = exercise;
  }
}

/**
 * The error a student edition's stub throws in place of the solution: `throw notImplemented("03-gini");`.
 *
 * @param exercise The exercise's id.
 * @returns The error, with the message `not implemented yet: <exercise>`.
 * @throws {TypeError} When the id is not a non-empty string.
 * @example
 * ```ts
 * import { notImplemented } from "@lib/exercises/check.ts";
 * import assert from "node:assert/strict";
 * assert.equal(notImplemented("03-gini").message, "not implemented yet: 03-gini");
 * ```
 */
export function notImplemented(exercise: string): NotImplementedError {
  if (typeof exercise !== "string" || exercise === "") {
    throw new TypeError(`Cannot make the stub's error as the exercise id must be a non-empty string: got ${exercise}`);
  }
  return new NotImplementedError(exercise);
}

/** Why an answer is not right yet. */
export interface Problem {
  /** Catalog id of the explanation, e.g. `"check.wrong_value"`. */
  reason: string;
  /** Its placeholder values. */
  values: Record<string, unknown>;
}

/** The verdict of a check, shown as a green pass mark or an amber "not yet" box. */
export class Verdict implements Displayable {
  /** True when every case passed (or the metric reached the threshold). */
  readonly passed: boolean;
  /** The exercise's id. */
  readonly exercise: string;
  /** The lines of the verdict, in the edition's language. */
  readonly lines: readonly string[];
  /** Why it failed: the catalog id of the explanation, or "" when it passed. */
  readonly reason: string;

  /**
   * @param exercise The exercise's id.
   * @param passed Whether it passed.
   * @param lines What to show.
   * @param reason The catalog id of the failure's explanation ("" on a pass).
   */
  constructor(exercise: string, passed: boolean, lines: readonly string[], reason = "") {
    this.exercise = exercise;
    this.passed = passed;
    this.lines = lines;
    this.reason = reason;
  }

  /** The verdict as text. */
  text(): string {
    return this.lines.join("\n");
  }

  /** MIME bundle: a coloured box in HTML, the lines as text. */
  [DISPLAY](): MimeBundle {
    const [bg, border] = this.passed ? ["#e9f7ef", "#2e7d32"] : ["#fff6e5", "#c77700"];
    const [head, ...rest] = this.lines;
    const hint = `${message("check.hint")}: `;
    const body = rest.map((l) => {
      const kind = l.startsWith(hint) ? "liandan-hint" : "liandan-line";
      return `<div class="${kind}" style="white-space:pre-wrap">${escapeHtml(l)}</div>`;
    }).join("");
    const data = `data-exercise="${
      escapeHtml(this.exercise)
    }" data-passed="${this.passed}" data-reason="${this.reason}"`;
    return {
      "text/plain": this.text(),
      "text/html": `<div class="liandan-check" ${data} style="background:${bg};border-left:4px solid ${border};` +
        `padding:6px 10px;font-family:sans-serif"><b>${escapeHtml(head)}</b>${body}</div>`,
    };
  }
}

/** Options of {@link runCheck} and {@link check}. */
export interface CheckOptions<C = unknown> {
  /** What a metric exercise's `score` is given (the data sets). */
  context?: C;
  /** Where the "case i/n" lines go before each case runs (default console.log). */
  log?: (line: string) => void;
}

/**
 * Checks an answer and returns the verdict, without showing it (tests use it; notebooks use {@link check}).
 *
 * @param exercise The exercise.
 * @param answer The learner's function.
 * @param options The context of a metric exercise, where case lines go.
 * @returns The verdict.
 * @throws {TypeError} When the exercise is malformed (no id, reference, cases or score) or its catalog entries are missing.
 * @example
 * ```ts
 * import { runCheck } from "@lib/exercises/check.ts";
 * import assert from "node:assert/strict";
 * const double = { id: "03-gini", name: "double", reference: (x: number) => 2 * x, cases: [{ args: [3] as [number] }] };
 * assert.equal((await runCheck(double, (x: number) => x + x, { log: () => {} })).passed, true);
 * assert.equal((await runCheck(double, (x: number) => x + 1, { log: () => {} })).reason, "check.wrong_value");
 * ```
 */
export async function runCheck<F extends AnyFunction, C = unknown>(
  exercise: Exercise<F, C>,
  answer: unknown,
  options: CheckOptions<C> = {},
): Promise<Verdict> {
  validateExercise(exercise);
  const log = options.log ?? ((line: string) => console.log(line));
  const title = message(`${exercise.id}.title`);
  const fail = (problem: Problem, where: string[] = [], hint = `${exercise.id}.hint`) => {
    const lines = [message("check.not_yet", { exercise: title }), ...where, message(problem.reason, problem.values)];
    const usesHint = !["check.not_function", "check.reference"].includes(problem.reason);
    if (usesHint) lines.push(`${message("check.hint")}: ${message(hint)}`);
    lines.push(message("check.uses_reference"));
    return new Verdict(exercise.id, false, lines, problem.reason);
  };
  if (typeof answer !== "function") {
    return fail({ reason: "check.not_function", values: { got: describeKind(answer) } });
  }
  if (answer === exercise.reference || (exercise.equivalents ?? []).includes(answer as AnyFunction)) {
    return fail({ reason: "check.reference", values: {} });
  }
  if ("cases" in exercise) {
    const cases = typeof exercise.cases === "function" ? exercise.cases() : exercise.cases;
    try {
      return await runCases(exercise, answer as F, cases, title, log, fail);
    } finally {
      if (typeof exercise.cases === "function") cases.forEach((c) => disposeTensors(c.args));
    }
  }
  return await runMetric(exercise, answer as F, options.context as C, title, log, fail);
}

type Fail = (problem: Problem, where?: string[], hint?: string) => Verdict;

async function runCases<F extends AnyFunction>(
  exercise: CaseExercise<F>,
  answer: F,
  cases: readonly Case<Parameters<F>>[],
  title: string,
  log: (line: string) => void,
  fail: Fail,
): Promise<Verdict> {
  const timeoutMs = exercise.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (cases.length === 0) {
    throw new TypeError(`Cannot run check "${exercise.id}" as its cases() gave none: give at least one`);
  }
  {
    const n = cases.length;
    for (const [k, c] of cases.entries()) {
      const input = c.label ?? callText(exercise.name, c.args);
      log(message("check.case", { exercise: title, i: k + 1, n, input }));
      const where = [
        `${message("check.failed_case", { i: k + 1, n })} · ${message("check.input")}: ${input}`,
      ];
      // Every tensor the reference and the answer make for this case, intermediates included, is freed at its end.
      tf.engine().startScope();
      try {
        const verdict = await runCase(exercise, answer, c, where, timeoutMs, fail);
        if (verdict !== null) return verdict;
      } finally {
        tf.engine().endScope();
      }
    }
    return new Verdict(exercise.id, true, [message("check.pass", { exercise: title, n })]);
  }
}

async function runCase<F extends AnyFunction>(
  exercise: CaseExercise<F>,
  answer: F,
  c: Case<Parameters<F>>,
  where: string[],
  timeoutMs: number,
  fail: Fail,
): Promise<Verdict | null> {
  const expected = await exercise.reference(...c.args);
  const got = await settle(() => answer(...c.args), timeoutMs);
  if ("problem" in got) return fail(got.problem, where);
  const problem = await compare(expected, got.value, exercise.tolerance ?? 1e-6, "");
  if (problem === null) return null;
  if (problem.reason === "check.wrong_value" || problem.reason === "check.wrong_type") {
    where.push(`${message("check.expected")}: ${await valueText(expected)}`);
    where.push(`${message("check.got")}: ${await valueText(got.value)}`);
  }
  const mistake = exercise.diagnose?.(got.value, expected, c.args);
  const hint = mistake && hasMessage(`${exercise.id}.hint.${mistake}`)
    ? `${exercise.id}.hint.${mistake}`
    : `${exercise.id}.hint`;
  return fail(problem, where, hint);
}

async function runMetric<F extends AnyFunction, C>(
  exercise: MetricExercise<F, C>,
  answer: F,
  context: C,
  title: string,
  log: (line: string) => void,
  fail: Fail,
): Promise<Verdict> {
  const timeoutMs = exercise.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  log(message("check.case", { exercise: title, i: 1, n: 1, input: exercise.label }));
  const where = [`${message("check.input")}: ${exercise.label}`];
  tf.engine().startScope();
  let scored: { value: unknown } | { problem: Problem };
  try {
    scored = await settle(() => exercise.score(answer, context), timeoutMs);
  } finally {
    tf.engine().endScope();
  }
  if ("problem" in scored) return fail(scored.problem, where);
  const value = scored.value;
  if (typeof value !== "number" || Number.isNaN(value)) {
    const reason = typeof value === "number" ? "NaN" : describeKind(value);
    return fail({ reason: "check.metric_not_number", values: { metric: exercise.metric, reason } }, where);
  }
  const values = { metric: exercise.metric, value: formatNumber(value), threshold: formatNumber(exercise.threshold) };
  if (value < exercise.threshold) return fail({ reason: "check.below_threshold", values }, where);
  return new Verdict(exercise.id, true, [message("check.pass_metric", { exercise: title, ...values })]);
}

/**
 * Checks an answer, shows the verdict, and returns the function the next cells should use: the answer once it passes,
 * else the reference.
 *
 * @param exercise The exercise (from the notebook's file in lib/exercises).
 * @param answer The learner's function.
 * @param options The context of a metric exercise; where case lines go.
 * @returns The learner's function when it passed, the reference otherwise.
 * @throws {TypeError} When the exercise itself is malformed.
 * @example
 * ```ts
 * import { check } from "@lib/exercises/check.ts";
 * import assert from "node:assert/strict";
 * const square = { id: "03-gini", name: "square", reference: (x: number) => x * x, cases: [{ args: [3] as [number] }] };
 * const mine = (x: number) => x ** 2;
 * assert.equal(await check(square, mine, { log: () => {} }), mine);
 * ```
 */
export async function check<F extends AnyFunction, C = unknown>(
  exercise: Exercise<F, C>,
  answer: unknown,
  options: CheckOptions<C> = {},
): Promise<F> {
  const verdict = await runCheck(exercise, answer, options);
  await show(verdict);
  return verdict.passed ? answer as F : exercise.reference;
}

function validateExercise<F extends AnyFunction, C>(exercise: Exercise<F, C>): void {
  if (typeof exercise !== "object" || exercise === null) {
    throw new TypeError(`Cannot run a check as the exercise must be an object: got ${describeKind(exercise)}`);
  }
  const { id, reference } = exercise;
  if (typeof id !== "string" || !hasMessage(`${id}.title`) || !hasMessage(`${id}.hint`)) {
    throw new TypeError(
      `Cannot run a check as exercise "${id}" has no title or hint in lib/exercises/catalog.ts: add "${id}.title" and "${id}.hint"`,
    );
  }
  if (typeof reference !== "function") {
    throw new TypeError(`Cannot run check "${id}" as its reference must be a function: got ${describeKind(reference)}`);
  }
  if ("cases" in exercise) {
    if (typeof exercise.cases !== "function" && (!Array.isArray(exercise.cases) || exercise.cases.length === 0)) {
      throw new TypeError(`Cannot run check "${id}" as it has no cases: give at least one`);
    }
  } else if (typeof (exercise as MetricExercise<F, C>).score !== "function") {
    throw new TypeError(`Cannot run check "${id}" as it has neither cases nor a score function`);
  }
}

/** Runs a function, awaiting its result within the time limit; turns a throw or a hang into a {@link Problem}. */
async function settle(run: () => unknown, timeoutMs: number): Promise<{ value: unknown } | { problem: Problem }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<"hung">((resolve) => timer = setTimeout(() => resolve("hung"), timeoutMs));
  try {
    const result = await Promise.race([Promise.resolve().then(run), hung]);
    if (result === "hung") return { problem: { reason: "check.timeout", values: { seconds: timeoutMs / 1000 } } };
    return { value: result };
  } catch (e) {
    if (e instanceof NotImplementedError) return { problem: { reason: "check.not_implemented", values: {} } };
    const error = e instanceof Error ? `${e.name}: ${e.message}` : `the value ${describeKind(e)}`;
    return { problem: { reason: "check.threw", values: { error: error.split("\n")[0] } } };
  } finally {
    clearTimeout(timer);
  }
}

/** A tensor seen by duck typing (lib/exercises does not import tfjs). */
interface TensorLike {
  shape: number[];
  dtype: string;
  data(): Promise<ArrayLike<number>>;
  dispose(): void;
  isDisposed?: boolean;
}

function isTensor(v: unknown): v is TensorLike {
  return typeof v === "object" && v !== null && Array.isArray((v as TensorLike).shape) &&
    typeof (v as TensorLike).dtype === "string" && typeof (v as TensorLike).data === "function";
}

function disposeTensors(v: unknown): void {
  if (isTensor(v)) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeTensors);
}

const where = (path: string) => (path ? message("check.where", { path }) : "");

/**
 * Compares an answer with the expected value: the first difference, or null when they match.
 *
 * @param expected The reference's result.
 * @param got The learner's result.
 * @param tolerance Relative tolerance for numbers (absolute below 1).
 * @param path Where in the value we are, e.g. `[2].x` ("" at the top).
 * @returns The problem, or null.
 * @example
 * ```ts
 * import { compare } from "@lib/exercises/check.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await compare({ x: 1, y: [2, 3] }, { x: 1, y: [2, 3 + 1e-9] }, 1e-6), null);
 * assert.equal((await compare([1, 2], [1, NaN], 1e-6))?.reason, "check.nan");
 * ```
 */
export async function compare(expected: unknown, got: unknown, tolerance: number, path = ""): Promise<Problem | null> {
  if (got === undefined && expected !== undefined) {
    return {
      reason: path ? "check.wrong_type" : "check.undefined",
      values: { expected: kindName(expected), got: "undefined", where: where(path) },
    };
  }
  if (typeof expected === "number") {
    if (typeof got !== "number") return typeProblem(expected, got, path);
    if (Number.isNaN(got) && !Number.isNaN(expected)) return { reason: "check.nan", values: { where: where(path) } };
    if (Number.isNaN(expected) && Number.isNaN(got)) return null;
    if (expected === got) return null;
    const ok = Math.abs(got - expected) <= tolerance * Math.max(1, Math.abs(expected));
    return ok ? null : valueProblem(expected, got, path);
  }
  if (isTensor(expected)) {
    if (!isTensor(got)) return typeProblem(expected, got, path);
    if (got.shape.length !== expected.shape.length || got.shape.some((d, i) => d !== expected.shape[i])) {
      return {
        reason: "check.wrong_shape",
        values: { expected: `[${expected.shape.join(", ")}]`, got: `[${got.shape.join(", ")}]`, where: where(path) },
      };
    }
    if (got.dtype !== expected.dtype) {
      return { reason: "check.wrong_dtype", values: { expected: expected.dtype, got: got.dtype, where: where(path) } };
    }
    let a: ArrayLike<number>, b: ArrayLike<number>;
    try {
      [a, b] = [await expected.data(), await got.data()];
    } catch (e) {
      return { reason: "check.reading_tensor", values: { error: (e as Error).message } };
    }
    for (let i = 0; i < a.length; i++) {
      const p = await compare(a[i], b[i], tolerance, `${path}[${unravel(i, expected.shape).join(", ")}]`);
      if (p !== null) {
        return p.reason === "check.wrong_value"
          ? { ...p, values: { ...p.values, expected: formatNumber(a[i]), got: formatNumber(b[i]) } }
          : p;
      }
    }
    return null;
  }
  if (Array.isArray(expected) || ArrayBuffer.isView(expected)) {
    const list = expected as ArrayLike<unknown>;
    if (!(Array.isArray(got) || (ArrayBuffer.isView(got) && !(got instanceof DataView)))) {
      return typeProblem(expected, got, path);
    }
    const other = got as unknown as ArrayLike<unknown>;
    if (other.length !== list.length) {
      return { reason: "check.wrong_length", values: { expected: list.length, got: other.length, where: where(path) } };
    }
    for (let i = 0; i < list.length; i++) {
      const p = await compare(list[i], other[i], tolerance, `${path}[${i}]`);
      if (p !== null) return p;
    }
    return null;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof got !== "object" || got === null || Array.isArray(got) || isTensor(got)) {
      return typeProblem(expected, got, path);
    }
    const keys = Object.keys(expected).sort(), gotKeys = Object.keys(got).sort();
    if (keys.join() !== gotKeys.join()) {
      return {
        reason: "check.wrong_keys",
        values: { expected: keys.join(", "), got: gotKeys.join(", ") || "none", where: where(path) },
      };
    }
    for (const key of keys) {
      const p = await compare(
        (expected as Record<string, unknown>)[key],
        (got as Record<string, unknown>)[key],
        tolerance,
        `${path}.${key}`,
      );
      if (p !== null) return p;
    }
    return null;
  }
  if (typeof got !== typeof expected) return typeProblem(expected, got, path);
  return Object.is(expected, got) ? null : valueProblem(expected, got, path);
}

function unravel(i: number, shape: number[]): number[] {
  const out: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    out.unshift(i % shape[d]);
    i = Math.floor(i / shape[d]);
  }
  return out;
}

function typeProblem(expected: unknown, got: unknown, path: string): Problem {
  return {
    reason: "check.wrong_type",
    values: { expected: kindName(expected), got: describeKind(got), where: where(path) },
  };
}

function valueProblem(expected: unknown, got: unknown, path: string): Problem {
  return { reason: "check.wrong_value", values: { expected: short(expected), got: short(got), where: where(path) } };
}

/** "a number", "an array", "a tensor", … for the expected kind. */
function kindName(v: unknown): string {
  if (isTensor(v)) return "a tensor";
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return "an array";
  if (v === null) return "null";
  if (typeof v === "object") return "a record (an object with named fields)";
  return typeof v === "undefined" ? "undefined" : `a ${typeof v}`;
}

/** What a value is, for messages: `the string "3"`, `a Promise`, `an array of 2 items`. */
function describeKind(v: unknown): string {
  if (v === undefined) return "undefined";
  if (v === null) return "null";
  if (typeof v === "string") return `the string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
  if (typeof v === "number" || typeof v === "boolean") return `the ${typeof v} ${String(v)}`;
  if (typeof v === "function") return `a function`;
  if (v instanceof Promise) return "a Promise (is an `await` missing?)";
  if (isTensor(v)) return `a tensor of shape [${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `an array of ${v.length} item${v.length === 1 ? "" : "s"}`;
  return typeof v === "object" ? `a record with keys ${Object.keys(v).join(", ") || "none"}` : typeof v;
}

function short(v: unknown): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  const text = Deno.inspect(v, { colors: false, depth: 3, compact: true, breakLength: Infinity, iterableLimit: 8 });
  return text.length > 120 ? `${text.slice(0, 117)}…` : text;
}

/** A value for the expected/got lines; tensors are read (their first values) rather than inspected. */
async function valueText(v: unknown): Promise<string> {
  if (isTensor(v)) {
    try {
      const values = Array.from(await v.data()).slice(0, 8).map(formatNumber);
      return `tensor [${v.shape.join(", ")}] ${v.dtype}: ${values.join(", ")}${
        v.shape.reduce((a, b) => a * b, 1) > 8 ? ", …" : ""
      }`;
    } catch {
      return `tensor [${v.shape.join(", ")}] ${v.dtype}`;
    }
  }
  return short(v);
}

/** `gini([3, 1])`: a call as the learner would write it, long arguments cut. */
function callText(name: string, args: readonly unknown[]): string {
  const text = `${name}(${args.map((a) => isTensor(a) ? `tensor [${a.shape.join(", ")}]` : short(a)).join(", ")})`;
  return text.length > 160 ? `${text.slice(0, 157)}…` : text;
}
