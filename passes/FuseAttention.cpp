// mote-fuse-attention: an attention and the head transposes around it -> one mote.fused "attention"
// region whose kernel reads Q, K, V and writes its output in the layout the projections use (see Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEFUSEATTENTION
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// Whether `op` swaps the sequence and head axes of a rank-4 tensor ([B, S, H, D] <-> [B, H, S, D]).
bool isHeadTranspose(Operation *op) {
  auto t = dyn_cast_or_null<TransposeOp>(op);
  return t && t.getPerm() == ArrayRef<int64_t>{0, 2, 1, 3};
}

/// Whether `r` splits the last axis of a rank-3 [B, S, H*D] tensor into [B, S, H, D].
bool isHeadSplit(ReshapeOp r) {
  auto in = cast<RankedTensorType>(r.getInput().getType());
  auto out = cast<RankedTensorType>(r.getType());
  return in.hasStaticShape() && out.hasStaticShape() && in.getRank() == 3 && out.getRank() == 4 &&
         in.getShape().take_front(2) == out.getShape().take_front(2) &&
         in.getShape()[2] == out.getShape()[2] * out.getShape()[3];
}

struct FuseAttentionPass : mote::impl::MoteFuseAttentionBase<FuseAttentionPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("attention") || func.isExternal())
      return;
    Block &block = func.getBody().front();
    SmallVector<AttentionOp> attentions;
    for (Operation &op : block)
      if (auto a = dyn_cast<AttentionOp>(op))
        attentions.push_back(a);
    for (AttentionOp a : attentions) {
      SmallVector<Operation *> ops;
      // Q, K and V transposed into heads only for this attention (the mask keeps its own layout); a head
      // split (reshape [B, S, H*D] -> [B, S, H, D]) of a last-axis window of a merged projection before
      // the transpose comes along, so the kernel reads the window in place.
      for (Value v : {a.getQuery(), a.getKey(), a.getValue()}) {
        Operation *def = v.getDefiningOp();
        if (!isHeadTranspose(def) || !v.hasOneUse() || def->getBlock() != &block || llvm::is_contained(ops, def))
          continue;
        ops.push_back(def);
        auto split = def->getOperand(0).getDefiningOp<ReshapeOp>();
        if (!split || !split->hasOneUse() || !isHeadSplit(split))
          continue;
        auto window = split.getInput().getDefiningOp<SliceOp>();
        if (window && window->hasOneUse() && window.isLastAxisWindow()) {
          ops.push_back(split);
          ops.push_back(window);
        }
      }
      ops.push_back(a);
      Value out = a.getOutput();
      if (out.hasOneUse() && isHeadTranspose(*out.getUsers().begin()))
        ops.push_back(*out.getUsers().begin());
      if (ops.size() == 1)
        continue;
      llvm::sort(ops, [](Operation *x, Operation *y) { return x->isBeforeInBlock(y); });
      buildFusedRegion(ops, "attention");
    }
  }
};

} // namespace
