// mote-convert-layout: convolutions, pooling and norms in the target's activation layout (NHWC), with
// the transposes this needs sunk through layout-agnostic ops until they meet and cancel.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "ir/ShapeUtils.h"
#include "ir/ModuleTarget.h"

#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTECONVERTLAYOUT
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// [0, 2, ..., r-1, 1]: NCHW -> NHWC; and its inverse [0, r-1, 1, ..., r-2].
SmallVector<int64_t> toLastPerm(int64_t rank) {
  SmallVector<int64_t> p = {0};
  for (int64_t d = 2; d < rank; ++d)
    p.push_back(d);
  p.push_back(1);
  return p;
}

SmallVector<int64_t> inversePerm(ArrayRef<int64_t> perm) {
  SmallVector<int64_t> inv(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    inv[p] = i;
  return inv;
}

SmallVector<int64_t> permuteShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> perm) {
  SmallVector<int64_t> out;
  for (int64_t p : perm)
    out.push_back(shape[p]);
  return out;
}

Value transpose(PatternRewriter &rewriter, Location loc, Value v, ArrayRef<int64_t> perm) {
  return TransposeOp::create(rewriter, loc, v, rewriter.getDenseI64ArrayAttr(perm));
}

// An NCHW conv, pool or norm becomes channels_last between a transpose in and a transpose out.
struct ToChannelsLast : RewritePattern {
  ToChannelsLast(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), /*benefit=*/1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<ConvOp, ConvTransposeOp, MaxPoolOp, AveragePoolOp, BatchNormOp, InstanceNormOp, GroupNormOp>(op))
      return failure();
    auto last = op->getAttrOfType<BoolAttr>("channels_last");
    auto type = cast<RankedTensorType>(op->getOperand(0).getType());
    if ((last && last.getValue()) || type.getRank() < 3)
      return failure();
    int64_t rank = type.getRank();
    auto toLast = toLastPerm(rank);
    Location loc = op->getLoc();
    Value input = transpose(rewriter, loc, op->getOperand(0), toLast);
    OperationState state(loc, op->getName());
    state.addOperands(input);
    state.addOperands(op->getOperands().drop_front());
    state.addAttributes(op->getAttrs());
    state.attributes.set("channels_last", rewriter.getBoolAttr(true));
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    state.addTypes(resultType.clone(permuteShape(resultType.getShape(), toLast)));
    Operation *converted = rewriter.create(state);
    rewriter.replaceOp(op, transpose(rewriter, loc, converted->getResult(0), inversePerm(toLast)));
    return success();
  }
};

// A transpose that sinking should move: a layout change (NHWC -> NCHW or back) of an activation. The
// model's own transposes (attention heads) stay where the exporter put them.
TransposeOp activationTranspose(Value v) {
  auto t = v.getDefiningOp<TransposeOp>();
  if (!t || isConstantComputed(t.getInput()))
    return nullptr;
  auto toLast = toLastPerm(t.getPerm().size());
  bool layoutChange = t.getPerm() == ArrayRef<int64_t>(toLast) || t.getPerm() == ArrayRef<int64_t>(inversePerm(toLast));
  return layoutChange && t.getPerm().size() >= 3 ? t : nullptr;
}

// A chain of reshapes and transposes that moves no element is one reshape of its root. Checked by
// following every element back through the chain (transposes move it, reshapes keep its linear index):
// exact, and linear in the tensor size, which bounds the check.
constexpr int64_t kMaxCheckedElements = int64_t(1) << 22;

struct Chain {
  Value root;
  SmallVector<Operation *> ops; // root first
};

std::optional<Chain> traceChain(Value v) {
  Chain chain;
  while (Operation *op = v.getDefiningOp()) {
    if (!isa<ReshapeOp, TransposeOp>(op))
      break;
    chain.ops.push_back(op);
    v = op->getOperand(0);
  }
  if (chain.ops.empty())
    return std::nullopt;
  chain.root = v;
  std::reverse(chain.ops.begin(), chain.ops.end());
  return chain;
}

// Whether `chain` followed by a transpose by `extraPerm` (if not empty) moves no element.
bool movesNoElement(const Chain &chain, ArrayRef<int64_t> extraPerm) {
  auto rootType = cast<RankedTensorType>(chain.root.getType());
  if (!rootType.hasStaticShape() || rootType.getNumElements() > kMaxCheckedElements)
    return false;
  // Per step: the perm (empty for a reshape) and the shape of its input.
  SmallVector<std::pair<SmallVector<int64_t>, SmallVector<int64_t>>> steps;
  for (Operation *op : chain.ops) {
    auto in = cast<RankedTensorType>(op->getOperand(0).getType()).getShape();
    SmallVector<int64_t> perm;
    if (auto t = dyn_cast<TransposeOp>(op))
      perm.assign(t.getPerm().begin(), t.getPerm().end());
    steps.push_back({perm, SmallVector<int64_t>(in)});
  }
  auto last = cast<RankedTensorType>(chain.ops.back()->getResult(0).getType()).getShape();
  if (!extraPerm.empty())
    steps.push_back({SmallVector<int64_t>(extraPerm), SmallVector<int64_t>(last)});
  SmallVector<int64_t> outShape = extraPerm.empty() ? SmallVector<int64_t>(last) : permuteShape(last, extraPerm);
  for (int64_t k = 0, n = rootType.getNumElements(); k < n; ++k) {
    int64_t linear = k;
    SmallVector<int64_t> shape = outShape;
    for (auto &[perm, inShape] : llvm::reverse(steps)) {
      if (!perm.empty()) {
        auto idx = unravelIndex(linear, shape);
        SmallVector<int64_t> inIdx(idx.size());
        for (size_t d = 0; d < perm.size(); ++d)
          inIdx[perm[d]] = idx[d];
        linear = 0;
        for (size_t d = 0; d < inIdx.size(); ++d)
          linear = linear * inShape[d] + inIdx[d];
      }
      shape = inShape;
    }
    if (linear != k)
      return false;
  }
  return true;
}

// Whether transposing `v` by `perm` would make a chain that moves no element.
bool transposeCollapses(Value v, ArrayRef<int64_t> perm) {
  auto chain = traceChain(v);
  return chain && movesNoElement(*chain, perm);
}

// A reshape/transpose chain that moves no element becomes one reshape of its root.
struct CollapseRegroupingChain : RewritePattern {
  CollapseRegroupingChain(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<ReshapeOp, TransposeOp>(op) || !op->getOperand(0).getDefiningOp() ||
        !isa<ReshapeOp, TransposeOp>(op->getOperand(0).getDefiningOp()))
      return failure();
    auto chain = traceChain(op->getResult(0));
    if (!chain || !movesNoElement(*chain, {}))
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(op, op->getResult(0).getType(), chain->root);
    return success();
  }
};


// op(transpose(x)) -> transpose(op(x)) for elementwise ops of one operand.
struct SinkThroughUnary : RewritePattern {
  SinkThroughUnary(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<ReluOp, SigmoidOp, TanhOp, SiluOp, GeluOp, ExpOp, LogOp, SqrtOp, NegOp, AbsOp, ReciprocalOp,
             ErfOp, SinOp, CosOp, HardSigmoidOp, LeakyReluOp, ClipOp, CastOp, NotOp>(op))
      return failure();
    auto t = activationTranspose(op->getOperand(0));
    if (!t)
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    Operation *moved = rewriter.clone(*op);
    moved->setOperand(0, t.getInput());
    moved->getResult(0).setType(
        cast<RankedTensorType>(t.getInput().getType()).clone(resultType.getElementType()));
    rewriter.replaceOp(op, transpose(rewriter, op->getLoc(), moved->getResult(0), t.getPerm()));
    return success();
  }
};

// op(transpose(a), b) -> transpose(op(a, transpose^-1(b))) for broadcasting binary ops, when b is a
// transpose with the same perm, a constant, or small (a per-channel bias, a time embedding).
struct SinkThroughBinary : RewritePattern {
  SinkThroughBinary(MLIRContext *ctx) : RewritePattern(MatchAnyOpTypeTag(), 1, ctx) {}

  LogicalResult matchAndRewrite(Operation *op, PatternRewriter &rewriter) const override {
    if (!isa<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp>(op))
      return failure();
    auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
    int64_t rank = resultType.getRank();
    TransposeOp lead;
    for (Value v : op->getOperands())
      if (auto t = activationTranspose(v); t && t.getType().getShape() == resultType.getShape()) {
        lead = t;
        break;
      }
    if (!lead)
      return failure();
    ArrayRef<int64_t> perm = lead.getPerm();
    auto inverse = inversePerm(perm);
    SmallVector<Value> operands;
    for (Value v : op->getOperands()) {
      if (auto t = v.getDefiningOp<TransposeOp>(); t && t.getPerm() == perm) {
        operands.push_back(t.getInput());
        continue;
      }
      auto vt = cast<RankedTensorType>(v.getType());
      bool small = vt.getNumElements() * 16 <= resultType.getNumElements();
      if (!isConstantComputed(v) && !small && !transposeCollapses(v, inverse))
        return failure(); // a full-size activation in the other layout: leave it
      // Broadcasting aligns right: give v the full rank, then transpose it the other way.
      SmallVector<int64_t> shape(rank - vt.getRank(), 1);
      llvm::append_range(shape, vt.getShape());
      Value full = vt.getRank() == rank ? v : ReshapeOp::create(rewriter, op->getLoc(), vt.clone(shape), v);
      operands.push_back(transpose(rewriter, op->getLoc(), full, inverse));
    }
    Operation *moved = rewriter.clone(*op);
    moved->setOperands(operands);
    moved->getResult(0).setType(resultType.clone(permuteShape(resultType.getShape(), inverse)));
    rewriter.replaceOp(op, transpose(rewriter, op->getLoc(), moved->getResult(0), perm));
    return success();
  }
};

// concat(transpose(a), transpose(b)) -> transpose(concat(a, b)) on the permuted axis.
struct SinkThroughConcat : OpRewritePattern<ConcatOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ConcatOp op, PatternRewriter &rewriter) const override {
    auto first = activationTranspose(op.getInputs()[0]);
    if (!first)
      return failure();
    ArrayRef<int64_t> perm = first.getPerm();
    SmallVector<Value> inputs;
    for (Value v : op.getInputs()) {
      auto t = v.getDefiningOp<TransposeOp>();
      if (!t || t.getPerm() != perm)
        return failure();
      inputs.push_back(t.getInput());
    }
    int64_t axis = *normalizeAxis(static_cast<int64_t>(op.getAxis()), op.getType().getRank());
    auto moved = ConcatOp::create(rewriter, op.getLoc(), inputs, rewriter.getI64IntegerAttr(perm[axis]));
    // Keep what other passes recorded on the op (mote.serialization for the report).
    moved->setDiscardableAttrs(op->getDiscardableAttrDictionary());
    rewriter.replaceOp(op, transpose(rewriter, op.getLoc(), moved, perm));
    return success();
  }
};

// resize(transpose(x)) -> transpose(resize(x)) with the scales permuted.
struct SinkThroughResize : OpRewritePattern<ResizeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ResizeOp op, PatternRewriter &rewriter) const override {
    auto t = activationTranspose(op.getInput());
    if (!t)
      return failure();
    ArrayRef<int64_t> perm = t.getPerm();
    auto inverse = inversePerm(perm);
    SmallVector<float> scales(perm.size());
    for (auto [i, p] : llvm::enumerate(perm))
      scales[p] = op.getScales()[i];
    auto type = op.getType();
    auto moved = ResizeOp::create(rewriter, op.getLoc(), type.clone(permuteShape(type.getShape(), inverse)),
                                  t.getInput(), op.getModeAttr(), op.getCoordinateTransformationModeAttr(),
                                  op.getNearestModeAttr(), rewriter.getDenseF32ArrayAttr(scales));
    rewriter.replaceOp(op, transpose(rewriter, op.getLoc(), moved, perm));
    return success();
  }
};

// slice(transpose(x)) -> transpose(slice(x)) with the bounds permuted (serialized convolutions slice
// their input rows).
struct SinkThroughSlice : OpRewritePattern<SliceOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SliceOp op, PatternRewriter &rewriter) const override {
    auto t = activationTranspose(op.getInput());
    if (!t)
      return failure();
    ArrayRef<int64_t> perm = t.getPerm();
    size_t rank = perm.size();
    SmallVector<int64_t> starts(rank), limits(rank), steps(rank);
    for (size_t i = 0; i < rank; ++i) {
      starts[perm[i]] = op.getStarts()[i];
      limits[perm[i]] = op.getLimits()[i];
      steps[perm[i]] = op.getSteps()[i];
    }
    auto moved = SliceOp::create(rewriter, op.getLoc(), t.getInput(), rewriter.getDenseI64ArrayAttr(starts),
                                 rewriter.getDenseI64ArrayAttr(limits), rewriter.getDenseI64ArrayAttr(steps));
    rewriter.replaceOp(op, transpose(rewriter, op.getLoc(), moved, perm));
    return success();
  }
};

struct ConvertLayoutPass : mote::impl::MoteConvertLayoutBase<ConvertLayoutPass> {
  void runOnOperation() override {
    TargetAttr target = getModuleTarget(getOperation());
    if (!target || target.getLayout() != "NHWC")
      return;
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<ToChannelsLast, SinkThroughUnary, SinkThroughBinary>(ctx);
    patterns.add<SinkThroughConcat, SinkThroughResize, SinkThroughSlice, CollapseRegroupingChain>(ctx);
    // transpose(transpose(x)) composes, and cancels to x, through the folders.
    TransposeOp::getCanonicalizationPatterns(patterns, ctx);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
