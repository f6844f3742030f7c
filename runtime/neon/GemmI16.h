// Integer GEMM and convolution for int16 activations against int8 weights (`w8a16`, the NPU scheme for diffusion
// models): activations quantized per tensor with one calibrated scale, weights int8 with one f32 scale per
// column, products summed exactly.
//
// Exact arithmetic (targets/reference/QuantizedKernels.cpp follows it to the bit; test/neon/KernelsI8Test.cpp
// checks every kernel against it):
//   values   qa = clamp(rne(A / sa), -32767, 32767)               (f32 division; NaN: 0)
//   sums     acc = sum_k qa[m][k] * qb[k][n]                      (exact: int32 over blocks of 512 values of
//                                                                  K, which cannot overflow, then int64)
//   result   y = fma(float(acc), sa * sb[n], bias[n])             (float(acc): acc rounded once to f32)
// then y += residual[m][n] and the activation, as in Gemm.h's epilogue.
//
// B layout (I16W8, PackedLayout::GemmBW8A16 and ConvTapsW8A16; sizes in PackedSizes.h): 8-column panels of K
// rows, row k of panel p the 8 bytes qb[k][8p .. 8p + 8) (zeros past N), then zeros to 64 bytes, then f32
// sb[N padded to 8]. Each 8-byte row is widened to int16 and multiplied into int32 lanes (`smlal` by
// scalar), four rows of A sharing it.
#ifndef MOTE_RUNTIME_NEON_GEMMI16_H
#define MOTE_RUNTIME_NEON_GEMMI16_H

#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/PackedSizes.h"

#include <cstddef>
#include <cstdint>

namespace mote {
namespace neon {

/// The per-tensor quantization of n values to int16.
void quantizeI16(int64_t n, const float *x, float sa, int16_t *q);

/// Bytes of scratch gemmI16Static and convI16 need for a reduction of K.
size_t gemmI16WorkspaceBytes(int K);

/// C[M,N] = epilogue(A[M,K] quantized with scale sa x int8 B in the I16W8 layout).
void gemmI16Static(int M, int N, int K, float sa, const float *A, size_t lda, const void *packedB, float *C,
                   size_t ldc, const Epilogue &epilogue, void *workspace);

/// Output pixels [p0, p1) of a group-1 NHWC convolution of `qin` [H, W, Cin] (int16, quantized with scale sa)
/// with I16W8 B [KH KW Cin, Cout] (k = tap Cin + ci), as convI8 (GemmI8.h): `C` (ldc = Cout) and the epilogue's
/// residual start at pixel p0.
void convI16(const ConvI8Shape &shape, int p0, int p1, int Cout, const int16_t *qin, float sa, const void *packedB,
             float *C, const Epilogue &epilogue, void *workspace);

/// The integer pipeline's int16 convolution: output pixels [p0, p1) of int16 `qin` with I16W8 B, as convI16, the
/// exact sums plus the bias requantized by mote_requantize64 to int16 `out` (ldc = Cout, starting at pixel p0).
/// Scratch: gemmI16WorkspaceBytes(KH KW Cin).
void convI16Requantize(const ConvI8Shape &shape, int p0, int p1, int Cout, const int16_t *qin, const void *packedB,
                       const IntegerEpilogue &requantize, int16_t *out, void *workspace);

namespace detail {

/// Packs int8 B given by q(k, n) and its per-column `scales` [N] (null: zeros, the integer pipeline's weights) in
/// the I16W8 layout.
template <class GetQ>
void packGemmBW8A16With(int K, int N, GetQ q, const float *scales, void *packed) {
  int8_t *bytes = static_cast<int8_t *>(packed);
  size_t at = 0;
  for (int n0 = 0; n0 < N; n0 += 8)
    for (int k = 0; k < K; ++k)
      for (int c = 0; c < 8; ++c, ++at)
        bytes[at] = n0 + c < N ? (int8_t)q(k, n0 + c) : (int8_t)0;
  const size_t padded = (at + 63) / 64 * 64;
  for (; at < padded; ++at)
    bytes[at] = 0;
  float *s = reinterpret_cast<float *>(bytes + padded);
  const int64_t paddedN = w8a16PaddedN(N);
  for (int64_t n = 0; n < paddedN; ++n)
    s[n] = n < N && scales ? scales[n] : 0.0f;
}

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMMI16_H
