// mote-sink-reshapes: reshapes between a linear op and the elementwise ops after it moved below those ops,
// and a reshape of a last-axis norm's result moved above the norm, so the linear-epilogue fusion finds them
// adjacent (see Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/Passes.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTESINKRESHAPES
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// Whether `v` comes from a linear op (matmul, Gemm, convolution), directly or through elementwise ops and
/// last-axis windows these patterns already moved above a reshape.
bool isLinearResult(Value v) {
  Operation *def = v.getDefiningOp();
  for (int depth = 0; def && depth < 8; ++depth) {
    if (isa<MatMulOp, GemmOp, ConvOp>(def))
      return true;
    auto window = dyn_cast<SliceOp>(def);
    if (!isElementwiseOp(def) && !(window && window.isLastAxisWindow()))
      return false;
    def = def->getOperand(0).getDefiningOp();
  }
  return false;
}

/// elementwise(reshape(x), y...) -> reshape(elementwise(x, y'...)), x from a linear op and read only by the
/// reshape; y' is y reshaped to x's shape when y has the result's shape, y itself when it broadcasts alike.
struct SinkBelowElementwise : RewritePattern {
  explicit SinkBelowElementwise(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isElementwiseOp(op) || op->getNumResults() != 1)
      return failure();
    auto resultType = dyn_cast<RankedTensorType>(op->getResult(0).getType());
    if (!resultType || !resultType.hasStaticShape())
      return failure();
    int sunk = -1;
    for (auto [k, v] : llvm::enumerate(op->getOperands())) {
      auto reshape = v.getDefiningOp<ReshapeOp>();
      if (reshape && v.getType() == resultType && v.hasOneUse() && reshape.getInput().hasOneUse() &&
          isLinearResult(reshape.getInput()) &&
          cast<RankedTensorType>(reshape.getInput().getType()).hasStaticShape()) {
        sunk = static_cast<int>(k);
        break;
      }
    }
    if (sunk < 0)
      return failure();
    Value x = op->getOperand(sunk).getDefiningOp<ReshapeOp>().getInput();
    auto xType = cast<RankedTensorType>(x.getType());
    SmallVector<Value> operands;
    for (auto [k, v] : llvm::enumerate(op->getOperands())) {
      auto t = cast<RankedTensorType>(v.getType());
      if (static_cast<int>(k) == sunk) {
        operands.push_back(x);
      } else if (t == resultType) {
        // Another linear result at this shape read only here: the op already follows a linear op whose
        // epilogue it can be (and sinking would undo itself, that operand's new reshape then being the one
        // to sink).
        if (v.hasOneUse() && isLinearResult(v))
          return failure();
        operands.push_back(Value()); // reshaped below, once the match is sure
      } else if (t.hasStaticShape() && t.getRank() <= xType.getRank() &&
                 isPeriodicBroadcast(t.getShape(), xType.getShape()) &&
                 isPeriodicBroadcast(t.getShape(), resultType.getShape())) {
        operands.push_back(v); // broadcasts alike onto both shapes, no higher rank than either
      } else {
        return failure();
      }
    }
    for (size_t k = 0; k < operands.size(); ++k)
      if (!operands[k])
        operands[k] =
            ReshapeOp::create(rewriter, op->getLoc(), xType.clone(resultType.getElementType()), op->getOperand(k));
    Operation *moved = rewriter.clone(*op);
    moved->setOperands(operands);
    moved->getResult(0).setType(xType.clone(resultType.getElementType()));
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, resultType, moved->getResult(0));
    return success();
  }
};

/// slice(reshape(x)) -> reshape(slice(x)) for last-axis windows (GEGLU's halves of a projection) of a reshape
/// that keeps the last dimension, of a linear op's result read only by it, when only such windows read it.
struct SinkBelowWindows : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp reshape, PatternRewriter &rewriter) const override {
    Value x = reshape.getInput();
    auto in = cast<RankedTensorType>(x.getType());
    auto out = cast<RankedTensorType>(reshape.getType());
    if (!x.hasOneUse() || !isLinearResult(x) || !in.hasStaticShape() || !out.hasStaticShape() ||
        in.getRank() == 0 || out.getRank() == 0 || in.getShape().back() != out.getShape().back() ||
        reshape->use_empty() ||
        !llvm::all_of(reshape->getUsers(), [](Operation *user) {
          auto s = dyn_cast<SliceOp>(user);
          return s && s.isLastAxisWindow();
        }))
      return failure();
    for (Operation *user : llvm::make_early_inc_range(reshape->getUsers())) {
      auto s = cast<SliceOp>(user);
      SmallVector<int64_t> starts(in.getRank(), 0), limits(in.getShape()), steps(in.getRank(), 1),
          shape(in.getShape());
      starts.back() = s.getStarts().back();
      limits.back() = s.getLimits().back();
      shape.back() = limits.back() - starts.back();
      rewriter.setInsertionPoint(s);
      Value window = SliceOp::create(rewriter, s.getLoc(), in.clone(shape), x, rewriter.getDenseI64ArrayAttr(starts),
                                     rewriter.getDenseI64ArrayAttr(limits), rewriter.getDenseI64ArrayAttr(steps));
      rewriter.replaceOpWithNewOp<ReshapeOp>(s, s.getType(), window);
    }
    rewriter.eraseOp(reshape);
    return success();
  }
};

/// reshape(norm(x)) -> norm(reshape(x)) for a layer or RMS norm over the last axis read only by the reshape,
/// when the reshape keeps the last dimension and feeds linear ops alone (the projections that
/// mote-merge-sibling-matmuls may merge into one): the norm then produces the linear ops' operand itself.
struct HoistAboveNorm : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp reshape, PatternRewriter &rewriter) const override {
    Operation *norm = reshape.getInput().getDefiningOp();
    if (!isa_and_nonnull<LayerNormOp, RmsNormOp>(norm) || !reshape.getInput().hasOneUse() ||
        reshape->use_empty() ||
        !llvm::all_of(reshape->getUsers(), [](Operation *user) { return isa<MatMulOp, GemmOp, ConvOp>(user); }))
      return failure();
    auto in = cast<RankedTensorType>(reshape.getInput().getType());
    auto out = cast<RankedTensorType>(reshape.getType());
    if (!in.hasStaticShape() || !out.hasStaticShape() || in.getRank() == 0 || out.getRank() == 0 ||
        in.getShape().back() != out.getShape().back())
      return failure();
    auto axisAttr = norm->getAttrOfType<IntegerAttr>("axis");
    if (!axisAttr)
      return failure();
    int64_t axis = axisAttr.getInt();
    if (axis != -1 && axis != in.getRank() - 1)
      return failure();
    // Scale and bias: one value per normalized element, any leading 1s; they must broadcast onto the new
    // shape's last axis alike.
    for (Value v : llvm::drop_begin(norm->getOperands())) {
      auto t = cast<RankedTensorType>(v.getType());
      if (!t.hasStaticShape() || t.getNumElements() != in.getShape().back() || t.getRank() > out.getRank())
        return failure();
    }
    Value x = ReshapeOp::create(rewriter, reshape.getLoc(), out.clone(in.getElementType()), norm->getOperand(0));
    Operation *moved = rewriter.clone(*norm);
    moved->setOperand(0, x);
    moved->getResult(0).setType(out);
    moved->setAttr("axis", rewriter.getIntegerAttr(axisAttr.getType(), out.getRank() - 1));
    rewriter.replaceOp(reshape, moved->getResults());
    return success();
  }
};

struct SinkReshapesPass : mote::impl::MoteSinkReshapesBase<SinkReshapesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("linear_epilogue") || func.isExternal())
      return;
    RewritePatternSet patterns(&getContext());
    patterns.add<SinkBelowElementwise, SinkBelowWindows>(&getContext());
    if (target.canFuse("norm_prologue") || target.canFuse("norm_prologue_conv"))
      patterns.add<HoistAboveNorm>(&getContext());
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
