// The target plugin interface: what each folder under targets/ implements, and the one registry of
// targets (Registry.cpp). Adding a target is adding a folder and one line there (targets/README.md).
#ifndef MOTE_TARGETS_TARGET_H
#define MOTE_TARGETS_TARGET_H

#include "targets/TargetDescription.h"

#include "passes/Pipelines.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/Error.h"

#include <functional>
#include <string>
#include <vector>

namespace mote {

/// How a target runs in simulation.
struct RunOptions {
  /// Extra flags for the simulator (motec run --sim-flags), e.g. a qemu plugin that counts instructions.
  std::string simulatorFlags;
  /// Run once more after a warm-up, between the instruction counter's region markers (motec run --bench):
  /// what the counter's REGION line then reports is one inference.
  bool benchmark = false;
};

/// What `motec compile` asks of an emitter.
struct EmitOptions {
  /// The model's name: the generated files are NAME.h, NAME.cpp (or the target's sources) and NAME.weights,
  /// and the C API's symbols start with NAME_ (codegen/ModelInterface.h). A C identifier.
  std::string modelName = "model";
};

/// What `motec generate` runs: an LLM artifact (`motec compile --llm`), and a draft model's for speculative
/// decoding (empty draftDir: none). The two names differ (their C symbols are linked into one program).
struct LlmArtifacts {
  std::string dir, name;
  std::string draftDir, draftName;
};

/// A command-line flag `--<target>-<name>=VALUE` a target offers; it adjusts the target's description.
struct TargetFlag {
  std::string name; // without the target's prefix, e.g. "max-rank"
  std::string help;
  /// Applies the flag's value to `description`; an error message (without "error:") if the value is bad.
  std::function<std::string(llvm::StringRef value, TargetDescription &description)> apply;
};

/// The flags that override the fields of a description (max-rank, fc-max-input-rank, max-tensor-bytes,
/// layout, native, fusions, activation-type); `fusions` takes only kinds that `defaults` (the target's own
/// description) lists, the ones it has kernels for.
std::vector<TargetFlag> descriptionFlags(const TargetDescription &defaults);

class Target {
public:
  virtual ~Target() = default;
  virtual llvm::StringRef name() const = 0;
  /// One line for --help.
  virtual llvm::StringRef summary() const = 0;
  /// The description `--target=NAME` starts from (flags may override fields).
  virtual TargetDescription defaultDescription() const = 0;
  /// The `--NAME-...` flags of this target. Default: one per overridable description field
  /// (descriptionFlags(defaultDescription())).
  virtual std::vector<TargetFlag> flags() const { return descriptionFlags(defaultDescription()); }
  /// Where `motec compile --target=NAME` stops without --compile-to.
  virtual Phase defaultPhase() const { return hasEmitter() ? Phase::Emitted : Phase::Legal; }
  /// The phase whose IR `run` takes (`motec run` compiles an ONNX model that far first).
  virtual Phase runPhase() const { return Phase::Planned; }
  /// Passes this target adds at the end of the legal phase (after the generic legalization).
  virtual void addLegalizationPasses(mlir::OpPassManager &pm) const {}
  /// Passes of the planned phase between the storage types and memory planning: kernel selection, which
  /// records on every op the kernel the target will call (`mote.kernel`) and its packed weights.
  virtual void addKernelSelectionPasses(mlir::OpPassManager &pm) const {}
  /// Registers the target's own passes with MLIR's pass registry (for mote-opt).
  virtual void registerPasses() const {}
  /// Runs `func` (at runPhase()) on `inputs`; targets that cannot run yet fail with an error saying so.
  virtual mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const = 0;
  /// Whether the artifacts NAME_A and NAME_B the emitter wrote into `dir` pack their weights identically (the
  /// same packed buffer serves both: an LLM artifact's two entries). False when unsure.
  virtual bool packsAlike(llvm::StringRef dir, llvm::StringRef nameA, llvm::StringRef nameB) const { return false; }
  /// Runs text generation on the `motec compile --llm` artifact (NAME_llm.h, NAME_prefill.*, NAME_decode.*,
  /// NAME.weights) named by `artifacts`, and its draft model's when given, with the target's generation runner
  /// and `runnerArgs`: returns what the runner printed on stdout (the token ids) and its stderr in `log`.
  /// Targets that cannot fail saying so.
  virtual llvm::Expected<std::string> generate(const LlmArtifacts &artifacts, llvm::ArrayRef<std::string> runnerArgs,
                                               const RunOptions &options, std::string &log) const {
    return llvm::createStringError("target '" + this->name().str() + "' cannot run generation yet");
  }
  /// Whether `emit` writes an artifact (so `motec compile --target=T` goes as far as the emitted phase).
  virtual bool hasEmitter() const { return false; }
  /// Writes the artifact for `func` (planned phase) into `dir`; targets without an emitter fail saying so.
  virtual mlir::LogicalResult emit(mlir::func::FuncOp func, llvm::StringRef dir, const EmitOptions &options) const {
    return func.emitError("target '") << name() << "' has no emitter yet";
  }
};

/// All registered targets, in registration order; the first is the default (the reference interpreter).
const std::vector<const Target *> &allTargets();
/// The target called `name`, or null.
const Target *lookupTarget(llvm::StringRef name);
/// "reference|neon|opencl|hexagon", for messages and help.
std::string targetNames();
/// Registers every target's passes (mote-opt).
void registerTargetPasses();

} // namespace mote

#endif // MOTE_TARGETS_TARGET_H
