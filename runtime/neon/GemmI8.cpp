// Integer GEMM / GEMV with `sdot`: see GemmI8.h for the arithmetic and the layouts.
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmI8Support.h"

#include <arm_neon.h>
#include <cstdint>
#include <cstring>
#include <type_traits>


namespace mote {
namespace neon {

using namespace detail;

namespace {

constexpr int kMR = 8;               // rows of the GEMM tile


} // namespace

float detail::rowScaleI8(int K, const float *x) {
  float32x4_t mx = vdupq_n_f32(0.0f), m1 = mx, m2 = mx, m3 = mx;
  int k = 0;
  for (; k + 16 <= K; k += 16) {
    const float32x4x4_t v = vld1q_f32_x4(x + k);
    mx = vmaxq_f32(mx, vabsq_f32(v.val[0]));
    m1 = vmaxq_f32(m1, vabsq_f32(v.val[1]));
    m2 = vmaxq_f32(m2, vabsq_f32(v.val[2]));
    m3 = vmaxq_f32(m3, vabsq_f32(v.val[3]));
  }
  mx = vmaxq_f32(vmaxq_f32(mx, m1), vmaxq_f32(m2, m3));
  for (; k + 4 <= K; k += 4)
    mx = vmaxq_f32(mx, vabsq_f32(vld1q_f32(x + k)));
  float m = vmaxvq_f32(mx);
  for (; k < K; ++k) {
    const float a = x[k] < 0 ? -x[k] : x[k];
    m = (a > m || a != a) ? a : m;
  }
  return m / 127.0f;
}

namespace {

// 16 values rounded to int8 after division by the scale. A row scale max|x| / 127 never reaches the bounds;
// with a calibrated per-tensor scale (Saturate) the values are saturated to [-127, 127] (NaN: 0).
template <bool Saturate>
MOTE_ALWAYS_INLINE int8x16_t quantize16(const float *x, float32x4_t s) {
  const int32x4_t i0 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x), s));
  const int32x4_t i1 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x + 4), s));
  const int32x4_t i2 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x + 8), s));
  const int32x4_t i3 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x + 12), s));
  if constexpr (!Saturate) {
    const int16x8_t h0 = vcombine_s16(vmovn_s32(i0), vmovn_s32(i1));
    const int16x8_t h1 = vcombine_s16(vmovn_s32(i2), vmovn_s32(i3));
    return vcombine_s8(vmovn_s16(h0), vmovn_s16(h1));
  }
  const int16x8_t h0 = vcombine_s16(vqmovn_s32(i0), vqmovn_s32(i1));
  const int16x8_t h1 = vcombine_s16(vqmovn_s32(i2), vqmovn_s32(i3));
  return vmaxq_s8(vcombine_s8(vqmovn_s16(h0), vqmovn_s16(h1)), vdupq_n_s8(-127));
}

// One value rounded as quantize16 rounds it.
inline int8_t quantize1(float x, float s) {
  const int32_t v = vcvtns_s32_f32(x / s);
  return (int8_t)(v > 127 ? 127 : v < -127 ? -127 : v);
}

// Four rows of 16 int8 values as 4-byte groups, transposed: out[g] = (row 0 group g, ..., row 3 group g).
MOTE_ALWAYS_INLINE void transposeGroups(int8x16_t r0, int8x16_t r1, int8x16_t r2, int8x16_t r3, int32x4_t out[4]) {
  const int32x4_t a = vreinterpretq_s32_s8(r0), b = vreinterpretq_s32_s8(r1);
  const int32x4_t c = vreinterpretq_s32_s8(r2), d = vreinterpretq_s32_s8(r3);
  const int32x4_t t0 = vtrn1q_s32(a, b), t1 = vtrn2q_s32(a, b), t2 = vtrn1q_s32(c, d), t3 = vtrn2q_s32(c, d);
  out[0] = vreinterpretq_s32_s64(vtrn1q_s64(vreinterpretq_s64_s32(t0), vreinterpretq_s64_s32(t2)));
  out[1] = vreinterpretq_s32_s64(vtrn1q_s64(vreinterpretq_s64_s32(t1), vreinterpretq_s64_s32(t3)));
  out[2] = vreinterpretq_s32_s64(vtrn2q_s64(vreinterpretq_s64_s32(t0), vreinterpretq_s64_s32(t2)));
  out[3] = vreinterpretq_s32_s64(vtrn2q_s64(vreinterpretq_s64_s32(t1), vreinterpretq_s64_s32(t3)));
}

// Quantizes rows [m0, m0 + rows) of A and packs them into 8-row panels: panel p, group g holds rows 8p..8p+7
// as 4 bytes each (32 bytes); rows past M are zero. Full panels are quantized 16 values a row at a time and
// transposed in registers; `qrow` (roundUp(K, 16) bytes) serves the last, partial panel. `tensorScale` > 0:
// every row quantized with that scale (gemmI8Static); else each with its own (gemmI8).
void packABlock(int m0, int rows, int K, const float *A, size_t lda, int8_t *packed, float *scales, int8_t *qrow,
                float tensorScale) {
  const int K4 = (K + 3) / 4, panels = (rows + kMR - 1) / kMR;
  const size_t panelBytes = (size_t)K4 * 4 * kMR;
  for (int p = 0; p < panels; ++p) {
    int8_t *dst = packed + (size_t)p * panelBytes;
    const int valid = rows - p * kMR < kMR ? rows - p * kMR : kMR;
    if (valid < kMR) {
      std::memset(dst, 0, panelBytes);
      for (int r = 0; r < valid; ++r) {
        const float *row = A + (size_t)(m0 + p * kMR + r) * lda;
        scales[p * kMR + r] = tensorScale > 0.0f ? tensorScale : quantizeRowI8(K, row, qrow);
        if (tensorScale > 0.0f) {
          quantizeI8(K, row, tensorScale, qrow);
          std::memset(qrow + K, 0, (size_t)(roundUp(K, 16) - K));
        }
        for (int g = 0; g < K4; ++g)
          std::memcpy(dst + (size_t)g * 4 * kMR + r * 4, qrow + 4 * g, 4);
      }
      for (int r = valid; r < kMR; ++r)
        scales[p * kMR + r] = 0.0f;
      continue;
    }
    const float *src[kMR];
    float32x4_t div[kMR];
    int8x16_t keep[kMR]; // all ones, or zeros for a row whose scale is not positive (all zero, or NaN)
    for (int r = 0; r < kMR; ++r) {
      src[r] = A + (size_t)(m0 + p * kMR + r) * lda;
      const float s = tensorScale > 0.0f ? tensorScale : rowScaleI8(K, src[r]);
      scales[p * kMR + r] = s;
      div[r] = vdupq_n_f32(s > 0.0f ? s : 1.0f);
      keep[r] = vdupq_n_s8(s > 0.0f ? -1 : 0);
    }
    int k = 0;
    auto quantizePanel = [&](auto saturate) {
      for (; k + 16 <= K; k += 16) {
        int8x16_t q[kMR];
        for (int r = 0; r < kMR; ++r)
          q[r] = vandq_s8(quantize16<decltype(saturate)::value>(src[r] + k, div[r]), keep[r]);
        int32x4_t lo[4], hi[4];
        transposeGroups(q[0], q[1], q[2], q[3], lo);
        transposeGroups(q[4], q[5], q[6], q[7], hi);
        int32_t *out = reinterpret_cast<int32_t *>(dst + (size_t)k * kMR);
        for (int g = 0; g < 4; ++g) {
          vst1q_s32(out + 8 * g, lo[g]);
          vst1q_s32(out + 8 * g + 4, hi[g]);
        }
      }
    };
    if (tensorScale > 0.0f)
      quantizePanel(std::true_type{});
    else
      quantizePanel(std::false_type{});
    for (; k < K4 * 4; ++k)
      for (int r = 0; r < kMR; ++r) {
        const float s = scales[p * kMR + r];
        dst[(size_t)(k / 4) * 4 * kMR + r * 4 + k % 4] = (k < K && s > 0.0f) ? quantize1(src[r][k], s) : (int8_t)0;
      }
  }
}

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
// Assembly text of the full 8x12 tile: accumulator of row m, column vector j is v(8 + 3m + j).
#define MOTE_I8_SD(acc, b, a, l) "sdot v" #acc ".4s, v" #b ".16b, v" #a ".4b[" #l "]\n"
#define MOTE_I8_GROUP(a0, a1)                                                                                          \
  MOTE_I8_SD(8, 4, a0, 0) MOTE_I8_SD(9, 5, a0, 0) MOTE_I8_SD(10, 6, a0, 0)                                             \
  MOTE_I8_SD(11, 4, a0, 1) MOTE_I8_SD(12, 5, a0, 1) MOTE_I8_SD(13, 6, a0, 1)                                           \
  MOTE_I8_SD(14, 4, a0, 2) MOTE_I8_SD(15, 5, a0, 2) MOTE_I8_SD(16, 6, a0, 2)                                           \
  MOTE_I8_SD(17, 4, a0, 3) MOTE_I8_SD(18, 5, a0, 3) MOTE_I8_SD(19, 6, a0, 3)                                           \
  MOTE_I8_SD(20, 4, a1, 0) MOTE_I8_SD(21, 5, a1, 0) MOTE_I8_SD(22, 6, a1, 0)                                           \
  MOTE_I8_SD(23, 4, a1, 1) MOTE_I8_SD(24, 5, a1, 1) MOTE_I8_SD(25, 6, a1, 1)                                           \
  MOTE_I8_SD(26, 4, a1, 2) MOTE_I8_SD(27, 5, a1, 2) MOTE_I8_SD(28, 6, a1, 2)                                           \
  MOTE_I8_SD(29, 4, a1, 3) MOTE_I8_SD(30, 5, a1, 3) MOTE_I8_SD(31, 6, a1, 3)
// One output row of the epilogue: y = fma(float(acc), sb * sa[m], bias), stored; sa in v0/v1, bias in v2-v4, sb
// in v5-v7, v26-v31 scratch.
#define MOTE_I8_OUT(c0, c1, c2, sa, l)                                                                                 \
  "scvtf v" #c0 ".4s, v" #c0 ".4s\n" "scvtf v" #c1 ".4s, v" #c1 ".4s\n" "scvtf v" #c2 ".4s, v" #c2 ".4s\n"             \
  "fmul v26.4s, v5.4s, v" #sa ".s[" #l "]\n" "fmul v27.4s, v6.4s, v" #sa ".s[" #l "]\n"                              \
  "fmul v28.4s, v7.4s, v" #sa ".s[" #l "]\n"                                                                          \
  "mov v29.16b, v2.16b\n" "mov v30.16b, v3.16b\n" "mov v31.16b, v4.16b\n"                                              \
  "fmla v29.4s, v" #c0 ".4s, v26.4s\n" "fmla v30.4s, v" #c1 ".4s, v27.4s\n" "fmla v31.4s, v" #c2 ".4s, v28.4s\n"       \
  "st1 {v29.4s, v30.4s, v31.4s}, [%[c]], %[ldc]\n"

// Two groups: one 64-byte A load (rows 0-7 of both), a 48-byte B load and 24 sdot for each.
#define MOTE_I8_TWO                                                                                                    \
  "ld1 {v0.16b, v1.16b, v2.16b, v3.16b}, [%[pa]], #64\n"                                                             \
  "ld1 {v4.16b, v5.16b, v6.16b}, [%[pb]], #48\n" MOTE_I8_GROUP(0, 1)                                                   \
  "ld1 {v4.16b, v5.16b, v6.16b}, [%[pb]], #48\n" MOTE_I8_GROUP(2, 3)
// The reduction of a full-width tile: zeroed accumulators, then K4 groups (`n` = K4 - 8 on entry) unrolled
// eight deep (one 64-byte A load per two groups, one 48-byte B load per group, 24 sdot), the rest one at a time;
// ends before label 4.
#define MOTE_I8_REDUCE \
      "movi v8.4s, #0\n" "movi v9.4s, #0\n" "movi v10.4s, #0\n" "movi v11.4s, #0\n" \
      "movi v12.4s, #0\n" "movi v13.4s, #0\n" "movi v14.4s, #0\n" "movi v15.4s, #0\n" \
      "movi v16.4s, #0\n" "movi v17.4s, #0\n" "movi v18.4s, #0\n" "movi v19.4s, #0\n" \
      "movi v20.4s, #0\n" "movi v21.4s, #0\n" "movi v22.4s, #0\n" "movi v23.4s, #0\n" \
      "movi v24.4s, #0\n" "movi v25.4s, #0\n" "movi v26.4s, #0\n" "movi v27.4s, #0\n" \
      "movi v28.4s, #0\n" "movi v29.4s, #0\n" "movi v30.4s, #0\n" "movi v31.4s, #0\n" \
      "tbnz %[n], #63, 2f\n" \
      "1:\n" \
      MOTE_I8_TWO MOTE_I8_TWO MOTE_I8_TWO MOTE_I8_TWO \
      "subs %[n], %[n], #8\n" "b.ge 1b\n" \
      "2:\n" \
      "adds %[n], %[n], #8\n" "b.eq 4f\n" /* 1 to 7 groups left */ \
      "3:\n" \
      "ld1 {v0.16b, v1.16b}, [%[pa]], #32\n" \
      "ld1 {v4.16b, v5.16b, v6.16b}, [%[pb]], #48\n" MOTE_I8_GROUP(0, 1) \
      "subs %[n], %[n], #1\n" "b.ne 3b\n"
#endif

// acc[m][j] (8 rows, NB vectors of 4 columns) = sum over K4 groups of sdot(B, A lane), written to `out`
// [8][4 NB]: the 8x12 case in assembly (tiles short of 8 rows; full ones go through tileI8Full), narrower edge
// panels in intrinsics.
template <int NB>
MOTE_DOTPROD void microkernelI8(int K4, const int8_t *pa, const int8_t *pb, int32_t *out) {
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
  if constexpr (NB == 3) {
    int64_t n = (int64_t)K4 - 8;
    __asm__ volatile(
        MOTE_I8_REDUCE
        "4:\n"
        "st1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[out]], #64\n" "st1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[out]], #64\n"
        "st1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[out]], #64\n" "st1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[out]], #64\n"
        "st1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[out]], #64\n" "st1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[out]]\n"
        : [pa] "+&r"(pa), [pb] "+&r"(pb), [n] "+&r"(n), [out] "+&r"(out)
        :
        : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
          "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28",
          "v29", "v30", "v31");
    return;
  }
#endif
  int32x4_t c[kMR][NB];
  for (int m = 0; m < kMR; ++m)
    for (int j = 0; j < NB; ++j)
      c[m][j] = vdupq_n_s32(0);
  for (int g = 0; g < K4; ++g) {
    const int8x16_t a0 = vld1q_s8(pa + 32 * g), a1 = vld1q_s8(pa + 32 * g + 16);
    for (int j = 0; j < NB; ++j) {
      const int8x16_t b = vld1q_s8(pb + (size_t)(g * NB + j) * 16);
      c[0][j] = sdotLane<0>(c[0][j], b, a0);
      c[1][j] = sdotLane<1>(c[1][j], b, a0);
      c[2][j] = sdotLane<2>(c[2][j], b, a0);
      c[3][j] = sdotLane<3>(c[3][j], b, a0);
      c[4][j] = sdotLane<0>(c[4][j], b, a1);
      c[5][j] = sdotLane<1>(c[5][j], b, a1);
      c[6][j] = sdotLane<2>(c[6][j], b, a1);
      c[7][j] = sdotLane<3>(c[7][j], b, a1);
    }
  }
  for (int m = 0; m < kMR; ++m)
    for (int j = 0; j < NB; ++j)
      vst1q_s32(out + (m * NB + j) * 4, c[m][j]);
}

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
// A full 8x12 tile computed and stored with the plain epilogue (bias, no residual, no activation): the reduction,
// then the epilogue in registers (rows 6 and 7 parked in `spill` to free scratch registers).
MOTE_DOTPROD MOTE_ALWAYS_INLINE void tileI8Full(int K4, const int8_t *pa, const int8_t *pb, const float *sa, const float *sb,
                             const float *bias, float *c, size_t ldc) {
  int64_t n = (int64_t)K4 - 8;
  const uint64_t ldcBytes = ldc * sizeof(float);
  alignas(16) float spill[24];
  float *sp = spill;
  __asm__ volatile(
      MOTE_I8_REDUCE
      "4:\n"
      "st1 {v26.4s, v27.4s, v28.4s, v29.4s}, [%[sp]], #64\n" "st1 {v30.4s, v31.4s}, [%[sp]]\n"
      "sub %[sp], %[sp], #64\n"
      "ld1 {v0.4s, v1.4s}, [%[sa]]\n" "ld1 {v2.4s, v3.4s, v4.4s}, [%[bias]]\n" "ld1 {v5.4s, v6.4s, v7.4s}, [%[sb]]\n"
      MOTE_I8_OUT(8, 9, 10, 0, 0) MOTE_I8_OUT(11, 12, 13, 0, 1) MOTE_I8_OUT(14, 15, 16, 0, 2)
      MOTE_I8_OUT(17, 18, 19, 0, 3) MOTE_I8_OUT(20, 21, 22, 1, 0) MOTE_I8_OUT(23, 24, 25, 1, 1)
      "ld1 {v8.4s, v9.4s, v10.4s}, [%[sp]], #48\n" MOTE_I8_OUT(8, 9, 10, 1, 2)
      "ld1 {v11.4s, v12.4s, v13.4s}, [%[sp]]\n" MOTE_I8_OUT(11, 12, 13, 1, 3)
      : [pa] "+&r"(pa), [pb] "+&r"(pb), [n] "+&r"(n), [c] "+&r"(c), [sp] "+&r"(sp)
      : [sa] "r"(sa), [sb] "r"(sb), [bias] "r"(bias), [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
        "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29",
        "v30", "v31");
}
#undef MOTE_I8_SD
#undef MOTE_I8_GROUP
#undef MOTE_I8_OUT
#undef MOTE_I8_REDUCE
#undef MOTE_I8_TWO
#endif

// The epilogue of an 8 x (4 NB) tile of accumulators `acc` [8][4 NB]: rows [m0, m0 + rows), columns
// [n0, n0 + cols) of C.
template <int NB>
void storeTileI8(const int32_t *acc, int m0, int rows, int n0, int cols, const float *sa, const float *sb,
                 float *C, size_t ldc, const Epilogue &ep) {
  float32x4_t bias[NB], scale[NB];
  for (int j = 0; j < NB; ++j) {
    bias[j] = loadBias(ep, n0 + 4 * j, cols - 4 * j);
    scale[j] = vld1q_f32(sb + n0 + 4 * j);
  }
  if (NB == 3 && rows == kMR && cols == 12 && !ep.residual && ep.act == Activation::None) {
    // The common full tile: three loads, conversions, scale products and fmas per row, one store.
    for (int r = 0; r < kMR; ++r) {
      const int32x4x3_t a = vld1q_s32_x3(acc + 12 * r);
      float32x4x3_t y;
      y.val[0] = vfmaq_f32(bias[0], vcvtq_f32_s32(a.val[0]), vmulq_n_f32(scale[0], sa[r]));
      y.val[1] = vfmaq_f32(bias[1], vcvtq_f32_s32(a.val[1]), vmulq_n_f32(scale[1], sa[r]));
      y.val[2] = vfmaq_f32(bias[2], vcvtq_f32_s32(a.val[2]), vmulq_n_f32(scale[2], sa[r]));
      vst1q_f32_x3(C + (size_t)(m0 + r) * ldc + n0, y);
    }
    return;
  }
  detail::withActivation(ep.act, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    for (int r = 0; r < rows; ++r) {
      const float *res = residualRow(ep, m0 + r, ldc);
      float32x4_t y[NB];
      float stage[4];
      for (int j = 0; j < NB; ++j)
        y[j] = finishI8<A>(vld1q_s32(acc + (r * NB + j) * 4), sa[r], scale[j], bias[j],
                           residualAt(res, n0 + 4 * j, cols - 4 * j, stage), ep);
      storeRow(y, cols, C + (size_t)(m0 + r) * ldc + n0);
    }
  });
}

template <int NB>
MOTE_DOTPROD void panelI8(int K4, int mRows, int m0, const int8_t *pa, const float *sa, const int8_t *pb, const float *sb,
                          int n0, int cols, float *C, size_t ldc, const Epilogue &ep) {
  alignas(16) int32_t acc[kMR * 4 * NB];
  static const float kZeros[12] = {};
  for (int p = 0; p * kMR < mRows; ++p) {
    const int rows = mRows - p * kMR < kMR ? mRows - p * kMR : kMR;
    const int8_t *a = pa + (size_t)p * K4 * 4 * kMR;
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
    if (NB == 3 && rows == kMR && cols == 12) {
      float *c = C + (size_t)(m0 + p * kMR) * ldc + n0;
      tileI8Full(K4, a, pb, sa + p * kMR, sb + n0, ep.bias ? ep.bias + n0 : kZeros, c, ldc);
      if (ep.residual || ep.act != Activation::None)
        finishFullTile(c, ldc, kMR, 12, m0 + p * kMR, n0, ep);
      continue;
    }
#endif
    microkernelI8<NB>(K4, a, pb, acc);
    storeTileI8<NB>(acc, m0 + p * kMR, rows, n0, cols, sa + p * kMR, sb, C, ldc, ep);
  }
}

// y[n0 .. n0 + 4 NB) for one quantized row xq (roundUp(K, 16) bytes) over one I8Dot panel: acc[j].
template <int NB>
MOTE_DOTPROD void gemvPanelI8(int K4, const int8_t *xq, const int8_t *pb, int32x4_t acc[NB]) {
  int32x4_t a[NB], e[NB];
  for (int j = 0; j < NB; ++j)
    a[j] = e[j] = vdupq_n_s32(0);
  int g = 0;
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
  if (NB == 3 && K4 >= 4) {
    // Four groups a step: one 16-byte x load, three 64-byte B loads, 12 sdot into two sets of accumulators.
    uint64_t n = (uint64_t)(K4 / 4);
    const int8_t *xp = xq, *p = pb;
    alignas(16) int32_t out[24];
    int32_t *op = out;
    __asm__ volatile(
        "movi v24.4s, #0\n" "movi v25.4s, #0\n" "movi v26.4s, #0\n"
        "movi v27.4s, #0\n" "movi v28.4s, #0\n" "movi v29.4s, #0\n"
        "1:\n"
        "ld1 {v0.16b}, [%[x]], #16\n"
        "ld1 {v1.16b, v2.16b, v3.16b, v4.16b}, [%[p]], #64\n"
        "ld1 {v16.16b, v17.16b, v18.16b, v19.16b}, [%[p]], #64\n"
        "ld1 {v20.16b, v21.16b, v22.16b, v23.16b}, [%[p]], #64\n"
        "sdot v24.4s, v1.16b, v0.4b[0]\n" "sdot v25.4s, v2.16b, v0.4b[0]\n" "sdot v26.4s, v3.16b, v0.4b[0]\n"
        "sdot v27.4s, v4.16b, v0.4b[1]\n" "sdot v28.4s, v16.16b, v0.4b[1]\n" "sdot v29.4s, v17.16b, v0.4b[1]\n"
        "sdot v24.4s, v18.16b, v0.4b[2]\n" "sdot v25.4s, v19.16b, v0.4b[2]\n" "sdot v26.4s, v20.16b, v0.4b[2]\n"
        "sdot v27.4s, v21.16b, v0.4b[3]\n" "sdot v28.4s, v22.16b, v0.4b[3]\n" "sdot v29.4s, v23.16b, v0.4b[3]\n"
        "subs %[n], %[n], #1\n" "b.ne 1b\n"
        "st1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[o]], #64\n" "st1 {v28.4s, v29.4s}, [%[o]]\n"
        : [x] "+&r"(xp), [p] "+&r"(p), [n] "+&r"(n), [o] "+&r"(op)
        :
        : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23",
          "v24", "v25", "v26", "v27", "v28", "v29");
    for (int j = 0; j < NB; ++j) {
      a[j] = vld1q_s32(out + 4 * j);
      e[j] = vld1q_s32(out + 12 + 4 * j);
    }
    g = 4 * (K4 / 4);
  }
#endif
  for (; g + 4 <= K4; g += 4) {
    const int8x16_t x = vld1q_s8(xq + 4 * g);
    const int8_t *p = pb + (size_t)g * 16 * NB;
    for (int j = 0; j < NB; ++j) {
      a[j] = sdotLane<0>(a[j], vld1q_s8(p + 16 * j), x);
      e[j] = sdotLane<1>(e[j], vld1q_s8(p + 16 * (NB + j)), x);
      a[j] = sdotLane<2>(a[j], vld1q_s8(p + 16 * (2 * NB + j)), x);
      e[j] = sdotLane<3>(e[j], vld1q_s8(p + 16 * (3 * NB + j)), x);
    }
  }
  for (; g < K4; ++g) {
    const int8x16_t x = vreinterpretq_s8_s32(vdupq_n_s32(0));
    int32_t word;
    std::memcpy(&word, xq + 4 * g, 4);
    const int8x16_t xw = vreinterpretq_s8_s32(vsetq_lane_s32(word, vreinterpretq_s32_s8(x), 0));
    for (int j = 0; j < NB; ++j)
      a[j] = sdotLane<0>(a[j], vld1q_s8(pb + (size_t)(g * NB + j) * 16), xw);
  }
  for (int j = 0; j < NB; ++j)
    acc[j] = vaddq_s32(a[j], e[j]);
}

template <int NB>
void gemvI8Panel(int K4, const int8_t *xq, float sa, const int8_t *pb, const float *sb, int n0, int cols, float *y,
                 const Epilogue &ep) {
  int32x4_t acc[NB];
  gemvPanelI8<NB>(K4, xq, pb, acc);
  storeGemvPanel<NB>(n0, cols, y, ep, [&](int j, auto a, const float *res) {
    return finishI8<decltype(a)::value>(acc[j], sa, vld1q_f32(sb + n0 + 4 * j), loadBias(ep, n0 + 4 * j, cols - 4 * j),
                                        res, ep);
  });
}

// One quantized row against all I8Dot panels.
void gemvI8(int N, int K, const int8_t *xq, float sa, const int8_t *packed, float *y, const Epilogue &ep) {
  const int K4 = (K + 3) / 4;
  const float *sb = reinterpret_cast<const float *>(
      packed + ((size_t)K4 * 4 * i8DotPaddedN(N) + 63) / 64 * 64);
  const int8_t *pb = packed;
  for (int n0 = 0; n0 < N; n0 += kI8DotNR) {
    const int cols = N - n0 < kI8DotNR ? N - n0 : kI8DotNR, width = (cols + 3) & ~3;
    if (width == 12)
      gemvI8Panel<3>(K4, xq, sa, pb, sb, n0, cols, y, ep);
    else if (width == 8)
      gemvI8Panel<2>(K4, xq, sa, pb, sb, n0, cols, y, ep);
    else
      gemvI8Panel<1>(K4, xq, sa, pb, sb, n0, cols, y, ep);
    pb += (size_t)K4 * 4 * width;
  }
}

} // namespace

size_t gemmI8WorkspaceBytes(int M, int K) {
  // gemmI8: the packed A block, its row scales and a quantized row; gemmI4: a quantized row, four rows
  // interleaved and their group sums (at most one a value of K each).
  const int mc = int8BlockRows(M, K), K16 = roundUp(K > 0 ? K : 1, 16);
  const size_t i8 = (size_t)mc * K16 + (size_t)mc * sizeof(float) + (size_t)K16 + 64;
  const size_t K4 = (size_t)(K > 0 ? (K + 3) / 4 : 1);
  const size_t i4 = (size_t)K16 + 16 * K4 + 4 * sizeof(int32_t) * (size_t)(K > 0 ? K : 1) + 64;
  return i8 > i4 ? i8 : i4;
}

float quantizeRowI8(int K, const float *x, int8_t *q) {
  const float s = rowScaleI8(K, x);
  const int K16 = roundUp(K, 16);
  if (!(s > 0.0f)) {
    std::memset(q, 0, (size_t)K16);
    return s;
  }
  const float32x4_t sv = vdupq_n_f32(s);
  int k = 0;
  for (; k + 16 <= K; k += 16)
    vst1q_s8(q + k, quantize16<false>(x + k, sv));
  for (; k < K; ++k)
    q[k] = quantize1(x[k], s);
  for (; k < K16; ++k)
    q[k] = 0;
  return s;
}

namespace {

// C rows [m0, m0 + rows) from their packed A block (8-row panels, row scales sa) against every I8Dot panel of B.
void multiplyBlockI8(int m0, int rows, int N, int K, const int8_t *pa, const float *sa, const int8_t *packed, float *C,
                     size_t ldc, const Epilogue &ep) {
  const int K4 = (K + 3) / 4;
  const float *sb = reinterpret_cast<const float *>(packed + ((size_t)K4 * 4 * i8DotPaddedN(N) + 63) / 64 * 64);
  const int8_t *pb = packed;
  for (int n0 = 0; n0 < N; n0 += kI8DotNR) {
    const int cols = N - n0 < kI8DotNR ? N - n0 : kI8DotNR, width = (cols + 3) & ~3;
    if (width == 12)
      panelI8<3>(K4, rows, m0, pa, sa, pb, sb, n0, cols, C, ldc, ep);
    else if (width == 8)
      panelI8<2>(K4, rows, m0, pa, sa, pb, sb, n0, cols, C, ldc, ep);
    else
      panelI8<1>(K4, rows, m0, pa, sa, pb, sb, n0, cols, C, ldc, ep);
    pb += (size_t)K4 * 4 * width;
  }
}

// gemmI8 (tensorScale 0: per row) and gemmI8Static (tensorScale > 0).
void gemmI8Rows(int M, int N, int K, float tensorScale, const float *A, size_t lda, const void *packedB, float *C,
                size_t ldc, const Epilogue &ep, void *workspace) {
  if (M <= 0 || N <= 0)
    return;
  const int8_t *packed = static_cast<const int8_t *>(packedB);
  const int K16 = roundUp(K > 0 ? K : 1, 16), mc = int8BlockRows(M, K);
  int8_t *pa = static_cast<int8_t *>(workspace);
  float *sa = reinterpret_cast<float *>(pa + (size_t)mc * K16);
  int8_t *qrow = reinterpret_cast<int8_t *>(sa + mc);
  if (M == 1) {
    float s = tensorScale;
    if (s > 0.0f) {
      quantizeI8(K, A, s, qrow);
      std::memset(qrow + K, 0, (size_t)(K16 - K));
    } else {
      s = quantizeRowI8(K, A, qrow);
    }
    gemvI8(N, K, qrow, s, packed, C, ep);
    return;
  }
  for (int m0 = 0; m0 < M; m0 += mc) {
    const int rows = M - m0 < mc ? M - m0 : mc;
    packABlock(m0, rows, K, A, lda, pa, sa, qrow, tensorScale);
    multiplyBlockI8(m0, rows, N, K, pa, sa, packed, C, ldc, ep);
  }
}

// Interleaves 8 int8 rows (rowBytes apart, each roundUp(K, 16) bytes) into one 8-row panel of K4 groups.
void interleaveRowsI8(const int8_t *rows, size_t rowBytes, int K4, int8_t *dst) {
  int g = 0;
  for (; g + 4 <= K4; g += 4) {
    int8x16_t q[kMR];
    for (int r = 0; r < kMR; ++r)
      q[r] = vld1q_s8(rows + r * rowBytes + 4 * g);
    int32x4_t lo[4], hi[4];
    transposeGroups(q[0], q[1], q[2], q[3], lo);
    transposeGroups(q[4], q[5], q[6], q[7], hi);
    int32_t *out = reinterpret_cast<int32_t *>(dst + (size_t)g * 4 * kMR);
    for (int i = 0; i < 4; ++i) {
      vst1q_s32(out + 8 * i, lo[i]);
      vst1q_s32(out + 8 * i + 4, hi[i]);
    }
  }
  for (; g < K4; ++g)
    for (int r = 0; r < kMR; ++r)
      std::memcpy(dst + (size_t)g * 4 * kMR + r * 4, rows + r * rowBytes + 4 * g, 4);
}

// The 8-pixel panels of pixels [first, first + count) of a convolution: each pixel's window gathered as a row
// k = tap Cin + ci (zeros in the padding and past K; `rows` scratch for 8 rows of roundUp(K, 16)), then interleaved
// into `pa`.
void packWindows(const ConvI8Shape &s, int first, int count, const int8_t *qin, int8_t *rows, int8_t *pa) {
  const int K = s.KH * s.KW * s.Cin, K4 = (K + 3) / 4, K16 = roundUp(K > 0 ? K : 1, 16);
  for (int p = 0; p * kMR < count; ++p) {
    for (int r = 0; r < kMR; ++r) {
      int8_t *row = rows + (size_t)r * K16;
      if (p * kMR + r < count) {
        gatherWindow(s, first + p * kMR + r, qin, row);
        std::memset(row + K, 0, (size_t)(K16 - K));
      } else {
        std::memset(row, 0, (size_t)K16);
      }
    }
    interleaveRowsI8(rows, (size_t)K16, K4, pa + (size_t)p * K4 * 4 * kMR);
  }
}

} // namespace

void gemmI8(int M, int N, int K, const float *A, size_t lda, const void *packedB, float *C, size_t ldc,
            const Epilogue &ep, void *workspace) {
  gemmI8Rows(M, N, K, 0.0f, A, lda, packedB, C, ldc, ep, workspace);
}

void gemmI8Static(int M, int N, int K, float sa, const float *A, size_t lda, const void *packedB, float *C,
                  size_t ldc, const Epilogue &ep, void *workspace) {
  gemmI8Rows(M, N, K, sa, A, lda, packedB, C, ldc, ep, workspace);
}

void quantizeI8(int64_t n, const float *x, float sa, int8_t *q) {
  const float32x4_t sv = vdupq_n_f32(sa);
  int64_t k = 0;
  for (; k + 16 <= n; k += 16)
    vst1q_s8(q + k, quantize16<true>(x + k, sv));
  for (; k < n; ++k)
    q[k] = quantize1(x[k], sa);
}

size_t convI8WorkspaceBytes(int pixels, int K) {
  const int mc = int8BlockRows(pixels, K), K16 = roundUp(K > 0 ? K : 1, 16);
  return (size_t)mc * K16 + (size_t)mc * sizeof(float) + (size_t)kMR * K16 + 64;
}

void convI8(const ConvI8Shape &s, int p0, int p1, int Cout, const int8_t *qin, float sa, const void *packedB, float *C,
            const Epilogue &ep, void *workspace) {
  const int pixels = p1 - p0, taps = s.KH * s.KW, K = taps * s.Cin;
  if (pixels <= 0 || Cout <= 0)
    return;
  const int K16 = roundUp(K > 0 ? K : 1, 16), mc = int8BlockRows(pixels, K);
  int8_t *pa = static_cast<int8_t *>(workspace);
  float *scales = reinterpret_cast<float *>(pa + (size_t)mc * K16);
  int8_t *rows = reinterpret_cast<int8_t *>(scales + mc);
  for (int r = 0; r < mc; ++r)
    scales[r] = sa;
  for (int m0 = 0; m0 < pixels; m0 += mc) {
    const int count = pixels - m0 < mc ? pixels - m0 : mc;
    packWindows(s, p0 + m0, count, qin, rows, pa);
    multiplyBlockI8(m0, count, Cout, K, pa, scales, static_cast<const int8_t *>(packedB), C, (size_t)Cout, ep);
  }
}

namespace {

// One vector of 4 columns of the integer pipeline's epilogue: mote_requantize(acc + bias, mult, shift, 0, lo, hi)
// (`round` = 2^(shift - 1), or 0 for shift 0; `down` = -shift: sshl by a negative count shifts right, flooring).
MOTE_ALWAYS_INLINE int32x4_t requantize4(int32x4_t acc, int32x4_t bias, int32x4_t mult, int32x4_t round,
                                         int32x4_t down, int32x4_t lo, int32x4_t hi) {
  const int32x4_t sum = vaddq_s32(acc, bias); // wraps, as the reference's int32 sums
  const int64x2_t p0 = vmull_s32(vget_low_s32(sum), vget_low_s32(mult)), p1 = vmull_high_s32(sum, mult);
  int32x4_t t = vcombine_s32(vshrn_n_s64(p0, 16), vshrn_n_s64(p1, 16)); // floor(sum * mult / 2^16), < 2^31
  t = vshlq_s32(vqaddq_s32(t, round), down);
  return vminq_s32(vmaxq_s32(t, lo), hi);
}

// The integer epilogue's constants for the columns [n0, n0 + cols) of one B panel (zeros past `cols`).
struct PanelRequantize {
  int32x4_t bias[3], mult[3], round[3], down[3];
};

PanelRequantize panelRequantize(const IntegerEpilogue &rq, int n0, int cols) {
  PanelRequantize pr;
  for (int j = 0; j < 3; ++j) {
    int32_t b[4] = {0, 0, 0, 0}, m[4] = {0, 0, 0, 0}, r[4] = {0, 0, 0, 0}, d[4] = {0, 0, 0, 0};
    for (int i = 0; i < 4 && 4 * j + i < cols; ++i) {
      const int n = n0 + 4 * j + i, shift = rq.shift[n] > 0 ? rq.shift[n] : 0;
      b[i] = rq.bias[n];
      m[i] = rq.mult[n];
      r[i] = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
      d[i] = -shift;
    }
    pr.bias[j] = vld1q_s32(b);
    pr.mult[j] = vld1q_s32(m);
    pr.round[j] = vld1q_s32(r);
    pr.down[j] = vld1q_s32(d);
  }
  return pr;
}

// The integer pipeline's epilogue of an 8 x (4 NB) tile of sums `acc` [8][4 NB]: rows [0, rows) and the panel's
// `cols` columns of `out` (rows ldc bytes apart).
template <int NB>
void storeTileRequantized(const int32_t *acc, int rows, int cols, const PanelRequantize &pr, int32x4_t lo,
                          int32x4_t hi, int8_t *out, size_t ldc) {
  for (int r = 0; r < rows; ++r) {
    int32x4_t y[3];
    for (int j = 0; j < NB; ++j)
      y[j] = requantize4(vld1q_s32(acc + (r * NB + j) * 4), pr.bias[j], pr.mult[j], pr.round[j], pr.down[j], lo, hi);
    for (int j = NB; j < 3; ++j)
      y[j] = vdupq_n_s32(0);
    // The values are within [-128, 127]: narrowing keeps them.
    const int8x16_t bytes = vcombine_s8(vmovn_s16(vcombine_s16(vmovn_s32(y[0]), vmovn_s32(y[1]))),
                                        vmovn_s16(vcombine_s16(vmovn_s32(y[2]), vdup_n_s16(0))));
    int8_t *dst = out + (size_t)r * ldc;
    if (cols == 12) {
      vst1_s8(dst, vget_low_s8(bytes));
      vst1q_lane_s32(reinterpret_cast<int32_t *>(dst + 8), vreinterpretq_s32_s8(bytes), 2);
    } else if (cols == 8) {
      vst1_s8(dst, vget_low_s8(bytes));
    } else {
      int8_t staged[16];
      vst1q_s8(staged, bytes);
      for (int c = 0; c < cols; ++c)
        dst[c] = staged[c];
    }
  }
}

} // namespace

void convI8Requantize(const ConvI8Shape &s, int p0, int p1, int Cout, const int8_t *qin, const void *packedB,
                      const IntegerEpilogue &rq, int8_t *out, void *workspace) {
  const int pixels = p1 - p0, K = s.KH * s.KW * s.Cin;
  if (pixels <= 0 || Cout <= 0)
    return;
  const int K4 = (K + 3) / 4, K16 = roundUp(K > 0 ? K : 1, 16), mc = int8BlockRows(pixels, K);
  int8_t *pa = static_cast<int8_t *>(workspace);
  int8_t *rows = pa + (size_t)mc * K16 + (size_t)mc * sizeof(float); // convI8WorkspaceBytes's layout
  const size_t panelBytes = (size_t)K4 * 4 * kMR;
  alignas(16) int32_t acc[kMR * kI8DotNR];
  for (int m0 = 0; m0 < pixels; m0 += mc) {
    const int count = pixels - m0 < mc ? pixels - m0 : mc;
    packWindows(s, p0 + m0, count, qin, rows, pa);
    const int8_t *pb = static_cast<const int8_t *>(packedB);
    const int32x4_t lo = vdupq_n_s32(rq.lo), hi = vdupq_n_s32(rq.hi);
    for (int n0 = 0; n0 < Cout; n0 += kI8DotNR) {
      const int cols = Cout - n0 < kI8DotNR ? Cout - n0 : kI8DotNR, width = (cols + 3) & ~3;
      const PanelRequantize pr = panelRequantize(rq, n0, cols);
      for (int p = 0; p * kMR < count; ++p) {
        const int rowsHere = count - p * kMR < kMR ? count - p * kMR : kMR;
        const int8_t *a = pa + (size_t)p * panelBytes;
        int8_t *o = out + (size_t)(m0 + p * kMR) * Cout + n0;
        if (width == 12) {
          microkernelI8<3>(K4, a, pb, acc);
          storeTileRequantized<3>(acc, rowsHere, cols, pr, lo, hi, o, (size_t)Cout);
        } else if (width == 8) {
          microkernelI8<2>(K4, a, pb, acc);
          storeTileRequantized<2>(acc, rowsHere, cols, pr, lo, hi, o, (size_t)Cout);
        } else {
          microkernelI8<1>(K4, a, pb, acc);
          storeTileRequantized<1>(acc, rowsHere, cols, pr, lo, hi, o, (size_t)Cout);
        }
      }
      pb += (size_t)K4 * 4 * width;
    }
  }
}

size_t rowsI8SumsWorkspaceBytes(int K) {
  const int K16 = roundUp(K > 0 ? K : 1, 16);
  return (size_t)kMR * K16 * 2 + 64;
}

void rowsI8Sums(int rows, int N, int K, const int8_t *A, size_t lda, const void *packedB, int32_t *C, size_t ldc,
                void *workspace) {
  const int K4 = (K + 3) / 4, K16 = roundUp(K > 0 ? K : 1, 16);
  int8_t *panel = static_cast<int8_t *>(workspace), *staged = panel + (size_t)kMR * K16;
  for (int r = 0; r < kMR; ++r) { // rows K16 apart, zeros past K and past `rows`
    int8_t *row = staged + (size_t)r * K16;
    std::memset(row, 0, (size_t)K16);
    if (r < rows)
      std::memcpy(row, A + (size_t)r * lda, (size_t)K);
  }
  interleaveRowsI8(staged, (size_t)K16, K4, panel);
  alignas(16) int32_t acc[kMR * kI8DotNR];
  const int8_t *pb = static_cast<const int8_t *>(packedB);
  for (int n0 = 0; n0 < N; n0 += kI8DotNR) {
    const int cols = N - n0 < kI8DotNR ? N - n0 : kI8DotNR, width = (cols + 3) & ~3;
    if (width == 12)
      microkernelI8<3>(K4, panel, pb, acc);
    else if (width == 8)
      microkernelI8<2>(K4, panel, pb, acc);
    else
      microkernelI8<1>(K4, panel, pb, acc);
    for (int r = 0; r < rows; ++r)
      std::memcpy(C + (size_t)r * ldc + n0, acc + (size_t)r * width, sizeof(int32_t) * (size_t)cols);
    pb += (size_t)K4 * 4 * width;
  }
}

} // namespace neon
} // namespace mote
