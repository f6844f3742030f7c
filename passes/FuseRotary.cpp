// mote-fuse-rotary: x * cos + rotate_half(x) * sin (rotary position embedding, the form Hugging Face's
// Llama, Mistral, Qwen and GPT-NeoX export), with the head transpose of x -> one mote.fused "rotary" region
// (see Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEFUSEROTARY
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

int64_t lastDim(Value v) { return cast<RankedTensorType>(v.getType()).getShape().back(); }

/// The half of `x`'s last axis that `v` is, read by `v`'s one user: 0 for [0, D/2), 1 for [D/2, D), or -1.
/// A half is a last-axis window (mote.slice) or a result of a mote.split of the last axis into two halves.
int halfOf(Value v, Value x, SmallVectorImpl<Operation *> &ops) {
  if (!v.hasOneUse())
    return -1;
  const int64_t D = lastDim(x);
  if (auto s = v.getDefiningOp<SliceOp>()) {
    if (s.getInput() != x || !s.isLastAxisWindow() || lastDim(v) * 2 != D)
      return -1;
    ops.push_back(s);
    return s.getStarts().back() == 0 ? 0 : 1;
  }
  if (auto s = v.getDefiningOp<SplitOp>()) {
    int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
    const int64_t axis = static_cast<int64_t>(s.getAxis());
    if (s.getInput() != x || s.getOutputs().size() != 2 || (axis != -1 && axis != rank - 1) ||
        lastDim(v) * 2 != D)
      return -1;
    if (!llvm::is_contained(ops, s.getOperation()))
      ops.push_back(s);
    return cast<OpResult>(v).getResultNumber() == 0 ? 0 : 1;
  }
  return -1;
}

/// Whether `v` is rotate_half(x) = concat(-x[..., D/2:], x[..., :D/2]) along the last axis, used once;
/// collects its ops.
bool isRotateHalf(Value v, Value x, SmallVectorImpl<Operation *> &ops) {
  auto cat = v.getDefiningOp<ConcatOp>();
  int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
  if (!cat || !v.hasOneUse() || cat.getInputs().size() != 2)
    return false;
  const int64_t axis = static_cast<int64_t>(cat.getAxis());
  if (axis != -1 && axis != rank - 1)
    return false;
  auto neg = cat.getInputs()[0].getDefiningOp<NegOp>();
  if (!neg || !neg->hasOneUse())
    return false;
  SmallVector<Operation *> found{cat, neg};
  if (halfOf(neg.getInput(), x, found) != 1 || halfOf(cat.getInputs()[1], x, found) != 0)
    return false;
  llvm::append_range(ops, found);
  return true;
}

/// Whether `table` (cos or sin) has x's rank, its last dimension, and 1 or x's size in every other one.
bool broadcastsToRows(Value table, Value x) {
  auto t = cast<RankedTensorType>(table.getType()), xt = cast<RankedTensorType>(x.getType());
  if (!t.hasStaticShape() || !xt.hasStaticShape() || t.getRank() != xt.getRank())
    return false;
  for (int64_t d = 0; d < t.getRank(); ++d)
    if (t.getShape()[d] != xt.getShape()[d] && (t.getShape()[d] != 1 || d + 1 == t.getRank()))
      return false;
  return true;
}

struct FuseRotaryPass : mote::impl::MoteFuseRotaryBase<FuseRotaryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("rotary") || func.isExternal())
      return;
    Block &block = func.getBody().front();
    SmallVector<AddOp> adds;
    for (Operation &op : block)
      if (auto a = dyn_cast<AddOp>(op))
        adds.push_back(a);
    for (AddOp add : adds) {
      auto x = cast<RankedTensorType>(add.getType());
      if (!x.hasStaticShape() || x.getRank() < 2 || x.getRank() > 4 || x.getShape().back() % 2 != 0 ||
          !isa<FloatType>(x.getElementType()))
        continue;
      // add(mul(x, cos), mul(rotate_half(x), sin)), each operand order.
      for (auto [first, second] : {std::pair{add.getLhs(), add.getRhs()}, {add.getRhs(), add.getLhs()}}) {
        auto mulCos = first.getDefiningOp<MulOp>(), mulSin = second.getDefiningOp<MulOp>();
        if (!mulCos || !mulSin || !first.hasOneUse() || !second.hasOneUse() || mulCos == mulSin)
          continue;
        SmallVector<Operation *> ops;
        bool matched = false;
        for (auto [xv, cosv] : {std::pair{mulCos.getLhs(), mulCos.getRhs()}, {mulCos.getRhs(), mulCos.getLhs()}}) {
          if (xv.getType() != add.getType() || cosv == xv || !broadcastsToRows(cosv, xv))
            continue;
          for (auto [rot, sinv] : {std::pair{mulSin.getLhs(), mulSin.getRhs()}, {mulSin.getRhs(), mulSin.getLhs()}}) {
            ops.clear();
            if (rot.getType() == add.getType() && sinv != xv && broadcastsToRows(sinv, xv) &&
                isRotateHalf(rot, xv, ops)) {
              matched = true;
              break;
            }
          }
          if (!matched)
            continue;
          // x's other users must all be in the region (the two halves and the cos product), so that
          // the region can take x's head transpose along: then the kernel reads [B, S, H, D] with strides.
          Operation *def = xv.getDefiningOp();
          auto t = dyn_cast_or_null<TransposeOp>(def);
          bool onlyHere = llvm::all_of(xv.getUsers(), [&](Operation *u) {
            return u == mulCos || llvm::is_contained(ops, u);
          });
          if (t && onlyHere && t.getPerm() == ArrayRef<int64_t>{0, 2, 1, 3} && def->getBlock() == &block)
            ops.push_back(t);
          break;
        }
        if (!matched)
          continue;
        ops.push_back(mulCos);
        ops.push_back(mulSin);
        ops.push_back(add);
        llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
        buildFusedRegion(ops, "rotary");
        break;
      }
    }
  }
};

} // namespace
