// The fixed-point arithmetic of the integer pipeline's normalization, attention and sinusoid kernels, written once
// as plain C: the reference target (targets/reference/IntegerKernels.cpp) calls these same functions, so that
// the device's results equal the reference's bit for bit. Pure integer arithmetic; no libc.
#ifndef MOTE_RUNTIME_INTEGER_INTEGERMATH_H
#define MOTE_RUNTIME_INTEGER_INTEGERMATH_H

#include "runtime/integer/Requantize.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// floor(sqrt(v)), bit by bit.
static inline uint32_t mote_isqrt64(uint64_t v) {
  uint64_t root = 0, bit = (uint64_t)1 << 62;
  while (bit > v)
    bit >>= 2;
  while (bit) {
    if (v >= root + bit) {
      v -= root + bit;
      root = (root >> 1) + bit;
    } else {
      root >>= 1;
    }
    bit >>= 2;
  }
  return (uint32_t)root;
}

/// The reciprocal square root of `v` (0 counts as 1) as r * 2^-(16 + *exponent), r in (2^15, 2^16]:
///   e = floor(log2(v) / 2);  m = v * 2^(30 - 2e) (in [2^30, 2^32), low bits dropped when 2e > 30);
///   r = floor(sqrt(floor(2^62 / m))).
static inline uint32_t mote_rsqrt_fixed(uint64_t v, int32_t *exponent) {
  if (v == 0)
    v = 1;
  int32_t msb = 63;
  while (!((v >> msb) & 1))
    --msb;
  const int32_t e = msb / 2;
  const uint64_t m = 2 * e <= 30 ? v << (30 - 2 * e) : v >> (2 * e - 30);
  *exponent = e;
  return mote_isqrt64(((uint64_t)1 << 62) / m);
}

/// floor(p / 2^shift) for shift >= 0 (an arithmetic shift; 63 and more give 0 or -1).
static inline int64_t mote_shift_floor64(int64_t p, int32_t shift) {
  if (shift >= 63)
    return p < 0 ? -1 : 0;
  return p >> shift;
}

/// An int8 (`wide` 0) or int16 activation.
static inline int32_t mote_activation_at(const void *p, long i, int wide) {
  return wide ? ((const int16_t *)p)[i] : ((const int8_t *)p)[i];
}

/// mote.integer_norm's pieces (see ir/MoteOps.td), each used by mote_norm_row and by the norm kernel's
/// table path (runtime/integer/Norm.c) alike:
///   d_k = center ? count * x_k - sum(x) : x_k;   v = sum((d_k >> square_shift)^2) + epsilon;
///   (r, e) = mote_rsqrt_fixed(v);   n_k = floor(d_k * r / 2^(e + square_shift - 12))   (a left shift when negative);
///   u_k = floor(n_k * gain_k / 2^(frac_bits + 20));   y_k = clamp(floor((u_k + bias_k + 128) / 256), lo, hi)
/// gain_k and bias_k carry the scale (sqrt(count) * gamma_k / s_y * 2^frac_bits and beta_k / s_y * 256). For the
/// rows the verifier admits (count < 2^24, the squares' sum below 2^62, gains below 2^30): |d_k| < 2^41,
/// |d_k * r| < 2^57, |n_k| < 2^30 (|d_k >> square_shift| is at most sqrt(v) + 1) and |n_k * gain_k| < 2^60.

/// d_k of value x in a row of `count` values summing to `sum`.
static inline int64_t mote_norm_centered(int64_t x, long count, int center, int64_t sum) {
  return center ? (int64_t)count * x - sum : x;
}

/// (d >> square_shift)^2 (floor).
static inline uint64_t mote_norm_square(int64_t d, int32_t square_shift) {
  const int64_t q = d >> square_shift;
  return (uint64_t)(q * q);
}

/// r and the shift e + square_shift - 12 of a row whose squares sum to `squares`.
static inline uint32_t mote_norm_scale(uint64_t squares, uint64_t epsilon, int32_t square_shift, int32_t *shift) {
  int32_t e;
  const uint32_t r = mote_rsqrt_fixed(squares + epsilon, &e);
  *shift = e + square_shift - 12;
  return r;
}

/// y_k of d_k (r and `shift` from mote_norm_scale). The products are 32 x 32 bits where the operands fit (|n_k|
/// < 2^30 always; d_k unless the row is long): one multiply on a 32-bit core instead of a 64-bit sequence.
static inline int32_t mote_norm_value(int64_t d, uint32_t r, int32_t shift, int32_t gain, int32_t bias,
                                      int32_t frac_bits, int32_t lo, int32_t hi) {
  const int64_t p = d == (int32_t)d ? (int64_t)(int32_t)d * (int32_t)r : d * (int64_t)r; // r <= 2^16
  const int64_t n = shift >= 0 ? mote_shift_floor64(p, shift) : p * ((int64_t)1 << -shift);
  const int64_t u = mote_shift_floor64((int64_t)(int32_t)n * gain, frac_bits + 20);
  const int64_t t = (u + bias + 128) >> 8;
  return (int32_t)(t < lo ? lo : t > hi ? hi : t);
}

/// One row of mote.integer_norm: `count` int8 values, or int16 ones (`wide`), to the same width. Always inlined, so
/// that a caller passing a constant `wide` gets a loop for that width alone.
static inline __attribute__((always_inline)) void mote_norm_row(const void *x, int wide, long count, int center, int32_t square_shift,
                                 uint64_t epsilon, const int32_t *gain, const int32_t *bias, int32_t frac_bits,
                                 int32_t lo, int32_t hi, void *y) {
  int64_t sum = 0;
  for (long k = 0; k < count; ++k)
    sum += mote_activation_at(x, k, wide);
  uint64_t squares = 0;
  for (long k = 0; k < count; ++k)
    squares += mote_norm_square(mote_norm_centered(mote_activation_at(x, k, wide), count, center, sum), square_shift);
  int32_t shift;
  const uint32_t r = mote_norm_scale(squares, epsilon, square_shift, &shift);
  for (long k = 0; k < count; ++k) {
    const int32_t c = mote_norm_value(mote_norm_centered(mote_activation_at(x, k, wide), count, center, sum), r, shift,
                                      gain[k], bias[k], frac_bits, lo, hi);
    if (wide)
      ((int16_t *)y)[k] = (int16_t)c;
    else
      ((int8_t *)y)[k] = (int8_t)c;
  }
}


/// The softmax weights of mote_attention_row from the logits l_j (mote_attention_logit): m = max_j l_j, then
/// e_j = table[m - l_j] (0 past the table) in place of the logits; returns inv = floor(2^46 / sum_j e_j).
static inline int64_t mote_attention_weights(int32_t *logits, long sk, const int32_t *table, int32_t table_size) {
  int32_t m = logits[0];
  for (long j = 1; j < sk; ++j)
    m = logits[j] > m ? logits[j] : m;
  uint64_t sum = 0;
  for (long j = 0; j < sk; ++j) {
    const int32_t distance = m - logits[j];
    logits[j] = distance < table_size ? table[distance] : 0;
    sum += (uint32_t)logits[j];
  }
  return (int64_t)((((uint64_t)1) << 46) / (sum ? sum : 1));
}

/// The rest of mote_attention_row from the logits l_j: the weights (mote_attention_weights), then the `dv` outputs.
static inline __attribute__((always_inline)) void mote_attention_softmax_row(
    int32_t *logits, long sk, const void *v, int wide, long dv, const int32_t *table, int32_t table_size,
    int32_t out_mult, int32_t out_shift, int32_t lo, int32_t hi, void *out) {
  const int64_t inv = mote_attention_weights(logits, sk, table, table_size);
  for (long c = 0; c < dv; ++c) {
    int64_t acc = 0;
    for (long j = 0; j < sk; ++j)
      acc += (int64_t)logits[j] * mote_activation_at(v, j * dv + c, wide);
    const int32_t y = mote_requantize((int32_t)((acc * inv) >> 31), out_mult, out_shift, 0, lo, hi);
    if (wide)
      ((int16_t *)out)[c] = (int16_t)y;
    else
      ((int8_t *)out)[c] = (int8_t)y;
  }
}

/// l_j of a dot product: requantized and clamped to +-2^24, plus mask_j clamped likewise. int8 heads' dots are
/// int32 sums (wrapping, as the device's lanes), int16 heads' exact int64 sums.
static inline int32_t mote_attention_logit(int64_t dot, int wide, const int32_t *mask, long j, int32_t logit_mult,
                                           int32_t logit_shift) {
  const int32_t limit = (int32_t)1 << 24;
  const int32_t l = wide ? mote_requantize64(dot, logit_mult, logit_shift, -limit, limit)
                         : mote_requantize((int32_t)dot, logit_mult, logit_shift, 0, -limit, limit);
  return l + (mask ? (mask[j] < -limit ? -limit : mask[j] > limit ? limit : mask[j]) : 0);
}

/// One query row of mote.integer_attention (see ir/MoteOps.td): `q` (d values), keys `k` and values `v` of one head
/// (sk rows of d and dv values), int8 or (`wide`) int16; `mask` (sk int32, or null), `logits` scratch for sk int32,
/// `out` dv values of the same width:
///   l_j = requantize(q . k_j, logit_mult, logit_shift, clamp +-2^24) + clamp(mask_j, +-2^24);   m = max_j l_j
///   e_j = m - l_j < table_size ? table[m - l_j] : 0;   inv = floor(2^46 / sum_j e_j)
///   out_c = requantize(floor(sum_j e_j * v_jc * inv / 2^31), out_mult, out_shift, clamp lo..hi)
/// int8 dot products are int32 sums (wrapping, as the device's lanes) requantized by mote_requantize; int16 ones
/// exact int64 sums requantized by mote_requantize64 (d below 2^16).
/// The rounded value is sum_j p_j v_jc with the softmax weights p_j in Q15, rounded once per output (not per key:
/// a floor per weight would lose up to one unit of 2^15 per key, 6% of the mass over 4096 keys). table[0] is
/// 2^16 (exp(0)) and no entry exceeds it, so 2^16 <= sum <= sk * 2^16 and |sum e_j v_jc| * inv < 2^15 * 2^46.
/// Always inlined, so that a caller passing a constant `wide` gets loops for that width alone.
static inline __attribute__((always_inline)) void mote_attention_row(
    const void *q, const void *k, const void *v, int wide, long sk, long d, long dv, const int32_t *mask,
    const int32_t *table, int32_t table_size, int32_t logit_mult, int32_t logit_shift, int32_t out_mult,
    int32_t out_shift, int32_t lo, int32_t hi, int32_t *logits, void *out) {
  for (long j = 0; j < sk; ++j) {
    int64_t dot;
    if (wide) {
      int64_t s = 0;
      for (long c = 0; c < d; ++c)
        s += (int64_t)mote_activation_at(q, c, 1) * mote_activation_at(k, j * d + c, 1);
      dot = s;
    } else {
      uint32_t s = 0; // int32 sums, wrapping past 2^31 (d above 133,000) as the device's lanes do
      for (long c = 0; c < d; ++c)
        s += (uint32_t)(mote_activation_at(q, c, 0) * mote_activation_at(k, j * d + c, 0));
      dot = (int32_t)s;
    }
    logits[j] = mote_attention_logit(dot, wide, mask, j, logit_mult, logit_shift);
  }
  mote_attention_softmax_row(logits, sk, v, wide, dv, table, table_size, out_mult, out_shift, lo, hi, out);
}


/// sin(2 pi turn / 2^32) in Q30: the odd Taylor polynomial of degree 11 of sin(pi u / 2) on the quarter turn
/// (u in [0, 1] in Q30; truncation error below 6e-8, the fixed point's below 1e-8).
static inline int32_t mote_sin_q30(uint32_t turn) {
  const uint32_t quadrant = turn >> 30;
  int64_t u = (int64_t)(turn & 0x3FFFFFFFu);
  if (quadrant & 1)
    u = ((int64_t)1 << 30) - u;
  const int64_t u2 = (u * u) >> 30;
  int64_t p = -3864;                // -(pi/2)^11 / 11!, Q30
  p = 172272 + ((p * u2) >> 30);    // (pi/2)^9 / 9!
  p = -5026995 + ((p * u2) >> 30);  // -(pi/2)^7 / 7!
  p = 85569306 + ((p * u2) >> 30);  // (pi/2)^5 / 5!
  p = -693598668 + ((p * u2) >> 30); // -(pi/2)^3 / 3!
  p = 1686629713 + ((p * u2) >> 30); // pi/2
  const int64_t s = (p * u) >> 30;
  return (int32_t)(quadrant & 2 ? -s : s);
}

/// The fraction of a turn (Q0.32) of x * turns * 2^-turn_shift turns, x the f32 of `bits` (finite), exactly:
/// x = m * 2^e, p = m * |turns| (below 2^63), the turn p * 2^(e - turn_shift + 32) modulo 2^32, negated when
/// the product is negative.
static inline uint32_t mote_turn_of_product(uint32_t bits, int64_t turns, int32_t turn_shift) {
  const uint32_t biased = (bits >> 23) & 0xFFu;
  const uint64_t m = biased ? (uint64_t)((bits & 0x7FFFFFu) | 0x800000u) : (uint64_t)(bits & 0x7FFFFFu);
  const int32_t e = biased ? (int32_t)biased - 150 : -149;
  const uint64_t p = m * (uint64_t)(turns < 0 ? -turns : turns);
  const int32_t sh = e - turn_shift + 32;
  const uint32_t t = sh >= 32 ? 0u : sh >= 0 ? (uint32_t)p << sh : -sh >= 64 ? 0u : (uint32_t)(p >> -sh);
  return ((bits >> 31) != 0) != (turns < 0) ? 0u - t : t;
}

/// The fraction of a turn (Q0.32) of t * turns * 2^-turn_shift turns for an integer t, as mote_turn_of_product
/// takes it (the magnitude's turn, negated when the product is negative; so an int64 timestep and the same value
/// as f32 give the same turn), exactly when turn_shift is at most 64: |t| * |turns| modulo 2^64 keeps every bit
/// below the whole turns.
static inline uint32_t mote_turn_of_integer(int64_t t, int64_t turns, int32_t turn_shift) {
  const uint64_t m = (t < 0 ? 0u - (uint64_t)t : (uint64_t)t) * (turns < 0 ? 0u - (uint64_t)turns : (uint64_t)turns);
  const uint32_t u = turn_shift >= 32 ? (uint32_t)(m >> (turn_shift - 32)) : (uint32_t)(m << (32 - turn_shift));
  return (t < 0) != (turns < 0) ? 0u - u : u;
}

/// One value of mote.integer_sinusoid (see ir/MoteOps.td): the sine of x (the f32 of `bits`) times a frequency of
/// turns * 2^-turn_shift turns plus `phase` (Q0.32 turns), requantized from Q30 by mult / shift and clamped to
/// [lo, hi] (int8 or int16); NaN and infinities give the requantized 0.
static inline int32_t mote_sinusoid(uint32_t bits, int64_t turns, int32_t turn_shift, uint32_t phase, int32_t mult,
                                    int32_t shift, int32_t lo, int32_t hi) {
  const int32_t s = ((bits >> 23) & 0xFFu) == 0xFFu ? 0 : mote_sin_q30(mote_turn_of_product(bits, turns, turn_shift) + phase);
  return mote_requantize(s, mult, shift, 0, lo, hi);
}

/// mote_sinusoid of an int64 input t (turn_shift at most 64).
static inline int32_t mote_sinusoid_of_integer(int64_t t, int64_t turns, int32_t turn_shift, uint32_t phase,
                                               int32_t mult, int32_t shift, int32_t lo, int32_t hi) {
  return mote_requantize(mote_sin_q30(mote_turn_of_integer(t, turns, turn_shift) + phase), mult, shift, 0, lo, hi);
}

/// mote.integer_sinusoid's value for input element b and frequency k: x holds f32 bits, or int64 values
/// (`int64_input`).
static inline int32_t mote_sinusoid_at(const void *x, int int64_input, long b, int64_t turns, int32_t turn_shift,
                                       uint32_t phase, int32_t mult, int32_t shift, int32_t lo, int32_t hi) {
  return int64_input ? mote_sinusoid_of_integer(((const int64_t *)x)[b], turns, turn_shift, phase, mult, shift, lo, hi)
                     : mote_sinusoid(((const uint32_t *)x)[b], turns, turn_shift, phase, mult, shift, lo, hi);
}

/// One value of an int16 mote.integer_table: the 513 entries hold the function at -32768 + 128 k; linear between.
static inline int16_t mote_table_i16(int16_t x, const int16_t *table) {
  const int32_t u = (int32_t)x + 32768, i = u >> 7, f = u & 127;
  const int32_t a = table[i], b = table[i + 1];
  return (int16_t)(a + (((b - a) * f + 64) >> 7));
}

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_INTEGERMATH_H
