/**
 * `deno task bundle:offline [--out DIR] [--deno]`: packs the benchmark programs into one folder that runs with nothing
 * but a Deno binary, on a machine with no network and no node_modules (a GPU machine lent for a check, say):
 *
 * ```
 * DIR/bench/gpt_bench.js        deno task bench:gpt, bundled (tfjs and lib included)
 * DIR/bench/backend_check.js    deno task check:backend, bundled
 * DIR/bench/*.wasm              tfjs-backend-wasm's binaries, found next to the bundles
 * DIR/bench/reference/gpt_step.py  the PyTorch reference bench:gpt runs
 * DIR/deno.xz                   with --deno: this Deno, xz-compressed (about 31 MB)
 * ```
 *
 * Run there as `deno run -A DIR/bench/gpt_bench.js …` (`LIANDAN_BACKEND=webgpu` for the GPU). tools/README.md,
 * "Checking a GPU", has the whole recipe.
 *
 * @module
 */
import { type Flag, helpText, parseFlags, runCli } from "./_gpt_cli.ts";

const REPO = new URL("..", import.meta.url).pathname;
const PROGRAMS = ["bench/gpt_bench.ts", "bench/backend_check.ts"];
const FLAGS: Record<string, Flag> = {
  out: { type: "string", default: `${REPO}.device`, help: "folder to write (replaced)" },
  deno: { type: "bool", default: false, help: "also pack this Deno binary as deno.xz (needs xz)" },
};

/** Emscripten's loader in tfjs-backend-wasm looks for its .wasm next to `__dirname`, which a bundle lacks. */
const PRELUDE = 'globalThis.__dirname ??= new URL(".", import.meta.url).pathname.replace(/\\/$/, "");\n';

async function run(cmd: string, args: string[]): Promise<void> {
  const out = await new Deno.Command(cmd, { args, stdout: "inherit", stderr: "inherit" }).output();
  if (!out.success) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${out.code})`);
}

async function main(args: string[]): Promise<void> {
  const f = parseFlags(args, FLAGS);
  if (!f) return console.log(helpText("Usage: deno task bundle:offline [--out DIR] [--deno]", FLAGS));
  const out = f.out as string;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  await Deno.mkdir(`${out}/bench/reference`, { recursive: true });
  for (const program of PROGRAMS) {
    const target = `${out}/${program.replace(/\.ts$/, ".js")}`;
    await run(Deno.execPath(), ["bundle", "--quiet", "--platform", "deno", "-o", target, `${REPO}${program}`]);
    await Deno.writeTextFile(target, PRELUDE + await Deno.readTextFile(target));
  }
  const wasmDir = `${REPO}node_modules/@tensorflow/tfjs-backend-wasm/dist`;
  for await (const e of Deno.readDir(wasmDir)) {
    if (e.name.endsWith(".wasm")) await Deno.copyFile(`${wasmDir}/${e.name}`, `${out}/bench/${e.name}`);
  }
  await Deno.copyFile(`${REPO}bench/reference/gpt_step.py`, `${out}/bench/reference/gpt_step.py`);
  if (f.deno) {
    const xz = await new Deno.Command("xz", { args: ["-T0", "-6", "-c", Deno.execPath()], stdout: "piped" }).output();
    if (!xz.success) throw new Error("xz failed: install xz-utils, or pack without --deno");
    await Deno.writeFile(`${out}/deno.xz`, xz.stdout);
  }
  let bytes = 0;
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else bytes += (await Deno.stat(`${dir}/${e.name}`)).size;
    }
  };
  await walk(out);
  console.log(
    `${out}: ${(bytes / 2 ** 20).toFixed(1)} MiB (${PROGRAMS.length} programs${f.deno ? " and deno.xz" : ""})`,
  );
}

if (import.meta.main) await runCli(main);
