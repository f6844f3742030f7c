// The compilation phases of `motec --compile-to` and the pass pipeline that reaches each.
#ifndef MOTE_PASSES_PIPELINES_H
#define MOTE_PASSES_PIPELINES_H

#include "mlir/Pass/PassManager.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>
#include <vector>

namespace mote {

/// Phases in pipeline order; each is a point where `--compile-to` can stop and print the IR. `planned`
/// and `emitted` are codegen's: their passes and the emission come from the driver (passes/ may not
/// reach codegen or an emitter), through `PhaseHooks`.
enum class Phase { Import, Canonical, Legal, Quantized, Fused, Planned, Emitted };

/// What the driver adds to the pipeline: the target's own legalization passes (run just before the
/// legality check) and the memory planning of the planned phase.
struct PhaseHooks {
  llvm::function_ref<void(mlir::OpPassManager &)> targetLegalization;
  llvm::function_ref<void(mlir::OpPassManager &)> planning;
  /// The quantized phase's scheme (`motec --quantize`, e.g. "w8"; empty: the phase changes nothing) and the
  /// ONNX nodes whose weights stay float.
  std::string quantize;
  std::vector<std::string> quantizeSkip;
  int64_t quantizeGroupSize = 32; // w4's weights per scale
  std::string activationClip = "mse"; // w8a8: the calibrated clipping threshold (mse, max)
  /// `motec --llm`: end the canonical phase with mote-kv-cache (a decoder with past over a static KV cache).
  bool kvCache = false;
};

/// The phase called `name` (`import`, `canonical`, ...), or nullopt.
std::optional<Phase> parsePhase(llvm::StringRef name);
llvm::StringRef phaseName(Phase phase);
/// Names of all phases in order, separated by '|', for help texts.
std::string phaseNames();

/// Adds the passes of `phase` alone: they take a module from the previous phase to this one.
void addPhasePasses(mlir::OpPassManager &pm, Phase phase, const PhaseHooks &hooks = {});

/// Phases in order, for drivers that run them one at a time.
llvm::ArrayRef<Phase> allPhases();

/// Adds the passes that take an imported module to `phase` (nothing for Import). The legal phase works
/// from the module's `#mote.target`; `targetPasses`, if given, adds the target's own legalization
/// passes just before the final legality check.
void buildPipelineTo(mlir::OpPassManager &pm, Phase phase, const PhaseHooks &hooks = {});

/// Registers the phase pipelines with the pass registry (`mote-opt --mote-canonical-pipeline`).
void registerMotePipelines();

} // namespace mote

#endif // MOTE_PASSES_PIPELINES_H
