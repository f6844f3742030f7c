// The reference target: an interpreter of the `mote` dialect, the oracle every other target and every
// pass is compared with. Plain loops, double accumulation, results rounded to each op's element type.
#ifndef MOTE_TARGETS_REFERENCE_INTERPRETER_H
#define MOTE_TARGETS_REFERENCE_INTERPRETER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"

#include "llvm/ADT/STLFunctionalExtras.h"

namespace mote::reference {

struct Tensor;

/// What a caller may watch as the interpreter runs: each op (also those inside fused regions) with its
/// operands' and results' tensors, just after it ran (calibration collects activation ranges and layer outputs
/// this way).
using OpObserver = llvm::function_ref<void(mlir::Operation *op, llvm::ArrayRef<const Tensor *> operands,
                                           llvm::ArrayRef<Tensor> results)>;

/// Runs `func` on `inputs` (one per argument, of the argument's type) and returns its results.
/// On failure (an op it cannot run, an index out of range) emits an error at the op and fails.
mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
runFunction(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, OpObserver observer = nullptr);

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_INTERPRETER_H
