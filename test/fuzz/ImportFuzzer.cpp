// libFuzzer target over the ONNX importer and the pipeline up to the planned phase (NEON's default
// description; inputs whose last byte is odd also through --quantize=w4a8): every input, however malformed, must end in a diagnostic or a planned module, never a
// crash, a sanitizer report, a hang or a blow-up. Built by -DMOTE_FUZZ=ON (clang); run by scripts/fuzz.sh.
#include "codegen/Passes.h"
#include "frontend/OnnxImporter.h"
#include "ir/ModuleTarget.h"
#include "ir/MoteDialect.h"
#include "passes/Pipelines.h"
#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdint>
#include <cstdlib>
#include <string>

using namespace mlir;

namespace {

// The model is written to a file of this process's own folder: the importer reads files (external data
// is resolved relative to the model's folder, and must stay inside it).
std::string modelPath;

mlir::DialectRegistry dialects() {
  DialectRegistry registry;
  registry.insert<mote::MoteDialect, func::FuncDialect>();
  return registry;
}

void compileToPlanned(ModuleOp module, const mote::Target &target, bool quantize) {
  mote::TargetDescription description = target.defaultDescription();
  mote::TargetAttr attr = description.toAttr(module.getContext(), module.getLoc());
  if (!attr)
    return;
  module->setAttr(mote::kTargetAttrName, attr);
  PassManager pm(module.getContext());
  auto targetPasses = [&](OpPassManager &nested) { target.addLegalizationPasses(nested); };
  auto planning = [&](OpPassManager &nested) {
    mote::addPlannedPhasePasses(nested, [&](OpPassManager &pm) { target.addKernelSelectionPasses(pm); });
  };
  // Half the inputs also through the quantized phase, in the scheme that touches the most of the pipeline
  // (int4 weights, int8 activations marked on the linear layers, their kernel selection).
  mote::PhaseHooks hooks;
  hooks.targetLegalization = targetPasses;
  hooks.planning = planning;
  if (quantize)
    hooks.quantize = "w4a8";
  for (mote::Phase phase : {mote::Phase::Canonical, mote::Phase::Legal, mote::Phase::Quantized, mote::Phase::Fused,
                            mote::Phase::Planned})
    mote::addPhasePasses(pm, phase, hooks);
  (void)pm.run(module);
}

} // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  llvm::SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("mote-import-fuzzer", dir)) {
    llvm::errs() << "mote-import-fuzzer: cannot create a temporary folder: " << ec.message() << "\n";
    std::exit(1);
  }
  llvm::sys::path::append(dir, "model.onnx");
  modelPath = std::string(dir);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(modelPath, ec);
    if (ec)
      return 0;
    out.write(reinterpret_cast<const char *>(data), size);
  }
  MLIRContext context(dialects(), MLIRContext::Threading::DISABLED);
  context.loadDialect<mote::MoteDialect, func::FuncDialect>();
  ScopedDiagnosticHandler quiet(&context, [](Diagnostic &) { return success(); });
  OwningOpRef<ModuleOp> module = mote::importOnnxModel(context, modelPath, mote::ImportOptions());
  if (module && succeeded(verify(*module)))
    compileToPlanned(*module, *mote::lookupTarget("neon"), size > 0 && (data[size - 1] & 1));
  return 0;
}
