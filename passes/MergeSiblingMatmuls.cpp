// mote-merge-sibling-matmuls: matmuls of one activation by several rank-2 weights (an attention's Q, K and V
// projections), or 1x1 convolutions in the FC -> Conv2D form, -> one matmul (convolution) by the weights side
// by side, and a slice of the last axis per original result (see Passes.td).
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
/// transpose(0, 2, 1, 3), or for one head reshape -> [B, 1, S, D], each read only by the next), or null. Only such projections are merged: there the
/// attention fusion reads the slices of the merged result in place, and the merged result lives no longer
/// than the separate ones would.
AttentionOp headsReadBy(Value projection) {
  auto next = [](Value v) -> Operation * { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; };
  auto split = dyn_cast_or_null<ReshapeOp>(next(projection));
  auto type = cast<RankedTensorType>(projection.getType());
  // [B, S, H*D], or a 1x1 convolution's [B, S, 1, H*D] (the FC -> Conv2D form).
  bool rows = type.getRank() == 3 || (type.getRank() == 4 && type.getShape()[2] == 1);
  if (!split || cast<RankedTensorType>(split.getType()).getRank() != 4 || !rows)
    return {};
  // [B, S, H, D] then the transpose; or one head, [B, 1, S, D] (a VAE's mid-block attention), read as it is.
  Value heads = split.getResult();
  auto splitShape = cast<RankedTensorType>(split.getType()).getShape();
  auto t = dyn_cast_or_null<TransposeOp>(next(heads));
  if (splitShape.take_front(2) == type.getShape().take_front(2) && t &&
      t.getPerm() == ArrayRef<int64_t>{0, 2, 1, 3})
    heads = t.getResult();
  else if (!(splitShape[0] == type.getShape()[0] && splitShape[1] == 1 && splitShape[2] == type.getShape()[1] &&
             splitShape[3] == type.getShape().back()))
    return {};
  auto attention = dyn_cast_or_null<AttentionOp>(next(heads));
  if (!attention || attention.getMask() == heads)
    return {};
  return attention;
}

/// The add of a bias that alone reads matmul `m`'s result: a constant of one value per column ([N]) of its
/// type, read by nothing else (CLIP's and BERT's projections carry biases); or null.
AddOp biasAddOf(MatMulOp m) {
  if (!m.getResult().hasOneUse())
    return {};
  auto add = dyn_cast<AddOp>(*m.getResult().getUsers().begin());
  if (!add || add.getType() != m.getType())
    return {};
  Value bias = add.getLhs() == m.getResult() ? add.getRhs() : add.getLhs();
  auto type = cast<RankedTensorType>(bias.getType());
  auto element = cast<RankedTensorType>(m.getRhs().getType()).getElementType();
  if (!bias.getDefiningOp<ConstantOp>() || !bias.hasOneUse() || type.getRank() != 1 || !type.hasStaticShape() ||
      type.getShape()[0] != cast<RankedTensorType>(m.getType()).getShape().back() || type.getElementType() != element)
    return {};
  return add;
}

/// A matmul's value as its reader sees it: with its bias added (biasAddOf), or its own result.
Value projectionOf(MatMulOp m) {
  AddOp add = biasAddOf(m);
  return add ? add.getResult() : m.getResult();
}

/// The gated product that reads `m`'s result, directly or through an activation (SwiGLU's
/// silu(x W_gate) * (x W_up), GEGLU written with two projections), each value read only by the next; or null.
/// The elementwise fusion then reads both slices of the merged result in place.
MulOp gateReadBy(Value projection) {
  auto next = [](Value v) -> Operation * { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; };
  Operation *user = next(projection);
  if (user && isa<SiluOp, GeluOp>(user))
    user = next(user->getResult(0));
  auto mul = dyn_cast_or_null<MulOp>(user);
  if (!mul || mul.getLhs() == mul.getRhs() || mul.getType() != projection.getType())
    return {};
  return mul;
}

/// A 1x1 channels-last convolution with unit strides, no padding and one group (a linear layer in the FC ->
/// Conv2D form) of static shape, by a float constant weight [N, K, 1, 1] and no bias or a constant one, each
/// read by nothing else.
bool isMergeableConv(ConvOp c) {
  auto weight = cast<RankedTensorType>(c.getWeight().getType());
  auto ownConstant = [](Value v) { return v.getDefiningOp<ConstantOp>() && v.hasOneUse(); };
  return c.isChannelsLinear() && (weight.getElementType().isF32() || weight.getElementType().isF16()) &&
         ownConstant(c.getWeight()) && (!c.getBias() || ownConstant(c.getBias()));
}

/// A constant of `type` holding `bytes`.
Value constantOf(OpBuilder &b, Location loc, RankedTensorType type, StringRef name, ArrayRef<char> bytes) {
  ElementsAttr value = DenseResourceElementsAttr::get(
      type, name, HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, alignof(float)));
  return ConstantOp::create(b, loc, value);
}

/// Replaces `group` (such convolutions of one input, in block order) with one convolution by the weights
/// stacked along the output channels (biases likewise, zeros where a member has none) and last-axis slices
/// of it. A member an attention reads through a head split gets its slice from the merged result viewed as
/// [B, S, N] (the head split then reads the slice: the attention fusion's form); a gate's from the result.
LogicalResult mergeConvs(ArrayRef<ConvOp> group) {
  ConvOp first = group.front();
  auto weightType = cast<RankedTensorType>(first.getWeight().getType());
  Type element = weightType.getElementType();
  size_t elementSize = element.getIntOrFloatBitWidth() / 8;
  const int64_t K = weightType.getShape()[1];
  bool anyBias = false;
  SmallVector<int64_t> widths;
  std::vector<char> weights, biases;
  for (ConvOp c : group) {
    auto w = cast<RankedTensorType>(c.getWeight().getType());
    if (w.getShape()[1] != K || w.getElementType() != element ||
        (c.getBias() && cast<RankedTensorType>(c.getBias().getType()).getElementType() != element))
      return failure();
    std::optional<std::vector<char>> bytes =
        constantBytes(cast<ElementsAttr>(c.getWeight().getDefiningOp<ConstantOp>().getValue()), elementSize);
    if (!bytes)
      return failure();
    weights.insert(weights.end(), bytes->begin(), bytes->end());
    widths.push_back(w.getShape()[0]);
    std::vector<char> bias(static_cast<size_t>(widths.back()) * elementSize, 0);
    if (c.getBias()) {
      std::optional<std::vector<char>> got =
          constantBytes(cast<ElementsAttr>(c.getBias().getDefiningOp<ConstantOp>().getValue()), elementSize);
      if (!got || got->size() != bias.size())
        return failure();
      bias = std::move(*got);
      anyBias = true;
    }
    biases.insert(biases.end(), bias.begin(), bias.end());
  }
  int64_t total = 0;
  for (int64_t n : widths)
    total += n;
  OpBuilder b(first);
  Location loc = b.getFusedLoc(llvm::map_to_vector(group, [](ConvOp c) { return c.getLoc(); }));
  Value weight = constantOf(b, loc, RankedTensorType::get({total, K, 1, 1}, element), "merged_projection", weights);
  Value bias = anyBias ? constantOf(b, loc, RankedTensorType::get({total}, element), "merged_bias", biases) : Value();
  auto outType = cast<RankedTensorType>(first.getType());
  SmallVector<int64_t> outShape(outType.getShape());
  outShape.back() = total;
  auto merged = cast<ConvOp>(b.clone(*first));
  merged->setLoc(loc);
  merged.getWeightMutable().assign(weight);
  if (bias)
    merged.getBiasMutable().assign(bias);
  merged.getResult().setType(outType.clone(outShape));
  b.setInsertionPointAfter(merged);
  // The [B, S, N] view for the members read through head splits.
  Value rows;
  int64_t offset = 0;
  SmallVector<std::pair<ConvOp, Value>> replaced;
  for (auto [member, n] : llvm::zip(group, widths)) {
    ConvOp c = member;
    Value from = merged.getResult();
    auto memberType = cast<RankedTensorType>(c.getType());
    bool heads = static_cast<bool>(headsReadBy(c.getResult()));
    if (heads) {
      if (!rows)
        rows = ReshapeOp::create(b, loc, RankedTensorType::get({outShape[0], outShape[1], total}, outType.getElementType()),
                                 from);
      from = rows;
    }
    auto fromType = cast<RankedTensorType>(from.getType());
    SmallVector<int64_t> starts(fromType.getRank(), 0), limits(fromType.getShape()), steps(fromType.getRank(), 1);
    SmallVector<int64_t> sliceShape(fromType.getShape());
    starts.back() = offset;
    limits.back() = offset + n;
    sliceShape.back() = n;
    offset += n;
    Value slice = SliceOp::create(b, c.getLoc(), fromType.clone(sliceShape), from, b.getDenseI64ArrayAttr(starts),
                                  b.getDenseI64ArrayAttr(limits), b.getDenseI64ArrayAttr(steps));
    if (heads) {
      // The head split reads the slice itself (a reshape of a reshape is one reshape).
      cast<ReshapeOp>(*c->getUsers().begin()).getInputMutable().assign(slice);
    } else if (slice.getType() != memberType) {
      slice = ReshapeOp::create(b, c.getLoc(), memberType, slice);
    }
    replaced.push_back({c, slice});
  }
  for (auto [c, slice] : replaced) {
    Operation *oldWeight = c.getWeight().getDefiningOp(), *oldBias = c.getBias() ? c.getBias().getDefiningOp() : nullptr;
    c.getResult().replaceAllUsesWith(slice);
    c.erase();
    oldWeight->erase();
    if (oldBias)
      oldBias->erase();
  }
  return success();
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
  Value product = MatMulOp::create(b, loc, RankedTensorType::get(outShape, cast<RankedTensorType>(first.getType()).getElementType()),
                                   first.getLhs(), weight);
  // The members' biases side by side (zeros for a member without one), added to the merged product.
  if (llvm::any_of(group, [](MatMulOp m) { return static_cast<bool>(biasAddOf(m)); })) {
    std::vector<char> biases;
    for (auto [member, n] : llvm::zip(group, widths)) {
      MatMulOp m = member;
      std::vector<char> bias(static_cast<size_t>(n) * elementSize, 0);
      if (AddOp add = biasAddOf(m)) {
        Value v = add.getLhs() == m.getResult() ? add.getRhs() : add.getLhs();
        std::optional<std::vector<char>> got =
            constantBytes(cast<ElementsAttr>(v.getDefiningOp<ConstantOp>().getValue()), elementSize);
        if (!got || got->size() != bias.size())
          return failure();
        bias = std::move(*got);
      }
      biases.insert(biases.end(), bias.begin(), bias.end());
    }
    Value bias = ConstantOp::create(
        b, loc,
        DenseResourceElementsAttr::get(RankedTensorType::get({total}, element), "merged_bias",
                                       HeapAsmResourceBlob::allocateAndCopyWithAlign(ArrayRef<char>(biases), alignof(float))));
    product = AddOp::create(b, loc, product.getType(), product, bias).getResult();
  }
  // The slices go right after the merged product (before `first`); the matmuls go once all are made.
  b.setInsertionPointAfterValue(product);
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
    if (AddOp add = biasAddOf(m)) {
      Operation *oldBias = (add.getLhs() == m.getResult() ? add.getRhs() : add.getLhs()).getDefiningOp();
      add.getResult().replaceAllUsesWith(slice);
      add.erase();
      oldBias->erase();
    } else {
      m.getResult().replaceAllUsesWith(slice);
    }
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
    llvm::MapVector<std::pair<Value, Operation *>, SmallVector<ConvOp>> convGroups;
    for (Operation &op : func.getBody().front()) {
      if (auto m = dyn_cast<MatMulOp>(op); m && weightOf(m)) {
        if (AttentionOp a = headsReadBy(projectionOf(m)))
          groups[{m.getLhs(), a}].push_back(m);
        else if (MulOp gate = gateReadBy(m.getResult()))
          groups[{m.getLhs(), gate}].push_back(m);
      }
      if (auto c = dyn_cast<ConvOp>(op); c && isMergeableConv(c)) {
        if (AttentionOp a = headsReadBy(c.getResult()))
          convGroups[{c.getInput(), a}].push_back(c);
        else if (MulOp gate = gateReadBy(c.getResult()))
          convGroups[{c.getInput(), gate}].push_back(c);
      }
    }
    for (auto &[key, group] : convGroups)
      if (group.size() >= 2)
        (void)mergeConvs(group);
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
