// The exact arithmetic of mote.quantize_activation and mote.dequantize_activation (ir/MoteOps.td), in one place:
// the reference target executes them with these, and a target whose program takes int8 inputs (hexagon)
// quantizes the model's float inputs and dequantizes its outputs with them, so both give the same bits.
#ifndef MOTE_IR_ACTIVATIONQUANTIZATION_H
#define MOTE_IR_ACTIVATIONQUANTIZATION_H

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace mote {

/// clamp(round_half_even(x / scale), -127, 127) with f32 division; NaN -> 0 (the current rounding mode is
/// round-to-nearest-even, which nothing in Mote changes).
inline int8_t quantizeActivation(float x, float scale) {
  const float v = std::nearbyint(x / scale);
  return std::isnan(v) ? int8_t(0) : static_cast<int8_t>(std::clamp(v, -127.0f, 127.0f));
}

/// f32(q) * scale, rounded once to f32.
inline float dequantizeActivation(int8_t q, float scale) { return static_cast<float>(q) * scale; }

} // namespace mote

#endif // MOTE_IR_ACTIVATIONQUANTIZATION_H
