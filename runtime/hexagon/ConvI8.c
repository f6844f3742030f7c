// See ConvI8.h. The inner step loads a block's P weight vectors once and multiplies them with the 4 bytes of
// each of the rows' activations broadcast to all lanes: 4 x P vrmpys for P vector loads, 4 word loads and 4
// splats. Rows are output pixels; each tap's activations are read in place (no im2col), out-of-image taps
// from the padding row.
#include "runtime/hexagon/ConvI8.h"

#include "runtime/integer/Requantize.h"

#include <hexagon_protos.h>
#include <hexagon_types.h>
#include <hvx_hexagon_protos.h>

#define ROWS 4 // output pixels per int8 block (ROWS x P accumulators; P <= 4)

/// Four activation bytes read as one word (may alias the int8 rows they are part of).
typedef int32_t __attribute__((may_alias)) word_t;
#define ROWS16 2 // per int16 block (two accumulators per pixel and panel)

/// The input row of output pixel `m` at tap (kh, kw), or the padding row.
static inline const int8_t *tap_row(const MoteConv *g, const int8_t *in, const int8_t *pad_row, int img, int ih0,
                                    int iw0, int kh, int kw) {
  const int ih = ih0 + kh * g->dilation_h, iw = iw0 + kw * g->dilation_w;
  if (ih < 0 || ih >= g->H || iw < 0 || iw >= g->W)
    return pad_row;
  return in + ((long)(img * g->H + ih) * g->W + iw) * g->pixel_stride;
}

/// The output pixel a block starts at, as image and coordinates (stepped, never divided: Hexagon has no divide
/// instruction).
typedef struct {
  int m, img, oh, ow;
} PixelCursor;

/// Where each of the `count` output pixels from `*at` starts reading (its image and top-left input coordinate;
/// pixels past the last repeat it and are marked invalid), and moves `*at` past them.
static inline void pixel_origins(const MoteConv *g, PixelCursor *at, int count, int *img, int *ih0, int *iw0,
                                 int *valid) {
  const int M = g->batch * g->OH * g->OW;
  for (int r = 0; r < count; ++r) {
    valid[r] = at->m < M;
    img[r] = at->img;
    ih0[r] = at->oh * g->stride_h - g->pad_top;
    iw0[r] = at->ow * g->stride_w - g->pad_left;
    if (at->m + 1 < M) {
      ++at->m;
      if (++at->ow == g->OW) {
        at->ow = 0;
        if (++at->oh == g->OH) {
          at->oh = 0;
          ++at->img;
        }
      }
    } else {
      at->m = M; // the last pixel again, invalid
    }
  }
}

/// Stores `bytes` bytes of `v` at `dst` (any alignment): whole vectors unaligned, a tail by words or bytes.
static inline void store_bytes(void *dst, HVX_Vector v, int bytes) {
  if (bytes == MOTE_HVX_BYTES) {
    *(HVX_UVector *)dst = v;
    return;
  }
  union {
    HVX_Vector v;
    int32_t w[32];
    int8_t b[128];
  } tmp;
  tmp.v = v;
  if ((((uintptr_t)dst | (uintptr_t)bytes) & 3) == 0) {
    int32_t *d = (int32_t *)dst;
    for (int i = 0; i < bytes / 4; ++i)
      d[i] = tmp.w[i];
  } else {
    int8_t *d = (int8_t *)dst;
    for (int i = 0; i < bytes; ++i)
      d[i] = tmp.b[i];
  }
}

/// The requantization of one panel's 32 sums (Requantize.h, lane by lane).
static inline HVX_Vector requantize(HVX_Vector acc, const HVX_Vector *params, HVX_Vector zero, HVX_Vector lo,
                                    HVX_Vector hi) {
  HVX_Vector t = Q6_Vw_vadd_VwVw(acc, params[0]); // the bias
  t = Q6_Vw_vmpye_VwVuh(t, params[1]);
  t = Q6_Vw_vasr_VwVw(Q6_Vw_vadd_VwVw_sat(t, params[3]), params[2]);
  t = Q6_Vw_vadd_VwVw_sat(t, zero);
  return Q6_Vw_vmax_VwVw(Q6_Vw_vmin_VwVw(t, hi), lo);
}

/// One block: ROWS output pixels from m0 times P panels from panel b0.
static inline __attribute__((always_inline)) void block_i8(const MoteConv *g, const int8_t *in,
                                                           const int8_t *pad_row, const HVX_Vector *weights,
                                                           const HVX_Vector *requant, PixelCursor *at, int b0,
                                                           const int P, int8_t *out) {
  const int m0 = at->m;
  int img[ROWS], ih0[ROWS], iw0[ROWS], valid[ROWS];
  pixel_origins(g, at, ROWS, img, ih0, iw0, valid);
  const int C4 = (g->C + 3) / 4;
  HVX_Vector acc[ROWS][MOTE_HVX_BLOCK_PANELS];
  for (int r = 0; r < ROWS; ++r)
    for (int p = 0; p < P; ++p)
      acc[r][p] = Q6_V_vzero();
  const HVX_Vector *w = weights;
  for (int kh = 0; kh < g->KH; ++kh)
    for (int kw = 0; kw < g->KW; ++kw) {
      const word_t *a0 = (const word_t *)tap_row(g, in, pad_row, img[0], ih0[0], iw0[0], kh, kw);
      const word_t *a1 = (const word_t *)tap_row(g, in, pad_row, img[1], ih0[1], iw0[1], kh, kw);
      const word_t *a2 = (const word_t *)tap_row(g, in, pad_row, img[2], ih0[2], iw0[2], kh, kw);
      const word_t *a3 = (const word_t *)tap_row(g, in, pad_row, img[3], ih0[3], iw0[3], kh, kw);
      for (int k = 0; k < C4; ++k, w += P) {
        const HVX_Vector s0 = Q6_V_vsplat_R(a0[k]), s1 = Q6_V_vsplat_R(a1[k]), s2 = Q6_V_vsplat_R(a2[k]),
                         s3 = Q6_V_vsplat_R(a3[k]);
        for (int p = 0; p < P; ++p) {
          const HVX_Vector wp = w[p];
          acc[0][p] = Q6_Vw_vrmpyacc_VwVbVb(acc[0][p], s0, wp);
          acc[1][p] = Q6_Vw_vrmpyacc_VwVbVb(acc[1][p], s1, wp);
          acc[2][p] = Q6_Vw_vrmpyacc_VwVbVb(acc[2][p], s2, wp);
          acc[3][p] = Q6_Vw_vrmpyacc_VwVbVb(acc[3][p], s3, wp);
        }
      }
    }
  const HVX_Vector zero = Q6_V_vsplat_R(g->zero), lo = Q6_V_vsplat_R(g->lo), hi = Q6_V_vsplat_R(g->hi);
  const int n0 = 32 * b0, columns = g->N - n0 < 32 * P ? g->N - n0 : 32 * P;
  for (int r = 0; r < ROWS; ++r) {
    if (!valid[r])
      break;
    HVX_Vector q[MOTE_HVX_BLOCK_PANELS];
    for (int p = 0; p < MOTE_HVX_BLOCK_PANELS; ++p)
      q[p] = p < P ? requantize(acc[r][p], requant + 4 * (b0 + p), zero, lo, hi) : Q6_V_vzero();
    const HVX_Vector bytes =
        Q6_Vb_vpack_VhVh_sat(Q6_Vh_vpack_VwVw_sat(q[3], q[2]), Q6_Vh_vpack_VwVw_sat(q[1], q[0]));
    store_bytes(out + (long)(m0 + r) * g->out_pixel_stride + n0, bytes, columns);
  }
}

void mote_hvx_conv_i8(const MoteConv *g, const int8_t *in, const int8_t *pad_row, const uint8_t *packed_weights,
                      const int32_t *packed_requant, int8_t *out) {
  const int M = g->batch * g->OH * g->OW, panels = (g->N + 31) / 32, taps = g->KH * g->KW;
  const int C4 = (g->C + 3) / 4;
  const HVX_Vector *requant = (const HVX_Vector *)packed_requant;
  for (int b0 = 0; b0 < panels; b0 += MOTE_HVX_BLOCK_PANELS) {
    const int P = panels - b0 < MOTE_HVX_BLOCK_PANELS ? panels - b0 : MOTE_HVX_BLOCK_PANELS;
    const HVX_Vector *weights = (const HVX_Vector *)packed_weights + (long)b0 * taps * C4;
    PixelCursor at = {0, 0, 0, 0};
    while (at.m < M) {
      switch (P) {
      case 4: block_i8(g, in, pad_row, weights, requant, &at, b0, 4, out); break;
      case 3: block_i8(g, in, pad_row, weights, requant, &at, b0, 3, out); break;
      case 2: block_i8(g, in, pad_row, weights, requant, &at, b0, 2, out); break;
      default: block_i8(g, in, pad_row, weights, requant, &at, b0, 1, out); break;
      }
    }
  }
}

// ---- int16 activations ----------------------------------------------------------------------------------

/// One block: ROWS16 output pixels times P panels, the high and the low bytes' sums apart.
static inline __attribute__((always_inline)) void block_i16(const MoteConv *g, const uint8_t *hi_plane,
                                                            const uint8_t *lo_plane, const int8_t *pad_row,
                                                            const HVX_Vector *weights, PixelCursor *at, int b0,
                                                            const int P, int32_t *out_hi, int32_t *out_lo) {
  const int m0 = at->m;
  int img[ROWS16], ih0[ROWS16], iw0[ROWS16], valid[ROWS16];
  pixel_origins(g, at, ROWS16, img, ih0, iw0, valid);
  const int C4 = (g->C + 3) / 4;
  const long plane_offset = lo_plane - hi_plane;
  HVX_Vector acc_hi[ROWS16][MOTE_HVX_BLOCK_PANELS], acc_lo[ROWS16][MOTE_HVX_BLOCK_PANELS];
  for (int r = 0; r < ROWS16; ++r)
    for (int p = 0; p < P; ++p)
      acc_hi[r][p] = acc_lo[r][p] = Q6_V_vzero();
  const HVX_Vector *w = weights;
  for (int kh = 0; kh < g->KH; ++kh)
    for (int kw = 0; kw < g->KW; ++kw) {
      const int8_t *r0 = tap_row(g, (const int8_t *)hi_plane, pad_row, img[0], ih0[0], iw0[0], kh, kw);
      const int8_t *r1 = tap_row(g, (const int8_t *)hi_plane, pad_row, img[1], ih0[1], iw0[1], kh, kw);
      // The padding row is zero in both planes; an image row's low bytes sit plane_offset further.
      const word_t *h0 = (const word_t *)r0, *h1 = (const word_t *)r1;
      const word_t *l0 = (const word_t *)(r0 == pad_row ? r0 : r0 + plane_offset);
      const word_t *l1 = (const word_t *)(r1 == pad_row ? r1 : r1 + plane_offset);
      for (int k = 0; k < C4; ++k, w += P) {
        const HVX_Vector sh0 = Q6_V_vsplat_R(h0[k]), sh1 = Q6_V_vsplat_R(h1[k]);
        const HVX_Vector sl0 = Q6_V_vsplat_R(l0[k]), sl1 = Q6_V_vsplat_R(l1[k]);
        for (int p = 0; p < P; ++p) {
          const HVX_Vector wp = w[p];
          acc_hi[0][p] = Q6_Vw_vrmpyacc_VwVbVb(acc_hi[0][p], sh0, wp);
          acc_lo[0][p] = Q6_Vw_vrmpyacc_VwVubVb(acc_lo[0][p], sl0, wp);
          acc_hi[1][p] = Q6_Vw_vrmpyacc_VwVbVb(acc_hi[1][p], sh1, wp);
          acc_lo[1][p] = Q6_Vw_vrmpyacc_VwVubVb(acc_lo[1][p], sl1, wp);
        }
      }
    }
  const int n0 = 32 * b0;
  for (int r = 0; r < ROWS16; ++r) {
    if (!valid[r])
      break;
    for (int p = 0; p < P; ++p) {
      const int columns = g->N - n0 - 32 * p < 32 ? g->N - n0 - 32 * p : 32;
      const long offset = (long)(m0 + r) * g->N + n0 + 32 * p;
      store_bytes(out_hi + offset, acc_hi[r][p], 4 * columns);
      store_bytes(out_lo + offset, acc_lo[r][p], 4 * columns);
    }
  }
}

void mote_hvx_conv_i16_sums(const MoteConv *g, const int16_t *in, uint8_t *planes, const uint8_t *packed_weights,
                            int32_t *out_hi, int32_t *out_lo) {
  const long pixels = (long)g->batch * g->H * g->W, bytes = pixels * g->pixel_stride;
  uint8_t *hi_plane = planes, *lo_plane = planes + bytes;
  // a = 256 hi + lo: hi = a >> 8 (signed), lo = a & 255; 128 activations per step (the odd and even bytes of
  // two vectors), the rest one by one.
  long i = 0;
  for (; i + 128 <= bytes; i += 128) {
    const HVX_Vector v0 = *(const HVX_UVector *)(in + i), v1 = *(const HVX_UVector *)(in + i + 64);
    *(HVX_UVector *)(hi_plane + i) = Q6_Vb_vpacko_VhVh(v1, v0);
    *(HVX_UVector *)(lo_plane + i) = Q6_Vb_vpacke_VhVh(v1, v0);
  }
  for (; i < bytes; ++i) {
    hi_plane[i] = (uint8_t)(in[i] >> 8);
    lo_plane[i] = (uint8_t)in[i];
  }
  for (int i = 0; i < g->pixel_stride; ++i) // the padding row: zero in both planes
    planes[2 * bytes + i] = 0;
  const int M = g->batch * g->OH * g->OW, panels = (g->N + 31) / 32, taps = g->KH * g->KW;
  const int C4 = (g->C + 3) / 4;
  const int8_t *pad_row = (const int8_t *)(planes + 2 * bytes);
  const HVX_Vector *all = (const HVX_Vector *)packed_weights;
  for (int b0 = 0; b0 < panels; b0 += MOTE_HVX_BLOCK_PANELS) {
    const int P = panels - b0 < MOTE_HVX_BLOCK_PANELS ? panels - b0 : MOTE_HVX_BLOCK_PANELS;
    const HVX_Vector *weights = all + (long)b0 * taps * C4;
    PixelCursor at = {0, 0, 0, 0};
    while (at.m < M) {
      switch (P) {
      case 4: block_i16(g, hi_plane, lo_plane, pad_row, weights, &at, b0, 4, out_hi, out_lo); break;
      case 3: block_i16(g, hi_plane, lo_plane, pad_row, weights, &at, b0, 3, out_hi, out_lo); break;
      case 2: block_i16(g, hi_plane, lo_plane, pad_row, weights, &at, b0, 2, out_hi, out_lo); break;
      default: block_i16(g, hi_plane, lo_plane, pad_row, weights, &at, b0, 1, out_hi, out_lo); break;
      }
    }
  }
}

void mote_hexagon_pad_rows_i8(const int8_t *in, long pixels, int channels, int stride, int8_t *out) {
  for (long p = 0; p < pixels; ++p)
    for (int c = 0; c < channels; ++c)
      out[p * stride + c] = in[p * channels + c];
}
