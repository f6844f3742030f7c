// See Conv.h.
#include "runtime/integer/Conv.h"

#include "runtime/integer/IntegerMath.h"
#include "runtime/integer/Requantize.h"

void mote_int_conv(const MoteConv *g, int group, const void *in, int wide, const int8_t *weights, const int32_t *bias,
                   const int32_t *requant, void *out) {
  const int N = g->N, Cg = g->C / group, perGroup = N / group;
  const int32_t *mult = requant, *shift = requant + N;
  long o = 0; // the output pixel's first element
  for (int n = 0; n < g->batch; ++n)
    for (int oh = 0; oh < g->OH; ++oh)
      for (int ow = 0; ow < g->OW; ++ow, o += g->out_pixel_stride)
        for (int co = 0, grp = 0, inGroup = 0; co < N; ++co) {
          const int first = grp * Cg;
          int64_t acc = bias[co];
          for (int kh = 0; kh < g->KH; ++kh) {
            const int ih = oh * g->stride_h - g->pad_top + kh * g->dilation_h;
            if (ih < 0 || ih >= g->H)
              continue;
            for (int kw = 0; kw < g->KW; ++kw) {
              const int iw = ow * g->stride_w - g->pad_left + kw * g->dilation_w;
              if (iw < 0 || iw >= g->W)
                continue;
              const long x = ((long)(n * g->H + ih) * g->W + iw) * g->pixel_stride + first;
              const int8_t *w = weights + ((long)co * Cg * g->KH + kh) * g->KW + kw;
              for (int c = 0; c < Cg; ++c)
                acc += (int64_t)mote_activation_at(in, x + c, wide) * w[(long)c * g->KH * g->KW];
            }
          }
          if (wide) {
            ((int16_t *)out)[o + co] = (int16_t)mote_requantize64(acc, mult[co], shift[co], g->lo, g->hi);
          } else { // int32 sums wrap as the reference's do
            const int32_t wrapped = (int32_t)(uint32_t)(uint64_t)acc;
            ((int8_t *)out)[o + co] = (int8_t)mote_requantize(wrapped, mult[co], shift[co], g->zero, g->lo, g->hi);
          }
          if (++inGroup == perGroup) { // the next output channel's group, without dividing
            inGroup = 0;
            ++grp;
          }
        }
}

/// The columns of one block of mote_int_matmul: their sums kept in int64 (exact for int16; int8's wrap to int32
/// when requantized, as the reference's int32 sums do).
enum { kMatmulBlock = 64 };

void mote_int_matmul(long rows, long K, long N, const void *in, int wide, const int8_t *weights, const int32_t *bias,
                     const int32_t *requant, int32_t lo, int32_t hi, void *out) {
  const int32_t *mult = requant, *shift = requant + N;
  int64_t acc[kMatmulBlock];
  for (long r = 0; r < rows; ++r)
    for (long n0 = 0; n0 < N; n0 += kMatmulBlock) {
      const long width = N - n0 < kMatmulBlock ? N - n0 : kMatmulBlock;
      for (long j = 0; j < width; ++j)
        acc[j] = bias[n0 + j];
      for (long k = 0; k < K; ++k) {
        const int64_t a = mote_activation_at(in, r * K + k, wide);
        const int8_t *w = weights + k * N + n0;
        for (long j = 0; j < width; ++j)
          acc[j] += a * w[j];
      }
      for (long j = 0; j < width; ++j) {
        const long o = r * N + n0 + j;
        if (wide) {
          ((int16_t *)out)[o] = (int16_t)mote_requantize64(acc[j], mult[n0 + j], shift[n0 + j], lo, hi);
        } else {
          const int32_t wrapped = (int32_t)(uint32_t)(uint64_t)acc[j];
          ((int8_t *)out)[o] = (int8_t)mote_requantize(wrapped, mult[n0 + j], shift[n0 + j], 0, lo, hi);
        }
      }
    }
}
