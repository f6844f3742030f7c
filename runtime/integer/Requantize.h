// The exact integer requantization of the integer pipeline's kernels: an int32 sum (int8 activations times int8 weights,
// plus the bias) to an int8 activation, with one multiplier and shift per output channel. Written once here
// as plain C: Hexagon's HVX epilogue (runtime/hexagon/ConvI8.c) computes exactly this, and its test checks that it does.
//
//   t = floor(acc * mult / 2^16)                       mult in [0, 65535] (HVX vmpye: word x even halfword)
//   t = floor((t +sat (shift ? 2^(shift-1) : 0)) / 2^shift)    shift in [0, 31], a saturating int32 add
//   y = clamp(t +sat zero, lo, hi)                      lo/hi within [-128, 127] (a ReLU is lo = zero)
//
// The real multiplier is mult * 2^-(16 + shift); mote-quantize-activations picks mult >= 2^15 so that it keeps
// 16 significant bits (fewer only below 2^-31, where the shift stops at 31). The IR verifier holds constants to
// these ranges. Multipliers of 1 and more are not representable: a scheme must choose the output scale
// so that in_scale * weight_scale < out_scale.
#ifndef MOTE_RUNTIME_INTEGER_REQUANTIZE_H
#define MOTE_RUNTIME_INTEGER_REQUANTIZE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

static inline int32_t mote_requant_sat_add(int32_t a, int32_t b) {
  int64_t s = (int64_t)a + b;
  return s > INT32_MAX ? INT32_MAX : s < INT32_MIN ? INT32_MIN : (int32_t)s;
}

/// The requantized value of `acc` (see above).
static inline int32_t mote_requantize(int32_t acc, int32_t mult, int32_t shift, int32_t zero, int32_t lo, int32_t hi) {
  int32_t t = (int32_t)(((int64_t)acc * mult) >> 16); // arithmetic shift: floor
  if (shift > 0)
    t = mote_requant_sat_add(t, (int32_t)1 << (shift - 1)) >> shift;
  t = mote_requant_sat_add(t, zero);
  return t < lo ? lo : t > hi ? hi : t;
}

/// The same for the exact int64 sums of int16 activations (w8a16; |acc| < 2^46): floor(acc * mult / 2^16), then
/// the rounding shift, in int64 (no saturation needed), clamped.
static inline int32_t mote_requantize64(int64_t acc, int32_t mult, int32_t shift, int32_t lo, int32_t hi) {
  int64_t t = (acc * mult) >> 16;
  if (shift > 0)
    t = (t + ((int64_t)1 << (shift - 1))) >> shift;
  return t < lo ? lo : t > hi ? (int32_t)hi : (int32_t)t;
}

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_REQUANTIZE_H
