// NEON layer and RMS norms on f16 storage: each row widened in registers, its statistics summed in f32
// vectors (combined in double, as the f32 kernels' rowStats), the row normalized in f32 with the scale and
// bias widened once per call, and stored saturated to f16 (as f32ToF16). One pass to sum, one to write:
// no widened copy of the tensor is ever stored.
#include "runtime/neon/OpsSupport.h"

#include <vector>

namespace mote {
namespace neon {
namespace ops {

namespace {

// A row's mean (0 for RMS) and 1 / sqrt(variance (mean square for RMS) + eps) from its sums.
void meanInv(double sum, double sq, int64_t inner, float eps, bool rms, double &mean, double &inv) {
  const double n = static_cast<double>(inner);
  mean = rms ? 0.0 : sum / n;
  double var = rms ? sq / n : sq / n - mean * mean;
  var = var > 0.0 ? var : 0.0;
  inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
}

#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
// Sum and sum of squares of one f16 row. f32 lanes take at most 256 values each before they are added
// into the double totals, so a long row loses no more than a short one.
void sumSqF16(const float16_t *x, int64_t n, double &sum, double &sq) {
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
  for (; i < n; ++i) {
    float v = (static_cast<float>(x[i]) * inv + shift) * scale[i] + (bias ? bias[i] : 0.0f);
    v = v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v;
    y[i] = static_cast<float16_t>(v);
  }
}

void normF16(int64_t outer, int64_t inner, float eps, bool rms, const __fp16 *in, const __fp16 *scale,
             const __fp16 *bias, __fp16 *out) {
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
  }
}
#else
// Portable: per element through f32, the statistics in double.
void normF16(int64_t outer, int64_t inner, float eps, bool rms, const __fp16 *in, const __fp16 *scale,
             const __fp16 *bias, __fp16 *out) {
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
    for (int64_t i = 0; i < inner; ++i) {
      float v = static_cast<float>((static_cast<float>(x[i]) - mean) * inv) * static_cast<float>(scale[i]) +
                (bias ? static_cast<float>(bias[i]) : 0.0f);
      v = v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v;
      out[o * inner + i] = static_cast<__fp16>(v);
    }
  }
}
#endif

} // namespace

void layerNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, const __fp16 *bias,
                  __fp16 *out) {
  normF16(outer, inner, eps, /*rms=*/false, in, scale, bias, out);
}

void rmsNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, __fp16 *out) {
  normF16(outer, inner, eps, /*rms=*/true, in, scale, nullptr, out);
}

} // namespace ops
} // namespace neon
} // namespace mote
