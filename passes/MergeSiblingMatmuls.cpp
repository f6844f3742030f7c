// mote-merge-sibling-matmuls: matmuls of one activation by several rank-2 weights (an attention's Q, K and V
// projections) -> one matmul by the weights side by side, and a slice of the last axis per original result
// (see Passes.td).
#include "ir/ConstantBytes.h"
#include "ir/ModuleTarget.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

namespace mote {
#define GEN_PASS_DEF_MOTEMERGESIBLINGMATMULS
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// A matmul by a rank-2 float constant of static shape, read by nothing else.
ConstantOp weightOf(MatMulOp m) {
  auto weight = m.getRhs().getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(m.getRhs().getType());
  auto lhs = cast<RankedTensorType>(m.getLhs().getType());
  if (!weight || !m.getRhs().hasOneUse() || type.getRank() != 2 || !type.hasStaticShape() ||
      !lhs.hasStaticShape() || !(type.getElementType().isF32() || type.getElementType().isF16()))
    return {};
  return weight;
}

/// The attention that reads `m`'s result split into heads (reshape [B, S, H*D] -> [B, S, H, D], then
/// transpose(0, 2, 1, 3), each read only by the next), or null. Only such projections are merged: there the
/// attention fusion reads the slices of the merged result in place, and the merged result lives no longer
/// than the separate ones would.
AttentionOp headsReadBy(MatMulOp m) {
  auto next = [](Value v) -> Operation * { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; };
  auto split = dyn_cast_or_null<ReshapeOp>(next(m.getResult()));
  if (!split || cast<RankedTensorType>(split.getType()).getRank() != 4 ||
      cast<RankedTensorType>(m.getType()).getRank() != 3)
    return {};
  auto heads = dyn_cast_or_null<TransposeOp>(next(split.getResult()));
  if (!heads || heads.getPerm() != ArrayRef<int64_t>{0, 2, 1, 3})
    return {};
  auto attention = dyn_cast_or_null<AttentionOp>(next(heads.getResult()));
  if (!attention || attention.getMask() == heads.getResult())
    return {};
  return attention;
}

/// The gated product that reads `m`'s result, directly or through an activation (SwiGLU's
/// silu(x W_gate) * (x W_up), GEGLU written with two projections), each value read only by the next; or null.
/// The elementwise fusion then reads both slices of the merged result in place.
MulOp gateReadBy(MatMulOp m) {
  auto next = [](Value v) -> Operation * { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; };
  Operation *user = next(m.getResult());
  if (user && isa<SiluOp, GeluOp>(user))
    user = next(user->getResult(0));
  auto mul = dyn_cast_or_null<MulOp>(user);
  if (!mul || mul.getLhs() == mul.getRhs() || mul.getType() != m.getType())
    return {};
  return mul;
}

/// Replaces `group` (matmuls of one lhs by weights of one K, in block order) with one matmul and slices.
LogicalResult merge(ArrayRef<MatMulOp> group) {
  MatMulOp first = group.front();
  auto weightType = cast<RankedTensorType>(first.getRhs().getType());
  Type element = weightType.getElementType();
  size_t elementSize = element.getIntOrFloatBitWidth() / 8;
  int64_t K = weightType.getShape()[0], total = 0;
  SmallVector<std::vector<char>> parts;
  SmallVector<int64_t> widths;
  for (MatMulOp m : group) {
    ConstantOp w = weightOf(m);
    std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(w.getValue()), elementSize);
    if (!bytes)
      return failure();
    parts.push_back(std::move(*bytes));
    widths.push_back(cast<RankedTensorType>(m.getRhs().getType()).getShape()[1]);
    total += widths.back();
  }
  // Row k of the merged weight: row k of each weight in turn.
  std::vector<char> merged;
  merged.reserve(static_cast<size_t>(K * total) * elementSize);
  for (int64_t k = 0; k < K; ++k)
    for (auto [bytes, n] : llvm::zip(parts, widths))
      merged.insert(merged.end(), bytes.begin() + k * n * elementSize, bytes.begin() + (k + 1) * n * elementSize);
  auto mergedType = RankedTensorType::get({K, total}, element);
  OpBuilder b(first);
  Location loc = b.getFusedLoc(llvm::map_to_vector(group, [](MatMulOp m) { return m.getLoc(); }));
  ElementsAttr value = DenseResourceElementsAttr::get(
      mergedType, "merged_projection",
      HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(merged), alignof(float)));
  auto weight = ConstantOp::create(b, loc, value);
  auto lhsType = cast<RankedTensorType>(first.getLhs().getType());
  SmallVector<int64_t> outShape(lhsType.getShape());
  outShape.back() = total;
  auto product = MatMulOp::create(b, loc, RankedTensorType::get(outShape, element), first.getLhs(), weight);
  // The slices go right after the merged product (before `first`); the matmuls go once all are made.
  b.setInsertionPointAfter(product);
  SmallVector<Value> slices;
  int64_t offset = 0;
  for (auto [member, n] : llvm::zip(group, widths)) {
    MatMulOp m = member;
    SmallVector<int64_t> starts(outShape.size(), 0), limits(outShape), steps(outShape.size(), 1);
    starts.back() = offset;
    limits.back() = offset + n;
    offset += n;
    slices.push_back(SliceOp::create(b, m.getLoc(), m.getType(), product, b.getDenseI64ArrayAttr(starts),
                                     b.getDenseI64ArrayAttr(limits), b.getDenseI64ArrayAttr(steps)));
  }
  for (auto [member, slice] : llvm::zip(group, slices)) {
    MatMulOp m = member;
    Operation *oldWeight = m.getRhs().getDefiningOp();
    m.getResult().replaceAllUsesWith(slice);
    m.erase();
    oldWeight->erase();
  }
  return success();
}

struct MergeSiblingMatmulsPass : mote::impl::MoteMergeSiblingMatmulsBase<MergeSiblingMatmulsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("sibling_matmuls") || func.isExternal())
      return;
    // Groups by (lhs, the attention or gated product reading them), in block order of their first member.
    llvm::MapVector<std::pair<Value, Operation *>, SmallVector<MatMulOp>> groups;
    for (Operation &op : func.getBody().front())
      if (auto m = dyn_cast<MatMulOp>(op); m && weightOf(m)) {
        if (AttentionOp a = headsReadBy(m))
          groups[{m.getLhs(), a}].push_back(m);
        else if (MulOp gate = gateReadBy(m))
          groups[{m.getLhs(), gate}].push_back(m);
      }
    for (auto &[lhs, group] : groups) {
      if (group.size() < 2)
        continue;
      // Slices of the merged result take the place of each matmul; the merged one goes where the first
      // was, so every member must be free to move there: nothing between them may need its result first,
      // which holds because each member's only operands are the shared lhs and its own weight.
      if (failed(merge(group)))
        continue;
    }
  }
};

} // namespace
