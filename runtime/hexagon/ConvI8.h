// Integer convolution and GEMM on HVX-128 `vrmpy` (int8 x int8, four products summed into each of 32 int32
// lanes: 128 multiply-accumulates per instruction), with the requantization of Requantize.h in the epilogue.
//
// One kernel serves both: a GEMM is a 1x1 convolution over an [M, 1, 1, K] "image". Activations are int8 NHWC
// with each pixel's channels `pixel_stride` bytes apart (a multiple of 4; the bytes past C are read and
// multiplied by zero weights). Output channels run in panels of 32 (the lanes of one vrmpy) and blocks of up
// to 4 panels; the reduction in steps of 4 channels of one tap.
//
// Weights are packed at compile time (mote_hvx_pack_weights) so that each step of a block is P consecutive
// 128-byte vectors: vector p holds, for its 32 output channels j, the 4 weights of channels 4k..4k+3 of the
// tap. The per-channel requantization (bias, multiplier, shift) is packed per panel (mote_hvx_pack_requant).
#ifndef MOTE_RUNTIME_HEXAGON_CONVI8_H
#define MOTE_RUNTIME_HEXAGON_CONVI8_H

#include "runtime/hexagon/Packing.h"
#include "runtime/integer/Conv.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out = requantize(conv(in, weights) + bias) (the sum plus the bias wraps modulo 2^32, as HVX adds). `pad_row` holds pixel_stride bytes of the input's zero point (the
/// value of padding). `packed_weights` and `packed_requant` 128-byte aligned.
void mote_hvx_conv_i8(const MoteConv *g, const int8_t *in, const int8_t *pad_row, const uint8_t *packed_weights,
                      const int32_t *packed_requant, int8_t *out);

/// The same sums for int16 activations (w8a16): each activation splits into a signed high byte and an unsigned
/// low byte (a = 256 hi + lo), two vrmpys per step; writes the exact sums as two int32 arrays, sum = 256 *
/// out_hi + out_lo, [batch * OH * OW, N] each. `in` holds int16 pixels `pixel_stride` elements apart, and is
/// split into `planes` first (mote_hvx_i16_planes_bytes, 4-byte aligned). zero/lo/hi unused: ConvI16.h
/// combines the sums and requantizes them.
static inline size_t mote_hvx_i16_planes_bytes(const MoteConv *g) {
  return (size_t)(2 * (long)g->batch * g->H * g->W + 1) * (size_t)g->pixel_stride;
}
void mote_hvx_conv_i16_sums(const MoteConv *g, const int16_t *in, uint8_t *planes, const uint8_t *packed_weights,
                            int32_t *out_hi, int32_t *out_lo);

/// `pixels` rows of `channels` bytes copied `stride` bytes apart (the bytes between are left as they are): the
/// 4-byte aligned pixels the kernels read.
void mote_hexagon_pad_rows_i8(const int8_t *in, long pixels, int channels, int stride, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_CONVI8_H
