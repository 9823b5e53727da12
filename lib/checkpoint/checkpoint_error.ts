/**
 * The error of a checkpoint or safetensors file that is missing, damaged, of another version or of another model.
 *
 * @module
 */

/**
 * Raised when a checkpoint on disk is missing, damaged, of another version or kind, or does not fit what was
 * expected; the message names the directory or file and what does not match.
 *
 * @example
 * ```ts
 * import { CheckpointError } from "@lib/checkpoint/checkpoint_error.ts";
 * import assert from "node:assert/strict";
 * const e = new CheckpointError("Cannot load checkpoint from \"x\" as the directory does not exist");
 * assert.equal(e.name, "CheckpointError");
 * assert.ok(e instanceof Error);
 * ```
 */
export class CheckpointError extends Error {
  /** Always `"CheckpointError"`. */
  override name = "CheckpointError";
}
