// mote-fc-to-conv2d: fully connected layers whose input rank exceeds the target's fc_max_input_rank
// become 1x1 convolutions over the tokens laid out spatially (AQDS's FullyConnected -> Conv2D).
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "ir/ModuleTarget.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTEFCTOCONV2D
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// Whether `v` has a zero-sized dimension (a 0-token sequence): the convolution view would have an empty
/// spatial extent, which no convolution takes; the legality check then names the op.
bool isEmpty(Value v) { return llvm::is_contained(cast<RankedTensorType>(v.getType()).getShape(), 0); }

RankedTensorType withShape(Value v, ArrayRef<int64_t> shape) {
  return cast<RankedTensorType>(v.getType()).clone(shape);
}

Value reshape(PatternRewriter &rewriter, Location loc, Value v, ArrayRef<int64_t> shape) {
  if (cast<RankedTensorType>(v.getType()).getShape() == shape)
    return v;
  return ReshapeOp::create(rewriter, loc, withShape(v, shape), v);
}

// Permutes the dimensions of `v` (result dim i is dim perm[i]). When the permutation only moves unit
// dimensions, the data order is unchanged and a reshape says so: transposes are left only where data
// actually moves, which keeps them few for the layout pass to cancel.
Value permute(PatternRewriter &rewriter, Location loc, Value v, ArrayRef<int64_t> perm) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  SmallVector<int64_t> permuted, moved;
  for (int64_t p : perm) {
    permuted.push_back(shape[p]);
    if (shape[p] != 1)
      moved.push_back(p);
  }
  if (llvm::is_sorted(moved))
    return reshape(rewriter, loc, v, permuted);
  return TransposeOp::create(rewriter, loc, v, rewriter.getDenseI64ArrayAttr(perm));
}

// The conv weight [N, K, 1, 1] from a constant fully connected weight, given as [N, K] (`nk`) or as
// [K, N]. A reshape of a weight folds into the constant (same bytes, another type), so reshapes are
// preferred; a transpose of a dense_resource weight does not fold and stays in the IR as a constant
// computation, which is legal: codegen's constant packing applies it when it writes the weights file.
Value convWeight(PatternRewriter &rewriter, Location loc, Value w, bool nk) {
  auto transpose = w.getDefiningOp<TransposeOp>();
  if (!nk && transpose && transpose.getPerm() == ArrayRef<int64_t>{1, 0}) {
    w = transpose.getInput(); // the exporter's [N, K] weight, transposed for MatMul
    nk = true;
  }
  ArrayRef<int64_t> shape = cast<RankedTensorType>(w.getType()).getShape();
  if (nk)
    return reshape(rewriter, loc, w, {shape[0], shape[1], 1, 1});
  Value kn11 = reshape(rewriter, loc, w, {shape[0], shape[1], 1, 1});
  return permute(rewriter, loc, kn11, {1, 0, 2, 3});
}

// A constant bias that adds the same value to every row of an [..., N] result, as [N]; else null.
Value perChannelBias(PatternRewriter &rewriter, Location loc, Value bias, int64_t n) {
  auto type = dyn_cast<RankedTensorType>(bias.getType());
  if (!type || type.getRank() < 1 || type.getShape().back() != n || type.getNumElements() != n ||
      !isConstantComputed(bias))
    return nullptr;
  return reshape(rewriter, loc, bias, {n});
}

// The fully connected layer y[rows..., N] = x[rows..., K] * W + bias as a 1x1 convolution. `input` is
// the NCHW view [B', K, S', 1] of x (tokens along H); the result is y in `resultType`.
Value emitConv(PatternRewriter &rewriter, Location loc, Value input, Value weight, Value bias,
               RankedTensorType resultType) {
  auto conv = ConvOp::create(rewriter, loc, input, weight, bias, /*strides=*/{1, 1}, /*pads=*/{0, 0, 0, 0},
                             /*dilations=*/{1, 1}, /*group=*/1);
  // [B', N, S', 1] -> [B', S', 1, N] -> [rows..., N]. In NHWC the first step is no transpose at all.
  Value nhwc = permute(rewriter, loc, conv, {0, 2, 3, 1});
  return reshape(rewriter, loc, nhwc, resultType.getShape());
}

// The NCHW view [B', K, S', 1] of x [d0, ..., d(r-2), K]: batch B' = d0 and the other rows as tokens
// S' (for a 2-D x, B' = 1 and every row is a token). It is written as the NHWC view [B', S', 1, K] --
// a plain reshape -- transposed to NCHW, which the layout pass cancels on NHWC targets.
Value inputView(PatternRewriter &rewriter, Location loc, Value x) {
  ArrayRef<int64_t> shape = cast<RankedTensorType>(x.getType()).getShape();
  int64_t rank = shape.size(), k = shape.back();
  int64_t batch = rank > 2 ? shape[0] : 1, tokens = 1;
  for (int64_t d : shape.drop_back().drop_front(rank > 2 ? 1 : 0))
    tokens *= d;
  Value nhwc = reshape(rewriter, loc, x, {batch, tokens, 1, k});
  return permute(rewriter, loc, nhwc, {0, 3, 1, 2});
}

// Whether the fully connected layer with input `x` is one the target cannot run.
bool exceedsLimit(Value x, int64_t maxInputRank) {
  auto type = cast<RankedTensorType>(x.getType());
  return type.hasStaticShape() && type.getRank() > maxInputRank;
}

// matmul(x, W) with a constant 2-D W, and the per-channel bias add that follows it if any.
struct MatMulToConv : OpRewritePattern<MatMulOp> {
  MatMulToConv(MLIRContext *ctx, int64_t maxInputRank) : OpRewritePattern(ctx), maxInputRank(maxInputRank) {}

  LogicalResult matchAndRewrite(MatMulOp mm, PatternRewriter &rewriter) const override {
    Value x = mm.getLhs(), w = mm.getRhs();
    auto wType = cast<RankedTensorType>(w.getType());
    if (wType.getRank() != 2 || !wType.hasStaticShape() || !isConstantComputed(w))
      return rewriter.notifyMatchFailure(mm, "not a product by a constant 2-D weight");
    if (!exceedsLimit(x, maxInputRank))
      return rewriter.notifyMatchFailure(mm, "input rank within fc_max_input_rank (or dynamic)");
    if (isEmpty(x))
      return rewriter.notifyMatchFailure(mm, "an empty input has no 1x1 convolution form");

    Location loc = mm.getLoc();
    int64_t n = wType.getDimSize(1);
    Operation *replaced = mm;
    Value bias;
    if (auto add = soleUser<AddOp>(mm.getResult()); add && add.getType() == mm.getType()) {
      rewriter.setInsertionPoint(add); // the bias may be defined between the matmul and the add
      bias = perChannelBias(rewriter, add.getLoc(), otherOperand(add, mm.getResult()), n);
      if (bias) {
        replaced = add;
        loc = rewriter.getFusedLoc({mm.getLoc(), add.getLoc()});
      }
    }
    Value view = inputView(rewriter, loc, x);
    Value weight = convWeight(rewriter, loc, w, /*nk=*/false);
    rewriter.replaceOp(replaced, emitConv(rewriter, loc, view, weight, bias, mm.getType()));
    if (replaced != mm.getOperation())
      rewriter.eraseOp(mm);
    return success();
  }

  int64_t maxInputRank;
};

// gemm(A, B, C) with a constant B, alpha = 1 and (if C) beta = 1: C becomes the conv's bias when it
// is per-channel, else it is added to the result. Gemm inputs are 2-D, so this fires only when
// fc_max_input_rank is 1.
struct GemmToConv : OpRewritePattern<GemmOp> {
  GemmToConv(MLIRContext *ctx, int64_t maxInputRank) : OpRewritePattern(ctx), maxInputRank(maxInputRank) {}

  LogicalResult matchAndRewrite(GemmOp gemm, PatternRewriter &rewriter) const override {
    Value a = gemm.getA(), b = gemm.getB(), c = gemm.getC();
    if (!isConstantComputed(b) || !cast<RankedTensorType>(b.getType()).hasStaticShape())
      return rewriter.notifyMatchFailure(gemm, "B is not constant");
    if (!exceedsLimit(a, maxInputRank))
      return rewriter.notifyMatchFailure(gemm, "input rank within fc_max_input_rank (or dynamic)");
    if (isEmpty(a))
      return rewriter.notifyMatchFailure(gemm, "an empty input has no 1x1 convolution form");
    // Scaling the weight or the bias would round differently from scaling the product.
    if (gemm.getAlpha().convertToDouble() != 1.0 || (c && gemm.getBeta().convertToDouble() != 1.0))
      return rewriter.notifyMatchFailure(gemm, "alpha or beta is not 1");

    Location loc = gemm.getLoc();
    ArrayRef<int64_t> aShape = cast<RankedTensorType>(a.getType()).getShape();
    int64_t n = gemm.getType().getDimSize(1);
    Value bias = c ? perChannelBias(rewriter, loc, c, n) : nullptr;
    // A^T is [K, M]: already the NCHW view [1, K, M, 1] of the M tokens.
    Value view = gemm.getTransA() ? reshape(rewriter, loc, a, {1, aShape[0], aShape[1], 1})
                                  : inputView(rewriter, loc, a);
    Value weight = convWeight(rewriter, loc, b, /*nk=*/gemm.getTransB());
    Value y = emitConv(rewriter, loc, view, weight, bias, gemm.getType());
    if (c && !bias)
      y = AddOp::create(rewriter, loc, gemm.getType(), y, c);
    rewriter.replaceOp(gemm, y);
    return success();
  }

  int64_t maxInputRank;
};

struct FCToConv2DPass : mote::impl::MoteFCToConv2DBase<FCToConv2DPass> {
  void runOnOperation() override {
    TargetAttr target = getModuleTarget(getOperation());
    if (!target || target.getFcMaxInputRank() == 0)
      return; // no limit
    RewritePatternSet patterns(&getContext());
    patterns.add<MatMulToConv, GemmToConv>(&getContext(), target.getFcMaxInputRank());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
