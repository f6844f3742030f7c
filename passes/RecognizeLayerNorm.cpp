// mote-recognize-layer-norm: (x - mean) / sqrt(var + eps) * gamma + beta -> mote.layer_norm.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZELAYERNORM
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// Rooted at the centering subtraction d = x - mean(x): then mean(d^2) + eps -> sqrt -> d / sqrt, then
// optional * gamma and + beta that broadcast over the normalized axes.
struct LayerNormPattern : OpRewritePattern<SubOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SubOp sub, PatternRewriter &rewriter) const override {
    auto mean = sub.getRhs().getDefiningOp<ReduceMeanOp>();
    Value x = sub.getLhs();
    int64_t axis;
    if (!mean || mean.getInput() != x || !mean.getKeepdims() ||
        !isTrailingAxes(mean.getAxes(), mean.getType().getRank(), axis) || sub.getType() != x.getType())
      return rewriter.notifyMatchFailure(sub, "not x - mean(x) over trailing axes");
    Value d = sub.getResult();
    // d has two users: the square and the division.
    Operation *square = nullptr;
    DivOp div;
    for (Operation *user : d.getUsers()) {
      if (auto pow = dyn_cast<PowOp>(user); pow && pow.getLhs() == d && isSplat(pow.getRhs(), 2.0))
        square = pow;
      else if (auto mul = dyn_cast<MulOp>(user); mul && mul.getLhs() == d && mul.getRhs() == d)
        square = mul;
      else if (auto dv = dyn_cast<DivOp>(user); dv && dv.getLhs() == d)
        div = dv;
      else
        return rewriter.notifyMatchFailure(sub, "x - mean has other users");
    }
    if (!square || !div)
      return failure();
    auto var = soleUser<ReduceMeanOp>(square->getResult(0));
    int64_t varAxis;
    if (!var || !var.getKeepdims() || !isTrailingAxes(var.getAxes(), var.getType().getRank(), varAxis) ||
        varAxis != axis)
      return rewriter.notifyMatchFailure(sub, "no variance over the same axes");
    auto add = soleUser<AddOp>(var.getResult());
    std::optional<double> eps = add ? splatValue(otherOperand(add, var.getResult())) : std::nullopt;
    auto sqrt = add ? soleUser<SqrtOp>(add.getResult()) : nullptr;
    if (!eps || !sqrt || !sqrt->hasOneUse() || div.getRhs() != sqrt.getResult())
      return rewriter.notifyMatchFailure(sub, "not d / sqrt(var + eps)");
    auto type = cast<RankedTensorType>(x.getType());
    int64_t tailRank = type.getRank() - axis;
    auto affine = [&](Operation *op, Value known) -> Value {
      Value p = otherOperand(op, known);
      auto pt = cast<RankedTensorType>(p.getType());
      return pt.getRank() <= tailRank && op->getResult(0).getType() == type ? p : Value();
    };
    Operation *root = div;
    Value gamma, beta;
    if (auto mul = soleUser<MulOp>(div.getResult()); mul && (gamma = affine(mul, div.getResult())))
      root = mul;
    if (auto plus = soleUser<AddOp>(root->getResult(0)); plus && (beta = affine(plus, root->getResult(0))))
      root = plus;
    rewriter.setInsertionPoint(root);
    if (!gamma)
      gamma = ConstantOp::create(rewriter, root->getLoc(),
                                 DenseElementsAttr::get(RankedTensorType::get(type.getShape().drop_front(axis),
                                                                              type.getElementType()),
                                                        rewriter.getFloatAttr(type.getElementType(), 1.0)));
    auto norm = LayerNormOp::create(rewriter, root->getLoc(), type, x, gamma, beta,
                                    rewriter.getI64IntegerAttr(axis),
                                    rewriter.getF32FloatAttr(static_cast<float>(*eps)));
    rewriter.replaceOp(root, norm.getResult());
    return success();
  }
};

struct RecognizeLayerNormPass : mote::impl::MoteRecognizeLayerNormBase<RecognizeLayerNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<LayerNormPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
