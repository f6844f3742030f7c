// See ConvI16.h.
#include "runtime/hexagon/ConvI16.h"

#include "runtime/hexagon/Requantize.h"

void mote_hexagon_conv_i16(const MoteHvxConv *g, const int16_t *in, const uint8_t *packed_weights,
                           const int32_t *params, uint8_t *scratch, int16_t *out) {
  const long M = (long)g->batch * g->OH * g->OW;
  const int N = g->N;
  int32_t *hi = (int32_t *)(scratch + (mote_hvx_i16_planes_bytes(g) + 127) / 128 * 128), *lo = hi + M * N;
  mote_hvx_conv_i16_sums(g, in, scratch, packed_weights, hi, lo);
  const int32_t *bias = params, *mult = params + N, *shift = params + 2 * N;
  for (long m = 0; m < M; ++m)
    for (int n = 0; n < N; ++n) {
      const int64_t acc = (int64_t)hi[m * N + n] * 256 + lo[m * N + n] + bias[n];
      out[m * g->out_pixel_stride + n] = (int16_t)mote_requantize64(acc, mult[n], shift[n], g->lo, g->hi);
    }
}

void mote_hexagon_conv_grouped_i16(const MoteHvxConv *g, int group, const int16_t *in, const int8_t *weights,
                                   const int32_t *params, int16_t *out) {
  const int N = g->N, Cg = g->C / group, perGroup = N / group;
  const int32_t *bias = params, *mult = params + N, *shift = params + 2 * N;
  int16_t *o = out;
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
              const int16_t *x = in + ((long)(n * g->H + ih) * g->W + iw) * g->pixel_stride + first;
              const int8_t *w = weights + ((long)co * Cg * g->KH + kh) * g->KW + kw;
              for (int c = 0; c < Cg; ++c)
                acc += (int32_t)x[c] * w[(long)c * g->KH * g->KW];
            }
          }
          o[co] = (int16_t)mote_requantize64(acc, mult[co], shift[co], g->lo, g->hi);
          if (++inGroup == perGroup) { // the next output channel's group, without dividing
            inGroup = 0;
            ++grp;
          }
        }
}
