// The reference target as a Target: no constraints, every composite native, runs in-process.
#ifndef MOTE_TARGETS_REFERENCE_REFERENCETARGET_H
#define MOTE_TARGETS_REFERENCE_REFERENCETARGET_H

#include "targets/Target.h"

namespace mote {

class ReferenceTarget : public Target {
public:
  llvm::StringRef name() const override { return "reference"; }
  llvm::StringRef summary() const override { return "in-process interpreter, the numerical oracle"; }
  TargetDescription defaultDescription() const override;
  /// No constraints to override.
  std::vector<TargetFlag> flags() const override { return {}; }
  /// The interpreter runs any phase's IR; ONNX models are run from the canonical phase.
  Phase defaultPhase() const override { return Phase::Canonical; }
  Phase runPhase() const override { return Phase::Canonical; }
  mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const override;
};

} // namespace mote

#endif // MOTE_TARGETS_REFERENCE_REFERENCETARGET_H
