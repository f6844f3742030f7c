// Integer convolution and GEMM for int16 activations (w8a16) against int8 weights: the HVX sums of ConvI8.h
// (mote_hvx_conv_i16_sums: the activations' high and low bytes, two vrmpys per step) combined exactly in int64
// and requantized with mote_requantize64 (Requantize.h), as the reference target computes mote.integer_conv and
// mote.integer_matmul on int16 (grouped and depthwise convolutions: ConvGrouped.h).
#ifndef MOTE_RUNTIME_HEXAGON_CONVI16_H
#define MOTE_RUNTIME_HEXAGON_CONVI16_H

#include "runtime/hexagon/ConvI8.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Bytes of the scratch mote_hexagon_conv_i16 needs: the input's byte planes (128-byte aligned), then the high
/// and low sums (int32, [batch * OH * OW, N] each).
static inline size_t mote_hexagon_conv_i16_scratch_bytes(const MoteConv *g) {
  return (mote_hvx_i16_planes_bytes(g) + 127) / 128 * 128 + 2 * 4 * (size_t)g->batch * g->OH * g->OW * g->N;
}

/// out = clamp(requantize64(sum + bias)) over int16 NHWC `in` (pixels g->pixel_stride elements apart, a multiple
/// of 4; the elements past C read as 0 by zero weights); `params` bias[N], mult[N], shift[N]; `scratch` of
/// mote_hexagon_conv_i16_scratch_bytes, 128-byte aligned. Output pixels g->out_pixel_stride elements apart.
void mote_hexagon_conv_i16(const MoteConv *g, const int16_t *in, const uint8_t *packed_weights,
                           const int32_t *params, uint8_t *scratch, int16_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_CONVI16_H
