// int16 x int8 GEMM and convolution (`smlal` by scalar): see GemmI16.h for the arithmetic and the layout.
#include "runtime/neon/GemmI16.h"
#include "runtime/neon/GemmI8Support.h"

#include "runtime/integer/Requantize.h"

#include <arm_neon.h>
#include <cstdint>
#include <cstring>

namespace mote {
namespace neon {

using namespace detail;

namespace {

constexpr int kRows = 4;   // rows of A sharing each widened row of B
constexpr int kBlock = 512; // values of K summed in int32: 512 * 32767 * 127 < 2^31

// One value as quantizeI16 rounds it.
inline int16_t quantize1(float x, float s) {
  const int32_t v = vcvtns_s32_f32(x / s);
  return (int16_t)(v > 32767 ? 32767 : v < -32767 ? -32767 : v);
}

// The exact sums as f32 (int64 -> f64 is exact below 2^53, f64 -> f32 rounds once).
MOTE_ALWAYS_INLINE float32x4_t toFloat(int64x2_t lo, int64x2_t hi) {
  return vcombine_f32(vcvt_f32_f64(vcvtq_f64_s64(lo)), vcvt_f32_f64(vcvtq_f64_s64(hi)));
}

// The exact sums of rows a[0 .. rows) (K int16 values each) against every 8-column panel of B, handed panel by
// panel to finish(n0, cols, wide): wide[r][j] holds columns n0 + 2j, n0 + 2j + 1 of row r.
template <class Finish>
void rowsI16Sums(int rows, const int16_t *const *a, int K, int N, const int8_t *packed, Finish finish) {
  static const int16_t kZeros[1] = {0};
  const int16_t *row[kRows];
  for (int r = 0; r < kRows; ++r)
    row[r] = r < rows ? a[r] : kZeros;
  const int step[kRows] = {rows > 0, rows > 1, rows > 2, rows > 3}; // missing rows read their one zero
  for (int n0 = 0; n0 < N; n0 += 8) {
    const int8_t *pb = packed + (size_t)n0 * K;
    int64x2_t wide[kRows][4];
    for (int r = 0; r < kRows; ++r)
      for (int j = 0; j < 4; ++j)
        wide[r][j] = vdupq_n_s64(0);
    for (int k0 = 0; k0 < K; k0 += kBlock) {
      const int k1 = K - k0 < kBlock ? K : k0 + kBlock;
      int32x4_t acc[kRows][2];
      for (int r = 0; r < kRows; ++r)
        acc[r][0] = acc[r][1] = vdupq_n_s32(0);
      for (int k = k0; k < k1; ++k) {
        const int16x8_t b = vmovl_s8(vld1_s8(pb + (size_t)k * 8));
        const int16x4_t bl = vget_low_s16(b);
        const int16_t x0 = row[0][k * step[0]], x1 = row[1][k * step[1]], x2 = row[2][k * step[2]],
                      x3 = row[3][k * step[3]];
        acc[0][0] = vmlal_n_s16(acc[0][0], bl, x0);
        acc[0][1] = vmlal_high_n_s16(acc[0][1], b, x0);
        acc[1][0] = vmlal_n_s16(acc[1][0], bl, x1);
        acc[1][1] = vmlal_high_n_s16(acc[1][1], b, x1);
        acc[2][0] = vmlal_n_s16(acc[2][0], bl, x2);
        acc[2][1] = vmlal_high_n_s16(acc[2][1], b, x2);
        acc[3][0] = vmlal_n_s16(acc[3][0], bl, x3);
        acc[3][1] = vmlal_high_n_s16(acc[3][1], b, x3);
      }
      for (int r = 0; r < kRows; ++r)
        for (int h = 0; h < 2; ++h) {
          wide[r][2 * h] = vaddw_s32(wide[r][2 * h], vget_low_s32(acc[r][h]));
          wide[r][2 * h + 1] = vaddw_high_s32(wide[r][2 * h + 1], acc[r][h]);
        }
    }
    finish(n0, N - n0 < 8 ? N - n0 : 8, wide);
  }
}

// Rows a[0 .. rows) (K int16 values each) against every 8-column panel of B: C rows [m0, m0 + rows).
void rowsI16(int rows, const int16_t *const *a, int K, int N, float sa, const int8_t *packed, float *C, size_t ldc,
             int m0, const Epilogue &ep) {
  const float *sb = reinterpret_cast<const float *>(packed + ((size_t)K * w8a16PaddedN(N) + 63) / 64 * 64);
  rowsI16Sums(rows, a, K, N, packed, [&](int n0, int cols, const int64x2_t (&wide)[kRows][4]) {
    withActivation(ep.act, [&](auto act) {
      constexpr Activation A = decltype(act)::value;
      for (int r = 0; r < rows; ++r) {
        const float *res = residualRow(ep, m0 + r, ldc);
        float32x4_t y[2];
        float stage[4];
        for (int h = 0; h < 2; ++h) {
          const int n = n0 + 4 * h;
          float32x4_t v = vfmaq_f32(loadBias(ep, n, cols - 4 * h), toFloat(wide[r][2 * h], wide[r][2 * h + 1]),
                                    vmulq_n_f32(vld1q_f32(sb + n), sa));
          if (const float *rv = residualAt(res, n, cols - 4 * h, stage))
            v = vaddq_f32(v, vld1q_f32(rv));
          y[h] = activateAs<A>(v, ep.clampLo, ep.clampHi);
        }
        storeRow(y, cols, C + (size_t)(m0 + r) * ldc + n0);
      }
    });
  });
}

// The windows of output pixels [first, first + rows) (rows <= kRows) as rows of `q` (K = KH KW Cin apart), `a`
// pointing at each.
void gatherRowsI16(const ConvI8Shape &s, int first, int rows, const int16_t *qin, int16_t *q, const int16_t **a) {
  const size_t K = (size_t)s.KH * s.KW * s.Cin;
  for (int r = 0; r < rows; ++r) {
    a[r] = q + r * K;
    gatherWindow(s, first + r, qin, q + r * K);
  }
}

} // namespace

void quantizeI16(int64_t n, const float *x, float sa, int16_t *q) {
  const float32x4_t s = vdupq_n_f32(sa);
  const int16x8_t lo = vdupq_n_s16(-32767);
  int64_t k = 0;
  for (; k + 8 <= n; k += 8) {
    const int32x4_t i0 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x + k), s));
    const int32x4_t i1 = vcvtnq_s32_f32(vdivq_f32(vld1q_f32(x + k + 4), s));
    vst1q_s16(q + k, vmaxq_s16(vcombine_s16(vqmovn_s32(i0), vqmovn_s32(i1)), lo));
  }
  for (; k < n; ++k)
    q[k] = quantize1(x[k], sa);
}

size_t gemmI16WorkspaceBytes(int K) { return (size_t)kRows * (size_t)(K > 0 ? K : 1) * sizeof(int16_t) + 64; }

void gemmI16Static(int M, int N, int K, float sa, const float *A, size_t lda, const void *packedB, float *C,
                   size_t ldc, const Epilogue &ep, void *workspace) {
  int16_t *q = static_cast<int16_t *>(workspace);
  for (int m0 = 0; m0 < M; m0 += kRows) {
    const int rows = M - m0 < kRows ? M - m0 : kRows;
    const int16_t *a[kRows];
    for (int r = 0; r < rows; ++r) {
      quantizeI16(K, A + (size_t)(m0 + r) * lda, sa, q + (size_t)r * K);
      a[r] = q + (size_t)r * K;
    }
    rowsI16(rows, a, K, N, sa, static_cast<const int8_t *>(packedB), C, ldc, m0, ep);
  }
}

void convI16(const ConvI8Shape &s, int p0, int p1, int Cout, const int16_t *qin, float sa, const void *packedB,
             float *C, const Epilogue &ep, void *workspace) {
  const int K = s.KH * s.KW * s.Cin;
  int16_t *q = static_cast<int16_t *>(workspace);
  for (int m0 = 0; m0 < p1 - p0; m0 += kRows) {
    const int rows = p1 - p0 - m0 < kRows ? p1 - p0 - m0 : kRows;
    const int16_t *a[kRows];
    gatherRowsI16(s, p0 + m0, rows, qin, q, a);
    rowsI16(rows, a, K, Cout, sa, static_cast<const int8_t *>(packedB), C, (size_t)Cout, m0, ep);
  }
}

void convI16Requantize(const ConvI8Shape &s, int p0, int p1, int Cout, const int16_t *qin, const void *packedB,
                       const IntegerEpilogue &rq, int16_t *out, void *workspace) {
  const int K = s.KH * s.KW * s.Cin;
  int16_t *q = static_cast<int16_t *>(workspace);
  for (int m0 = 0; m0 < p1 - p0; m0 += kRows) {
    const int rows = p1 - p0 - m0 < kRows ? p1 - p0 - m0 : kRows;
    const int16_t *a[kRows];
    gatherRowsI16(s, p0 + m0, rows, qin, q, a);
    rowsI16Sums(rows, a, K, Cout, static_cast<const int8_t *>(packedB),
                [&](int n0, int cols, const int64x2_t (&wide)[kRows][4]) {
                  for (int r = 0; r < rows; ++r) {
                    int64_t sums[8];
                    for (int j = 0; j < 4; ++j)
                      vst1q_s64(sums + 2 * j, wide[r][j]);
                    int16_t *o = out + (size_t)(m0 + r) * Cout + n0;
                    for (int c = 0; c < cols; ++c)
                      o[c] = (int16_t)mote_requantize64(sums[c] + rq.bias[n0 + c], rq.mult[n0 + c], rq.shift[n0 + c],
                                                        rq.lo, rq.hi);
                  }
                });
  }
}

} // namespace neon
} // namespace mote
