// mote-fuse-elementwise: chains of elementwise float ops -> mote.fused "elementwise" regions, or
// "norm_elementwise" ones when a norm feeds the chain (see Passes.td for the rules).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/Passes.h"

namespace mote {
#define GEN_PASS_DEF_MOTEFUSEELEMENTWISE
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// The most ops one region holds: the kernel keeps one block of every value in fast memory.
constexpr size_t kMaxRegionOps = 24;

bool isFloatTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && tensor.hasStaticShape() && isa<FloatType>(tensor.getElementType());
}

/// An op the elementwise kernel computes: one of the unary or binary float ops with a kernel of the
/// runtime's elementwise families, every operand a periodic broadcast of the result.
bool isFusible(Operation &op) {
  if (!isElementwiseOp(&op))
    return false;
  if (op.getNumResults() != 1 || !isFloatTensor(op.getResult(0).getType()))
    return false;
  auto result = cast<RankedTensorType>(op.getResult(0).getType());
  return llvm::all_of(op.getOperands(), [&](Value v) {
    return isFloatTensor(v.getType()) &&
           cast<RankedTensorType>(v.getType()).getElementType() == result.getElementType() &&
           isPeriodicBroadcast(cast<RankedTensorType>(v.getType()).getShape(), result.getShape());
  });
}

struct Region {
  SmallVector<Operation *> ops;
  RankedTensorType type;
  StringRef kind = "elementwise";
};

/// The norm that `op` (about to start a region) may take in front of it: a group, layer or RMS norm of
/// `op`'s result type whose only user is `op`.
Operation *leadingNorm(Operation &op) {
  for (Value v : op.getOperands()) {
    Operation *def = v.getDefiningOp();
    if (def && isa<GroupNormOp, LayerNormOp, RmsNormOp>(def) && v.getType() == op.getResult(0).getType() &&
        v.hasOneUse() && def->getBlock() == op.getBlock())
      return def;
  }
  return nullptr;
}

class RegionFormer {
public:
  RegionFormer(Block &block, bool withNorms) : block(block), withNorms(withNorms) {}

  void run() {
    for (Operation &op : block) {
      if (!isFusible(op))
        continue;
      int chosen = -1;
      for (Value v : op.getOperands()) {
        Operation *def = v.getDefiningOp();
        auto it = def ? regionOf.find(def) : regionOf.end();
        if (it != regionOf.end() && canAppend(regions[it->second], op)) {
          chosen = it->second;
          break;
        }
      }
      if (chosen < 0) {
        chosen = regions.size();
        regions.push_back({{}, cast<RankedTensorType>(op.getResult(0).getType())});
        if (Operation *norm = withNorms ? leadingNorm(op) : nullptr) {
          regions.back().ops.push_back(norm);
          regions.back().kind = "norm_elementwise";
          regionOf[norm] = chosen;
        }
      }
      regions[chosen].ops.push_back(&op);
      regionOf[&op] = chosen;
    }
    for (Region &r : regions) {
      if (r.kind == "elementwise")
        takeSlices(r);
      if (r.ops.size() >= 2)
        build(r);
    }
  }

private:
  /// Whether `op` (after every op of `r` in the block) may join `r`: same result type, room left, and no
  /// op outside `r` between them uses a value of `r` (the region is computed where its last op is).
  bool canAppend(const Region &r, Operation &op) {
    if (op.getResult(0).getType() != r.type || r.ops.size() >= kMaxRegionOps)
      return false;
    for (Operation *member : r.ops)
      for (Operation *user : member->getUsers()) {
        Operation *u = ancestorInBlock(user, &block);
        if (u != &op && !llvm::is_contained(r.ops, u) && u->isBeforeInBlock(&op))
          return false;
      }
    return true;
  }

  /// Takes into `r` each slice that only `r` reads and that keeps rows of its input whole but for a window
  /// of the last axis, of the region's type: the kernel reads those rows in place instead of a copy.
  void takeSlices(Region &r) {
    SmallVector<Operation *> slices;
    for (Operation *op : r.ops)
      for (Value v : op->getOperands()) {
        auto slice = v.getDefiningOp<SliceOp>();
        if (slice && slice->getBlock() == &block && v.hasOneUse() && v.getType() == r.type &&
            isFloatTensor(slice.getInput().getType()) && slice.isLastAxisWindow())
          slices.push_back(slice);
      }
    if (slices.empty())
      return;
    llvm::append_range(r.ops, slices);
    llvm::sort(r.ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  }

  void build(Region &r) { buildFusedRegion(r.ops, r.kind); }

  Block &block;
  bool withNorms;
  std::vector<Region> regions;
  DenseMap<Operation *, int> regionOf;
};

struct FuseElementwisePass : mote::impl::MoteFuseElementwiseBase<FuseElementwisePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("elementwise") || func.isExternal())
      return;
    RegionFormer(func.getBody().front(), target.canFuse("norm_elementwise")).run();
  }
};

} // namespace
