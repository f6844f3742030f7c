// The fused activations of the f16 kernels (the f16 GEMM's tile stores, the f16 Winograd convolution's output
// transform) on 8 halves, in f16 arithmetic (VectorMathF16.h, as unaryF16 computes them). Internal to
// runtime/neon; needs FP16 vector arithmetic.
#ifndef MOTE_RUNTIME_NEON_ACTIVATIONF16_H
#define MOTE_RUNTIME_NEON_ACTIVATIONF16_H

#include "runtime/neon/GemmMicrokernel.h"
#include "runtime/neon/VectorMathF16.h"

#if defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)

namespace mote {
namespace neon {
namespace detail {

/// The activation `A` of 8 halves (lo, hi: Clamp's bounds).
template <Activation A>
MOTE_ALWAYS_INLINE float16x8_t activateF16As(float16x8_t v, float lo, float hi) {
  if constexpr (A == Activation::None)
    return v;
  else if constexpr (A == Activation::Relu)
    return vmaxq_f16(v, vdupq_n_f16((float16_t)0.0f));
  else if constexpr (A == Activation::Clamp)
    return vminq_f16(vmaxq_f16(v, vdupq_n_f16((float16_t)lo)), vdupq_n_f16((float16_t)hi));
  else if constexpr (A == Activation::Silu)
    return vsiluF16(v);
  else if constexpr (A == Activation::GeluTanh)
    return vgeluTanhF16(v);
  else if constexpr (A == Activation::GeluSigmoid)
    return vgeluSigmoidF16(v);
  else if constexpr (A == Activation::GeluErf)
    return vgeluErfF16(v);
  else
    return vcombine_f16(vcvt_f16_f32(activateAs<A>(vcvt_f32_f16(vget_low_f16(v)), lo, hi)),
                        vcvt_f16_f32(activateAs<A>(vcvt_high_f32_f16(v), lo, hi)));
}

} // namespace detail
} // namespace neon
} // namespace mote

#endif // __ARM_FEATURE_FP16_VECTOR_ARITHMETIC

#endif // MOTE_RUNTIME_NEON_ACTIVATIONF16_H
