/**
 * File-system helpers shared by the checkpoint writer, the model cache and the command-line tools.
 *
 * @module
 */

/**
 * Whether anything is at `path` (a file, a folder, or a link, even one whose target is gone: `Deno.lstat`).
 *
 * @param path A path.
 * @returns True when an entry is there; false when nothing is.
 * @throws Errors other than "not found" (permission denied, …), unchanged.
 * @example
 * ```ts
 * import { exists } from "@lib/checkpoint/fs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(await exists(Deno.cwd()), true);
 * assert.equal(await exists(`${Deno.cwd()}/no such file here`), false);
 * ```
 */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return false;
    throw err;
  }
}
