// NEON op kernels: normalizations and softmax (statistics and sums in f32 or wider).
#include "runtime/neon/OpsSupport.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

#if defined(MOTE_NEON_FAST)
// y[i] = (x[i] - mean) * inv * sc[i] + bi[i] (sc/bi optional, or per-call constants scC/biC when null).
inline void normalizeRow(const float *x, int64_t n, float mean, float inv, const float *sc, const float *bi,
                         float scC, float biC, float *y) {
  const float32x4_t vm = vdupq_n_f32(mean), vi = vdupq_n_f32(inv);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t t = vmulq_f32(vsubq_f32(vld1q_f32(x + i), vm), vi);
    float32x4_t s = sc ? vld1q_f32(sc + i) : vdupq_n_f32(scC);
    float32x4_t b = bi ? vld1q_f32(bi + i) : vdupq_n_f32(biC);
    vst1q_f32(y + i, vfmaq_f32(b, t, s));
  }
  for (; i < n; ++i)
    y[i] = (x[i] - mean) * inv * (sc ? sc[i] : scC) + (bi ? bi[i] : biC);
}
#endif

void groupNorm(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast, const float *in,
               const float *scale, const float *bias, float *out, const FusedEpilogue *epilogue) {
  const int64_t cpg = C / groups;
  EpilogueRunner after(epilogue);
  // Element (n, c, s) at n*C*spatial + (channelsLast ? s*C + c : c*spatial + s).
  const int64_t cs = channelsLast ? 1 : spatial, ss = channelsLast ? C : 1;
#if defined(MOTE_NEON_FAST)
  if (!channelsLast) {
    // NCHW: each group is one contiguous block of cpg * spatial elements.
    for (int64_t n = 0; n < N; ++n)
      for (int64_t g = 0; g < groups; ++g) {
        const float *x = in + (n * C + g * cpg) * spatial;
        float *y = out + (n * C + g * cpg) * spatial;
        const int64_t count = cpg * spatial;
        float mean, inv;
        rowStats(x, count, eps, /*rms=*/false, mean, inv);
        for (int64_t c = 0; c < cpg; ++c)
          normalizeRow(x + c * spatial, spatial, mean, inv, nullptr, nullptr,
                       scale ? scale[g * cpg + c] : 1.0f, bias ? bias[g * cpg + c] : 0.0f, y + c * spatial);
        after.written((n * C + g * cpg) * spatial, count);
      }
    after.flush();
    return;
  }
  if (C % 4 == 0 && C <= 4096) {
    // NHWC: per-channel double sums over all pixels (rows of C contiguous channels), combined per group,
    // then every row normalized with per-channel mean/scale/offset vectors.
    double acc[2 * 4096];
    float mul[4096], add[4096], mu[4096];
    for (int64_t n = 0; n < N; ++n) {
      const float *x = in + n * C * spatial;
      float *y = out + n * C * spatial;
      for (int64_t c = 0; c < 2 * C; ++c)
        acc[c] = 0.0;
      channelSumSq(x, spatial, C, static_cast<size_t>(C), acc);
      const double count = static_cast<double>(cpg * spatial);
      for (int64_t g = 0; g < groups; ++g) {
        double mean, inv;
        groupMeanInv(acc, C, cpg, g, count, eps, mean, inv);
        for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
          const double sc = scale ? scale[c] : 1.0, bi = bias ? bias[c] : 0.0;
          mul[c] = static_cast<float>(inv * sc);
          add[c] = static_cast<float>(bi);
          mu[c] = static_cast<float>(mean);
        }
      }
      for (int64_t sp = 0; sp < spatial; ++sp) {
        for (int64_t c = 0; c < C; c += 4)
          vst1q_f32(y + sp * C + c, vfmaq_f32(vld1q_f32(add + c), vsubq_f32(vld1q_f32(x + sp * C + c), vld1q_f32(mu + c)),
                                              vld1q_f32(mul + c)));
        after.written((n * spatial + sp) * C, C);
      }
    }
    after.flush();
    return;
  }
#endif
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < groups; ++g) {
      const float *x = in + n * C * spatial;
      float *y = out + n * C * spatial;
      double sum = 0.0;
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c)
        for (int64_t s = 0; s < spatial; ++s)
          sum += x[c * cs + s * ss];
      const double count = static_cast<double>(cpg * spatial);
      const double mean = sum / count;
      double var = 0.0;
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c)
        for (int64_t s = 0; s < spatial; ++s) {
          double d = x[c * cs + s * ss] - mean;
          var += d * d;
        }
      const double inv = 1.0 / std::sqrt(var / count + static_cast<double>(eps));
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
        const float sc = scale ? scale[c] : 1.0f, bi = bias ? bias[c] : 0.0f;
        for (int64_t s = 0; s < spatial; ++s) {
          const int64_t e = c * cs + s * ss;
          y[e] = static_cast<float>((x[e] - mean) * inv) * sc + bi;
        }
      }
    }
  after.written(0, N * C * spatial);
  after.flush();
}

void layerNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, const float *bias,
               float *out, const FusedEpilogue *epilogue) {
  EpilogueRunner after(epilogue);
#if defined(MOTE_NEON_FAST)
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    float mean, inv;
    rowStats(x, inner, eps, /*rms=*/false, mean, inv);
    normalizeRow(x, inner, mean, inv, scale, bias, 1.0f, 0.0f, out + o * inner);
    after.written(o * inner, inner);
  }
  after.flush();
  return;
#endif
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    float *y = out + o * inner;
    double sum = 0.0;
    for (int64_t i = 0; i < inner; ++i)
      sum += x[i];
    const double mean = sum / static_cast<double>(inner);
    double var = 0.0;
    for (int64_t i = 0; i < inner; ++i) {
      double d = x[i] - mean;
      var += d * d;
    }
    const double inv = 1.0 / std::sqrt(var / static_cast<double>(inner) + static_cast<double>(eps));
    for (int64_t i = 0; i < inner; ++i)
      y[i] = static_cast<float>((x[i] - mean) * inv) * scale[i] + (bias ? bias[i] : 0.0f);
    after.written(o * inner, inner);
  }
  after.flush();
}

void rmsNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, float *out,
             const FusedEpilogue *epilogue) {
  EpilogueRunner after(epilogue);
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    float *y = out + o * inner;
#if defined(MOTE_NEON_FAST)
    float mean, inv;
    rowStats(x, inner, eps, /*rms=*/true, mean, inv);
    normalizeRow(x, inner, mean, inv, scale, nullptr, 1.0f, 0.0f, y);
#else
    double sq = 0.0;
    for (int64_t i = 0; i < inner; ++i)
      sq += static_cast<double>(x[i]) * x[i];
    const double inv = 1.0 / std::sqrt(sq / static_cast<double>(inner) + static_cast<double>(eps));
    for (int64_t i = 0; i < inner; ++i)
      y[i] = static_cast<float>(x[i] * inv) * scale[i];
#endif
    after.written(o * inner, inner);
  }
  after.flush();
}

#if defined(MOTE_NEON_FAST)
// Contiguous softmax of one row (may be in place): max, exps with a double sum, scale.
inline void softmaxRow(const float *x, int64_t n, float *y) {
  float mx = -std::numeric_limits<float>::infinity();
  int64_t i = 0;
  if (n >= 4) {
    float32x4_t vm = vdupq_n_f32(mx);
    for (; i + 4 <= n; i += 4) {
      float32x4_t v = vld1q_f32(x + i);
      vm = vbslq_f32(vcgtq_f32(v, vm), v, vm);
    }
    mx = vmaxvq_f32(vm);
  }
  for (; i < n; ++i)
    mx = x[i] > mx ? x[i] : mx;
  const float32x4_t vmx = vdupq_n_f32(mx);
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0);
  for (i = 0; i + 4 <= n; i += 4) {
    float32x4_t e = vexpNonPositiveq(vsubq_f32(vld1q_f32(x + i), vmx));
    vst1q_f32(y + i, e);
    s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(e)));
    s1 = vaddq_f64(s1, vcvt_high_f64_f32(e));
  }
  double sum = vaddvq_f64(vaddq_f64(s0, s1));
  for (; i < n; ++i) {
    y[i] = vexp1(x[i] - mx);
    sum += y[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (i = 0; i + 4 <= n; i += 4)
    vst1q_f32(y + i, vmulq_n_f32(vld1q_f32(y + i), inv));
  for (; i < n; ++i)
    y[i] *= inv;
}
#endif

void softmax(int64_t outer, int64_t n, int64_t inner, const float *in, float *out) {
#if defined(MOTE_NEON_FAST)
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o)
      softmaxRow(in + o * n, n, out + o * n);
    return;
  }
#endif
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      const float *x = in + o * n * inner + j;
      float *y = out + o * n * inner + j;
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < n; ++i)
        mx = x[i * inner] > mx ? x[i * inner] : mx;
      double sum = 0.0;
      for (int64_t i = 0; i < n; ++i) {
        float e = std::exp(x[i * inner] - mx);
        y[i * inner] = e;
        sum += e;
      }
      const float inv = static_cast<float>(1.0 / sum);
      for (int64_t i = 0; i < n; ++i)
        y[i * inner] *= inv;
    }
}

} // namespace ops
} // namespace neon
} // namespace mote
