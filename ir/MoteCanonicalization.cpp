// Dialect-wide canonicalization patterns of `mote` (ops' own folders are in MoteFolders.cpp).
//
// Splat operands of broadcasting ops shrink to all-ones shapes. Exporters build masks and fills at full
// size (torch's causal mask is `full((s, s), min)` fed to a Where): folded, that is a splat constant as
// large as the activation, which the weights file would store element by element (16 GiB for a
// 65,536-token Llama). When the other operands already give the result its shape, the splat may as well
// be one element broadcast, for targets whose elementwise ops broadcast implicitly. Small splats stay as
// they are: they cost nothing, and the composite recognizers read a norm's scale (often all ones in a
// fresh model) at its full size.
#include "ir/MoteDialect.h"
#include "ir/ModuleTarget.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;

namespace mote {

namespace {

/// Splats of more elements than this shrink.
constexpr int64_t kLargeSplatElements = 1 << 14;

/// The broadcast of `shapes` (right-aligned, ONNX multidirectional rules), at least `rank` long.
SmallVector<int64_t> broadcastShape(ArrayRef<ArrayRef<int64_t>> shapes, int64_t rank) {
  SmallVector<int64_t> result(rank, 1);
  for (ArrayRef<int64_t> shape : shapes)
    for (size_t i = 0; i < shape.size(); ++i) {
      int64_t &dim = result[rank - shape.size() + i];
      if (dim == 1)
        dim = shape[i];
    }
  return result;
}

struct ShrinkSplatOperand : RewritePattern {
  explicit ShrinkSplatOperand(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp, EqualOp, LessOp, GreaterOp, LessOrEqualOp,
             GreaterOrEqualOp, AndOp, OrOp, WhereOp>(op))
      return failure();
    if (TargetAttr target = getModuleTarget(op); target && !target.getImplicitBroadcast())
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return failure();
    for (OpOperand &operand : op->getOpOperands()) {
      auto constant = operand.get().getDefiningOp<ConstantOp>();
      auto splat = constant ? dyn_cast<SplatElementsAttr>(constant.getValue()) : nullptr;
      if (!splat || splat.getNumElements() <= kLargeSplatElements)
        continue;
      SmallVector<ArrayRef<int64_t>> others;
      for (OpOperand &other : op->getOpOperands())
        if (&other != &operand)
          others.push_back(cast<RankedTensorType>(other.get().getType()).getShape());
      if (broadcastShape(others, resultType.getRank()) != resultType.getShape())
        continue;
      auto type = RankedTensorType::get(SmallVector<int64_t>(splat.getType().getRank(), 1),
                                        splat.getElementType());
      Value small = ConstantOp::create(rewriter, constant.getLoc(), splat.resizeSplat(type));
      rewriter.modifyOpInPlace(op, [&] { operand.set(small); });
      return success();
    }
    return failure();
  }
};

} // namespace

void MoteDialect::getCanonicalizationPatterns(RewritePatternSet &results) const {
  results.add<ShrinkSplatOperand>(getContext());
}

} // namespace mote
