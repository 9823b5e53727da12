// The data-movement loops of the convolution and pooling kernels (conv2d.ts, conv2d_backprop_*.ts, pool_grad.ts),
// compiled to WebAssembly by tools/build_wasm.ts into _conv_kernels_wasm.ts. The module imports tfjs-backend-wasm's
// own memory, so every pointer below is an address in that heap, as tfjs's tensor table gives it: nothing is copied.
//
// The module has no data, no globals and uses no stack (only scalar locals), so it never writes memory it was not
// handed. Images are NHWC; a patch matrix ("cols") has one row per output pixel, [count·OH·OW, FH·FW·C], each row the
// FH×FW×C window under that pixel (zeros where it hangs over the padding) — the layout whose product with the
// filter, seen as a [FH·FW·C, O] matrix, is the convolution.

#include <wasm_simd128.h>

#define EXPORT(name) __attribute__((export_name(#name)))

// Writes the patch rows of `count` images of x ([count, H, W, C]) into cols ([count·OH·OW, FH·FW·C]).
EXPORT(im2col)
void im2col(const float *x, float *cols, int count, int H, int W, int C, int OH, int OW, int FH, int FW, int sh,
            int sw, int pt, int pl) {
  for (int b = 0; b < count; b++) {
    const float *image = x + (long)b * H * W * C;
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        for (int fh = 0; fh < FH; fh++) {
          const int h = i * sh - pt + fh;
          if (h < 0 || h >= H) {
            for (int k = 0; k < FW * C; k++) cols[k] = 0.0f;
            cols += FW * C;
            continue;
          }
          const int w0 = j * sw - pl;
          if (w0 >= 0 && w0 + FW <= W) { // the whole filter row lies inside: one contiguous run of FW·C floats
            const float *src = image + ((long)h * W + w0) * C;
            for (int k = 0; k < FW * C; k++) cols[k] = src[k];
            cols += FW * C;
            continue;
          }
          for (int fw = 0; fw < FW; fw++, cols += C) {
            const int w = w0 + fw;
            if (w < 0 || w >= W) {
              for (int c = 0; c < C; c++) cols[c] = 0.0f;
            } else {
              const float *src = image + ((long)h * W + w) * C;
              for (int c = 0; c < C; c++) cols[c] = src[c];
            }
          }
        }
      }
    }
  }
}

// The adjoint of im2col: adds each patch row of cols back into the pixels of dx ([count, H, W, C]) it came from.
EXPORT(col2im)
void col2im(const float *cols, float *dx, int count, int H, int W, int C, int OH, int OW, int FH, int FW, int sh,
            int sw, int pt, int pl) {
  for (int b = 0; b < count; b++) {
    float *image = dx + (long)b * H * W * C;
    for (int i = 0; i < OH; i++) {
      for (int j = 0; j < OW; j++) {
        for (int fh = 0; fh < FH; fh++) {
          const int h = i * sh - pt + fh;
          if (h < 0 || h >= H) {
            cols += FW * C;
            continue;
          }
          const int w0 = j * sw - pl;
          for (int fw = 0; fw < FW; fw++, cols += C) {
            const int w = w0 + fw;
            if (w < 0 || w >= W) continue;
            float *dst = image + ((long)h * W + w) * C;
            for (int c = 0; c < C; c++) dst[c] += cols[c];
          }
        }
      }
    }
  }
}

// out[r, :] = act(out[r, :] + bias) for `rows` rows of `n`; bias may be 0 (none); relu is 1 for ReLU, 0 for linear.
EXPORT(bias_activation)
void bias_activation(float *out, const float *bias, int rows, int n, int relu) {
  for (int r = 0; r < rows; r++, out += n) {
    if (bias) {
      for (int c = 0; c < n; c++) out[c] += bias[c];
    }
    if (relu) {
      for (int c = 0; c < n; c++) out[c] = out[c] > 0.0f ? out[c] : 0.0f;
    }
  }
}

// Max pooling's gradient: each output's gradient goes to the first maximum (row-major) of its window, as on tfjs's
// cpu backend. x and dx are [B, H, W, C], dy is [B, OH, OW, C]; dx is overwritten. Four channels are searched at once
// with SIMD compares and selects: written as plain C, clang branches on every compare, and random data mispredicts.
EXPORT(max_pool_grad)
void max_pool_grad(const float *restrict x, const float *restrict dy, float *restrict dx, int B, int H, int W, int C,
                   int OH, int OW, int FH, int FW, int sh, int sw, int pt, int pl) {
  const long size = (long)B * H * W * C;
  for (long k = 0; k < size; k++) dx[k] = 0.0f;
  const v128_t lanes = wasm_i32x4_make(0, 1, 2, 3);
  for (int b = 0; b < B; b++) {
    const int image = b * H * W * C;
    for (int i = 0; i < OH; i++) {
      const int h0 = i * sh - pt;
      const int hMin = h0 < 0 ? 0 : h0, hMax = h0 + FH > H ? H : h0 + FH;
      for (int j = 0; j < OW; j++) {
        const int w0 = j * sw - pl;
        const int wMin = w0 < 0 ? 0 : w0, wMax = w0 + FW > W ? W : w0 + FW;
        const float *g = dy + (((long)b * OH + i) * OW + j) * C;
        int c = 0;
        for (; c + 4 <= C; c += 4) {
          v128_t best = wasm_f32x4_splat(-__builtin_inff()), at = wasm_i32x4_splat(-1);
          for (int h = hMin; h < hMax; h++) {
            for (int w = wMin; w < wMax; w++) {
              const int p = image + (h * W + w) * C + c;
              const v128_t v = wasm_v128_load(x + p);
              const v128_t better = wasm_f32x4_gt(v, best);
              best = wasm_v128_bitselect(v, best, better);
              at = wasm_v128_bitselect(wasm_i32x4_add(wasm_i32x4_splat(p), lanes), at, better);
            }
          }
          const int a0 = wasm_i32x4_extract_lane(at, 0), a1 = wasm_i32x4_extract_lane(at, 1);
          const int a2 = wasm_i32x4_extract_lane(at, 2), a3 = wasm_i32x4_extract_lane(at, 3);
          if (a0 >= 0) dx[a0] += g[c];
          if (a1 >= 0) dx[a1] += g[c + 1];
          if (a2 >= 0) dx[a2] += g[c + 2];
          if (a3 >= 0) dx[a3] += g[c + 3];
        }
        for (; c < C; c++) { // the last C mod 4 channels, one at a time
          float best = -__builtin_inff();
          int at = -1;
          for (int h = hMin; h < hMax; h++) {
            for (int w = wMin; w < wMax; w++) {
              const int p = image + (h * W + w) * C + c;
              if (x[p] > best) {
                best = x[p];
                at = p;
              }
            }
          }
          if (at >= 0) dx[at] += g[c];
        }
      }
    }
  }
}

// Average pooling's gradient: every pixel of a window gets dy / (FH·FW), summed over the windows that hold it.
EXPORT(avg_pool_grad)
void avg_pool_grad(const float *dy, float *dx, int B, int H, int W, int C, int OH, int OW, int FH, int FW, int sh,
                   int sw, int pt, int pl) {
  const long size = (long)B * H * W * C;
  const float scale = 1.0f / (float)(FH * FW);
  for (long k = 0; k < size; k++) dx[k] = 0.0f;
  for (int b = 0; b < B; b++) {
    for (int i = 0; i < OH; i++) {
      const int h0 = i * sh - pt;
      const int hMin = h0 < 0 ? 0 : h0, hMax = h0 + FH > H ? H : h0 + FH;
      for (int j = 0; j < OW; j++) {
        const int w0 = j * sw - pl;
        const int wMin = w0 < 0 ? 0 : w0, wMax = w0 + FW > W ? W : w0 + FW;
        const float *g = dy + (((long)b * OH + i) * OW + j) * C;
        for (int h = hMin; h < hMax; h++) {
          for (int w = wMin; w < wMax; w++) {
            float *d = dx + (((long)b * H + h) * W + w) * C;
            for (int c = 0; c < C; c++) d[c] += g[c] * scale;
          }
        }
      }
    }
  }
}

// a[k] += b[k] for n floats.
EXPORT(add_into)
void add_into(float *a, const float *b, int n) {
  for (int k = 0; k < n; k++) a[k] += b[k];
}
