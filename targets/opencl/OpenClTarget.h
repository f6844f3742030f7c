// The OpenCL target: mobile GPUs (Adreno/Mali class), NHWC, f16 storage by default. Runs by emitting the
// artifact (Emitter.h), compiling its host program with the runtime for this machine and running it on the
// OpenCL device the ICD loader offers (pocl's CPU device in simulation).
#ifndef MOTE_TARGETS_OPENCL_OPENCLTARGET_H
#define MOTE_TARGETS_OPENCL_OPENCLTARGET_H

#include "targets/Target.h"

namespace mote {

class OpenClTarget : public Target {
public:
  llvm::StringRef name() const override { return "opencl"; }
  llvm::StringRef summary() const override { return "OpenCL mobile GPUs (Adreno/Mali class), NHWC, f16 storage"; }
  TargetDescription defaultDescription() const override;
  /// The description flags, and --opencl-precision=f32|f16.
  std::vector<TargetFlag> flags() const override;
  /// mote-opencl-fold-weight-transposes.
  void addLegalizationPasses(mlir::OpPassManager &pm) const override;
  /// mote-opencl-select-kernels.
  void addKernelSelectionPasses(mlir::OpPassManager &pm) const override;
  void registerPasses() const override;
  /// Emits `func` into a temporary folder, compiles the host program with the host's C++ compiler against
  /// libOpenCL and runs it ($MOTE_KEEP_TEMPS keeps the folder). pocl's kernel cache and Mote's program-binary
  /// cache live in the runtime cache folder unless $POCL_CACHE_DIR / $MOTE_OPENCL_CACHE_DIR say otherwise.
  mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const override;
  /// NAME.cl, NAME.h, NAME.cpp and NAME.weights for `func` (planned phase) into `dir`.
  mlir::LogicalResult emit(mlir::func::FuncOp func, llvm::StringRef dir, const EmitOptions &options) const override;
  bool hasEmitter() const override { return true; }
};

} // namespace mote

#endif // MOTE_TARGETS_OPENCL_OPENCLTARGET_H
