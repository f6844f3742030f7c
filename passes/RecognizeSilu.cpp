// mote-recognize-silu: x * sigmoid(x) -> mote.silu.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZESILU
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

struct SiluPattern : OpRewritePattern<MulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MulOp mul, PatternRewriter &rewriter) const override {
    auto match = matchEither(mul, [&](Value v) {
      auto sigmoid = v.getDefiningOp<SigmoidOp>();
      return sigmoid && otherOperand(mul, v) == sigmoid.getInput();
    });
    if (!match || match->second.getType() != mul.getType())
      return rewriter.notifyMatchFailure(mul, "not x * sigmoid(x)");
    rewriter.replaceOpWithNewOp<SiluOp>(mul, match->second);
    return success();
  }
};

struct RecognizeSiluPass : mote::impl::MoteRecognizeSiluBase<RecognizeSiluPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<SiluPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
