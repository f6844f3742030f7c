// The weight layouts of the Hexagon integer kernels (ConvI8.h), packed at compile time by the emitter
// (targets/hexagon) and by the kernels' tests: header-only plain C, so that the compiler (C++) and the
// freestanding runtime include the same definition.
//
// Output channels run in panels of 32 (the 32 int32 lanes of one `vrmpy`) grouped in blocks of up to 4 panels;
// for each block, each tap, and each step of 4 input channels, the block's P panels are P consecutive 128-byte
// vectors: vector p holds, for its 32 output channels j, the 4 weights of channels 4k..4k+3 of the tap (zero past
// the channel counts). The requantization (Requantize.h) of each panel is 4 vectors of 32 int32: biases,
// multipliers, shifts and rounding terms (2^(shift-1), 0 for shift 0).
#ifndef MOTE_RUNTIME_HEXAGON_PACKING_H
#define MOTE_RUNTIME_HEXAGON_PACKING_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { MOTE_HVX_BYTES = 128, MOTE_HVX_PANEL = 32, MOTE_HVX_BLOCK_PANELS = 4 };

/// Bytes of packed weights for `taps` taps of `C` input channels and `N` output channels.
static inline size_t mote_hvx_packed_weights_bytes(int taps, int C, int N) {
  return (size_t)MOTE_HVX_BYTES * (size_t)taps * (size_t)((C + 3) / 4) * (size_t)((N + 31) / 32);
}
/// int32 words of packed requantization for `N` output channels.
static inline size_t mote_hvx_packed_requant_words(int N) { return (size_t)4 * 32 * (size_t)((N + 31) / 32); }

/// Packs int8 weights w(n, c, t) = q[n * stride_n + c * stride_c + t * stride_t] (n < N output channels,
/// c < C input channels, t < taps): a GEMM's B [K, N] is (stride_n 1, stride_c N, taps 1), its B^T [N, K]
/// (K, 1), a convolution's [Cout, Cin, KH, KW] (Cin * taps, taps, 1). `packed`: mote_hvx_packed_weights_bytes.
static inline void mote_hvx_pack_weights(int taps, int C, int N, const int8_t *q, long stride_n, long stride_c,
                                         long stride_t, uint8_t *packed) {
  const int C4 = (C + 3) / 4, panels = (N + 31) / 32;
  uint8_t *p = packed;
  for (int b0 = 0; b0 < panels; b0 += MOTE_HVX_BLOCK_PANELS) {
    const int P = panels - b0 < MOTE_HVX_BLOCK_PANELS ? panels - b0 : MOTE_HVX_BLOCK_PANELS;
    for (int t = 0; t < taps; ++t)
      for (int k = 0; k < C4; ++k)
        for (int pp = 0; pp < P; ++pp)
          for (int j = 0; j < 32; ++j)
            for (int i = 0; i < 4; ++i) {
              const int n = (b0 + pp) * 32 + j, c = 4 * k + i;
              *p++ = n < N && c < C ? (uint8_t)q[n * stride_n + c * stride_c + t * stride_t] : 0;
            }
  }
}

/// Packs the requantization of each output channel (bias may be null; shift in [0, 31], mult in [0, 65535]).
/// `packed`: mote_hvx_packed_requant_words int32.
static inline void mote_hvx_pack_requant(int N, const int32_t *bias, const int32_t *mult, const int32_t *shift,
                                         int32_t *packed) {
  const int panels = (N + 31) / 32;
  for (int p = 0; p < panels; ++p) {
    int32_t *v = packed + 128 * p;
    for (int j = 0; j < 32; ++j) {
      const int n = 32 * p + j;
      const int32_t s = n < N ? shift[n] : 0;
      v[j] = n < N && bias ? bias[n] : 0;
      v[32 + j] = n < N ? mult[n] : 0;
      v[64 + j] = s;
      v[96 + j] = s > 0 ? (int32_t)1 << (s - 1) : 0;
    }
  }
}

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_PACKING_H
