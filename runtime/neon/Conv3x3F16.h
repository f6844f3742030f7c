// 3x3 convolution (stride 1, pad 1, NHWC, group 1) on f16 storage with f16 arithmetic: blocks of output pixels
// gathered (im2col, zero padding) into rows of 9 Cin halves, then the f16 GEMM (GemmF16.h, `fmla .8h`,
// f16 accumulation) against the weights packed as B [9 Cin, Cout] (k = tap * Cin + ci, tap = ky * 3 + kx).
// Needs FP16 vector arithmetic (-march=armv8.2-a+fp16); conv3x3F16Supported() says whether it was built with it.
#ifndef MOTE_RUNTIME_NEON_CONV3X3F16_H
#define MOTE_RUNTIME_NEON_CONV3X3F16_H

#include <cstddef>
#include <cstdint>

namespace mote {
namespace neon {

bool conv3x3F16Supported();

/// Packs w [Cout][Cin][3][3] (f32) into PackedLayout::Conv3x3F16 (PackedSizes.h).
void packConv3x3WeightsF16(int Cin, int Cout, const float *w, void *packed);

/// out [N, H, W, Cout] = conv3x3(in [N, H, W, Cin]) + bias [Cout] (nullable); all f16.
void conv3x3F16(int N, int H, int W, int Cin, int Cout, const void *in, const void *packed, const void *bias,
                void *out);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_CONV3X3F16_H
