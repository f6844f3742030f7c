// mote-kv-cache: a decoder with past keys and values -> one over a static, in-place KV cache (Passes.td).
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SetVector.h"

#include <algorithm>

namespace mote {
#define GEN_PASS_DEF_MOTEKVCACHE
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

constexpr StringLiteral kNameAttr = "mote.name";
constexpr StringLiteral kCachePositionName = "cache_position";
constexpr StringLiteral kAttentionMaskName = "attention_mask";
constexpr StringLiteral kPositionIdsName = "position_ids";
/// What an additive mask must be at most where it hides a key (Hugging Face: the lowest float; older
/// exports: -10000; both make the key's softmax weight 0 in f32).
constexpr double kMaskedAtMost = -1e4;
/// The most elements the mask evaluation folds (a [1, 1, S, L] mask of S = 512, L = 8192 is 4M).
constexpr int64_t kMaxMaskElements = int64_t(1) << 23;
/// Every padding amount 0 .. L - S is tried when (L - S + 1) * S * L is at most this; else kSampledPasts of them,
/// evenly spaced, both ends included.
constexpr int64_t kMaxProofElements = int64_t(1) << 24;
constexpr int64_t kSampledPasts = 65;

StringRef argName(func::FuncOp func, unsigned k) {
  auto name = func.getArgAttrOfType<StringAttr>(k, kNameAttr);
  return name ? name.getValue() : StringRef();
}

/// `concat(past, new)` along the sequence axis of rank-4 values, past a function argument: a layer's cache.
bool isCacheConcat(ConcatOp concat) {
  auto type = concat.getType();
  int64_t axis = concat.getAxis();
  if (concat.getInputs().size() != 2 || cast<RankedTensorType>(type).getRank() != 4 || (axis != 2 && axis != -2))
    return false;
  return isa<BlockArgument>(concat.getInputs()[0]);
}

/// The attention_mask tensor of a past of `pastRows` cache rows of which the last `real` are real tokens
/// (left padding), followed by `S` new tokens: [B, L] of 0 then 1, in the input's element type.
DenseElementsAttr leftPaddedMask(RankedTensorType type, int64_t real, int64_t S) {
  int64_t B = type.getDimSize(0), L = type.getDimSize(1);
  Type et = type.getElementType();
  SmallVector<Attribute> values;
  values.reserve(B * L);
  for (int64_t b = 0; b < B; ++b)
    for (int64_t j = 0; j < L; ++j) {
      bool one = j >= L - S - real;
      if (auto f = dyn_cast<FloatType>(et))
        values.push_back(FloatAttr::get(f, one ? 1.0 : 0.0));
      else
        values.push_back(IntegerAttr::get(et, one ? 1 : 0));
    }
  return DenseElementsAttr::get(type, values);
}

/// Evaluates `mask` with `attentionMask` = `value` by folding the ops between them (the mote ops' folders).
/// Fails, with an error at `at`, when the mask reads another input or an op does not fold.
FailureOr<DenseElementsAttr> evaluateMask(Operation *at, Value mask, BlockArgument attentionMask,
                                          DenseElementsAttr value) {
  // The ops between, in block order.
  llvm::SetVector<Operation *> ops;
  SmallVector<Value> work = {mask};
  while (!work.empty()) {
    Value v = work.pop_back_val();
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      if (arg != attentionMask) {
        auto func = cast<func::FuncOp>(arg.getOwner()->getParentOp());
        return at->emitError("mote-kv-cache: the attention mask depends on the input '")
               << argName(func, arg.getArgNumber()) << "'; only a mask computed from '" << kAttentionMaskName
               << "' can be replaced by the cache's causal rule";
      }
      continue;
    }
    Operation *def = v.getDefiningOp();
    if (!ops.insert(def))
      continue;
    for (Value operand : def->getOperands())
      work.push_back(operand);
  }
  SmallVector<Operation *> ordered(ops.begin(), ops.end());
  llvm::sort(ordered, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  llvm::DenseMap<Value, Attribute> known;
  known[attentionMask] = value;
  FoldLimitScope limit(kMaxMaskElements);
  for (Operation *op : ordered) {
    SmallVector<Attribute> operands;
    for (Value operand : op->getOperands())
      operands.push_back(known.lookup(operand));
    SmallVector<OpFoldResult> results;
    if (failed(op->fold(operands, results)) || results.size() != op->getNumResults())
      return op->emitError("mote-kv-cache: cannot evaluate this op of the attention mask ('")
             << op->getName() << "') to check it against the cache's causal rule";
    for (auto [result, folded] : llvm::zip(op->getResults(), results)) {
      Attribute a = isa<Attribute>(folded) ? cast<Attribute>(folded) : known.lookup(cast<Value>(folded));
      if (!a)
        return op->emitError("mote-kv-cache: cannot evaluate this op of the attention mask");
      known[result] = a;
    }
  }
  auto dense = dyn_cast_or_null<DenseElementsAttr>(known.lookup(mask));
  if (!dense || !isa<FloatType>(dense.getElementType()))
    return at->emitError("mote-kv-cache: the attention mask did not evaluate to float constants");
  return dense;
}

/// Checks that `mask` (broadcasting to [B, H, S, L]) attends, for a past of `real` rows left-padded to L - S,
/// exactly the keys j with L - S - real <= j <= L - S + s: the cached rule (rows 0 .. position + s) moved by
/// the padding.
LogicalResult checkCausal(Operation *at, DenseElementsAttr mask, int64_t real, int64_t S, int64_t L) {
  ArrayRef<int64_t> shape = mask.getType().getShape();
  int64_t rank = static_cast<int64_t>(shape.size());
  auto dim = [&](int64_t fromEnd) { return rank >= fromEnd ? shape[rank - fromEnd] : 1; };
  int64_t rows = dim(2), cols = dim(1);
  if ((rows != 1 && rows != S) || cols != L)
    return at->emitError("mote-kv-cache: the attention mask's shape does not cover [") << S << ", " << L << "]";
  SmallVector<double> values;
  for (const APFloat &f : mask.getValues<APFloat>())
    values.push_back(f.convertToDouble());
  int64_t outer = static_cast<int64_t>(values.size()) / (rows * cols);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t s = 0; s < S; ++s)
      for (int64_t j = 0; j < L; ++j) {
        double v = values[(o * rows + (rows == 1 ? 0 : s)) * cols + j];
        bool attends = j >= L - S - real && j <= L - S + s;
        if (attends ? v != 0.0 : !(v <= kMaskedAtMost))
          return at->emitError("mote-kv-cache: the attention mask is not the causal mask of a cache: with ")
                 << real << " past rows, query " << s << " and key " << j << " it is " << v << " (expected "
                 << (attends ? "0" : "at most -1e4") << ")";
      }
  return success();
}

/// The past lengths (real rows of a left-padded past) the mask is checked at: all of 0 .. L - S when affordable.
SmallVector<int64_t> pastsToCheck(int64_t S, int64_t L) {
  SmallVector<int64_t> pasts;
  const int64_t n = L - S + 1;
  if (n * S * L <= kMaxProofElements || n <= kSampledPasts) {
    for (int64_t p = 0; p < n; ++p)
      pasts.push_back(p);
    return pasts;
  }
  for (int64_t i = 0; i < kSampledPasts; ++i)
    pasts.push_back(i * (n - 1) / (kSampledPasts - 1));
  return pasts;
}

struct KvCachePass : mote::impl::MoteKvCacheBase<KvCachePass> {
  void runOnOperation() override {
    for (func::FuncOp func : getOperation().getOps<func::FuncOp>())
      if (!func.isExternal() && failed(rewrite(func)))
        return signalPassFailure();
  }

  LogicalResult rewrite(func::FuncOp func) {
    Block &block = func.getBody().front();
    SmallVector<ConcatOp> concats;
    func.walk([&](ConcatOp c) {
      if (isCacheConcat(c))
        concats.push_back(c);
    });
    if (concats.empty())
      return func.emitError("mote-kv-cache: no past keys or values found (a concatenation of a past input and "
                            "this call's rows along axis 2, as decoder-with-past exports compute present)");
    auto first = cast<RankedTensorType>(concats.front().getInputs()[1].getType());
    const int64_t S = first.getDimSize(2), L = cast<RankedTensorType>(concats.front().getType()).getDimSize(2);
    for (ConcatOp c : concats) {
      auto past = cast<BlockArgument>(c.getInputs()[0]);
      if (cast<RankedTensorType>(c.getInputs()[1].getType()).getDimSize(2) != S ||
          cast<RankedTensorType>(c.getType()).getDimSize(2) != L)
        return c.emitError("mote-kv-cache: the layers' caches differ in length or new rows");
      if (!past.hasOneUse())
        return c.emitError("mote-kv-cache: the past input '")
               << argName(func, past.getArgNumber()) << "' is read by more than this concatenation";
    }

    // Positions must come from position_ids: an export that derives them from the past's length would have
    // them folded to the static L - S.
    bool hasPositions = false;
    for (unsigned k = 0; k < func.getNumArguments(); ++k)
      hasPositions |= argName(func, k) == kPositionIdsName && !func.getArgument(k).use_empty();
    if (!hasPositions)
      return func.emitError("mote-kv-cache: the model reads no '")
             << kPositionIdsName << "' input: its positions would be fixed at compile time";

    // cache_position: the cache row of this call's first token.
    OpBuilder b(func.getContext());
    auto positionType = RankedTensorType::get({1}, b.getI64Type());
    unsigned positionIndex = func.getNumArguments();
    (void)func.insertArgument(positionIndex, positionType,
                              b.getDictionaryAttr(b.getNamedAttr(kNameAttr, b.getStringAttr(kCachePositionName))),
                              func.getLoc());
    Value position = func.getArgument(positionIndex);

    // present = concat(past, new) -> kv_write(cache, new, position); the past input becomes the cache.
    auto ret = cast<func::ReturnOp>(block.getTerminator());
    llvm::DenseSet<Value> caches;
    for (ConcatOp c : concats) {
      auto past = cast<BlockArgument>(c.getInputs()[0]);
      past.setType(c.getType());
      b.setInsertionPoint(c);
      auto write = KvWriteOp::create(b, c.getLoc(), c.getType(), past, c.getInputs()[1], position);
      c.getResult().replaceAllUsesWith(write.getResult());
      c.erase();
      if (!llvm::is_contained(ret.getOperands(), write.getResult()))
        return write.emitError("mote-kv-cache: the cache '")
               << argName(func, past.getArgNumber()) << "' is not a present output of the model";
      caches.insert(write.getResult());
      func.setArgAttr(past.getArgNumber(), kKvCacheAttrName, b.getUnitAttr());
      for (OpOperand &use : write.getResult().getUses())
        if (isa<func::ReturnOp>(use.getOwner()))
          func.setResultAttr(use.getOperandNumber(), kKvCacheAttrName, b.getUnitAttr());
    }

    // Attention over the caches -> cache_attention, once its mask is proved to be the causal rule.
    BlockArgument attentionMask;
    for (unsigned k = 0; k < func.getNumArguments(); ++k)
      if (argName(func, k) == kAttentionMaskName)
        attentionMask = func.getArgument(k);
    llvm::DenseSet<Value> checkedMasks;
    SmallVector<AttentionOp> attentions;
    func.walk([&](AttentionOp a) {
      if (caches.contains(a.getKey()) || caches.contains(a.getValue()))
        attentions.push_back(a);
    });
    for (AttentionOp a : attentions) {
      if (!caches.contains(a.getKey()) || !caches.contains(a.getValue()))
        return a.emitError("mote-kv-cache: an attention reads one cache and a tensor that is not one");
      if (Value mask = a.getMask(); mask && !checkedMasks.contains(mask)) {
        auto maskInput = attentionMask ? dyn_cast<RankedTensorType>(attentionMask.getType()) : RankedTensorType();
        if (!maskInput || maskInput.getRank() != 2 || maskInput.getDimSize(1) != L)
          return a.emitError("mote-kv-cache: the attention has a mask but the model has no '")
                 << kAttentionMaskName << "' input of [batch, " << L << "] to evaluate it with";
        auto maskType = cast<RankedTensorType>(mask.getType());
        if (maskType.getNumElements() > kMaxMaskElements)
          return a.emitError("mote-kv-cache: the attention mask has ")
                 << maskType.getNumElements() << " elements; masks of at most " << kMaxMaskElements
                 << " can be checked (lower --max-context or --prefill)";
        for (int64_t real : pastsToCheck(S, L)) {
          FailureOr<DenseElementsAttr> value =
              evaluateMask(a, mask, attentionMask, leftPaddedMask(maskInput, real, S));
          if (failed(value) || failed(checkCausal(a, *value, real, S, L)))
            return failure();
        }
        checkedMasks.insert(mask);
      } else if (!mask && S != 1) {
        return a.emitError("mote-kv-cache: an attention over ") << S
                                                                 << " new rows without a mask is not causal";
      }
      b.setInsertionPoint(a);
      auto cached = CacheAttentionOp::create(b, a.getLoc(), a.getQuery(), a.getKey(), a.getValue(), position,
                                             a.getScaleAttr());
      a.getResult().replaceAllUsesWith(cached.getResult());
      a.erase();
    }
    for (Value cache : caches)
      for (Operation *user : cache.getUsers())
        if (!isa<CacheAttentionOp, func::ReturnOp>(user))
          return user->emitError("mote-kv-cache: a KV cache is read by '")
                 << user->getName() << "', not only by attention";

    // The masks' ops are dead now; so is attention_mask when nothing else read it.
    SmallVector<Operation *> backwards;
    for (Operation &op : block.without_terminator())
      backwards.push_back(&op);
    for (Operation *op : llvm::reverse(backwards)) // users before what they read
      if (isOpTriviallyDead(op))
        op->erase();
    if (attentionMask && !attentionMask.use_empty()) {
      Operation *user = *attentionMask.getUsers().begin();
      return user->emitError("mote-kv-cache: '")
             << kAttentionMaskName << "' is read by '" << user->getName()
             << "' beyond the attention masks (positions computed from it?): over a static cache only "
                "position_ids may give the positions";
    }
    if (attentionMask)
      (void)func.eraseArgument(attentionMask.getArgNumber());
    func.setType(FunctionType::get(func.getContext(), block.getArgumentTypes(), func.getResultTypes()));
    return success();
  }
};

} // namespace
