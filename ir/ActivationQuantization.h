// The exact arithmetic of mote.quantize_activation and mote.dequantize_activation (ir/MoteOps.td), in one place:
// the reference target executes them with these, and a target whose program takes integer inputs (hexagon)
// quantizes the model's float inputs and dequantizes its outputs with them, so both give the same bits.
#ifndef MOTE_IR_ACTIVATIONQUANTIZATION_H
#define MOTE_IR_ACTIVATIONQUANTIZATION_H

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mote {

/// clamp(round_half_even(x / scale), -qmax, qmax) with f32 division (qmax 127 for int8, 32767 for int16); NaN ->
/// 0 (the current rounding mode is round-to-nearest-even, which nothing in Mote changes).
inline int32_t quantizeActivation(float x, float scale, int32_t qmax = 127) {
  const float v = std::nearbyint(x / scale);
  const float most = static_cast<float>(qmax);
  return std::isnan(v) ? 0 : static_cast<int32_t>(std::clamp(v, -most, most));
}

/// The largest magnitude of an activation of `bits` (8 or 16) bits.
inline int32_t activationQMax(unsigned bits) { return bits == 16 ? 32767 : 127; }

/// f32(q) * scale, rounded once to f32.
inline float dequantizeActivation(int32_t q, float scale) { return static_cast<float>(q) * scale; }

} // namespace mote

#endif // MOTE_IR_ACTIVATIONQUANTIZATION_H
