// Unit tests of the shape arithmetic in ir/ShapeUtils: broadcasting, axes, windows, slices.
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinTypes.h"
#include <gtest/gtest.h>

using namespace mote;

TEST(ShapeUtils, BroadcastFollowsNumpy) {
  EXPECT_EQ(*broadcastShapes({2, 1, 4}, {3, 1}), (llvm::SmallVector<int64_t>{2, 3, 4}));
  EXPECT_EQ(*broadcastShapes({}, {5}), (llvm::SmallVector<int64_t>{5}));
  EXPECT_EQ(*broadcastShapes({1, 8, 1, 1}, {8, 16, 16}), (llvm::SmallVector<int64_t>{1, 8, 16, 16}));
  EXPECT_FALSE(broadcastShapes({2, 3}, {4, 3}).has_value());
  int64_t dyn = mlir::ShapedType::kDynamic;
  EXPECT_EQ(*broadcastShapes({dyn, 4}, {3, 1}), (llvm::SmallVector<int64_t>{3, 4}));
}

TEST(ShapeUtils, NormalizeAxis) {
  EXPECT_EQ(normalizeAxis(-1, 4), 3);
  EXPECT_EQ(normalizeAxis(0, 4), 0);
  EXPECT_FALSE(normalizeAxis(4, 4).has_value());
  EXPECT_FALSE(normalizeAxis(-5, 4).has_value());
}

// The window rule against enumeration of window starts: a full window must fit in the padded input;
// ceil_mode also admits one partial window at the end, but only if it starts inside the input or the
// begin padding (PyTorch's rule, which ONNX adopted).
static int64_t countWindows(int64_t in, int64_t k, int64_t s, int64_t pb, int64_t pe, int64_t d,
                            bool ceil) {
  int64_t effective = (k - 1) * d + 1, n = 0;
  if (effective > in + pb + pe)
    return 0;
  for (int64_t start = -pb; start + effective <= in + pe + (ceil ? s - 1 : 0); start += s) {
    if (start + effective > in + pe && start >= in)
      break;
    ++n;
  }
  return n;
}

TEST(ShapeUtils, WindowOutputSizeMatchesEnumeration) {
  for (int64_t in : {1, 5, 8, 13})
    for (int64_t k : {1, 2, 3})
      for (int64_t s : {1, 2, 3})
        for (int64_t p : {0, 1})
          for (int64_t d : {1, 2})
            for (bool ceil : {false, true}) {
              if (2 * p > k - 1)
                continue; // PyTorch and ONNX exporters never pad more than half a window
              auto got = windowOutputSize(in, k, s, p, p, d, ceil);
              int64_t want = countWindows(in, k, s, p, p, d, ceil);
              if (want == 0) {
                EXPECT_FALSE(got.has_value() && *got > 0);
                continue;
              }
              ASSERT_TRUE(got.has_value());
              EXPECT_EQ(*got, want) << "in=" << in << " k=" << k << " s=" << s << " p=" << p
                                    << " d=" << d << " ceil=" << ceil;
            }
}

TEST(ShapeUtils, SliceSizeMatchesEnumeration) {
  for (int64_t start = -1; start <= 6; ++start)
    for (int64_t limit = -1; limit <= 6; ++limit)
      for (int64_t step : {-3, -2, -1, 1, 2, 3}) {
        int64_t n = 0;
        for (int64_t i = start; step > 0 ? i < limit : i > limit; i += step)
          ++n;
        EXPECT_EQ(sliceSize(start, limit, step), n);
      }
}
