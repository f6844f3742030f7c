// The target plugin interface: what each folder under targets/ implements, and the one registry of
// targets (Registry.cpp). Adding a target is adding a folder and one line there.
#ifndef MOTE_TARGETS_TARGET_H
#define MOTE_TARGETS_TARGET_H

#include "targets/TargetDescription.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"

#include <string>
#include <vector>

namespace mote {

/// How a target runs in simulation.
struct RunOptions {
  /// Extra flags for the simulator (motec run --sim-flags), e.g. a qemu plugin that counts instructions.
  std::string simulatorFlags;
};

class Target {
public:
  virtual ~Target() = default;
  virtual llvm::StringRef name() const = 0;
  /// One line for --help.
  virtual llvm::StringRef summary() const = 0;
  /// The description `--target=NAME` starts from (flags may override fields).
  virtual TargetDescription defaultDescription() const = 0;
  /// Passes this target adds at the end of the legal phase (after the generic legalization).
  virtual void addLegalizationPasses(mlir::OpPassManager &pm) const {}
  /// Runs `func` on `inputs`; targets that cannot run yet fail with an error saying so.
  virtual mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const = 0;
  /// Whether `emit` writes an artifact (so `motec compile --target=T` goes as far as the emitted phase).
  virtual bool hasEmitter() const { return false; }
  /// Writes the artifact for `func` (planned phase) into `dir`; targets without an emitter fail saying so.
  virtual mlir::LogicalResult emit(mlir::func::FuncOp func, llvm::StringRef dir) const {
    return func.emitError("target '") << name() << "' has no emitter yet";
  }
};

/// All registered targets, in registration order.
const std::vector<const Target *> &allTargets();
/// The target called `name`, or null.
const Target *lookupTarget(llvm::StringRef name);
/// "reference|neon|opencl|hexagon", for messages and help.
std::string targetNames();

} // namespace mote

#endif // MOTE_TARGETS_TARGET_H
