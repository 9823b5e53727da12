/**
 * lib/core: the tensor runtime — TensorFlow.js and its backend, seeded randomness, quick mode, the library version,
 * the argument checks and argmax that every folder uses.
 *
 * @example
 * ```ts
 * import { byMode, Prng, SEED, tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(SEED, 1337);
 * assert.ok(byMode(100, 5) > 0);
 * assert.equal(tf.tensor([1, 2]).shape[0], 2);
 * assert.ok(new Prng().next() < 1);
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./random.ts";
export * from "./mode.ts";
export * from "./version.ts";
export * from "./validate.ts";
export * from "./argmax.ts";
export { type BlasInfo, blasInfo, setBlasEnabled, setBlasThreads } from "./kernels/blas.ts";
export { type AdamWAttrs, fusedAdamW, hasFusedAdamW, sumOfSquares } from "./kernels/adamw.ts";
