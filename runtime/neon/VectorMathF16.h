// Vector math in f16 arithmetic (8 lanes, -march=armv8.2-a+fp16): exp and 2^x for x <= 0, and the activations
// built on exp (sigmoid, tanh, SiLU, the error-function, tanh and sigmoid forms of GELU). They are the f16
// kernels' one definition, shared by the f16 GEMM's epilogue and the standalone f16 unary kernel, so that
// a fused activation computes exactly what the unfused one does. Internal to runtime/neon.
//
// Accuracy: exp's reduction r = x - n ln2 is one fused multiply-add (a single rounding, |r| <= 0.35, so
// its error is at most 2^-13), its polynomial the degree-4 Taylor one (truncation 4.2e-5 relative): about
// 1-2 f16 ulp in all, about what storing the f32 result to f16 costs (0.5 ulp). Results below 2^-14 are
// f16 subnormals, as the f32 path narrowed would give (the scale 2^n is applied as two normal factors); a
// subnormal exp has an absolute error of up to 3e-8, which x sigmoid(x) (SiLU, the GELUs) carries as an
// absolute error of up to ~5e-7 for x near -17, where the exact value is under 1e-6.
// The error-function GELU is x Phi(x) with Phi from erfc/2 (never 1 + erf, which cancels for x < 0).
#ifndef MOTE_RUNTIME_NEON_VECTORMATHF16_H
#define MOTE_RUNTIME_NEON_VECTORMATHF16_H

#include <arm_neon.h>

#if defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)

namespace mote {
namespace neon {

// p 2^n for an integer -26 <= n <= 0 given as an f16: 2^n = 2^n1 2^n2 with n1, n2 >= -13, two normal halves,
// their product with p rounded once (to a subnormal when it is one).
inline float16x8_t vtimesPow2F16(float16x8_t p, float16x8_t fn) {
  const int16x8_t n = vcvtq_s16_f16(fn);
  const int16x8_t n1 = vshrq_n_s16(n, 1), n2 = vsubq_s16(n, n1);
  const float16x8_t s1 = vreinterpretq_f16_s16(vshlq_n_s16(vaddq_s16(n1, vdupq_n_s16(15)), 10));
  const float16x8_t s2 = vreinterpretq_f16_s16(vshlq_n_s16(vaddq_s16(n2, vdupq_n_s16(15)), 10));
  return vmulq_f16(vmulq_f16(p, s1), s2);
}

// exp(x) for x <= 0 (NaN propagates): 0 below -17.5, where exp(x) is under half the smallest f16 subnormal.
inline float16x8_t vexpNonPositiveF16(float16x8_t x) {
  const float16x8_t xc = vmaxq_f16(x, vdupq_n_f16((float16_t)-17.5f)); // FMAX: a NaN stays NaN
  const float16x8_t fn = vrndnq_f16(vmulq_f16(xc, vdupq_n_f16((float16_t)1.44269504088896341f)));
  float16x8_t r = vfmsq_f16(xc, fn, vdupq_n_f16((float16_t)0.693359375f));   // ln2's high part, exact in f16
  r = vfmsq_f16(r, fn, vdupq_n_f16((float16_t)-2.12194440e-4f));            // and its low part
  float16x8_t p = vdupq_n_f16((float16_t)(1.0f / 24.0f));
  p = vfmaq_f16(vdupq_n_f16((float16_t)(1.0f / 6.0f)), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)0.5f), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)1.0f), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)1.0f), p, r);
  return vtimesPow2F16(p, fn);
}

// 2^(n + r) for an integer -26 <= n <= 0 and r in [-1/2, 1/2] (both f16; NaN propagates), for softmax, whose
// caller splits t = n + r in f32 (n = round(t), r = t - n exact), so that r rounded to f16 is within 2^-13 and
// 2^r within 1e-4 relative: the exps are then about as accurate as f32 ones stored to f16. 2^r by the degree-4
// Taylor polynomial of exp(r ln 2) (truncation 4.2e-5 relative), 2^n by vtimesPow2F16 (n = -26 gives 0).
inline float16x8_t vexp2SplitF16(float16x8_t fn, float16x8_t r) {
  float16x8_t p = vdupq_n_f16((float16_t)0.00961812910762848f); // (ln 2)^k / k!
  p = vfmaq_f16(vdupq_n_f16((float16_t)0.0555041086648216f), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)0.240226506959101f), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)0.693147180559945f), p, r);
  p = vfmaq_f16(vdupq_n_f16((float16_t)1.0f), p, r);
  return vtimesPow2F16(p, fn);
}

// 1 / (1 + exp(-x)) from e = exp(-|x|) <= 1: 1 / (1 + e) for x >= 0, e / (1 + e) below.
inline float16x8_t vsigmoidF16(float16x8_t x) {
  const float16x8_t e = vexpNonPositiveF16(vnegq_f16(vabsq_f16(x)));
  const float16x8_t r = vdivq_f16(vdupq_n_f16((float16_t)1.0f), vaddq_f16(vdupq_n_f16((float16_t)1.0f), e));
  return vbslq_f16(vcgeq_f16(x, vdupq_n_f16((float16_t)0.0f)), r, vmulq_f16(e, r));
}

// sign(x) (1 - e) / (1 + e), e = exp(-2|x|), for |x| >= 0.55 (where 1 - e >= 0.66 cancels nothing); below,
// the odd Taylor polynomial to x^7 (truncation under 2e-4 relative): 1 - e would lose most of its bits.
inline float16x8_t vtanhF16(float16x8_t x) {
  const float16x8_t one = vdupq_n_f16((float16_t)1.0f), ax = vabsq_f16(x);
  const float16x8_t e = vexpNonPositiveF16(vmulq_f16(ax, vdupq_n_f16((float16_t)-2.0f)));
  const float16x8_t big = vdivq_f16(vsubq_f16(one, e), vaddq_f16(one, e));
  const float16x8_t x2 = vmulq_f16(ax, ax);
  float16x8_t p = vdupq_n_f16((float16_t)(-17.0f / 315.0f));
  p = vfmaq_f16(vdupq_n_f16((float16_t)(2.0f / 15.0f)), p, x2);
  p = vfmaq_f16(vdupq_n_f16((float16_t)(-1.0f / 3.0f)), p, x2);
  const float16x8_t small = vfmaq_f16(ax, vmulq_f16(p, x2), ax);
  const float16x8_t t = vbslq_f16(vcltq_f16(ax, vdupq_n_f16((float16_t)0.55f)), small, big);
  const uint16x8_t sign = vandq_u16(vreinterpretq_u16_f16(x), vdupq_n_u16(0x8000u));
  return vreinterpretq_f16_u16(vorrq_u16(vreinterpretq_u16_f16(t), sign));
}

inline float16x8_t vsiluF16(float16x8_t x) { return vmulq_f16(x, vsigmoidF16(x)); }

// x * sigmoid(1.702 x) (QuickGELU).
inline float16x8_t vgeluSigmoidF16(float16x8_t x) {
  return vmulq_f16(x, vsigmoidF16(vmulq_f16(x, vdupq_n_f16((float16_t)1.702f))));
}

// x * sigmoid(2u), u = sqrt(2 / pi) (x + 0.044715 x^3), with x clamped to +-10 inside u (the sigmoid is 0 or
// 1 to f16 precision beyond, and x^3 stays far from the f16 range).
inline float16x8_t vgeluTanhF16(float16x8_t x) {
  const float16x8_t xc = vminq_f16(vmaxq_f16(x, vdupq_n_f16((float16_t)-10.0f)), vdupq_n_f16((float16_t)10.0f));
  const float16x8_t x3 = vmulq_f16(vmulq_f16(xc, xc), xc);
  const float16x8_t u = vmulq_f16(vfmaq_f16(xc, x3, vdupq_n_f16((float16_t)0.044715f)),
                                  vdupq_n_f16((float16_t)(2.0f * 0.7978845608028654f)));
  return vmulq_f16(x, vsigmoidF16(u));
}

// x Phi(x): with c = erfc(z) / 2, z = |x| / sqrt(2), by Abramowitz-Stegun 7.1.26 as the f32 kernel (vgeluErfq),
// x (1 - c) for x >= 0 and x c below. Every factor of c is positive and 1 - c >= 1/2, so nothing cancels: the
// polynomial's terms alternate but sum to 0.5..1 from terms under 1.5, and z^2 = x^2 / 2 is kept exact as a sum
// of two halves (its f16 rounding alone would cost exp(-z^2) up to z^2 2^-12 relative: 8 ulps at x = -4).
inline float16x8_t vgeluErfF16(float16x8_t x) {
  const float16x8_t one = vdupq_n_f16((float16_t)1.0f);
  // |x| clamped to 10 inside c (erfc(7.07) / 2 is 0 in f16; x^2 / 2 stays far from the f16 range).
  const float16x8_t xc = vminq_f16(vmaxq_f16(x, vdupq_n_f16((float16_t)-10.0f)), vdupq_n_f16((float16_t)10.0f));
  const float16x8_t z = vmulq_f16(vabsq_f16(xc), vdupq_n_f16((float16_t)0.7071067811865476f));
  const float16x8_t t = vdivq_f16(one, vfmaq_f16(one, z, vdupq_n_f16((float16_t)0.3275911f)));
  float16x8_t q = vdupq_n_f16((float16_t)1.061405429f);
  q = vfmaq_f16(vdupq_n_f16((float16_t)-1.453152027f), q, t);
  q = vfmaq_f16(vdupq_n_f16((float16_t)1.421413741f), q, t);
  q = vfmaq_f16(vdupq_n_f16((float16_t)-0.284496736f), q, t);
  q = vfmaq_f16(vdupq_n_f16((float16_t)0.254829592f), q, t);
  // exp(-x^2 / 2) with x^2 / 2 = h + l exactly (x / 2 is exact, l by a fused multiply-subtract): exp(-h) (1 - l).
  const float16x8_t hx = vmulq_f16(xc, vdupq_n_f16((float16_t)0.5f)), h = vmulq_f16(xc, hx);
  const float16x8_t l = vfmsq_f16(h, xc, hx); // h - x hx = -(the rounding error of h)
  const float16x8_t eh = vexpNonPositiveF16(vnegq_f16(h));
  const float16x8_t e = vfmaq_f16(eh, eh, l); // exp(-h) (1 - (x hx - h))
  const float16x8_t c = vmulq_f16(vmulq_f16(q, t), vmulq_f16(e, vdupq_n_f16((float16_t)0.5f)));
  return vmulq_f16(x, vbslq_f16(vcgeq_f16(x, vdupq_n_f16((float16_t)0.0f)), vsubq_f16(one, c), c));
}

} // namespace neon
} // namespace mote

#endif // __ARM_FEATURE_FP16_VECTOR_ARITHMETIC

#endif // MOTE_RUNTIME_NEON_VECTORMATHF16_H
