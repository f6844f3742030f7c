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
constexpr PhaseInfo kPhases[] = {{Phase::Import, "import"}, {Phase::Canonical, "canonical"}};
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

void buildPipelineTo(OpPassManager &pm, Phase phase) {
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
}

void registerMotePipelines() {
  PassPipelineRegistration<>("mote-canonical-pipeline",
                             "The passes that take an imported module to the canonical phase",
                             [](OpPassManager &pm) { buildPipelineTo(pm, Phase::Canonical); });
}

} // namespace mote
