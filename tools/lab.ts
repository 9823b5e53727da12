/**
 * The learner's command: `deno task lab [jupyter flags…]`.
 *
 * Installs the `liandan` kernelspec when missing or stale (VS Code finds it too), then opens Jupyter on notebooks/: JupyterLab when it is
 * installed, else the classic Notebook. Without Jupyter it prints how to get it and exits 1. Extra arguments go to
 * Jupyter (`deno task lab --no-browser --port 8890`).
 *
 * `--lang zh` (or `--lang=zh`) opens the Chinese edition instead: each notebook's edition (tools/i18n.ts) is written to
 * `build/lab/zh/` when it is not there yet, and Jupyter starts with `LIANDAN_LANG=zh`, so the kernels print and plot in
 * Chinese. Copies already there are the learner's and are never overwritten; when the course has changed since one was
 * made, the command says so (delete the copy to get the new one).
 *
 * @module
 */
import { basename, join } from "node:path";
import { installKernelspec, KERNEL_DISPLAY_NAME, REPO_ROOT } from "./kernelspec.ts";
import {
  buildEdition,
  type Lang,
  type Notebook,
  notebookJson,
  readNotebook,
  sourceHash,
  TRANSLATED_LANGS,
} from "./i18n.ts";
import { resolveNotebooks } from "./nb.ts";

/** Where `deno task lab --lang L` keeps the learner's copies of the editions: `build/lab/<lang>/` (ignored by git). */
export const LAB_EDITIONS_DIR: string = join(REPO_ROOT, "build", "lab");

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
 * @param dir The folder to open; default `notebooks/` under `root`.
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
export function labArgs(
  app: JupyterApp,
  extra: readonly string[],
  root: string,
  isRoot: boolean,
  dir: string = join(root, "notebooks"),
): string[] {
  const args = [app.kind, `--notebook-dir=${dir}`];
  if (isRoot && !extra.includes("--allow-root")) args.push("--allow-root");
  return [...args, ...extra];
}

/**
 * Takes `--lang L` or `--lang=L` out of the command line (the rest goes to Jupyter).
 *
 * @param args The command line.
 * @returns The language (English when absent) and the other arguments.
 * @throws {RangeError} When the language is missing or unknown.
 * @example
 * ```ts
 * import { takeLang } from "./lab.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(takeLang(["--lang", "zh", "--no-browser"]), { lang: "zh", rest: ["--no-browser"] });
 * assert.deepEqual(takeLang(["--port=8890"]), { lang: "en", rest: ["--port=8890"] });
 * ```
 */
export function takeLang(args: readonly string[]): { lang: Lang; rest: string[] } {
  const rest: string[] = [];
  let lang: string = "en";
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--lang") lang = args[++i] ?? "";
    else if (args[i].startsWith("--lang=")) lang = args[i].slice("--lang=".length);
    else rest.push(args[i]);
  }
  if (lang !== "en" && !(TRANSLATED_LANGS as readonly string[]).includes(lang)) {
    throw new RangeError(
      `Cannot open the course as --lang must be en or ${TRANSLATED_LANGS.join(", ")}: current value is ${
        JSON.stringify(lang)
      }`,
    );
  }
  return { lang: lang as Lang, rest };
}

/**
 * Writes the editions the lab opens, into `dir`: a notebook's edition is written when it is missing; a copy already
 * there is the learner's and is kept, with a line saying so when the course changed since it was made (each copy
 * records, in `metadata.liandan.built_from`, a hash of the edition it was made as).
 *
 * @param paths English notebooks.
 * @param lang The language.
 * @param dir The folder for the editions.
 * @returns One line per notebook: written, kept, or kept but older than the course.
 */
export async function prepareLabEditions(paths: readonly string[], lang: Lang, dir: string): Promise<string[]> {
  await Deno.mkdir(dir, { recursive: true });
  const lines: string[] = [];
  for (const path of paths) {
    const { notebook, status } = await buildEdition(path, lang);
    const builtFrom = sourceHash(notebookJson(notebook));
    const target = join(dir, basename(path));
    let existing: Notebook | null = null;
    try {
      existing = await readNotebook(target);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
    const todo = status.missing.length + status.stale.length;
    const note = todo > 0 ? ` (${todo} cells not yet translated: they show the English)` : "";
    if (existing === null) {
      const liandan = { ...notebook.metadata.liandan as object, built_from: builtFrom };
      await Deno.writeTextFile(target, notebookJson({ ...notebook, metadata: { ...notebook.metadata, liandan } }));
      lines.push(`wrote ${target}${note}`);
    } else if ((existing.metadata?.liandan as { built_from?: string } | undefined)?.built_from === builtFrom) {
      lines.push(`kept ${target}`);
    } else {
      lines.push(`kept your copy ${target}, made from an older version of the course: delete it to get the new one`);
    }
  }
  return lines;
}

async function main(argv: readonly string[]): Promise<number> {
  let lang: Lang, extra: string[];
  try {
    ({ lang, rest: extra } = takeLang(argv));
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const installed = await installKernelspec();
  if (installed.changed) console.log(`Installed the ${KERNEL_DISPLAY_NAME} kernel at ${installed.path}`);
  const app = await findJupyter();
  if (app === null) {
    console.error(JUPYTER_MISSING_MESSAGE);
    return 1;
  }
  let dir = join(REPO_ROOT, "notebooks");
  const env = { ...Deno.env.toObject(), LIANDAN_LANG: lang };
  if (lang !== "en") {
    dir = join(LAB_EDITIONS_DIR, lang);
    for (const line of await prepareLabEditions(await resolveNotebooks([]), lang, dir)) console.log(line);
  }
  const args = labArgs(app, extra, REPO_ROOT, Deno.uid() === 0, dir);
  console.log(
    `Starting ${app.kind === "lab" ? "JupyterLab" : "the classic Notebook"}: ${app.jupyter} ${args.join(" ")}`,
  );
  if (app.kind === "notebook") {
    console.log(
      "Classic Notebook: saved charts show after File > Trust Notebook; running the cells always shows them.",
    );
  }
  const child = new Deno.Command(app.jupyter, { args, cwd: REPO_ROOT, env }).spawn();
  // Ctrl-C reaches Jupyter too, which asks to confirm: stay alive until it has shut its kernels down.
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGINT", () => {});
  const status = await child.status;
  return status.code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
