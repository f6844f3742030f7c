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

/// Whether `r` views a rank-3 [B, S, D] tensor as one head, [B, 1, S, D].
bool isSingleHeadView(ReshapeOp r) {
  auto in = cast<RankedTensorType>(r.getInput().getType());
  auto out = cast<RankedTensorType>(r.getType());
  return in.hasStaticShape() && out.hasStaticShape() && in.getRank() == 3 && out.getRank() == 4 &&
         out.getShape()[0] == in.getShape()[0] && out.getShape()[1] == 1 &&
         out.getShape().take_back(2) == in.getShape().take_back(2);
}

/// `r`, a result of a split along the last axis, as the equal last-axis window slice of the split's input
/// (which the attention region reads in place); the split goes once none of its results is read.
Value windowOfSplit(OpResult r) {
  auto split = cast<SplitOp>(r.getOwner());
  auto in = cast<RankedTensorType>(split.getInput().getType());
  int64_t rank = in.getRank(), axis = split.getAxis() < 0 ? split.getAxis() + rank : split.getAxis();
  if (!in.hasStaticShape() || axis != rank - 1)
    return {};
  int64_t start = 0;
  for (int64_t k = 0; k < r.getResultNumber(); ++k)
    start += split.getSizes()[k];
  SmallVector<int64_t> starts(rank, 0), limits(in.getShape()), steps(rank, 1);
  starts.back() = start;
  limits.back() = start + split.getSizes()[r.getResultNumber()];
  OpBuilder b(split);
  Value window = SliceOp::create(b, split.getLoc(), r.getType(), split.getInput(), b.getDenseI64ArrayAttr(starts),
                                 b.getDenseI64ArrayAttr(limits), b.getDenseI64ArrayAttr(steps));
  r.replaceAllUsesWith(window);
  if (split->use_empty())
    split->erase();
  return window;
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
      // split (reshape [B, S, H*D] -> [B, S, H, D]) of a last-axis window of a merged projection (a slice,
      // or a split's piece made one) before the transpose comes along, so the kernel reads the window in
      // place.
      for (Value v : {a.getQuery(), a.getKey(), a.getValue()}) {
        Operation *def = v.getDefiningOp();
        // One head (a VAE's mid-block attention): a [B, 1, S, D] view of a last-axis window of a merged
        // projection, read in place with no transpose.
        if (auto view = dyn_cast_or_null<ReshapeOp>(def)) {
          SliceOp window = view.getInput().getDefiningOp<SliceOp>();
          if (isSingleHeadView(view) && v.hasOneUse() && def->getBlock() == &block && !llvm::is_contained(ops, def) &&
              window && window->hasOneUse() && window.isLastAxisWindow()) {
            ops.push_back(view);
            ops.push_back(window);
          }
          continue;
        }
        if (!isHeadTranspose(def) || !v.hasOneUse() || def->getBlock() != &block || llvm::is_contained(ops, def))
          continue;
        ops.push_back(def);
        auto split = def->getOperand(0).getDefiningOp<ReshapeOp>();
        if (!split || !split->hasOneUse() || !isHeadSplit(split))
          continue;
        // A piece of a split of the last axis (GPT-2's fused QKV projection) is such a window.
        SliceOp window = split.getInput().getDefiningOp<SliceOp>();
        if (auto piece = dyn_cast<OpResult>(split.getInput());
            piece && isa<SplitOp>(piece.getOwner()) && piece.hasOneUse())
          if (Value w = windowOfSplit(piece))
            window = w.getDefiningOp<SliceOp>();
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
