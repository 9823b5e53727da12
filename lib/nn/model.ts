/**
 * The convention every model of the course follows, so that one training loop, one generator, one checkpoint format
 * and one notebook display serve them all:
 *
 * - `params`: the trainable `tf.Variable`s in one map, by name (`h.0.attn.c_attn.weight`, `hidden.weight`), built
 *   with `Parameters` (parameters.ts: a `Map` that adds, counts and disposes them) either directly or through
 *   the layers of modules.ts (`Linear`, `LayerNorm`) that add their own;
 * - `forward(x, y?, opts?)`: outputs, and the mean loss when targets are given (training mode applies dropout);
 * - `numParams()`: the number of trainable numbers;
 * - `summary()`: parameter counts by group, which the notebook display shows as a table;
 * - `dispose()`: frees the weights.
 *
 * The model does not own its optimizer: the caller makes one over `model.params` (lib/nn's AdamW or SGD) and
 * passes both to `train`.
 *
 * @module
 */
import type { Prng, tf } from "../core/mod.ts";
import { DISPLAY, escapeHtml, type MimeBundle } from "../notebook/display.ts";

/** Options of a model's forward pass. */
export interface ForwardOptions {
  /** Training mode: applies dropout (when the model has any). Default false. */
  training?: boolean;
  /** Seed or generator for dropout masks (used in training mode only). */
  seed?: number | Prng;
  /** Per-target loss weights, the shape of the targets (loss masking). */
  weights?: tf.Tensor;
}

/** What a forward pass returns: outputs (e.g. logits) and, when targets were given, the mean loss. */
export interface ForwardOutput {
  /** The model's outputs, e.g. next-token logits `[B, T, V]`. */
  logits: tf.Tensor;
  /** Mean loss against the targets (when targets were given). */
  loss?: tf.Scalar;
}

/** What the training loop needs of a model: its parameters and a forward pass that can return a loss. */
export interface Trainable {
  /** Trainable weights by name. */
  readonly params: Map<string, tf.Variable>;
  /** Outputs for `x`, and the loss against `y` when given (the caller disposes every tensor returned). */
  forward(x: tf.Tensor, y?: tf.Tensor, opts?: ForwardOptions): { logits?: tf.Tensor; loss?: tf.Scalar };
}

/** One row of a model's {@link Model.summary}: a group of parameters, their shapes and how many numbers they hold. */
export interface ParamGroup {
  /** Group name, e.g. `h.0.attn` or `hidden`. */
  group: string;
  /** Shapes of the group's tensors, e.g. `[128×384] [384]`. */
  shapes: string;
  /** Numbers in the group. */
  count: number;
}

/** A model of the course (see the module documentation). */
export interface Model extends Trainable {
  forward(x: tf.Tensor, y?: tf.Tensor, opts?: ForwardOptions): ForwardOutput;
  /** Number of trainable numbers. */
  numParams(): number;
  /** Parameter counts by group; the counts add up to `numParams()`. */
  summary(): ParamGroup[];
  /** Shown in a notebook: a one-line description and the summary table. */
  [DISPLAY](): MimeBundle;
  /** Frees the weights. */
  dispose(): void;
}

/** A model that predicts the next token of a sequence: what `generate` needs. */
export interface LanguageModel extends Model {
  /** Vocabulary size and the longest context the model reads (older tokens are cropped). */
  readonly config: { readonly vocabSize: number; readonly blockSize: number };
}

/**
 * Groups parameters by the part of their name before the first dot (or by `groupOf`), with shapes and counts.
 *
 * @param params Parameters by name.
 * @param groupOf The group of a parameter name (default: the name up to its first dot).
 * @returns One row per group, in the order groups first appear.
 * @example
 * ```ts
 * import { tf } from "@lib/core/mod.ts";
 * import { paramGroups } from "@lib/nn/model.ts";
 * import assert from "node:assert/strict";
 * const params = new Map([["hidden.weight", tf.variable(tf.zeros([3, 2]))], ["hidden.bias", tf.variable(tf.zeros([2]))]]);
 * assert.deepEqual(paramGroups(params), [{ group: "hidden", shapes: "[3×2] [2]", count: 8 }]);
 * ```
 */
export function paramGroups(
  params: Map<string, tf.Variable>,
  groupOf: (name: string) => string = (name) => name.split(".")[0],
): ParamGroup[] {
  const groups = new Map<string, { shapes: string[]; count: number }>();
  for (const [name, p] of params) {
    const group = groupOf(name);
    const g = groups.get(group) ?? { shapes: [], count: 0 };
    g.shapes.push(`[${p.shape.join("×")}]`);
    g.count += p.size;
    groups.set(group, g);
  }
  return [...groups].map(([group, g]) => ({ group, shapes: g.shapes.join(" "), count: g.count }));
}

/**
 * The notebook display of a model: a heading line and its parameter table, as text and HTML.
 *
 * @param head One line, e.g. `GPT: 4 layers, …: 804,096 parameters`.
 * @param rows The model's summary.
 * @returns A MIME bundle with `text/plain` and `text/html`.
 * @example
 * ```ts
 * import { summaryBundle } from "@lib/nn/model.ts";
 * import assert from "node:assert/strict";
 * const bundle = summaryBundle("MLP: 8 parameters", [{ group: "hidden", shapes: "[3×2] [2]", count: 8 }]);
 * assert.equal(bundle["text/plain"], "MLP: 8 parameters\nhidden               8  [3×2] [2]");
 * ```
 */
export function summaryBundle(head: string, rows: readonly ParamGroup[]): MimeBundle {
  const text = rows.map((r) => `${r.group.padEnd(12)} ${String(r.count).padStart(9)}  ${r.shapes}`).join("\n");
  const cells = rows.map((r) =>
    `<tr><td>${escapeHtml(r.group)}</td><td>${r.shapes}</td><td style="text-align:right">${r.count}</td></tr>`
  );
  const html = `<p>${escapeHtml(head)}</p><table><tr><th>group</th><th>shapes</th><th>parameters</th></tr>` +
    cells.join("") + "</table>";
  return { "text/plain": `${head}\n${text}`, "text/html": html };
}
