// mote-recognize-rms-norm: x / sqrt(mean(x^2) + eps) * w -> mote.rms_norm.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZERMSNORM
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// x^2 as pow(x, 2) or x * x.
Value squared(Value v) {
  if (auto pow = v.getDefiningOp<PowOp>())
    return isSplat(pow.getRhs(), 2.0) ? pow.getLhs() : Value();
  if (auto mul = v.getDefiningOp<MulOp>())
    return mul.getLhs() == mul.getRhs() ? mul.getLhs() : Value();
  return {};
}

// Rooted at the mean of squares: reduce_mean(x^2, trailing axes) -> + eps -> sqrt -> then either
// x / sqrt, or x * (1 / sqrt), or x * reciprocal(sqrt); then an optional * w.
struct RmsNormPattern : OpRewritePattern<ReduceMeanOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReduceMeanOp mean, PatternRewriter &rewriter) const override {
    Value x = squared(mean.getInput());
    int64_t axis;
    if (!x || !mean.getKeepdims() || !isTrailingAxes(mean.getAxes(), mean.getType().getRank(), axis))
      return rewriter.notifyMatchFailure(mean, "not the mean of squares over trailing axes");
    auto add = soleUser<AddOp>(mean.getResult());
    std::optional<double> eps = add ? splatValue(otherOperand(add, mean.getResult())) : std::nullopt;
    auto sqrt = add ? soleUser<SqrtOp>(add.getResult()) : nullptr;
    if (!eps || !sqrt)
      return rewriter.notifyMatchFailure(mean, "not sqrt(mean + eps)");
    Operation *normalized = nullptr;
    Operation *user = sqrt->hasOneUse() ? *sqrt->getUsers().begin() : nullptr;
    if (auto div = dyn_cast_or_null<DivOp>(user)) {
      if (div.getRhs() == sqrt.getResult() && div.getLhs() == x)
        normalized = div; // x / sqrt
      else if (div.getRhs() == sqrt.getResult() && isSplat(div.getLhs(), 1.0))
        if (auto mul = soleUser<MulOp>(div.getResult()); mul && otherOperand(mul, div.getResult()) == x)
          normalized = mul; // x * (1 / sqrt)
    } else if (auto rec = dyn_cast_or_null<ReciprocalOp>(user)) {
      if (auto mul = soleUser<MulOp>(rec.getResult()); mul && otherOperand(mul, rec.getResult()) == x)
        normalized = mul; // x * reciprocal(sqrt)
    }
    if (!normalized || normalized->getResult(0).getType() != x.getType())
      return rewriter.notifyMatchFailure(mean, "not x / sqrt(mean(x^2) + eps)");
    auto type = cast<RankedTensorType>(x.getType());
    // The weight: a following multiply by something that broadcasts over the normalized axes only.
    Operation *root = normalized;
    Value weight;
    if (auto mul = soleUser<MulOp>(normalized->getResult(0))) {
      Value w = otherOperand(mul, normalized->getResult(0));
      auto wt = cast<RankedTensorType>(w.getType());
      if (wt.getRank() <= type.getRank() - axis && mul.getType() == type) {
        weight = w;
        root = mul;
      }
    }
    rewriter.setInsertionPoint(root);
    if (!weight) {
      auto shape = type.getShape().drop_front(axis);
      weight = ConstantOp::create(rewriter, root->getLoc(),
                                  DenseElementsAttr::get(RankedTensorType::get(shape, type.getElementType()),
                                                         rewriter.getFloatAttr(type.getElementType(), 1.0)));
    }
    auto norm = RmsNormOp::create(rewriter, root->getLoc(), x, weight, rewriter.getI64IntegerAttr(axis),
                                  rewriter.getF32FloatAttr(static_cast<float>(*eps)));
    rewriter.replaceOp(root, norm.getResult());
    return success();
  }
};

struct RecognizeRmsNormPass : mote::impl::MoteRecognizeRmsNormBase<RecognizeRmsNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<RmsNormPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
