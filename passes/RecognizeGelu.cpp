// mote-recognize-gelu: GELU in its erf and tanh forms, and QuickGELU, -> mote.gelu.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZEGELU
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// 1 + t, with t the known value: returns the add.
AddOp onePlus(Value t) {
  auto add = soleUser<AddOp>(t);
  if (!add || !isSplat(otherOperand(add, t), 1.0))
    return nullptr;
  return add;
}

// Replaces `root` (the final multiply of 0.5 * x * (1 + f(x))) by gelu(x).
LogicalResult replaceWithGelu(PatternRewriter &rewriter, Value u, Value x, StringRef approximate) {
  Operation *root = matchHalfTimes(u, x);
  if (!root || root->getResult(0).getType() != x.getType())
    return failure();
  rewriter.setInsertionPoint(root);
  auto gelu = GeluOp::create(rewriter, root->getLoc(), x, rewriter.getStringAttr(approximate));
  rewriter.replaceOp(root, gelu.getResult());
  return success();
}

// 0.5 * x * (1 + erf(x / sqrt(2))), with x / sqrt(2) also as x * (1 / sqrt(2)).
struct ErfGeluPattern : OpRewritePattern<ErfOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ErfOp erf, PatternRewriter &rewriter) const override {
    Value x;
    if (auto div = erf.getInput().getDefiningOp<DivOp>()) {
      if (isSplat(div.getRhs(), std::sqrt(2.0)))
        x = div.getLhs();
    } else if (auto mul = erf.getInput().getDefiningOp<MulOp>()) {
      if (auto m = matchEither(mul, [](Value v) { return isSplat(v, 1.0 / std::sqrt(2.0)); }))
        x = m->second;
    }
    if (!x)
      return rewriter.notifyMatchFailure(erf, "input is not x / sqrt(2)");
    auto add = onePlus(erf.getResult());
    if (!add || failed(replaceWithGelu(rewriter, add.getResult(), x, "none")))
      return rewriter.notifyMatchFailure(erf, "not 0.5 * x * (1 + erf(...))");
    return success();
  }
};

// x^3 as pow(x, 3) or x * x * x.
bool isCube(Value v, Value &x) {
  if (auto pow = v.getDefiningOp<PowOp>()) {
    if (isSplat(pow.getRhs(), 3.0)) {
      x = pow.getLhs();
      return true;
    }
    return false;
  }
  auto mul = v.getDefiningOp<MulOp>();
  if (!mul)
    return false;
  for (auto [sq, lin] : {std::pair(mul.getLhs(), mul.getRhs()), std::pair(mul.getRhs(), mul.getLhs())})
    if (auto inner = sq.getDefiningOp<MulOp>(); inner && inner.getLhs() == lin && inner.getRhs() == lin) {
      x = lin;
      return true;
    }
  return false;
}

// 0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3))).
struct TanhGeluPattern : OpRewritePattern<TanhOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(TanhOp tanh, PatternRewriter &rewriter) const override {
    auto scaled = tanh.getInput().getDefiningOp<MulOp>();
    if (!scaled)
      return failure();
    auto k = matchEither(scaled, [](Value v) { return isSplat(v, std::sqrt(2.0 / M_PI)); });
    if (!k)
      return rewriter.notifyMatchFailure(tanh, "input is not sqrt(2/pi) * ...");
    auto inner = k->second.getDefiningOp<AddOp>();
    if (!inner)
      return failure();
    // x + 0.044715 * x^3 (either order of the add and of the multiply).
    Value x;
    for (auto [lin, cubic] : {std::pair(inner.getLhs(), inner.getRhs()), std::pair(inner.getRhs(), inner.getLhs())}) {
      auto mul = cubic.getDefiningOp<MulOp>();
      if (!mul)
        continue;
      auto c = matchEither(mul, [](Value v) { return isSplat(v, 0.044715); });
      Value base;
      if (c && isCube(c->second, base) && base == lin)
        x = lin;
    }
    if (!x)
      return rewriter.notifyMatchFailure(tanh, "not x + 0.044715 * x^3");
    auto add = onePlus(tanh.getResult());
    if (!add || failed(replaceWithGelu(rewriter, add.getResult(), x, "tanh")))
      return rewriter.notifyMatchFailure(tanh, "not 0.5 * x * (1 + tanh(...))");
    return success();
  }
};

// x * sigmoid(1.702 * x): CLIP's QuickGELU.
struct QuickGeluPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    auto match = matchEither(mul, [&](Value v) {
      auto sigmoid = v.getDefiningOp<SigmoidOp>();
      if (!sigmoid)
        return false;
      auto inner = sigmoid.getInput().getDefiningOp<MulOp>();
      if (!inner)
        return false;
      auto k = matchEither(inner, [](Value c) { return isSplat(c, 1.702); });
      return k && k->second == otherOperand(mul, v);
    });
    if (!match || match->second.getType() != mul.getType())
      return rewriter.notifyMatchFailure(mul, "not x * sigmoid(1.702 * x)");
    rewriter.replaceOpWithNewOp<GeluOp>(mul, match->second, rewriter.getStringAttr("sigmoid"));
    return success();
  }
};

struct RecognizeGeluPass : mote::impl::MoteRecognizeGeluBase<RecognizeGeluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<ErfGeluPattern, TanhGeluPattern, QuickGeluPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
