// f16 GEMM (f16 or f32 accumulation): see GemmF16.h.
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/PackedSizes.h"
#include "runtime/neon/GemmMicrokernel.h"
#include "runtime/neon/ActivationF16.h"

#include <cstring>

namespace mote {
namespace neon {

#if defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)

namespace {

// Packed A block budget (elements) and the panel widths of the two modes.
constexpr int kMcElements = 32 * 1024;
constexpr int kNrF16 = 24; // 3 x 8 halves
constexpr int kNrF32 = 12; // 3 x 4 floats

inline int roundUp(int x, int m) { return (x + m - 1) / m * m; }

int panelWidth(F16Accumulation mode) { return mode == F16Accumulation::F16 ? kNrF16 : kNrF32; }
int vecWidth(F16Accumulation mode) { return mode == F16Accumulation::F16 ? 8 : 4; }

int rowsPerBlock(int M, int K) {
  int mc = kMcElements / (K > 0 ? K : 1) / kGemmMR * kGemmMR;
  if (mc < kGemmMR)
    mc = kGemmMR;
  const int mAll = roundUp(M > 0 ? M : 1, kGemmMR);
  return mc < mAll ? mc : mAll;
}

template <class GetB>
void packB(int K, int N, GetB b, float16_t *packed, F16Accumulation mode) {
  const int nr = panelWidth(mode), vw = vecWidth(mode);
  for (int n0 = 0; n0 < N; n0 += nr) {
    const int cols = N - n0 < nr ? N - n0 : nr;
    const int width = roundUp(cols, vw);
    for (int k = 0; k < K; ++k) {
      for (int j = 0; j < cols; ++j)
        packed[j] = (float16_t)b(k, n0 + j);
      for (int j = cols; j < width; ++j)
        packed[j] = (float16_t)0.0f;
      packed += width;
    }
  }
}

// 8x8 transpose of halves: rows r[0..7] become columns.
MOTE_ALWAYS_INLINE void transpose8x8(float16x8_t r[8]) {
  float16x8_t t[8];
  for (int i = 0; i < 4; ++i) {
    t[2 * i] = vtrn1q_f16(r[2 * i], r[2 * i + 1]);
    t[2 * i + 1] = vtrn2q_f16(r[2 * i], r[2 * i + 1]);
  }
  float32x4_t u[8];
  for (int h = 0; h < 2; ++h) {
    const float32x4_t a = vreinterpretq_f32_f16(t[4 * h]), b = vreinterpretq_f32_f16(t[4 * h + 1]);
    const float32x4_t c = vreinterpretq_f32_f16(t[4 * h + 2]), d = vreinterpretq_f32_f16(t[4 * h + 3]);
    u[4 * h + 0] = vtrn1q_f32(a, c); // columns 0, 4 of rows 4h..4h+3
    u[4 * h + 2] = vtrn2q_f32(a, c); // columns 2, 6
    u[4 * h + 1] = vtrn1q_f32(b, d); // columns 1, 5
    u[4 * h + 3] = vtrn2q_f32(b, d); // columns 3, 7
  }
  for (int k = 0; k < 4; ++k) {
    const float64x2_t lo = vreinterpretq_f64_f32(u[k]), hi = vreinterpretq_f64_f32(u[4 + k]);
    r[k] = vreinterpretq_f16_f64(vtrn1q_f64(lo, hi));
    r[k + 4] = vreinterpretq_f16_f64(vtrn2q_f64(lo, hi));
  }
}

// Packs rows [m0, m0 + rows) of A into micro panels dst[panel][k][8] (f16), missing rows zero.
void packAF16(const float16_t *A, size_t lda, int m0, int rows, int K, float16_t *dst) {
  for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
    const int valid = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
    const float16_t *src[kGemmMR];
    for (int r = 0; r < kGemmMR; ++r)
      src[r] = r < valid ? A + (size_t)(m0 + r0 + r) * lda : nullptr;
    int k = 0;
    if (valid == kGemmMR) {
      for (; k + 8 <= K; k += 8) {
        float16x8_t v[8];
        for (int r = 0; r < 8; ++r)
          v[r] = vld1q_f16(src[r] + k);
        transpose8x8(v);
        for (int c = 0; c < 8; ++c)
          vst1q_f16(dst + 8 * c, v[c]);
        dst += 64;
      }
    }
    for (; k < K; ++k) {
      for (int r = 0; r < kGemmMR; ++r)
        dst[r] = src[r] ? src[r][k] : (float16_t)0.0f;
      dst += kGemmMR;
    }
  }
}

// Same, widened to f32 (the F32-accumulation kernel's A).
void packAF16ToF32(const float16_t *A, size_t lda, int m0, int rows, int K, float *dst) {
  for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
    const int valid = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
    const float16_t *src[kGemmMR];
    for (int r = 0; r < kGemmMR; ++r)
      src[r] = r < valid ? A + (size_t)(m0 + r0 + r) * lda : nullptr;
    int k = 0;
    if (valid == kGemmMR) {
      for (; k + 4 <= K; k += 4) {
        float32x4_t lo[4], hi[4];
        for (int r = 0; r < 4; ++r) {
          lo[r] = vcvt_f32_f16(vld1_f16(src[r] + k));
          hi[r] = vcvt_f32_f16(vld1_f16(src[r + 4] + k));
        }
        detail::transpose4x4(lo[0], lo[1], lo[2], lo[3]);
        detail::transpose4x4(hi[0], hi[1], hi[2], hi[3]);
        for (int c = 0; c < 4; ++c) {
          vst1q_f32(dst + 8 * c, lo[c]);
          vst1q_f32(dst + 8 * c + 4, hi[c]);
        }
        dst += 32;
      }
    }
    for (; k < K; ++k) {
      for (int r = 0; r < kGemmMR; ++r)
        dst[r] = src[r] ? (float)src[r][k] : 0.0f;
      dst += kGemmMR;
    }
  }
}

// F16-accumulation reduction loops in assembly (see GemmMicrokernel.h for why): 8 x 8NB halves,
// acc[m][j] in v(8 + NB m + j) (in from the acc tile; out to it, or straight to C's rows), A lanes by element from v0-v3 (the .h by-element form only reaches
// v0-v15); per 8 steps 2 x ld1 {4 regs} of A and 8 x ld1 {3 regs} of B for 192 fmla .8h (NB = 3).
// With c non-null the sums are stored straight to C's 8 rows (ldcBytes apart) instead of back to acc.
template <int NB>
void loopF16Acc(uint64_t n8, uint64_t n4, uint64_t n1, const float16_t *pa, const float16_t *pb, float16_t *acc,
                float16_t *c, uint64_t ldcBytes);

template <>
MOTE_ALWAYS_INLINE void loopF16Acc<3>(uint64_t n8, uint64_t n4, uint64_t n1, const float16_t *pa,
                                       const float16_t *pb, float16_t *acc, float16_t *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n" "ld1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n" "ld1 {v16.8h, v17.8h, v18.8h, v19.8h}, [%[acc]], #64\n"
      "ld1 {v20.8h, v21.8h, v22.8h, v23.8h}, [%[acc]], #64\n" "ld1 {v24.8h, v25.8h, v26.8h, v27.8h}, [%[acc]], #64\n" "ld1 {v28.8h, v29.8h, v30.8h, v31.8h}, [%[acc]], #64\n"
      "sub %[acc], %[acc], #384\n" "cbz %[n8], 2f\n" "1:\n"
      "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v0.h[0]\n"
      "fmla v11.8h, v4.8h, v0.h[1]\n" "fmla v14.8h, v4.8h, v0.h[2]\n" "fmla v17.8h, v4.8h, v0.h[3]\n"
      "fmla v20.8h, v4.8h, v0.h[4]\n" "fmla v23.8h, v4.8h, v0.h[5]\n" "fmla v26.8h, v4.8h, v0.h[6]\n"
      "fmla v29.8h, v4.8h, v0.h[7]\n" "fmla v9.8h, v5.8h, v0.h[0]\n" "fmla v12.8h, v5.8h, v0.h[1]\n"
      "fmla v15.8h, v5.8h, v0.h[2]\n" "fmla v18.8h, v5.8h, v0.h[3]\n" "fmla v21.8h, v5.8h, v0.h[4]\n"
      "fmla v24.8h, v5.8h, v0.h[5]\n" "fmla v27.8h, v5.8h, v0.h[6]\n" "fmla v30.8h, v5.8h, v0.h[7]\n"
      "fmla v10.8h, v6.8h, v0.h[0]\n" "fmla v13.8h, v6.8h, v0.h[1]\n" "fmla v16.8h, v6.8h, v0.h[2]\n"
      "fmla v19.8h, v6.8h, v0.h[3]\n" "fmla v22.8h, v6.8h, v0.h[4]\n" "fmla v25.8h, v6.8h, v0.h[5]\n"
      "fmla v28.8h, v6.8h, v0.h[6]\n" "fmla v31.8h, v6.8h, v0.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n"
      "fmla v8.8h, v4.8h, v1.h[0]\n" "fmla v11.8h, v4.8h, v1.h[1]\n" "fmla v14.8h, v4.8h, v1.h[2]\n"
      "fmla v17.8h, v4.8h, v1.h[3]\n" "fmla v20.8h, v4.8h, v1.h[4]\n" "fmla v23.8h, v4.8h, v1.h[5]\n"
      "fmla v26.8h, v4.8h, v1.h[6]\n" "fmla v29.8h, v4.8h, v1.h[7]\n" "fmla v9.8h, v5.8h, v1.h[0]\n"
      "fmla v12.8h, v5.8h, v1.h[1]\n" "fmla v15.8h, v5.8h, v1.h[2]\n" "fmla v18.8h, v5.8h, v1.h[3]\n"
      "fmla v21.8h, v5.8h, v1.h[4]\n" "fmla v24.8h, v5.8h, v1.h[5]\n" "fmla v27.8h, v5.8h, v1.h[6]\n"
      "fmla v30.8h, v5.8h, v1.h[7]\n" "fmla v10.8h, v6.8h, v1.h[0]\n" "fmla v13.8h, v6.8h, v1.h[1]\n"
      "fmla v16.8h, v6.8h, v1.h[2]\n" "fmla v19.8h, v6.8h, v1.h[3]\n" "fmla v22.8h, v6.8h, v1.h[4]\n"
      "fmla v25.8h, v6.8h, v1.h[5]\n" "fmla v28.8h, v6.8h, v1.h[6]\n" "fmla v31.8h, v6.8h, v1.h[7]\n"
      "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v11.8h, v4.8h, v2.h[1]\n"
      "fmla v14.8h, v4.8h, v2.h[2]\n" "fmla v17.8h, v4.8h, v2.h[3]\n" "fmla v20.8h, v4.8h, v2.h[4]\n"
      "fmla v23.8h, v4.8h, v2.h[5]\n" "fmla v26.8h, v4.8h, v2.h[6]\n" "fmla v29.8h, v4.8h, v2.h[7]\n"
      "fmla v9.8h, v5.8h, v2.h[0]\n" "fmla v12.8h, v5.8h, v2.h[1]\n" "fmla v15.8h, v5.8h, v2.h[2]\n"
      "fmla v18.8h, v5.8h, v2.h[3]\n" "fmla v21.8h, v5.8h, v2.h[4]\n" "fmla v24.8h, v5.8h, v2.h[5]\n"
      "fmla v27.8h, v5.8h, v2.h[6]\n" "fmla v30.8h, v5.8h, v2.h[7]\n" "fmla v10.8h, v6.8h, v2.h[0]\n"
      "fmla v13.8h, v6.8h, v2.h[1]\n" "fmla v16.8h, v6.8h, v2.h[2]\n" "fmla v19.8h, v6.8h, v2.h[3]\n"
      "fmla v22.8h, v6.8h, v2.h[4]\n" "fmla v25.8h, v6.8h, v2.h[5]\n" "fmla v28.8h, v6.8h, v2.h[6]\n"
      "fmla v31.8h, v6.8h, v2.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v3.h[0]\n"
      "fmla v11.8h, v4.8h, v3.h[1]\n" "fmla v14.8h, v4.8h, v3.h[2]\n" "fmla v17.8h, v4.8h, v3.h[3]\n"
      "fmla v20.8h, v4.8h, v3.h[4]\n" "fmla v23.8h, v4.8h, v3.h[5]\n" "fmla v26.8h, v4.8h, v3.h[6]\n"
      "fmla v29.8h, v4.8h, v3.h[7]\n" "fmla v9.8h, v5.8h, v3.h[0]\n" "fmla v12.8h, v5.8h, v3.h[1]\n"
      "fmla v15.8h, v5.8h, v3.h[2]\n" "fmla v18.8h, v5.8h, v3.h[3]\n" "fmla v21.8h, v5.8h, v3.h[4]\n"
      "fmla v24.8h, v5.8h, v3.h[5]\n" "fmla v27.8h, v5.8h, v3.h[6]\n" "fmla v30.8h, v5.8h, v3.h[7]\n"
      "fmla v10.8h, v6.8h, v3.h[0]\n" "fmla v13.8h, v6.8h, v3.h[1]\n" "fmla v16.8h, v6.8h, v3.h[2]\n"
      "fmla v19.8h, v6.8h, v3.h[3]\n" "fmla v22.8h, v6.8h, v3.h[4]\n" "fmla v25.8h, v6.8h, v3.h[5]\n"
      "fmla v28.8h, v6.8h, v3.h[6]\n" "fmla v31.8h, v6.8h, v3.h[7]\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n"
      "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v11.8h, v4.8h, v0.h[1]\n"
      "fmla v14.8h, v4.8h, v0.h[2]\n" "fmla v17.8h, v4.8h, v0.h[3]\n" "fmla v20.8h, v4.8h, v0.h[4]\n"
      "fmla v23.8h, v4.8h, v0.h[5]\n" "fmla v26.8h, v4.8h, v0.h[6]\n" "fmla v29.8h, v4.8h, v0.h[7]\n"
      "fmla v9.8h, v5.8h, v0.h[0]\n" "fmla v12.8h, v5.8h, v0.h[1]\n" "fmla v15.8h, v5.8h, v0.h[2]\n"
      "fmla v18.8h, v5.8h, v0.h[3]\n" "fmla v21.8h, v5.8h, v0.h[4]\n" "fmla v24.8h, v5.8h, v0.h[5]\n"
      "fmla v27.8h, v5.8h, v0.h[6]\n" "fmla v30.8h, v5.8h, v0.h[7]\n" "fmla v10.8h, v6.8h, v0.h[0]\n"
      "fmla v13.8h, v6.8h, v0.h[1]\n" "fmla v16.8h, v6.8h, v0.h[2]\n" "fmla v19.8h, v6.8h, v0.h[3]\n"
      "fmla v22.8h, v6.8h, v0.h[4]\n" "fmla v25.8h, v6.8h, v0.h[5]\n" "fmla v28.8h, v6.8h, v0.h[6]\n"
      "fmla v31.8h, v6.8h, v0.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v1.h[0]\n"
      "fmla v11.8h, v4.8h, v1.h[1]\n" "fmla v14.8h, v4.8h, v1.h[2]\n" "fmla v17.8h, v4.8h, v1.h[3]\n"
      "fmla v20.8h, v4.8h, v1.h[4]\n" "fmla v23.8h, v4.8h, v1.h[5]\n" "fmla v26.8h, v4.8h, v1.h[6]\n"
      "fmla v29.8h, v4.8h, v1.h[7]\n" "fmla v9.8h, v5.8h, v1.h[0]\n" "fmla v12.8h, v5.8h, v1.h[1]\n"
      "fmla v15.8h, v5.8h, v1.h[2]\n" "fmla v18.8h, v5.8h, v1.h[3]\n" "fmla v21.8h, v5.8h, v1.h[4]\n"
      "fmla v24.8h, v5.8h, v1.h[5]\n" "fmla v27.8h, v5.8h, v1.h[6]\n" "fmla v30.8h, v5.8h, v1.h[7]\n"
      "fmla v10.8h, v6.8h, v1.h[0]\n" "fmla v13.8h, v6.8h, v1.h[1]\n" "fmla v16.8h, v6.8h, v1.h[2]\n"
      "fmla v19.8h, v6.8h, v1.h[3]\n" "fmla v22.8h, v6.8h, v1.h[4]\n" "fmla v25.8h, v6.8h, v1.h[5]\n"
      "fmla v28.8h, v6.8h, v1.h[6]\n" "fmla v31.8h, v6.8h, v1.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n"
      "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v11.8h, v4.8h, v2.h[1]\n" "fmla v14.8h, v4.8h, v2.h[2]\n"
      "fmla v17.8h, v4.8h, v2.h[3]\n" "fmla v20.8h, v4.8h, v2.h[4]\n" "fmla v23.8h, v4.8h, v2.h[5]\n"
      "fmla v26.8h, v4.8h, v2.h[6]\n" "fmla v29.8h, v4.8h, v2.h[7]\n" "fmla v9.8h, v5.8h, v2.h[0]\n"
      "fmla v12.8h, v5.8h, v2.h[1]\n" "fmla v15.8h, v5.8h, v2.h[2]\n" "fmla v18.8h, v5.8h, v2.h[3]\n"
      "fmla v21.8h, v5.8h, v2.h[4]\n" "fmla v24.8h, v5.8h, v2.h[5]\n" "fmla v27.8h, v5.8h, v2.h[6]\n"
      "fmla v30.8h, v5.8h, v2.h[7]\n" "fmla v10.8h, v6.8h, v2.h[0]\n" "fmla v13.8h, v6.8h, v2.h[1]\n"
      "fmla v16.8h, v6.8h, v2.h[2]\n" "fmla v19.8h, v6.8h, v2.h[3]\n" "fmla v22.8h, v6.8h, v2.h[4]\n"
      "fmla v25.8h, v6.8h, v2.h[5]\n" "fmla v28.8h, v6.8h, v2.h[6]\n" "fmla v31.8h, v6.8h, v2.h[7]\n"
      "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v3.h[0]\n" "fmla v11.8h, v4.8h, v3.h[1]\n"
      "fmla v14.8h, v4.8h, v3.h[2]\n" "fmla v17.8h, v4.8h, v3.h[3]\n" "fmla v20.8h, v4.8h, v3.h[4]\n"
      "fmla v23.8h, v4.8h, v3.h[5]\n" "fmla v26.8h, v4.8h, v3.h[6]\n" "fmla v29.8h, v4.8h, v3.h[7]\n"
      "fmla v9.8h, v5.8h, v3.h[0]\n" "fmla v12.8h, v5.8h, v3.h[1]\n" "fmla v15.8h, v5.8h, v3.h[2]\n"
      "fmla v18.8h, v5.8h, v3.h[3]\n" "fmla v21.8h, v5.8h, v3.h[4]\n" "fmla v24.8h, v5.8h, v3.h[5]\n"
      "fmla v27.8h, v5.8h, v3.h[6]\n" "fmla v30.8h, v5.8h, v3.h[7]\n" "fmla v10.8h, v6.8h, v3.h[0]\n"
      "fmla v13.8h, v6.8h, v3.h[1]\n" "fmla v16.8h, v6.8h, v3.h[2]\n" "fmla v19.8h, v6.8h, v3.h[3]\n"
      "fmla v22.8h, v6.8h, v3.h[4]\n" "fmla v25.8h, v6.8h, v3.h[5]\n" "fmla v28.8h, v6.8h, v3.h[6]\n"
      "fmla v31.8h, v6.8h, v3.h[7]\n" "subs %[n8], %[n8], #1\n" "b.ne 1b\n"
      "2:\n" "cbz %[n4], 3f\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n"
      "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v11.8h, v4.8h, v0.h[1]\n"
      "fmla v14.8h, v4.8h, v0.h[2]\n" "fmla v17.8h, v4.8h, v0.h[3]\n" "fmla v20.8h, v4.8h, v0.h[4]\n"
      "fmla v23.8h, v4.8h, v0.h[5]\n" "fmla v26.8h, v4.8h, v0.h[6]\n" "fmla v29.8h, v4.8h, v0.h[7]\n"
      "fmla v9.8h, v5.8h, v0.h[0]\n" "fmla v12.8h, v5.8h, v0.h[1]\n" "fmla v15.8h, v5.8h, v0.h[2]\n"
      "fmla v18.8h, v5.8h, v0.h[3]\n" "fmla v21.8h, v5.8h, v0.h[4]\n" "fmla v24.8h, v5.8h, v0.h[5]\n"
      "fmla v27.8h, v5.8h, v0.h[6]\n" "fmla v30.8h, v5.8h, v0.h[7]\n" "fmla v10.8h, v6.8h, v0.h[0]\n"
      "fmla v13.8h, v6.8h, v0.h[1]\n" "fmla v16.8h, v6.8h, v0.h[2]\n" "fmla v19.8h, v6.8h, v0.h[3]\n"
      "fmla v22.8h, v6.8h, v0.h[4]\n" "fmla v25.8h, v6.8h, v0.h[5]\n" "fmla v28.8h, v6.8h, v0.h[6]\n"
      "fmla v31.8h, v6.8h, v0.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v1.h[0]\n"
      "fmla v11.8h, v4.8h, v1.h[1]\n" "fmla v14.8h, v4.8h, v1.h[2]\n" "fmla v17.8h, v4.8h, v1.h[3]\n"
      "fmla v20.8h, v4.8h, v1.h[4]\n" "fmla v23.8h, v4.8h, v1.h[5]\n" "fmla v26.8h, v4.8h, v1.h[6]\n"
      "fmla v29.8h, v4.8h, v1.h[7]\n" "fmla v9.8h, v5.8h, v1.h[0]\n" "fmla v12.8h, v5.8h, v1.h[1]\n"
      "fmla v15.8h, v5.8h, v1.h[2]\n" "fmla v18.8h, v5.8h, v1.h[3]\n" "fmla v21.8h, v5.8h, v1.h[4]\n"
      "fmla v24.8h, v5.8h, v1.h[5]\n" "fmla v27.8h, v5.8h, v1.h[6]\n" "fmla v30.8h, v5.8h, v1.h[7]\n"
      "fmla v10.8h, v6.8h, v1.h[0]\n" "fmla v13.8h, v6.8h, v1.h[1]\n" "fmla v16.8h, v6.8h, v1.h[2]\n"
      "fmla v19.8h, v6.8h, v1.h[3]\n" "fmla v22.8h, v6.8h, v1.h[4]\n" "fmla v25.8h, v6.8h, v1.h[5]\n"
      "fmla v28.8h, v6.8h, v1.h[6]\n" "fmla v31.8h, v6.8h, v1.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n"
      "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v11.8h, v4.8h, v2.h[1]\n" "fmla v14.8h, v4.8h, v2.h[2]\n"
      "fmla v17.8h, v4.8h, v2.h[3]\n" "fmla v20.8h, v4.8h, v2.h[4]\n" "fmla v23.8h, v4.8h, v2.h[5]\n"
      "fmla v26.8h, v4.8h, v2.h[6]\n" "fmla v29.8h, v4.8h, v2.h[7]\n" "fmla v9.8h, v5.8h, v2.h[0]\n"
      "fmla v12.8h, v5.8h, v2.h[1]\n" "fmla v15.8h, v5.8h, v2.h[2]\n" "fmla v18.8h, v5.8h, v2.h[3]\n"
      "fmla v21.8h, v5.8h, v2.h[4]\n" "fmla v24.8h, v5.8h, v2.h[5]\n" "fmla v27.8h, v5.8h, v2.h[6]\n"
      "fmla v30.8h, v5.8h, v2.h[7]\n" "fmla v10.8h, v6.8h, v2.h[0]\n" "fmla v13.8h, v6.8h, v2.h[1]\n"
      "fmla v16.8h, v6.8h, v2.h[2]\n" "fmla v19.8h, v6.8h, v2.h[3]\n" "fmla v22.8h, v6.8h, v2.h[4]\n"
      "fmla v25.8h, v6.8h, v2.h[5]\n" "fmla v28.8h, v6.8h, v2.h[6]\n" "fmla v31.8h, v6.8h, v2.h[7]\n"
      "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n" "fmla v8.8h, v4.8h, v3.h[0]\n" "fmla v11.8h, v4.8h, v3.h[1]\n"
      "fmla v14.8h, v4.8h, v3.h[2]\n" "fmla v17.8h, v4.8h, v3.h[3]\n" "fmla v20.8h, v4.8h, v3.h[4]\n"
      "fmla v23.8h, v4.8h, v3.h[5]\n" "fmla v26.8h, v4.8h, v3.h[6]\n" "fmla v29.8h, v4.8h, v3.h[7]\n"
      "fmla v9.8h, v5.8h, v3.h[0]\n" "fmla v12.8h, v5.8h, v3.h[1]\n" "fmla v15.8h, v5.8h, v3.h[2]\n"
      "fmla v18.8h, v5.8h, v3.h[3]\n" "fmla v21.8h, v5.8h, v3.h[4]\n" "fmla v24.8h, v5.8h, v3.h[5]\n"
      "fmla v27.8h, v5.8h, v3.h[6]\n" "fmla v30.8h, v5.8h, v3.h[7]\n" "fmla v10.8h, v6.8h, v3.h[0]\n"
      "fmla v13.8h, v6.8h, v3.h[1]\n" "fmla v16.8h, v6.8h, v3.h[2]\n" "fmla v19.8h, v6.8h, v3.h[3]\n"
      "fmla v22.8h, v6.8h, v3.h[4]\n" "fmla v25.8h, v6.8h, v3.h[5]\n" "fmla v28.8h, v6.8h, v3.h[6]\n"
      "fmla v31.8h, v6.8h, v3.h[7]\n" "3:\n" "cbz %[n1], 5f\n"
      "4:\n" "ld1 {v0.8h}, [%[pa]], #16\n" "ld1 {v4.8h, v5.8h, v6.8h}, [%[pb]], #48\n"
      "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v11.8h, v4.8h, v0.h[1]\n" "fmla v14.8h, v4.8h, v0.h[2]\n"
      "fmla v17.8h, v4.8h, v0.h[3]\n" "fmla v20.8h, v4.8h, v0.h[4]\n" "fmla v23.8h, v4.8h, v0.h[5]\n"
      "fmla v26.8h, v4.8h, v0.h[6]\n" "fmla v29.8h, v4.8h, v0.h[7]\n" "fmla v9.8h, v5.8h, v0.h[0]\n"
      "fmla v12.8h, v5.8h, v0.h[1]\n" "fmla v15.8h, v5.8h, v0.h[2]\n" "fmla v18.8h, v5.8h, v0.h[3]\n"
      "fmla v21.8h, v5.8h, v0.h[4]\n" "fmla v24.8h, v5.8h, v0.h[5]\n" "fmla v27.8h, v5.8h, v0.h[6]\n"
      "fmla v30.8h, v5.8h, v0.h[7]\n" "fmla v10.8h, v6.8h, v0.h[0]\n" "fmla v13.8h, v6.8h, v0.h[1]\n"
      "fmla v16.8h, v6.8h, v0.h[2]\n" "fmla v19.8h, v6.8h, v0.h[3]\n" "fmla v22.8h, v6.8h, v0.h[4]\n"
      "fmla v25.8h, v6.8h, v0.h[5]\n" "fmla v28.8h, v6.8h, v0.h[6]\n" "fmla v31.8h, v6.8h, v0.h[7]\n"
      "subs %[n1], %[n1], #1\n" "b.ne 4b\n" "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.8h, v9.8h, v10.8h}, [%[c]], %[ldc]\n"
      "st1 {v11.8h, v12.8h, v13.8h}, [%[c]], %[ldc]\n"
      "st1 {v14.8h, v15.8h, v16.8h}, [%[c]], %[ldc]\n"
      "st1 {v17.8h, v18.8h, v19.8h}, [%[c]], %[ldc]\n"
      "st1 {v20.8h, v21.8h, v22.8h}, [%[c]], %[ldc]\n"
      "st1 {v23.8h, v24.8h, v25.8h}, [%[c]], %[ldc]\n"
      "st1 {v26.8h, v27.8h, v28.8h}, [%[c]], %[ldc]\n"
      "st1 {v29.8h, v30.8h, v31.8h}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n"
      "st1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n" "st1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n" "st1 {v16.8h, v17.8h, v18.8h, v19.8h}, [%[acc]], #64\n"
      "st1 {v20.8h, v21.8h, v22.8h, v23.8h}, [%[acc]], #64\n" "st1 {v24.8h, v25.8h, v26.8h, v27.8h}, [%[acc]], #64\n" "st1 {v28.8h, v29.8h, v30.8h, v31.8h}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

template <>
MOTE_ALWAYS_INLINE void loopF16Acc<2>(uint64_t n8, uint64_t n4, uint64_t n1, const float16_t *pa,
                                       const float16_t *pb, float16_t *acc, float16_t *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n" "ld1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n" "ld1 {v16.8h, v17.8h, v18.8h, v19.8h}, [%[acc]], #64\n"
      "ld1 {v20.8h, v21.8h, v22.8h, v23.8h}, [%[acc]], #64\n" "sub %[acc], %[acc], #256\n" "cbz %[n8], 2f\n"
      "1:\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n" "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n"
      "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v10.8h, v4.8h, v0.h[1]\n" "fmla v12.8h, v4.8h, v0.h[2]\n"
      "fmla v14.8h, v4.8h, v0.h[3]\n" "fmla v16.8h, v4.8h, v0.h[4]\n" "fmla v18.8h, v4.8h, v0.h[5]\n"
      "fmla v20.8h, v4.8h, v0.h[6]\n" "fmla v22.8h, v4.8h, v0.h[7]\n" "fmla v9.8h, v5.8h, v0.h[0]\n"
      "fmla v11.8h, v5.8h, v0.h[1]\n" "fmla v13.8h, v5.8h, v0.h[2]\n" "fmla v15.8h, v5.8h, v0.h[3]\n"
      "fmla v17.8h, v5.8h, v0.h[4]\n" "fmla v19.8h, v5.8h, v0.h[5]\n" "fmla v21.8h, v5.8h, v0.h[6]\n"
      "fmla v23.8h, v5.8h, v0.h[7]\n" "fmla v8.8h, v6.8h, v1.h[0]\n" "fmla v10.8h, v6.8h, v1.h[1]\n"
      "fmla v12.8h, v6.8h, v1.h[2]\n" "fmla v14.8h, v6.8h, v1.h[3]\n" "fmla v16.8h, v6.8h, v1.h[4]\n"
      "fmla v18.8h, v6.8h, v1.h[5]\n" "fmla v20.8h, v6.8h, v1.h[6]\n" "fmla v22.8h, v6.8h, v1.h[7]\n"
      "fmla v9.8h, v7.8h, v1.h[0]\n" "fmla v11.8h, v7.8h, v1.h[1]\n" "fmla v13.8h, v7.8h, v1.h[2]\n"
      "fmla v15.8h, v7.8h, v1.h[3]\n" "fmla v17.8h, v7.8h, v1.h[4]\n" "fmla v19.8h, v7.8h, v1.h[5]\n"
      "fmla v21.8h, v7.8h, v1.h[6]\n" "fmla v23.8h, v7.8h, v1.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n"
      "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v10.8h, v4.8h, v2.h[1]\n" "fmla v12.8h, v4.8h, v2.h[2]\n"
      "fmla v14.8h, v4.8h, v2.h[3]\n" "fmla v16.8h, v4.8h, v2.h[4]\n" "fmla v18.8h, v4.8h, v2.h[5]\n"
      "fmla v20.8h, v4.8h, v2.h[6]\n" "fmla v22.8h, v4.8h, v2.h[7]\n" "fmla v9.8h, v5.8h, v2.h[0]\n"
      "fmla v11.8h, v5.8h, v2.h[1]\n" "fmla v13.8h, v5.8h, v2.h[2]\n" "fmla v15.8h, v5.8h, v2.h[3]\n"
      "fmla v17.8h, v5.8h, v2.h[4]\n" "fmla v19.8h, v5.8h, v2.h[5]\n" "fmla v21.8h, v5.8h, v2.h[6]\n"
      "fmla v23.8h, v5.8h, v2.h[7]\n" "fmla v8.8h, v6.8h, v3.h[0]\n" "fmla v10.8h, v6.8h, v3.h[1]\n"
      "fmla v12.8h, v6.8h, v3.h[2]\n" "fmla v14.8h, v6.8h, v3.h[3]\n" "fmla v16.8h, v6.8h, v3.h[4]\n"
      "fmla v18.8h, v6.8h, v3.h[5]\n" "fmla v20.8h, v6.8h, v3.h[6]\n" "fmla v22.8h, v6.8h, v3.h[7]\n"
      "fmla v9.8h, v7.8h, v3.h[0]\n" "fmla v11.8h, v7.8h, v3.h[1]\n" "fmla v13.8h, v7.8h, v3.h[2]\n"
      "fmla v15.8h, v7.8h, v3.h[3]\n" "fmla v17.8h, v7.8h, v3.h[4]\n" "fmla v19.8h, v7.8h, v3.h[5]\n"
      "fmla v21.8h, v7.8h, v3.h[6]\n" "fmla v23.8h, v7.8h, v3.h[7]\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n"
      "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v10.8h, v4.8h, v0.h[1]\n"
      "fmla v12.8h, v4.8h, v0.h[2]\n" "fmla v14.8h, v4.8h, v0.h[3]\n" "fmla v16.8h, v4.8h, v0.h[4]\n"
      "fmla v18.8h, v4.8h, v0.h[5]\n" "fmla v20.8h, v4.8h, v0.h[6]\n" "fmla v22.8h, v4.8h, v0.h[7]\n"
      "fmla v9.8h, v5.8h, v0.h[0]\n" "fmla v11.8h, v5.8h, v0.h[1]\n" "fmla v13.8h, v5.8h, v0.h[2]\n"
      "fmla v15.8h, v5.8h, v0.h[3]\n" "fmla v17.8h, v5.8h, v0.h[4]\n" "fmla v19.8h, v5.8h, v0.h[5]\n"
      "fmla v21.8h, v5.8h, v0.h[6]\n" "fmla v23.8h, v5.8h, v0.h[7]\n" "fmla v8.8h, v6.8h, v1.h[0]\n"
      "fmla v10.8h, v6.8h, v1.h[1]\n" "fmla v12.8h, v6.8h, v1.h[2]\n" "fmla v14.8h, v6.8h, v1.h[3]\n"
      "fmla v16.8h, v6.8h, v1.h[4]\n" "fmla v18.8h, v6.8h, v1.h[5]\n" "fmla v20.8h, v6.8h, v1.h[6]\n"
      "fmla v22.8h, v6.8h, v1.h[7]\n" "fmla v9.8h, v7.8h, v1.h[0]\n" "fmla v11.8h, v7.8h, v1.h[1]\n"
      "fmla v13.8h, v7.8h, v1.h[2]\n" "fmla v15.8h, v7.8h, v1.h[3]\n" "fmla v17.8h, v7.8h, v1.h[4]\n"
      "fmla v19.8h, v7.8h, v1.h[5]\n" "fmla v21.8h, v7.8h, v1.h[6]\n" "fmla v23.8h, v7.8h, v1.h[7]\n"
      "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n" "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v10.8h, v4.8h, v2.h[1]\n"
      "fmla v12.8h, v4.8h, v2.h[2]\n" "fmla v14.8h, v4.8h, v2.h[3]\n" "fmla v16.8h, v4.8h, v2.h[4]\n"
      "fmla v18.8h, v4.8h, v2.h[5]\n" "fmla v20.8h, v4.8h, v2.h[6]\n" "fmla v22.8h, v4.8h, v2.h[7]\n"
      "fmla v9.8h, v5.8h, v2.h[0]\n" "fmla v11.8h, v5.8h, v2.h[1]\n" "fmla v13.8h, v5.8h, v2.h[2]\n"
      "fmla v15.8h, v5.8h, v2.h[3]\n" "fmla v17.8h, v5.8h, v2.h[4]\n" "fmla v19.8h, v5.8h, v2.h[5]\n"
      "fmla v21.8h, v5.8h, v2.h[6]\n" "fmla v23.8h, v5.8h, v2.h[7]\n" "fmla v8.8h, v6.8h, v3.h[0]\n"
      "fmla v10.8h, v6.8h, v3.h[1]\n" "fmla v12.8h, v6.8h, v3.h[2]\n" "fmla v14.8h, v6.8h, v3.h[3]\n"
      "fmla v16.8h, v6.8h, v3.h[4]\n" "fmla v18.8h, v6.8h, v3.h[5]\n" "fmla v20.8h, v6.8h, v3.h[6]\n"
      "fmla v22.8h, v6.8h, v3.h[7]\n" "fmla v9.8h, v7.8h, v3.h[0]\n" "fmla v11.8h, v7.8h, v3.h[1]\n"
      "fmla v13.8h, v7.8h, v3.h[2]\n" "fmla v15.8h, v7.8h, v3.h[3]\n" "fmla v17.8h, v7.8h, v3.h[4]\n"
      "fmla v19.8h, v7.8h, v3.h[5]\n" "fmla v21.8h, v7.8h, v3.h[6]\n" "fmla v23.8h, v7.8h, v3.h[7]\n"
      "subs %[n8], %[n8], #1\n" "b.ne 1b\n" "2:\n"
      "cbz %[n4], 3f\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n" "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n"
      "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v10.8h, v4.8h, v0.h[1]\n" "fmla v12.8h, v4.8h, v0.h[2]\n"
      "fmla v14.8h, v4.8h, v0.h[3]\n" "fmla v16.8h, v4.8h, v0.h[4]\n" "fmla v18.8h, v4.8h, v0.h[5]\n"
      "fmla v20.8h, v4.8h, v0.h[6]\n" "fmla v22.8h, v4.8h, v0.h[7]\n" "fmla v9.8h, v5.8h, v0.h[0]\n"
      "fmla v11.8h, v5.8h, v0.h[1]\n" "fmla v13.8h, v5.8h, v0.h[2]\n" "fmla v15.8h, v5.8h, v0.h[3]\n"
      "fmla v17.8h, v5.8h, v0.h[4]\n" "fmla v19.8h, v5.8h, v0.h[5]\n" "fmla v21.8h, v5.8h, v0.h[6]\n"
      "fmla v23.8h, v5.8h, v0.h[7]\n" "fmla v8.8h, v6.8h, v1.h[0]\n" "fmla v10.8h, v6.8h, v1.h[1]\n"
      "fmla v12.8h, v6.8h, v1.h[2]\n" "fmla v14.8h, v6.8h, v1.h[3]\n" "fmla v16.8h, v6.8h, v1.h[4]\n"
      "fmla v18.8h, v6.8h, v1.h[5]\n" "fmla v20.8h, v6.8h, v1.h[6]\n" "fmla v22.8h, v6.8h, v1.h[7]\n"
      "fmla v9.8h, v7.8h, v1.h[0]\n" "fmla v11.8h, v7.8h, v1.h[1]\n" "fmla v13.8h, v7.8h, v1.h[2]\n"
      "fmla v15.8h, v7.8h, v1.h[3]\n" "fmla v17.8h, v7.8h, v1.h[4]\n" "fmla v19.8h, v7.8h, v1.h[5]\n"
      "fmla v21.8h, v7.8h, v1.h[6]\n" "fmla v23.8h, v7.8h, v1.h[7]\n" "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n"
      "fmla v8.8h, v4.8h, v2.h[0]\n" "fmla v10.8h, v4.8h, v2.h[1]\n" "fmla v12.8h, v4.8h, v2.h[2]\n"
      "fmla v14.8h, v4.8h, v2.h[3]\n" "fmla v16.8h, v4.8h, v2.h[4]\n" "fmla v18.8h, v4.8h, v2.h[5]\n"
      "fmla v20.8h, v4.8h, v2.h[6]\n" "fmla v22.8h, v4.8h, v2.h[7]\n" "fmla v9.8h, v5.8h, v2.h[0]\n"
      "fmla v11.8h, v5.8h, v2.h[1]\n" "fmla v13.8h, v5.8h, v2.h[2]\n" "fmla v15.8h, v5.8h, v2.h[3]\n"
      "fmla v17.8h, v5.8h, v2.h[4]\n" "fmla v19.8h, v5.8h, v2.h[5]\n" "fmla v21.8h, v5.8h, v2.h[6]\n"
      "fmla v23.8h, v5.8h, v2.h[7]\n" "fmla v8.8h, v6.8h, v3.h[0]\n" "fmla v10.8h, v6.8h, v3.h[1]\n"
      "fmla v12.8h, v6.8h, v3.h[2]\n" "fmla v14.8h, v6.8h, v3.h[3]\n" "fmla v16.8h, v6.8h, v3.h[4]\n"
      "fmla v18.8h, v6.8h, v3.h[5]\n" "fmla v20.8h, v6.8h, v3.h[6]\n" "fmla v22.8h, v6.8h, v3.h[7]\n"
      "fmla v9.8h, v7.8h, v3.h[0]\n" "fmla v11.8h, v7.8h, v3.h[1]\n" "fmla v13.8h, v7.8h, v3.h[2]\n"
      "fmla v15.8h, v7.8h, v3.h[3]\n" "fmla v17.8h, v7.8h, v3.h[4]\n" "fmla v19.8h, v7.8h, v3.h[5]\n"
      "fmla v21.8h, v7.8h, v3.h[6]\n" "fmla v23.8h, v7.8h, v3.h[7]\n" "3:\n"
      "cbz %[n1], 5f\n" "4:\n" "ld1 {v0.8h}, [%[pa]], #16\n"
      "ld1 {v4.8h, v5.8h}, [%[pb]], #32\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v10.8h, v4.8h, v0.h[1]\n"
      "fmla v12.8h, v4.8h, v0.h[2]\n" "fmla v14.8h, v4.8h, v0.h[3]\n" "fmla v16.8h, v4.8h, v0.h[4]\n"
      "fmla v18.8h, v4.8h, v0.h[5]\n" "fmla v20.8h, v4.8h, v0.h[6]\n" "fmla v22.8h, v4.8h, v0.h[7]\n"
      "fmla v9.8h, v5.8h, v0.h[0]\n" "fmla v11.8h, v5.8h, v0.h[1]\n" "fmla v13.8h, v5.8h, v0.h[2]\n"
      "fmla v15.8h, v5.8h, v0.h[3]\n" "fmla v17.8h, v5.8h, v0.h[4]\n" "fmla v19.8h, v5.8h, v0.h[5]\n"
      "fmla v21.8h, v5.8h, v0.h[6]\n" "fmla v23.8h, v5.8h, v0.h[7]\n" "subs %[n1], %[n1], #1\n"
      "b.ne 4b\n" "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.8h, v9.8h}, [%[c]], %[ldc]\n"
      "st1 {v10.8h, v11.8h}, [%[c]], %[ldc]\n"
      "st1 {v12.8h, v13.8h}, [%[c]], %[ldc]\n"
      "st1 {v14.8h, v15.8h}, [%[c]], %[ldc]\n"
      "st1 {v16.8h, v17.8h}, [%[c]], %[ldc]\n"
      "st1 {v18.8h, v19.8h}, [%[c]], %[ldc]\n"
      "st1 {v20.8h, v21.8h}, [%[c]], %[ldc]\n"
      "st1 {v22.8h, v23.8h}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n" "st1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n"
      "st1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n" "st1 {v16.8h, v17.8h, v18.8h, v19.8h}, [%[acc]], #64\n" "st1 {v20.8h, v21.8h, v22.8h, v23.8h}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23");
}

template <>
MOTE_ALWAYS_INLINE void loopF16Acc<1>(uint64_t n8, uint64_t n4, uint64_t n1, const float16_t *pa,
                                       const float16_t *pb, float16_t *acc, float16_t *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n" "ld1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n" "sub %[acc], %[acc], #128\n"
      "cbz %[n8], 2f\n" "1:\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n"
      "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v9.8h, v4.8h, v0.h[1]\n"
      "fmla v10.8h, v4.8h, v0.h[2]\n" "fmla v11.8h, v4.8h, v0.h[3]\n" "fmla v12.8h, v4.8h, v0.h[4]\n"
      "fmla v13.8h, v4.8h, v0.h[5]\n" "fmla v14.8h, v4.8h, v0.h[6]\n" "fmla v15.8h, v4.8h, v0.h[7]\n"
      "fmla v8.8h, v5.8h, v1.h[0]\n" "fmla v9.8h, v5.8h, v1.h[1]\n" "fmla v10.8h, v5.8h, v1.h[2]\n"
      "fmla v11.8h, v5.8h, v1.h[3]\n" "fmla v12.8h, v5.8h, v1.h[4]\n" "fmla v13.8h, v5.8h, v1.h[5]\n"
      "fmla v14.8h, v5.8h, v1.h[6]\n" "fmla v15.8h, v5.8h, v1.h[7]\n" "fmla v8.8h, v6.8h, v2.h[0]\n"
      "fmla v9.8h, v6.8h, v2.h[1]\n" "fmla v10.8h, v6.8h, v2.h[2]\n" "fmla v11.8h, v6.8h, v2.h[3]\n"
      "fmla v12.8h, v6.8h, v2.h[4]\n" "fmla v13.8h, v6.8h, v2.h[5]\n" "fmla v14.8h, v6.8h, v2.h[6]\n"
      "fmla v15.8h, v6.8h, v2.h[7]\n" "fmla v8.8h, v7.8h, v3.h[0]\n" "fmla v9.8h, v7.8h, v3.h[1]\n"
      "fmla v10.8h, v7.8h, v3.h[2]\n" "fmla v11.8h, v7.8h, v3.h[3]\n" "fmla v12.8h, v7.8h, v3.h[4]\n"
      "fmla v13.8h, v7.8h, v3.h[5]\n" "fmla v14.8h, v7.8h, v3.h[6]\n" "fmla v15.8h, v7.8h, v3.h[7]\n"
      "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n" "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n" "fmla v8.8h, v4.8h, v0.h[0]\n"
      "fmla v9.8h, v4.8h, v0.h[1]\n" "fmla v10.8h, v4.8h, v0.h[2]\n" "fmla v11.8h, v4.8h, v0.h[3]\n"
      "fmla v12.8h, v4.8h, v0.h[4]\n" "fmla v13.8h, v4.8h, v0.h[5]\n" "fmla v14.8h, v4.8h, v0.h[6]\n"
      "fmla v15.8h, v4.8h, v0.h[7]\n" "fmla v8.8h, v5.8h, v1.h[0]\n" "fmla v9.8h, v5.8h, v1.h[1]\n"
      "fmla v10.8h, v5.8h, v1.h[2]\n" "fmla v11.8h, v5.8h, v1.h[3]\n" "fmla v12.8h, v5.8h, v1.h[4]\n"
      "fmla v13.8h, v5.8h, v1.h[5]\n" "fmla v14.8h, v5.8h, v1.h[6]\n" "fmla v15.8h, v5.8h, v1.h[7]\n"
      "fmla v8.8h, v6.8h, v2.h[0]\n" "fmla v9.8h, v6.8h, v2.h[1]\n" "fmla v10.8h, v6.8h, v2.h[2]\n"
      "fmla v11.8h, v6.8h, v2.h[3]\n" "fmla v12.8h, v6.8h, v2.h[4]\n" "fmla v13.8h, v6.8h, v2.h[5]\n"
      "fmla v14.8h, v6.8h, v2.h[6]\n" "fmla v15.8h, v6.8h, v2.h[7]\n" "fmla v8.8h, v7.8h, v3.h[0]\n"
      "fmla v9.8h, v7.8h, v3.h[1]\n" "fmla v10.8h, v7.8h, v3.h[2]\n" "fmla v11.8h, v7.8h, v3.h[3]\n"
      "fmla v12.8h, v7.8h, v3.h[4]\n" "fmla v13.8h, v7.8h, v3.h[5]\n" "fmla v14.8h, v7.8h, v3.h[6]\n"
      "fmla v15.8h, v7.8h, v3.h[7]\n" "subs %[n8], %[n8], #1\n" "b.ne 1b\n"
      "2:\n" "cbz %[n4], 3f\n" "ld1 {v0.8h, v1.8h, v2.8h, v3.8h}, [%[pa]], #64\n"
      "ld1 {v4.8h, v5.8h, v6.8h, v7.8h}, [%[pb]], #64\n" "fmla v8.8h, v4.8h, v0.h[0]\n" "fmla v9.8h, v4.8h, v0.h[1]\n"
      "fmla v10.8h, v4.8h, v0.h[2]\n" "fmla v11.8h, v4.8h, v0.h[3]\n" "fmla v12.8h, v4.8h, v0.h[4]\n"
      "fmla v13.8h, v4.8h, v0.h[5]\n" "fmla v14.8h, v4.8h, v0.h[6]\n" "fmla v15.8h, v4.8h, v0.h[7]\n"
      "fmla v8.8h, v5.8h, v1.h[0]\n" "fmla v9.8h, v5.8h, v1.h[1]\n" "fmla v10.8h, v5.8h, v1.h[2]\n"
      "fmla v11.8h, v5.8h, v1.h[3]\n" "fmla v12.8h, v5.8h, v1.h[4]\n" "fmla v13.8h, v5.8h, v1.h[5]\n"
      "fmla v14.8h, v5.8h, v1.h[6]\n" "fmla v15.8h, v5.8h, v1.h[7]\n" "fmla v8.8h, v6.8h, v2.h[0]\n"
      "fmla v9.8h, v6.8h, v2.h[1]\n" "fmla v10.8h, v6.8h, v2.h[2]\n" "fmla v11.8h, v6.8h, v2.h[3]\n"
      "fmla v12.8h, v6.8h, v2.h[4]\n" "fmla v13.8h, v6.8h, v2.h[5]\n" "fmla v14.8h, v6.8h, v2.h[6]\n"
      "fmla v15.8h, v6.8h, v2.h[7]\n" "fmla v8.8h, v7.8h, v3.h[0]\n" "fmla v9.8h, v7.8h, v3.h[1]\n"
      "fmla v10.8h, v7.8h, v3.h[2]\n" "fmla v11.8h, v7.8h, v3.h[3]\n" "fmla v12.8h, v7.8h, v3.h[4]\n"
      "fmla v13.8h, v7.8h, v3.h[5]\n" "fmla v14.8h, v7.8h, v3.h[6]\n" "fmla v15.8h, v7.8h, v3.h[7]\n"
      "3:\n" "cbz %[n1], 5f\n" "4:\n"
      "ld1 {v0.8h}, [%[pa]], #16\n" "ld1 {v4.8h}, [%[pb]], #16\n" "fmla v8.8h, v4.8h, v0.h[0]\n"
      "fmla v9.8h, v4.8h, v0.h[1]\n" "fmla v10.8h, v4.8h, v0.h[2]\n" "fmla v11.8h, v4.8h, v0.h[3]\n"
      "fmla v12.8h, v4.8h, v0.h[4]\n" "fmla v13.8h, v4.8h, v0.h[5]\n" "fmla v14.8h, v4.8h, v0.h[6]\n"
      "fmla v15.8h, v4.8h, v0.h[7]\n" "subs %[n1], %[n1], #1\n" "b.ne 4b\n"
      "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.8h}, [%[c]], %[ldc]\n"
      "st1 {v9.8h}, [%[c]], %[ldc]\n"
      "st1 {v10.8h}, [%[c]], %[ldc]\n"
      "st1 {v11.8h}, [%[c]], %[ldc]\n"
      "st1 {v12.8h}, [%[c]], %[ldc]\n"
      "st1 {v13.8h}, [%[c]], %[ldc]\n"
      "st1 {v14.8h}, [%[c]], %[ldc]\n"
      "st1 {v15.8h}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n" "st1 {v8.8h, v9.8h, v10.8h, v11.8h}, [%[acc]], #64\n" "st1 {v12.8h, v13.8h, v14.8h, v15.8h}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15");
}

// One full 8 x (8NB) output tile, f16 accumulation. init: residual rows (or null), bias: 8NB halves. The
// sums start from the bias and the residual is added once they are done (as an unfused add would): small
// products summed onto a large residual in f16 lose their low bits. init may equal c.
template <int NB>
MOTE_NOINLINE void tileF16Acc(int K, const float16_t *pa, const float16_t *pb, float16_t *c, size_t ldc,
                              const float16_t *init, size_t ldInit, const float16_t *bias, const EpilogueF16 &ep) {
  constexpr int kW = 8 * NB;
  alignas(16) float16_t acc[kGemmMR * kW];
  float16x8_t b[NB];
  for (int j = 0; j < NB; ++j)
    b[j] = bias ? vld1q_f16(bias + 8 * j) : vdupq_n_f16((float16_t)0.0f);
  for (int m = 0; m < kGemmMR; ++m)
    for (int j = 0; j < NB; ++j)
      vst1q_f16(acc + kW * m + 8 * j, b[j]);
  if (!init && ep.act == Activation::None) { // the sums are the results: stored to C by the loop itself
    loopF16Acc<NB>((uint64_t)(K / 8), (uint64_t)((K / 4) & 1), (uint64_t)(K % 4), pa, pb, acc, c,
                   (uint64_t)(ldc * sizeof(float16_t)));
    return;
  }
  loopF16Acc<NB>((uint64_t)(K / 8), (uint64_t)((K / 4) & 1), (uint64_t)(K % 4), pa, pb, acc, nullptr, 0);
  // The activation and the residual test chosen once per tile, not per vector (K is often 32-64 here, so
  // this loop is a fifth of the tile's instructions).
  const float lo = ep.clampLo, hi = ep.clampHi;
  detail::withActivation(ep.act, [&](auto a) {
    constexpr Activation A = decltype(a)::value;
    if (init) {
      for (int m = 0; m < kGemmMR; ++m)
        for (int j = 0; j < NB; ++j)
          vst1q_f16(c + m * ldc + 8 * j, detail::activateF16As<A>(vaddq_f16(vld1q_f16(acc + kW * m + 8 * j),
                                                                   vld1q_f16(init + m * ldInit + 8 * j)),
                                                         lo, hi));
    } else {
      for (int m = 0; m < kGemmMR; ++m)
        for (int j = 0; j < NB; ++j)
          vst1q_f16(c + m * ldc + 8 * j, detail::activateF16As<A>(vld1q_f16(acc + kW * m + 8 * j), lo, hi));
    }
  });
}

// One full 8 x (4NB) output tile, f32 accumulation: the f32 microkernel on the widened A micro panel
// and B panel slice, between a widening prologue (residual) and a narrowing epilogue.
template <int NB>
MOTE_NOINLINE void tileF32Acc(int K, const float *pa, const float *pb, float16_t *c, size_t ldc,
                              const float16_t *init, size_t ldInit, const float16_t *bias, const EpilogueF16 &ep) {
  constexpr int kW = 4 * NB;
  alignas(16) float stage[kGemmMR * kW];
  alignas(16) float biasF[kW];
  if (init)
    for (int m = 0; m < kGemmMR; ++m)
      for (int j = 0; j < NB; ++j)
        vst1q_f32(stage + kW * m + 4 * j, vcvt_f32_f16(vld1_f16(init + m * ldInit + 4 * j)));
  if (bias)
    for (int j = 0; j < NB; ++j)
      vst1q_f32(biasF + 4 * j, vcvt_f32_f16(vld1_f16(bias + 4 * j)));
  detail::TileArgs t;
  t.init = init ? stage : nullptr;
  t.ldInit = kW;
  t.bias = bias ? biasF : nullptr;
  t.finalize = true;
  t.act = ep.act;
  t.lo = ep.clampLo;
  t.hi = ep.clampHi;
  detail::microkernel<NB>(K, pa, pb, stage, kW, t);
  for (int m = 0; m < kGemmMR; ++m)
    for (int j = 0; j < NB; ++j)
      vst1_f16(c + m * ldc + 4 * j, vcvt_f16_f32(vld1q_f32(stage + kW * m + 4 * j)));
}

// Widens a packed f16 B panel slice (n elements, a multiple of 4) to f32.
void widen(const float16_t *src, size_t n, float *dst) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const float16x8_t h = vld1q_f16(src + i);
    vst1q_f32(dst + i, vcvt_f32_f16(vget_low_f16(h)));
    vst1q_f32(dst + i + 4, vcvt_high_f32_f16(h));
  }
  for (; i < n; i += 4)
    vst1q_f32(dst + i, vcvt_f32_f16(vld1_f16(src + i)));
}

// A possibly partial tile: partial ones go through a staging tile (as in the f32 GEMM).
template <int NB, class TA, class TB, class Tile>
void runTileF16(Tile tile, int K, const TA *pa, const TB *pb, float16_t *c, size_t ldc, int rows, int cols,
                int vw, const float16_t *init, size_t ldInit, const float16_t *bias, const EpilogueF16 &ep) {
  const int kW = vw * NB;
  if (rows == kGemmMR && cols == kW) {
    tile(K, pa, pb, c, ldc, init, ldInit, bias, ep);
    return;
  }
  alignas(16) float16_t stage[kGemmMR * 24];
  alignas(16) float16_t stageBias[24];
  std::memset(stage, 0, sizeof(stage));
  if (init)
    for (int r = 0; r < rows; ++r)
      std::memcpy(stage + r * kW, init + r * ldInit, sizeof(float16_t) * cols);
  const float16_t *b = nullptr;
  if (bias) {
    std::memset(stageBias, 0, sizeof(stageBias));
    std::memcpy(stageBias, bias, sizeof(float16_t) * cols);
    b = stageBias;
  }
  tile(K, pa, pb, stage, (size_t)kW, init ? stage : nullptr, (size_t)kW, b, ep);
  for (int r = 0; r < rows; ++r)
    std::memcpy(c + r * ldc, stage + r * kW, sizeof(float16_t) * cols);
}

} // namespace

bool gemmF16Supported() { return true; }

size_t packedGemmF16BElements(int K, int N, F16Accumulation mode) {
  if (K <= 0 || N <= 0)
    return 0;
  if (mode == F16Accumulation::F16)
    return static_cast<size_t>(gemmBHalves(K, N)); // the layout the compiler sizes (PackedSizes.h)
  const int nr = panelWidth(mode);
  return (size_t)K * ((size_t)(N / nr) * nr + (size_t)roundUp(N % nr, vecWidth(mode)));
}

void packGemmF16B(int K, int N, const float16_t *B, size_t ldb, float16_t *packed, F16Accumulation mode) {
  packB(K, N, [B, ldb](int k, int n) { return B[(size_t)k * ldb + n]; }, packed, mode);
}

void packGemmF16BFromF32(int K, int N, const float *B, size_t ldb, float16_t *packed, F16Accumulation mode) {
  packB(K, N, [B, ldb](int k, int n) { return B[(size_t)k * ldb + n]; }, packed, mode);
}

void packGemmF16BTransposed(int K, int N, const float16_t *Bt, size_t ldbt, float16_t *packed, F16Accumulation mode) {
  if (mode != F16Accumulation::F16)
    return packB(K, N, [Bt, ldbt](int k, int n) { return Bt[(size_t)n * ldbt + k]; }, packed, mode);
  // The 24-column panels by blocks of 8 columns x 8 k: 8 rows of Bt loaded and transposed in registers (a key
  // matrix of attention is packed once per head and call: element by element it cost 7 instructions each).
  const int nr = panelWidth(mode), vw = vecWidth(mode);
  for (int n0 = 0; n0 < N; n0 += nr) {
    const int cols = N - n0 < nr ? N - n0 : nr, width = roundUp(cols, vw);
    float16_t *panel = packed + (size_t)n0 * K;
    int j0 = 0;
    for (; j0 + 8 <= cols; j0 += 8) {
      const float16_t *rows = Bt + (size_t)(n0 + j0) * ldbt;
      int k0 = 0;
      for (; k0 + 8 <= K; k0 += 8) {
        float16x8_t r[8];
        for (int i = 0; i < 8; ++i)
          r[i] = vld1q_f16(rows + (size_t)i * ldbt + k0);
        transpose8x8(r);
        for (int i = 0; i < 8; ++i)
          vst1q_f16(panel + (size_t)(k0 + i) * width + j0, r[i]);
      }
      for (; k0 < K; ++k0)
        for (int j = 0; j < 8; ++j)
          panel[(size_t)k0 * width + j0 + j] = rows[(size_t)j * ldbt + k0];
    }
    for (int k = 0; k < K; ++k) {
      for (int j = j0; j < cols; ++j)
        panel[(size_t)k * width + j] = Bt[(size_t)(n0 + j) * ldbt + k];
      for (int j = cols; j < width; ++j)
        panel[(size_t)k * width + j] = (float16_t)0.0f;
    }
  }
}

size_t gemmF16WorkspaceBytes(int M, int K, F16Accumulation mode) {
  const size_t elems = (size_t)rowsPerBlock(M, K) * (size_t)(K > 0 ? K : 1);
  if (mode == F16Accumulation::F16)
    return elems * sizeof(float16_t);
  return (elems + (size_t)kNrF32 * (size_t)(K > 0 ? K : 1)) * sizeof(float); // A block + widened B panel
}

void gemmF16(int M, int N, int K, const float16_t *A, size_t lda, const float16_t *packedB, float16_t *C,
             size_t ldc, const EpilogueF16 &ep, F16Accumulation mode, void *workspace) {
  if (M <= 0 || N <= 0)
    return;
  if (K < 0)
    K = 0;
  const size_t ldr = ep.residualStride ? ep.residualStride : ldc;
  const int mc = rowsPerBlock(M, K), nr = panelWidth(mode), vw = vecWidth(mode);
  for (int m0 = 0; m0 < M; m0 += mc) {
    const int rows = M - m0 < mc ? M - m0 : mc;
    if (mode == F16Accumulation::F16)
      packAF16(A, lda, m0, rows, K, static_cast<float16_t *>(workspace));
    else
      packAF16ToF32(A, lda, m0, rows, K, static_cast<float *>(workspace));
    for (int n0 = 0; n0 < N; n0 += nr) {
      const int cols = N - n0 < nr ? N - n0 : nr;
      const int width = roundUp(cols, vw);
      const float16_t *pb = packedB + (size_t)n0 * K;
      const float16_t *bias = ep.bias ? ep.bias + n0 : nullptr;
      float *pbWide = nullptr; // F32 accumulation: the widened panel, after the A block
      if (mode == F16Accumulation::F32) {
        pbWide = static_cast<float *>(workspace) + (size_t)roundUp(rows, kGemmMR) * K;
        widen(pb, (size_t)K * width, pbWide);
      }
      for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
        const int m = m0 + r0, tileRows = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
        float16_t *c = C + (size_t)m * ldc + n0;
        const float16_t *init = ep.residual ? ep.residual + (size_t)m * ldr + n0 : nullptr;
        if (mode == F16Accumulation::F16) {
          const float16_t *pa = static_cast<const float16_t *>(workspace) + (size_t)r0 * K;
          if (width == 24)
            runTileF16<3>(tileF16Acc<3>, K, pa, pb, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
          else if (width == 16)
            runTileF16<2>(tileF16Acc<2>, K, pa, pb, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
          else
            runTileF16<1>(tileF16Acc<1>, K, pa, pb, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
        } else {
          const float *pa = static_cast<const float *>(workspace) + (size_t)r0 * K;
          if (width == 12)
            runTileF16<3>(tileF32Acc<3>, K, pa, pbWide, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
          else if (width == 8)
            runTileF16<2>(tileF32Acc<2>, K, pa, pbWide, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
          else
            runTileF16<1>(tileF32Acc<1>, K, pa, pbWide, c, ldc, tileRows, cols, vw, init, ldr, bias, ep);
        }
      }
    }
  }
}

#else // no FP16 vector arithmetic in this build

bool gemmF16Supported() { return false; }
size_t packedGemmF16BElements(int, int, F16Accumulation) { return 0; }
void packGemmF16B(int, int, const float16_t *, size_t, float16_t *, F16Accumulation) {}
void packGemmF16BFromF32(int, int, const float *, size_t, float16_t *, F16Accumulation) {}
void packGemmF16BTransposed(int, int, const float16_t *, size_t, float16_t *, F16Accumulation) {}
size_t gemmF16WorkspaceBytes(int, int, F16Accumulation) { return 0; }
void gemmF16(int, int, int, const float16_t *, size_t, const float16_t *, float16_t *, size_t, const EpilogueF16 &,
             F16Accumulation, void *) {}

#endif

} // namespace neon
} // namespace mote
