// Grouped (depthwise) convolutions of int8 or int16 activations on Hexagon, in plain C for now: the same sums and
// requantization as mote.integer_conv with group > 1 (Requantize.h). The group-1 convolutions and GEMMs are the
// HVX kernels of ConvI8.h and ConvI16.h.
#ifndef MOTE_RUNTIME_HEXAGON_CONVGROUPED_H
#define MOTE_RUNTIME_HEXAGON_CONVGROUPED_H

#include "runtime/hexagon/ConvI8.h"

#ifdef __cplusplus
extern "C" {
#endif

/// out = requantize(bias + conv(in, weights)) with `group` groups: `weights` [N][C / group][KH][KW] int8 as the IR
/// holds them; `params` the output channels' biases, multipliers and shifts, N int32 each, one after the other.
/// Geometry as mote_hvx_conv_i8's (`pixel_stride` any, in elements; padding reads 0). int8 activations
/// (`wide` 0): int32 sums, wrapping, mote_requantize; int16 (`wide` 1): exact int64 sums, mote_requantize64.
void mote_hexagon_conv_grouped(const MoteHvxConv *g, int group, const void *in, int wide, const int8_t *weights,
                               const int32_t *params, void *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_CONVGROUPED_H
