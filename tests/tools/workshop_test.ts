import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../../tools/kernelspec.ts";
import { NOTEBOOKS_DIR, resolveNotebooks } from "../../tools/nb.ts";
import {
  BEGIN_SOLUTION,
  buildEditions,
  cellText,
  editionPipeline,
  END_SOLUTION,
  makeEdition,
  type Notebook,
  parseWorkshopArgs,
  relocateImports,
  solutionBlocks,
  studentSource,
  writeProtected,
} from "../../tools/workshop.ts";

const sources = await resolveNotebooks([]);
const read = async (path: string) => JSON.parse(await Deno.readTextFile(path)) as Notebook;

async function withEditions(fn: (dir: string) => Promise<void>): Promise<void> {
  await Deno.mkdir(join(REPO_ROOT, "build"), { recursive: true });
  const dir = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "workshop-test-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The code with relative import specifiers resolved to absolute paths, so editions in other folders compare. */
function absoluteImports(text: string, dir: string): string {
  return text.replace(/(["'])(\.\.?\/[^"']+)\1/g, (_, q: string, spec: string) => `${q}${join(dir, spec)}${q}`);
}

Deno.test("notebooks 00–03 each have at least two exercises, each with a check cell after it", async () => {
  for (const path of sources.filter((p) => /\/0[0-3]_/.test(p))) {
    const nb = await read(path);
    const blocks = nb.cells.flatMap((
      c,
      i,
    ) => (c.cell_type === "code" ? solutionBlocks(cellText(c)).map((b) => ({ ...b, i })) : []));
    assert.ok(blocks.length >= 2, `${path}: ${blocks.length} exercises`);
    for (const b of blocks) {
      const next = nb.cells.slice(b.i + 1).find((c) => c.cell_type === "code")!;
      assert.match(cellText(next), /await check\(/, `${path}: the cell after exercise ${b.exercise} checks it`);
      assert.ok(
        nb.cells.slice(0, b.i).some((c) =>
          c.cell_type === "markdown" && cellText(c).includes(`Exercise ${b.exercise}`)
        ),
      );
    }
  }
});

Deno.test("student edition: stubs instead of solutions, no solution text leaks, every other line as in the source", async () => {
  await withEditions(async (dir) => {
    await buildEditions({ outDir: dir, force: true });
    for (const path of sources) {
      const name = path.slice(path.lastIndexOf("/") + 1);
      const source = await read(path);
      const student = await read(join(dir, "student", name));
      const instructor = await read(join(dir, "instructor", name));
      assert.deepEqual(student.cells.map((c) => c.id), source.cells.map((c) => c.id), `${name}: cell ids`);
      assert.deepEqual(instructor.cells.map((c) => c.id), source.cells.map((c) => c.id), `${name}: cell ids`);
      const studentText = JSON.stringify(student);
      assert.ok(!/BEGIN SOLUTION|END SOLUTION/.test(studentText), `${name}: markers left in the student edition`);
      const outside = new Set(
        source.cells.flatMap((c) => cellText(c).split("\n")).filter((l) => !BEGIN_SOLUTION.test(l)).map((l) =>
          l.trim()
        ),
      );
      source.cells.forEach((cell, i) => {
        const src = absoluteImports(cellText(cell), NOTEBOOKS_DIR);
        const stu = absoluteImports(cellText(student.cells[i]), join(dir, "student"));
        const ins = absoluteImports(cellText(instructor.cells[i]), join(dir, "instructor"));
        if (cell.cell_type !== "code") {
          assert.equal(stu, src, `${name} cell ${i}: markdown changed`);
          return;
        }
        const blocks = solutionBlocks(src);
        // Apart from the stubs, the student's lines are the source's lines with each block cut out.
        const cut: string[] = [];
        let inside = false;
        for (const line of src.split("\n")) {
          if (BEGIN_SOLUTION.test(line)) inside = true;
          else if (END_SOLUTION.test(line)) inside = false;
          else if (!inside) cut.push(line);
        }
        const stubs = stu.split("\n").filter((l) =>
          /throw notImplemented\("[\w.-]+"\); \/\/ ✏️ your code here$/.test(l)
        );
        assert.equal(stubs.length, blocks.length, `${name} cell ${i}: one stub per solution`);
        assert.deepEqual(stu.split("\n").filter((l) => !stubs.includes(l)), cut, `${name} cell ${i}: code changed`);
        assert.deepEqual(
          ins.split("\n"),
          src.split("\n").filter((l) => !BEGIN_SOLUTION.test(l) && !END_SOLUTION.test(l)),
        );
        for (const block of blocks) {
          for (const line of block.lines.map((l) => l.trim()).filter((l) => l.length >= 8)) {
            const elsewhere = [...outside].some((o) => o === line && !block.lines.map((b) => b.trim()).includes(o));
            if (!elsewhere) {
              assert.ok(!studentText.includes(JSON.stringify(line).slice(1, -1)), `${name}: "${line}" leaks`);
            }
          }
        }
      });
      if (studentText.includes("throw notImplemented(")) {
        // The stub's function has to be in scope, or each check reports a ReferenceError instead of "not yet".
        assert.match(
          source.cells.filter((c) => c.cell_type === "code").map(cellText).join("\n"),
          /import \{[^}]*\bnotImplemented\b[^}]*\} from "@lib\/exercises\/(check|mod)\.ts"/,
          `${name}: the student edition's stubs call notImplemented, which the notebook does not import`,
        );
      }
      assert.equal((student.metadata.liandan as { edition: string }).edition, "student");
      assert.ok(
        student.cells.every((c) => c.cell_type !== "code" || (c.outputs?.length === 0 && c.execution_count === null)),
      );
    }
  });
});

Deno.test("relocateImports points relative imports at the same files from the edition's folder", () => {
  const nb: Notebook = {
    cells: [{
      cell_type: "code",
      source: 'import S from "../bench/fixtures/x.json" with { type: "json" };\nimport "@lib/a.ts";',
    }],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const out = relocateImports(nb, { edition: "student", sourceDir: "/r/notebooks", outDir: "/r/workshop/student" });
  assert.equal(
    cellText(out.cells[0]),
    'import S from "../../bench/fixtures/x.json" with { type: "json" };\nimport "@lib/a.ts";',
  );
  assert.equal(editionPipeline("student").length, 3);
  assert.equal(makeEdition(nb, { edition: "student", sourceDir: "/r/notebooks", outDir: "/r/notebooks" }, []), nb);
});

Deno.test("unbalanced solution markers are refused with the line", () => {
  assert.throws(() => studentSource("// BEGIN SOLUTION a\nx"), /the block of "a" is never closed/);
  assert.throws(() => studentSource("x\n// END SOLUTION"), /line 2 closes a block that was never opened/);
  assert.throws(() => studentSource("// BEGIN SOLUTION a\n// BEGIN SOLUTION b"), /line 2 opens a block inside "a"/);
});

Deno.test("writeProtected: new, unchanged, updated, and a changed copy kept with the fresh one beside it (--force overwrites)", async () => {
  await withEditions(async (dir) => {
    assert.equal((await writeProtected(dir, "a.ipynb", "v1")).status, "new");
    assert.equal((await writeProtected(dir, "a.ipynb", "v1")).status, "unchanged");
    assert.equal((await writeProtected(dir, "a.ipynb", "v2")).status, "updated");
    await Deno.writeTextFile(join(dir, "a.ipynb"), "learner's work");
    const kept = await writeProtected(dir, "a.ipynb", "v3");
    assert.deepEqual(kept, { path: join(dir, "a.fresh.ipynb"), status: "kept", kept: join(dir, "a.ipynb") });
    assert.equal(await Deno.readTextFile(join(dir, "a.ipynb")), "learner's work");
    assert.equal(await Deno.readTextFile(join(dir, "a.fresh.ipynb")), "v3");
    assert.equal((await writeProtected(dir, "a.ipynb", "v4", true)).status, "updated");
    assert.equal(await Deno.readTextFile(join(dir, "a.ipynb")), "v4");
  });
});

Deno.test("buildEditions refuses a folder outside the repository and notebooks/ itself", async () => {
  await assert.rejects(
    () => buildEditions({ outDir: "/tmp/elsewhere" }),
    /--out must be a folder inside the repository/,
  );
  await assert.rejects(
    () => buildEditions({ outDir: join(NOTEBOOKS_DIR, "x") }),
    /into notebooks\/, which holds the sources/,
  );
});

Deno.test("parseWorkshopArgs reads --out DIR, --out=DIR, --force and --lang, and refuses unknown flags", () => {
  assert.deepEqual(parseWorkshopArgs(["--out=x", "--force"]), { names: [], outDir: "x", force: true, lang: "en" });
  assert.deepEqual(parseWorkshopArgs(["01", "--lang", "zh"]), { names: ["01"], force: false, lang: "zh" });
  assert.throws(() => parseWorkshopArgs(["--lang", "fr"]), /--lang must be en or zh: current value is "fr"/);
  assert.throws(
    () => parseWorkshopArgs(["--fast"]),
    /--fast is not a known flag: expected --out DIR, --lang L or --force/,
  );
  assert.throws(() => parseWorkshopArgs(["--out"]), /--out as it needs a folder/);
});
