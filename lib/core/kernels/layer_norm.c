// Layer normalisation over the last axis of a [rows, cols] matrix, forward and backward in one pass each (layer_norm.ts's
// LiandanLayerNorm and LiandanLayerNormGrad kernels), compiled to WebAssembly by tools/build_wasm.ts into
// _layer_norm_wasm.ts. Like the other C kernels, the module imports tfjs-backend-wasm's memory: pointers are addresses in
// that heap, and it writes only the outputs it is handed. Four numbers at a time (SIMD); a row's tail past a multiple
// of four is done one number at a time.
//
// forward:  mean = Σx/C, rstd = 1/√(Σ(x − mean)²/C + eps), y = (x − mean)·rstd·g + b
// backward: x̂ = (x − mean)·rstd, d = dy·g, dx = rstd·(d − Σd/C − x̂·Σ(d·x̂)/C), dg = Σ_rows dy·x̂, db = Σ_rows dy

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))
#define SPLAT(v) wasm_f32x4_splat(v)

static inline float hsum(v128_t v) {
  return wasm_f32x4_extract_lane(v, 0) + wasm_f32x4_extract_lane(v, 1) + wasm_f32x4_extract_lane(v, 2) +
         wasm_f32x4_extract_lane(v, 3);
}

// y, mean [rows], rstd [rows] from x [rows, cols], g [cols] and b [cols] (b may be 0: no bias).
EXPORT(layer_norm_forward)
void layer_norm_forward(const float *x, const float *g, const float *b, float *y, float *mean, float *rstd, int rows,
                        int cols, float eps) {
  const int vec = cols & ~3;
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * cols;
    float *yr = y + r * cols;
    v128_t acc = SPLAT(0.0f);
    for (int j = 0; j < vec; j += 4) acc = wasm_f32x4_add(acc, wasm_v128_load(xr + j));
    float sum = hsum(acc);
    for (int j = vec; j < cols; j++) sum += xr[j];
    const float mu = sum / (float)cols;
    const v128_t vmu = SPLAT(mu);
    acc = SPLAT(0.0f);
    for (int j = 0; j < vec; j += 4) {
      const v128_t c = wasm_f32x4_sub(wasm_v128_load(xr + j), vmu);
      acc = wasm_f32x4_add(acc, wasm_f32x4_mul(c, c));
    }
    float sq = hsum(acc);
    for (int j = vec; j < cols; j++) sq += (xr[j] - mu) * (xr[j] - mu);
    const float rs = 1.0f / __builtin_sqrtf(sq / (float)cols + eps);
    mean[r] = mu;
    rstd[r] = rs;
    const v128_t vrs = SPLAT(rs);
    for (int j = 0; j < vec; j += 4) {
      const v128_t xhat = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      v128_t out = wasm_f32x4_mul(xhat, wasm_v128_load(g + j));
      if (b) out = wasm_f32x4_add(out, wasm_v128_load(b + j));
      wasm_v128_store(yr + j, out);
    }
    for (int j = vec; j < cols; j++) yr[j] = (xr[j] - mu) * rs * g[j] + (b ? b[j] : 0.0f);
  }
}

// dx [rows, cols], dg [cols] and db [cols] (db may be 0) from dy, x, g and the forward's mean and rstd.
EXPORT(layer_norm_backward)
void layer_norm_backward(const float *dy, const float *x, const float *g, const float *mean, const float *rstd,
                         float *dx, float *dg, float *db, int rows, int cols) {
  const int vec = cols & ~3;
  for (int j = 0; j < cols; j++) {
    dg[j] = 0.0f;
    if (db) db[j] = 0.0f;
  }
  for (int r = 0; r < rows; r++) {
    const float *xr = x + r * cols, *dyr = dy + r * cols;
    float *dxr = dx + r * cols;
    const v128_t vmu = SPLAT(mean[r]), vrs = SPLAT(rstd[r]);
    v128_t acc1 = SPLAT(0.0f), acc2 = SPLAT(0.0f);
    for (int j = 0; j < vec; j += 4) {
      const v128_t xhat = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      const v128_t d = wasm_f32x4_mul(wasm_v128_load(dyr + j), wasm_v128_load(g + j));
      acc1 = wasm_f32x4_add(acc1, d);
      acc2 = wasm_f32x4_add(acc2, wasm_f32x4_mul(d, xhat));
    }
    float s1 = hsum(acc1), s2 = hsum(acc2);
    for (int j = vec; j < cols; j++) {
      const float xhat = (xr[j] - mean[r]) * rstd[r], d = dyr[j] * g[j];
      s1 += d;
      s2 += d * xhat;
    }
    const float m1 = s1 / (float)cols, m2 = s2 / (float)cols;
    const v128_t vm1 = SPLAT(m1), vm2 = SPLAT(m2);
    for (int j = 0; j < vec; j += 4) {
      const v128_t xhat = wasm_f32x4_mul(wasm_f32x4_sub(wasm_v128_load(xr + j), vmu), vrs);
      const v128_t gy = wasm_v128_load(dyr + j);
      const v128_t d = wasm_f32x4_mul(gy, wasm_v128_load(g + j));
      const v128_t inner = wasm_f32x4_sub(wasm_f32x4_sub(d, vm1), wasm_f32x4_mul(xhat, vm2));
      wasm_v128_store(dxr + j, wasm_f32x4_mul(inner, vrs));
      wasm_v128_store(dg + j, wasm_f32x4_add(wasm_v128_load(dg + j), wasm_f32x4_mul(gy, xhat)));
      if (db) wasm_v128_store(db + j, wasm_f32x4_add(wasm_v128_load(db + j), gy));
    }
    for (int j = vec; j < cols; j++) {
      const float xhat = (xr[j] - mean[r]) * rstd[r], d = dyr[j] * g[j];
      dxr[j] = (d - m1 - xhat * m2) * rstd[r];
      dg[j] += dyr[j] * xhat;
      if (db) db[j] += dyr[j];
    }
  }
}
