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

/// Winograd F(2x2, 3x3) on f16 storage in f16 arithmetic (WinogradF16.cpp; stride 1, padding 1, NHWC, Cin and
/// Cout multiples of 8): each 2x2 output tile from a 4x4 input tile, V = B^T d B (additions only), 16 GEMMs
/// M_xi [tiles, Cout] = V_xi [tiles, Cin] U_xi [Cin, Cout] on the f16 GEMM (f16 accumulation over Cin), then
/// Y = A^T M A (additions only) with the bias, residual and activation. 4 MACs an output against the direct
/// kernel's 9. Its interpolation points (0, +-1) amplify no rounding, so its error is below the direct f16
/// kernel's (each sum is Cin long, not 9 Cin): simulated against double (scripts/winograd_f16_error.py),
/// 1.5e-3 / 3.5e-3 / 6.2e-3 of the peak for Cin 32 / 128 / 512 against the direct kernel's 3.7e-3 / 1.3e-2 /
/// 1.4e-2, where F(4x4, 3x3) in f16 gives 2.8e-2 / 6.0e-2 / 1.2e-1 (its points +-2 amplify M's rounding), which
/// is why the f32 Winograd kernel has no f16 twin. U = G g G^T is packed at load time: 16 f16 GEMM panels of
/// [Cin, Cout].
bool winogradF23F16Supported();
void packWinogradF23WeightsF16(int Cin, int Cout, const float *w, void *packed);
void conv3x3WinogradF23F16(int N, int H, int W, int Cin, int Cout, const void *in, const void *packed,
                           const void *bias, void *out, const EpilogueF16 *epilogue = nullptr);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_CONV3X3F16_H
