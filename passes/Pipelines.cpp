// The compilation phases of `motec --compile-to` and the pass pipeline that reaches each.
#include "passes/Pipelines.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mote {

namespace {
struct PhaseInfo {
  Phase phase;
  const char *name;
};
constexpr PhaseInfo kPhases[] = {{Phase::Import, "import"},
                                 {Phase::Canonical, "canonical"},
                                 {Phase::Legal, "legal"},
                                 {Phase::Quantized, "quantized"},
                                 {Phase::Fused, "fused"},
                                 {Phase::Planned, "planned"},
                                 {Phase::Emitted, "emitted"}};
} // namespace

std::optional<Phase> parsePhase(llvm::StringRef name) {
  for (const PhaseInfo &info : kPhases)
    if (name == info.name)
      return info.phase;
  return std::nullopt;
}

llvm::StringRef phaseName(Phase phase) {
  for (const PhaseInfo &info : kPhases)
    if (info.phase == phase)
      return info.name;
  llvm_unreachable("unknown phase");
}

ArrayRef<Phase> allPhases() {
  static const Phase phases[] = {Phase::Import, Phase::Canonical, Phase::Legal, Phase::Quantized,
                                 Phase::Fused, Phase::Planned, Phase::Emitted};
  return phases;
}

std::string phaseNames() {
  std::string names;
  for (const PhaseInfo &info : kPhases)
    names += (names.empty() ? "" : "|") + std::string(info.name);
  return names;
}

void addPhasePasses(OpPassManager &pm, Phase phase, const PhaseHooks &hooks) {
  switch (phase) {
  case Phase::Import:
    return;
  case Phase::Canonical: {
    // Fold what import left (shape arithmetic, no-op reshapes) and drop dead ops; raise what
    // exporters decomposed back to the composites (GELU before SiLU: QuickGELU contains a sigmoid);
    // then insist that every shape is static.
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    OpPassManager &func = pm.nest<func::FuncOp>();
    func.addPass(createMoteRecognizeGroupNorm());
    func.addPass(createMoteRecognizeLayerNorm());
    func.addPass(createMoteRecognizeRmsNorm());
    func.addPass(createMoteRecognizeGelu());
    func.addPass(createMoteRecognizeSilu());
    func.addPass(createMoteRecognizeAttention());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    if (hooks.kvCache) {
      pm.addPass(createMoteKvCache());
      pm.addPass(createCanonicalizerPass());
    }
    pm.addPass(createMoteCheckStaticShapes());
    return;
  }
  case Phase::Legal:
    // Rewrite what the target cannot run into what it can, then prove nothing else remains.
    // Layout goes after the rewrites that make convolutions (FC->Conv2D, serialization) and before
    // the group norm decomposition, which then decomposes in the target's layout.
    pm.addPass(createMoteDecomposeComposites());
    pm.addPass(createMoteFCToConv2D());
    pm.addPass(createMoteSerializeConv2D());
    pm.addPass(createMoteConvertLayout());
    pm.addPass(createMoteBroadcastFreeGroupNorm());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    if (hooks.targetLegalization)
      hooks.targetLegalization(pm);
    pm.addPass(createMoteCheckLegality());
    return;
  case Phase::Quantized:
    // Weights stored in fewer bits, where the driver asked for a scheme.
    if (!hooks.quantize.empty()) {
      MoteQuantizeWeightsOptions options;
      options.scheme = hooks.quantize;
      options.skip.assign(hooks.quantizeSkip.begin(), hooks.quantizeSkip.end());
      options.groupSize = hooks.quantizeGroupSize;
      options.activationClip = hooks.activationClip;
      pm.addPass(createMoteQuantizeWeights(options));
      MoteQuantizeActivationsOptions activations;
      activations.scheme = hooks.quantize;
      activations.activationClip = hooks.activationClip;
      pm.addPass(createMoteQuantizeActivations(activations));
    }
    return;
  case Phase::Fused:
    // Regions of ops one kernel computes, of the kinds the target's `fusions` name.
    // First the reshapes and scales that stand between linear ops and what fuses with them.
    pm.addNestedPass<func::FuncOp>(createMoteSinkReshapes());
    pm.addNestedPass<func::FuncOp>(createMoteFoldLinearScale());
    pm.addNestedPass<func::FuncOp>(createMoteFuseRotary());
    pm.addNestedPass<func::FuncOp>(createMoteMergeSiblingMatmuls());
    pm.addNestedPass<func::FuncOp>(createMoteFuseAttention());
    pm.addNestedPass<func::FuncOp>(createMoteSplitGroupNorm());
    pm.addNestedPass<func::FuncOp>(createMoteFuseLinearEpilogue());
    pm.addNestedPass<func::FuncOp>(createMoteFuseElementwise());
    return;
  case Phase::Planned:
    if (hooks.planning)
      hooks.planning(pm);
    return;
  case Phase::Emitted:
    return; // the driver asks the target to emit the artifact
  }
}

void buildPipelineTo(OpPassManager &pm, Phase phase, const PhaseHooks &hooks) {
  for (const PhaseInfo &info : kPhases)
    if (info.phase <= phase)
      addPhasePasses(pm, info.phase, hooks);
}

void registerMotePipelines() {
  PassPipelineRegistration<>("mote-canonical-pipeline",
                             "The passes that take an imported module to the canonical phase",
                             [](OpPassManager &pm) { buildPipelineTo(pm, Phase::Canonical); });
  PassPipelineRegistration<>("mote-legal-pipeline",
                             "The passes that take an imported module to the legal phase for its #mote.target",
                             [](OpPassManager &pm) { buildPipelineTo(pm, Phase::Legal); });
}

} // namespace mote
