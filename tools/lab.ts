/**
 * The learner's command: `deno task lab [--solutions] [jupyter flags…]`.
 *
 * Installs the `liandan` kernelspec when missing or stale (VS Code finds it too), writes the student edition of the
 * notebooks (`--solutions`: the instructor edition) into `workshop/` with tools/workshop.ts, never overwriting a copy
 * the learner has changed (the fresh one goes beside it, and this command says where), then opens Jupyter there:
 * JupyterLab when it is installed, else the classic Notebook. Without Jupyter it prints how to get it and exits 1.
 * Other arguments go to Jupyter (`deno task lab --no-browser --port 8890`). SIGTERM and SIGHUP (a parent stopping this
 * command, a closed terminal) are passed on to Jupyter, which shuts its kernels down; Ctrl-C reaches Jupyter by itself.
 * `LIANDAN_EDITIONS_DIR` moves the editions' folder (it must stay inside the repository). `--lang zh` (or `--lang=zh`)
 * opens the Chinese edition (tools/i18n.ts: written to `workshop/zh/<edition>/`), with Jupyter started with
 * `LIANDAN_LANG=zh` so that the kernels print and plot in Chinese.
 *
 * @module
 */
import { join } from "node:path";
import { installKernelspec, KERNEL_DISPLAY_NAME, REPO_ROOT } from "./kernelspec.ts";
import { buildEditions, DEFAULT_OUT, describeWritten, type Edition, editionDir } from "./workshop.ts";
import { type Lang, takeLang } from "./i18n.ts";
import { LANG_ENV } from "../lib/notebook/lang.ts";

/** Printed when neither JupyterLab nor the classic Notebook is found. */
export const JUPYTER_MISSING_MESSAGE = [
  "Cannot open the notebooks as Jupyter is not installed (no `jupyter lab` or `jupyter notebook` on PATH).",
  "Get it with one of:",
  "  pip install jupyterlab                        (any Python 3; then run `deno task lab` again)",
  "  sudo apt install jupyter-notebook             (Debian/Ubuntu: the classic Notebook)",
  "  VS Code with the Jupyter extension: open a notebook in workshop/student/ and pick the kernel",
  `  "${KERNEL_DISPLAY_NAME}" (this command has just installed it and written that folder).`,
].join("\n");

/** Signals passed on to Jupyter. */
export const FORWARDED_SIGNALS: readonly Deno.Signal[] = Object.freeze(["SIGTERM", "SIGHUP"]);

/** Which Jupyter front end to start, and how. */
export interface JupyterApp {
  /** "lab" (JupyterLab) or "notebook" (classic Notebook). */
  kind: "lab" | "notebook";
  /** The `jupyter` executable. */
  jupyter: string;
}

/** Parsed command line of `deno task lab`. */
export interface LabArgs {
  /** The edition to open. */
  edition: Edition;
  /** Its language (`--lang`, default en). */
  lang: Lang;
  /** Everything else, for Jupyter. */
  jupyter: string[];
}

/**
 * The flags `deno task lab` reads itself; everything else goes to Jupyter. A flag's handler changes the parsed
 * arguments and returns how many of the following arguments it consumed.
 */
const OWN_FLAGS: Record<string, (parsed: LabArgs, rest: readonly string[]) => number> = {
  "--solutions": (parsed) => {
    parsed.edition = "instructor";
    return 0;
  },
};

/**
 * Splits `deno task lab` arguments into its own flags and Jupyter's.
 *
 * @param args The command line.
 * @returns The edition and the arguments for Jupyter.
 * @example
 * ```ts
 * import { parseLabArgs } from "./lab.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseLabArgs(["--no-browser"]), { edition: "student", lang: "en", jupyter: ["--no-browser"] });
 * assert.deepEqual(parseLabArgs(["--solutions", "--lang=zh", "--port", "8890"]), {
 *   edition: "instructor",
 *   lang: "zh",
 *   jupyter: ["--port", "8890"],
 * });
 * ```
 */
export function parseLabArgs(args: readonly string[]): LabArgs {
  const { lang, rest } = takeLang(args);
  const parsed: LabArgs = { edition: "student", lang, jupyter: [] };
  for (let i = 0; i < rest.length; i++) {
    const own = OWN_FLAGS[rest[i]];
    if (own) i += own(parsed, rest.slice(i + 1));
    else parsed.jupyter.push(rest[i]);
  }
  return parsed;
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
 * The arguments that open a front end on a folder of notebooks.
 *
 * @param app The front end.
 * @param extra Flags passed through to Jupyter.
 * @param dir The folder Jupyter opens (an edition's folder).
 * @param isRoot Whether we run as root (Jupyter refuses to without `--allow-root`).
 * @returns Arguments for `jupyter`.
 * @example
 * ```ts
 * import { labArgs } from "./lab.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(labArgs({ kind: "lab", jupyter: "jupyter" }, ["--no-browser"], "/repo/workshop/student", false), [
 *   "lab",
 *   "--notebook-dir=/repo/workshop/student",
 *   "--no-browser",
 * ]);
 * ```
 */
export function labArgs(app: JupyterApp, extra: readonly string[], dir: string, isRoot: boolean): string[] {
  const args = [app.kind, `--notebook-dir=${dir}`];
  if (isRoot && !extra.includes("--allow-root")) args.push("--allow-root");
  return [...args, ...extra];
}

/**
 * Starts a child process with SIGTERM and SIGHUP passed on to it, and waits for it to exit. The listeners are in place
 * before the child starts, so a signal that arrives while it is being spawned still reaches it (on a loaded machine
 * the child can print, and be signalled, before a listener added after `spawn()` exists).
 *
 * @param spawn Starts the child.
 * @returns The child's exit status.
 */
export async function runForwardingSignals(spawn: () => Deno.ChildProcess): Promise<Deno.CommandStatus> {
  if (Deno.build.os === "windows") return await spawn().status;
  let child: Deno.ChildProcess | null = null;
  let pending: Deno.Signal | null = null;
  const send = (signal: Deno.Signal) => {
    try {
      child?.kill(signal);
    } catch {
      // Already gone.
    }
  };
  const listeners = FORWARDED_SIGNALS.map((signal) => {
    const listener = () => child === null ? (pending = signal) : send(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  try {
    child = spawn();
    if (pending !== null) send(pending);
    return await child.status;
  } finally {
    listeners.forEach(([signal, listener]) => Deno.removeSignalListener(signal, listener));
  }
}

async function main(argv: readonly string[]): Promise<number> {
  let args: LabArgs;
  try {
    args = parseLabArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  const installed = await installKernelspec();
  if (installed.changed) console.log(`Installed the ${KERNEL_DISPLAY_NAME} kernel at ${installed.path}`);
  const outDir = Deno.env.get("LIANDAN_EDITIONS_DIR") ?? DEFAULT_OUT;
  let written;
  try {
    written = await buildEditions({ outDir, editions: [args.edition], lang: args.lang });
  } catch (e) {
    console.error((e as Error).message);
    return 2;
  }
  for (const w of written.filter((w) => w.status !== "unchanged")) console.log(describeWritten(w));
  const dir = editionDir(outDir.startsWith("/") ? outDir : join(REPO_ROOT, outDir), args.edition, args.lang);
  const app = await findJupyter();
  if (app === null) {
    console.error(JUPYTER_MISSING_MESSAGE);
    return 1;
  }
  const jupyterArgs = labArgs(app, args.jupyter, dir, Deno.uid() === 0);
  console.log(
    `Starting ${app.kind === "lab" ? "JupyterLab" : "the classic Notebook"} on the ${args.edition} edition: ` +
      `${app.jupyter} ${jupyterArgs.join(" ")}`,
  );
  console.log(
    "Start with 00_welcome.ipynb. Saving a notebook writes its outputs into this copy, never into notebooks/.",
  );
  if (app.kind === "notebook") {
    console.log(
      "Classic Notebook: saved charts show after File > Trust Notebook; running the cells always shows them.",
    );
  }
  const env = { [LANG_ENV]: args.lang };
  // Ctrl-C reaches Jupyter too, which asks to confirm: stay alive until it has shut its kernels down.
  const ignoreInterrupt = () => {};
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGINT", ignoreInterrupt);
  const status = await runForwardingSignals(() =>
    new Deno.Command(app.jupyter, { args: jupyterArgs, cwd: REPO_ROOT, env }).spawn()
  );
  if (Deno.build.os !== "windows") Deno.removeSignalListener("SIGINT", ignoreInterrupt);
  return status.code;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
