// mote-decompose-composites: layer_norm, rms_norm, gelu, silu and attention that the target has no kernel
// for -> the primitive ops of their ODS decompositions.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"
#include "ir/ModuleTarget.h"

#include "ir/ShapeUtils.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <numeric>

namespace mote {
#define GEN_PASS_DEF_MOTEDECOMPOSECOMPOSITES
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// What a decomposition builds with: the rewriter, the composite's location (which names its ONNX
// node), and whether a constant operand may be a scalar the target broadcasts, or must have the full
// shape of the value it meets (a splat attribute, so it costs no memory here either way).
struct Builder {
  PatternRewriter &rewriter;
  Location loc;
  bool implicitBroadcast;

  Value constant(Value like, double value) const {
    auto type = cast<RankedTensorType>(like.getType());
    return implicitBroadcast ? scalarConstant(rewriter, loc, type.getElementType(), value)
                             : splatConstant(rewriter, loc, type, value);
  }
  Value add(Value a, Value b) const { return AddOp::create(rewriter, loc, a, b); }
  Value sub(Value a, Value b) const { return SubOp::create(rewriter, loc, a, b); }
  Value mul(Value a, Value b) const { return MulOp::create(rewriter, loc, a, b); }
  Value div(Value a, Value b) const { return DivOp::create(rewriter, loc, a, b); }
  Value mean(Value x, ArrayRef<int64_t> axes) const {
    return ReduceMeanOp::create(rewriter, loc, x, axes, /*keepdims=*/true);
  }
  Value reshape(Value x, ArrayRef<int64_t> shape) const {
    return ReshapeOp::create(rewriter, loc, cast<RankedTensorType>(x.getType()).clone(shape), x);
  }
};

// The axes [axis, rank) a layer or RMS norm normalizes over.
SmallVector<int64_t> tailAxes(Value x, int64_t axis) {
  int64_t rank = cast<RankedTensorType>(x.getType()).getRank();
  SmallVector<int64_t> axes(rank - *normalizeAxis(axis, rank));
  std::iota(axes.begin(), axes.end(), rank - static_cast<int64_t>(axes.size()));
  return axes;
}

// reduce_mean, sub, mul, reduce_mean, add epsilon, sqrt, div, mul scale, add bias. Recognition fills
// a missing scale with ones: that multiply is left out.
Value decompose(LayerNormOp op, const Builder &b) {
  Value x = op.getInput();
  auto axes = tailAxes(x, op.getAxis());
  Value centered = b.sub(x, b.mean(x, axes));
  Value var = b.mean(b.mul(centered, centered), axes);
  Value eps = b.constant(var, op.getEpsilon().convertToDouble());
  Value stddev = SqrtOp::create(b.rewriter, b.loc, b.add(var, eps));
  Value y = b.div(centered, stddev);
  if (!isSplat(op.getScale(), 1.0))
    y = b.mul(y, op.getScale());
  if (op.getBias() && splatValue(op.getBias()) != 0.0)
    y = b.add(y, op.getBias());
  return y;
}

// mul, reduce_mean, add, sqrt, div, mul.
Value decompose(RmsNormOp op, const Builder &b) {
  Value x = op.getInput();
  Value meanSquare = b.mean(b.mul(x, x), tailAxes(x, op.getAxis()));
  Value eps = b.constant(meanSquare, op.getEpsilon().convertToDouble());
  Value rms = SqrtOp::create(b.rewriter, b.loc, b.add(meanSquare, eps));
  Value y = b.div(x, rms);
  if (!isSplat(op.getScale(), 1.0))
    y = b.mul(y, op.getScale());
  return y;
}

// The three formulas of the ODS description, in the association the GELU recognizer reads back:
// (0.5 * x) * (1 + f(x)).
Value decompose(GeluOp op, const Builder &b) {
  Value x = op.getInput();
  StringRef approximate = op.getApproximate();
  if (approximate == "sigmoid") {
    Value s = SigmoidOp::create(b.rewriter, b.loc, b.mul(x, b.constant(x, 1.702)));
    return b.mul(x, s);
  }
  Value f;
  if (approximate == "tanh") {
    Value cube = b.mul(b.mul(x, x), x);
    Value inner = b.add(x, b.mul(cube, b.constant(x, 0.044715)));
    f = TanhOp::create(b.rewriter, b.loc, b.mul(inner, b.constant(x, std::sqrt(2.0 / M_PI))));
  } else {
    assert(approximate == "none" && "the verifier admits none, tanh and sigmoid");
    // x / sqrt(2) as x * (1 / sqrt(2)): the same formula, a multiply on the device.
    f = ErfOp::create(b.rewriter, b.loc, b.mul(x, b.constant(x, M_SQRT1_2)));
  }
  Value onePlus = b.add(f, b.constant(f, 1.0));
  return b.mul(b.mul(x, b.constant(x, 0.5)), onePlus);
}

// sigmoid, mul.
Value decompose(SiluOp op, const Builder &b) {
  Value x = op.getInput();
  return b.mul(x, SigmoidOp::create(b.rewriter, b.loc, x));
}

// matmul(q, transpose(k)), mul by scale, add mask, softmax(-1), matmul by v.
//
// Grouped-query attention (Hkv < H) repeats no key/value head: the G = H / Hkv query heads that share
// key/value head j are heads j*G .. j*G + G-1, adjacent in memory, so q viewed as [B, Hkv, G*Sq, D]
// meets its own key/value head in a plain batched matmul. No mote.expand, no rank-5 value, no copies of
// K or V; the scores are viewed as [B, H, Sq, Sk] only where the mask must broadcast against them.
Value decompose(AttentionOp op, const Builder &b) {
  Value q = op.getQuery(), k = op.getKey(), v = op.getValue(), mask = op.getMask();
  auto qt = op.getQuery().getType(), kt = op.getKey().getType(), vt = op.getValue().getType();
  int64_t batch = qt.getDimSize(0), heads = qt.getDimSize(1), sq = qt.getDimSize(2), d = qt.getDimSize(3);
  int64_t kvHeads = kt.getDimSize(1), sk = kt.getDimSize(2), dv = vt.getDimSize(3);
  int64_t group = heads / kvHeads;
  if (group > 1)
    q = b.reshape(q, {batch, kvHeads, group * sq, d});
  Value kT = TransposeOp::create(b.rewriter, b.loc, k, ArrayRef<int64_t>{0, 1, 3, 2});
  Value scores = MatMulOp::create(b.rewriter, b.loc, q, kT);
  scores = b.mul(scores, b.constant(scores, op.getScale().convertToDouble()));
  if (mask) {
    Type et = qt.getElementType();
    if (cast<RankedTensorType>(mask.getType()).getElementType() != et)
      mask = CastOp::create(b.rewriter, b.loc, mask, TypeAttr::get(et));
    if (group > 1)
      scores = b.reshape(scores, {batch, heads, sq, sk});
    scores = b.add(scores, mask);
    if (group > 1)
      scores = b.reshape(scores, {batch, kvHeads, group * sq, sk});
  }
  Value probs = SoftmaxOp::create(b.rewriter, b.loc, scores, b.rewriter.getI64IntegerAttr(-1));
  Value out = MatMulOp::create(b.rewriter, b.loc, probs, v);
  if (group > 1)
    out = b.reshape(out, {batch, heads, sq, dv});
  return out;
}

template <typename OpTy>
struct DecomposePattern : OpRewritePattern<OpTy> {
  DecomposePattern(MLIRContext *ctx, TargetAttr target) : OpRewritePattern<OpTy>(ctx), target(target) {}

  LogicalResult matchAndRewrite(OpTy op, PatternRewriter &rewriter) const override {
    if (target.isNative(op->getName().stripDialect()))
      return rewriter.notifyMatchFailure(op, "the target has a kernel for it");
    Builder b{rewriter, op.getLoc(), target.getImplicitBroadcast()};
    Value result = decompose(op, b);
    assert(result.getType() == op.getType() && "a decomposition keeps the result type");
    rewriter.replaceOp(op, result);
    return success();
  }

  TargetAttr target;
};

// Why `op` has no decomposition for `target`, or an empty string. Norms broadcast their statistics over
// the normalized axes and a smaller mask broadcasts against the scores: a target that broadcasts nothing
// implicitly (and so has no mote.expand either) cannot run them decomposed.
std::string obstacle(Operation *op, TargetAttr target) {
  std::string why;
  llvm::raw_string_ostream os(why);
  bool broadcasts = target.getImplicitBroadcast();
  if (isa<LayerNormOp, RmsNormOp>(op) && !broadcasts)
    os << "its statistics must broadcast over the normalized axes, and the target allows no implicit "
          "broadcasting";
  if (auto attention = dyn_cast<AttentionOp>(op)) {
    auto qt = attention.getQuery().getType(), kt = attention.getKey().getType();
    int64_t scores[] = {qt.getDimSize(0), qt.getDimSize(1), qt.getDimSize(2), kt.getDimSize(2)};
    if (qt.getDimSize(1) != kt.getDimSize(1) && (!qt.hasStaticShape() || !kt.hasStaticShape()))
      os << "grouped-query heads are regrouped by reshapes, which need static shapes";
    else if (attention.getMask() && !broadcasts &&
             attention.getMask().getType().getShape() != ArrayRef<int64_t>(scores)) {
      os << "its mask '" << attention.getMask().getType() << "' must broadcast against the scores [";
      llvm::interleave(scores, os, ", ");
      os << "], and the target allows no implicit broadcasting";
    }
  }
  return why;
}

struct DecomposeCompositesPass : mote::impl::MoteDecomposeCompositesBase<DecomposeCompositesPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = getModuleTarget(module);
    if (!target)
      return;
    // The composites this pass owns and the target has no kernel for.
    auto decomposable = [&](Operation *op) {
      return isa<LayerNormOp, RmsNormOp, GeluOp, SiluOp, AttentionOp>(op) &&
             !target.isNative(op->getName().stripDialect());
    };
    SmallVector<Operation *> composites;
    bool failed = false;
    module.walk([&](Operation *op) {
      if (!decomposable(op))
        return;
      if (std::string why = obstacle(op, target); !why.empty()) {
        op->emitError() << "cannot decompose " << op->getName() << " for target '" << target.getName()
                        << "': " << why;
        failed = true;
      }
      composites.push_back(op);
    });
    if (failed)
      return signalPassFailure();
    if (composites.empty())
      return;
    MLIRContext *ctx = &getContext();
    RewritePatternSet patterns(ctx);
    patterns.add<DecomposePattern<LayerNormOp>, DecomposePattern<RmsNormOp>, DecomposePattern<GeluOp>,
                 DecomposePattern<SiluOp>, DecomposePattern<AttentionOp>>(ctx, target);
    // Only the composites and what replaces them are rewritten (and folded).
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (mlir::failed(applyOpPatternsGreedily(composites, std::move(patterns), config)))
      return signalPassFailure();
    module.walk([&](Operation *op) {
      if (decomposable(op)) {
        op->emitError() << op->getName() << " was not decomposed";
        signalPassFailure();
      }
    });
  }
};

} // namespace
