// 3x3 convolution (any stride and padding, NHWC, group 1, no dilation) on f16 storage with f16 arithmetic:
// blocks of output pixels
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

struct EpilogueF16;

/// out [N, OH, OW, Cout] = act(conv3x3(in [N, H, W, Cin], stride, top/left padding) + bias [Cout] (nullable)
/// + residual [N, OH, OW, Cout]); all f16. `epilogue` (nullable): the residual (dense, out's shape) and the
/// activation; its bias is ignored (the convolution's is `bias`).
void conv3x3F16(int N, int H, int W, int Cin, int Cout, int OH, int OW, int strideH, int strideW, int padTop,
                int padLeft, const void *in, const void *packed, const void *bias, void *out,
                const EpilogueF16 *epilogue = nullptr);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_CONV3X3F16_H
