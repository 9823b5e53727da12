/**
 * `deno task check:backend [--backend webgpu]`: says which device a backend runs on (the GPU adapter for webgpu), then
 * runs tools/backend_parity.ts on it — the GPT's operations against tfjs's cpu backend — and exits 1 on a mismatch.
 *
 * @module
 */
import { BACKENDS, parseBackendName, tf } from "../lib/core/mod.ts";
import { checkParity, parityTable } from "../tools/backend_parity.ts";
import { type Flag, helpText, parseFlags, runCli } from "../tools/_gpt_cli.ts";

const FLAGS: Record<string, Flag> = {
  backend: { type: "string", default: "webgpu", help: `backend to check against cpu (${BACKENDS.join(", ")})` },
  tolerance: { type: "number", default: 1e-4, min: 0, help: "allowed error relative to max(1, largest value)" },
};

/** The GPU adapter WebGPU would use, in words, or null. */
export async function adapterInfo(): Promise<string | null> {
  const gpu = (globalThis.navigator as { gpu?: GPU } | undefined)?.gpu;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: "high-performance" }) : null;
  if (!adapter) return null;
  const i = adapter.info;
  const words = [i.description, i.vendor && `vendor ${i.vendor}`, i.architecture, i.device && `device ${i.device}`];
  return words.filter((w) => w).join(", ");
}

async function main(args: string[]): Promise<void> {
  const f = parseFlags(args, FLAGS);
  if (!f) return console.log(helpText("Usage: deno task check:backend [--backend webgpu] [--tolerance 1e-4]", FLAGS));
  const backend = parseBackendName(f.backend as string);
  if (backend === "webgpu") console.log(`WebGPU adapter: ${await adapterInfo() ?? "none"}`);
  const t0 = performance.now();
  const rows = await checkParity(backend, f.tolerance as number);
  console.log(parityTable(rows));
  const bad = rows.filter((r) => !r.ok).length;
  console.log(
    `${backend} vs cpu: ${rows.length - bad}/${rows.length} cases equal within ${f.tolerance} ` +
      `(${((performance.now() - t0) / 1000).toFixed(1)} s; backend in use before: ${tf.getBackend()})`,
  );
  if (bad) Deno.exit(1);
}

if (import.meta.main) await runCli(main);
