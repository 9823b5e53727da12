/**
 * The course's Jupyter kernelspec, `liandan` ("Liandan (Deno)"): what `deno jupyter --install` writes, plus an
 * environment that keeps outputs free of ANSI colour codes and update checks.
 *
 * Run `deno run -A tools/kernelspec.ts [--dir=DIR]` to install it (idempotent); `deno task lab` does it for you.
 *
 * Notebooks name it in their metadata ({@link NOTEBOOK_METADATA}).
 *
 * @module
 */
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The kernelspec's name, as notebooks name it in `metadata.kernelspec.name`. */
export const KERNEL_NAME = "liandan";

/** The name Jupyter shows in its kernel picker. */
export const KERNEL_DISPLAY_NAME = "Liandan (Deno)";

/** Environment variables the kernel runs with (merged over the environment Jupyter starts it in). */
export const KERNEL_ENV: Readonly<Record<string, string>> = Object.freeze({
  NO_COLOR: "1",
  DENO_NO_UPDATE_CHECK: "1",
  DENO_NO_PROMPT: "1",
});

/** The metadata block every course notebook carries (nbformat 4). */
export const NOTEBOOK_METADATA = Object.freeze({
  kernelspec: { name: KERNEL_NAME, display_name: KERNEL_DISPLAY_NAME, language: "typescript" },
  language_info: {
    name: "typescript",
    mimetype: "text/x.typescript",
    file_extension: ".ts",
    pygments_lexer: "typescript",
    codemirror_mode: "typescript",
    nbconvert_exporter: "script",
  },
});

/** A Jupyter `kernel.json`. */
export interface KernelSpec {
  /** The command Jupyter runs; `{connection_file}` is replaced by the connection file's path. */
  argv: string[];
  /** The name shown in Jupyter's kernel picker. */
  display_name: string;
  /** The kernel's language. */
  language: string;
  /** Extra environment variables for the kernel. */
  env: Record<string, string>;
}

/**
 * The kernelspec for a Deno executable.
 *
 * @param denoPath The Deno executable the kernel runs; defaults to the one running this code.
 * @returns The `kernel.json` content.
 * @throws {TypeError} When `denoPath` is empty.
 * @example
 * ```ts
 * import { kernelSpec } from "./kernelspec.ts";
 * import assert from "node:assert/strict";
 * const spec = kernelSpec("/usr/bin/deno");
 * assert.deepEqual(spec.argv, ["/usr/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
 * assert.equal(spec.env.NO_COLOR, "1");
 * ```
 */
export function kernelSpec(denoPath: string = Deno.execPath()): KernelSpec {
  if (typeof denoPath !== "string" || denoPath.length === 0) {
    throw new TypeError(
      `Cannot build a kernelspec as denoPath must be a non-empty string: current value is ${denoPath}`,
    );
  }
  return {
    argv: [denoPath, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: KERNEL_DISPLAY_NAME,
    language: "typescript",
    env: { ...KERNEL_ENV },
  };
}

/**
 * The user's Jupyter data folder, where `jupyter kernelspec install --user` puts kernels: `JUPYTER_DATA_DIR`, else
 * `~/Library/Jupyter` (macOS), `%APPDATA%\jupyter` (Windows), `$XDG_DATA_HOME/jupyter` or `~/.local/share/jupyter`.
 *
 * @returns The folder's path.
 * @throws {Error} When no home folder is known.
 */
export function userJupyterDataDir(): string {
  const env = (name: string) => Deno.env.get(name) || undefined;
  const explicit = env("JUPYTER_DATA_DIR");
  if (explicit) return explicit;
  if (Deno.build.os === "windows") {
    const appData = env("APPDATA");
    if (appData) return join(appData, "jupyter");
  }
  const home = env("HOME") ?? env("USERPROFILE");
  if (!home) throw new Error("Cannot find the Jupyter data folder as neither HOME nor JUPYTER_DATA_DIR is set");
  if (Deno.build.os === "darwin") return join(home, "Library", "Jupyter");
  return join(env("XDG_DATA_HOME") ?? join(home, ".local", "share"), "jupyter");
}

/** What {@link installKernelspec} did. */
export interface InstallResult {
  /** The kernelspec's folder (`<data dir>/kernels/liandan`). */
  path: string;
  /** False when an identical kernelspec was already there. */
  changed: boolean;
}

/** Options of {@link installKernelspec}. */
export interface InstallOptions {
  /** A Jupyter data folder (the kernelspec goes in its `kernels/liandan`); default {@link userJupyterDataDir}. */
  dataDir?: string;
  /** The Deno executable; default the running one. */
  denoPath?: string;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await Deno.readTextFile(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return null;
    throw e;
  }
}

/** Copies the logos `deno jupyter --install` ships into `dir` (best effort: a kernel works without them). */
async function copyDenoLogos(denoPath: string, dir: string): Promise<void> {
  const tmp = await Deno.makeTempDir({ prefix: "liandan-kernelspec-" });
  try {
    const env = { XDG_DATA_HOME: tmp, JUPYTER_DATA_DIR: tmp, HOME: tmp, NO_COLOR: "1" };
    const args = ["jupyter", "--install", "--name", KERNEL_NAME, "--force"];
    const out = await new Deno.Command(denoPath, { args, env, stdout: "null", stderr: "null" }).output();
    if (!out.success) return;
    for await (const entry of Deno.readDir(join(tmp, "jupyter", "kernels", KERNEL_NAME))) {
      if (entry.isFile && entry.name.startsWith("logo")) {
        await Deno.copyFile(join(tmp, "jupyter", "kernels", KERNEL_NAME, entry.name), join(dir, entry.name));
      }
    }
  } catch {
    // No logos: Jupyter shows the kernel's initials instead.
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}

/**
 * Installs (or updates) the `liandan` kernelspec; does nothing when an identical one is there.
 *
 * @param options Where to install and which Deno to run.
 * @returns The kernelspec's folder and whether anything was written.
 * @example
 * ```ts
 * import { installKernelspec } from "./kernelspec.ts";
 * import assert from "node:assert/strict";
 * const dataDir = await Deno.makeTempDir();
 * assert.equal((await installKernelspec({ dataDir, denoPath: "/usr/bin/deno" })).changed, true);
 * assert.equal((await installKernelspec({ dataDir, denoPath: "/usr/bin/deno" })).changed, false);
 * await Deno.remove(dataDir, { recursive: true });
 * ```
 */
export async function installKernelspec(options: InstallOptions = {}): Promise<InstallResult> {
  const denoPath = options.denoPath ?? Deno.execPath();
  const path = join(options.dataDir ?? userJupyterDataDir(), "kernels", KERNEL_NAME);
  const file = join(path, "kernel.json");
  const text = JSON.stringify(kernelSpec(denoPath), null, 2) + "\n";
  if (await readText(file) === text) return { path, changed: false };
  await Deno.mkdir(path, { recursive: true });
  await copyDenoLogos(Deno.execPath(), path);
  await Deno.writeTextFile(file, text);
  return { path, changed: true };
}

/**
 * A private Jupyter data folder holding only the `liandan` kernelspec, for the notebook runner: put it first in
 * `JUPYTER_PATH` so it wins over any kernelspec the user installed.
 *
 * @param root The repository root.
 * @returns The data folder (`<root>/build/jupyter`).
 */
export async function runnerJupyterPath(root: string): Promise<string> {
  const dataDir = join(root, "build", "jupyter");
  await installKernelspec({ dataDir });
  return dataDir;
}

/** The repository root (the folder above tools/). */
export const REPO_ROOT: string = dirname(dirname(fileURLToPath(import.meta.url)));

if (import.meta.main) {
  const dirArg = Deno.args.find((a) => a.startsWith("--dir="));
  const result = await installKernelspec({ dataDir: dirArg?.slice("--dir=".length) });
  console.log(
    result.changed
      ? `Installed the ${KERNEL_DISPLAY_NAME} kernelspec at ${result.path}`
      : `The ${KERNEL_DISPLAY_NAME} kernelspec is up to date at ${result.path}`,
  );
}
