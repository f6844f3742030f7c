// See ConvI16.h.
#include "runtime/hexagon/ConvI16.h"

#include "runtime/integer/Requantize.h"

void mote_hexagon_conv_i16(const MoteConv *g, const int16_t *in, const uint8_t *packed_weights,
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
