import assert from "node:assert/strict";
import { join } from "node:path";
import { JUPYTER_MISSING_MESSAGE } from "../../tools/lab.ts";
import { REPO_ROOT } from "../../tools/kernelspec.ts";

const LAB = join(REPO_ROOT, "tools", "lab.ts");

/** `deno run -A tools/lab.ts` with PATH holding only `bin`, a private Jupyter data folder and editions folder. */
function labCommand(bin: string, dataDir: string, editions: string, args: string[] = []) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LAB, ...args],
    env: { PATH: bin, JUPYTER_DATA_DIR: dataDir, LIANDAN_EDITIONS_DIR: editions, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  });
}

async function runLab(bin: string, dataDir: string, editions: string, args: string[] = []) {
  const out = await labCommand(bin, dataDir, editions, args).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function fakeJupyter(bin: string, subcommands: string[], body = 'echo "fake-jupyter $*"; exit 0'): Promise<void> {
  const cases = subcommands.map((s) => `  ${s}) [ "$2" = "--version" ] && exit 0; ${body};;`);
  const script = [
    "#!/bin/sh",
    'case "$1" in',
    ...cases,
    '  *) echo "Jupyter command `jupyter-$1` not found." >&2; exit 1;;',
    "esac",
  ];
  await Deno.writeTextFile(join(bin, "jupyter"), script.join("\n") + "\n", { mode: 0o755 });
}

/** A bin folder and a Jupyter data folder in /tmp, and an editions folder inside the repository (as it must be). */
async function withDirs(fn: (bin: string, dataDir: string, editions: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  await Deno.mkdir(join(REPO_ROOT, "build"), { recursive: true });
  const editions = await Deno.makeTempDir({ dir: join(REPO_ROOT, "build"), prefix: "lab-test-" });
  const bin = join(root, "bin");
  await Deno.mkdir(bin);
  try {
    await fn(bin, join(root, "data"), editions);
  } finally {
    await Deno.remove(root, { recursive: true });
    await Deno.remove(editions, { recursive: true });
  }
}

Deno.test("deno task lab without Jupyter installs the kernelspec, writes the student edition and explains how to get Jupyter", async () => {
  await withDirs(async (bin, dataDir, editions) => {
    const { code, stdout, stderr } = await runLab(bin, dataDir, editions);
    assert.equal(code, 1);
    assert.match(stdout, /Installed the Liandan \(Deno\) kernel at /);
    assert.ok(stderr.includes(JUPYTER_MISSING_MESSAGE), stderr);
    assert.match(stderr, /pip install jupyterlab/);
    assert.match(stderr, /apt install jupyter-notebook/);
    assert.match(stderr, /VS Code/);
    const spec = JSON.parse(await Deno.readTextFile(join(dataDir, "kernels", "liandan", "kernel.json")));
    assert.equal(spec.display_name, "Liandan (Deno)");
    const welcome = await Deno.readTextFile(join(editions, "student", "00_welcome.ipynb"));
    assert.match(welcome, /throw notImplemented\(\\"00-mse\\"\)/);
  });
});

Deno.test("deno task lab prefers JupyterLab and opens it on the student edition", async () => {
  await withDirs(async (bin, dataDir, editions) => {
    await fakeJupyter(bin, ["lab", "notebook"]);
    const { code, stdout } = await runLab(bin, dataDir, editions, ["--no-browser"]);
    assert.equal(code, 0);
    const root = Deno.uid() === 0 ? " --allow-root" : "";
    assert.match(
      stdout,
      new RegExp(`fake-jupyter lab --notebook-dir=${join(editions, "student")}${root} --no-browser\n`),
    );
    assert.match(stdout, /Start with 00_welcome.ipynb/);
  });
});

Deno.test("deno task lab --solutions opens the instructor edition", async () => {
  await withDirs(async (bin, dataDir, editions) => {
    await fakeJupyter(bin, ["lab"]);
    const { code, stdout } = await runLab(bin, dataDir, editions, ["--solutions"]);
    assert.equal(code, 0);
    assert.match(stdout, new RegExp(`fake-jupyter lab --notebook-dir=${join(editions, "instructor")}`));
    const welcome = await Deno.readTextFile(join(editions, "instructor", "00_welcome.ipynb"));
    assert.ok(!welcome.includes('notImplemented(\\"') && !welcome.includes("BEGIN SOLUTION"));
  });
});

Deno.test("deno task lab never overwrites a notebook the learner changed, and says where the fresh one went", async () => {
  await withDirs(async (bin, dataDir, editions) => {
    await fakeJupyter(bin, ["notebook"]);
    await runLab(bin, dataDir, editions);
    const mine = join(editions, "student", "01_learning_from_data.ipynb");
    const edited = (await Deno.readTextFile(mine)).replace('throw notImplemented(\\"01-gradient\\");', "return p;");
    await Deno.writeTextFile(mine, edited);
    const { code, stdout } = await runLab(bin, dataDir, editions);
    assert.equal(code, 0);
    assert.equal(await Deno.readTextFile(mine), edited);
    assert.match(
      stdout,
      /kept .*01_learning_from_data\.ipynb \(it was changed since it was written; the fresh student edition is .*01_learning_from_data\.fresh\.ipynb\)/,
    );
    assert.ok((await Deno.stat(join(editions, "student", "01_learning_from_data.fresh.ipynb"))).isFile);
    assert.match(stdout, /fake-jupyter notebook --notebook-dir=/);
    assert.match(stdout, /Trust Notebook/);
  });
});

Deno.test("deno task lab passes SIGTERM on to Jupyter, which stops, and then exits itself", {
  ignore: Deno.build.os === "windows",
}, async () => {
  await withDirs(async (bin, dataDir, editions) => {
    const marker = join(editions, "jupyter-got-term");
    // A Jupyter that runs until SIGTERM, then writes a marker and exits 0.
    await fakeJupyter(
      bin,
      ["lab"],
      `trap 'echo term > ${marker}; exit 0' TERM; echo started; while :; do sleep 0.1; done`,
    );
    const child = labCommand(bin, dataDir, editions).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let out = "";
    while (!out.includes("started")) {
      const { value, done } = await reader.read();
      if (done) break;
      out += value;
    }
    child.kill("SIGTERM");
    const status = await child.status;
    reader.releaseLock();
    await child.stdout.cancel().catch(() => {});
    await child.stderr.cancel();
    assert.equal(status.code, 0, out);
    assert.equal((await Deno.readTextFile(marker)).trim(), "term");
  });
});
