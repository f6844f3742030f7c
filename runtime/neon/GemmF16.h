// f16 GEMM for AArch64 NEON with FP16 arithmetic (Armv8.2-A FEAT_FP16: build with
// -march=armv8.2-a+fp16 or later), over pre-packed f16 weights, with the fused epilogue.
//
//   C[M,N] (f16) = act(A[M,K] (f16) * B[K,N] (f16) + bias[N] + residual[M,N])
//
// Two accumulation modes:
// - F16: `fmla v.8h, v.8h, v.h[lane]` on an 8x24 register tile (8 MACs per instruction: twice the f32
//   rate). Rounding error grows with K (f16 has an 11-bit significand); fine for short reductions or
//   error-tolerant layers.
// - F32: the weights stay f16 in memory (half the bytes of f32); each 12-column panel is widened into
//   an L1-sized f32 slice once per block of rows, A once when packed, and the f32 8x12 microkernel
//   (Gemm.h) accumulates; only the result is rounded to f16 (4 MACs per fmla, like f32 GEMM). For the layers where f16
//   accumulation overflows or drifts (the NaN/black-image failures of fp16 diffusion models).
// B is packed for one mode (panels of 24 columns for F16, 12 for F32). The reduction is not split
// (no K blocking: partial sums would be rounded to f16 between blocks).
//
// The F16-accumulation reduction loop is AArch64 inline assembly (GCC and clang), also under
// MOTE_NEON_NO_ASM, which only switches the f32 microkernel to intrinsics.
// gemmF16Supported() is false when this file was compiled without FP16 vector arithmetic; the other
// functions then do nothing (a runtime dispatching on HWCAP_FPHP/ASIMDHP compiles it with +fp16).
#ifndef MOTE_RUNTIME_NEON_GEMMF16_H
#define MOTE_RUNTIME_NEON_GEMMF16_H

#include "runtime/neon/Gemm.h"

#include <arm_neon.h>
#include <cstddef>
#include <cstdint>

namespace mote {
namespace neon {

enum class F16Accumulation : uint8_t { F16, F32 };

/// Epilogue of the f16 GEMM: y = act(acc + bias[n] + residual[m][n]), bias and residual in f16.
struct EpilogueF16 {
  const float16_t *bias = nullptr;
  const float16_t *residual = nullptr; // may equal C
  size_t residualStride = 0;           // 0: C's row stride
  Activation act = Activation::None;
  float clampLo = 0.0f, clampHi = 0.0f;
};

bool gemmF16Supported();

/// Elements (halves) of B[K,N] packed for `mode`.
size_t packedGemmF16BElements(int K, int N, F16Accumulation mode);

/// Packs row-major f16 B[K,N] (rows ldb apart).
void packGemmF16B(int K, int N, const float16_t *B, size_t ldb, float16_t *packed, F16Accumulation mode);

/// Packs B[K,N] given as its transpose: f16 Bt[N,K], rows ldbt apart (attention's keys, for Q K^T).
void packGemmF16BTransposed(int K, int N, const float16_t *Bt, size_t ldbt, float16_t *packed, F16Accumulation mode);

/// Packs row-major f32 B[K,N], rounding to f16 (weights converted at load or compile time).
void packGemmF16BFromF32(int K, int N, const float *B, size_t ldb, float16_t *packed, F16Accumulation mode);

/// Bytes of scratch gemmF16 needs (the packed A block).
size_t gemmF16WorkspaceBytes(int M, int K, F16Accumulation mode);

/// C = act(A * B + bias + residual); A rows lda apart, C rows ldc apart (in elements). `workspace` must
/// be 16-byte aligned.
void gemmF16(int M, int N, int K, const float16_t *A, size_t lda, const float16_t *packedB, float16_t *C,
             size_t ldc, const EpilogueF16 &epilogue, F16Accumulation mode, void *workspace);

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMMF16_H
