// Unit tests of the serialization factor (passes/SerializationFactor): the factor chosen is the smallest
// that fits, checked against an independent brute force, and its slices rebuild the convolution.
#include "passes/SerializationUtils.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <numeric>
#include <random>

using namespace mote;

namespace {

// --- An independent model of what each slice touches: enumeration, not the planner's formulas. ---

// Output rows of a 1-D window: count the window starts that fit in the padded extent.
int64_t countOutputs(int64_t in, int64_t k, int64_t s, int64_t pb, int64_t pe, int64_t d) {
  int64_t n = 0;
  for (int64_t start = -pb; start + (k - 1) * d + 1 <= in + pe; start += s)
    ++n;
  return n;
}

int64_t outH(const ConvGeometry &g) {
  return countOutputs(g.inHeight, g.kernelHeight, g.strideH, g.padTop, g.padBottom, g.dilationH);
}
int64_t outW(const ConvGeometry &g) {
  return countOutputs(g.inWidth, g.kernelWidth, g.strideW, g.padLeft, g.padRight, g.dilationW);
}

// `factor` sizes summing to `extent`, the larger ones first, differing by at most one.
std::vector<int64_t> shares(int64_t extent, int64_t factor) {
  std::vector<int64_t> sizes(factor, 0);
  for (int64_t i = 0; i < extent; ++i)
    ++sizes[i % factor];
  return sizes;
}

// The input rows output rows [r0, r1) touch, by enumerating every kernel tap: {lowest, highest}
// unclipped, so the caller sees padding too.
std::pair<int64_t, int64_t> touchedRows(const ConvGeometry &g, int64_t r0, int64_t r1) {
  int64_t lo = INT64_MAX, hi = INT64_MIN;
  for (int64_t r = r0; r < r1; ++r)
    for (int64_t t = 0; t < g.kernelHeight; ++t) {
      int64_t row = r * g.strideH - g.padTop + t * g.dilationH;
      lo = std::min(lo, row);
      hi = std::max(hi, row);
    }
  return {lo, hi};
}

bool heightFits(const ConvGeometry &g, int64_t factor, int64_t maxBytes, int64_t eb) {
  int64_t oh = outH(g), ow = outW(g);
  if (factor > oh)
    return false;
  int64_t weight = g.outChannels * (g.inChannels / g.group) * g.kernelHeight * g.kernelWidth * eb;
  if (weight > maxBytes)
    return false;
  int64_t r0 = 0;
  for (int64_t rows : shares(oh, factor)) {
    auto [lo, hi] = touchedRows(g, r0, r0 + rows);
    int64_t inRows = std::min(hi + 1, g.inHeight) - std::max(lo, int64_t(0));
    if (inRows <= 0)
      return false;
    if (g.batch * g.inChannels * inRows * g.inWidth * eb > maxBytes)
      return false;
    if (g.batch * g.outChannels * rows * ow * eb > maxBytes)
      return false;
    r0 += rows;
  }
  return true;
}

bool channelsFit(const ConvGeometry &g, int64_t factor, int64_t maxBytes, int64_t eb) {
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  if (factor > units)
    return false;
  int64_t oh = outH(g), ow = outW(g);
  for (int64_t n : shares(units, factor)) {
    int64_t outChannels = n * (g.outChannels / units);
    int64_t inChannels = g.group == 1 ? g.inChannels : n * (g.inChannels / g.group);
    if (g.batch * inChannels * g.inHeight * g.inWidth * eb > maxBytes)
      return false;
    if (g.batch * outChannels * oh * ow * eb > maxBytes)
      return false;
    if (outChannels * (g.inChannels / g.group) * g.kernelHeight * g.kernelWidth * eb > maxBytes)
      return false;
  }
  return true;
}

// What the plan must be, by trying every factor on both axes, then every two-level plan.
struct Expected {
  SerializationAxis axis;
  int64_t factor;
  std::vector<int64_t> inner; // two-level plans: each channel slice's own factor
  int64_t total() const {
    return inner.empty() ? factor : std::accumulate(inner.begin(), inner.end(), int64_t(0));
  }
};

std::optional<Expected> bruteForceSingle(const ConvGeometry &g, int64_t maxBytes, int64_t eb) {
  int64_t oh = outH(g), ow = outW(g);
  int64_t in = g.batch * g.inChannels * g.inHeight * g.inWidth * eb;
  int64_t out = g.batch * g.outChannels * oh * ow * eb;
  int64_t weight = g.outChannels * (g.inChannels / g.group) * g.kernelHeight * g.kernelWidth * eb;
  if (in <= maxBytes && out <= maxBytes && weight <= maxBytes)
    return Expected{SerializationAxis::None, 1, {}};
  for (int64_t f = 2; f <= std::max(oh, g.outChannels); ++f) {
    if (heightFits(g, f, maxBytes, eb))
      return Expected{SerializationAxis::Height, f, {}};
    if (channelsFit(g, f, maxBytes, eb))
      return Expected{SerializationAxis::Channels, f, {}};
  }
  return std::nullopt;
}

// The convolution of the k-th of `factor` channel slices, built here from the shares.
std::vector<ConvGeometry> channelPieces(const ConvGeometry &g, int64_t factor) {
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  std::vector<ConvGeometry> pieces;
  for (int64_t n : shares(units, factor)) {
    ConvGeometry p = g;
    p.outChannels = n * (g.outChannels / units);
    p.inChannels = g.group == 1 ? g.inChannels : n * (g.inChannels / g.group);
    p.group = g.group == 1 ? 1 : n;
    pieces.push_back(p);
  }
  return pieces;
}

std::optional<Expected> bruteForce(const ConvGeometry &g, int64_t maxBytes, int64_t eb) {
  if (std::optional<Expected> single = bruteForceSingle(g, maxBytes, eb))
    return single;
  std::optional<Expected> best;
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  for (int64_t fc = 2; fc <= units; ++fc) {
    Expected e{SerializationAxis::Channels, fc, {}};
    for (const ConvGeometry &piece : channelPieces(g, fc)) {
      std::optional<Expected> inner = bruteForceSingle(piece, maxBytes, eb);
      if (!inner) {
        e.inner.clear();
        break;
      }
      e.inner.push_back(inner->factor);
    }
    if (!e.inner.empty() && (!best || e.total() < best->total()))
      best = e;
  }
  return best;
}

// A 1-D convolution along the height of one channel and one column: what the slices must reproduce.
std::vector<double> conv1d(const std::vector<double> &x, const std::vector<double> &w, int64_t s, int64_t pb,
                           int64_t pe, int64_t d) {
  std::vector<double> y;
  int64_t k = w.size(), in = x.size();
  for (int64_t start = -pb; start + (k - 1) * d + 1 <= in + pe; start += s) {
    double acc = 0;
    for (int64_t t = 0; t < k; ++t) {
      int64_t i = start + t * d;
      if (i >= 0 && i < in)
        acc += x[i] * w[t];
    }
    y.push_back(acc);
  }
  return y;
}

// Checks the plan's slices: they cover the output once, read the halo a direct computation gives, pad
// only past the real border, and (along the height) rebuild a convolution exactly.
void checkSlices(const ConvGeometry &g, const SerializationPlan &plan, int64_t maxBytes, int64_t eb) {
  ASSERT_EQ(int64_t(plan.slices.size()), plan.factor);
  int64_t next = 0;
  if (plan.axis == SerializationAxis::Height) {
    int64_t oh = outH(g), keff = (g.kernelHeight - 1) * g.dilationH + 1;
    std::mt19937 rng(7);
    std::uniform_real_distribution<double> value(-1, 1);
    std::vector<double> x(g.inHeight), w(g.kernelHeight);
    for (double &v : x)
      v = value(rng);
    for (double &v : w)
      v = value(rng);
    std::vector<double> full = conv1d(x, w, g.strideH, g.padTop, g.padBottom, g.dilationH);
    ASSERT_EQ(int64_t(full.size()), oh);
    for (const ConvSlice &s : plan.slices) {
      EXPECT_EQ(s.outBegin, next) << "slices must be contiguous, in order";
      EXPECT_LT(s.outBegin, s.outEnd);
      next = s.outEnd;
      // The halo: the clipped interval of rows the slice's windows span.
      int64_t first = s.outBegin * g.strideH - g.padTop, last = (s.outEnd - 1) * g.strideH - g.padTop + keff;
      EXPECT_EQ(s.inBegin, std::clamp<int64_t>(first, 0, g.inHeight));
      EXPECT_EQ(s.inEnd, std::clamp<int64_t>(last, 0, g.inHeight));
      // Every row a tap touches inside the input is read.
      auto [lo, hi] = touchedRows(g, s.outBegin, s.outEnd);
      EXPECT_LE(s.inBegin, std::max<int64_t>(lo, 0));
      EXPECT_GE(s.inEnd, std::min<int64_t>(hi + 1, g.inHeight));
      // Padding only past the real border, never more than the convolution's own.
      EXPECT_EQ(s.padTop, std::max<int64_t>(0, -first));
      EXPECT_EQ(s.padBottom, std::max<int64_t>(0, last - g.inHeight));
      EXPECT_LE(s.padTop, g.padTop);
      EXPECT_LE(s.padBottom, g.padBottom);
      if (s.outBegin > 0 && s.outBegin * g.strideH >= g.padTop) {
        EXPECT_EQ(s.padTop, 0);
      }
      // The slice's convolution gives exactly its rows, with the same numbers.
      std::vector<double> part(x.begin() + s.inBegin, x.begin() + s.inEnd);
      std::vector<double> y = conv1d(part, w, g.strideH, s.padTop, s.padBottom, g.dilationH);
      ASSERT_EQ(int64_t(y.size()), s.outEnd - s.outBegin);
      for (int64_t r = s.outBegin; r < s.outEnd; ++r)
        EXPECT_EQ(y[r - s.outBegin], full[r]) << "row " << r;
      EXPECT_EQ(s.group, g.group);
      // The sizes it reports are the sizes of what it touches.
      EXPECT_EQ(s.inputBytes, g.batch * g.inChannels * (s.inEnd - s.inBegin) * g.inWidth * eb);
      EXPECT_EQ(s.outputBytes, g.batch * g.outChannels * (s.outEnd - s.outBegin) * outW(g) * eb);
      EXPECT_LE(std::max({s.inputBytes, s.outputBytes, s.weightBytes}), maxBytes);
    }
    EXPECT_EQ(next, oh);
  } else {
    int64_t perGroupOut = g.outChannels / g.group, perGroupIn = g.inChannels / g.group;
    int64_t groups = 0;
    for (const ConvSlice &s : plan.slices) {
      EXPECT_EQ(s.outBegin, next);
      EXPECT_LT(s.outBegin, s.outEnd);
      next = s.outEnd;
      if (g.group == 1) {
        EXPECT_EQ(s.inBegin, 0);
        EXPECT_EQ(s.inEnd, g.inChannels);
        EXPECT_EQ(s.group, 1);
      } else {
        // Whole groups: the slice's output channels are its groups', and it reads their inputs.
        EXPECT_EQ(s.outBegin % perGroupOut, 0);
        EXPECT_EQ(s.outEnd % perGroupOut, 0);
        EXPECT_EQ(s.group, (s.outEnd - s.outBegin) / perGroupOut);
        EXPECT_EQ(s.inBegin, s.outBegin / perGroupOut * perGroupIn);
        EXPECT_EQ(s.inEnd, s.outEnd / perGroupOut * perGroupIn);
        groups += s.group;
      }
      EXPECT_EQ(s.weightBytes, (s.outEnd - s.outBegin) * perGroupIn * g.kernelHeight * g.kernelWidth * eb);
      // A slice that is cut again need not fit itself.
      if (s.innerFactor == 1) {
        EXPECT_LE(std::max({s.inputBytes, s.outputBytes, s.weightBytes}), maxBytes);
      }
    }
    EXPECT_EQ(next, g.outChannels);
    if (g.group > 1) {
      EXPECT_EQ(groups, g.group);
    }
  }
}

// Plans `g` and compares with the brute force; returns the plan for further checks.
std::optional<SerializationPlan> planAndCheck(const ConvGeometry &g, int64_t maxBytes, int64_t eb) {
  std::optional<SerializationPlan> plan = planConvSerialization(g, maxBytes, eb);
  std::optional<Expected> expected = bruteForce(g, maxBytes, eb);
  EXPECT_EQ(plan.has_value(), expected.has_value());
  if (!plan || !expected)
    return plan;
  EXPECT_EQ(plan->axis, expected->axis);
  EXPECT_EQ(plan->factor, expected->factor);
  EXPECT_EQ(plan->convolutions(), expected->total());
  EXPECT_EQ(plan->inputBytes, g.batch * g.inChannels * g.inHeight * g.inWidth * eb);
  EXPECT_EQ(plan->outputBytes, g.batch * g.outChannels * outH(g) * outW(g) * eb);
  if (plan->axis == SerializationAxis::None) {
    EXPECT_TRUE(plan->slices.empty());
    return plan;
  }
  bool twoLevel = !expected->inner.empty();
  if (!twoLevel) {
    // The chosen factor fits; every smaller one fails on both axes.
    EXPECT_TRUE(plan->axis == SerializationAxis::Height ? heightFits(g, plan->factor, maxBytes, eb)
                                                        : channelsFit(g, plan->factor, maxBytes, eb));
    for (int64_t f = 2; f < plan->factor; ++f) {
      EXPECT_FALSE(heightFits(g, f, maxBytes, eb)) << "height factor " << f << " fits too";
      EXPECT_FALSE(channelsFit(g, f, maxBytes, eb)) << "channel factor " << f << " fits too";
    }
  } else {
    // Two levels only when no single factor fits at all; each slice's own plan is its smallest.
    for (int64_t f = 2; f <= std::max(outH(g), g.outChannels); ++f) {
      EXPECT_FALSE(heightFits(g, f, maxBytes, eb)) << "height factor " << f << " fits";
      EXPECT_FALSE(channelsFit(g, f, maxBytes, eb)) << "channel factor " << f << " fits";
    }
    std::vector<ConvGeometry> pieces = channelPieces(g, plan->factor);
    for (size_t k = 0; k < plan->slices.size() && k < pieces.size(); ++k) {
      EXPECT_EQ(plan->slices[k].innerFactor, expected->inner[k]);
      ConvGeometry own = sliceGeometry(g, SerializationAxis::Channels, plan->slices[k]);
      EXPECT_EQ(own.inChannels, pieces[k].inChannels);
      EXPECT_EQ(own.outChannels, pieces[k].outChannels);
      EXPECT_EQ(own.group, pieces[k].group);
    }
  }
  checkSlices(g, *plan, maxBytes, eb);
  return plan;
}

ConvGeometry geometry(int64_t n, int64_t c, int64_t h, int64_t w, int64_t m, int64_t k, int64_t stride = 1,
                      int64_t pad = 0, int64_t dilation = 1, int64_t group = 1) {
  ConvGeometry g;
  g.batch = n;
  g.inChannels = c;
  g.inHeight = h;
  g.inWidth = w;
  g.outChannels = m;
  g.kernelHeight = g.kernelWidth = k;
  g.strideH = g.strideW = stride;
  g.padTop = g.padLeft = g.padBottom = g.padRight = pad;
  g.dilationH = g.dilationW = dilation;
  g.group = group;
  return g;
}

} // namespace

TEST(SerializationFactor, EvenRanges) {
  EXPECT_EQ(evenRanges(10, 4), (std::vector<std::pair<int64_t, int64_t>>{{0, 3}, {3, 6}, {6, 8}, {8, 10}}));
  EXPECT_EQ(evenRanges(8, 1), (std::vector<std::pair<int64_t, int64_t>>{{0, 8}}));
  EXPECT_EQ(evenRanges(3, 3), (std::vector<std::pair<int64_t, int64_t>>{{0, 1}, {1, 2}, {2, 3}}));
}

TEST(SerializationFactor, FitsOrNoLimit) {
  ConvGeometry g = geometry(1, 4, 16, 16, 8, 3, 1, 1);
  // Output 8x16x16 f32 = 8192 bytes, input 4096: exactly at the limit is a fit.
  auto plan = planAndCheck(g, 8192, 4);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::None);
  EXPECT_EQ(plan->factor, 1);
  plan = planConvSerialization(g, 0, 4);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::None);
}

TEST(SerializationFactor, HeightWithHalo) {
  // 3x3, pad 1: 8192-byte output into 4096 needs two halves of 8 rows, each reading 9 input rows
  // (9 x 16 x 4 ch x 4 B = 2304 bytes).
  ConvGeometry g = geometry(1, 4, 16, 16, 8, 3, 1, 1);
  auto plan = planAndCheck(g, 4096, 4);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::Height);
  EXPECT_EQ(plan->factor, 2);
  EXPECT_EQ(plan->slices[0].inBegin, 0);
  EXPECT_EQ(plan->slices[0].inEnd, 9);
  EXPECT_EQ(plan->slices[0].padTop, 1);
  EXPECT_EQ(plan->slices[0].padBottom, 0);
  EXPECT_EQ(plan->slices[1].inBegin, 7);
  EXPECT_EQ(plan->slices[1].inEnd, 16);
  EXPECT_EQ(plan->slices[1].padTop, 0);
  EXPECT_EQ(plan->slices[1].padBottom, 1);
  // One more byte over: 2 halves of 8 rows output 4096 bytes each, so a 4095 limit needs 3.
  plan = planAndCheck(g, 4095, 4);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->factor, 3);
}

TEST(SerializationFactor, ChannelsWhenWeightsAreTooBig) {
  // 64x64x3x3 weight at f16 = 73728 bytes; activations are small. Height cannot help.
  ConvGeometry g = geometry(1, 64, 4, 4, 64, 3, 1, 1);
  auto plan = planAndCheck(g, 32768, 2);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::Channels);
  EXPECT_EQ(plan->factor, 3);
}

TEST(SerializationFactor, GroupedChannelsAlignWithGroups) {
  // Depthwise, 32 channels, a single output row: only channel slices can help.
  ConvGeometry g = geometry(1, 32, 3, 64, 32, 3, 1, 0, 1, 32);
  auto plan = planAndCheck(g, 4096, 4);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::Channels);
  // Input 32 x 3 x 64 x 4 = 24576 bytes, 768 per group: at most 5 whole groups per slice, so 7 slices.
  EXPECT_EQ(plan->factor, 7);
  // A grouped convolution with 2 groups cannot be cut into more than 2 slices.
  ConvGeometry two = geometry(1, 64, 1, 64, 64, 1, 1, 0, 1, 2);
  EXPECT_FALSE(planAndCheck(two, 4096, 4).has_value());
}

TEST(SerializationFactor, ImpossibleWhenOneRowAndItsHaloDoNotFit) {
  // One output row of a 3x3 reads 3 input rows: 3 x 64 x 256 x 2 bytes > 65536 at any factor, even
  // after channel slicing (channel slices of a group == 1 convolution each read the whole input).
  ConvGeometry g = geometry(1, 64, 64, 256, 64, 3, 1, 1);
  EXPECT_FALSE(planAndCheck(g, 65536, 2).has_value());
}

// A fully connected layer as a 1x1 convolution ([N, K, T, 1], as mote-fc-to-conv2d makes it): the
// input (8192 bytes in f16) is too big for channel slices and the weight (8192) for row slices, so
// neither axis alone fits; two channel slices each cut into two row slices do, 4 convolutions in all.
TEST(SerializationFactor, TwoLevelsWhenNeitherAxisAloneFits) {
  ConvGeometry g = geometry(2, 128, 16, 1, 32, 1);
  auto plan = planAndCheck(g, 4096, 2);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::Channels);
  EXPECT_EQ(plan->factor, 2);
  EXPECT_EQ(plan->convolutions(), 4);
  EXPECT_EQ(plan->slices[0].innerFactor, 2);
  EXPECT_EQ(plan->slices[1].innerFactor, 2);
  // What each slice is cut into is what the planner says of the slice on its own, which is how the
  // pass applies it.
  auto inner = planConvSerialization(sliceGeometry(g, SerializationAxis::Channels, plan->slices[0]), 4096, 2);
  ASSERT_TRUE(inner);
  EXPECT_EQ(inner->axis, SerializationAxis::Height);
  EXPECT_EQ(inner->factor, 2);
}

// Whether F slices fit is not monotone in F: with a 7-row window and 3 rows of padding each side,
// two slices of 4 output rows read 7 input rows each (the border pads absorb the halo), but three
// slices put a 3-row slice in the middle, which reads 9 rows, clipped to 8. This is why the planner
// scans every factor rather than bisecting.
TEST(SerializationFactor, FitIsNotMonotoneInTheFactor) {
  ConvGeometry g = geometry(1, 1, 8, 1, 1, 7, 1, 3);
  g.kernelWidth = 1;
  g.padLeft = g.padRight = 0;
  auto rows = [&](int64_t factor) {
    int64_t most = 0;
    std::vector<ConvSlice> slices = *sliceConv(g, SerializationAxis::Height, factor, 1);
    for (const ConvSlice &s : slices)
      most = std::max(most, s.inEnd - s.inBegin);
    return most;
  };
  EXPECT_EQ(rows(2), 7);
  EXPECT_EQ(rows(3), 8);
  EXPECT_TRUE(heightFits(g, 2, 7, 1));
  EXPECT_FALSE(heightFits(g, 3, 7, 1));
}

TEST(SerializationFactor, StrideAndDilationHalo) {
  // Stride 2, dilation 2, 3x3, pad 2: window spans 5 rows.
  ConvGeometry g = geometry(1, 2, 33, 8, 4, 3, 2, 2, 2);
  for (int64_t limit : {256, 384, 512, 777, 1024, 2048}) {
    SCOPED_TRACE(limit);
    planAndCheck(g, limit, 4);
  }
}

// A VAE-decoder-like 3x3 convolution at full size, f16: 128 -> 128 channels at 512 x 512 is 64 MiB in
// and out, so a 32 MiB limit takes 3 slices (2 halves would each read 257 rows with the halo).
TEST(SerializationFactor, VaeDecoderFullSize) {
  ConvGeometry g = geometry(1, 128, 512, 512, 128, 3, 1, 1);
  auto plan = planConvSerialization(g, 32 << 20, 2);
  ASSERT_TRUE(plan);
  EXPECT_EQ(plan->axis, SerializationAxis::Height);
  EXPECT_EQ(plan->factor, 3);
  EXPECT_EQ(plan->inputBytes, 64 << 20);
  EXPECT_FALSE(heightFits(g, 2, 32 << 20, 2));
  EXPECT_TRUE(heightFits(g, 3, 32 << 20, 2));
}

// Many geometries against the brute force, at limits around their tensor sizes.
TEST(SerializationFactor, SmallestFactorAgainstBruteForce) {
  std::mt19937 rng(20240501);
  auto pick = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
  int checked = 0, serialized = 0, byChannels = 0, twoLevel = 0, impossible = 0;
  while (checked < 3000) {
    ConvGeometry g;
    g.batch = pick(1, 2);
    g.kernelHeight = pick(1, 7);
    g.kernelWidth = pick(1, 4);
    g.strideH = pick(1, 3);
    g.strideW = pick(1, 2);
    g.dilationH = pick(1, 3);
    g.dilationW = pick(1, 2);
    g.padTop = pick(0, 4);
    g.padBottom = pick(0, 4);
    g.padLeft = pick(0, 2);
    g.padRight = pick(0, 2);
    g.inHeight = pick(1, 48);
    g.inWidth = pick(1, 24);
    g.group = pick(1, 4) == 1 ? pick(2, 4) : 1;
    g.inChannels = g.group * pick(1, 8);
    g.outChannels = g.group * pick(1, 8);
    if (outH(g) < 1 || outW(g) < 1)
      continue;
    ASSERT_EQ(g.outHeight(), outH(g));
    ASSERT_EQ(g.outWidth(), outW(g));
    int64_t eb = std::vector<int64_t>{1, 2, 4}[pick(0, 2)];
    int64_t biggest = eb * std::max({g.inputElements(), g.outputElements(), g.weightElements()});
    int64_t limit = pick(std::max<int64_t>(1, biggest / 40), biggest + biggest / 8);
    SCOPED_TRACE(::testing::Message()
                 << "N" << g.batch << " C" << g.inChannels << " H" << g.inHeight << " W" << g.inWidth << " M"
                 << g.outChannels << " k" << g.kernelHeight << "x" << g.kernelWidth << " s" << g.strideH
                 << " p" << g.padTop << "," << g.padBottom << " d" << g.dilationH << " g" << g.group << " eb"
                 << eb << " limit " << limit);
    auto plan = planAndCheck(g, limit, eb);
    if (::testing::Test::HasFailure())
      return;
    ++checked;
    serialized += plan && plan->axis != SerializationAxis::None;
    byChannels += plan && plan->axis == SerializationAxis::Channels;
    twoLevel += plan && plan->convolutions() != plan->factor;
    impossible += !plan;
  }
  // The sample must exercise every outcome in earnest.
  std::printf("serialized %d (by channels %d, in two levels %d), impossible %d, fitting %d of %d\n",
              serialized, byChannels, twoLevel, impossible, checked - serialized - impossible, checked);
  EXPECT_GT(serialized, 1000);
  EXPECT_GT(byChannels, 50);
  EXPECT_GT(twoLevel, 20);
  EXPECT_GT(impossible, 50);
}
