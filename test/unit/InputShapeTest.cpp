// Unit tests of `--input-shape` parsing.
#include "frontend/OnnxImporter.h"

#include <gtest/gtest.h>

using namespace mote;

TEST(InputShape, ParsesNameAndDims) {
  ImportOptions options;
  EXPECT_EQ(parseInputShape("sample:1x4x64x64", options), "");
  EXPECT_EQ(options.inputShapes["sample"], (llvm::SmallVector<int64_t>{1, 4, 64, 64}));
  // Names may contain ':' (the dims follow the last one); a scalar has no dims.
  EXPECT_EQ(parseInputShape("ns:ids:2x77", options), "");
  EXPECT_EQ(options.inputShapes["ns:ids"], (llvm::SmallVector<int64_t>{2, 77}));
  EXPECT_EQ(parseInputShape("t:", options), "");
  EXPECT_TRUE(options.inputShapes["t"].empty());
}

TEST(InputShape, RejectsMalformedSpecs) {
  ImportOptions options;
  EXPECT_NE(parseInputShape("sample", options), "");
  EXPECT_NE(parseInputShape(":1x2", options), "");
  EXPECT_NE(parseInputShape("sample:1xx2", options), "");
  EXPECT_NE(parseInputShape("sample:1x-2", options), "");
  EXPECT_NE(parseInputShape("sample:1xa", options), "");
  EXPECT_TRUE(options.inputShapes.empty());
}
