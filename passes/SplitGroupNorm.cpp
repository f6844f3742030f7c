// mote-split-group-norm: a group norm between convolutions -> its statistics (mote.group_norm_stats) and its
// normalization (mote.group_norm_apply), so that the convolutions' kernels can take one half each (see
// Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"

namespace mote {
#define GEN_PASS_DEF_MOTESPLITGROUPNORM
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// The convolutions reading group norm `gn`: its result, or the SiLU that alone reads it, read by
/// convolutions that can normalize in their prologue, directly or through reshapes keeping instances and
/// channels that only such convolutions read. Empty if anything else reads it.
SmallVector<ConvOp> convReaders(GroupNormOp gn, SiluOp &silu) {
  auto type = gn.getType();
  const bool last = gn.getChannelsLast();
  const int64_t n = type.getDimSize(0), c = type.getDimSize(last ? 3 : 1);
  Value y = gn.getResult();
  silu = y.hasOneUse() ? dyn_cast<SiluOp>(*y.getUsers().begin()) : SiluOp();
  if (silu)
    y = silu.getResult();
  SmallVector<ConvOp> convs;
  auto take = [&](Operation *user, Value read) {
    auto conv = dyn_cast<ConvOp>(user);
    if (!conv || conv.getInput() != read || !readsGroupNormInPrologue(conv, last, n, c) ||
        conv->getBlock() != gn->getBlock())
      return false;
    // A convolution read through slices (a gated product's halves) ends its region that way instead.
    if (llvm::any_of(conv->getUsers(), [](Operation *u) { return isa<SliceOp>(u); }))
      return false;
    convs.push_back(conv);
    return true;
  };
  for (Operation *user : y.getUsers()) {
    if (auto reshape = dyn_cast<ReshapeOp>(user)) {
      if (!keepsInstancesAndChannels(reshape.getResult(), last, n, c) || reshape.getResult().use_empty())
        return {};
      for (Operation *inner : reshape.getResult().getUsers())
        if (!take(inner, reshape.getResult()))
          return {};
    } else if (!take(user, y)) {
      return {};
    }
  }
  return convs;
}

struct SplitGroupNormPass : mote::impl::MoteSplitGroupNormBase<SplitGroupNormPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    // The halves have kernels only inside convolutions' regions.
    if (!target || !target.canFuse("group_norm_conv") || !target.canFuse("linear_epilogue") || func.isExternal())
      return;
    SmallVector<GroupNormOp> norms;
    func.walk([&](GroupNormOp gn) {
      if (gn->getParentOp() == func.getOperation())
        norms.push_back(gn);
    });
    for (GroupNormOp gn : norms) {
      auto type = gn.getType();
      if (!type.hasStaticShape() || type.getRank() != 4)
        continue;
      SiluOp silu;
      SmallVector<ConvOp> convs = convReaders(gn, silu);
      if (convs.empty())
        continue;
      const bool last = gn.getChannelsLast();
      const int64_t n = type.getDimSize(0), c = type.getDimSize(last ? 3 : 1);
      // The statistics, right after the value they read: the norm's input, or what a reshape of it keeping
      // instances and channels reads (the value a producing convolution's epilogue holds).
      Value x = gn.getInput();
      if (auto reshape = x.getDefiningOp<ReshapeOp>(); reshape && keepsInstancesAndChannels(reshape.getInput(), last, n, c))
        x = reshape.getInput();
      OpBuilder b(func.getContext());
      if (Operation *def = x.getDefiningOp())
        b.setInsertionPointAfter(def);
      else
        b.setInsertionPointToStart(x.getParentBlock());
      Value stats = GroupNormStatsOp::create(b, gn.getLoc(), x, gn.getNumGroupsAttr(), gn.getEpsilonAttr(),
                                             gn.getChannelsLastAttr())
                        .getResult();
      // One normalization (and SiLU, and reshape) per convolution, right before it: each kernel computes its own.
      for (ConvOp conv : convs) {
        b.setInsertionPoint(conv);
        Value v = GroupNormApplyOp::create(b, gn.getLoc(), gn.getInput(), stats, gn.getScale(), gn.getBias(),
                                           gn.getNumGroupsAttr(), gn.getChannelsLastAttr())
                      .getResult();
        if (silu)
          v = SiluOp::create(b, silu.getLoc(), v).getResult();
        if (v.getType() != conv.getInput().getType())
          v = ReshapeOp::create(b, conv.getInput().getLoc(), conv.getInput().getType(), v).getResult();
        conv.getInputMutable().assign(v);
      }
      // The old chain, now unread.
      SmallVector<Operation *> dead;
      for (Operation *user : (silu ? silu.getResult() : gn.getResult()).getUsers())
        dead.push_back(user);
      for (Operation *op : dead)
        op->erase();
      if (silu)
        silu->erase();
      gn->erase();
    }
  }
};

} // namespace
