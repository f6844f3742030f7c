// mote-recognize-group-norm: Reshape -> InstanceNormalization -> Reshape [-> Mul -> Add], as
// torch.onnx.export writes GroupNorm, -> mote.group_norm.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZEGROUPNORM
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// Whether `p` is a per-channel affine parameter of an [N, C, spatial...] value: shape [C, 1, ...] or
// [1, C, 1, ...] (what broadcasting over channels looks like).
bool isPerChannel(Value p, RankedTensorType xType) {
  auto pt = cast<RankedTensorType>(p.getType());
  int64_t c = xType.getDimSize(1), rank = xType.getRank();
  // Right-aligned, the channel axis of x sits at pt.getRank() - (rank - 1).
  int64_t channelAxis = pt.getRank() - (rank - 1);
  if (channelAxis < 0 || pt.getElementType() != xType.getElementType())
    return false;
  for (int64_t d = 0; d < pt.getRank(); ++d)
    if (pt.getDimSize(d) != (d == channelAxis ? c : 1))
      return false;
  return true;
}

struct GroupNormPattern : OpRewritePattern<InstanceNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(InstanceNormOp norm, PatternRewriter &rewriter) const override {
    auto in = norm.getInput().getDefiningOp<ReshapeOp>();
    if (!in)
      return rewriter.notifyMatchFailure(norm, "input is not a reshape");
    Value x = in.getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    auto grouped = norm.getInput().getType();
    int64_t groups = grouped.getDimSize(1);
    if (xType.getRank() < 3 || grouped.getRank() < 3 || grouped.getDimSize(0) != xType.getDimSize(0) ||
        xType.getDimSize(1) % groups != 0)
      return rewriter.notifyMatchFailure(norm, "not a reshape of [N, C, ...] into [N, G, ...]");
    // The instance norm itself must be plain: unit scale and zero bias per group.
    if (splatValue(norm.getScale()) != 1.0 || splatValue(norm.getBias()) != 0.0)
      return rewriter.notifyMatchFailure(norm, "instance norm has a scale or bias of its own");
    auto out = soleUser<ReshapeOp>(norm.getResult());
    if (!out || out.getType() != xType)
      return rewriter.notifyMatchFailure(norm, "result is not reshaped back to the input's shape");
    Operation *root = out;
    Location loc = out.getLoc();
    Value scale, bias;
    if (auto mul = soleUser<MulOp>(out.getResult()); mul && mul.getType() == xType)
      if (Value p = otherOperand(mul, out.getResult()); isPerChannel(p, xType)) {
        scale = p;
        root = mul;
      }
    if (auto add = soleUser<AddOp>(root->getResult(0)); add && add.getType() == xType)
      if (Value p = otherOperand(add, root->getResult(0)); isPerChannel(p, xType)) {
        bias = p;
        root = add;
      }
    // Everything is built at the root, where the parameters (perhaps computed late) are defined.
    rewriter.setInsertionPoint(root);
    auto channelType = RankedTensorType::get({xType.getDimSize(1)}, xType.getElementType());
    if (scale)
      scale = ReshapeOp::create(rewriter, loc, channelType, scale);
    if (bias)
      bias = ReshapeOp::create(rewriter, loc, channelType, bias);
    auto fill = [&](double v) {
      return ConstantOp::create(rewriter, loc,
                                DenseElementsAttr::get(channelType, rewriter.getFloatAttr(xType.getElementType(), v)));
    };
    if (!scale)
      scale = fill(1.0);
    if (!bias)
      bias = fill(0.0);
    auto groupNorm = GroupNormOp::create(rewriter, norm.getLoc(), xType, x, scale, bias,
                                         rewriter.getI64IntegerAttr(groups), norm.getEpsilonAttr());
    rewriter.replaceOp(root, groupNorm.getResult());
    return success();
  }
};

struct RecognizeGroupNormPass : mote::impl::MoteRecognizeGroupNormBase<RecognizeGroupNormPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<GroupNormPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
