// Int8 GEMM with the ARMv8.6-A matrix multiply-accumulate (`smmla`, the i8mm extension): the arithmetic of
// GemmI8.h (activations quantized per row at run time, int8 weights with one scale per column), the I8MM
// layout (PackedSizes.h gemmBI8MMBytes):
//   B: 8-column panels (N padded to 8), K padded to 8; block b = k / 8 of a panel is 64 bytes, four column
//      pairs of 16: columns 2q and 2q + 1, eight values of K each. Then zeros to 64 bytes, then f32 sb[N padded].
//   A: packed per call into 8-row panels, block b the same way for row pairs.
// smmla multiplies a row pair by a column pair over 8 values of K (32 MACs); the 8x8 tile holds 16 such 2x2
// accumulators, 16 smmla per 2 x 64-byte loads.
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmI8Support.h"

#include <arm_neon.h>
#include <cstdint>
#include <cstring>

// Only the functions that use smmla are compiled for the extension (as MOTE_DOTPROD, GemmI8Support.h).
#if defined(__clang__)
#define MOTE_I8MM __attribute__((target("i8mm")))
#else
#define MOTE_I8MM __attribute__((target("arch=armv8.6-a+i8mm")))
#endif

namespace mote {
namespace neon {

using namespace detail;

namespace {

constexpr int kMR = 8, kNR = 8;


// Quantizes rows [m0, m0 + rows) of A into 8-row panels of row pairs (rows past M zero), 16 values of K at a
// time: the pair (2p, 2p + 1) of block b is the two rows' 8 values side by side.
void packABlock(int m0, int rows, int K, const float *A, size_t lda, int8_t *packed, float *scales, int8_t *qrows) {
  const int K8 = (K + 7) / 8, K16 = roundUp(K > 0 ? K : 1, 16), panels = (rows + kMR - 1) / kMR;
  for (int p = 0; p < panels; ++p) {
    // The panel's rows quantized into qrows [8][K16] (zeros past K and past M), then interleaved.
    for (int r = 0; r < kMR; ++r) {
      const int m = p * kMR + r;
      if (m < rows)
        scales[m] = quantizeRowI8(K, A + (size_t)(m0 + m) * lda, qrows + (size_t)r * K16);
      else {
        scales[m] = 0.0f;
        std::memset(qrows + (size_t)r * K16, 0, (size_t)K16);
      }
    }
    int64_t *dst = reinterpret_cast<int64_t *>(packed + (size_t)p * K8 * 64);
    for (int b = 0; b < K8; ++b)
      for (int pair = 0; pair < 4; ++pair) {
        std::memcpy(dst + (b * 4 + pair) * 2, qrows + (size_t)(2 * pair) * K16 + 8 * b, 8);
        std::memcpy(dst + (b * 4 + pair) * 2 + 1, qrows + (size_t)(2 * pair + 1) * K16 + 8 * b, 8);
      }
  }
}

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
// One block of 8 values of K: four row pairs and four column pairs loaded, 16 smmla.
#define MOTE_MM_BLOCK                                                                                                  \
  "ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[pa]], #64\n" "ld1 {v4.16b, v5.16b, v6.16b, v7.16b}, [%[pb]], #64\n"     \
  "smmla v16.4s, v0.16b, v4.16b\n" "smmla v17.4s, v0.16b, v5.16b\n" "smmla v18.4s, v0.16b, v6.16b\n"                   \
  "smmla v19.4s, v0.16b, v7.16b\n" "smmla v20.4s, v1.16b, v4.16b\n" "smmla v21.4s, v1.16b, v5.16b\n"                   \
  "smmla v22.4s, v1.16b, v6.16b\n" "smmla v23.4s, v1.16b, v7.16b\n" "smmla v24.4s, v2.16b, v4.16b\n"                   \
  "smmla v25.4s, v2.16b, v5.16b\n" "smmla v26.4s, v2.16b, v6.16b\n" "smmla v27.4s, v2.16b, v7.16b\n"                   \
  "smmla v28.4s, v3.16b, v4.16b\n" "smmla v29.4s, v3.16b, v5.16b\n" "smmla v30.4s, v3.16b, v6.16b\n"                   \
  "smmla v31.4s, v3.16b, v7.16b\n"
// The reduction of a tile: zeroed accumulators, K8 blocks (`n` = K8 - 4 on entry) four at a time, then the rest.
#define MOTE_MM_REDUCE \
      "movi v16.4s, #0\n" "movi v17.4s, #0\n" "movi v18.4s, #0\n" "movi v19.4s, #0\n" \
      "movi v20.4s, #0\n" "movi v21.4s, #0\n" "movi v22.4s, #0\n" "movi v23.4s, #0\n" \
      "movi v24.4s, #0\n" "movi v25.4s, #0\n" "movi v26.4s, #0\n" "movi v27.4s, #0\n" \
      "movi v28.4s, #0\n" "movi v29.4s, #0\n" "movi v30.4s, #0\n" "movi v31.4s, #0\n" \
      "tbnz %[n], #63, 2f\n" \
      "1:\n" MOTE_MM_BLOCK MOTE_MM_BLOCK MOTE_MM_BLOCK MOTE_MM_BLOCK \
      "subs %[n], %[n], #4\n" "b.ge 1b\n" \
      "2:\n" \
      "adds %[n], %[n], #4\n" "b.eq 3f\n" /* 1 to 3 blocks left */ \
      "4:\n" MOTE_MM_BLOCK "subs %[n], %[n], #1\n" "b.ne 4b\n" \
      "3:\n"
#endif

// acc (16 2x2 accumulators, pair p and column pair q at 4p + q) of one 8x8 tile over K8 blocks.
MOTE_I8MM void tileI8MM(int K8, const int8_t *pa, const int8_t *pb, int32_t *acc) {
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
  int64_t n = (int64_t)K8 - 4;
  __asm__ volatile(
      MOTE_MM_REDUCE
      "st1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[acc]], #64\n" "st1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n"
      "st1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[acc]], #64\n" "st1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[acc]]\n"
      : [pa] "+&r"(pa), [pb] "+&r"(pb), [n] "+&r"(n), [acc] "+&r"(acc)
      :
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21",
        "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
#else
  // The same sums in scalar code: acc[4p + q] = [r0 c0, r0 c1, r1 c0, r1 c1] of row pair p, column pair q.
  std::memset(acc, 0, 64 * sizeof(int32_t));
  for (int b = 0; b < K8; ++b)
    for (int p = 0; p < 4; ++p)
      for (int q = 0; q < 4; ++q)
        for (int i = 0; i < 2; ++i)
          for (int j = 0; j < 2; ++j)
            for (int k = 0; k < 8; ++k)
              acc[(4 * p + q) * 4 + 2 * i + j] += pa[64 * b + 16 * p + 8 * i + k] * pb[64 * b + 16 * q + 8 * j + k];
#endif
}

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
// One row pair's epilogue from the 2x2 accumulators c0..c3 (column pairs 0-3): the rows are the zipped halves;
// y = fma(float(acc), sb * sa[row], bias) stored with stp. sa in v0/v1 (lanes l0, l1 for the two rows), sb in
// v4/v5, bias in v6/v7; v2, v3 and the spent accumulators are scratch.
#define MOTE_MM_OUT(c0, c1, c2, c3, sa, l0, l1)                                                                        \
  "zip1 v2.2d, v" #c0 ".2d, v" #c1 ".2d\n" "zip1 v3.2d, v" #c2 ".2d, v" #c3 ".2d\n"                                    \
  "zip2 v" #c0 ".2d, v" #c0 ".2d, v" #c1 ".2d\n" "zip2 v" #c2 ".2d, v" #c2 ".2d, v" #c3 ".2d\n"                          \
  "scvtf v2.4s, v2.4s\n" "scvtf v3.4s, v3.4s\n"                                                                        \
  "fmul v" #c1 ".4s, v4.4s, v" #sa ".s[" #l0 "]\n" "mov v" #c3 ".16b, v6.16b\n"                                        \
  "fmla v" #c3 ".4s, v2.4s, v" #c1 ".4s\n"                                                                             \
  "fmul v" #c1 ".4s, v5.4s, v" #sa ".s[" #l0 "]\n" "mov v2.16b, v7.16b\n" "fmla v2.4s, v3.4s, v" #c1 ".4s\n"           \
  "stp q" #c3 ", q2, [%[c]]\n" "add %[c], %[c], %[ldc]\n"                                                              \
  "scvtf v" #c0 ".4s, v" #c0 ".4s\n" "scvtf v" #c2 ".4s, v" #c2 ".4s\n"                                                \
  "fmul v" #c1 ".4s, v4.4s, v" #sa ".s[" #l1 "]\n" "mov v3.16b, v6.16b\n" "fmla v3.4s, v" #c0 ".4s, v" #c1 ".4s\n"     \
  "fmul v" #c1 ".4s, v5.4s, v" #sa ".s[" #l1 "]\n" "mov v2.16b, v7.16b\n" "fmla v2.4s, v" #c2 ".4s, v" #c1 ".4s\n"     \
  "stp q3, q2, [%[c]]\n" "add %[c], %[c], %[ldc]\n"

// `tiles` full 8x8 tiles down one column panel (consecutive 8-row panels of A, rows 8 apart in C) computed and
// stored with the plain epilogue (bias, no residual, no activation): per tile the reduction, then the epilogue in
// registers; A's panels follow each other in memory, B's panel is read again for each tile.
MOTE_I8MM void tilesI8MMFull(int K8, int tiles, const int8_t *pa, const int8_t *pb, const float *sa, const float *sb,
                             const float *bias, float *c, size_t ldc) {
  int64_t n = 0;
  uint64_t left = (uint64_t)tiles;
  const int8_t *panel = pb;
  const uint64_t ldcBytes = ldc * sizeof(float), k8 = (uint64_t)K8;
  __asm__ volatile(
      "0:\n"
      "mov %[pb], %[panel]\n" "sub %[n], %[k8], #4\n"
      MOTE_MM_REDUCE
      "ld1 {v0.4s, v1.4s}, [%[sa]], #32\n" "ld1 {v4.4s, v5.4s}, [%[sb]]\n" "ld1 {v6.4s, v7.4s}, [%[bias]]\n"
      MOTE_MM_OUT(16, 17, 18, 19, 0, 0, 1) MOTE_MM_OUT(20, 21, 22, 23, 0, 2, 3)
      MOTE_MM_OUT(24, 25, 26, 27, 1, 0, 1) MOTE_MM_OUT(28, 29, 30, 31, 1, 2, 3)
      "subs %[left], %[left], #1\n" "b.ne 0b\n"
      : [pa] "+&r"(pa), [pb] "+&r"(pb), [n] "+&r"(n), [c] "+&r"(c), [sa] "+&r"(sa), [left] "+&r"(left)
      : [panel] "r"(panel), [sb] "r"(sb), [bias] "r"(bias), [ldc] "r"(ldcBytes), [k8] "r"(k8)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21",
        "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}
#undef MOTE_MM_OUT
#endif

// The epilogue of one tile: rows [m0, m0 + rows) and columns [n0, n0 + cols) of C from the 2x2 accumulators.
void storeTile(const int32_t *acc, int m0, int rows, int n0, int cols, const float *sa, const float *sb, float *C,
               size_t ldc, const Epilogue &ep) {
  float32x4_t bias[2], scale[2];
  for (int j = 0; j < 2; ++j) {
    bias[j] = loadBias(ep, n0 + 4 * j, cols - 4 * j);
    scale[j] = vld1q_f32(sb + n0 + 4 * j);
  }
  withActivation(ep.act, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    for (int p = 0; p < 4; ++p) {
      const int32x4_t c0 = vld1q_s32(acc + 16 * p), c1 = vld1q_s32(acc + 16 * p + 4);
      const int32x4_t c2 = vld1q_s32(acc + 16 * p + 8), c3 = vld1q_s32(acc + 16 * p + 12);
      // Row 2p: the low halves of the column pairs' accumulators; row 2p + 1: the high halves.
      const int32x4_t rowv[2][2] = {
          {vreinterpretq_s32_s64(vzip1q_s64(vreinterpretq_s64_s32(c0), vreinterpretq_s64_s32(c1))),
           vreinterpretq_s32_s64(vzip1q_s64(vreinterpretq_s64_s32(c2), vreinterpretq_s64_s32(c3)))},
          {vreinterpretq_s32_s64(vzip2q_s64(vreinterpretq_s64_s32(c0), vreinterpretq_s64_s32(c1))),
           vreinterpretq_s32_s64(vzip2q_s64(vreinterpretq_s64_s32(c2), vreinterpretq_s64_s32(c3)))}};
      for (int h = 0; h < 2; ++h) {
        const int r = 2 * p + h;
        if (r >= rows)
          break;
        const float *res = residualRow(ep, m0 + r, ldc);
        float32x4_t y[2];
        float stage[4];
        for (int j = 0; j < 2; ++j)
          y[j] = finishI8<A>(rowv[h][j], sa[r], scale[j], bias[j], residualAt(res, n0 + 4 * j, cols - 4 * j, stage),
                             ep);
        storeRow(y, cols, C + (size_t)(m0 + r) * ldc + n0);
      }
    }
  });
}

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
#undef MOTE_MM_BLOCK
#undef MOTE_MM_REDUCE
#endif

} // namespace

size_t gemmI8MMWorkspaceBytes(int M, int K) {
  const int mc = int8BlockRows(M, K), K16 = roundUp(K > 0 ? K : 1, 16);
  return (size_t)mc * K16 + (size_t)mc * sizeof(float) + (size_t)kMR * K16 + 64;
}

void gemmI8MM(int M, int N, int K, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
              const Epilogue &ep, void *workspace) {
  if (M <= 0 || N <= 0)
    return;
  const int8_t *packed = static_cast<const int8_t *>(packedB);
  const int K8 = (K + 7) / 8, K16 = roundUp(K > 0 ? K : 1, 16), mc = int8BlockRows(M, K);
  const int64_t paddedN = i8MMPaddedN(N);
  const float *sb = reinterpret_cast<const float *>(packed + ((size_t)K8 * 8 * paddedN + 63) / 64 * 64);
  int8_t *pa = static_cast<int8_t *>(workspace);
  float *sa = reinterpret_cast<float *>(pa + (size_t)mc * K16);
  int8_t *qrows = reinterpret_cast<int8_t *>(sa + mc);
  alignas(16) int32_t acc[64];
  static const float kZeros[kNR] = {};
  for (int m0 = 0; m0 < M; m0 += mc) {
    const int rows = M - m0 < mc ? M - m0 : mc;
    packABlock(m0, rows, K, A, lda, pa, sa, qrows);
    const int8_t *pb = packed;
    for (int n0 = 0; n0 < N; n0 += kNR, pb += (size_t)K8 * 64) {
      const int cols = N - n0 < kNR ? N - n0 : kNR;
      int p = 0;
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
      if (cols == kNR && rows >= kMR) { // the full tiles of this column panel in one call
        const int full = rows / kMR;
        float *c = C + (size_t)m0 * ldc + n0;
        tilesI8MMFull(K8, full, pa, pb, sa, sb + n0, ep.bias ? ep.bias + n0 : kZeros, c, ldc);
        if (ep.residual || ep.act != Activation::None)
          finishFullTile(c, ldc, full * kMR, kNR, m0, n0, ep);
        p = full;
      }
#endif
      for (; p * kMR < rows; ++p) {
        tileI8MM(K8, pa + (size_t)p * K8 * 64, pb, acc);
        storeTile(acc, m0 + p * kMR, rows - p * kMR < kMR ? rows - p * kMR : kMR, n0, cols, sa + p * kMR, sb, C, ldc,
                  ep);
      }
    }
  }
}

} // namespace neon
} // namespace mote
