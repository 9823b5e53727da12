// Shared SIMD maths of the C kernels (included by activations.c and softmax.c; no data, no globals).
#ifndef LIANDAN_SIMD_EXP_H
#define LIANDAN_SIMD_EXP_H

#include <wasm_simd128.h>

// e^x for x ≤ 0, four at a time: x = n·ln2 + r with |r| ≤ ln2/2, e^r by Cephes' expf polynomial (relative error
// about 1e-7), 2^n built in the exponent bits. Below −87 the result is 0 (float32 underflows there anyway). n is
// rounded to nearest with the 1.5·2²³ trick (its integer is then in the low bits), and the clamp is a pseudo-max:
// both are single instructions where `nearest`, `trunc_sat` and IEEE `max` need several.
static inline __attribute__((always_inline)) v128_t exp_nonpositive(v128_t x) {
  const v128_t magic = wasm_f32x4_splat(12582912.0f);
  const v128_t low = wasm_f32x4_lt(x, wasm_f32x4_splat(-87.0f));
  x = wasm_f32x4_pmax(x, wasm_f32x4_splat(-87.0f));
  const v128_t shifted = wasm_f32x4_add(wasm_f32x4_mul(x, wasm_f32x4_splat(1.44269504088896341f)), magic);
  const v128_t n = wasm_f32x4_sub(shifted, magic);
  v128_t r = wasm_f32x4_sub(x, wasm_f32x4_mul(n, wasm_f32x4_splat(0.693359375f))); // ln2 in two parts, for exact r
  r = wasm_f32x4_sub(r, wasm_f32x4_mul(n, wasm_f32x4_splat(-2.12194440e-4f)));
  v128_t p = wasm_f32x4_splat(1.9875691500e-4f);
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.3981999507e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(8.3334519073e-3f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(4.1665795894e-2f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(1.6666665459e-1f));
  p = wasm_f32x4_add(wasm_f32x4_mul(p, r), wasm_f32x4_splat(5.0000001201e-1f));
  const v128_t er = wasm_f32x4_add(wasm_f32x4_add(wasm_f32x4_mul(wasm_f32x4_mul(p, r), r), r), wasm_f32x4_splat(1.0f));
  const v128_t ni = wasm_i32x4_sub(shifted, magic); // n as an integer
  const v128_t scale = wasm_i32x4_shl(wasm_i32x4_add(ni, wasm_i32x4_splat(127)), 23);
  return wasm_v128_andnot(wasm_f32x4_mul(er, scale), low);
}

#endif
