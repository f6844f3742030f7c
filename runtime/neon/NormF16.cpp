// NEON layer, RMS and group norms on f16 storage: each row (or each instance's channels) widened in registers,
// its statistics summed in f32 vectors and combined in double (as the f32 kernels' rowStats and channelSumSq),
// each element normalized in f32 and stored saturated to f16 (as f32ToF16). One pass to sum, one to write: no
// widened copy of the tensor is ever stored. An epilogue program (mote.fused "norm_elementwise") runs on f16
// registers over what each row or block of pixels wrote, while it is in cache.
#include "runtime/neon/OpsSupport.h"

#include <vector>

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

// A row's mean (0 for RMS) and 1 / sqrt(variance (mean square for RMS) + eps) from its sums.
void meanInv(double sum, double sq, int64_t inner, float eps, bool rms, double &mean, double &inv) {
  const double n = static_cast<double>(inner);
  mean = rms ? 0.0 : sum / n;
  double var = rms ? sq / n : sq / n - mean * mean;
  var = var > 0.0 ? var : 0.0;
  inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
}

/// Saturating f32 -> f16 of one value (as f32ToF16).
__fp16 toHalf(float v) { return static_cast<__fp16>(v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v); }

/// Per channel c of instance n of a group norm: y = x * mul[c] + add[c], mul = inv * scale, add = bias - mean * mul,
/// from the per-channel sums acc[0..C) and sums of squares acc[C..2C) over `pixels` pixels.
void groupAffine(const double *acc, int64_t C, int64_t groups, int64_t pixels, float eps, const __fp16 *scale,
                 const __fp16 *bias, float *mul, float *add) {
  const int64_t cpg = C / groups;
  for (int64_t g = 0; g < groups; ++g) {
    double mean, inv;
    groupMeanInv(acc, C, cpg, g, static_cast<double>(cpg * pixels), eps, mean, inv);
    for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
      const double m = inv * (scale ? static_cast<float>(scale[c]) : 1.0f);
      mul[c] = static_cast<float>(m);
      add[c] = static_cast<float>((bias ? static_cast<float>(bias[c]) : 0.0f) - mean * m);
    }
  }
}

/// Group norm through f32 per element, statistics in double: the portable path, and NHWC with C % 8 != 0.
void groupNormScalarF16(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast,
                        const __fp16 *in, const __fp16 *scale, const __fp16 *bias, __fp16 *out,
                        EpilogueRunnerF16 &after) {
  const int64_t cs = channelsLast ? 1 : spatial, ss = channelsLast ? C : 1;
  std::vector<double> acc(static_cast<size_t>(2 * C));
  std::vector<float> mul(static_cast<size_t>(C)), add(static_cast<size_t>(C));
  for (int64_t n = 0; n < N; ++n) {
    const __fp16 *x = in + n * C * spatial;
    __fp16 *y = out + n * C * spatial;
    for (int64_t c = 0; c < C; ++c) {
      double s = 0.0, q = 0.0;
      for (int64_t p = 0; p < spatial; ++p) {
        const double v = static_cast<float>(x[c * cs + p * ss]);
        s += v;
        q += v * v;
      }
      acc[c] = s;
      acc[C + c] = q;
    }
    groupAffine(acc.data(), C, groups, spatial, eps, scale, bias, mul.data(), add.data());
    for (int64_t c = 0; c < C; ++c)
      for (int64_t p = 0; p < spatial; ++p) {
        const int64_t e = c * cs + p * ss;
        y[e] = toHalf(static_cast<float>(x[e]) * mul[c] + add[c]);
      }
    after.written(n * C * spatial, C * spatial);
  }
}

#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
// Sum and sum of squares of one f16 row. f32 lanes take at most 256 values each before they are added
// into the double totals, so a long row loses no more than a short one.
MOTE_ALWAYS_INLINE void sumSqF16(const float16_t *x, int64_t n, double &sum, double &sq) {
  sum = 0.0;
  sq = 0.0;
  int64_t i = 0;
  while (i + 8 <= n) {
    const int64_t end = i + 2048 <= n ? i + 2048 : n - (n - i) % 8;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, q0 = s0, q1 = s0;
    for (; i < end; i += 8) {
      const float16x8_t h = vld1q_f16(x + i);
      const float32x4_t a = vcvt_f32_f16(vget_low_f16(h)), b = vcvt_high_f32_f16(h);
      s0 = vaddq_f32(s0, a);
      s1 = vaddq_f32(s1, b);
      q0 = vfmaq_f32(q0, a, a);
      q1 = vfmaq_f32(q1, b, b);
    }
    sum += static_cast<double>(vaddvq_f32(vaddq_f32(s0, s1)));
    sq += static_cast<double>(vaddvq_f32(vaddq_f32(q0, q1)));
  }
  for (; i < n; ++i) {
    const double v = static_cast<float>(x[i]);
    sum += v;
    sq += v * v;
  }
}

// y = x * inv + shift, then * scale + bias (both widened; bias may be null), saturated to f16.
void normalizeRowF16(const float16_t *x, int64_t n, float inv, float shift, const float *scale, const float *bias,
                     float16_t *y) {
  const float32x4_t vi = vdupq_n_f32(inv), vs = vdupq_n_f32(shift);
  const float32x4_t hi = vdupq_n_f32(65504.0f), lo = vdupq_n_f32(-65504.0f);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const float16x8_t h = vld1q_f16(x + i);
    float32x4_t a = vfmaq_f32(vs, vcvt_f32_f16(vget_low_f16(h)), vi);
    float32x4_t b = vfmaq_f32(vs, vcvt_high_f32_f16(h), vi);
    if (bias) {
      a = vfmaq_f32(vld1q_f32(bias + i), a, vld1q_f32(scale + i));
      b = vfmaq_f32(vld1q_f32(bias + i + 4), b, vld1q_f32(scale + i + 4));
    } else {
      a = vmulq_f32(a, vld1q_f32(scale + i));
      b = vmulq_f32(b, vld1q_f32(scale + i + 4));
    }
    a = vmaxq_f32(vminq_f32(a, hi), lo);
    b = vmaxq_f32(vminq_f32(b, hi), lo);
    vst1q_f16(y + i, vcvt_high_f16_f32(vcvt_f16_f32(a), b));
  }
  for (; i < n; ++i)
    y[i] = toHalf((static_cast<float>(x[i]) * inv + shift) * scale[i] + (bias ? bias[i] : 0.0f));
}

void normF16(int64_t outer, int64_t inner, float eps, bool rms, const __fp16 *in, const __fp16 *scale,
             const __fp16 *bias, __fp16 *out, const FusedEpilogueF16 *epilogue) {
  EpilogueRunnerF16 after(epilogue);
  // The scale and bias widened once (on the stack for rows of up to 1024 elements).
  const size_t wideFloats = static_cast<size_t>(bias ? 2 * inner : inner);
  float onStack[2048];
  std::vector<float> onHeap(wideFloats > 2048 ? wideFloats : 0);
  float *wide = wideFloats > 2048 ? onHeap.data() : onStack;
  f16ToF32(inner, scale, wide);
  if (bias)
    f16ToF32(inner, bias, wide + inner);
  const float *sc = wide, *bi = bias ? wide + inner : nullptr;
  for (int64_t o = 0; o < outer; ++o) {
    const float16_t *x = reinterpret_cast<const float16_t *>(in) + o * inner;
    double sum, sq, mean, inv;
    sumSqF16(x, inner, sum, sq);
    meanInv(sum, sq, inner, eps, rms, mean, inv);
    normalizeRowF16(x, inner, static_cast<float>(inv), static_cast<float>(-mean * inv), sc, bi,
                    reinterpret_cast<float16_t *>(out) + o * inner);
    after.written(o * inner, inner);
  }
  after.flush();
}

// Adds 4 f32 lanes into acc[0..4) in double.
inline void addToDouble(float32x4_t v, double *acc) {
  vst1q_f64(acc, vaddq_f64(vld1q_f64(acc), vcvt_f64_f32(vget_low_f32(v))));
  vst1q_f64(acc + 2, vaddq_f64(vld1q_f64(acc + 2), vcvt_high_f64_f32(v)));
}

// Per-channel sums and sums of squares of `pixels` pixels of C channels (C % 8 == 0, pixels C apart) into
// acc[0..C) and acc[C..2C) (zeroed here): f32 lanes over runs of kStatsRun / 4 pixels, then double.
void channelSumSqF16(const float16_t *x, int64_t pixels, int64_t C, double *acc) {
  for (int64_t c = 0; c < 2 * C; ++c)
    acc[c] = 0.0;
  const int64_t run = kStatsRun / 4;
  for (int64_t p0 = 0; p0 < pixels; p0 += run) {
    const int64_t p1 = p0 + run < pixels ? p0 + run : pixels;
    for (int64_t c = 0; c < C; c += 8) {
      float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, q0 = s0, q1 = s0;
      for (int64_t p = p0; p < p1; ++p) {
        const float16x8_t h = vld1q_f16(x + p * C + c);
        const float32x4_t a = vcvt_f32_f16(vget_low_f16(h)), b = vcvt_high_f32_f16(h);
        s0 = vaddq_f32(s0, a);
        s1 = vaddq_f32(s1, b);
        q0 = vfmaq_f32(q0, a, a);
        q1 = vfmaq_f32(q1, b, b);
      }
      addToDouble(s0, acc + c);
      addToDouble(s1, acc + c + 4);
      addToDouble(q0, acc + C + c);
      addToDouble(q1, acc + C + c + 4);
    }
  }
}

// 8 values x * m + a in f32, rounded to f16 and saturated (an overflow's +-inf clamped in f16).
inline float16x8_t affineF16(float16x8_t h, float32x4_t m0, float32x4_t m1, float32x4_t a0, float32x4_t a1) {
  const float16x8_t r = vcvt_high_f16_f32(vcvt_f16_f32(vfmaq_f32(a0, vcvt_f32_f16(vget_low_f16(h)), m0)),
                                          vfmaq_f32(a1, vcvt_high_f32_f16(h), m1));
  return vmaxq_f16(vminq_f16(r, vdupq_n_f16(static_cast<float16_t>(65504.0f))),
                   vdupq_n_f16(static_cast<float16_t>(-65504.0f)));
}

void groupNormFastF16(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast,
                      const __fp16 *in, const __fp16 *scale, const __fp16 *bias, __fp16 *out,
                      EpilogueRunnerF16 &after) {
  std::vector<double> acc(static_cast<size_t>(2 * C));
  std::vector<float> mul(static_cast<size_t>(C)), add(static_cast<size_t>(C));
  const int64_t cpg = C / groups;
  for (int64_t n = 0; n < N; ++n) {
    const float16_t *x = reinterpret_cast<const float16_t *>(in) + n * C * spatial;
    float16_t *y = reinterpret_cast<float16_t *>(out) + n * C * spatial;
    if (!channelsLast) {
      // NCHW: channel c is the contiguous row of `spatial` elements at c * spatial.
      for (int64_t c = 0; c < C; ++c)
        sumSqF16(x + c * spatial, spatial, acc[c], acc[C + c]);
      groupAffine(acc.data(), C, groups, spatial, eps, scale, bias, mul.data(), add.data());
      for (int64_t g = 0; g < groups; ++g) {
        for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
          const float32x4_t m = vdupq_n_f32(mul[c]), a = vdupq_n_f32(add[c]);
          const float16_t *xc = x + c * spatial;
          float16_t *yc = y + c * spatial;
          int64_t i = 0;
          for (; i + 8 <= spatial; i += 8)
            vst1q_f16(yc + i, affineF16(vld1q_f16(xc + i), m, m, a, a));
          for (; i < spatial; ++i)
            yc[i] = toHalf(static_cast<float>(xc[i]) * mul[c] + add[c]);
        }
        after.written((n * C + g * cpg) * spatial, cpg * spatial);
      }
      continue;
    }
    // NHWC (C % 8 == 0): blocks of pixels, 8 channels at a time with their factors in registers.
    channelSumSqF16(x, spatial, C, acc.data());
    groupAffine(acc.data(), C, groups, spatial, eps, scale, bias, mul.data(), add.data());
    constexpr int64_t kPixels = 32;
    for (int64_t p0 = 0; p0 < spatial; p0 += kPixels) {
      const int64_t p1 = p0 + kPixels < spatial ? p0 + kPixels : spatial;
      for (int64_t c = 0; c < C; c += 8) {
        const float32x4_t m0 = vld1q_f32(mul.data() + c), m1 = vld1q_f32(mul.data() + c + 4);
        const float32x4_t a0 = vld1q_f32(add.data() + c), a1 = vld1q_f32(add.data() + c + 4);
        for (int64_t p = p0; p < p1; ++p)
          vst1q_f16(y + p * C + c, affineF16(vld1q_f16(x + p * C + c), m0, m1, a0, a1));
      }
      after.written((n * spatial + p0) * C, (p1 - p0) * C);
    }
  }
}
#else
// Portable: per element through f32, the statistics in double.
void normF16(int64_t outer, int64_t inner, float eps, bool rms, const __fp16 *in, const __fp16 *scale,
             const __fp16 *bias, __fp16 *out, const FusedEpilogueF16 *epilogue) {
  EpilogueRunnerF16 after(epilogue);
  for (int64_t o = 0; o < outer; ++o) {
    const __fp16 *x = in + o * inner;
    double sum = 0.0, sq = 0.0;
    for (int64_t i = 0; i < inner; ++i) {
      const double v = static_cast<float>(x[i]);
      sum += v;
      sq += v * v;
    }
    double mean, inv;
    meanInv(sum, sq, inner, eps, rms, mean, inv);
    for (int64_t i = 0; i < inner; ++i)
      out[o * inner + i] = toHalf(static_cast<float>((static_cast<float>(x[i]) - mean) * inv) *
                                      static_cast<float>(scale[i]) +
                                  (bias ? static_cast<float>(bias[i]) : 0.0f));
    after.written(o * inner, inner);
  }
  after.flush();
}
#endif

} // namespace

void layerNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, const __fp16 *bias,
                  __fp16 *out, const FusedEpilogueF16 *epilogue) {
  normF16(outer, inner, eps, /*rms=*/false, in, scale, bias, out, epilogue);
}

void rmsNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, __fp16 *out,
                const FusedEpilogueF16 *epilogue) {
  normF16(outer, inner, eps, /*rms=*/true, in, scale, nullptr, out, epilogue);
}

void groupNormF16(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast, const __fp16 *in,
                  const __fp16 *scale, const __fp16 *bias, __fp16 *out, const FusedEpilogueF16 *epilogue) {
  EpilogueRunnerF16 after(epilogue);
#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
  if (!channelsLast || C % 8 == 0)
    groupNormFastF16(N, C, spatial, groups, eps, channelsLast, in, scale, bias, out, after);
  else
#endif
    groupNormScalarF16(N, C, spatial, groups, eps, channelsLast, in, scale, bias, out, after);
  after.flush();
}

} // namespace ops
} // namespace neon
} // namespace mote
