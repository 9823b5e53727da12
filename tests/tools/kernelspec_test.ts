import assert from "node:assert/strict";
import { join } from "node:path";
import {
  installKernelspec,
  KERNEL_DISPLAY_NAME,
  KERNEL_NAME,
  kernelSpec,
  NOTEBOOK_METADATA,
  userJupyterDataDir,
} from "../../tools/kernelspec.ts";

Deno.test("kernelSpec runs the given deno as a Jupyter kernel without colours", () => {
  const spec = kernelSpec("/opt/deno");
  assert.deepEqual(spec.argv, ["/opt/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
  assert.equal(spec.display_name, "Liandan (Deno)");
  assert.equal(spec.language, "typescript");
  assert.deepEqual(spec.env, { NO_COLOR: "1", DENO_NO_UPDATE_CHECK: "1", DENO_NO_PROMPT: "1" });
});

Deno.test("kernelSpec rejects an empty deno path", () => {
  assert.throws(() => kernelSpec(""), {
    name: "TypeError",
    message: "Cannot build a kernelspec as denoPath must be a non-empty string: current value is ",
  });
});

Deno.test("NOTEBOOK_METADATA names the liandan kernelspec", () => {
  assert.deepEqual(NOTEBOOK_METADATA.kernelspec, {
    name: KERNEL_NAME,
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
  });
  assert.equal(NOTEBOOK_METADATA.language_info.name, "typescript");
});

Deno.test("installKernelspec writes kernel.json once and rewrites it when deno moves", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const first = await installKernelspec({ dataDir, denoPath: "/a/deno" });
    assert.equal(first.path, join(dataDir, "kernels", "liandan"));
    assert.equal(first.changed, true);
    const written = JSON.parse(await Deno.readTextFile(join(first.path, "kernel.json")));
    assert.deepEqual(written, kernelSpec("/a/deno"));
    assert.equal((await installKernelspec({ dataDir, denoPath: "/a/deno" })).changed, false);
    assert.equal((await installKernelspec({ dataDir, denoPath: "/b/deno" })).changed, true);
    const moved = JSON.parse(await Deno.readTextFile(join(first.path, "kernel.json")));
    assert.equal(moved.argv[0], "/b/deno");
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("installKernelspec copies deno's logos", async () => {
  const dataDir = await Deno.makeTempDir();
  try {
    const { path } = await installKernelspec({ dataDir });
    const names = [];
    for await (const e of Deno.readDir(path)) names.push(e.name);
    assert.deepEqual(names.sort(), ["kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]);
  } finally {
    await Deno.remove(dataDir, { recursive: true });
  }
});

Deno.test("userJupyterDataDir follows JUPYTER_DATA_DIR, then XDG_DATA_HOME", () => {
  const saved = { j: Deno.env.get("JUPYTER_DATA_DIR"), x: Deno.env.get("XDG_DATA_HOME") };
  try {
    Deno.env.set("JUPYTER_DATA_DIR", "/tmp/jd");
    assert.equal(userJupyterDataDir(), "/tmp/jd");
    Deno.env.delete("JUPYTER_DATA_DIR");
    if (Deno.build.os === "linux") {
      Deno.env.set("XDG_DATA_HOME", "/tmp/xdg");
      assert.equal(userJupyterDataDir(), "/tmp/xdg/jupyter");
    }
  } finally {
    for (const [k, v] of [["JUPYTER_DATA_DIR", saved.j], ["XDG_DATA_HOME", saved.x]] as const) {
      if (v === undefined) Deno.env.delete(k);
      else Deno.env.set(k, v);
    }
  }
});
