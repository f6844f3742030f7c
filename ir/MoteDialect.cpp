// Registration of the `mote` dialect and how it materializes folded constants.
#include "ir/MoteDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mote;

#include "ir/MoteOpsDialect.cpp.inc"

void MoteDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "ir/MoteOps.cpp.inc"
      >();
}

Operation *MoteDialect::materializeConstant(OpBuilder &builder, Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}

LogicalResult MoteDialect::verifyOperationAttribute(Operation *op, NamedAttribute attr) {
  if (attr.getName() != kLhsQuantizationAttrName)
    return success(); // the other `mote.` annotations (kernel, memory plan, report data) carry no semantics
  auto value = dyn_cast<StringAttr>(attr.getValue());
  if (!value || value.getValue() != kLhsQuantizationInt8PerRow)
    return op->emitOpError("'mote.lhs_quantization' must be \"int8_per_row\", got ") << attr.getValue();
  Value weight;
  if (auto m = dyn_cast<MatMulOp>(op))
    weight = m.getRhs();
  else if (auto g = dyn_cast<GemmOp>(op); g && !g.getTransA())
    weight = g.getB();
  else
    return op->emitOpError("'mote.lhs_quantization' applies to mote.matmul and mote.gemm (transA = false) only");
  // Inside a mote.fused region the weight is a region input: look through to the region's operand.
  if (auto arg = dyn_cast<BlockArgument>(weight))
    if (auto fused = dyn_cast_or_null<FusedOp>(arg.getOwner()->getParentOp()))
      weight = fused.getInputs()[arg.getArgNumber()];
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  if (!dequantize || cast<ShapedType>(weight.getType()).getRank() != 2)
    return op->emitOpError("'mote.lhs_quantization' needs a 2-D weight given by mote.dequantize");
  Type q = getElementTypeOrSelf(dequantize.getInput().getType());
  if (!q.isSignlessInteger(4) && !q.isSignlessInteger(8))
    return op->emitOpError("'mote.lhs_quantization' needs an i8 or i4 weight, got ") << q;
  return success();
}
