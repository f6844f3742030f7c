// f32 3x3 convolution, stride 1, padding 1, NHWC, for AArch64 NEON, with the GEMM epilogue.
//
// Direct (im2col-free) form: an indirect GEMM with M = H*W output pixels, N = Cout and
// K = 9 * Cin ordered (tap, input channel). Each block of output pixels gathers, per tap, a pointer to
// the input pixel it reads (or to a zero row outside the image) and packs those rows straight into the
// GEMM microkernel's A layout, a block at a time (no full im2col buffer). The weights are packed once
// into the GEMM's 12-column panels.
//
// Winograd F(4x4, 3x3) is in Winograd.h.
#ifndef MOTE_RUNTIME_NEON_CONV3X3_H
#define MOTE_RUNTIME_NEON_CONV3X3_H

#include "runtime/neon/Gemm.h"

#include <cstddef>

namespace mote {
namespace neon {

/// One image [1, H, W, Cin] -> [1, H, W, Cout]. Pixel strides (floats between consecutive pixels) of
/// 0 mean dense (Cin, Cout); larger ones address a channel slice of a wider tensor (e.g. writing into
/// a concatenation buffer). The residual, if any, has the output's shape and stride unless
/// Epilogue::residualStride says otherwise.
struct Conv3x3Shape {
  int H = 0, W = 0, Cin = 0, Cout = 0;
  size_t inPixelStride = 0;
  size_t outPixelStride = 0;
  /// conv3x3WinogradF43 on a band of output rows (ConvBands.cpp): H output rows read inRows input rows
  /// (0: H), output row y reading input rows y - padTop .. y - padTop + 2 (rows outside the input are zeros).
  int inRows = 0, padTop = 1;
};

/// Floats of packed weights for Cin -> Cout.
size_t packedConv3x3WeightsFloats(int Cin, int Cout);

/// Packs ONNX/PyTorch weights w[Cout][Cin][3][3] (load time).
void packConv3x3Weights(int Cin, int Cout, const float *w, float *packed);

/// Packs any convolution's w[Cout][Cin][KH][KW] (taps = KH * KW) as GEMM panels of B [taps * Cin, Cout] with
/// k = tap * Cin + ci, the order the indirect GEMM gathers its input in (packConv3x3Weights is taps = 9).
void packConvTapsWeights(int Cin, int Cout, int taps, const float *w, float *packed);

/// Floats of scratch conv3x3 needs.
size_t conv3x3WorkspaceFloats(const Conv3x3Shape &shape);

/// output = act(conv3x3(input, w) + bias + residual).
void conv3x3(const Conv3x3Shape &shape, const float *input, const float *packedWeights, float *output,
             const Epilogue &epilogue, float *workspace);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_CONV3X3_H
