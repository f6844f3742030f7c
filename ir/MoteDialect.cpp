// Registration of the `mote` dialect and how it materializes folded constants.
#include "ir/MoteDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

#include <algorithm>
#include <cmath>

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
  if (attr.getName() == kLhsScaleAttrName) {
    auto scale = dyn_cast<FloatAttr>(attr.getValue());
    auto mode = op->getAttrOfType<StringAttr>(kLhsQuantizationAttrName);
    if (!scale || !scale.getType().isF32() || !(scale.getValueAsDouble() > 0.0) || !std::isfinite(scale.getValueAsDouble()))
      return op->emitOpError("'mote.lhs_scale' must be a positive finite f32, got ") << attr.getValue();
    if (!mode || (mode.getValue() != kLhsQuantizationInt8PerTensor && mode.getValue() != kLhsQuantizationInt16PerTensor))
      return op->emitOpError("'mote.lhs_scale' goes with mote.lhs_quantization = \"int8_per_tensor\" or "
                             "\"int16_per_tensor\"");
    return success();
  }
  if (attr.getName() != kLhsQuantizationAttrName)
    return success(); // the other `mote.` annotations (kernel, memory plan, report data) carry no semantics
  auto value = dyn_cast<StringAttr>(attr.getValue());
  const bool perRow = value && value.getValue() == kLhsQuantizationInt8PerRow;
  const bool int16 = value && value.getValue() == kLhsQuantizationInt16PerTensor;
  const bool perTensor = int16 || (value && value.getValue() == kLhsQuantizationInt8PerTensor);
  if (!perRow && !perTensor)
    return op->emitOpError("'mote.lhs_quantization' must be \"int8_per_row\", \"int8_per_tensor\" or "
                           "\"int16_per_tensor\", got ")
           << attr.getValue();
  Value weight;
  int64_t channelAxis = -1, K = 0; // the weight's output-channel axis, the product's reduction
  if (auto m = dyn_cast<MatMulOp>(op)) {
    weight = m.getRhs();
    channelAxis = 1;
  } else if (auto g = dyn_cast<GemmOp>(op); g && !g.getTransA()) {
    weight = g.getB();
    channelAxis = g.getTransB() ? 0 : 1;
  } else if (auto c = dyn_cast<ConvOp>(op); c && perTensor && c.getGroup() == 1) {
    weight = c.getWeight();
    channelAxis = 0;
  } else {
    return op->emitOpError("'mote.lhs_quantization' applies to mote.matmul, mote.gemm (transA = false)")
           << (perTensor ? " and group-1 mote.conv" : "") << " only";
  }
  // Inside a mote.fused region the weight is a region input: look through to the region's operand.
  if (auto arg = dyn_cast<BlockArgument>(weight))
    if (auto fused = dyn_cast_or_null<FusedOp>(arg.getOwner()->getParentOp()))
      weight = fused.getInputs()[arg.getArgNumber()];
  auto dequantize = weight.getDefiningOp<DequantizeOp>();
  auto weightType = cast<ShapedType>(weight.getType());
  if (!dequantize || (!isa<ConvOp>(op) && weightType.getRank() != 2))
    return op->emitOpError("'mote.lhs_quantization' needs a ") << (isa<ConvOp>(op) ? "" : "2-D ")
                                                               << "weight given by mote.dequantize";
  Type q = getElementTypeOrSelf(dequantize.getInput().getType());
  if (!q.isSignlessInteger(4) && !q.isSignlessInteger(8))
    return op->emitOpError("'mote.lhs_quantization' needs an i8 or i4 weight, got ") << q;
  if (!perTensor)
    return success();
  if (!q.isSignlessInteger(8) || dequantize.getBlockSize() || dequantize.getAxis() != channelAxis)
    return op->emitOpError("'mote.lhs_quantization' = ") << value << " needs an i8 weight with one scale per "
                                                            "output channel (axis "
                                                         << channelAxis << ")";
  if (!op->hasAttr(kLhsScaleAttrName))
    return op->emitOpError("'mote.lhs_quantization' = ") << value << " needs 'mote.lhs_scale'";
  if (!int16 && weightType.hasStaticShape()) // int16 sums are exact in int64
    K = weightType.getNumElements() / std::max<int64_t>(weightType.getDimSize(channelAxis), 1);
  if (K > kMaxInt8Reduction)
    return op->emitOpError("'mote.lhs_quantization' = \"int8_per_tensor\": a reduction of ")
           << K << " values may overflow int32 sums (at most " << kMaxInt8Reduction << ")";
  return success();
}
