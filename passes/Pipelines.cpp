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
constexpr PhaseInfo kPhases[] = {
    {Phase::Import, "import"}, {Phase::Canonical, "canonical"}, {Phase::Legal, "legal"}};
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

std::string phaseNames() {
  std::string names;
  for (const PhaseInfo &info : kPhases)
    names += (names.empty() ? "" : "|") + std::string(info.name);
  return names;
}

void buildPipelineTo(OpPassManager &pm, Phase phase, llvm::function_ref<void(OpPassManager &)> targetPasses) {
  if (phase == Phase::Import)
    return;
  // canonical: fold what import left (shape arithmetic, no-op reshapes), drop dead ops, then insist
  // that every shape is static.
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // Raise what exporters decomposed back to the composites. GELU before SiLU (QuickGELU contains a
  // sigmoid); norms before attention (attention matches through nothing they produce).
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createMoteRecognizeGroupNorm());
  func.addPass(createMoteRecognizeLayerNorm());
  func.addPass(createMoteRecognizeRmsNorm());
  func.addPass(createMoteRecognizeGelu());
  func.addPass(createMoteRecognizeSilu());
  func.addPass(createMoteRecognizeAttention());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createMoteCheckStaticShapes());
  if (phase == Phase::Canonical)
    return;
  // legal: rewrite what the target cannot run into what it can, then prove nothing else remains.
  pm.addPass(createMoteDecomposeComposites());
  pm.addPass(createMoteBroadcastFreeGroupNorm());
  pm.addPass(createMoteFCToConv2D());
  pm.addPass(createMoteSerializeConv2D());
  pm.addPass(createMoteConvertLayout());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  if (targetPasses)
    targetPasses(pm);
  pm.addPass(createMoteCheckLegality());
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
