// The calibration histogram (targets/reference/Calibration.h): its range doubling keeps every value counted,
// and the clipping threshold it picks from the histogram gives an int8 quantization error close to the best a
// brute-force search over thresholds finds on the values themselves (quantized exactly: round to nearest
// even, saturated to [-127, 127]).
#include "targets/reference/Calibration.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

using mote::reference::AbsHistogram;

namespace {

// The mean squared error of quantizing `values` with scale t / 127, exactly as the int8 kernels do.
double quantizationMse(const std::vector<double> &values, double t) {
  const float s = static_cast<float>(t) / 127.0f;
  double sum = 0.0;
  for (double v : values) {
    const float q = std::fmin(127.0f, std::fmax(-127.0f, std::nearbyint(static_cast<float>(v) / s)));
    const double e = v - static_cast<double>(q) * s;
    sum += e * e;
  }
  return sum / static_cast<double>(values.size());
}

// The best threshold among 4000 between absMax / 4000 and absMax, by brute force.
double bruteForceMse(const std::vector<double> &values, double absMax) {
  double best = INFINITY;
  for (int i = 1; i <= 4000; ++i)
    best = std::fmin(best, quantizationMse(values, absMax * i / 4000.0));
  return best;
}

TEST(Calibration, RangeDoublingKeepsTheMaximum) {
  AbsHistogram h;
  const double first[] = {0.5, -0.25, 0.0};
  const double second[] = {3.0, -7.5};
  const double third[] = {1e-3};
  h.add(first, 3);
  EXPECT_EQ(h.absMax(), 0.5);
  h.add(second, 2);
  h.add(third, 1);
  EXPECT_EQ(h.absMax(), 7.5);
  // The threshold is positive and never above the largest value.
  EXPECT_LE(h.mseClip(), 7.5);
  EXPECT_GT(h.mseClip(), 0.0);
}

TEST(Calibration, AllZeroGivesNoClip) {
  AbsHistogram h;
  const double zeros[] = {0.0, -0.0, 0.0};
  h.add(zeros, 3);
  EXPECT_EQ(h.absMax(), 0.0);
  EXPECT_EQ(h.mseClip(), 0.0);
}

TEST(Calibration, NonFiniteValuesAreIgnored) {
  AbsHistogram h;
  const double values[] = {1.0, NAN, INFINITY, -2.0};
  h.add(values, 4);
  EXPECT_EQ(h.absMax(), 2.0);
}

// Gaussian activations with a few large outliers (as after a residual add): clipping them would cost more
// than the finer step gains, and the histogram's threshold stays near the maximum with an error within 10% of
// the brute-force best.
TEST(Calibration, MseClipNearBruteForceWithOutliers) {
  std::mt19937 rng(7);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::vector<double> values(20000);
  for (double &v : values)
    v = normal(rng);
  for (int k = 0; k < 10; ++k)
    values[static_cast<size_t>(k) * 1999] = (k % 2 ? -1.0 : 1.0) * (40.0 + k);
  AbsHistogram h;
  // In two batches, the second with the larger values: the range doubles on the way.
  h.add(values.data() + 10000, 10000);
  h.add(values.data(), 10000);
  const double absMax = h.absMax(), clip = h.mseClip();
  EXPECT_EQ(absMax, 49.0);
  const double best = bruteForceMse(values, absMax), picked = quantizationMse(values, clip);
  EXPECT_LE(picked, 1.10 * best) << "clip " << clip;
  EXPECT_LE(picked, quantizationMse(values, absMax));
}

// Heavy tails (Student's t, 2 degrees of freedom): the best threshold is below the maximum (about 10% less
// error) and the histogram finds it within 10% of the brute-force best.
TEST(Calibration, MseClipClipsHeavyTails) {
  std::mt19937 rng(3);
  std::student_t_distribution<double> heavy(2.0);
  std::vector<double> values(20000);
  for (double &v : values)
    v = heavy(rng);
  AbsHistogram h;
  h.add(values.data(), static_cast<int64_t>(values.size()));
  const double clip = h.mseClip(), best = bruteForceMse(values, h.absMax()), picked = quantizationMse(values, clip);
  EXPECT_LT(clip, 0.98 * h.absMax());
  EXPECT_LE(picked, 1.10 * best) << "clip " << clip << " of " << h.absMax();
  EXPECT_LT(picked, quantizationMse(values, h.absMax()));
}

// Uniform activations have nothing to clip: the threshold stays near the maximum and the error near the best.
TEST(Calibration, MseClipKeepsUniformRange) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> uniform(-3.0, 3.0);
  std::vector<double> values(20000);
  for (double &v : values)
    v = uniform(rng);
  AbsHistogram h;
  h.add(values.data(), static_cast<int64_t>(values.size()));
  const double clip = h.mseClip();
  EXPECT_GT(clip, 0.9 * h.absMax());
  EXPECT_LE(quantizationMse(values, clip), 1.10 * bruteForceMse(values, h.absMax()));
}

} // namespace
