import assert from "node:assert/strict";
import { join } from "node:path";

const LIB = new URL("../lib", import.meta.url).pathname;

async function* tsFiles(dir: string): AsyncGenerator<string> {
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) yield* tsFiles(path);
    else if (e.name.endsWith(".ts")) yield path;
  }
}

Deno.test("lib/: class members are #private, never TypeScript's private or protected keyword", async () => {
  const found: string[] = [];
  for await (const path of tsFiles(LIB)) {
    (await Deno.readTextFile(path)).split("\n").forEach((line, i) => {
      if (/^\s*(private|protected)\s/.test(line)) found.push(`${path.slice(LIB.length + 1)}:${i + 1}: ${line.trim()}`);
    });
  }
  assert.deepEqual(found, []);
});
