// f32 3x3 convolution (stride 1, pad 1, NHWC) as an indirect GEMM: see Conv3x3.h.
#include "runtime/neon/Conv3x3.h"
#include "runtime/neon/APackers.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <cstring>

namespace mote {
namespace neon {


size_t packedConv3x3WeightsFloats(int Cin, int Cout) { return packedGemmBFloats(9 * Cin, Cout); }

void packConvTapsWeights(int Cin, int Cout, int taps, const float *w, float *packed) {
  detail::packGemmBWith(
      taps * Cin, Cout,
      [w, Cin, taps](int k, int n) {
        const int tap = k / Cin, ci = k % Cin;
        return w[((size_t)n * Cin + ci) * taps + tap];
      },
      packed);
}

void packConv3x3Weights(int Cin, int Cout, const float *w, float *packed) { packConvTapsWeights(Cin, Cout, 9, w, packed); }

size_t conv3x3WorkspaceFloats(const Conv3x3Shape &s) {
  return gemmWorkspaceFloats(s.H * s.W, 9 * s.Cin) + (size_t)s.Cin;
}

void conv3x3(const Conv3x3Shape &s, const float *input, const float *packedWeights, float *output,
             const Epilogue &epilogue, float *workspace) {
  if (s.H <= 0 || s.W <= 0 || s.Cout <= 0)
    return;
  const int M = s.H * s.W, K = 9 * s.Cin;
  float *zeros = workspace + gemmWorkspaceFloats(M, K);
  if (s.Cin > 0)
    std::memset(zeros, 0, sizeof(float) * (size_t)s.Cin);
  const detail::ConvTapsAPacker packer = detail::ConvTapsAPacker::sameSize3x3(
      input, zeros, s.H, s.W, s.Cin, s.inPixelStride ? s.inPixelStride : (size_t)s.Cin);
  const size_t ldc = s.outPixelStride ? s.outPixelStride : (size_t)s.Cout;
  detail::gemmBlocked(M, s.Cout, K, packer, packedWeights, output, ldc, epilogue, workspace);
}

} // namespace neon
} // namespace mote
