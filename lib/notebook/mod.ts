/**
 * lib/notebook: what the learner sees in the notebook — displays (`show`), the runtime table, progress bars, streamed
 * text, and `fresh` for model cells that are run again. Nothing here touches `Deno.jupyter` at import time.
 *
 * @example
 * ```ts
 * import { formatNumber, progress, runtimeInfo } from "@lib/notebook/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumber(0.1 + 0.2), "0.3");
 * assert.ok(runtimeInfo().cores >= 1);
 * let n = 0;
 * for (const _ of progress(3, { label: "demo" })) n++;
 * assert.equal(n, 3);
 * ```
 *
 * @module
 */
export * from "./display.ts";
export * from "./runtime_info.ts";
export * from "./progress.ts";
export * from "./fresh.ts";
export * from "./text_stream.ts";
export * from "./lang.ts";
