// f32 3x3 convolution (stride 1, padding 1, NHWC) by Winograd F(4x4, 3x3) for AArch64 NEON.
//
// Each 4x4 output tile is computed from a 6x6 input tile: V = B^T d B (input transform), 36 GEMMs
// M_xi[tiles, Cout] = V_xi[tiles, Cin] * U_xi[Cin, Cout] (one per transform-domain position xi, on the
// same 8x12 microkernel as gemm), Y = A^T M A (output transform, which also applies the epilogue).
// U = G g G^T is computed and packed once at load time (36 x Cin x Cout floats: 4x the 3x3 weights).
// 4x fewer multiplications than direct convolution for large channel counts, at the price of those
// transforms, four times the weight memory, and larger rounding error (the transforms' coefficients
// reach 8 and 1/24: expect ~1e-5..1e-4 relative error in f32 rather than ~1e-6).
#ifndef MOTE_RUNTIME_NEON_WINOGRAD_H
#define MOTE_RUNTIME_NEON_WINOGRAD_H

#include "runtime/neon/Conv3x3.h"

#include <cstddef>

namespace mote {
namespace neon {

/// Whether F(4x4, 3x3) is expected to beat the direct kernel (in instructions) for this shape: the
/// transforms cost O(Cin + Cout) per tile against GEMM savings of O(Cin * Cout), and tiny images waste
/// most of each 4x4 tile.
bool winogradF43Profitable(const Conv3x3Shape &shape);

/// Floats of packed transformed weights for Cin -> Cout.
size_t packedWinogradF43WeightsFloats(int Cin, int Cout);

/// Transforms and packs w[Cout][Cin][3][3] (load time).
void packWinogradF43Weights(int Cin, int Cout, const float *w, float *packed);

/// Floats of scratch conv3x3WinogradF43 needs.
size_t winogradF43WorkspaceFloats(const Conv3x3Shape &shape);

/// output = act(conv3x3(input, w) + bias + residual), same contract as conv3x3 (Conv3x3.h): strides,
/// the residual may be the output itself, the output must not overlap the input.
void conv3x3WinogradF43(const Conv3x3Shape &shape, const float *input, const float *packedWeights,
                        float *output, const Epilogue &epilogue, float *workspace);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_WINOGRAD_H
