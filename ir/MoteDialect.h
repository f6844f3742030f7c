// The `mote` dialect and its ops, for everything on the compiler side that builds or reads Mote IR.
#ifndef MOTE_IR_MOTEDIALECT_H
#define MOTE_IR_MOTEDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/MoteOpsDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ir/MoteAttributes.h.inc"

#define GET_OP_CLASSES
#include "ir/MoteOps.h.inc"

#endif // MOTE_IR_MOTEDIALECT_H
