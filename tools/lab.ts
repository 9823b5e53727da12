/**
 * The learner's command: `deno task lab [jupyter flags…]`.
 *
 * Installs the `liandan` kernelspec when missing or stale (VS Code finds it too), then opens Jupyter on notebooks/: JupyterLab when it is
 * installed, else the classic Notebook. Without Jupyter it prints how to get it and exits 1. Extra arguments go to
 * Jupyter (`deno task lab --no-browser --port 8890`).
 *
 * @module
 */
import { join } from "node:path";
import { installKernelspec, KERNEL_DISPLAY_NAME, REPO_ROOT } from "./kernelspec.ts";

/** Printed when neither JupyterLab nor the classic Notebook is found. */
export const JUPYTER_MISSING_MESSAGE = [
  "Cannot open the notebooks as Jupyter is not installed (no `jupyter lab` or `jupyter notebook` on PATH).",
  "Get it with one of:",
  "  pip install jupyterlab                        (any Python 3; then run `deno task lab` again)",
  "  sudo apt install jupyter-notebook             (Debian/Ubuntu: the classic Notebook)",
  "  VS Code with the Jupyter extension: open a notebook in notebooks/ and pick the kernel",
  `  "${KERNEL_DISPLAY_NAME}" (this command has just installed it).`,
].join("\n");

/** Which Jupyter front end to start, and how. */
export interface JupyterApp {
  /** "lab" (JupyterLab) or "notebook" (classic Notebook). */
  kind: "lab" | "notebook";
  /** The `jupyter` executable. */
  jupyter: string;
}

async function succeeds(command: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(command, { args, stdout: "null", stderr: "null" }).output();
    return out.success;
  } catch {
    return false;
  }
}

/**
 * Finds JupyterLab, else the classic Notebook.
 *
 * @param jupyter The `jupyter` executable to ask; default the one on PATH.
 * @returns The front end to start, or null when neither is installed.
 */
export async function findJupyter(jupyter = "jupyter"): Promise<JupyterApp | null> {
  if (await succeeds(jupyter, ["lab", "--version"])) return { kind: "lab", jupyter };
  if (await succeeds(jupyter, ["notebook", "--version"])) return { kind: "notebook", jupyter };
  return null;
}

/**
 * The arguments that open a front end on the notebooks folder.
 *
 * @param app The front end.
 * @param extra Flags passed through to Jupyter.
 * @param root The repository root.
 * @param isRoot Whether we run as root (Jupyter refuses to without `--allow-root`).
 * @returns Arguments for `jupyter`.
 * @example
 * ```ts
 * import { labArgs } from "./lab.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(labArgs({ kind: "lab", jupyter: "jupyter" }, ["--no-browser"], "/repo", false), [
 *   "lab",
 *   "--notebook-dir=/repo/notebooks",
 *   "--no-browser",
 * ]);
 * ```
 */
export function labArgs(app: JupyterApp, extra: readonly string[], root: string, isRoot: boolean): string[] {
  const args = [app.kind, `--notebook-dir=${join(root, "notebooks")}`];
  if (isRoot && !extra.includes("--allow-root")) args.push("--allow-root");
  return [...args, ...extra];
}

async function main(extra: readonly string[]): Promise<number> {
  const installed = await installKernelspec();
  if (installed.changed) console.log(`Installed the ${KERNEL_DISPLAY_NAME} kernel at ${installed.path}`);
  const app = await findJupyter();
  if (app === null) {
    console.error(JUPYTER_MISSING_MESSAGE);
    return 1;
  }
  const args = labArgs(app, extra, REPO_ROOT, Deno.uid() === 0);
  console.log(
    `Starting ${app.kind === "lab" ? "JupyterLab" : "the classic Notebook"}: ${app.jupyter} ${args.join(" ")}`,
  );
  if (app.kind === "notebook") {
    console.log(
      "Classic Notebook: saved charts show after File > Trust Notebook; running the cells always shows them.",
    );
  }
  const child = new Deno.Command(app.jupyter, { args, cwd: REPO_ROOT }).spawn();
  // Ctrl-C reaches Jupyter too, which asks to confirm: stay alive until it has shut its kernels down.
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGINT", () => {});
  const status = await child.status;
  return status.code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
