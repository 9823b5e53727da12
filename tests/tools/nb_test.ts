import assert from "node:assert/strict";
import { join } from "node:path";
import {
  findPython,
  formatFailure,
  type NotebookResult,
  parseNbArgs,
  resolveNotebooks,
  runNotebook,
  stripAnsi,
} from "../../tools/nb.ts";
import { REPO_ROOT } from "../../tools/kernelspec.ts";

const FIXTURES = join(REPO_ROOT, "tests", "fixtures");
const OUT = join(REPO_ROOT, "build", "test-notebooks");
const python = await findPython();
const inCi = Deno.env.get("CI") === "true";
const noJupyter = python === null && !inCi;
if (noJupyter) console.warn("Skipping notebook runner tests: no Python with nbclient (CI=true makes this a failure)");

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
  execution_count?: number;
}
interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: Output[];
  execution_count?: number | null;
}

async function executedCells(result: NotebookResult): Promise<Cell[]> {
  const nb = JSON.parse(await Deno.readTextFile(result.output));
  return (nb.cells as Cell[]).filter((c) => c.cell_type === "code");
}

const join1 = (t: string | string[] | undefined) => Array.isArray(t) ? t.join("") : t ?? "";
const streamText = (cell: Cell, name = "stdout") =>
  (cell.outputs ?? []).filter((o) => o.output_type === "stream" && o.name === name).map((o) => join1(o.text)).join("");
const plain = (o: Output) => join1(o.data?.["text/plain"]);

Deno.test({
  name: "runNotebook keeps every output printed or displayed at the very end of a cell",
  ignore: noJupyter,
  async fn() {
    const source = join(FIXTURES, "outputs_race.ipynb");
    const before = await Deno.readTextFile(source);
    const result = await runNotebook(source, { outDir: OUT });
    assert.equal(result.ok, true, formatFailure(result));
    assert.equal(await Deno.readTextFile(source), before, "the source notebook must not change");
    const cells = await executedCells(result);
    assert.deepEqual(cells.map((c) => c.execution_count), [1, 2, 3, 4, 5, 6, 7]);
    const [endLines, many, streams, display, updated, result42, tail] = cells;
    assert.equal(streamText(endLines), "end-line 0\nend-line 1\nend-line 2\n");
    assert.equal(streamText(many), Array.from({ length: 500 }, (_, i) => `many ${i}\n`).join(""));
    assert.equal(streamText(streams), "stdout-last\n");
    assert.equal(streamText(streams, "stderr"), "stderr-last\n");
    assert.deepEqual(display.outputs!.map((o) => o.output_type), ["display_data", "stream"]);
    assert.equal(plain(display.outputs![0]), "awaited-display");
    assert.equal(streamText(display), "log-after-display\n");
    const bars = updated.outputs!.filter((o) => o.output_type === "display_data");
    assert.deepEqual(bars.map(plain), ["bar 5/5"], "the display must hold its last in-place update");
    assert.equal(streamText(updated), "updates-sent\n");
    assert.equal(streamText(result42), "before-result\n");
    const results = result42.outputs!.filter((o) => o.output_type === "execute_result");
    assert.deepEqual(results.map(plain), ['"result-42"']);
    const tailLines = Array.from({ length: 200 }, (_, i) => `tail ${i}\n`).join("");
    assert.equal(streamText(tail), tailLines + "mode-quick\n");
    assert.ok(!JSON.stringify(cells).includes("liandan-fence"), "fence tokens must not reach the notebook");
    assert.equal(result.fenceGaveUp, 0, "every fence saw its tokens");
    assert.equal(result.slowest.length, 3, "the three slowest code cells are reported");
    const all = JSON.parse(await Deno.readTextFile(result.output)).cells as { cell_type: string }[];
    for (const c of result.slowest) {
      assert.equal(all[c.index]?.cell_type, "code", `slowest names a code cell of the notebook: ${c.index}`);
      assert.ok(c.seconds > 0 && c.seconds < result.seconds && c.fenceSeconds <= c.seconds, JSON.stringify(c));
    }
    assert.ok(result.slowest.every((c, i) => i === 0 || c.seconds <= result.slowest[i - 1].seconds), "slowest first");
  },
});

Deno.test({
  name: "runNotebook runs quick mode by default, full mode on request, in the notebook's folder without colours",
  ignore: noJupyter,
  async fn() {
    const path = join(FIXTURES, "env.ipynb");
    const quick = await runNotebook(path, { outDir: OUT });
    assert.equal(quick.ok, true, formatFailure(quick));
    assert.equal(streamText((await executedCells(quick))[0]), `quick=1\nno_color=1\ncwd=${FIXTURES}\n`);
    const full = await runNotebook(path, { outDir: OUT, full: true });
    assert.equal(full.ok, true, formatFailure(full));
    assert.match(streamText((await executedCells(full))[0]), /^quick=unset\n/);
  },
});

Deno.test({
  name: "runNotebook reports the failing cell's source and its error without ANSI codes",
  ignore: noJupyter,
  async fn() {
    const result = await runNotebook(join(FIXTURES, "failing_cell.ipynb"), { outDir: OUT });
    assert.equal(result.ok, false);
    assert.equal(result.executed, 1);
    assert.equal(result.error?.kind, "cell");
    assert.equal(result.error?.cell_index, 2);
    assert.match(result.error?.source ?? "", /if \(answer !== 42\)/);
    assert.equal(result.error?.ename, "RangeError");
    assert.equal(result.error?.evalue, "fixture-failure: answer is 41");
    assert.match(result.error?.traceback ?? "", /fixture-failure/);
    const text = formatFailure(result);
    assert.ok(!text.includes("\x1b"), "no ANSI codes in the failure report");
    assert.match(text, /--- cell 2 ---\nconst answer = 41;/);
    const cells = await executedCells(result);
    assert.equal(streamText(cells[0]), "first-ok\n");
    assert.ok(!JSON.stringify(cells).includes('"never-runs\\n"'), "cells after the failure must not run");
  },
});

Deno.test({
  name: "runNotebook stops a notebook that runs past its timeout",
  ignore: noJupyter,
  async fn() {
    const started = performance.now();
    const result = await runNotebook(join(FIXTURES, "slow.ipynb"), { outDir: OUT, timeoutS: 3 });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, "timeout");
    assert.match(result.error?.message ?? "", /ran past its 3 s timeout/);
    assert.ok(performance.now() - started < 40_000, "the 60 s cell must be cut short");
  },
});

Deno.test("runNotebook explains how to install nbclient when the Python is missing", async () => {
  const result = await runNotebook(join(FIXTURES, "trivial.ipynb"), { outDir: OUT, python: "/nonexistent/python3" });
  assert.equal(result.ok, false);
  assert.equal(result.error?.kind, "missing");
  assert.match(result.error?.message ?? "", /pip install nbclient/);
  assert.match(result.error?.message ?? "", /apt install python3-nbclient/);
  assert.equal(await findPython(["/nonexistent/python3"]), null);
  assert.equal(await findPython(undefined, "a_module_no_python_has"), null);
});

Deno.test("runNotebook rejects a non-positive timeout", async () => {
  await assert.rejects(() => runNotebook(join(FIXTURES, "trivial.ipynb"), { timeoutS: 0 }), {
    name: "RangeError",
    message: "Cannot run a notebook as timeoutS must be a positive number: current value is 0",
  });
});

Deno.test("resolveNotebooks matches names by prefix, exactly first, and lists all in order", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const n of ["10_x", "00_welcome", "01_a", "01_b", "00_welcome_extra"]) {
      await Deno.writeTextFile(join(dir, `${n}.ipynb`), "{}");
    }
    await Deno.writeTextFile(join(dir, "notes.md"), "");
    await Deno.writeTextFile(join(dir, "_tmp_00_welcome.ipynb"), "{}");
    const names = async (args: string[]) => (await resolveNotebooks(args, dir)).map((p) => p.slice(dir.length + 1));
    assert.deepEqual(await names([]), [
      "00_welcome.ipynb",
      "00_welcome_extra.ipynb",
      "01_a.ipynb",
      "01_b.ipynb",
      "10_x.ipynb",
    ]);
    assert.deepEqual(await names(["00_welcome"]), ["00_welcome.ipynb"]);
    assert.deepEqual(await names(["00_welcome.ipynb"]), ["00_welcome.ipynb"]);
    assert.deepEqual(await names(["01", "10"]), ["01_a.ipynb", "01_b.ipynb", "10_x.ipynb"]);
    await assert.rejects(() => resolveNotebooks(["zz"], dir), {
      name: "RangeError",
      message: `Cannot find a notebook as no name in ${dir} starts with "zz": available are 00_welcome.ipynb, ` +
        "00_welcome_extra.ipynb, 01_a.ipynb, 01_b.ipynb, 10_x.ipynb",
    });
    const fixture = join(FIXTURES, "trivial.ipynb");
    assert.deepEqual(await resolveNotebooks([fixture], dir), [fixture]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("parseNbArgs reads names, --full, --timeout and --out, and rejects unknown flags", () => {
  assert.deepEqual(parseNbArgs([]), { names: [], full: false });
  assert.deepEqual(parseNbArgs(["00", "01_kinds", "--full"]), { names: ["00", "01_kinds"], full: true });
  assert.equal(parseNbArgs(["--out=/tmp/x"]).outDir, "/tmp/x");
  assert.throws(() => parseNbArgs(["--fast"]), {
    name: "RangeError",
    message: "Cannot parse the arguments as --fast is not a known flag: expected --full, --quick, --smoke, --all, " +
      "--report, --lang=L, --jobs=N, --timeout=S or --out=DIR",
  });
  assert.throws(() => parseNbArgs(["--timeout=-1"]), {
    name: "RangeError",
    message: "Cannot parse --timeout as it must be a positive number of seconds: current value is --timeout=-1",
  });
});

Deno.test("stripAnsi removes colour codes and leaves plain text alone", () => {
  assert.equal(stripAnsi("\x1b[1;31mRangeError\x1b[0m: x \x1b[38;5;245m(1ms)\x1b[0m"), "RangeError: x (1ms)");
  assert.equal(stripAnsi("早上好 100%"), "早上好 100%");
});
