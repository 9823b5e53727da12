/**
 * Static checks of the committed course notebooks (executing them is `deno task nb`, run by `deno task test`):
 * nbformat 4, the liandan kernelspec, no outputs or execution counts, unique cell ids, and no cell that ends in a bare
 * expression (a stock `jupyter nbconvert --execute` can drop that result: outputs end with `await show(…)`).
 */
import assert from "node:assert/strict";
import { NOTEBOOK_METADATA } from "../tools/kernelspec.ts";
import { resolveNotebooks } from "../tools/nb.ts";

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

const notebooks = await resolveNotebooks([]);

const STATEMENT =
  /^(const|let|var|function|async function|class|type|interface|import|export|for|while|if|else|do|switch|try|throw|return|await|assert|console\.|\/\/|\}|\)|\]|$)/;

/**
 * The first line of a cell's last top-level statement when that statement is a bare expression (its value would be
 * the cell's result), or null. Top-level statements start at column 0; a line ending in an operator, `(`, `,`, `{` or
 * `[` continues onto the next.
 */
export function bareLastExpression(source: string): string | null {
  const lines = source.split("\n");
  let start = -1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const continues = i > 0 && /[([{,=+\-*/?:&|>]\s*$/.test(lines[i - 1].replace(/\s*\/\/.*$/, ""));
    if (line.trim() !== "" && !/^\s/.test(line) && !/^[}\])]/.test(line) && !line.startsWith("//") && !continues) {
      start = i;
    }
  }
  if (start < 0) return null;
  const first = lines[start];
  return STATEMENT.test(first) ? null : first;
}

Deno.test("bareLastExpression finds a bare last value and passes statements and awaited displays", () => {
  assert.equal(bareLastExpression("const a = 1;\nruntimeInfo();"), "runtimeInfo();");
  assert.equal(bareLastExpression("const m = 2;\nm;"), "m;");
  assert.equal(bareLastExpression("linePlot(\n  [1, 2],\n  { title: 'x' },\n);"), "linePlot(");
  assert.equal(bareLastExpression("await show(linePlot(\n  [1],\n));"), null);
  assert.equal(bareLastExpression("for (const x of xs) {\n  f(x);\n}"), null);
  assert.equal(bareLastExpression("const f = () =>\n  g();"), null);
  assert.equal(bareLastExpression("assert.ok(\n  true,\n);"), null);
});

for (const path of notebooks) {
  const name = path.slice(path.lastIndexOf("/") + 1);
  Deno.test(`${name} is nbformat 4, names the liandan kernel and holds no outputs`, async () => {
    const nb = JSON.parse(await Deno.readTextFile(path));
    assert.equal(nb.nbformat, 4, `${name}: nbformat`);
    assert.deepEqual(nb.metadata?.kernelspec, NOTEBOOK_METADATA.kernelspec, `${name}: metadata.kernelspec`);
    assert.equal(nb.metadata?.language_info?.name, "typescript", `${name}: metadata.language_info.name`);
    const code = (nb.cells as Cell[]).map((c, i) => ({ ...c, i })).filter((c) => c.cell_type === "code");
    assert.ok(code.length > 0, `${name}: has no code cells`);
    const withOutputs = code.filter((c) => (c.outputs ?? []).length > 0).map((c) => c.i);
    assert.deepEqual(withOutputs, [], `${name}: cells with outputs (clear them before committing)`);
    const counted = code.filter((c) => c.execution_count !== null && c.execution_count !== undefined).map((c) => c.i);
    assert.deepEqual(counted, [], `${name}: cells with execution counts (clear them before committing)`);
    const ids = (nb.cells as { id?: string }[]).map((c) => c.id);
    assert.ok(ids.every((id) => typeof id === "string" && id !== ""), `${name}: every cell needs an id`);
    assert.equal(new Set(ids).size, ids.length, `${name}: cell ids must be unique`);
  });

  Deno.test(`${name}: no code cell ends in a bare expression (end output cells with an awaited display)`, async () => {
    const nb = JSON.parse(await Deno.readTextFile(path));
    const bare = (nb.cells as Cell[]).map((c, i) => ({ c, i }))
      .filter(({ c }) => c.cell_type === "code")
      .map(({ c, i }) => ({ i, line: bareLastExpression(Array.isArray(c.source) ? c.source.join("") : c.source) }))
      .filter(({ line }) => line !== null)
      .map(({ i, line }) => `cell ${i}: ${line}`);
    assert.deepEqual(bare, [], `${name}: write \`await show(…)\` instead of a bare last expression`);
  });
}

Deno.test("resolveNotebooks sees the course notebooks in order", () => {
  const names = notebooks.map((p) => p.slice(p.lastIndexOf("/") + 1));
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.every((n) => /^\d\d_[a-z0-9_]+\.ipynb$/.test(n)), `names must look like NN_name.ipynb: ${names}`);
});
