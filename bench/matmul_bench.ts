/**
 * matMul on the GPT_BABY shapes (batch 12, context 64, width 128, 4 heads of 32) on each path:
 * cpu, tfjs-backend-wasm's own kernel (scalar loop for transposed/batched), our wasm kernel (XNNPACK), and our
 * wasm kernel with native BLAS.
 *
 *   deno task bench:matmul              # deno bench: time per product
 *   deno run -A bench/matmul_bench.ts   # a GFLOP/s table
 *
 * @module
 */
import { tf, useBackend } from "@lib/core/backend.ts";
import { blasInfo, originalWasmKernel, setBlasEnabled, setBlasThreads, WASM_KERNELS } from "@lib/core/kernels/mod.ts";

/** A product `op(a) · op(b)` of the GPT_BABY training step. */
interface Shape {
  name: string;
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const B = 12, T = 64, C = 128, H = 4, HS = C / H, V = 65;
const N = B * T;

export const SHAPES: readonly Shape[] = [
  { name: "qkv x·W", a: [N, C], b: [C, 3 * C], transposeA: false, transposeB: false },
  { name: "mlp x·W", a: [N, C], b: [C, 4 * C], transposeA: false, transposeB: false },
  { name: "mlp dW = xᵀ·dy", a: [N, C], b: [N, 4 * C], transposeA: true, transposeB: false },
  { name: "mlp dx = dy·Wᵀ", a: [N, 4 * C], b: [C, 4 * C], transposeA: false, transposeB: true },
  { name: "lm head x·Eᵀ", a: [N, C], b: [V, C], transposeA: false, transposeB: true },
  { name: "scores q·kᵀ", a: [B * H, T, HS], b: [B * H, T, HS], transposeA: false, transposeB: true },
  { name: "att·v", a: [B * H, T, T], b: [B * H, T, HS], transposeA: false, transposeB: false },
  { name: "dv = attᵀ·dy", a: [B * H, T, T], b: [B * H, T, HS], transposeA: true, transposeB: false },
];

export type Path = "cpu" | "wasm (tfjs)" | "wasm" | "wasm+BLAS" | "wasm+BLAS×2";
/** The paths compared; `wasm+BLAS×2` runs OpenBLAS with 2 threads (the default is 1). */
export const PATHS: readonly Path[] = ["cpu", "wasm (tfjs)", "wasm", "wasm+BLAS", "wasm+BLAS×2"];

/** Floating-point operations of one product. */
export function flops(s: Shape): number {
  const m = s.transposeA ? s.a.at(-1)! : s.a.at(-2)!;
  const k = s.transposeA ? s.a.at(-2)! : s.a.at(-1)!;
  const n = s.transposeB ? s.b.at(-2)! : s.b.at(-1)!;
  const batch = s.a.slice(0, -2).reduce((x, y) => x * y, 1);
  return 2 * batch * m * n * k;
}

const ours = WASM_KERNELS.find((k) => k.kernelName === "BatchMatMul")!;
let current: tf.KernelConfig = ours;

/** Switches backend, BatchMatMul kernel and BLAS for a path. */
async function usePath(path: Path): Promise<void> {
  await useBackend(path === "cpu" ? "cpu" : "wasm");
  const wanted = path === "wasm (tfjs)" ? originalWasmKernel("BatchMatMul")! : ours;
  if (wanted !== current) {
    tf.unregisterKernel("BatchMatMul", "wasm");
    tf.registerKernel(wanted);
    wanted.setupFunc?.(tf.backend()); // tfjs's kernel binds its C function in setup
    current = wanted;
  }
  setBlasEnabled(path.startsWith("wasm+BLAS"));
  if (blasInfo().available) setBlasThreads(path === "wasm+BLAS×2" ? 2 : 1);
}

const inputs = new Map<string, [tf.Tensor, tf.Tensor]>();

/** The operands of a shape on the current backend, created once. */
function operands(s: Shape): [tf.Tensor, tf.Tensor] {
  const key = `${tf.getBackend()} ${s.name}`;
  if (!inputs.has(key)) {
    inputs.set(key, [tf.randomNormal(s.a, 0, 1, "float32", 1), tf.randomNormal(s.b, 0, 1, "float32", 2)]);
  }
  return inputs.get(key)!;
}

/** One product on the current path. */
function product(s: Shape, a: tf.Tensor, b: tf.Tensor): void {
  tf.matMul(a, b, s.transposeA, s.transposeB).dispose();
}

const slow = (path: Path) => path === "cpu" || path === "wasm (tfjs)";

for (const s of SHAPES) {
  for (const path of PATHS) {
    if (path.startsWith("wasm+BLAS") && !blasInfo().available) continue;
    Deno.bench({
      name: path,
      group: `${s.name} ${JSON.stringify(s.a)}${s.transposeA ? "ᵀ" : ""}·${JSON.stringify(s.b)}${
        s.transposeB ? "ᵀ" : ""
      }`,
      baseline: path === "wasm",
      n: slow(path) ? 5 : 50,
      warmup: 2,
      async fn(bench) {
        await usePath(path);
        const [a, b] = operands(s);
        bench.start();
        product(s, a, b);
        bench.end();
      },
    });
  }
}

/** Measures GFLOP/s of every shape on every path for about `ms` milliseconds each. */
export async function gflops(ms = 400): Promise<Record<string, Record<string, number>>> {
  const table: Record<string, Record<string, number>> = {};
  for (const path of PATHS) {
    if (path.startsWith("wasm+BLAS") && !blasInfo().available) continue;
    await usePath(path);
    for (const s of SHAPES) {
      const [a, b] = operands(s);
      product(s, a, b);
      let runs = 0;
      const start = performance.now();
      while (performance.now() - start < (slow(path) ? ms / 2 : ms)) product(s, a, b), runs++;
      const seconds = (performance.now() - start) / 1000 / runs;
      (table[s.name] ??= {})[path] = Math.round(flops(s) / seconds / 1e8) / 10;
    }
  }
  await usePath("wasm");
  return table;
}

if (import.meta.main) {
  console.log(`GFLOP/s, ${navigator.hardwareConcurrency} cores, BLAS: ${JSON.stringify(blasInfo())}`);
  console.table(await gflops());
}
