// Integer GEMM and GEMV with the ARMv8.2-A dot product (`sdot`; gemmI8MM: the ARMv8.6-A `smmla`) for activations
// quantized to int8 at run time, one scale per row ("dynamic", per token) or one calibrated scale per tensor
// (gemmI8Static, convI8: `w8a8`): int8 weights with one f32 scale per column, int4 weights with one scale per
// `group` rows of K and column (`w4a8`).
//
// Exact arithmetic (targets/reference/QuantizedKernels.cpp follows it to the bit; test/neon/KernelsI8Test.cpp
// checks every kernel against it):
//   row scale   sa[m] = max_k |A[m][k]| / 127                       (f32 division, round to nearest even)
//   row values  qa[m][k] = sa[m] == 0 ? 0 : rne(A[m][k] / sa[m])    (|qa| <= 127 without clamping)
//   per tensor  sa given (> 0); qa = clamp(rne(A / sa), -127, 127)  (NaN: 0)
//   int8 B      acc = sum_k qa[m][k] * qb[k][n]                     (int32, exact)
//               y = fma(float(acc), sa[m] * sb[n], bias[n])          (the product rounded first; no bias: + 0)
//   int4 B      t = 0; for each group g in order: t = fma(float(acc_g), sb[g][n], t)
//               y = fma(t, sa[m], bias[n])
// then y += residual[m][n] and the activation, as in Gemm.h's epilogue.
//
// B layouts (packed at load time from the weights file's int8 / int4 values; sizes in PackedSizes.h,
// gemmBI8DotBytes and gemmBI4DotBytes):
//   I8Dot: 12-column panels (the last as wide as the remaining columns rounded up to 4), K padded to a
//          multiple of 4 with zeros; in a panel of width w, group g = k / 4 holds w columns of 4 bytes:
//          byte (g * w + c) * 4 + i = qb[4g + i][n0 + c]. Then zeros to 64 bytes, then f32 sb[N padded].
//   I4Dot: 8-column panels, K padded to a multiple of 4; group g = k / 4 of a panel is 16 bytes: byte
//          (g * 4 + c) * 4 + i holds qb[4g + i][n0 + c] + 8 in its low nibble and qb[4g + i][n0 + c + 4] in its
//          high one (zeros past N and K). As an int8, such a byte is 16 hi + lo + 8, and the byte masked with 0xF0
//          is 16 hi: `sdot` of both against the same activations gives 16 S_hi + S_lo + 8 sum(x) and 16 S_hi, so
//          one mask and two sdot cover 32 weights (the sum of x per scale group is computed once per row). Then
//          zeros to 64 bytes, then f32 sb[g][N padded to 8], those of columns c + 4 of each panel divided by 16.
//
// Single-threaded; a caller may split rows (GEMM) or column panels (GEMV) between threads, each with its own
// workspace. The functions that use sdot (smmla) carry the `+dotprod` (`+i8mm`) target attribute: a caller runs
// them only on a CPU that has it.
#ifndef MOTE_RUNTIME_NEON_GEMMI8_H
#define MOTE_RUNTIME_NEON_GEMMI8_H

#include "runtime/neon/Gemm.h"
#include "runtime/neon/PackedSizes.h"

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace mote {
namespace neon {

constexpr int kI8DotNR = 12; // columns of an I8Dot panel
constexpr int kI4DotNR = 8;  // columns of an I4Dot panel

/// Bytes of scratch gemmI8 / gemmI4 need for M rows of reduction K.
size_t gemmI8WorkspaceBytes(int M, int K);

/// C[M,N] = epilogue(A[M,K] quantized per row x int8 B): `packedB` in the I8Dot layout for this K and N.
void gemmI8(int M, int N, int K, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
            const Epilogue &epilogue, void *workspace);

/// gemmI8's arithmetic with `smmla` (ARMv8.6-A i8mm; GemmI8MM.cpp): `packedB` in the I8MM layout
/// (packGemmBI8MMWith), scratch gemmI8MMWorkspaceBytes(M, K).
void gemmI8MM(int M, int N, int K, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
              const Epilogue &epilogue, void *workspace);
size_t gemmI8MMWorkspaceBytes(int M, int K);

/// The same over int4 B in the I4Dot layout, `group` (a multiple of 4) rows of K per scale.
void gemmI4(int M, int N, int K, int group, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
            const Epilogue &epilogue, void *workspace);

/// The row quantization above, for one row of K values: returns sa, writes qa[0 .. roundUp(K, 16)) (zeros past K).
float quantizeRowI8(int K, const float *x, int8_t *q);

/// gemmI8 with every row quantized with the one scale `sa` (> 0; the per-tensor case above).
void gemmI8Static(int M, int N, int K, float sa, const float *A, size_t lda, const void *packedB, float *C,
                  size_t ldc, const Epilogue &epilogue, void *workspace);
/// The per-tensor quantization of n values: q[i] = clamp(rne(x[i] / sa), -127, 127).
void quantizeI8(int64_t n, const float *x, float sa, int8_t *q);

/// A group-1 NHWC convolution's geometry (one image) for convI8.
struct ConvI8Shape {
  int H, W, Cin, OW, KH, KW, strideH, strideW, padTop, padLeft, dilationH, dilationW;
};
/// Output pixels [p0, p1) (row-major over OH x OW) of the convolution of `qin` [H, W, Cin] (int8, quantized per
/// tensor with scale sa) with I8Dot B [KH KW Cin, Cout] (k = tap Cin + ci, tap = kh KW + kw): the GEMM over each
/// pixel's window (zeros in the padding) with gemmI8Static's arithmetic. `C` (ldc = Cout) and the epilogue's
/// residual start at pixel p0. Scratch: convI8WorkspaceBytes(p1 - p0, KH KW Cin).
void convI8(const ConvI8Shape &shape, int p0, int p1, int Cout, const int8_t *qin, float sa, const void *packedB,
            float *C, const Epilogue &epilogue, void *workspace);
size_t convI8WorkspaceBytes(int pixels, int K);

/// The integer pipeline's epilogue (mote.integer_conv and mote.integer_matmul; runtime/integer/Requantize.h): each
/// column's sum plus its bias requantized with the column's multiplier and shift, the output's zero point 0,
/// clamped to [lo, hi]. int8 activations: int32 sums (wrapping, as the reference's do), mote_requantize, stored as
/// int8; int16 (GemmI16.h): exact int64 sums, mote_requantize64, stored as int16.
struct IntegerEpilogue {
  const int32_t *bias, *mult, *shift; // [N] each
  int32_t lo, hi;
};
/// The int32 sums (wrapping) of up to 8 int8 rows of K values (`A`, rows lda bytes apart) against every I8Dot panel
/// of B: C[r][n] (rows ldc apart), no epilogue. Scratch: rowsI8SumsWorkspaceBytes(K).
void rowsI8Sums(int rows, int N, int K, const int8_t *A, size_t lda, const void *packedB, int32_t *C, size_t ldc,
                void *workspace);
size_t rowsI8SumsWorkspaceBytes(int K);
/// Output pixels [p0, p1) of the convolution of int8 `qin` [H, W, Cin] with I8Dot B, as convI8, requantized to int8
/// `out` (ldc = Cout, starting at pixel p0). Scratch: convI8WorkspaceBytes(p1 - p0, KH KW Cin).
void convI8Requantize(const ConvI8Shape &shape, int p0, int p1, int Cout, const int8_t *qin, const void *packedB,
                      const IntegerEpilogue &requantize, int8_t *out, void *workspace);

namespace detail {

/// `bytes` bytes from `src` to `dst` (or zeros with a null `src`) in 16-, 8- and 1-byte steps: the short runs of a
/// window's taps, without a library call each.
inline void copyRun(uint8_t *dst, const uint8_t *src, size_t bytes) {
  size_t i = 0;
  if (src) {
    for (; i + 16 <= bytes; i += 16)
      std::memcpy(dst + i, src + i, 16);
    for (; i + 8 <= bytes; i += 8)
      std::memcpy(dst + i, src + i, 8);
    for (; i < bytes; ++i)
      dst[i] = src[i];
  } else {
    for (; i + 16 <= bytes; i += 16)
      std::memset(dst + i, 0, 16);
    for (; i < bytes; ++i)
      dst[i] = 0;
  }
}

/// Output pixel `pixel`'s window of a quantized NHWC image as one row of the GEMM over the taps: row[tap Cin + ci]
/// (tap = kh KW + kw), zeros in the padding; `row` holds KH KW Cin values (the caller zeroes any tail).
template <class Q>
void gatherWindow(const ConvI8Shape &s, int pixel, const Q *qin, Q *row) {
  const int oy = pixel / s.OW, ox = pixel % s.OW;
  const size_t run = sizeof(Q) * (size_t)s.Cin;
  uint8_t *dst = reinterpret_cast<uint8_t *>(row);
  for (int kh = 0; kh < s.KH; ++kh) {
    const int iy = oy * s.strideH - s.padTop + kh * s.dilationH;
    for (int kw = 0; kw < s.KW; ++kw, dst += run) {
      const int ix = ox * s.strideW - s.padLeft + kw * s.dilationW;
      const bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
      copyRun(dst, inside ? reinterpret_cast<const uint8_t *>(qin + ((size_t)iy * s.W + ix) * s.Cin) : nullptr, run);
    }
  }
}

/// Packs int8 B given by q(k, n) and its per-column `scales` [N] (null: zeros, the integer pipeline's weights) in the
/// I8Dot layout.
template <class GetQ>
void packGemmBI8DotWith(int K, int N, GetQ q, const float *scales, void *packed) {
  int8_t *bytes = static_cast<int8_t *>(packed);
  const int K4 = (K + 3) / 4;
  size_t at = 0;
  for (int n0 = 0; n0 < N; n0 += kI8DotNR) {
    const int cols = N - n0 < kI8DotNR ? N - n0 : kI8DotNR, width = (cols + 3) & ~3;
    for (int g = 0; g < K4; ++g)
      for (int c = 0; c < width; ++c)
        for (int i = 0; i < 4; ++i, ++at) {
          const int k = 4 * g + i;
          bytes[at] = (c < cols && k < K) ? (int8_t)q(k, n0 + c) : (int8_t)0;
        }
  }
  const size_t padded = (at + 63) / 64 * 64;
  for (; at < padded; ++at)
    bytes[at] = 0;
  float *s = reinterpret_cast<float *>(bytes + padded);
  const int64_t paddedN = i8DotPaddedN(N);
  for (int64_t n = 0; n < paddedN; ++n)
    s[n] = n < N && scales ? scales[n] : 0.0f;
}

/// Packs int8 B given by q(k, n) and its per-column `scales` [N] in the I8MM layout (GemmI8MM.cpp): 8-column
/// panels, per 8 values of K four column pairs of 16 bytes (column 2q's 8 values, then column 2q + 1's).
template <class GetQ>
void packGemmBI8MMWith(int K, int N, GetQ q, const float *scales, void *packed) {
  int8_t *bytes = static_cast<int8_t *>(packed);
  const int K8 = (K + 7) / 8;
  size_t at = 0;
  for (int n0 = 0; n0 < N; n0 += 8)
    for (int b = 0; b < K8; ++b)
      for (int c = 0; c < 8; ++c)
        for (int i = 0; i < 8; ++i, ++at) {
          const int k = 8 * b + i;
          bytes[at] = (n0 + c < N && k < K) ? (int8_t)q(k, n0 + c) : (int8_t)0;
        }
  const size_t padded = (at + 63) / 64 * 64;
  for (; at < padded; ++at)
    bytes[at] = 0;
  float *s = reinterpret_cast<float *>(bytes + padded);
  const int64_t paddedN = i8MMPaddedN(N);
  for (int64_t n = 0; n < paddedN; ++n)
    s[n] = n < N ? scales[n] : 0.0f;
}

/// Packs int4 B given by q(k, n) (in [-8, 7]) and its scales scale(k / group, n) in the I4Dot layout.
template <class GetQ, class GetScale>
void packGemmBI4DotWith(int K, int N, int group, GetQ q, GetScale scale, void *packed) {
  uint8_t *bytes = static_cast<uint8_t *>(packed);
  const int K4 = (K + 3) / 4;
  size_t at = 0;
  for (int n0 = 0; n0 < N; n0 += kI4DotNR)
    for (int g = 0; g < K4; ++g)
      for (int c = 0; c < 4; ++c)
        for (int i = 0; i < 4; ++i, ++at) {
          const int k = 4 * g + i;
          const int lo = (k < K && n0 + c < N) ? q(k, n0 + c) : 0;
          const int hi = (k < K && n0 + c + 4 < N) ? q(k, n0 + c + 4) : 0;
          bytes[at] = (uint8_t)(((lo + 8) & 15) | ((hi & 15) << 4));
        }
  const size_t padded = (at + 63) / 64 * 64;
  for (; at < padded; ++at)
    bytes[at] = 0;
  float *s = reinterpret_cast<float *>(bytes + padded);
  const int64_t paddedN = i4DotPaddedN(N);
  const int groups = (K + group - 1) / group;
  for (int g = 0; g < groups; ++g)
    for (int64_t n = 0; n < paddedN; ++n)
      s[g * paddedN + n] = n < N ? scale(g, (int)n) * (n % kI4DotNR >= 4 ? 0.0625f : 1.0f) : 0.0f;
}

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMMI8_H
