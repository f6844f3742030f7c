// The serialization factor of an oversized 2-D convolution (see SerializationUtils.h).
#include "passes/SerializationUtils.h"

#include <algorithm>
#include <cassert>
#include <iterator>

namespace mote {

static int64_t convOutputSize(int64_t in, int64_t k, int64_t stride, int64_t padBegin, int64_t padEnd,
                              int64_t dilation) {
  int64_t effective = (k - 1) * dilation + 1;
  int64_t span = in + padBegin + padEnd - effective;
  return span < 0 ? 0 : span / stride + 1;
}

int64_t ConvGeometry::outHeight() const {
  return convOutputSize(inHeight, kernelHeight, strideH, padTop, padBottom, dilationH);
}

int64_t ConvGeometry::outWidth() const {
  return convOutputSize(inWidth, kernelWidth, strideW, padLeft, padRight, dilationW);
}

std::vector<std::pair<int64_t, int64_t>> evenRanges(int64_t extent, int64_t factor) {
  assert(factor >= 1 && factor <= extent && "factor out of range");
  std::vector<std::pair<int64_t, int64_t>> ranges;
  int64_t base = extent / factor, extra = extent % factor, begin = 0;
  for (int64_t k = 0; k < factor; ++k) {
    int64_t end = begin + base + (k < extra ? 1 : 0);
    ranges.emplace_back(begin, end);
    begin = end;
  }
  return ranges;
}

// Output rows [r0, r1) read the (unpadded) input rows [r0 * s - padTop, (r1 - 1) * s - padTop + keff);
// whatever of that lies outside the input becomes the slice's own padding, so that its first output
// row lines up with row r0 and it produces exactly r1 - r0 rows.
static std::optional<std::vector<ConvSlice>> sliceRows(const ConvGeometry &g, int64_t factor, int64_t eb) {
  int64_t oh = g.outHeight(), ow = g.outWidth();
  if (factor < 1 || factor > oh)
    return std::nullopt;
  int64_t keff = (g.kernelHeight - 1) * g.dilationH + 1;
  std::vector<ConvSlice> slices;
  for (auto [r0, r1] : evenRanges(oh, factor)) {
    int64_t first = r0 * g.strideH - g.padTop;
    int64_t last = (r1 - 1) * g.strideH - g.padTop + keff; // exclusive
    ConvSlice s;
    s.outBegin = r0;
    s.outEnd = r1;
    s.inBegin = std::clamp<int64_t>(first, 0, g.inHeight);
    s.inEnd = std::clamp<int64_t>(last, 0, g.inHeight);
    // A slice that lies wholly in the padding would need an empty input tensor: not expressible.
    if (s.inEnd <= s.inBegin)
      return std::nullopt;
    s.padTop = s.inBegin - first;
    s.padBottom = last - s.inEnd;
    s.group = g.group;
    s.inputBytes = g.batch * g.inChannels * (s.inEnd - s.inBegin) * g.inWidth * eb;
    s.outputBytes = g.batch * g.outChannels * (r1 - r0) * ow * eb;
    s.weightBytes = g.weightElements() * eb;
    slices.push_back(s);
  }
  return slices;
}

// group == 1: any cut of the output channels; each slice reads the whole input. group > 1: whole groups
// per slice (a cut inside a group would need a different grouping per slice), each reading the input
// channels of its groups.
static std::optional<std::vector<ConvSlice>> sliceChannels(const ConvGeometry &g, int64_t factor,
                                                           int64_t eb) {
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  if (factor < 1 || factor > units)
    return std::nullopt;
  int64_t outPerUnit = g.outChannels / units, inPerGroup = g.inChannels / g.group;
  int64_t spatialOut = g.outHeight() * g.outWidth(), spatialIn = g.inHeight * g.inWidth;
  int64_t weightPerOut = inPerGroup * g.kernelHeight * g.kernelWidth;
  std::vector<ConvSlice> slices;
  for (auto [u0, u1] : evenRanges(units, factor)) {
    ConvSlice s;
    s.outBegin = u0 * outPerUnit;
    s.outEnd = u1 * outPerUnit;
    s.inBegin = g.group == 1 ? 0 : u0 * inPerGroup;
    s.inEnd = g.group == 1 ? g.inChannels : u1 * inPerGroup;
    s.group = g.group == 1 ? 1 : u1 - u0;
    s.inputBytes = g.batch * (s.inEnd - s.inBegin) * spatialIn * eb;
    s.outputBytes = g.batch * (s.outEnd - s.outBegin) * spatialOut * eb;
    s.weightBytes = (s.outEnd - s.outBegin) * weightPerOut * eb;
    slices.push_back(s);
  }
  return slices;
}

std::optional<std::vector<ConvSlice>> sliceConv(const ConvGeometry &g, SerializationAxis axis, int64_t factor,
                                                int64_t elementBytes) {
  switch (axis) {
  case SerializationAxis::Height:
    return sliceRows(g, factor, elementBytes);
  case SerializationAxis::Channels:
    return sliceChannels(g, factor, elementBytes);
  case SerializationAxis::None:
    break;
  }
  return std::nullopt;
}

static bool allFit(const std::vector<ConvSlice> &slices, int64_t maxBytes) {
  return std::all_of(slices.begin(), slices.end(), [&](const ConvSlice &s) {
    return s.inputBytes <= maxBytes && s.outputBytes <= maxBytes && s.weightBytes <= maxBytes;
  });
}

int64_t SerializationPlan::convolutions() const {
  if (slices.empty())
    return factor;
  int64_t n = 0;
  for (const ConvSlice &s : slices)
    n += s.innerFactor;
  return n;
}

ConvGeometry sliceGeometry(const ConvGeometry &g, SerializationAxis axis, const ConvSlice &slice) {
  ConvGeometry sg = g;
  if (axis == SerializationAxis::Height) {
    sg.inHeight = slice.inEnd - slice.inBegin;
    sg.padTop = slice.padTop;
    sg.padBottom = slice.padBottom;
  } else if (axis == SerializationAxis::Channels) {
    sg.inChannels = slice.inEnd - slice.inBegin;
    sg.outChannels = slice.outEnd - slice.outBegin;
    sg.group = slice.group;
  }
  return sg;
}

static SerializationPlan unsplit(const ConvGeometry &g, int64_t elementBytes) {
  SerializationPlan plan;
  plan.inputBytes = g.inputElements() * elementBytes;
  plan.outputBytes = g.outputElements() * elementBytes;
  plan.weightBytes = g.weightElements() * elementBytes;
  return plan;
}

static bool fits(const SerializationPlan &whole, int64_t maxBytes) {
  return whole.inputBytes <= maxBytes && whole.outputBytes <= maxBytes && whole.weightBytes <= maxBytes;
}

// Whether some number of row slices could fit: each single output row, with the input rows its window
// covers, must. (Any slice holding row r reads and writes at least what r alone does, so one row that
// does not fit rules out every factor; checking this first spares the scan below when nothing fits.)
static bool everyRowFits(const ConvGeometry &g, int64_t maxBytes, int64_t eb) {
  int64_t keff = (g.kernelHeight - 1) * g.dilationH + 1;
  if (g.weightElements() * eb > maxBytes || g.batch * g.outChannels * g.outWidth() * eb > maxBytes)
    return false;
  for (int64_t r = 0, oh = g.outHeight(); r < oh; ++r) {
    int64_t first = std::clamp<int64_t>(r * g.strideH - g.padTop, 0, g.inHeight);
    int64_t last = std::clamp<int64_t>(r * g.strideH - g.padTop + keff, 0, g.inHeight);
    if (g.batch * g.inChannels * (last - first) * g.inWidth * eb > maxBytes)
      return false;
  }
  return true;
}

// Likewise for channel slices: the finest cut (one output channel, or one group, per slice) must fit.
static bool everyChannelFits(const ConvGeometry &g, int64_t maxBytes, int64_t eb) {
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  std::optional<std::vector<ConvSlice>> finest = sliceChannels(g, units, eb);
  return finest && allFit(*finest, maxBytes);
}

static std::optional<SerializationPlan> planSingleAxis(const ConvGeometry &g, int64_t maxBytes,
                                                       int64_t elementBytes) {
  SerializationPlan plan = unsplit(g, elementBytes);
  if (fits(plan, maxBytes))
    return plan;
  bool heightCan = g.outHeight() > 1 && everyRowFits(g, maxBytes, elementBytes);
  bool channelsCan = g.outChannels > 1 && everyChannelFits(g, maxBytes, elementBytes);
  int64_t maxFactor =
      std::max(heightCan ? g.outHeight() : 1, channelsCan ? (g.group == 1 ? g.outChannels : g.group) : 1);
  // A linear scan, not a bisection: along the height, whether F slices fit is not monotone in F (the
  // clipping of the halo at the borders depends on where the cuts fall), so the first F that fits is
  // the smallest only if every smaller one was tried.
  for (int64_t factor = 2; factor <= maxFactor; ++factor) {
    for (SerializationAxis axis : {SerializationAxis::Height, SerializationAxis::Channels}) {
      if ((axis == SerializationAxis::Height && !heightCan) ||
          (axis == SerializationAxis::Channels && !channelsCan))
        continue;
      std::optional<std::vector<ConvSlice>> slices = sliceConv(g, axis, factor, elementBytes);
      if (!slices || !allFit(*slices, maxBytes))
        continue;
      plan.axis = axis;
      plan.factor = factor;
      plan.slices = std::move(*slices);
      return plan;
    }
  }
  return std::nullopt;
}

std::optional<SerializationPlan> planConvSerialization(const ConvGeometry &g, int64_t maxBytes,
                                                       int64_t elementBytes) {
  if (maxBytes <= 0)
    return unsplit(g, elementBytes);
  if (std::optional<SerializationPlan> plan = planSingleAxis(g, maxBytes, elementBytes))
    return plan;

  // Two levels: channel slices, each cut again by its own single-axis plan (the pattern applies it when
  // it meets the slice, so the planner must agree with what planSingleAxis says of the slice). Every
  // channel slice is at least one convolution, so no factor beyond the best total so far can win. Slices
  // of equal extent have equal plans: at most two extents occur per factor.
  std::optional<SerializationPlan> best;
  int64_t units = g.group == 1 ? g.outChannels : g.group;
  for (int64_t factor = 2; factor <= units && (!best || factor < best->convolutions()); ++factor) {
    std::vector<ConvSlice> slices = *sliceChannels(g, factor, elementBytes);
    std::vector<std::pair<int64_t, int64_t>> known; // {extent, inner factor}
    bool feasible = true;
    for (ConvSlice &s : slices) {
      int64_t extent = s.outEnd - s.outBegin;
      auto it = std::find_if(known.begin(), known.end(), [&](auto &k) { return k.first == extent; });
      if (it == known.end()) {
        std::optional<SerializationPlan> inner =
            planSingleAxis(sliceGeometry(g, SerializationAxis::Channels, s), maxBytes, elementBytes);
        known.emplace_back(extent, inner ? inner->factor : 0);
        it = std::prev(known.end());
      }
      if (it->second == 0) {
        feasible = false;
        break;
      }
      s.innerFactor = it->second;
    }
    if (!feasible)
      continue;
    SerializationPlan plan = unsplit(g, elementBytes);
    plan.axis = SerializationAxis::Channels;
    plan.factor = factor;
    plan.slices = std::move(slices);
    if (!best || plan.convolutions() < best->convolutions())
      best = std::move(plan);
  }
  return best;
}

} // namespace mote
