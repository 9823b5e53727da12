// The exact GELU and its derivative (gelu.ts's GeluParts kernel), compiled to WebAssembly by tools/build_wasm.ts into
// _activations_wasm.ts. Like conv_kernels.c, the module imports tfjs-backend-wasm's own memory, so the pointers are
// addresses in that heap; it has no data, no globals and no stack, and writes only the outputs it is handed.
//
// gelu(x) = x·Φ(x), gelu'(x) = Φ(x) + x·φ(x), with Φ from Abramowitz & Stegun 7.1.26 (absolute error < 1.5e-7, the
// formula of tfjs's cpu Erf): for t = 1/(1 + p·|x|/√2), q = ½·t·(a1 + t·(a2 + t·(a3 + t·(a4 + t·a5))))·e^(−x²/2) is
// Φ(−|x|), and e^(−x²/2) = √(2π)·φ(x) is also the density the derivative needs. Four numbers at a time (SIMD).

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define SPLAT(v) wasm_f32x4_splat(v)

#include "_simd_exp.h"

// Φ(x) and e^(−x²/2) of four numbers.
static inline __attribute__((always_inline)) v128_t normal_cdf(v128_t x, v128_t *e) {
  const v128_t ax = wasm_f32x4_abs(x);
  const v128_t t = wasm_f32x4_div(SPLAT(1.0f), wasm_f32x4_add(SPLAT(1.0f), wasm_f32x4_mul(ax, SPLAT(0.3275911f * 0.70710678118654752f))));
  v128_t poly = SPLAT(1.061405429f);
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), SPLAT(-1.453152027f));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), SPLAT(1.421413741f));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), SPLAT(-0.284496736f));
  poly = wasm_f32x4_add(wasm_f32x4_mul(poly, t), SPLAT(0.254829592f));
  *e = exp_nonpositive(wasm_f32x4_mul(wasm_f32x4_mul(x, x), SPLAT(-0.5f)));
  const v128_t q = wasm_f32x4_mul(wasm_f32x4_mul(wasm_f32x4_mul(poly, t), *e), SPLAT(0.5f)); // Φ(−|x|)
  return wasm_v128_bitselect(wasm_f32x4_sub(SPLAT(1.0f), q), q, wasm_f32x4_ge(x, SPLAT(0.0f)));
}

// y[i] = gelu(x[i]) and, when d is not null, d[i] = gelu'(x[i]), for i < n. The tail past a multiple of four is
// done one number at a time (in lane 0 of a vector), so nothing outside the arrays is touched.
EXPORT(gelu_parts)
void gelu_parts(const float *x, float *y, float *d, int n) {
  int i = 0;
  for (; i + 4 <= n; i += 4) {
    const v128_t v = wasm_v128_load(x + i);
    v128_t e;
    const v128_t cdf = normal_cdf(v, &e);
    wasm_v128_store(y + i, wasm_f32x4_mul(v, cdf));
    if (d) {
      const v128_t pdf = wasm_f32x4_mul(e, SPLAT(0.39894228040143268f)); // φ(x) = e^(−x²/2)/√(2π)
      wasm_v128_store(d + i, wasm_f32x4_add(cdf, wasm_f32x4_mul(v, pdf)));
    }
  }
  for (; i < n; i++) {
    const v128_t v = wasm_f32x4_splat(x[i]);
    v128_t e;
    const v128_t cdf = normal_cdf(v, &e);
    y[i] = wasm_f32x4_extract_lane(wasm_f32x4_mul(v, cdf), 0);
    if (d) {
      const v128_t pdf = wasm_f32x4_mul(e, SPLAT(0.39894228040143268f));
      d[i] = wasm_f32x4_extract_lane(wasm_f32x4_add(cdf, wasm_f32x4_mul(v, pdf)), 0);
    }
  }
}
