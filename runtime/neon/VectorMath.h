// Vector math for AArch64 NEON shared by the op kernels and the GEMM epilogues: exp (general, and for x <= 0),
// sigmoid, tanh, and the activations built on them (SiLU, the three GELU forms), each the one definition its
// users share, so that an activation fused into a GEMM's store computes exactly what the standalone kernel
// does. Internal to runtime/neon.
#ifndef MOTE_RUNTIME_NEON_VECTORMATH_H
#define MOTE_RUNTIME_NEON_VECTORMATH_H

#include <arm_neon.h>
#include <limits>

namespace mote {
namespace neon {

// exp(x), Cephes-style polynomial (about 1-2 ulp); 0 below -88, inf above 88.72, NaN propagates.
inline float32x4_t vexpq(float32x4_t x) {
  const float32x4_t hi = vdupq_n_f32(88.72283935546875f), lo = vdupq_n_f32(-88.0f);
  uint32x4_t under = vcltq_f32(x, lo), over = vcgtq_f32(x, hi);
  float32x4_t xc = vminq_f32(vmaxq_f32(x, lo), hi);
  float32x4_t fn = vrndnq_f32(vmulq_n_f32(xc, 1.44269504088896341f));
  float32x4_t r = vfmsq_f32(xc, fn, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, fn, vdupq_n_f32(-2.12194440e-4f));
  float32x4_t p = vdupq_n_f32(1.9875691500E-4f);
  p = vfmaq_f32(vdupq_n_f32(1.3981999507E-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(8.3334519073E-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(4.1665795894E-2f), p, r);
  p = vfmaq_f32(vdupq_n_f32(1.6666665459E-1f), p, r);
  p = vfmaq_f32(vdupq_n_f32(5.0000001201E-1f), p, r);
  float32x4_t r2 = vmulq_f32(r, r);
  p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, r2);
  int32x4_t n = vcvtq_s32_f32(fn);
  int32x4_t n1 = vshrq_n_s32(n, 1), n2 = vsubq_s32(n, n1);
  float32x4_t s1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, vdupq_n_s32(127)), 23));
  float32x4_t s2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, vdupq_n_s32(127)), 23));
  float32x4_t y = vmulq_f32(vmulq_f32(p, s1), s2);
  y = vbslq_f32(under, vdupq_n_f32(0.0f), y);
  y = vbslq_f32(over, vdupq_n_f32(std::numeric_limits<float>::infinity()), y);
  return y;
}

inline float vexp1(float x) { return vgetq_lane_f32(vexpq(vdupq_n_f32(x)), 0); }

// exp(x) for x <= 0 (softmax after the row maximum is subtracted), the same polynomial as vexpq: 0 below
// -87 (so exp(-inf) is exactly 0), NaN propagates. With n >= -126, 2^n is one normal float, so the scale
// is a single exponent add (vexpq needs two halves and the overflow selects for the whole range).
inline float32x4_t vexpNonPositiveq(float32x4_t x) {
  const float32x4_t lo = vdupq_n_f32(-87.0f);
  const uint32x4_t under = vcltq_f32(x, lo);
  const float32x4_t xc = vmaxq_f32(x, lo); // FMAX: a NaN stays NaN
  const float32x4_t fn = vrndnq_f32(vmulq_n_f32(xc, 1.44269504088896341f));
  float32x4_t r = vfmsq_f32(xc, fn, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, fn, vdupq_n_f32(-2.12194440e-4f));
  const float32x4_t r2 = vmulq_f32(r, r);
  // Estrin's scheme: (c7 r + c6) r^4 ... as pairs, fewer dependent steps than Horner.
  const float32x4_t p76 = vfmaq_f32(vdupq_n_f32(1.3981999507E-3f), vdupq_n_f32(1.9875691500E-4f), r);
  const float32x4_t p54 = vfmaq_f32(vdupq_n_f32(4.1665795894E-2f), vdupq_n_f32(8.3334519073E-3f), r);
  const float32x4_t p32 = vfmaq_f32(vdupq_n_f32(5.0000001201E-1f), vdupq_n_f32(1.6666665459E-1f), r);
  float32x4_t p = vfmaq_f32(p54, p76, r2);
  p = vfmaq_f32(p32, p, r2);
  p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, r2);
  const int32x4_t n = vcvtq_s32_f32(fn);
  const float32x4_t y = vreinterpretq_f32_s32(vaddq_s32(vreinterpretq_s32_f32(p), vshlq_n_s32(n, 23)));
  return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(y), under));
}

// 2^t for t <= 0 (a small positive t from rounding is fine), for the attention softmax, which folds log2 e
// into its scale: t = n + r with n = round(t) and r in [-1/2, 1/2] exactly (base 2 needs no split ln 2),
// 2^r by its degree-6 Taylor polynomial (truncation under 1.7e-7 relative, about 1.5 ulp); 0 below -126 (so
// 2^-inf is exactly 0), NaN propagates. Four instructions fewer than vexpNonPositiveq on x log2 e.
inline float32x4_t vexp2NonPositiveq(float32x4_t t) {
  const float32x4_t lo = vdupq_n_f32(-126.0f);
  const uint32x4_t under = vcltq_f32(t, lo);
  const float32x4_t tc = vmaxq_f32(t, lo); // FMAX: a NaN stays NaN
  const float32x4_t fn = vrndnq_f32(tc);
  const float32x4_t r = vsubq_f32(tc, fn), r2 = vmulq_f32(r, r);
  // c_k = (ln 2)^k / k!, as pairs (Estrin's scheme).
  const float32x4_t p01 = vfmaq_f32(vdupq_n_f32(1.0f), vdupq_n_f32(0.693147180559945f), r);
  const float32x4_t p23 = vfmaq_f32(vdupq_n_f32(0.240226506959101f), vdupq_n_f32(0.0555041086648216f), r);
  const float32x4_t p45 = vfmaq_f32(vdupq_n_f32(0.00961812910762848f), vdupq_n_f32(0.00133335581464284f), r);
  const float32x4_t p46 = vfmaq_f32(p45, vdupq_n_f32(0.000154035303933816f), r2);
  const float32x4_t p = vfmaq_f32(p01, vfmaq_f32(p23, p46, r2), r2);
  const int32x4_t n = vcvtq_s32_f32(fn);
  const float32x4_t y = vreinterpretq_f32_s32(vaddq_s32(vreinterpretq_s32_f32(p), vshlq_n_s32(n, 23)));
  return vreinterpretq_f32_u32(vbicq_u32(vreinterpretq_u32_f32(y), under));
}

// 1 / (1 + exp(-x)) for sigmoid, silu and the gelu approximations, from e = exp(-|x|) <= 1 (so the exp
// never overflows): 1 / (1 + e) for x >= 0, e / (1 + e) below.
inline float32x4_t vsigmoidq(float32x4_t x) {
  const float32x4_t e = vexpNonPositiveq(vnegq_f32(vabsq_f32(x)));
  const float32x4_t r = vdivq_f32(vdupq_n_f32(1.0f), vaddq_f32(vdupq_n_f32(1.0f), e));
  return vbslq_f32(vcgeq_f32(x, vdupq_n_f32(0.0f)), r, vmulq_f32(e, r));
}

inline float32x4_t vtanhq(float32x4_t x) {
  // sign(x) * (1 - e) / (1 + e), e = exp(-2|x|).
  float32x4_t e = vexpNonPositiveq(vmulq_n_f32(vabsq_f32(x), -2.0f));
  float32x4_t one = vdupq_n_f32(1.0f);
  float32x4_t t = vdivq_f32(vsubq_f32(one, e), vaddq_f32(one, e));
  uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
  return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(t), sign));
}


inline float32x4_t vsiluq(float32x4_t x) { return vmulq_f32(x, vsigmoidq(x)); }

// x * sigmoid(1.702 x) (QuickGELU).
inline float32x4_t vgeluSigmoidq(float32x4_t x) { return vmulq_f32(x, vsigmoidq(vmulq_n_f32(x, 1.702f))); }

// 0.5 x (1 + tanh(u)) = x * sigmoid(2u), u = sqrt(2 / pi) (x + 0.044715 x^3).
inline float32x4_t vgeluTanhq(float32x4_t x) {
  const float32x4_t x3 = vmulq_f32(vmulq_f32(x, x), x);
  const float32x4_t u = vmulq_n_f32(vfmaq_n_f32(x, x3, 0.044715f), 2.0f * 0.7978845608028654f);
  return vmulq_f32(x, vsigmoidq(u));
}

// erfc(z) ~ t (a1 + t (a2 + ...)) exp(-z^2), t = 1 / (1 + p z), z = |x| / sqrt(2) (Abramowitz-Stegun 7.1.26,
// |error| < 1.5e-7); gelu = x (1 - erfc / 2) for x >= 0, x erfc / 2 below.
inline float32x4_t vgeluErfq(float32x4_t x) {
  const float32x4_t z = vmulq_n_f32(vabsq_f32(x), 0.7071067811865476f);
  const float32x4_t t = vdivq_f32(vdupq_n_f32(1.0f), vfmaq_n_f32(vdupq_n_f32(1.0f), z, 0.3275911f));
  float32x4_t q = vdupq_n_f32(1.061405429f);
  q = vfmaq_f32(vdupq_n_f32(-1.453152027f), q, t);
  q = vfmaq_f32(vdupq_n_f32(1.421413741f), q, t);
  q = vfmaq_f32(vdupq_n_f32(-0.284496736f), q, t);
  q = vfmaq_f32(vdupq_n_f32(0.254829592f), q, t);
  const float32x4_t half =
      vmulq_n_f32(vmulq_f32(vmulq_f32(q, t), vexpNonPositiveq(vnegq_f32(vmulq_f32(z, z)))), 0.5f);
  const float32x4_t pos = vsubq_f32(vdupq_n_f32(1.0f), half);
  return vmulq_f32(x, vbslq_f32(vcgeq_f32(x, vdupq_n_f32(0.0f)), pos, half));
}

} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_VECTORMATH_H
