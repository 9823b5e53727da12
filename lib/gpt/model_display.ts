/**
 * How a GPT shows itself in a notebook: its config and a table of parameter counts by group.
 *
 * @module
 */
import type { tf } from "../core/mod.ts";
import type { MimeBundle } from "../notebook/display.ts";
import { type ParamGroup, paramGroups, summaryBundle } from "../nn/model.ts";
import type { GptConfig } from "./config.ts";

/**
 * Groups a GPT's parameters: `wte`, `wpe`, then per block `h.i.ln` (both LayerNorms), `h.i.attn`, `h.i.mlp`, and `ln_f`.
 *
 * @param params Parameters by GPT-2 name, in model order.
 * @returns One row per group, in order of first appearance; the counts add up to the model's size.
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { gptSummary } from "@lib/gpt/model_display.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const rows = gptSummary(model.params);
 * assert.equal(rows.reduce((n, r) => n + r.count, 0), model.numParams());
 * assert.equal(rows[0].group, "wte");
 * model.dispose();
 * ```
 */
export function gptSummary(params: Map<string, tf.Variable>): ParamGroup[] {
  return paramGroups(params, (name) => {
    const parts = name.split(".");
    if (parts[0] !== "h") return parts[0];
    return parts[2].startsWith("ln") ? `h.${parts[1]}.ln` : parts.slice(0, 3).join(".");
  });
}

/**
 * The notebook display of a GPT: a heading line and the {@link gptSummary} table (HTML, with a text fallback).
 *
 * @param config The model's config.
 * @param total Its parameter count.
 * @param rows Its summary.
 * @returns A MIME bundle with `text/plain` and `text/html`.
 * @example
 * ```ts
 * import { GPT, GPT_TINY } from "@lib/gpt/mod.ts";
 * import { gptDisplay } from "@lib/gpt/model_display.ts";
 * import assert from "node:assert/strict";
 * const model = new GPT(GPT_TINY);
 * const bundle = gptDisplay(model.config, model.numParams(), model.summary());
 * assert.match(String(bundle["text/plain"]), /^GPT: 2 layers, 2 heads, 16 wide/);
 * model.dispose();
 * ```
 */
export function gptDisplay(config: Readonly<GptConfig>, total: number, rows: readonly ParamGroup[]): MimeBundle {
  const head =
    `GPT: ${config.nLayer} layers, ${config.nHead} heads, ${config.nEmbd} wide, context ${config.blockSize}, ` +
    `vocabulary ${config.vocabSize}: ${total.toLocaleString("en")} parameters`;
  return summaryBundle(head, rows);
}
