// The integer pipeline's convolution of int8 or int16 activations against int8 weights (mote.integer_conv, and
// mote.integer_matmul as a 1x1 convolution over an [M, 1, 1, K] image), in plain C: the sums and requantization
// the reference target computes (Requantize.h), any group count. Targets with vector kernels (Hexagon's vrmpy,
// ConvI8.h) call it for the shapes those do not take.
#ifndef MOTE_RUNTIME_INTEGER_CONV_H
#define MOTE_RUNTIME_INTEGER_CONV_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The geometry of one integer convolution (NHWC).
typedef struct {
  int batch, H, W, C;      // input [batch, H, W, C]
  int pixel_stride;        // elements between the input's pixels (>= C; Hexagon's vrmpy kernels: a multiple of 4)
  int KH, KW;              // kernel
  int stride_h, stride_w;  // strides
  int pad_top, pad_left;   // padding (bottom/right follow from OH/OW)
  int dilation_h, dilation_w;
  int OH, OW;              // output [batch, OH, OW, N]
  int N;                   // output channels
  int out_pixel_stride;    // elements between the output's pixels (>= N)
  int32_t zero, lo, hi;    // the output's zero point and clamp (Requantize.h)
} MoteConv;

/// out = requantize(bias + conv(in, weights)) with `group` groups: `weights` [N][C / group][KH][KW] int8 as the IR
/// holds them; `bias` [N], `requant` the output channels' multipliers [N] then shifts [N] (int32). Padding reads 0.
/// int8 activations (`wide` 0): int32 sums, wrapping, mote_requantize; int16 (`wide` 1): exact int64 sums,
/// mote_requantize64.
void mote_int_conv(const MoteConv *g, int group, const void *in, int wide, const int8_t *weights, const int32_t *bias,
                   const int32_t *requant, void *out);

/// out[r, :] = clamp(requantize(bias + in[r, :] weights)) for r < rows (mote.integer_matmul): `in` [rows, K] int8
/// (`wide` 0: int32 sums, wrapping) or int16 (`wide` 1: exact int64 sums), `weights` [K, N] int8, `bias` [N],
/// `requant` multipliers [N] then shifts [N]; the output zero point 0, clamped to [lo, hi].
void mote_int_matmul(long rows, long K, long N, const void *in, int wide, const int8_t *weights, const int32_t *bias,
                     const int32_t *requant, int32_t lo, int32_t hi, void *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_CONV_H
