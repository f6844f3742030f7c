// The integer pipeline's edges on NEON: the model's float inputs quantized to int8 or int16 and its integer results
// dequantized, with exactly the arithmetic of mote.quantize_activation and mote.dequantize_activation
// (ir/ActivationQuantization.h), so that the program's integers are the reference target's.
#include "runtime/neon/Ops.h"

#include <arm_neon.h>
#include <cmath>

namespace mote {
namespace neon {
namespace ops {

namespace {

/// clamp(round_half_even(x / scale), -qmax, qmax), NaN -> 0: fcvtns rounds to nearest even, saturates and takes
/// NaN to 0, as the definition does.
inline int32x4_t quantize4(float32x4_t x, float32x4_t scale, int32x4_t qmax) {
  const int32x4_t q = vcvtnq_s32_f32(vdivq_f32(x, scale));
  return vmaxq_s32(vminq_s32(q, qmax), vnegq_s32(qmax));
}

inline int32_t quantize1(float x, float scale, int32_t qmax) {
  const float v = std::nearbyint(x / scale);
  if (std::isnan(v))
    return 0;
  return v > static_cast<float>(qmax) ? qmax : v < -static_cast<float>(qmax) ? -qmax : static_cast<int32_t>(v);
}

} // namespace

void quantizeActivations(int64_t n, const float *x, float scale, int bits, void *q) {
  const int32_t most = bits == 16 ? 32767 : 127;
  const float32x4_t s = vdupq_n_f32(scale);
  const int32x4_t qmax = vdupq_n_s32(most);
  int64_t i = 0;
  if (bits == 16) {
    auto *out = static_cast<int16_t *>(q);
    for (; i + 4 <= n; i += 4)
      vst1_s16(out + i, vmovn_s32(quantize4(vld1q_f32(x + i), s, qmax)));
    for (; i < n; ++i)
      out[i] = static_cast<int16_t>(quantize1(x[i], scale, most));
  } else {
    auto *out = static_cast<int8_t *>(q);
    for (; i + 8 <= n; i += 8) {
      const int16x8_t h = vcombine_s16(vmovn_s32(quantize4(vld1q_f32(x + i), s, qmax)),
                                       vmovn_s32(quantize4(vld1q_f32(x + i + 4), s, qmax)));
      vst1_s8(out + i, vmovn_s16(h));
    }
    for (; i < n; ++i)
      out[i] = static_cast<int8_t>(quantize1(x[i], scale, most));
  }
}

void dequantizeActivations(int64_t n, const void *q, int bits, float scale, float *y) {
  if (bits == 16) {
    const auto *in = static_cast<const int16_t *>(q);
    for (int64_t i = 0; i < n; ++i)
      y[i] = static_cast<float>(in[i]) * scale;
  } else {
    const auto *in = static_cast<const int8_t *>(q);
    for (int64_t i = 0; i < n; ++i)
      y[i] = static_cast<float>(in[i]) * scale;
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
