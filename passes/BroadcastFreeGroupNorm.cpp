// mote-broadcast-free-group-norm: group_norm -> primitive ops of rank <= max_rank with no mote.expand,
// for targets without a group norm kernel (the AQDS form, seeds/000).
#include "passes/PatternUtils.h"
#include "passes/Passes.h"
#include "ir/ModuleTarget.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTEBROADCASTFREEGROUPNORM
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// The usual export reshapes [N, C, H, W] to [N, G, C/G, H, W] and broadcasts its statistics with an
// explicit BroadcastTo; a GPU delegate takes neither the rank-5 value nor the BroadcastTo. Here the
// spatial axes are flattened first: in the view [N, G, C/G, S] a group's statistics are over axes
// (2, 3), and the per-(n, g) statistic [N, G, 1, 1] broadcasts implicitly against a rank-4 value. The
// affine step runs on the input's own shape with [1, C, 1, ...] parameters, a broadcast along the
// batch and spatial axes only. Every elementwise op broadcasts at most one operand, and only against
// a value of the same rank (or a scalar: epsilon).
struct GroupNormPattern : OpRewritePattern<GroupNormOp> {
  GroupNormPattern(MLIRContext *ctx, int64_t maxRank) : OpRewritePattern(ctx), maxRank(maxRank) {}

  LogicalResult matchAndRewrite(GroupNormOp op, PatternRewriter &rewriter) const override {
    auto type = op.getType();
    if (!type.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "dynamic shape");
    Location loc = op.getLoc();
    Type et = type.getElementType();
    // channels_last ([N, spatial..., C]) groups the last axis: the view is [N, S, G, C/G] and the
    // statistics are over axes (1, 3); channels first it is [N, G, C/G, S] over (2, 3).
    bool last = op.getChannelsLast();
    int64_t channelAxis = last ? type.getRank() - 1 : 1;
    int64_t n = type.getDimSize(0), c = type.getDimSize(channelAxis), g = op.getNumGroups();
    int64_t spatial = type.getNumElements() / (n * c);
    // A target limited to rank 3 gets [N, G, C/G * S] (channels first only), reduced over its last
    // axis.
    bool rank4 = maxRank == 0 || maxRank >= 4;
    if (!rank4 && last)
      return rewriter.notifyMatchFailure(op, "channels_last group norm needs rank 4 for its grouped view");
    SmallVector<int64_t> grouped = last    ? SmallVector<int64_t>{n, spatial, g, c / g}
                                   : rank4 ? SmallVector<int64_t>{n, g, c / g, spatial}
                                           : SmallVector<int64_t>{n, g, c / g * spatial};
    SmallVector<int64_t> axes = last    ? SmallVector<int64_t>{1, 3}
                                : rank4 ? SmallVector<int64_t>{2, 3}
                                        : SmallVector<int64_t>{2};

    Value x = ReshapeOp::create(rewriter, loc, type.clone(grouped), op.getInput());
    Value mean = ReduceMeanOp::create(rewriter, loc, x, axes, /*keepdims=*/true);
    Value centered = SubOp::create(rewriter, loc, x, mean);
    Value square = MulOp::create(rewriter, loc, centered, centered);
    Value var = ReduceMeanOp::create(rewriter, loc, square, axes, /*keepdims=*/true);
    Value eps = scalarConstant(rewriter, loc, et, op.getEpsilon().convertToDouble());
    Value stddev = SqrtOp::create(rewriter, loc, AddOp::create(rewriter, loc, var, eps));
    Value normalized = DivOp::create(rewriter, loc, centered, stddev);
    Value y = ReshapeOp::create(rewriter, loc, type, normalized);

    // Recognition fills a missing scale with ones and a missing bias with zeros: skip those.
    SmallVector<int64_t> perChannel(type.getRank(), 1);
    perChannel[channelAxis] = c;
    auto channelType = type.clone(perChannel);
    if (!isSplat(op.getScale(), 1.0))
      y = MulOp::create(rewriter, loc, y, ReshapeOp::create(rewriter, loc, channelType, op.getScale()));
    if (splatValue(op.getBias()) != 0.0)
      y = AddOp::create(rewriter, loc, y, ReshapeOp::create(rewriter, loc, channelType, op.getBias()));
    rewriter.replaceOp(op, y);
    return success();
  }

  int64_t maxRank;
};

struct BroadcastFreeGroupNormPass : mote::impl::MoteBroadcastFreeGroupNormBase<BroadcastFreeGroupNormPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = getModuleTarget(module);
    if (!target || target.isNative("group_norm"))
      return;
    SmallVector<Operation *> norms;
    bool failed = false;
    module.walk([&](GroupNormOp op) {
      if (!target.getImplicitBroadcast()) {
        op.emitError() << "cannot decompose mote.group_norm for target '" << target.getName()
                       << "': it has no group_norm kernel and allows no implicit broadcasting, and "
                          "group normalization has no form without broadcasting its statistics";
        failed = true;
      } else if (!op.getType().hasStaticShape()) {
        op.emitError() << "cannot decompose mote.group_norm of dynamic shape " << op.getType();
        failed = true;
      }
      norms.push_back(op);
    });
    if (failed)
      return signalPassFailure();
    if (norms.empty())
      return;
    RewritePatternSet patterns(&getContext());
    patterns.add<GroupNormPattern>(&getContext(), target.getMaxRank());
    // Only the norms and what replaces them are rewritten (and folded); the rest of the module is not
    // this pass's business.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (mlir::failed(applyOpPatternsGreedily(norms, std::move(patterns), config)))
      return signalPassFailure();
    module.walk([&](GroupNormOp op) {
      op.emitError("mote.group_norm was not decomposed");
      signalPassFailure();
    });
  }
};

} // namespace
