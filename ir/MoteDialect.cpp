// Registration of the `mote` dialect and how it materializes folded constants.
#include "ir/MoteDialect.h"

#include "mlir/IR/Builders.h"

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
