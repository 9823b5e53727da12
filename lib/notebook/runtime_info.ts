/**
 * What the course is running on, for the first cell of every notebook.
 *
 * @module
 */
import { backendName, blasInfo, isQuick, LIB_VERSION, tf } from "../core/mod.ts";
import { DISPLAY, escapeHtml } from "./display.ts";

/** What {@link runtimeInfo} reports. */
export interface RuntimeInfo {
  /** Deno's version. */
  deno: string;
  /** TensorFlow.js's version. */
  tfjs: string;
  /** The backend in use: wasm, cpu or webgpu. */
  backend: string;
  /** Logical CPU cores. */
  cores: number;
  /** Whether quick mode (`LIANDAN_QUICK=1`) is on. */
  quick: boolean;
  /** The course library's version. */
  lib: string;
  /** Operating system and architecture. */
  os: string;
  /** Native matrix products: the BLAS library in use under the wasm backend, or why there is none. */
  blas: string;
}

function describeBlas(): string {
  const b = blasInfo();
  if (b.enabled) {
    return `${b.library}${b.threads === null ? "" : ` (${b.threads} thread${b.threads === 1 ? "" : "s"})`}`;
  }
  return `off: ${b.reason}`;
}

/**
 * Reports the runtime: Deno, tfjs, backend, CPU cores, quick mode and native BLAS. Shown as a small table in a notebook.
 *
 * @returns The facts, with a Jupyter display method.
 * @example
 * ```ts
 * import { runtimeInfo } from "@lib/notebook/runtime_info.ts";
 * import assert from "node:assert/strict";
 * const info = runtimeInfo();
 * assert.match(info.tfjs, /^4\./);
 * assert.ok(info.cores >= 1);
 * ```
 */
export function runtimeInfo(): RuntimeInfo & { [key: symbol]: () => Record<string, string> } {
  const info: RuntimeInfo = {
    deno: Deno.version.deno,
    tfjs: tf.version_core,
    backend: backendName(),
    cores: navigator.hardwareConcurrency ?? 1,
    quick: isQuick(),
    lib: LIB_VERSION,
    os: `${Deno.build.os} ${Deno.build.arch}`,
    blas: describeBlas(),
  };
  const rows = Object.entries(info).map(([k, v]) => [k, String(v)]);
  return {
    ...info,
    [DISPLAY]: () => ({
      "text/plain": rows.map(([k, v]) => `${k.padEnd(8)} ${v}`).join("\n"),
      "text/html": `<table>${
        rows.map(([k, v]) => `<tr><th style="text-align:left">${k}</th><td>${escapeHtml(v)}</td></tr>`).join("")
      }</table>`,
    }),
  };
}
