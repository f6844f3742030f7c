// The A-operand packers of the blocked GEMM (GemmMicrokernel.h) shared by the GEMM, the 3x3
// convolution and the op kernels that call the blocked GEMM on row ranges.
#ifndef MOTE_RUNTIME_NEON_APACKERS_H
#define MOTE_RUNTIME_NEON_APACKERS_H

#include "runtime/neon/GemmMicrokernel.h"

#include <cstddef>

namespace mote {
namespace neon {
namespace detail {

/// Dense row-major A (rows `lda` floats apart) for the blocked GEMM.
struct DenseAPacker final : APacker {
  const float *A;
  size_t lda;
  DenseAPacker(const float *a, size_t ld) : A(a), lda(ld) {}
  void pack(int m0, int rows, int k0, int kc, float *dst) const override {
    for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
      const int valid = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
      const float *src[kGemmMR];
      for (int r = 0; r < kGemmMR; ++r)
        src[r] = r < valid ? A + static_cast<size_t>(m0 + r0 + r) * lda + k0 : nullptr;
      if (valid == kGemmMR) {
        detail::packRows8(src, kc, dst);
      } else {
        for (int k = 0; k < kc; ++k)
          for (int r = 0; r < kGemmMR; ++r)
            dst[k * kGemmMR + r] = src[r] ? src[r][k] : 0.0f;
      }
      dst += static_cast<size_t>(kc) * kGemmMR;
    }
  }
};

/// Any NHWC convolution (group 1) as an indirect GEMM over k = tap * Cin + ci, tap = kh * KW + kw: output
/// pixel rows; each row's run of Cin channels for one tap is read in place (or from `zeros` in the padding).
/// The 3x3 / stride 1 / pad 1 kernel (Conv3x3.cpp) is the case sameSize3x3() builds.
struct ConvTapsAPacker final : APacker {
  const float *input = nullptr;
  const float *zeros = nullptr; // Cin zeros
  int H = 0, W = 0, Cin = 0, OW = 0, KW = 1;
  int strideH = 1, strideW = 1, padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1;
  size_t inStride = 0; // floats between input pixels

  static ConvTapsAPacker sameSize3x3(const float *input, const float *zeros, int H, int W, int Cin, size_t inStride) {
    ConvTapsAPacker p;
    p.input = input;
    p.zeros = zeros;
    p.H = H;
    p.W = W;
    p.Cin = Cin;
    p.OW = W;
    p.KW = 3;
    p.padTop = p.padLeft = 1;
    p.inStride = inStride;
    return p;
  }

  void pack(int m0, int rows, int k0, int kc, float *dst) const override {
    const int tapFirst = k0 / Cin, tapLast = (k0 + kc - 1) / Cin;
    for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
      int iy[kGemmMR], ix[kGemmMR]; // the input corner of each row's window (far outside for missing rows)
      for (int r = 0; r < kGemmMR; ++r) {
        const int q = m0 + r0 + r;
        const bool in = r0 + r < rows;
        iy[r] = in ? (q / OW) * strideH - padTop : -(1 << 28);
        ix[r] = in ? (q % OW) * strideW - padLeft : -(1 << 28);
      }
      for (int tap = tapFirst; tap <= tapLast; ++tap) {
        const int dy = (tap / KW) * dilationH, dx = (tap % KW) * dilationW;
        const int kBegin = tap * Cin > k0 ? tap * Cin : k0;
        const int kEnd = (tap + 1) * Cin < k0 + kc ? (tap + 1) * Cin : k0 + kc;
        const int c0 = kBegin - tap * Cin;
        const float *src[kGemmMR];
        for (int r = 0; r < kGemmMR; ++r) {
          const int y = iy[r] + dy, x = ix[r] + dx;
          src[r] = (y >= 0 && y < H && x >= 0 && x < W) ? input + (static_cast<size_t>(y) * W + x) * inStride + c0
                                                        : zeros + c0;
        }
        detail::packRows8(src, kEnd - kBegin, dst + static_cast<size_t>(kBegin - k0) * kGemmMR);
      }
      dst += static_cast<size_t>(kc) * kGemmMR;
    }
  }
};

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_APACKERS_H
