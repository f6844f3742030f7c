// The fixed-point arithmetic the Hexagon kernels and the reference target share (runtime/integer/IntegerMath.h),
// against double precision: the square root exactly, the reciprocal square root to 16 bits, a normalized row and
// an attention row within the int8 output's rounding of the float computation, and the sine of a float times a
// frequency (a diffusion time embedding) to 2^-23 however large the angle.
#include "runtime/integer/IntegerMath.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

namespace {

TEST(IntegerMath, IsqrtIsTheFloorOfTheSquareRoot) {
  std::mt19937_64 rng(7);
  std::vector<uint64_t> values = {0, 1, 2, 3, 4, 15, 16, 17, (uint64_t(1) << 32) - 1, uint64_t(1) << 32, ~uint64_t(0)};
  for (int k = 0; k < 10000; ++k)
    values.push_back(rng() >> (rng() % 64));
  for (uint64_t v : values) {
    const uint64_t r = mote_isqrt64(v);
    EXPECT_LE(r * r, v) << v;
    const unsigned __int128 next = static_cast<unsigned __int128>(r + 1) * (r + 1);
    EXPECT_GT(next, static_cast<unsigned __int128>(v)) << v;
  }
}

TEST(IntegerMath, RsqrtKeepsSixteenBits) {
  std::mt19937_64 rng(11);
  for (int k = 0; k < 20000; ++k) {
    const uint64_t v = (rng() >> (rng() % 63)) | 1;
    int32_t e = 0;
    const uint32_t r = mote_rsqrt_fixed(v, &e);
    EXPECT_GT(r, 1u << 15);
    EXPECT_LE(r, 1u << 16);
    const double approx = std::ldexp(static_cast<double>(r), -(16 + e)), exact = 1.0 / std::sqrt(static_cast<double>(v));
    EXPECT_NEAR(approx / exact, 1.0, 1.0 / 16384.0) << v;
  }
}

/// A layer-norm row of `count` random values (int8, or int16 for w8a16) encoded as mote-quantize-activations
/// encodes it (scale sx in, sy out; gains below 2^30; the squares shifted so that their sum stays below 2^62),
/// against the float result: within `slack` steps plus `relative` of the value
/// (r's 16 bits).
template <typename T>
void checkNormRow(int count, double sx, double sy, double slack, double relative, unsigned seed) {
  const bool wide = sizeof(T) == 2;
  const int qmax = wide ? 32767 : 127;
  const double eps = 1e-5;
  std::mt19937 rng(seed);
  std::vector<T> x(count), y(count);
  std::vector<double> gamma(count), beta(count);
  std::uniform_int_distribution<int> q(-qmax, qmax);
  std::uniform_real_distribution<double> u(-1.0, 1.0);
  for (int k = 0; k < count; ++k)
    x[k] = static_cast<T>(q(rng)), gamma[k] = 0.5 + 0.3 * u(rng), beta[k] = 0.2 * u(rng);
  double largest = 0.0;
  for (int k = 0; k < count; ++k)
    largest = std::max(largest, std::abs(std::sqrt(count) * gamma[k] / sy));
  int frac = 0;
  while (largest * std::ldexp(1.0, frac + 1) < std::ldexp(1.0, 30) - 1.0)
    ++frac;
  int shift = 0; // count * (2 * count * (qmax + 1) / 2^shift)^2 below 2^62
  while (count * std::pow(std::ldexp(2.0 * count * (qmax + 1), -shift), 2) >= std::ldexp(1.0, 62))
    ++shift;
  std::vector<int32_t> gain(count), bias(count);
  for (int k = 0; k < count; ++k) {
    gain[k] = static_cast<int32_t>(std::nearbyint(std::sqrt(count) * gamma[k] / sy * std::ldexp(1.0, frac)));
    bias[k] = static_cast<int32_t>(std::nearbyint(beta[k] / sy * 256.0));
  }
  const uint64_t epsQ = static_cast<uint64_t>(
      std::nearbyint(eps * count * double(count) * count / (sx * sx) / std::ldexp(1.0, 2 * shift)));
  mote_norm_row(x.data(), wide ? 1 : 0, count, 1, shift, epsQ, gain.data(), bias.data(), frac, -qmax, qmax,
                y.data());
  double mean = 0.0, var = 0.0;
  for (int k = 0; k < count; ++k)
    mean += sx * x[k] / count;
  for (int k = 0; k < count; ++k)
    var += (sx * x[k] - mean) * (sx * x[k] - mean) / count;
  for (int k = 0; k < count; ++k) {
    const double f = (sx * x[k] - mean) / std::sqrt(var + eps) * gamma[k] + beta[k];
    const double expected = std::max<double>(-qmax, std::min<double>(qmax, f / sy));
    ASSERT_NEAR(y[k], expected, slack + std::abs(expected) * relative) << "count " << count << " k " << k;
  }
}

TEST(IntegerMath, NormRowMatchesTheFloatLayerNorm) {
  for (int count : {4, 37, 768, 8192, 32768, 65536, 1 << 20}) // 1 << 20: a 512x512 VAE group norm's rows
    checkNormRow<int8_t>(count, 0.03, 0.02, 0.51, 1.0 / 4096.0, 3);
}

/// int16 (w8a16): the rounding, r's 16 bits, and the floors of n, u and the bias (each below 1/64 of a step).
TEST(IntegerMath, Int16NormRowMatchesTheFloatLayerNorm) {
  for (int count : {4, 37, 768, 4096, 32768, 65536, 1 << 20})
    checkNormRow<int16_t>(count, 3e-4, 2e-4, 0.55, 1.0 / 16384.0, 17);
}

/// Attention rows (Sk keys, d = 8) of `T` (int8, or int16 at 256 times finer scales: the same real values)
/// against softmax in double: within `tolerance` steps, the logits' 1/128 rounding.
template <typename T> void checkAttentionRow(double tolerance, unsigned seed) {
  const bool wide = sizeof(T) == 2;
  const int qmax = wide ? 32767 : 127, d = 8;
  const double unit = wide ? 1.0 / 256.0 : 1.0;
  const double sq = 0.02 * unit, sk = 0.02 * unit, sv = 0.01 * unit, so = 0.01 * unit, scale = 0.35;
  std::mt19937 rng(seed);
  std::vector<int32_t> table;
  const double step = 1.0 / 128.0;
  for (int k = 0;; ++k) {
    table.push_back(static_cast<int32_t>(std::nearbyint(65536.0 * std::exp(-k * step))));
    if (table.back() == 0)
      break;
  }
  // logit multiplier: sq * sk * scale / step (0.5734 * 2^-5 for int8); output: sv / (so * 2^15) = 0.5 * 2^-14.
  int exponent;
  const double fraction = std::frexp(sq * sk * scale / step, &exponent);
  const int32_t lm = static_cast<int32_t>(std::nearbyint(fraction * 65536.0)), ls = -exponent;
  for (int n : {1, 3, 77, 1000, 4096}) {
    std::vector<T> q(d), k(n * d), v(n * d), out(d);
    std::vector<int32_t> mask(n), logits(n);
    std::uniform_int_distribution<int> qd(-qmax, qmax);
    for (auto &x : q)
      x = static_cast<T>(qd(rng));
    for (auto &x : k)
      x = static_cast<T>(qd(rng));
    for (auto &x : v)
      x = static_cast<T>(qd(rng));
    for (int j = 0; j < n; ++j)
      mask[j] = j % 3 == 2 ? -(1 << 24) : 0; // every third key masked out
    if (n == 1)
      mask[0] = 0;
    mote_attention_row(q.data(), k.data(), v.data(), wide ? 1 : 0, n, d, d, mask.data(), table.data(),
                       static_cast<int32_t>(table.size()), lm, ls, 32768, 14, -qmax, qmax, logits.data(), out.data());
    std::vector<double> p(n);
    double top = -1e300, sum = 0.0;
    for (int j = 0; j < n; ++j) {
      double s = 0.0;
      for (int c = 0; c < d; ++c)
        s += sq * q[c] * sk * k[j * d + c];
      p[j] = mask[j] ? -1e300 : s * scale;
      top = std::max(top, p[j]);
    }
    for (int j = 0; j < n; ++j)
      sum += p[j] = mask[j] ? 0.0 : std::exp(p[j] - top);
    for (int c = 0; c < d; ++c) {
      double o = 0.0;
      for (int j = 0; j < n; ++j)
        o += p[j] / sum * sv * v[j * d + c];
      EXPECT_NEAR(out[c], std::max<double>(-qmax, std::min<double>(qmax, o / so)), tolerance)
          << "keys " << n << " channel " << c;
    }
  }
}

/// int8: within one step plus the logits' 1/128 rounding.
TEST(IntegerMath, AttentionRowMatchesTheFloatSoftmax) { checkAttentionRow<int8_t>(1.5, 5); }

/// int16 (w8a16, exact int64 dot products): the same real tolerance, 1.5 * 256 int16 steps.
TEST(IntegerMath, Int16AttentionRowMatchesTheFloatSoftmax) { checkAttentionRow<int16_t>(1.5 * 256, 19); }

/// Long rows keep the softmax's whole mass: over 32768 keys, half at the row's maximum and half 64 steps below
/// (mask), every value 127, the output is 127 (a floor per Q15 weight would lose half the mass here: 64).
TEST(IntegerMath, AttentionRowKeepsTheMassOverLongRows) {
  const int n = 32768, d = 4;
  std::vector<int32_t> table;
  for (int k = 0;; ++k) {
    table.push_back(static_cast<int32_t>(std::nearbyint(65536.0 * std::exp(-k / 128.0))));
    if (table.back() == 0)
      break;
  }
  std::vector<int8_t> q(d, 0), k(static_cast<size_t>(n) * d, 0), v(static_cast<size_t>(n) * d, 127), out(d);
  std::vector<int32_t> mask(n), logits(n);
  for (int j = 0; j < n; ++j)
    mask[j] = j % 2 ? -64 : 0;
  mote_attention_row(q.data(), k.data(), v.data(), 0, n, d, d, mask.data(), table.data(),
                        static_cast<int32_t>(table.size()), 32768, 0, 32768, 14, -127, 127, logits.data(), out.data());
  for (int c = 0; c < d; ++c)
    EXPECT_NEAR(out[c], 127, 1) << c;
}

/// The quarter-turn polynomial over the whole turn: within 2^-23 of the sine.
TEST(IntegerMath, SineKeepsTwentyThreeBits) {
  std::mt19937 rng(5);
  std::vector<uint32_t> turns = {0, 1u << 30, 1u << 31, 3u << 30, 0xFFFFFFFFu, (1u << 30) - 1, (1u << 30) + 1};
  for (int k = 0; k < 100000; ++k)
    turns.push_back(static_cast<uint32_t>(rng()));
  for (uint32_t t : turns) {
    const double exact = std::sin(2.0 * M_PI * std::ldexp(static_cast<double>(t), -32));
    EXPECT_NEAR(std::ldexp(static_cast<double>(mote_sin_q30(t)), -30), exact, std::ldexp(1.0, -23)) << t;
  }
}

/// A timestep times a diffusion model's frequencies, encoded as mote-quantize-activations encodes them (turns in
/// [2^38, 2^39)): the angle exact to the encoding's 2^-39 (relative) and the turn's 2^-32, then int8 at 1/127.
TEST(IntegerMath, SinusoidOfLargeAnglesMatchesTheFloatSine) {
  const double scale = 1.0 / 127.0;
  int exponent;
  const double fraction = std::frexp(1.0 / (scale * std::ldexp(1.0, 30)), &exponent);
  const auto mult = static_cast<int32_t>(std::nearbyint(fraction * 65536.0)), shift = -exponent;
  const float denormal = std::ldexp(1.0f, -140);
  for (float x : {0.0f, 1.0f, 0.5f, 999.0f, 1000.0f, -3.25f, 1e-3f, 123456.0f, 1e6f, denormal, -0.0f}) {
    for (int k = 0; k < 16; ++k) {
      for (uint32_t phase : {0u, 1u << 30}) {
        const double f = std::exp(-std::log(10000.0) * k / 16.0) * (k == 5 ? -1.0 : 1.0), t = f / (2.0 * M_PI);
        int e;
        std::frexp(std::abs(t), &e);
        const int turnShift = 39 - e;
        const auto turns = static_cast<int64_t>(std::nearbyint(std::ldexp(std::abs(t), turnShift))) * (t < 0 ? -1 : 1);
        uint32_t bits;
        std::memcpy(&bits, &x, sizeof bits);
        const double angle = static_cast<double>(x) * f + (phase ? M_PI / 2.0 : 0.0);
        const double tolerance = std::ldexp(1.0, -23) + 2.0 * M_PI * (std::abs(angle) * std::ldexp(1.0, -38) +
                                                                      std::ldexp(1.0, -32));
        const double s = std::ldexp(static_cast<double>(mote_sin_q30(mote_turn_of_product(bits, turns, turnShift) + phase)),
                                    -30);
        EXPECT_NEAR(s, std::sin(angle), tolerance) << "x " << x << " k " << k << " phase " << phase;
        const int32_t q = mote_sinusoid(bits, turns, turnShift, phase, mult, shift, -127, 127);
        EXPECT_NEAR(q, std::sin(angle) / scale, 0.5 + 1e-3) << "x " << x << " k " << k << " phase " << phase;
      }
    }
  }
  // NaN and infinities give 0.
  for (uint32_t bits : {0x7FC00000u, 0x7F800000u, 0xFF800000u})
    EXPECT_EQ(mote_sinusoid(bits, int64_t(1) << 38, 40, 1u << 30, mult, shift, -127, 127), 0);
}

/// An int64 timestep (optimum's exports): the turn of t * turns * 2^-turn_shift equals the exact product's bits
/// (a 128-bit product of the magnitudes on the host, negated for a negative product) for timesteps of any size,
/// negative frequencies and shifts up to 64, and equals the f32 path's turn where the timestep is an exact f32.
TEST(IntegerMath, TurnOfAnIntegerIsExact) {
  std::mt19937_64 rng(11);
  for (int k = 0; k < 200000; ++k) {
    const int64_t t = static_cast<int64_t>(rng()) >> (rng() % 64);
    const int64_t turns = static_cast<int64_t>((rng() >> 25) | (uint64_t(1) << 38)) * (rng() & 1 ? -1 : 1);
    const auto shift = static_cast<int32_t>(rng() % 65);
    const __int128 p = static_cast<__int128>(t) * turns;
    const auto magnitude = static_cast<unsigned __int128>(p < 0 ? -p : p);
    const auto u = static_cast<uint32_t>(magnitude >> (shift >= 32 ? shift - 32 : 0) << (shift >= 32 ? 0 : 32 - shift));
    const uint32_t expected = p < 0 ? 0u - u : u;
    ASSERT_EQ(mote_turn_of_integer(t, turns, shift), expected) << t << " " << turns << " " << shift;
    if (t > -(int64_t(1) << 24) && t < (int64_t(1) << 24) && shift >= 39) {
      const float x = static_cast<float>(t);
      uint32_t bits;
      std::memcpy(&bits, &x, sizeof bits);
      ASSERT_EQ(mote_turn_of_integer(t, turns, shift), mote_turn_of_product(bits, turns, shift)) << t;
    }
  }
}

/// The int16 table (w8a16): exact at its 513 entries, and within one step of the straight line between them.
TEST(IntegerMath, Int16TableInterpolatesBetweenEntries) {
  std::vector<int16_t> table(513);
  for (int k = 0; k < 513; ++k) // a smooth function of x = -32768 + 128 k: 20000 tanh(x / 8192)
    table[k] = static_cast<int16_t>(std::nearbyint(20000.0 * std::tanh((-32768.0 + 128.0 * k) / 8192.0)));
  for (int32_t x = -32768; x <= 32767; ++x) {
    const int k = (x + 32768) / 128, f = (x + 32768) % 128;
    const double line = table[k] + (table[k + 1] - table[k]) * (f / 128.0);
    const int16_t y = mote_table_i16(static_cast<int16_t>(x), table.data());
    ASSERT_NEAR(y, line, 0.5 + 1e-9) << x;
    if (f == 0) {
      ASSERT_EQ(y, table[k]) << x;
    }
  }
}

/// The int64 requantization of int16 layers' sums against double: floor(acc * mult / 2^16), then the rounding
/// shift, clamped.
TEST(IntegerMath, Requantize64MatchesDouble) {
  std::mt19937_64 rng(13);
  for (int k = 0; k < 100000; ++k) {
    const int64_t acc = static_cast<int64_t>(rng() >> 18) - (int64_t(1) << 45); // |acc| < 2^46
    const int32_t mult = static_cast<int32_t>(rng() % 65536), shift = static_cast<int32_t>(rng() % 32);
    const long double t = std::floor(static_cast<long double>(acc) * mult / 65536.0L);
    const long double y = shift ? std::floor((t + std::ldexp(1.0L, shift - 1)) / std::ldexp(1.0L, shift)) : t;
    const long double expected = std::max<long double>(-32767, std::min<long double>(32767, y));
    ASSERT_EQ(mote_requantize64(acc, mult, shift, -32767, 32767), static_cast<int32_t>(expected))
        << acc << " " << mult << " " << shift;
  }
}

} // namespace
