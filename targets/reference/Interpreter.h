// The reference target: an interpreter of the `mote` dialect, the oracle every other target and every
// pass is compared with. Plain loops, double accumulation, results rounded to each op's element type.
#ifndef MOTE_TARGETS_REFERENCE_INTERPRETER_H
#define MOTE_TARGETS_REFERENCE_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace mote::reference {

/// Runs `func` on `inputs` (one per argument, of the argument's type) and returns its results.
/// On failure (an op it cannot run, an index out of range) emits an error at the op and fails.
mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
runFunction(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs);

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_INTERPRETER_H
