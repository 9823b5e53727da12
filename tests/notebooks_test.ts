/**
 * Static checks of the committed course notebooks (executing them is `deno task nb`, run by `deno task test`):
 * nbformat 4, the liandan kernelspec, and no outputs or execution counts.
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
  });
}

Deno.test("resolveNotebooks sees the course notebooks in order", () => {
  const names = notebooks.map((p) => p.slice(p.lastIndexOf("/") + 1));
  assert.deepEqual(names, [...names].sort());
  assert.ok(names.every((n) => /^\d\d_[a-z0-9_]+\.ipynb$/.test(n)), `names must look like NN_name.ipynb: ${names}`);
});
