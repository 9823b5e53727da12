import assert from "node:assert/strict";
import { tf } from "@lib/core/mod.ts";
import { MultiHeadAttention } from "@lib/attention/mod.ts";
import reference from "../../bench/reference/attention_ref.json" with { type: "json" };

// Numbers recorded from PyTorch (float64) by bench/reference/attention_ref.py: nanoGPT's attention written out (no
// flash), the same formula for inputs and weights, the loss sum(y · r).
const { B, T, S, C, H } = reference.shape;

function formula(shape: number[], k: number, scale: number): tf.Variable {
  const n = shape.reduce((a, b) => a * b, 1);
  const values = Float32Array.from({ length: n }, (_, i) => scale * Math.sin(0.37 * i + 1.3 * k));
  return tf.variable(tf.tensor(values, shape));
}

function lossOf(y: tf.Tensor): tf.Scalar {
  const r = tf.tensor(Float32Array.from({ length: y.size }, (_, i) => Math.cos(0.11 * i)), y.shape);
  return tf.sum(tf.mul(y, r));
}

function assertClose(got: tf.Tensor, want: number[], what: string) {
  const data = got.dataSync();
  assert.equal(data.length, want.length, `${what}: size`);
  const scale = Math.max(1, ...want.map(Math.abs));
  want.forEach((w, i) => assert.ok(Math.abs(data[i] - w) <= 2e-5 * scale, `${what}[${i}]: ${data[i]} vs ${w}`));
}

function setWeights(attn: MultiHeadAttention, order: Record<string, number>) {
  for (const [name, k] of Object.entries(order)) {
    const p = attn.params.get(name)!;
    const v = formula(p.shape, k, 0.2);
    p.assign(v);
    v.dispose();
  }
}

Deno.test("MultiHeadAttention equals PyTorch's written-out causal self-attention: output and gradients", () => {
  const attn = new MultiHeadAttention({ nEmbd: C, nHead: H, causal: true });
  setWeights(attn, { "c_attn.weight": 1, "c_attn.bias": 2, "c_proj.weight": 3, "c_proj.bias": 4 });
  const x = formula([B, T, C], 0, 0.5);
  const want = reference.self;
  assertClose(tf.tidy(() => attn.forward(x)), want.y, "y");
  const vars = [
    x,
    attn.params.get("c_attn.weight")!,
    attn.params.get("c_attn.bias")!,
    attn.params.get("c_proj.weight")!,
  ];
  const { grads } = tf.variableGrads(() => lossOf(attn.forward(x)), vars);
  assertClose(grads[x.name], want.grad_x, "dx");
  assertClose(grads[vars[1].name], want.grad_c_attn_weight, "d c_attn.weight");
  assertClose(grads[vars[2].name], want.grad_c_attn_bias, "d c_attn.bias");
  assertClose(grads[vars[3].name], want.grad_c_proj_weight, "d c_proj.weight");
  tf.dispose([x, ...Object.values(grads)]);
  attn.dispose();
});

Deno.test("MultiHeadAttention equals PyTorch's cross-attention with a padding mask: output and gradients", () => {
  const attn = new MultiHeadAttention({ nEmbd: C, nHead: H, cross: true });
  setWeights(attn, {
    "q_attn.weight": 1,
    "q_attn.bias": 2,
    "kv_attn.weight": 3,
    "kv_attn.bias": 4,
    "c_proj.weight": 6,
    "c_proj.bias": 7,
  });
  const x = formula([B, T, C], 0, 0.5), memory = formula([B, S, C], 5, 0.5);
  const keep = Float32Array.from({ length: B * S }, (_, i) => (i >= S && i % S >= S - 2 ? 0 : 1));
  const mask = tf.tensor4d(keep, [B, 1, 1, S]); // the second memory's last two positions are padding
  const want = reference.cross;
  assertClose(tf.tidy(() => attn.forward(x, { memory, mask })), want.y, "y");
  const vars = [x, memory, attn.params.get("kv_attn.weight")!, attn.params.get("q_attn.weight")!];
  const { grads } = tf.variableGrads(() => lossOf(attn.forward(x, { memory, mask })), vars);
  assertClose(grads[x.name], want.grad_x, "dx");
  assertClose(grads[memory.name], want.grad_memory, "d memory");
  assertClose(grads[vars[2].name], want.grad_kv_attn_weight, "d kv_attn.weight");
  assertClose(grads[vars[3].name], want.grad_q_attn_weight, "d q_attn.weight");
  tf.dispose([x, memory, mask, ...Object.values(grads)]);
  attn.dispose();
});
