/**
 * lib/core: TensorFlow.js and its backend, seeded randomness, quick mode, runtime facts.
 *
 * @example
 * ```ts
 * import { Prng, SEED, steps, tf } from "@lib/core/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(SEED, 1337);
 * assert.ok(steps(100, 5) > 0);
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
export * from "./check_positive_integer.ts";
export { type BlasInfo, blasInfo, setBlasEnabled, setBlasThreads } from "./kernels/blas.ts";
