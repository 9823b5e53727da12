import assert from "node:assert/strict";
import { backendName, BACKENDS, blasInfo, parseBackendName, tf, useBackend } from "@lib/core/mod.ts";
import { runtimeInfo } from "@lib/notebook/mod.ts";

Deno.test("backend: wasm is the default and the active backend under tests", () => {
  assert.equal(parseBackendName(undefined), "wasm");
  assert.equal(parseBackendName(""), "wasm");
  assert.equal(backendName(), parseBackendName(Deno.env.get("LIANDAN_BACKEND")));
});

Deno.test("backend: unknown names list the valid ones", () => {
  assert.throws(() => parseBackendName("tpu"), {
    name: "RangeError",
    message: `Cannot use backend "tpu": LIANDAN_BACKEND must be one of ${BACKENDS.join(", ")} (default wasm)`,
  });
});

Deno.test("backend: switching to cpu and back gives the same numbers and no banner", async () => {
  const before = backendName();
  const logged: unknown[] = [];
  const warn = console.warn, log = console.log;
  console.warn = (...a: unknown[]) => logged.push(a);
  console.log = (...a: unknown[]) => logged.push(a);
  try {
    await useBackend("cpu");
    const onCpu = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync());
    await useBackend("wasm");
    const onWasm = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]]), tf.tensor2d([[5], [6]])).dataSync());
    assert.deepEqual(Array.from(onCpu), [17, 39]);
    assert.deepEqual(Array.from(onWasm), [17, 39]);
  } finally {
    console.warn = warn;
    console.log = log;
    await useBackend(before);
  }
  assert.equal(JSON.stringify(logged).includes("tfjs-node"), false, JSON.stringify(logged));
});

Deno.test("runtimeInfo: reports versions, backend and a display bundle", () => {
  const info = runtimeInfo();
  assert.equal(info.tfjs, "4.22.0");
  assert.equal(info.deno, Deno.version.deno);
  assert.equal(info.backend, backendName());
  const bundle = info[Symbol.for("Jupyter.display")]();
  assert.match(bundle["text/plain"], /backend\s+wasm/);
  assert.match(bundle["text/html"], /<table>/);
  const blas = blasInfo();
  assert.equal(info.blas.startsWith("off: "), !blas.enabled);
  if (blas.enabled) assert.ok(info.blas.startsWith(blas.library!));
});

Deno.test("backend: webgpu without an adapter says so and how to fall back", async () => {
  const before = backendName();
  Object.defineProperty(navigator, "gpu", {
    value: { requestAdapter: () => Promise.resolve(null) },
    configurable: true,
  });
  try {
    await assert.rejects(() => useBackend("webgpu"), {
      name: "Error",
      message: "Cannot use backend webgpu: no WebGPU adapter was found on this machine. " +
        "Run on the CPU instead: unset LIANDAN_BACKEND (or set LIANDAN_BACKEND=wasm) and restart the kernel.",
    });
    assert.equal(backendName(), before, "the backend is unchanged");
  } finally {
    delete (navigator as { gpu?: unknown }).gpu;
  }
});
