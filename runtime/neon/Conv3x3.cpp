// f32 3x3 convolution (stride 1, pad 1, NHWC) as an indirect GEMM: see Conv3x3.h.
#include "runtime/neon/Conv3x3.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <cstring>

namespace mote {
namespace neon {

namespace {

// Packs output pixels [m0, m0 + rows) x reduction indices [k0, k0 + kc), k = tap * Cin + ci, into the
// microkernel's A layout. Per micro panel of 8 pixels and per tap, the 8 source rows are pointers into
// the input (or to the zero row for padding and for pixels past the end), transposed 4 channels at a
// time.
struct Conv3x3APacker final : detail::APacker {
  const float *input;
  const float *zeros; // Cin zeros
  int H, W, Cin;
  size_t inStride;

  void pack(int m0, int rows, int k0, int kc, float *dst) const override {
    const int pixels = H * W;
    const int tapFirst = k0 / Cin, tapLast = (k0 + kc - 1) / Cin;
    for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
      int py[kGemmMR], px[kGemmMR];
      for (int r = 0; r < kGemmMR; ++r) {
        const int p = m0 + r0 + r;
        py[r] = p < pixels ? p / W : -1000; // pixels past the end read zeros
        px[r] = p < pixels ? p % W : -1000;
      }
      for (int tap = tapFirst; tap <= tapLast; ++tap) {
        const int dy = tap / 3 - 1, dx = tap % 3 - 1;
        const int kBegin = tap * Cin > k0 ? tap * Cin : k0;
        const int kEnd = (tap + 1) * Cin < k0 + kc ? (tap + 1) * Cin : k0 + kc;
        const int c0 = kBegin - tap * Cin;
        const float *src[kGemmMR];
        for (int r = 0; r < kGemmMR; ++r) {
          const int y = py[r] + dy, x = px[r] + dx;
          src[r] = (y >= 0 && y < H && x >= 0 && x < W) ? input + ((size_t)y * W + x) * inStride + c0 : zeros;
        }
        detail::packRows8(src, kEnd - kBegin, dst + (size_t)(kBegin - k0) * kGemmMR);
      }
      dst += (size_t)kc * kGemmMR;
    }
  }
};

} // namespace

size_t packedConv3x3WeightsFloats(int Cin, int Cout) { return packedGemmBFloats(9 * Cin, Cout); }

void packConv3x3Weights(int Cin, int Cout, const float *w, float *packed) {
  detail::packGemmBWith(
      9 * Cin, Cout,
      [w, Cin](int k, int n) {
        const int tap = k / Cin, ci = k % Cin;
        return w[((size_t)n * Cin + ci) * 9 + tap];
      },
      packed);
}

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
  Conv3x3APacker packer;
  packer.input = input;
  packer.zeros = zeros;
  packer.H = s.H;
  packer.W = s.W;
  packer.Cin = s.Cin;
  packer.inStride = s.inPixelStride ? s.inPixelStride : (size_t)s.Cin;
  const size_t ldc = s.outPixelStride ? s.outPixelStride : (size_t)s.Cout;
  detail::gemmBlocked(M, s.Cout, K, packer, packedWeights, output, ldc, epilogue, workspace);
}

} // namespace neon
} // namespace mote
