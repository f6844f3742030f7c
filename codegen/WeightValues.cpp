// Which values of a planned function are weights (see WeightValues.h).
#include "codegen/WeightValues.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace mote {
namespace codegen {

bool isWeightOp(Operation *op) {
  if (!op)
    return false;
  if (isa<ConstantOp>(op))
    return true;
  if (auto cast = dyn_cast<CastOp>(op))
    return isa<FloatType>(cast.getTo()) &&
           isa<FloatType>(mlir::cast<RankedTensorType>(cast.getInput().getType()).getElementType()) &&
           isWeight(cast.getInput());
  if (auto reshape = dyn_cast<ReshapeOp>(op))
    return isWeight(reshape.getInput());
  if (auto dequantize = dyn_cast<DequantizeOp>(op))
    return isWeight(dequantize.getInput()) && isWeight(dequantize.getScale());
  return false;
}

bool isWeight(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v))
    if (auto fused = dyn_cast_or_null<FusedOp>(arg.getOwner()->getParentOp()))
      return isWeight(fused.getInputs()[arg.getArgNumber()]);
  return isWeightOp(v.getDefiningOp());
}

ConstantOp weightConstant(Value v) {
  Operation *op = v.getDefiningOp();
  if (!isWeightOp(op))
    return {};
  if (auto constant = dyn_cast<ConstantOp>(op))
    return constant;
  if (isa<DequantizeOp>(op))
    return {};
  return weightConstant(op->getOperand(0));
}

Operation *quantizedWeight(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (auto fused = dyn_cast_or_null<FusedOp>(arg.getOwner()->getParentOp()))
      return quantizedWeight(fused.getInputs()[arg.getArgNumber()]);
    return nullptr;
  }
  Operation *op = v.getDefiningOp();
  if (!isWeightOp(op))
    return nullptr;
  if (isa<DequantizeOp>(op))
    return op;
  if (isa<CastOp, ReshapeOp>(op))
    return quantizedWeight(op->getOperand(0));
  return nullptr;
}

} // namespace codegen
} // namespace mote
