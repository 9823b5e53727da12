/**
 * Re-runnable notebook cells: a cell that creates a model registers it under a name, and running the cell again
 * disposes the model it made last time instead of leaking its tensors.
 *
 * @module
 */

/** Anything with a `dispose()` method: models, tensors, optimizers. */
export interface Disposable {
  /** Frees what the object holds. */
  dispose(): void;
}

const registry = new Map<string, Disposable>();

/**
 * Registers `value` under `name`, first disposing whatever was registered under that name before.
 *
 * Use it where a notebook cell creates a model: `const model = fresh("poet", new CharMlp(…))`. Re-running the cell
 * frees the previous model; other names are untouched.
 *
 * @param name Any non-empty label, unique per model within a notebook.
 * @param value The new object.
 * @returns `value`, for chaining.
 * @throws {TypeError} When `name` is empty or `value` has no `dispose` method.
 * @example
 * ```ts
 * import { fresh } from "@lib/notebook/fresh.ts";
 * import assert from "node:assert/strict";
 * let disposed = 0;
 * const make = () => ({ dispose: () => disposed++ });
 * fresh("model", make());
 * fresh("model", make());
 * assert.equal(disposed, 1);
 * ```
 */
export function fresh<T extends Disposable>(name: string, value: T): T {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(`Cannot register a model as its name must be a non-empty string: got ${JSON.stringify(name)}`);
  }
  if (typeof value?.dispose !== "function") {
    throw new TypeError(`Cannot register "${name}" as it has no dispose() method: got ${value}`);
  }
  const previous = registry.get(name);
  if (previous !== undefined && previous !== value) previous.dispose();
  registry.set(name, value);
  return value;
}

/**
 * Disposes everything registered with {@link fresh} (or only `name`) and forgets it.
 *
 * @param name Only this registration; default: all of them.
 * @returns How many objects were disposed.
 * @example
 * ```ts
 * import { disposeFresh, fresh } from "@lib/notebook/fresh.ts";
 * import assert from "node:assert/strict";
 * let disposed = 0;
 * fresh("a", { dispose: () => disposed++ });
 * assert.equal(disposeFresh("a"), 1);
 * assert.equal(disposeFresh("a"), 0);
 * assert.equal(disposed, 1);
 * ```
 */
export function disposeFresh(name?: string): number {
  const names = name === undefined ? [...registry.keys()] : registry.has(name) ? [name] : [];
  for (const n of names) {
    registry.get(n)!.dispose();
    registry.delete(n);
  }
  return names.length;
}
