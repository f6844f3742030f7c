// Integer GEMM / GEMV over int4 weights (the I4Dot layout) with `sdot`: see GemmI8.h.
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmI8Support.h"

#include <arm_neon.h>
#include <cstdint>
#include <cstring>

namespace mote {
namespace neon {

using namespace detail;

namespace {

// 8 x the sum of the quantized row over each scale group: what the low nibbles' +8 adds to their dot products.
void groupSums8(int K, int group, const int8_t *xq, int32_t *sums) {
  const int groups = (K + group - 1) / group;
  for (int g = 0; g < groups; ++g) {
    int32_t sum = 0;
    for (int k = g * group; k < K && k < (g + 1) * group; ++k)
      sum += xq[k];
    sums[g] = 8 * sum;
  }
}

// One quantized row against one I4Dot panel: the float sums t[0] (columns 0-3) and t[1] (4-7) over the groups.
MOTE_DOTPROD void gemvPanelI4(int K, int group, const int8_t *xq, const int32_t *sums8, const uint8_t *pb,
                              const float *sb, int64_t paddedN, float32x4_t t[2]) {
  const int K4 = (K + 3) / 4, quadsPerGroup = group / 4, groups = (K + group - 1) / group;
  t[0] = t[1] = vdupq_n_f32(0.0f);
  int g = 0;
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
  if (group % 16 == 0 && K / group > 0) {
    // Whole groups, in steps of 64, 32 or 16 values of K (the largest the group divides into): per 16 values one
    // 64-byte B load, 4 masks and 8 sdot; then per group the low nibbles' correction, conversion and fma.
    uint64_t groupsLeft = (uint64_t)(K / group);
    const int step = group % 64 == 0 ? 64 : group % 32 == 0 ? 32 : 16;
    const uint64_t steps = (uint64_t)(group / step), scaleStride = (uint64_t)paddedN * sizeof(float);
    const int8_t *xp = xq;
    const uint8_t *p = pb;
    const float *sp = sb;
    const int32_t *cp = sums8;
    alignas(16) float out[8];
    float *op = out;
    uint64_t inner = 0, kind = (uint64_t)(step / 16);
#define MOTE_I4_BLOCK(xa)                                                                                              \
  "ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [%[p]], #64\n"                                                           \
  "and v20.16b, v16.16b, v7.16b\n" "and v21.16b, v17.16b, v7.16b\n"                                                   \
  "and v22.16b, v18.16b, v7.16b\n" "and v23.16b, v19.16b, v7.16b\n"                                                   \
  "sdot v24.4s, v16.16b, v" #xa ".4b[0]\n" "sdot v25.4s, v20.16b, v" #xa ".4b[0]\n"                                   \
  "sdot v24.4s, v17.16b, v" #xa ".4b[1]\n" "sdot v25.4s, v21.16b, v" #xa ".4b[1]\n"                                   \
  "sdot v24.4s, v18.16b, v" #xa ".4b[2]\n" "sdot v25.4s, v22.16b, v" #xa ".4b[2]\n"                                   \
  "sdot v24.4s, v19.16b, v" #xa ".4b[3]\n" "sdot v25.4s, v23.16b, v" #xa ".4b[3]\n"
// The end of a group: the low nibbles' correction (their +8 times the group's sum of x), both halves converted
// and accumulated with the group's scales.
#define MOTE_I4_GROUP_END                                                                                              \
  "ld1r {v26.4s}, [%[c]], #4\n"                                                                                       \
  "sub v24.4s, v24.4s, v25.4s\n" "sub v24.4s, v24.4s, v26.4s\n"                                                       \
  "ld1 {v26.4s, v27.4s}, [%[s]], %[ss]\n"                                                                             \
  "scvtf v24.4s, v24.4s\n" "scvtf v25.4s, v25.4s\n"                                                                   \
  "fmla v5.4s, v24.4s, v26.4s\n" "fmla v6.4s, v25.4s, v27.4s\n"
    if (group == 32) // the common group: one step a group, no inner loop
      __asm__ volatile(
          "movi v7.16b, #0xf0\n" "movi v5.4s, #0\n" "movi v6.4s, #0\n"
          "1:\n"
          "movi v24.4s, #0\n" "movi v25.4s, #0\n"
          "ld1 {v0.16b, v1.16b}, [%[x]], #32\n" MOTE_I4_BLOCK(0) MOTE_I4_BLOCK(1)
          MOTE_I4_GROUP_END
          "subs %[g], %[g], #1\n" "b.ne 1b\n"
          "st1 {v5.4s, v6.4s}, [%[o]]\n"
          : [x] "+&r"(xp), [p] "+&r"(p), [s] "+&r"(sp), [c] "+&r"(cp), [g] "+&r"(groupsLeft), [o] "+&r"(op)
          : [ss] "r"(scaleStride)
          : "cc", "memory", "v0", "v1", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
            "v24", "v25", "v26", "v27");
    else
      __asm__ volatile(
          "movi v7.16b, #0xf0\n" "movi v5.4s, #0\n" "movi v6.4s, #0\n"
          "1:\n"
          "movi v24.4s, #0\n" "movi v25.4s, #0\n" "mov %[i], %[steps]\n"
          "cmp %[kind], #2\n" "b.lt 3f\n" "b.eq 2f\n"
          "5:\n"
          "ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[x]], #64\n"
          MOTE_I4_BLOCK(0) MOTE_I4_BLOCK(1) MOTE_I4_BLOCK(2) MOTE_I4_BLOCK(3)
          "subs %[i], %[i], #1\n" "b.ne 5b\n" "b 4f\n"
          "2:\n"
          "ld1 {v0.16b, v1.16b}, [%[x]], #32\n" MOTE_I4_BLOCK(0) MOTE_I4_BLOCK(1)
          "subs %[i], %[i], #1\n" "b.ne 2b\n" "b 4f\n"
          "3:\n"
          "ld1 {v0.16b}, [%[x]], #16\n" MOTE_I4_BLOCK(0)
          "subs %[i], %[i], #1\n" "b.ne 3b\n"
          "4:\n"
          MOTE_I4_GROUP_END
          "subs %[g], %[g], #1\n" "b.ne 1b\n"
          "st1 {v5.4s, v6.4s}, [%[o]]\n"
          : [x] "+&r"(xp), [p] "+&r"(p), [s] "+&r"(sp), [c] "+&r"(cp), [g] "+&r"(groupsLeft), [i] "+&r"(inner), [o] "+&r"(op)
          : [steps] "r"(steps), [ss] "r"(scaleStride), [kind] "r"(kind)
          : "cc", "memory", "v0", "v1", "v2", "v3", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21", "v22",
            "v23", "v24", "v25", "v26", "v27");
#undef MOTE_I4_BLOCK
#undef MOTE_I4_GROUP_END
    t[0] = vld1q_f32(out);
    t[1] = vld1q_f32(out + 4);
    g = K / group;
  }
#endif
  const int8x16_t mask = vdupq_n_s8((int8_t)0xF0);
  for (; g < groups; ++g) {
    int32x4_t full = vdupq_n_s32(0), high = vdupq_n_s32(0);
    const int qEnd = (g + 1) * quadsPerGroup < K4 ? (g + 1) * quadsPerGroup : K4;
    for (int q = g * quadsPerGroup; q < qEnd; ++q) {
      int32_t word;
      std::memcpy(&word, xq + 4 * q, 4);
      const int8x16_t x = vreinterpretq_s8_s32(vdupq_n_s32(word));
      const int8x16_t b = vld1q_s8(reinterpret_cast<const int8_t *>(pb) + 16 * q);
      full = sdotLane<0>(full, b, x);
      high = sdotLane<0>(high, vandq_s8(b, mask), x);
    }
    const int32x4_t low = vsubq_s32(vsubq_s32(full, high), vdupq_n_s32(sums8[g]));
    t[0] = vfmaq_f32(t[0], vcvtq_f32_s32(low), vld1q_f32(sb + (size_t)g * paddedN));
    t[1] = vfmaq_f32(t[1], vcvtq_f32_s32(high), vld1q_f32(sb + (size_t)g * paddedN + 4));
  }
}

void gemvI4Panel(int K, int group, const int8_t *xq, const int32_t *sums8, float sa, const uint8_t *pb, const float *sb,
                 int64_t paddedN, int n0, int cols, float *y, const Epilogue &ep) {
  float32x4_t t[2];
  gemvPanelI4(K, group, xq, sums8, pb, sb + n0, paddedN, t);
  storeGemvPanel<2>(n0, cols, y, ep, [&](int j, auto a, const float *res) {
    float32x4_t v = vfmaq_n_f32(loadBias(ep, n0 + 4 * j, cols - 4 * j), t[j], sa);
    if (res)
      v = vaddq_f32(v, vld1q_f32(res));
    return activateAs<decltype(a)::value>(v, ep.clampLo, ep.clampHi);
  });
}

// One quantized row (and its group sums) against all I4Dot panels.
void gemvI4(int N, int K, int group, const int8_t *xq, const int32_t *sums8, float sa, const uint8_t *packed, float *y,
            const Epilogue &ep) {
  const int K4 = (K + 3) / 4;
  const int64_t paddedN = i4DotPaddedN(N);
  const float *sb = reinterpret_cast<const float *>(packed + ((size_t)K4 * 2 * paddedN + 63) / 64 * 64);
  const uint8_t *pb = packed;
  for (int n0 = 0; n0 < N; n0 += kI4DotNR) {
    const int cols = N - n0 < kI4DotNR ? N - n0 : kI4DotNR;
    gemvI4Panel(K, group, xq, sums8, sa, pb, sb, paddedN, n0, cols, y, ep);
    pb += (size_t)K4 * 16;
  }
}

// Four quantized rows, interleaved per 4 values of K (xq4: [K4][4 rows][4 bytes]) with their group sums (sums8
// [4][groups]), against one I4Dot panel: the float sums t[r][0] (columns 0-3) and t[r][1] (4-7) of row r. Per 4
// values of K: one A and one B load, one mask, 8 sdot for 128 MACs; the weights are read once for four rows.
MOTE_DOTPROD void panelI4Rows4(int K, int group, const int8_t *xq4, const int32_t *sums8, const uint8_t *pb,
                               const float *sb, int64_t paddedN, float32x4_t t[4][2]) {
  const int K4 = (K + 3) / 4, quadsPerGroup = group / 4, groups = (K + group - 1) / group;
  const int8x16_t mask = vdupq_n_s8((int8_t)0xF0);
  float32x4_t t00 = vdupq_n_f32(0.0f), t01 = t00, t10 = t00, t11 = t00, t20 = t00, t21 = t00, t30 = t00, t31 = t00;
  for (int g = 0; g < groups; ++g) {
    int32x4_t f0 = vdupq_n_s32(0), f1 = f0, f2 = f0, f3 = f0, h0 = f0, h1 = f0, h2 = f0, h3 = f0;
    const int qEnd = (g + 1) * quadsPerGroup < K4 ? (g + 1) * quadsPerGroup : K4;
    for (int q = g * quadsPerGroup; q < qEnd; ++q) {
      const int8x16_t a = vld1q_s8(xq4 + 16 * q);
      const int8x16_t b = vld1q_s8(reinterpret_cast<const int8_t *>(pb) + 16 * q), h = vandq_s8(b, mask);
      f0 = sdotLane<0>(f0, b, a);
      h0 = sdotLane<0>(h0, h, a);
      f1 = sdotLane<1>(f1, b, a);
      h1 = sdotLane<1>(h1, h, a);
      f2 = sdotLane<2>(f2, b, a);
      h2 = sdotLane<2>(h2, h, a);
      f3 = sdotLane<3>(f3, b, a);
      h3 = sdotLane<3>(h3, h, a);
    }
    const float32x4_t lo = vld1q_f32(sb + (size_t)g * paddedN), hi = vld1q_f32(sb + (size_t)g * paddedN + 4);
#define MOTE_I4_ROW_END(r)                                                                                             \
  t##r##0 = vfmaq_f32(t##r##0, vcvtq_f32_s32(vsubq_s32(vsubq_s32(f##r, h##r), vdupq_n_s32(sums8[r * groups + g]))), lo); \
  t##r##1 = vfmaq_f32(t##r##1, vcvtq_f32_s32(h##r), hi);
    MOTE_I4_ROW_END(0) MOTE_I4_ROW_END(1) MOTE_I4_ROW_END(2) MOTE_I4_ROW_END(3)
#undef MOTE_I4_ROW_END
  }
  t[0][0] = t00, t[0][1] = t01, t[1][0] = t10, t[1][1] = t11;
  t[2][0] = t20, t[2][1] = t21, t[3][0] = t30, t[3][1] = t31;
}

// Epilogue for row m of a GEMM run row by row (residual rows follow C's or their own stride).
Epilogue rowEpilogue(const Epilogue &ep, int m, size_t ldc) {
  Epilogue row = ep;
  row.residual = residualRow(ep, m, ldc);
  return row;
}

// Rows [m0, m0 + 4) of C through panelI4Rows4: the rows quantized and interleaved into xq4, then every panel.
void rowsI4x4(int m0, int N, int K, int group, const float *A, size_t lda, const uint8_t *packed, float *C, size_t ldc,
              const Epilogue &ep, int8_t *qrow, int8_t *xq4, int32_t *sums8) {
  const int K4 = (K + 3) / 4, groups = (K + group - 1) / group;
  const int64_t paddedN = i4DotPaddedN(N);
  const float *sb = reinterpret_cast<const float *>(packed + ((size_t)K4 * 2 * paddedN + 63) / 64 * 64);
  float sa[4];
  for (int r = 0; r < 4; ++r) {
    sa[r] = quantizeRowI8(K, A + (size_t)(m0 + r) * lda, qrow);
    groupSums8(K, group, qrow, sums8 + r * groups);
    for (int q = 0; q < K4; ++q)
      std::memcpy(xq4 + 16 * q + 4 * r, qrow + 4 * q, 4);
  }
  const uint8_t *pb = packed;
  for (int n0 = 0; n0 < N; n0 += kI4DotNR, pb += (size_t)K4 * 16) {
    const int cols = N - n0 < kI4DotNR ? N - n0 : kI4DotNR;
    float32x4_t t[4][2];
    panelI4Rows4(K, group, xq4, sums8, pb, sb + n0, paddedN, t);
    for (int r = 0; r < 4; ++r) {
      const Epilogue row = rowEpilogue(ep, m0 + r, ldc);
      storeGemvPanel<2>(n0, cols, C + (size_t)(m0 + r) * ldc, row, [&](int j, auto a, const float *res) {
        float32x4_t v = vfmaq_n_f32(loadBias(row, n0 + 4 * j, cols - 4 * j), t[r][j], sa[r]);
        if (res)
          v = vaddq_f32(v, vld1q_f32(res));
        return activateAs<decltype(a)::value>(v, row.clampLo, row.clampHi);
      });
    }
  }
}

} // namespace

void gemmI4(int M, int N, int K, int group, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
            const Epilogue &ep, void *workspace) {
  // Four rows at a time (each weight byte read once for four rows), the last rows one by one (the GEMV: decode
  // is M = 1).
  const int K16 = roundUp(K > 0 ? K : 1, 16), K4 = (K + 3) / 4;
  int8_t *qrow = static_cast<int8_t *>(workspace);
  int8_t *xq4 = qrow + K16;
  int32_t *sums8 = reinterpret_cast<int32_t *>(xq4 + (size_t)16 * (K4 > 0 ? K4 : 1));
  const uint8_t *packed = static_cast<const uint8_t *>(packedB);
  int m = 0;
  for (; m + 4 <= M; m += 4)
    rowsI4x4(m, N, K, group, A, lda, packed, C, ldc, ep, qrow, xq4, sums8);
  for (; m < M; ++m) {
    const float s = quantizeRowI8(K, A + (size_t)m * lda, qrow);
    groupSums8(K, group, qrow, sums8);
    gemvI4(N, K, group, qrow, sums8, s, packed, C + (size_t)m * ldc, rowEpilogue(ep, m, ldc));
  }
}

} // namespace neon
} // namespace mote
