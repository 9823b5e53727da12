// The arithmetic of an AdamW step (adamw.ts's kernels), compiled to WebAssembly by tools/build_wasm.ts into
// _optim_wasm.ts. Like conv_kernels.c, the module imports tfjs-backend-wasm's own memory, so the pointers are
// addresses in that heap; it has no data, no globals and no stack, and writes only the outputs it is handed.

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define SPLAT(v) wasm_f32x4_splat(v)

// Σ g[i]², accumulated in double precision (800k squares summed in float32 would lose digits of the norm).
EXPORT(sum_squares)
double sum_squares(const float *g, int n) {
  v128_t lo = wasm_f64x2_splat(0.0), hi = wasm_f64x2_splat(0.0);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(g + i);
    const v128_t sq = wasm_f32x4_mul(v, v);
    lo = wasm_f64x2_add(lo, wasm_f64x2_promote_low_f32x4(sq));
    hi = wasm_f64x2_add(hi, wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(sq, sq, 2, 3, 0, 1)));
  }
  double sum = wasm_f64x2_extract_lane(lo, 0) + wasm_f64x2_extract_lane(lo, 1) + wasm_f64x2_extract_lane(hi, 0) +
               wasm_f64x2_extract_lane(hi, 1);
  for (; i < n; i++) sum += (double)g[i] * g[i];
  return sum;
}

// One AdamW update of n weights, PyTorch's formula with decoupled weight decay:
//   g' = scale·g, m' = b1·m + (1 − b1)·g', v' = b2·v + (1 − b2)·g'², p' = keep·p − step·m' / (√(rc2·v') + eps)
// where scale clips the global norm, keep = 1 − lr·decay, step = lr / (1 − b1^t) and rc2 = 1 / (1 − b2^t).
EXPORT(adamw_update)
void adamw_update(const float *p, const float *g, const float *m, const float *v, float *p2, float *m2, float *v2,
                  int n, float scale, float b1, float b2, float step, float rc2, float eps, float keep) {
  const v128_t vs = SPLAT(scale), vb1 = SPLAT(b1), va1 = SPLAT(1.0f - b1), vb2 = SPLAT(b2), va2 = SPLAT(1.0f - b2);
  const v128_t vstep = SPLAT(step), vrc2 = SPLAT(rc2), veps = SPLAT(eps), vkeep = SPLAT(keep);
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t gi = wasm_f32x4_mul(wasm_v128_load(g + i), vs);
    const v128_t mi = wasm_f32x4_add(wasm_f32x4_mul(vb1, wasm_v128_load(m + i)), wasm_f32x4_mul(va1, gi));
    const v128_t vi = wasm_f32x4_add(wasm_f32x4_mul(vb2, wasm_v128_load(v + i)),
                                     wasm_f32x4_mul(va2, wasm_f32x4_mul(gi, gi)));
    const v128_t denom = wasm_f32x4_add(wasm_f32x4_sqrt(wasm_f32x4_mul(vi, vrc2)), veps);
    const v128_t pi = wasm_f32x4_sub(wasm_f32x4_mul(wasm_v128_load(p + i), vkeep),
                                     wasm_f32x4_div(wasm_f32x4_mul(vstep, mi), denom));
    wasm_v128_store(m2 + i, mi);
    wasm_v128_store(v2 + i, vi);
    wasm_v128_store(p2 + i, pi);
  }
  for (; i < n; i++) {
    const float gi = g[i] * scale;
    const float mi = m2[i] = b1 * m[i] + (1.0f - b1) * gi;
    const float vi = v2[i] = b2 * v[i] + (1.0f - b2) * gi * gi;
    p2[i] = p[i] * keep - step * mi / (__builtin_sqrtf(vi * rc2) + eps);
  }
}
