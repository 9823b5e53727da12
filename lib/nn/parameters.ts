/**
 * A model's parameters: one `Map` from a name (`h.0.attn.c_attn.weight`) to a trainable `tf.Variable`, shared by the
 * units that make up a model, so that counting, saving, loading and optimizing them is a loop over a map.
 *
 * @module
 */
import { tf } from "../core/mod.ts";

let nextId = 0;

/**
 * Named trainable variables, in the order they were added (the order of a checkpoint and of the optimizer).
 *
 * @example
 * ```ts
 * import { Parameters } from "@lib/nn/parameters.ts";
 * import { tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * const params = new Parameters("demo");
 * const w = params.add("w", tf.zeros([2, 3]));
 * assert.equal(params.get("w"), w);
 * assert.equal(params.count(), 6);
 * params.dispose();
 * ```
 */
export class Parameters extends Map<string, tf.Variable> {
  readonly #tag: string;

  /** @param tag A word that makes the variables' tfjs names readable (`gpt.wte.weight.3`). */
  constructor(tag = "param") {
    super();
    this.#tag = tag;
  }

  /**
   * Adds a trainable variable holding `value` (which is then disposed).
   *
   * @param name The parameter's name, e.g. `h.0.ln_1.weight`.
   * @param value Its initial value.
   * @returns The variable.
   * @throws {RangeError} When a parameter of that name exists already.
   */
  add(name: string, value: tf.Tensor): tf.Variable {
    if (this.has(name)) {
      value.dispose();
      throw new RangeError(`Cannot add parameter "${name}" as one of that name exists already`);
    }
    const v = tf.variable(value, true, `${this.#tag}.${name}.${nextId++}`);
    value.dispose();
    this.set(name, v);
    return v;
  }

  /**
   * Replaces a parameter's variable by a new one holding `value` (a new shape is allowed), keeping its place in the
   * order; the old variable is disposed.
   *
   * @param name An existing parameter's name.
   * @param value The new value (then disposed).
   * @returns The new variable.
   * @throws {RangeError} When there is no parameter of that name.
   */
  replace(name: string, value: tf.Tensor): tf.Variable {
    const old = this.get(name);
    if (!old) {
      value.dispose();
      throw new RangeError(`Cannot replace parameter "${name}" as there is none of that name`);
    }
    const v = tf.variable(value, true, `${this.#tag}.${name}.${nextId++}`);
    value.dispose();
    old.dispose();
    this.set(name, v); // an existing key keeps its place
    return v;
  }

  /**
   * Number of parameters (numbers), optionally leaving some out.
   *
   * @param skip Names not to count (e.g. `["wpe.weight"]`, as nanoGPT reports its count).
   * @returns The count.
   */
  count(skip: readonly string[] = []): number {
    let n = 0;
    for (const [name, p] of this) if (!skip.includes(name)) n += p.size;
    return n;
  }

  /** Frees every variable and empties the map. */
  dispose(): void {
    for (const p of this.values()) p.dispose();
    this.clear();
  }
}
