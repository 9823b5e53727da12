import assert from "node:assert/strict";
import { join } from "node:path";
import { exists } from "@lib/checkpoint/fs.ts";

Deno.test("exists sees files, folders and dangling links, and not missing paths", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await exists(dir), true);
    await Deno.writeTextFile(join(dir, "a"), "x");
    assert.equal(await exists(join(dir, "a")), true);
    assert.equal(await exists(join(dir, "b")), false);
    await Deno.symlink(join(dir, "gone"), join(dir, "link"));
    assert.equal(await exists(join(dir, "link")), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
