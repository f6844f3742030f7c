// codegen::halfBits (f32 weights stored as f16) against LLVM's APFloat conversion (round to nearest even),
// saturated to the finite range, over every exponent and a spread of mantissas, ties and subnormals included.
#include "codegen/WeightsWriter.h"

#include "llvm/ADT/APFloat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

namespace {

uint16_t reference(float f) {
  if (!std::isnan(f))
    f = std::min(std::max(f, -65504.0f), 65504.0f);
  llvm::APFloat h(f);
  bool lost;
  h.convert(llvm::APFloat::IEEEhalf(), llvm::APFloat::rmNearestTiesToEven, &lost);
  return static_cast<uint16_t>(h.bitcastToAPInt().getZExtValue());
}

TEST(HalfBits, MatchesApFloatEverywhere) {
  int64_t checked = 0;
  // Every 4093rd bit pattern (a prime stride reaches every exponent, both signs and all low mantissa bits).
  for (uint64_t x = 0; x <= 0xffffffffull; x += 4093) {
    uint32_t bits = static_cast<uint32_t>(x);
    float f;
    std::memcpy(&f, &bits, 4);
    if (std::isnan(f)) {
      EXPECT_EQ(mote::halfBits(f) & 0x7e00u, 0x7e00u) << std::hex << bits; // a quiet NaN
      continue;
    }
    ASSERT_EQ(mote::halfBits(f), reference(f)) << std::hex << bits;
    ++checked;
  }
  // Ties at every half exponent, normal and subnormal: the bit below the kept mantissa set, the rest zero.
  for (uint32_t e = 100; e < 145; ++e)
    for (uint32_t m : {0x1000u, 0x3000u, 0x2000u, 0x6000u, 0x7fe000u, 0x7ff000u})
      for (uint32_t sign : {0u, 0x80000000u}) {
        uint32_t bits = sign | (e << 23) | m;
        float f;
        std::memcpy(&f, &bits, 4);
        ASSERT_EQ(mote::halfBits(f), reference(f)) << std::hex << bits;
        ++checked;
      }
  EXPECT_GT(checked, 1000000);
  EXPECT_EQ(mote::halfBits(INFINITY), 0x7bffu);
  EXPECT_EQ(mote::halfBits(-1e9f), 0xfbffu);
  EXPECT_EQ(mote::halfBits(65519.0f), 0x7bffu);
}

} // namespace
