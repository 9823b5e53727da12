// The element-wise half of the fused LSTM and plain RNN (lstm.ts) for the wasm backend: the gates of one time step
// and their gradient, four lanes at a time (wasm SIMD). The matrix products stay on BLAS, called from lstm.ts.
//
// The module imports tfjs-backend-wasm's own memory, so the pointers are the tensors' offsets in that heap. It has no
// data and uses no stack (tests/core/conv_kernels_test.ts checks), so it writes nothing but the arrays it is given.
//
// Layouts (row-major, as in lstm.ts): z [B, 4H] one step's pre-activations (gates i, f, g, o); gates [B, T, 5H] the
// activated i, f, g, o and tanh(c); hs, cs, dhs, dcs [B, T, H]; dxg [B, T, 4H]; h, c, dh, dc [B, H]; dz [B, 4H].
// The RNN's (rnn_*_step): z, dz [B, H]; hs, dhs [B, T, H]; dxg [B, T, H]; h, dh [B, H].
//
// Build: deno task build:wasm (clang --target=wasm32 -O3 -msimd128, flags in tools/build_wasm.ts).
#include <wasm_simd128.h>

#include "_simd_exp.h"

#define EXPORT(name) __attribute__((export_name(#name)))

// e^x in float32 (_simd_exp.h), clamped to |x| <= 87 where the gates have long saturated. Relative error about 2e-7.
static inline v128_t vexp(v128_t x) { return exp_clamped(x); }

static inline v128_t vsigmoid(v128_t x) {
  v128_t one = wasm_f32x4_splat(1.0f);
  return wasm_f32x4_div(one, wasm_f32x4_add(one, vexp(wasm_f32x4_neg(x))));
}

static inline v128_t vtanh(v128_t x) {  // 1 - 2 / (1 + e^{2x})
  v128_t one = wasm_f32x4_splat(1.0f);
  v128_t e = vexp(wasm_f32x4_add(x, x));
  return wasm_f32x4_sub(one, wasm_f32x4_div(wasm_f32x4_splat(2.0f), wasm_f32x4_add(one, e)));
}

// The scalar tail (H not a multiple of 4) runs the same arithmetic in lane 0.
static inline float lane(v128_t v) { return wasm_f32x4_extract_lane(v, 0); }
static inline float sigmoid1(float x) { return lane(vsigmoid(wasm_f32x4_splat(x))); }
static inline float tanh1(float x) { return lane(vtanh(wasm_f32x4_splat(x))); }

// One forward step t: from z = x_t W_x + b + h_{t-1} W_h and the state (h, c), which it overwrites with (h_t, c_t),
// to the gates and the step's rows of hs and cs.
EXPORT(lstm_forward_step)
void lstm_forward_step(const float* z, float* h, float* c, float* gates, float* hs, float* cs, int B, int H, int T,
                       int t) {
  int H4 = H & ~3;
  for (int b = 0; b < B; b++) {
    const float* zb = z + b * 4 * H;
    float* gb = gates + (b * T + t) * 5 * H;
    float* hb = h + b * H;
    float* cb = c + b * H;
    float* hsb = hs + (b * T + t) * H;
    float* csb = cs + (b * T + t) * H;
    int j = 0;
    for (; j < H4; j += 4) {
      v128_t i = vsigmoid(wasm_v128_load(zb + j));
      v128_t f = vsigmoid(wasm_v128_load(zb + H + j));
      v128_t g = vtanh(wasm_v128_load(zb + 2 * H + j));
      v128_t o = vsigmoid(wasm_v128_load(zb + 3 * H + j));
      v128_t cn = wasm_f32x4_add(wasm_f32x4_mul(f, wasm_v128_load(cb + j)), wasm_f32x4_mul(i, g));
      v128_t tc = vtanh(cn);
      v128_t hn = wasm_f32x4_mul(o, tc);
      wasm_v128_store(gb + j, i);
      wasm_v128_store(gb + H + j, f);
      wasm_v128_store(gb + 2 * H + j, g);
      wasm_v128_store(gb + 3 * H + j, o);
      wasm_v128_store(gb + 4 * H + j, tc);
      wasm_v128_store(cb + j, cn);
      wasm_v128_store(csb + j, cn);
      wasm_v128_store(hb + j, hn);
      wasm_v128_store(hsb + j, hn);
    }
    for (; j < H; j++) {
      float i = sigmoid1(zb[j]), f = sigmoid1(zb[H + j]), g = tanh1(zb[2 * H + j]), o = sigmoid1(zb[3 * H + j]);
      float cn = f * cb[j] + i * g, tc = tanh1(cn), hn = o * tc;
      gb[j] = i;
      gb[H + j] = f;
      gb[2 * H + j] = g;
      gb[3 * H + j] = o;
      gb[4 * H + j] = tc;
      cb[j] = csb[j] = cn;
      hb[j] = hsb[j] = hn;
    }
  }
}

// One backward step t: with dh = ∂L/∂h_t from later steps (without this step's own dhs) and dc = ∂L/∂c_t likewise,
// writes dz = ∂L/∂z_t (contiguous, for the BLAS product that follows) and the same into dxg's rows, and leaves
// dc = ∂L/∂c_{t-1} through the memory path (dh is then replaced by dz W_hᵀ in lstm.ts).
EXPORT(lstm_backward_step)
void lstm_backward_step(const float* gates, const float* cs, const float* c0, const float* dhs, const float* dcs,
                        const float* dh, float* dc, float* dz, float* dxg, int B, int H, int T, int t) {
  int H4 = H & ~3;
  v128_t one = wasm_f32x4_splat(1.0f);
  for (int b = 0; b < B; b++) {
    const float* gb = gates + (b * T + t) * 5 * H;
    const float* cp = t > 0 ? cs + (b * T + t - 1) * H : c0 + b * H;
    const float* dhsb = dhs + (b * T + t) * H;
    const float* dcsb = dcs + (b * T + t) * H;
    const float* dhb = dh + b * H;
    float* dcb = dc + b * H;
    float* dzb = dz + b * 4 * H;
    float* dxb = dxg + (b * T + t) * 4 * H;
    int j = 0;
    for (; j < H4; j += 4) {
      v128_t i = wasm_v128_load(gb + j), f = wasm_v128_load(gb + H + j);
      v128_t g = wasm_v128_load(gb + 2 * H + j), o = wasm_v128_load(gb + 3 * H + j);
      v128_t tc = wasm_v128_load(gb + 4 * H + j);
      v128_t dht = wasm_f32x4_add(wasm_v128_load(dhb + j), wasm_v128_load(dhsb + j));
      v128_t dct = wasm_f32x4_add(wasm_v128_load(dcb + j), wasm_v128_load(dcsb + j));
      dct = wasm_f32x4_add(dct, wasm_f32x4_mul(wasm_f32x4_mul(dht, o), wasm_f32x4_sub(one, wasm_f32x4_mul(tc, tc))));
      v128_t di = wasm_f32x4_mul(wasm_f32x4_mul(dct, g), wasm_f32x4_mul(i, wasm_f32x4_sub(one, i)));
      v128_t df = wasm_f32x4_mul(wasm_f32x4_mul(dct, wasm_v128_load(cp + j)), wasm_f32x4_mul(f, wasm_f32x4_sub(one, f)));
      v128_t dg = wasm_f32x4_mul(wasm_f32x4_mul(dct, i), wasm_f32x4_sub(one, wasm_f32x4_mul(g, g)));
      v128_t dO = wasm_f32x4_mul(wasm_f32x4_mul(dht, tc), wasm_f32x4_mul(o, wasm_f32x4_sub(one, o)));
      wasm_v128_store(dzb + j, di);
      wasm_v128_store(dzb + H + j, df);
      wasm_v128_store(dzb + 2 * H + j, dg);
      wasm_v128_store(dzb + 3 * H + j, dO);
      wasm_v128_store(dxb + j, di);
      wasm_v128_store(dxb + H + j, df);
      wasm_v128_store(dxb + 2 * H + j, dg);
      wasm_v128_store(dxb + 3 * H + j, dO);
      wasm_v128_store(dcb + j, wasm_f32x4_mul(dct, f));
    }
    for (; j < H; j++) {
      float i = gb[j], f = gb[H + j], g = gb[2 * H + j], o = gb[3 * H + j], tc = gb[4 * H + j];
      float dht = dhb[j] + dhsb[j];
      float dct = dcb[j] + dcsb[j] + dht * o * (1 - tc * tc);
      dzb[j] = dxb[j] = dct * g * i * (1 - i);
      dzb[H + j] = dxb[H + j] = dct * cp[j] * f * (1 - f);
      dzb[2 * H + j] = dxb[2 * H + j] = dct * i * (1 - g * g);
      dzb[3 * H + j] = dxb[3 * H + j] = dht * tc * o * (1 - o);
      dcb[j] = dct * f;
    }
  }
}

// One plain-RNN forward step t: h_t = tanh(z) for z = x_t W_x + b + h_{t-1} W_h, into h (the state) and step t's
// row of hs.
EXPORT(rnn_forward_step)
void rnn_forward_step(const float* z, float* h, float* hs, int B, int H, int T, int t) {
  int H4 = H & ~3;
  for (int b = 0; b < B; b++) {
    const float* zb = z + b * H;
    float* hb = h + b * H;
    float* hsb = hs + (b * T + t) * H;
    int j = 0;
    for (; j < H4; j += 4) {
      v128_t hn = vtanh(wasm_v128_load(zb + j));
      wasm_v128_store(hb + j, hn);
      wasm_v128_store(hsb + j, hn);
    }
    for (; j < H; j++) hb[j] = hsb[j] = tanh1(zb[j]);
  }
}

// One plain-RNN backward step t: with dh = ∂L/∂h_t from later steps (without this step's own dhs), writes
// dz = ∂L/∂z_t = (dh + dhs_t) ⊙ (1 − h_t²) into dz (contiguous, for the BLAS product dz W_hᵀ in lstm.ts) and dxg's rows.
EXPORT(rnn_backward_step)
void rnn_backward_step(const float* hs, const float* dhs, const float* dh, float* dz, float* dxg, int B, int H, int T,
                       int t) {
  int H4 = H & ~3;
  v128_t one = wasm_f32x4_splat(1.0f);
  for (int b = 0; b < B; b++) {
    const float* hsb = hs + (b * T + t) * H;
    const float* dhsb = dhs + (b * T + t) * H;
    const float* dhb = dh + b * H;
    float* dzb = dz + b * H;
    float* dxb = dxg + (b * T + t) * H;
    int j = 0;
    for (; j < H4; j += 4) {
      v128_t h = wasm_v128_load(hsb + j);
      v128_t dht = wasm_f32x4_add(wasm_v128_load(dhb + j), wasm_v128_load(dhsb + j));
      v128_t d = wasm_f32x4_mul(dht, wasm_f32x4_sub(one, wasm_f32x4_mul(h, h)));
      wasm_v128_store(dzb + j, d);
      wasm_v128_store(dxb + j, d);
    }
    for (; j < H; j++) dzb[j] = dxb[j] = (dhb[j] + dhsb[j]) * (1 - hsb[j] * hsb[j]);
  }
}
