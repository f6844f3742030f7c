// The NEON target: AArch64 CPUs, NHWC, f32. Runs by emitting the artifact (Emitter.h), cross-compiling it
// with the runtime and running it under qemu-aarch64.
#ifndef MOTE_TARGETS_NEON_NEONTARGET_H
#define MOTE_TARGETS_NEON_NEONTARGET_H

#include "targets/Target.h"

namespace mote {

class NeonTarget : public Target {
public:
  llvm::StringRef name() const override { return "neon"; }
  llvm::StringRef summary() const override { return "ARM NEON CPUs (AArch64), NHWC"; }
  TargetDescription defaultDescription() const override;
  /// The description flags, and --neon-precision=f32|f16 (the user's name for the activation type).
  std::vector<TargetFlag> flags() const override;
  /// mote-neon-select-kernels.
  void addKernelSelectionPasses(mlir::OpPassManager &pm) const override;
  void registerPasses() const override;
  /// Emits `func` (planned phase) into a temporary folder, compiles it with aarch64-linux-gnu-g++ and runs it
  /// under qemu-aarch64 (extra qemu flags from $MOTE_SIM_FLAGS; $MOTE_KEEP_TEMPS keeps the folder).
  mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const override;
  /// model.h, model.cpp and model.weights for `func` (planned phase) into `dir`.
  mlir::LogicalResult emit(mlir::func::FuncOp func, llvm::StringRef dir, const EmitOptions &options) const override;
  bool hasEmitter() const override { return true; }
  /// The two artifacts' init() (every packing call, layout and offset) are the same text.
  bool packsAlike(llvm::StringRef dir, llvm::StringRef nameA, llvm::StringRef nameB) const override;
  /// Compiles the LLM artifact with runtime/neon/GenerateRunner.cpp and runs it under qemu-aarch64.
  llvm::Expected<std::string> generate(const LlmArtifacts &artifacts, llvm::ArrayRef<std::string> runnerArgs,
                                       const RunOptions &options, std::string &log) const override;
};

} // namespace mote

#endif // MOTE_TARGETS_NEON_NEONTARGET_H
