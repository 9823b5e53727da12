/**
 * Test helper: runs a test against a fresh, empty model cache.
 *
 * @module
 */
import { setQuick } from "../lib/core/mode.ts";

/**
 * Runs `fn` with LIANDAN_CACHE pointing at a fresh temporary folder, then restores LIANDAN_CACHE, sets quick mode
 * back to following LIANDAN_QUICK and deletes the folder.
 *
 * @param fn The test body; gets the folder.
 * @returns When `fn` has finished and everything is restored.
 */
export async function withTempCache(fn: (root: string) => Promise<void>): Promise<void> {
  const saved = Deno.env.get("LIANDAN_CACHE");
  const root = await Deno.makeTempDir({ prefix: "liandan-cache-test-" });
  Deno.env.set("LIANDAN_CACHE", root);
  try {
    await fn(root);
  } finally {
    if (saved === undefined) Deno.env.delete("LIANDAN_CACHE");
    else Deno.env.set("LIANDAN_CACHE", saved);
    setQuick(null);
    await Deno.remove(root, { recursive: true });
  }
}
