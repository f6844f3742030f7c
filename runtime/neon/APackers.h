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

/// 3x3 / stride 1 / pad 1 NHWC convolution as an indirect GEMM (the layout of Conv3x3.cpp's packer):
/// pixel rows, k = tap * Cin + ci; `zeros` holds Cin zeros for the padding.
struct Conv3x3APacker final : APacker {
  const float *input;
  const float *zeros;
  int H, W, Cin;
  size_t inStride;
  void pack(int m0, int rows, int k0, int kc, float *dst) const override {
    const int pixels = H * W;
    const int tapFirst = k0 / Cin, tapLast = (k0 + kc - 1) / Cin;
    for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
      int py[kGemmMR], px[kGemmMR];
      for (int r = 0; r < kGemmMR; ++r) {
        const int q = m0 + r0 + r;
        const bool in = q < m0 + rows && q < pixels;
        py[r] = in ? q / W : -1000;
        px[r] = in ? q % W : -1000;
      }
      for (int tap = tapFirst; tap <= tapLast; ++tap) {
        const int dy = tap / 3 - 1, dx = tap % 3 - 1;
        const int kBegin = tap * Cin > k0 ? tap * Cin : k0;
        const int kEnd = (tap + 1) * Cin < k0 + kc ? (tap + 1) * Cin : k0 + kc;
        const int c0 = kBegin - tap * Cin;
        const float *src[kGemmMR];
        for (int r = 0; r < kGemmMR; ++r) {
          const int y = py[r] + dy, x = px[r] + dx;
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
