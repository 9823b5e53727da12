/**
 * `deno task bundle:offline` makes programs that run with a bare Deno: no deno.json, no node_modules, no network.
 */
import assert from "node:assert/strict";

const REPO = new URL("../..", import.meta.url).pathname;

Deno.test("bundle:offline: the bundled backend check runs from an empty folder with a fresh DENO_DIR", async () => {
  const out = await Deno.makeTempDir({ prefix: "liandan-bundle-" });
  try {
    const pack = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `${REPO}tools/offline_bundle.ts`, "--out", `${out}/pack`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(pack.success, new TextDecoder().decode(pack.stderr));
    const names = [...Deno.readDirSync(`${out}/pack/bench`)].map((e) => e.name).sort();
    for (const name of ["backend_check.js", "gpt_bench.js", "reference", "tfjs-backend-wasm.wasm"]) {
      assert.ok(names.includes(name), `${name} missing from ${names}`);
    }
    // wasm (the default backend, loaded from the .wasm files beside the bundle) against cpu
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--no-config", `${out}/pack/bench/backend_check.js`, "--backend", "wasm"],
      cwd: out,
      env: { DENO_DIR: `${out}/deno_dir`, NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    assert.ok(run.success, text);
    assert.match(text, /wasm vs cpu: 11\/11 cases equal within 0\.0001/);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
