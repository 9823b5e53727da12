import { runNotebook } from "./nb.ts";
const [path, mode] = Deno.args;
const r = await runNotebook(path, { smoke: mode === "smoke", full: mode === "full" });
console.log(r.name, r.ok, r.seconds, JSON.stringify(r.slowest), r.fenceGaveUp);
