// Helpers the `mote` ops' verifiers share (MoteOps.cpp, MoteNormOps.cpp).
#ifndef MOTE_IR_OPVERIFICATION_H
#define MOTE_IR_OPVERIFICATION_H

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"

namespace mote {
namespace detail {

mlir::RankedTensorType rankedType(mlir::Value v);

/// A per-channel [C] operand of a normalization (C dynamic: any length).
mlir::LogicalResult verifyPerChannel(mlir::Operation *op, mlir::Value operand, llvm::StringRef name,
                                     int64_t channels);

} // namespace detail
} // namespace mote

#endif // MOTE_IR_OPVERIFICATION_H
