// Unit tests of the folders against direct computations of the same results.
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

using namespace mlir;

namespace {

class FolderTest : public ::testing::Test {
protected:
  FolderTest() : builder(&context) {
    context.loadDialect<mote::MoteDialect, func::FuncDialect>();
    module = ModuleOp::create(builder.getUnknownLoc());
    builder.setInsertionPointToEnd(module->getBody());
  }

  Value constantI64(ArrayRef<int64_t> shape, ArrayRef<int64_t> values) {
    auto type = RankedTensorType::get(shape, builder.getI64Type());
    return mote::ConstantOp::create(builder, builder.getUnknownLoc(), DenseElementsAttr::get(type, values));
  }

  // Folds `op` and returns the elements of the constant it folds to.
  std::vector<int64_t> foldToInts(Operation *op) {
    SmallVector<Value> results;
    EXPECT_TRUE(succeeded(builder.tryFold(op, results)));
    EXPECT_EQ(results.size(), 1u);
    auto constant = results[0].getDefiningOp<mote::ConstantOp>();
    EXPECT_TRUE(constant);
    std::vector<int64_t> out;
    for (APInt v : cast<DenseElementsAttr>(constant.getValue()).getValues<APInt>())
      out.push_back(v.getSExtValue());
    return out;
  }

  MLIRContext context;
  OpBuilder builder;
  OwningOpRef<ModuleOp> module;
};

TEST_F(FolderTest, TransposeOfConstantPermutesElements) {
  std::vector<int64_t> data(2 * 3 * 4);
  for (size_t i = 0; i < data.size(); ++i)
    data[i] = static_cast<int64_t>(i * 7 % 11);
  Value x = constantI64({2, 3, 4}, data);
  auto op = mote::TransposeOp::create(builder, builder.getUnknownLoc(), x,
                                      builder.getDenseI64ArrayAttr({2, 0, 1}));
  std::vector<int64_t> want;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 3; ++j)
        want.push_back(data[(i * 3 + j) * 4 + k]);
  EXPECT_EQ(foldToInts(op), want);
}

TEST_F(FolderTest, GatherConcatAndBroadcastArithmetic) {
  Value shape = constantI64({4}, {1, 320, 64, 64});
  Value idx = constantI64({2}, {-1, 1});
  auto gathered = mote::GatherOp::create(builder, builder.getUnknownLoc(), shape, idx, 0);
  EXPECT_EQ(foldToInts(gathered), (std::vector<int64_t>{64, 320}));

  Value a = constantI64({2, 1}, {3, 5});
  Value b = constantI64({3}, {1, 2, 4});
  auto mul = mote::MulOp::create(builder, builder.getUnknownLoc(), a, b);
  EXPECT_EQ(foldToInts(mul), (std::vector<int64_t>{3, 6, 12, 5, 10, 20}));

  auto cat = mote::ConcatOp::create(builder, builder.getUnknownLoc(), ValueRange{a, a}, 1);
  EXPECT_EQ(foldToInts(cat), (std::vector<int64_t>{3, 3, 5, 5}));
}

TEST_F(FolderTest, SliceWithNegativeStep) {
  Value x = constantI64({6}, {0, 1, 2, 3, 4, 5});
  auto op = mote::SliceOp::create(builder, builder.getUnknownLoc(), x, builder.getDenseI64ArrayAttr({5}),
                                  builder.getDenseI64ArrayAttr({0}), builder.getDenseI64ArrayAttr({-2}));
  std::vector<int64_t> want;
  for (int64_t i = 5; i > 0; i -= 2)
    want.push_back(i);
  EXPECT_EQ(foldToInts(op), want);
}

TEST_F(FolderTest, DivisionByZeroDoesNotFold) {
  Value a = constantI64({2}, {4, 6});
  Value b = constantI64({2}, {2, 0});
  auto op = mote::DivOp::create(builder, builder.getUnknownLoc(), a, b);
  SmallVector<Value> results;
  EXPECT_TRUE(failed(builder.tryFold(op, results)));
}

} // namespace
