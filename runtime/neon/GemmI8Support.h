// Internal to the integer GEMM kernels (GemmI8.cpp, GemmI4.cpp, GemmI8MM.cpp): the dot-product instruction, the
// row quantization's pieces, the A block size and the epilogue helpers they share.
#ifndef MOTE_RUNTIME_NEON_GEMMI8SUPPORT_H
#define MOTE_RUNTIME_NEON_GEMMI8SUPPORT_H

#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <arm_neon.h>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace mote {
namespace neon {
namespace detail {

// The dot-product instructions are an ARMv8.2-A extension: only the functions that use them are compiled for
// it (`MOTE_DOTPROD`), so the rest of the runtime keeps the architecture the app builds for. GCC declares the
// intrinsics inside such functions; clang 14 declares them only when the whole file targets the extension, so
// there the instruction is written in assembly (which the function's target attribute lets it assemble).
#if defined(__clang__)
#define MOTE_DOTPROD __attribute__((target("dotprod")))
#else
#define MOTE_DOTPROD __attribute__((target("arch=armv8.2-a+dotprod")))
#endif

// acc += sdot(b, lane L of a): four dot products of 4 bytes.
template <int L>
MOTE_DOTPROD MOTE_ALWAYS_INLINE int32x4_t sdotLane(int32x4_t acc, int8x16_t b, int8x16_t a) {
  static_assert(L >= 0 && L < 4, "lane");
#if defined(__ARM_FEATURE_DOTPROD) || !defined(__clang__)
  return vdotq_laneq_s32(acc, b, a, L);
#else
  if constexpr (L == 0)
    __asm__("sdot %0.4s, %1.16b, %2.4b[0]" : "+w"(acc) : "w"(b), "w"(a));
  else if constexpr (L == 1)
    __asm__("sdot %0.4s, %1.16b, %2.4b[1]" : "+w"(acc) : "w"(b), "w"(a));
  else if constexpr (L == 2)
    __asm__("sdot %0.4s, %1.16b, %2.4b[2]" : "+w"(acc) : "w"(b), "w"(a));
  else
    __asm__("sdot %0.4s, %1.16b, %2.4b[3]" : "+w"(acc) : "w"(b), "w"(a));
  return acc;
#endif
}

inline int roundUp(int x, int m) { return (x + m - 1) / m * m; }

/// Rows of A the int8 GEMMs quantize and pack at a time (a multiple of their 8-row tiles): a 64 KiB block stays
/// in L2 while B's panels stream through.
inline int int8BlockRows(int M, int K) {
  int mc = 64 * 1024 / roundUp(K > 0 ? K : 1, 16) / 8 * 8;
  if (mc < 8)
    mc = 8;
  const int mAll = roundUp(M > 0 ? M : 1, 8);
  return mc < mAll ? mc : mAll;
}

/// The row scale sa = max |x| / 127 of GemmI8.h (GemmI8.cpp).
float rowScaleI8(int K, const float *x);

// The epilogue of one output vector of 4 columns: y = fma(float(acc), sa * sb, bias) (+ residual), then the
// activation, as GemmI8.h specifies.
template <Activation A>
MOTE_ALWAYS_INLINE float32x4_t finishI8(int32x4_t acc, float sa, float32x4_t sb, float32x4_t bias,
                                        const float *residual, const Epilogue &ep) {
  float32x4_t y = vfmaq_f32(bias, vcvtq_f32_s32(acc), vmulq_n_f32(sb, sa));
  if (residual)
    y = vaddq_f32(y, vld1q_f32(residual));
  return activateAs<A>(y, ep.clampLo, ep.clampHi);
}

// Stores a row of `cols` values of an output tile held as vectors (cols may be short of the vectors' width).
inline void storeRow(const float32x4_t *v, int cols, float *dst) {
  int j = 0;
  for (; j + 4 <= cols; j += 4)
    vst1q_f32(dst + j, v[j / 4]);
  if (j < cols) {
    float tmp[4];
    vst1q_f32(tmp, v[j / 4]);
    std::memcpy(dst + j, tmp, sizeof(float) * (cols - j));
  }
}

// Four columns of bias (zero past `cols` or without a bias).
inline float32x4_t loadBias(const Epilogue &ep, int n, int cols) {
  if (!ep.bias)
    return vdupq_n_f32(0.0f);
  if (cols >= 4)
    return vld1q_f32(ep.bias + n);
  float tmp[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  std::memcpy(tmp, ep.bias + n, sizeof(float) * (cols > 0 ? cols : 0));
  return vld1q_f32(tmp);
}

// The residual row for an output row, or null.
inline const float *residualRow(const Epilogue &ep, int m, size_t ldc) {
  if (!ep.residual)
    return nullptr;
  return ep.residual + (size_t)m * (ep.residualStride ? ep.residualStride : ldc);
}

// A residual vector of `cols` valid values (a staging copy when the row is short; zeros past the row's end).
inline const float *residualAt(const float *row, int n, int cols, float *stage) {
  if (!row)
    return nullptr;
  if (cols >= 4)
    return row + n;
  std::memset(stage, 0, sizeof(float) * 4);
  if (cols > 0)
    std::memcpy(stage, row + n, sizeof(float) * cols);
  return stage;
}

// The epilogue of one GEMV panel: accumulators or (int4) float partial sums already scaled per column.
template <int NB, class Finish>
void storeGemvPanel(int n0, int cols, float *y, const Epilogue &ep, Finish finish) {
  withActivation(ep.act, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    float32x4_t v[NB];
    float stage[4];
    for (int j = 0; j < NB; ++j)
      v[j] = finish(j, std::integral_constant<Activation, A>(), residualAt(ep.residual, n0 + 4 * j, cols - 4 * j, stage));
    storeRow(v, cols, y + n0);
  });
}

// Applies the residual and the activation to a stored tile of `rows` x `width` (a multiple of 4) at row m0,
// column n0 of C: the assembly tiles store the plain epilogue (scale and bias) only.
inline void finishFullTile(float *c, size_t ldc, int rows, int width, int m0, int n0, const Epilogue &ep) {
  withActivation(ep.act, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    for (int r = 0; r < rows; ++r) {
      float *row = c + (size_t)r * ldc;
      const float *res = residualRow(ep, m0 + r, ldc);
      for (int j = 0; j < width; j += 4) {
        float32x4_t y = vld1q_f32(row + j);
        if (res)
          y = vaddq_f32(y, vld1q_f32(res + n0 + j));
        vst1q_f32(row + j, activateAs<A>(y, ep.clampLo, ep.clampHi));
      }
    }
  });
}

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMMI8SUPPORT_H
