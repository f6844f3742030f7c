// mote-fuse-linear-epilogue: a matrix product by a weight, or a convolution, and the bias add, residual add
// and ReLU/clip after it -> one mote.fused "linear_epilogue" region (see Passes.td).
#include "ir/ModuleTarget.h"
#include "passes/FusedRegions.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

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

/// Whether `v` is a constant vector of the last dimension of `of` (a per-column bias: [N] or [1, ..., N]).
bool isColumnBias(Value v, RankedTensorType of) {
  auto t = cast<RankedTensorType>(v.getType());
  if (!isWeightValue(v) || !t.hasStaticShape() || t.getNumElements() != of.getShape().back())
    return false;
  return t.getRank() == 0 ? false : t.getShape().back() == of.getShape().back();
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
      if (add && add.getType() == type && otherOperand(add, current).getType() == type &&
          add.getLhs() != add.getRhs()) {
        ops.push_back(add);
        current = add.getResult();
      }
      Operation *user = onlyUser(current, block);
      if (user && isa<ReluOp, ClipOp, SiluOp, GeluOp>(user) && user->getResult(0).getType() == type)
        ops.push_back(user);
      // A layer or RMS norm over the last axis producing the matmul's left operand for it alone: the GEMM
      // normalizes rows as it packs them. The region reads the norm's input and the weight first.
      SmallVector<Value> first;
      auto m = dyn_cast<MatMulOp>(linear);
      if (m && target.canFuse("norm_prologue")) {
        Operation *norm = m.getLhs().getDefiningOp();
        auto lhs = cast<RankedTensorType>(m.getLhs().getType());
        auto lastAxis = [&](int64_t axis) { return axis == -1 || axis == lhs.getRank() - 1; };
        bool isNorm = false;
        if (auto ln = dyn_cast_or_null<LayerNormOp>(norm))
          isNorm = lastAxis(static_cast<int64_t>(ln.getAxis()));
        else if (auto rms = dyn_cast_or_null<RmsNormOp>(norm))
          isNorm = lastAxis(static_cast<int64_t>(rms.getAxis()));
        // Its scale (and bias) one value per column of the left operand.
        auto perColumn = [&](Value v) {
          auto t = cast<RankedTensorType>(v.getType());
          return t.hasStaticShape() && t.getNumElements() == lhs.getShape().back();
        };
        isNorm = isNorm && llvm::all_of(llvm::drop_begin(norm->getOperands()), perColumn);
        if (isNorm && m.getLhs().hasOneUse() && norm->getBlock() == &block && lhs.hasStaticShape()) {
          ops.insert(ops.begin(), norm);
          first = {norm->getOperand(0), m.getRhs()};
        }
      }
      if (ops.size() >= 2)
        buildFusedRegion(ops, "linear_epilogue", first);
    }
  }
};

} // namespace
