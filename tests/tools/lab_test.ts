import assert from "node:assert/strict";
import { join } from "node:path";
import { JUPYTER_MISSING_MESSAGE, LAB_EDITIONS_DIR, prepareLabEditions, takeLang } from "../../tools/lab.ts";
import { REPO_ROOT } from "../../tools/kernelspec.ts";

const LAB = join(REPO_ROOT, "tools", "lab.ts");

/** Runs `deno run -A tools/lab.ts` with PATH holding only `bin` and a private Jupyter data folder. */
async function runLab(bin: string, dataDir: string, args: string[] = []) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LAB, ...args],
    env: { PATH: bin, JUPYTER_DATA_DIR: dataDir, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function fakeJupyter(bin: string, subcommands: string[]): Promise<void> {
  const cases = subcommands.map((s) => `  ${s}) [ "$2" = "--version" ] && exit 0; echo "fake-jupyter $*"; exit 0;;`);
  const script = [
    "#!/bin/sh",
    'case "$1" in',
    ...cases,
    '  *) echo "Jupyter command `jupyter-$1` not found." >&2; exit 1;;',
    "esac",
  ];
  await Deno.writeTextFile(join(bin, "jupyter"), script.join("\n") + "\n", { mode: 0o755 });
}

async function withDirs(fn: (bin: string, dataDir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  const bin = join(root, "bin");
  const dataDir = join(root, "data");
  await Deno.mkdir(bin);
  try {
    await fn(bin, dataDir);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test("deno task lab without Jupyter installs the kernelspec and explains how to get Jupyter", async () => {
  await withDirs(async (bin, dataDir) => {
    const { code, stdout, stderr } = await runLab(bin, dataDir);
    assert.equal(code, 1);
    assert.match(stdout, /Installed the Liandan \(Deno\) kernel at /);
    assert.ok(stderr.includes(JUPYTER_MISSING_MESSAGE), stderr);
    assert.match(stderr, /pip install jupyterlab/);
    assert.match(stderr, /apt install jupyter-notebook/);
    assert.match(stderr, /VS Code/);
    const spec = JSON.parse(await Deno.readTextFile(join(dataDir, "kernels", "liandan", "kernel.json")));
    assert.equal(spec.display_name, "Liandan (Deno)");
  });
});

Deno.test("deno task lab prefers JupyterLab and opens it on notebooks/", async () => {
  await withDirs(async (bin, dataDir) => {
    await fakeJupyter(bin, ["lab", "notebook"]);
    const { code, stdout } = await runLab(bin, dataDir, ["--no-browser"]);
    assert.equal(code, 0);
    const notebooks = join(REPO_ROOT, "notebooks");
    const root = Deno.uid() === 0 ? " --allow-root" : "";
    assert.match(stdout, new RegExp(`fake-jupyter lab --notebook-dir=${notebooks}${root} --no-browser\n`));
  });
});

Deno.test("deno task lab falls back to the classic Notebook and mentions trust", async () => {
  await withDirs(async (bin, dataDir) => {
    await fakeJupyter(bin, ["notebook"]);
    const { code, stdout } = await runLab(bin, dataDir);
    assert.equal(code, 0);
    assert.match(stdout, /fake-jupyter notebook --notebook-dir=/);
    assert.match(stdout, /Trust Notebook/);
  });
});

Deno.test("deno task lab --lang zh opens the Chinese editions in build/lab/zh with LIANDAN_LANG=zh", async () => {
  await withDirs(async (bin, dataDir) => {
    const script = ["#!/bin/sh", '[ "$2" = "--version" ] && exit 0', 'echo "fake-jupyter lang=$LIANDAN_LANG $*"'];
    await Deno.writeTextFile(join(bin, "jupyter"), script.join("\n") + "\n", { mode: 0o755 });
    const { code, stdout } = await runLab(bin, dataDir, ["--lang", "zh", "--no-browser"]);
    assert.equal(code, 0, stdout);
    const dir = join(LAB_EDITIONS_DIR, "zh");
    assert.match(stdout, new RegExp(`fake-jupyter lang=zh lab --notebook-dir=${dir}.* --no-browser\n`));
    const welcome = JSON.parse(await Deno.readTextFile(join(dir, "00_welcome.ipynb")));
    assert.equal(welcome.metadata.liandan.lang, "zh");
    assert.match(welcome.cells[0].source.join(""), /欢迎来到炼丹/);
    const english = await runLab(bin, dataDir, ["--lang=en"]);
    assert.match(english.stdout, new RegExp(`lang=en lab --notebook-dir=${join(REPO_ROOT, "notebooks")}`));
    const bad = await runLab(bin, dataDir, ["--lang", "fr"]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim(), 'Cannot open the course as --lang must be en or zh: current value is "fr"');
  });
});

Deno.test("lab editions: written when missing, the learner's copy kept, and an outdated copy reported", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const paths = [join(REPO_ROOT, "notebooks", "00_welcome.ipynb")];
    const target = join(dir, "00_welcome.ipynb");
    assert.deepEqual(await prepareLabEditions(paths, "zh", dir), [`wrote ${target}`]);
    const copy = JSON.parse(await Deno.readTextFile(target));
    copy.cells[1].source = ["// the learner's own change"];
    await Deno.writeTextFile(target, JSON.stringify(copy));
    assert.deepEqual(await prepareLabEditions(paths, "zh", dir), [`kept ${target}`]);
    assert.equal(JSON.parse(await Deno.readTextFile(target)).cells[1].source[0], "// the learner's own change");
    copy.metadata.liandan.built_from = "000000000000";
    await Deno.writeTextFile(target, JSON.stringify(copy));
    assert.deepEqual(await prepareLabEditions(paths, "zh", dir), [
      `kept your copy ${target}, made from an older version of the course: delete it to get the new one`,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("takeLang: a missing or unknown language is refused", () => {
  assert.throws(() => takeLang(["--lang"]), {
    name: "RangeError",
    message: 'Cannot open the course as --lang must be en or zh: current value is ""',
  });
  assert.deepEqual(takeLang(["--lang=zh", "--port", "8890"]), { lang: "zh", rest: ["--port", "8890"] });
});
