// mote-fold-linear-scale: a linear layer's output times a scalar constant -> the layer with its weight and
// bias scaled (see Passes.td).
#include "ir/ConstantBytes.h"
#include "ir/ModuleTarget.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cstring>

namespace mote {
#define GEN_PASS_DEF_MOTEFOLDLINEARSCALE
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// Whether `v` is an f32 constant with its bytes at hand, read only by the op being rewritten.
bool isScalable(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(v.getType());
  return constant && v.hasOneUse() && type.hasStaticShape() && type.getElementType().isF32() &&
         constantBytes(cast<ElementsAttr>(constant.getValue()), 4).has_value();
}

/// `v` (isScalable) times `scale`, as a new constant.
Value scaled(PatternRewriter &rewriter, Value v, float scale) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(v.getType());
  std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(constant.getValue()), 4);
  std::vector<float> values(bytes->size() / 4);
  std::memcpy(values.data(), bytes->data(), bytes->size());
  for (float &x : values)
    x *= scale;
  ElementsAttr value = DenseResourceElementsAttr::get(
      type, "scaled_weight",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(
          ArrayRef<char>(reinterpret_cast<const char *>(values.data()), values.size() * 4), alignof(float)));
  return ConstantOp::create(rewriter, constant.getLoc(), value);
}

/// mul(linear, s) for a one-element f32 constant s, the linear value read only by the mul: a convolution by a
/// constant weight (and bias), a matmul by a constant rank-2 weight, or such a matmul plus a constant bias.
struct FoldScale : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    std::optional<std::pair<Value, Value>> split = matchEither(mul, [](Value v) {
      auto t = cast<RankedTensorType>(v.getType());
      return t.hasStaticShape() && t.getNumElements() == 1 && splatValue(v).has_value();
    });
    if (!split)
      return failure();
    auto [s, y] = *split;
    if (!y.hasOneUse() || y.getType() != mul.getType() || !cast<RankedTensorType>(y.getType()).getElementType().isF32())
      return failure();
    const float scale = static_cast<float>(*splatValue(s));
    Operation *def = y.getDefiningOp();
    if (!def)
      return failure();
    rewriter.setInsertionPoint(def);
    if (auto conv = dyn_cast_or_null<ConvOp>(def)) {
      if (!isScalable(conv.getWeight()) || (conv.getBias() && !isScalable(conv.getBias())))
        return failure();
      Value w = scaled(rewriter, conv.getWeight(), scale);
      Value b = conv.getBias() ? scaled(rewriter, conv.getBias(), scale) : Value();
      rewriter.modifyOpInPlace(conv, [&] {
        conv.getWeightMutable().assign(w);
        if (b)
          conv.getBiasMutable().assign(b);
      });
      rewriter.replaceOp(mul, conv.getResult());
      return success();
    }
    // A matmul, perhaps under a bias add.
    auto add = dyn_cast_or_null<AddOp>(def);
    Value bias;
    MatMulOp matmul;
    if (add) {
      for (Value operand : {add.getLhs(), add.getRhs()})
        if (auto m = operand.getDefiningOp<MatMulOp>(); m && !matmul && operand.hasOneUse())
          matmul = m;
      bias = matmul ? otherOperand(add, matmul.getResult()) : Value();
    } else {
      matmul = dyn_cast_or_null<MatMulOp>(def);
    }
    if (!matmul || cast<RankedTensorType>(matmul.getRhs().getType()).getRank() != 2 ||
        !isScalable(matmul.getRhs()) || (bias && !isScalable(bias)))
      return failure();
    rewriter.setInsertionPoint(matmul);
    Value w = scaled(rewriter, matmul.getRhs(), scale);
    Value b = bias ? scaled(rewriter, bias, scale) : Value();
    rewriter.modifyOpInPlace(matmul, [&] { matmul.getRhsMutable().assign(w); });
    if (add)
      rewriter.modifyOpInPlace(add, [&] { add->setOperand(add.getLhs() == bias ? 0 : 1, b); });
    rewriter.replaceOp(mul, y);
    return success();
  }
};

struct FoldLinearScalePass : mote::impl::MoteFoldLinearScaleBase<FoldLinearScalePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("linear_epilogue") || func.isExternal())
      return;
    RewritePatternSet patterns(&getContext());
    patterns.add<FoldScale>(&getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
