// Grouped (depthwise) int8 convolutions on Hexagon, in plain C for now: the same sums and requantization as
// mote.integer_conv with group > 1 (Requantize.h). The group-1 convolutions and GEMMs are ConvI8.h's HVX kernel.
#ifndef MOTE_RUNTIME_HEXAGON_CONVGROUPEDI8_H
#define MOTE_RUNTIME_HEXAGON_CONVGROUPEDI8_H

#include "runtime/hexagon/ConvI8.h"

#ifdef __cplusplus
extern "C" {
#endif

/// out = requantize(bias + conv(in, weights)) with `group` groups: `weights` [N][C / group][KH][KW] int8 as the IR
/// holds them; `params` the output channels' biases, multipliers and shifts, N int32 each, one after the other.
/// Geometry as mote_hvx_conv_i8's (`pixel_stride` any; padding reads 0).
void mote_hexagon_conv_grouped_i8(const MoteHvxConv *g, int group, const int8_t *in, const int8_t *weights,
                                  const int32_t *params, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_CONVGROUPEDI8_H
