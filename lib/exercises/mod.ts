/**
 * lib/exercises: small worked problems the notebooks build on (the article's 早上好 example, ...).
 *
 * @example
 * ```ts
 * import { encodeExample, loss } from "@lib/exercises/mod.ts";
 * import assert from "node:assert/strict";
 * assert.equal(loss({ x: 1, y: 1 }, [encodeExample("早上", "好")]), 0);
 * ```
 *
 * @module
 */
export * from "./zao_shang_hao.ts";
