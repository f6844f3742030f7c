// mote-recognize-attention: softmax(q @ k^T * scale [+ mask]) @ v -> mote.attention.
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "llvm/ADT/APFloat.h"

namespace mote {
#define GEN_PASS_DEF_MOTERECOGNIZEATTENTION
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

// Whether `perm` swaps the last two axes and keeps the others.
bool swapsLastTwo(ArrayRef<int64_t> perm) {
  int64_t r = perm.size();
  if (r < 2 || perm[r - 1] != r - 2 || perm[r - 2] != r - 1)
    return false;
  for (int64_t i = 0; i < r - 2; ++i)
    if (perm[i] != i)
      return false;
  return true;
}

// Views a rank-3 [B*H, S, D] value as rank 4 [1, B*H, S, D]; rank-4 values stay.
Value asRank4(PatternRewriter &rewriter, Location loc, Value v) {
  auto t = cast<RankedTensorType>(v.getType());
  if (t.getRank() == 4)
    return v;
  SmallVector<int64_t> shape(4 - t.getRank(), 1);
  llvm::append_range(shape, t.getShape());
  return ReshapeOp::create(rewriter, loc, t.clone(shape), v);
}

struct AttentionPattern : OpRewritePattern<SoftmaxOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(SoftmaxOp softmax, PatternRewriter &rewriter) const override {
    auto type = softmax.getType();
    int64_t rank = type.getRank();
    if ((rank != 3 && rank != 4) || (static_cast<int64_t>(softmax.getAxis()) != -1 && static_cast<int64_t>(softmax.getAxis()) != rank - 1))
      return rewriter.notifyMatchFailure(softmax, "not a softmax over the last axis of rank 3 or 4");
    auto pv = soleUser<MatMulOp>(softmax.getResult());
    if (!pv || pv.getLhs() != softmax.getResult())
      return rewriter.notifyMatchFailure(softmax, "probabilities are not multiplied by V");
    Location loc = softmax.getLoc();

    // Peel the mask: scores + mask, or where(cond, scores, fill) / where(cond, fill, scores).
    Value s = softmax.getInput();
    Value mask;
    std::function<void(PatternRewriter &)> buildMask;
    Value cond, fill;
    bool scoresWhenTrue = true;
    if (auto add = s.getDefiningOp<AddOp>(); add && add->hasOneUse()) {
      for (auto [a, b] : {std::pair(add.getLhs(), add.getRhs()), std::pair(add.getRhs(), add.getLhs())})
        if (a.getType() == type && (a.getDefiningOp<MulOp>() || a.getDefiningOp<DivOp>() || a.getDefiningOp<MatMulOp>())) {
          s = a;
          mask = b;
          break;
        }
    } else if (auto where = s.getDefiningOp<WhereOp>(); where && where->hasOneUse()) {
      if (where.getX().getType() == type) {
        s = where.getX();
        fill = where.getY();
      } else if (where.getY().getType() == type) {
        s = where.getY();
        fill = where.getX();
        scoresWhenTrue = false;
      }
      cond = where.getCondition();
      // where(cond, s, fill) equals s + where(cond, 0, fill) only when fill swamps any score: -inf, or
      // a value so negative (like finfo.min, what exporters use) that adding a score cannot change it.
      std::optional<double> f = fill ? splatValue(fill) : std::nullopt;
      auto ft = dyn_cast<FloatType>(type.getElementType());
      if (!f || !ft || !(*f <= -0.5 * APFloat::getLargest(ft.getFloatSemantics()).convertToDouble()))
        return rewriter.notifyMatchFailure(softmax, "where-mask fill is not -inf or close to it");
    }
    // Peel the scale.
    double scale = 1.0;
    if (auto mul = s.getDefiningOp<MulOp>(); mul && mul->hasOneUse()) {
      auto c = matchEither(mul, [](Value v) { return splatValue(v).has_value(); });
      if (!c)
        return rewriter.notifyMatchFailure(softmax, "scores are scaled by a non-constant");
      scale = *splatValue(c->first);
      s = c->second;
    } else if (auto div = s.getDefiningOp<DivOp>(); div && div->hasOneUse()) {
      auto c = splatValue(div.getRhs());
      if (!c || *c == 0.0)
        return rewriter.notifyMatchFailure(softmax, "scores are divided by a non-constant");
      scale = 1.0 / *c;
      s = div.getLhs();
    }
    auto qk = s.getDefiningOp<MatMulOp>();
    if (!qk || qk.getType() != type || !qk->hasOneUse())
      return rewriter.notifyMatchFailure(softmax, "scores are not a matmul used only here");
    Value q = qk.getLhs(), kT = qk.getRhs(), v = pv.getRhs();
    auto qt = cast<RankedTensorType>(q.getType()), vt = cast<RankedTensorType>(v.getType());
    auto kTt = cast<RankedTensorType>(kT.getType());
    if (qt.getRank() != rank || vt.getRank() != rank || kTt.getRank() != rank)
      return rewriter.notifyMatchFailure(softmax, "operands differ in rank (broadcast batch)");
    // The batch must agree exactly (mote.attention does not broadcast it); rank-4 key/value heads may
    // be fewer than query heads (grouped-query attention) but must agree with each other.
    if (qt.getDimSize(0) != kTt.getDimSize(0) || qt.getDimSize(0) != vt.getDimSize(0) ||
        kTt.getDimSize(rank - 1) != vt.getDimSize(rank - 2) ||
        (rank == 4 && (kTt.getDimSize(1) != vt.getDimSize(1) || qt.getDimSize(1) % kTt.getDimSize(1) != 0)))
      return rewriter.notifyMatchFailure(softmax, "batch or head dimensions broadcast");
    rewriter.setInsertionPoint(pv);
    Value k;
    if (auto t = kT.getDefiningOp<TransposeOp>(); t && swapsLastTwo(t.getPerm())) {
      k = t.getInput();
    } else {
      SmallVector<int64_t> perm;
      for (int64_t i = 0; i < rank; ++i)
        perm.push_back(i);
      std::swap(perm[rank - 1], perm[rank - 2]);
      k = TransposeOp::create(rewriter, loc, kT, rewriter.getDenseI64ArrayAttr(perm));
    }
    if (cond) {
      Type et = type.getElementType();
      Value zero = scalarConstant(rewriter, loc, et, 0.0);
      mask = scoresWhenTrue ? WhereOp::create(rewriter, loc, cond, zero, fill).getResult()
                            : WhereOp::create(rewriter, loc, cond, fill, zero).getResult();
    }
    if (mask && (cast<RankedTensorType>(mask.getType()).getElementType() != type.getElementType() ||
                 cast<RankedTensorType>(mask.getType()).getRank() > 4))
      return rewriter.notifyMatchFailure(softmax, "mask is not a float tensor of rank <= 4");
    Value q4 = asRank4(rewriter, loc, q), k4 = asRank4(rewriter, loc, k), v4 = asRank4(rewriter, loc, v);
    auto attention = AttentionOp::create(rewriter, loc, q4, k4, v4, mask,
                                         rewriter.getF32FloatAttr(static_cast<float>(scale)));
    Value result = attention.getResult();
    if (rank == 3)
      result = ReshapeOp::create(rewriter, loc, pv.getType(), result);
    rewriter.replaceOp(pv, result);
    return success();
  }
};

// Grouped-query attention exports repeat each key/value head n times: Llama's repeat_kv (reshape to
// [B, Hkv, 1, S, D], expand to [B, Hkv, n, S, D], reshape to [B, Hkv * n, S, D]), or torch.repeat_interleave
// on the head axis (each head split off, repeated that way alone as [B, n, S, D], and the pieces concatenated
// in order). mote.attention reads head h / n itself, so the repetition (rank-5 explicit broadcasts, and n
// times the memory) goes.
struct StripRepeatedHeadsPattern : OpRewritePattern<AttentionOp> {
  using OpRewritePattern::OpRewritePattern;

  // reshape -> expand -> reshape repeating each of the heads of a [B, H, S, D] value n times: that value
  // and n, or null.
  static std::pair<Value, int64_t> repeatedOnce(Value v) {
    auto outer = v.getDefiningOp<ReshapeOp>();
    auto expand = outer ? outer.getInput().getDefiningOp<ExpandOp>() : nullptr;
    auto inner = expand ? expand.getInput().getDefiningOp<ReshapeOp>() : nullptr;
    if (!inner)
      return {};
    auto base = cast<RankedTensorType>(inner.getInput().getType());
    auto five = inner.getType(), wide = expand.getType();
    auto result = outer.getType();
    if (base.getRank() != 4 || five.getRank() != 5 || wide.getRank() != 5)
      return {};
    int64_t b = base.getDimSize(0), h = base.getDimSize(1), s = base.getDimSize(2), d = base.getDimSize(3);
    int64_t n = wide.getDimSize(2);
    if (five.getShape() != ArrayRef<int64_t>{b, h, 1, s, d} || wide.getShape() != ArrayRef<int64_t>{b, h, n, s, d} ||
        result.getShape() != ArrayRef<int64_t>{b, h * n, s, d})
      return {};
    return {inner.getInput(), n};
  }

  // Whether `head` is head i of `base` ([B, H, S, D]): result i of a split of axis 1 into ones, or a slice
  // keeping [i, i + 1) of axis 1 and everything else.
  static bool isHead(Value head, Value base, int64_t i) {
    if (auto split = head.getDefiningOp<SplitOp>()) {
      int64_t axis = static_cast<int64_t>(split.getAxis());
      return split.getInput() == base && (axis == 1 || axis == -3) &&
             llvm::all_of(split.getSizes(), [](int64_t n) { return n == 1; }) &&
             cast<OpResult>(head).getResultNumber() == i;
    }
    if (auto slice = head.getDefiningOp<SliceOp>()) {
      auto shape = cast<RankedTensorType>(base.getType()).getShape();
      for (int64_t d = 0; d < 4; ++d) {
        int64_t start = d == 1 ? i : 0, limit = d == 1 ? i + 1 : shape[d];
        if (slice.getStarts()[d] != start || slice.getLimits()[d] != limit || slice.getSteps()[d] != 1)
          return false;
      }
      return slice.getInput() == base;
    }
    return false;
  }

  // The unrepeated [B, Hkv, S, D] value behind `v`, or null.
  static Value unrepeated(Value v) {
    if (Value base = repeatedOnce(v).first)
      return base;
    auto cat = v.getDefiningOp<ConcatOp>();
    auto type = cast<RankedTensorType>(v.getType());
    if (!cat || type.getRank() != 4 || (static_cast<int64_t>(cat.getAxis()) != 1 && static_cast<int64_t>(cat.getAxis()) != -3))
      return {};
    Value base;
    int64_t n = 0;
    for (auto [i, piece] : llvm::enumerate(cat.getInputs())) {
      auto [head, times] = repeatedOnce(piece);
      if (!head || (n && times != n))
        return {};
      n = times;
      Operation *def = head.getDefiningOp();
      Value source = def && def->getNumOperands() > 0 ? def->getOperand(0) : Value();
      if (!source || (base && source != base) || !isHead(head, source, static_cast<int64_t>(i)))
        return {};
      base = source;
    }
    auto baseType = cast<RankedTensorType>(base.getType());
    if (baseType.getRank() != 4 || baseType.getDimSize(1) != static_cast<int64_t>(cat.getInputs().size()) ||
        type.getDimSize(1) != baseType.getDimSize(1) * n)
      return {};
    return base;
  }

  LogicalResult matchAndRewrite(AttentionOp op, PatternRewriter &rewriter) const override {
    Value k = unrepeated(op.getKey()), v = unrepeated(op.getValue());
    if (!k || !v || k.getType() != v.getType())
      return rewriter.notifyMatchFailure(op, "key and value are not both repeated heads");
    rewriter.modifyOpInPlace(op, [&] {
      op.getKeyMutable().assign(k);
      op.getValueMutable().assign(v);
    });
    return success();
  }
};

struct RecognizeAttentionPass : mote::impl::MoteRecognizeAttentionBase<RecognizeAttentionPass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<AttentionPattern, StripRepeatedHeadsPattern>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
