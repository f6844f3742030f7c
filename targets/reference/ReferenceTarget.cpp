// The reference target as a Target: no constraints, every composite native, runs in-process.
#include "targets/reference/ReferenceTarget.h"

#include "targets/reference/Interpreter.h"

namespace mote {

TargetDescription ReferenceTarget::defaultDescription() const {
  TargetDescription d;
  d.name = "reference";
  d.native = {"group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"};
  d.weightTypes = {"i8", "i4"}; // executes mote.dequantize (the quantized phase's oracle)
  return d;
}

mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
ReferenceTarget::run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &) const {
  return reference::runFunction(func, inputs);
}

} // namespace mote
