// The softmax of attention, forward and backward in one pass each (softmax.ts's LiandanAttentionSoftmax and
// LiandanSoftmaxGrad kernels), compiled to WebAssembly by tools/build_wasm.ts into _softmax_wasm.ts. Like the other C
// kernels, the module imports tfjs-backend-wasm's memory: pointers are addresses in that heap, and it writes only the
// outputs it is handed.
//
// forward:  p[i, j] = softmax_j(scale·s[i, j]) over the keys j that query i may see: every key, or, with a causal
//           offset o ≥ 0, keys j ≤ i + o (the others get p = 0, exactly what a −∞ mask gives)
// backward: ds[i, j] = scale·p[i, j]·(dp[i, j] − Σ_k dp[i, k]·p[i, k]), the gradient of the scores s

#include <wasm_simd128.h>

#include "_simd_exp.h"

#define EXPORT(name) __attribute__((export_name(#name)))
#define SPLAT(v) wasm_f32x4_splat(v)

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

static inline float hmax(v128_t v) {
  const float a = wasm_f32x4_extract_lane(v, 0), b = wasm_f32x4_extract_lane(v, 1);
  const float c = wasm_f32x4_extract_lane(v, 2), d = wasm_f32x4_extract_lane(v, 3);
  const float ab = a > b ? a : b, cd = c > d ? c : d;
  return ab > cd ? ab : cd;
}

// p from s, both [mats, tq, tk]; causal < 0: no mask, else the offset o above.
EXPORT(attention_softmax)
void attention_softmax(const float *s, float *p, int mats, int tq, int tk, float scale, int causal) {
  const v128_t vscale = SPLAT(scale);
  for (int row = 0; row < mats * tq; row++) {
    const int i = row % tq;
    int n = causal < 0 ? tk : i + causal + 1; // keys this query sees
    if (n > tk) n = tk;
    const float *sr = s + row * tk;
    float *pr = p + row * tk;
    const int vec = n & ~3;
    v128_t vm = SPLAT(-3.4e38f);
    for (int j = 0; j < vec; j += 4) vm = wasm_f32x4_pmax(vm, wasm_v128_load(sr + j));
    float m = hmax(vm);
    for (int j = vec; j < n; j++) m = sr[j] > m ? sr[j] : m;
    const v128_t vmax = SPLAT(m * scale);
    v128_t acc = SPLAT(0.0f);
    for (int j = 0; j < vec; j += 4) {
      const v128_t e = exp_nonpositive(wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(sr + j), vscale), vmax));
      wasm_v128_store(pr + j, e);
      acc = wasm_f32x4_add(acc, e);
    }
    float sum = hsum(acc);
    for (int j = vec; j < n; j++) {
      const float e = wasm_f32x4_extract_lane(exp_nonpositive(SPLAT(sr[j] * scale - m * scale)), 0);
      pr[j] = e;
      sum += e;
    }
    const v128_t inv = SPLAT(1.0f / sum);
    for (int j = 0; j < vec; j += 4) wasm_v128_store(pr + j, wasm_f32x4_mul(wasm_v128_load(pr + j), inv));
    for (int j = vec; j < n; j++) pr[j] *= 1.0f / sum;
    for (int j = n; j < tk; j++) pr[j] = 0.0f;
  }
}

// ds from p and dp, all [rows, cols].
EXPORT(softmax_backward)
void softmax_backward(const float *p, const float *dp, float *ds, int rows, int cols, float scale) {
  const int vec = cols & ~3;
  for (int r = 0; r < rows; r++) {
    const float *pr = p + r * cols, *dpr = dp + r * cols;
    float *dsr = ds + r * cols;
    v128_t acc = SPLAT(0.0f);
    for (int j = 0; j < vec; j += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(pr + j), wasm_v128_load(dpr + j)));
    float dot = hsum(acc);
    for (int j = vec; j < cols; j++) dot += pr[j] * dpr[j];
    const v128_t vdot = SPLAT(dot), vscale = SPLAT(scale);
    for (int j = 0; j < vec; j += 4) {
      const v128_t d = wasm_f32x4_sub(wasm_v128_load(dpr + j), vdot);
      wasm_v128_store(dsr + j, wasm_f32x4_mul(wasm_f32x4_mul(wasm_v128_load(pr + j), d), vscale));
    }
    for (int j = vec; j < cols; j++) dsr[j] = pr[j] * (dpr[j] - dot) * scale;
  }
}
