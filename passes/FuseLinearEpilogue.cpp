// mote-fuse-linear-epilogue: a matrix product by a weight, or a convolution, and the bias add, residual add
// and activation (or gated product of its halves) after it, led by the norm it reads where the target can ->
// one mote.fused "linear_epilogue" region, with the halves of a group norm split around convolutions
// (see Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include <utility>

namespace mote {
#define GEN_PASS_DEF_MOTEFUSELINEAREPILOGUE
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// A constant, a quantized weight (mote.dequantize of constants), or a reshape of one (how a weight reaches a
/// kernel that packs it).
bool isWeightValue(Value v) {
  Operation *def = v.getDefiningOp();
  if (auto reshape = dyn_cast_or_null<ReshapeOp>(def))
    def = reshape.getInput().getDefiningOp();
  if (auto dequantize = dyn_cast_or_null<DequantizeOp>(def))
    return dequantize.getInput().getDefiningOp<ConstantOp>() && dequantize.getScale().getDefiningOp<ConstantOp>();
  return isa_and_nonnull<ConstantOp>(def);
}

/// A matmul by a rank-2 weight (the packed GEMM), or any convolution.
bool isLinear(Operation &op) {
  if (auto m = dyn_cast<MatMulOp>(op))
    return isWeightValue(m.getRhs()) && cast<RankedTensorType>(m.getRhs().getType()).getRank() == 2;
  return isa<ConvOp>(op);
}

/// The operand a norm prologue would produce and the weight, for a linear op whose kernel the target can lead
/// with a norm: a matmul (`norm_prologue`), or a 1x1 channels-last convolution with unit strides, no padding
/// and one group, which reads its input as rows of channels like a matmul (`norm_prologue_conv`); else nulls.
std::pair<Value, Value> normReadingOperands(Operation *linear, TargetAttr target) {
  if (auto m = dyn_cast<MatMulOp>(linear); m && target.canFuse("norm_prologue"))
    return {m.getLhs(), m.getRhs()};
  auto c = dyn_cast<ConvOp>(linear);
  if (!c || !target.canFuse("norm_prologue_conv") || !c.isChannelsLinear())
    return {};
  return {c.getInput(), c.getWeight()};
}

/// Whether `v` is a constant vector of the last dimension of `of` (a per-column bias: [N] or [1, ..., N]).
bool isColumnBias(Value v, RankedTensorType of) {
  auto t = cast<RankedTensorType>(v.getType());
  if (!isWeightValue(v) || !t.hasStaticShape() || t.getNumElements() != of.getShape().back())
    return false;
  return t.getRank() == 0 ? false : t.getShape().back() == of.getShape().back();
}

/// The gated product of the two halves of `v` along its last axis (GEGLU's x[..., :F] * gelu(x[..., F:]),
/// SwiGLU's silu(gate) * up after merged projections): the two last-axis window slices that are `v`'s
/// only users, an optional GELU or SiLU of one of them, and the product, each value read only by the next;
/// in block order. Empty if `v` is not read so.
SmallVector<Operation *> gatedProduct(Value v, Block &block) {
  auto type = cast<RankedTensorType>(v.getType());
  SmallVector<SliceOp> halves;
  for (Operation *user : v.getUsers()) {
    auto slice = dyn_cast<SliceOp>(user);
    if (!slice || slice->getBlock() != &block || !slice.isLastAxisWindow() || !slice->hasOneUse())
      return {};
    halves.push_back(slice);
  }
  const int64_t n = type.getShape().back();
  if (halves.size() != 2 || n % 2 != 0)
    return {};
  llvm::sort(halves, [](SliceOp a, SliceOp b) { return a.getStarts().back() < b.getStarts().back(); });
  if (halves[0].getStarts().back() != 0 || halves[0].getLimits().back() != n / 2 ||
      halves[1].getStarts().back() != n / 2 || halves[1].getLimits().back() != n)
    return {};
  SmallVector<Operation *> ops = {halves[0], halves[1]};
  // Each half reaches the product directly or through one activation.
  MulOp product;
  for (SliceOp half : halves) {
    Operation *user = *half->getUsers().begin();
    if (isa<GeluOp, SiluOp>(user) && user->hasOneUse() && user->getBlock() == &block) {
      ops.push_back(user);
      user = *user->getUsers().begin();
    }
    auto mul = dyn_cast<MulOp>(user);
    if (!mul || (product && mul != product))
      return {};
    product = mul;
  }
  if (ops.size() > 3 || product.getLhs() == product.getRhs() || product.getType() != halves[0].getType())
    return {};
  ops.push_back(product);
  llvm::sort(ops, [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  return ops;
}

/// With `group_norm_conv`, the normalization mote-split-group-norm put before convolution `conv` for it
/// alone: the mote.group_norm_apply, the SiLU after it and a reshape, each read only by the next (in block
/// order); empty if `conv` reads no such chain.
SmallVector<Operation *> groupNormPrologue(ConvOp conv, Block &block) {
  SmallVector<Operation *> chain;
  Value v = conv.getInput();
  bool silu = false, reshape = false;
  for (int depth = 0; depth < 3; ++depth) {
    Operation *def = v.getDefiningOp();
    if (!def || def->getBlock() != &block || !v.hasOneUse())
      return {};
    chain.insert(chain.begin(), def);
    if (auto apply = dyn_cast<GroupNormApplyOp>(def)) {
      auto type = apply.getType();
      const bool last = apply.getChannelsLast();
      if (!readsGroupNormInPrologue(conv, last, type.getDimSize(0), type.getDimSize(last ? 3 : 1)))
        return {};
      return chain;
    }
    // At most one SiLU, after the norm, and one reshape, after that.
    if (isa<SiluOp>(def) ? std::exchange(silu, true) || !isa_and_nonnull<GroupNormApplyOp>(def->getOperand(0).getDefiningOp())
                         : !isa<ReshapeOp>(def) || std::exchange(reshape, true))
      return {};
    v = def->getOperand(0);
  }
  return {};
}

/// With `upsample_conv`, the nearest-neighbour upsampling by whole factors that only convolution `conv` reads
/// (ONNX Resize, mode nearest, asymmetric coordinates, floor: source pixel = output pixel / factor, what
/// torch.onnx writes for F.interpolate(scale_factor=2)), which the convolution reads through; else null.
ResizeOp upsamplePrologue(ConvOp conv, Block &block) {
  auto resize = conv.getInput().getDefiningOp<ResizeOp>();
  if (!resize || resize->getBlock() != &block || !conv.getInput().hasOneUse() || conv.getGroup() != 1 ||
      resize.getMode() != "nearest" || resize.getCoordinateTransformationMode() != "asymmetric" ||
      resize.getNearestMode() != "floor")
    return {};
  auto in = cast<RankedTensorType>(resize.getInput().getType()), out = resize.getType();
  if (!in.hasStaticShape() || in.getRank() != 4 || resize.getScales().size() != 4)
    return {};
  const bool last = conv.getChannelsLast();
  for (int64_t d = 0; d < 4; ++d) {
    const bool spatial = last ? (d == 1 || d == 2) : d >= 2;
    const int64_t i = in.getDimSize(d), o = out.getDimSize(d);
    if (o % i != 0 || (!spatial && o != i) || resize.getScales()[d] != static_cast<float>(o / i))
      return {};
  }
  return resize;
}

/// With `group_norm_conv`, the group norm statistics of `v` (a convolution's result, or its epilogue's, in
/// the convolution's layout) that mote-split-group-norm put right after it; else null.
Operation *groupNormStatsOf(Value v, ConvOp conv, Block &block) {
  // The first in the block when two norms read `v`: the region goes where its last op is, before the other.
  Operation *first = nullptr;
  for (Operation *user : v.getUsers())
    if (auto stats = dyn_cast<GroupNormStatsOp>(user))
      if (stats->getBlock() == &block && stats.getChannelsLast() == conv.getChannelsLast() && conv.getGroup() == 1 &&
          cast<RankedTensorType>(v.getType()).getRank() == 4 && (!first || stats->isBeforeInBlock(first)))
        first = stats;
  return first;
}

/// The only user of `v`, if it has exactly one and it is in `block`.
Operation *onlyUser(Value v, Block &block) {
  if (!v.hasOneUse())
    return nullptr;
  Operation *user = *v.getUsers().begin();
  return user->getBlock() == &block ? user : nullptr;
}

struct FuseLinearEpiloguePass : mote::impl::MoteFuseLinearEpilogueBase<FuseLinearEpiloguePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    TargetAttr target = getModuleTarget(func);
    if (!target || !target.canFuse("linear_epilogue") || func.isExternal())
      return;
    Block &block = func.getBody().front();
    SmallVector<Operation *> linears;
    for (Operation &op : block)
      if (isLinear(op))
        linears.push_back(&op);
    for (Operation *linear : linears) {
      SmallVector<Operation *> ops = {linear};
      Value current = linear->getResult(0);
      auto type = cast<RankedTensorType>(current.getType());
      if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()) || type.getRank() == 0)
        continue;
      // In this order, each optional: + bias (a matmul's; a convolution has its own), + residual, activation.
      auto add = dyn_cast_or_null<AddOp>(onlyUser(current, block));
      if (add && isa<MatMulOp>(linear) && add.getType() == type &&
          isColumnBias(otherOperand(add, current), type)) {
        ops.push_back(add);
        current = add.getResult();
        add = dyn_cast_or_null<AddOp>(onlyUser(current, block));
      }
      // The residual: a value of the result's type, or (linear_epilogue_broadcast) one broadcast along the
      // rows, one value per column or channel (or one value), such as a U-Net's time embedding per channel.
      auto residualFits = [&](Value v) {
        auto t = cast<RankedTensorType>(v.getType());
        return t == type || (target.canFuse("linear_epilogue_broadcast") && t.hasStaticShape() &&
                             t.getElementType() == type.getElementType() &&
                             isPeriodicBroadcast(t.getShape(), type.getShape()) &&
                             (t.getNumElements() == 1 || t.getNumElements() == type.getShape().back()));
      };
      if (add && add.getType() == type && residualFits(otherOperand(add, current)) && add.getLhs() != add.getRhs()) {
        ops.push_back(add);
        current = add.getResult();
      }
      Operation *user = onlyUser(current, block);
      if (user && isa<ReluOp, ClipOp, SiluOp, GeluOp>(user) && user->getResult(0).getType() == type)
        ops.push_back(user);
      else if (target.canFuse("gated_linear") && current == linear->getResult(0) &&
               (isa<MatMulOp>(linear) || cast<ConvOp>(linear).isChannelsLinear()))
        ops.append(gatedProduct(current, block)); // the GEMM's sums at two columns
      // A layer or RMS norm over the last axis producing the matmul's left operand for it alone: the GEMM
      // normalizes rows as it packs them. The region reads the norm's input and the weight first.
      SmallVector<Value> first;
      if (auto [lhs, weight] = normReadingOperands(linear, target);
          lhs && cast<RankedTensorType>(lhs.getType()).getRank() > 0) {
        Operation *norm = lhs.getDefiningOp();
        auto lhsType = cast<RankedTensorType>(lhs.getType());
        auto lastAxis = [&](int64_t axis) { return axis == -1 || axis == lhsType.getRank() - 1; };
        bool isNorm = false;
        if (auto ln = dyn_cast_or_null<LayerNormOp>(norm))
          isNorm = lastAxis(static_cast<int64_t>(ln.getAxis()));
        else if (auto rms = dyn_cast_or_null<RmsNormOp>(norm))
          isNorm = lastAxis(static_cast<int64_t>(rms.getAxis()));
        // Its scale (and bias) one value per column of the left operand.
        auto perColumn = [&](Value v) {
          auto t = cast<RankedTensorType>(v.getType());
          return t.hasStaticShape() && t.getNumElements() == lhsType.getShape().back();
        };
        isNorm = isNorm && llvm::all_of(llvm::drop_begin(norm->getOperands()), perColumn);
        if (isNorm && lhs.hasOneUse() && norm->getBlock() == &block && lhsType.hasStaticShape()) {
          ops.insert(ops.begin(), norm);
          first = {norm->getOperand(0), weight};
        }
      }
      // Before a convolution, what its kernel computes as it stages its input: the normalization of a group
      // norm split around convolutions (group_norm_conv), or a nearest upsampling it reads through
      // (upsample_conv). After it, the statistics of its result (group_norm_conv), which its epilogue computes.
      if (auto conv = dyn_cast<ConvOp>(linear)) {
        SmallVector<Operation *> prologue;
        if (target.canFuse("group_norm_conv"))
          prologue = groupNormPrologue(conv, block);
        if (prologue.empty() && target.canFuse("upsample_conv"))
          if (ResizeOp resize = upsamplePrologue(conv, block))
            prologue = {resize};
        ops.insert(ops.begin(), prologue.begin(), prologue.end());
        if (target.canFuse("group_norm_conv") && llvm::none_of(ops, [](Operation *o) { return isa<SliceOp>(o); }))
          if (Operation *stats = groupNormStatsOf(ops.back()->getResult(0), conv, block))
            ops.push_back(stats);
      }
      if (ops.size() >= 2)
        buildFusedRegion(ops, "linear_epilogue", first);
    }
  }
};

} // namespace
