/**
 * The version of lib/, from deno.json: part of every model-cache key and every checkpoint's config.
 *
 * @module
 */
import config from "../../deno.json" with { type: "json" };

/** The version of lib/ (deno.json's `version`). */
export const LIB_VERSION: string = config.version;
