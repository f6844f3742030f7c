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

namespace mote {
/// On a matmul or gemm over a dequantized i8/i4 weight: its left operand's rows are quantized to int8 at run time
/// and the product computed in integers (`--quantize=w4a8`; MoteBase.td, runtime/neon/GemmI8.h).
constexpr llvm::StringLiteral kLhsQuantizationAttrName = "mote.lhs_quantization";
constexpr llvm::StringLiteral kLhsQuantizationInt8PerRow = "int8_per_row";
} // namespace mote

#endif // MOTE_IR_MOTEDIALECT_H
