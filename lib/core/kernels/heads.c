// The cut of a projection into attention heads and its inverse (heads.ts's LiandanSplitHeads and LiandanMergeHeads
// kernels), compiled to WebAssembly by tools/build_wasm.ts into _heads_wasm.ts. Like the other C kernels, the module
// imports tfjs-backend-wasm's memory: pointers are addresses in that heap, and it writes only the outputs it is handed.
//
// z is [B, T, P, H, D] (P blocks such as q, k, v side by side, each of H heads of D numbers); part p of it, as
// [B, H, T, D], is out[b, h, t, :] = z[b, t, p, h, :]. Merging writes the same slots back.

#define EXPORT(name) __attribute__((export_name(#name)))

// out [B, H, T, D] = block p of z [B, T, P, H, D].
EXPORT(split_heads)
void split_heads(const float *z, float *out, int b, int t, int parts, int h, int d, int p) {
  for (int bi = 0; bi < b; bi++)
    for (int hi = 0; hi < h; hi++)
      for (int ti = 0; ti < t; ti++) {
        const float *src = z + ((((long)bi * t + ti) * parts + p) * h + hi) * d;
        float *dst = out + (((long)bi * h + hi) * t + ti) * d;
        __builtin_memcpy(dst, src, (unsigned long)d * sizeof(float));
      }
}

// block p of z [B, T, P, H, D] = part [B, H, T, D].
EXPORT(merge_heads)
void merge_heads(const float *part, float *z, int b, int t, int parts, int h, int d, int p) {
  for (int bi = 0; bi < b; bi++)
    for (int hi = 0; hi < h; hi++)
      for (int ti = 0; ti < t; ti++) {
        const float *src = part + (((long)bi * h + hi) * t + ti) * d;
        float *dst = z + ((((long)bi * t + ti) * parts + p) * h + hi) * d;
        __builtin_memcpy(dst, src, (unsigned long)d * sizeof(float));
      }
}
