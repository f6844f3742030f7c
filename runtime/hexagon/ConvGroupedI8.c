// See ConvGroupedI8.h.
#include "runtime/hexagon/ConvGroupedI8.h"

#include "runtime/hexagon/Requantize.h"

void mote_hexagon_conv_grouped_i8(const MoteHvxConv *g, int group, const int8_t *in, const int8_t *weights,
                                  const int32_t *params, int8_t *out) {
  const int N = g->N, Cg = g->C / group, perGroup = N / group;
  const int32_t *bias = params, *mult = params + N, *shift = params + 2 * N;
  int8_t *o = out;
  for (int n = 0; n < g->batch; ++n)
    for (int oh = 0; oh < g->OH; ++oh)
      for (int ow = 0; ow < g->OW; ++ow, o += g->out_pixel_stride)
        for (int co = 0, grp = 0, inGroup = 0; co < N; ++co) {
          const int first = grp * Cg;
          int32_t acc = bias[co];
          for (int kh = 0; kh < g->KH; ++kh) {
            const int ih = oh * g->stride_h - g->pad_top + kh * g->dilation_h;
            if (ih < 0 || ih >= g->H)
              continue;
            for (int kw = 0; kw < g->KW; ++kw) {
              const int iw = ow * g->stride_w - g->pad_left + kw * g->dilation_w;
              if (iw < 0 || iw >= g->W)
                continue;
              const int8_t *x = in + ((long)(n * g->H + ih) * g->W + iw) * g->pixel_stride + first;
              const int8_t *w = weights + ((long)co * Cg * g->KH + kh) * g->KW + kw;
              for (int c = 0; c < Cg; ++c) // int32 sums wrap as the reference's do (unsigned arithmetic)
                acc = (int32_t)((uint32_t)acc + (uint32_t)(x[c] * w[(long)c * g->KH * g->KW]));
            }
          }
          o[co] = (int8_t)mote_requantize(acc, mult[co], shift[co], g->zero, g->lo, g->hi);
          if (++inGroup == perGroup) { // the next output channel's group, without dividing
            inGroup = 0;
            ++grp;
          }
        }
}
