// mote-opt: runs Mote passes on .mlir files, for lit tests and debugging.
#include "codegen/Passes.h"
#include "codegen/PlanFunction.h"
#include "ir/MoteDialect.h"
#include "ir/NestingLimit.h"
#include "passes/Passes.h"
#include "passes/Pipelines.h"
#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

int main(int argc, char **argv) {
  // Input files are checked for absurd nesting before MLIR's recursive parser sees them.
  for (int i = 1; i < argc; ++i) {
    llvm::StringRef arg = argv[i];
    if (arg.starts_with("-") || !llvm::sys::fs::is_regular_file(arg))
      continue;
    if (auto file = llvm::MemoryBuffer::getFile(arg))
      if (std::optional<std::string> tooDeep = mote::checkIRNesting((*file)->getBuffer())) {
        llvm::errs() << "mote-opt: error: " << arg << ": " << *tooDeep << "\n";
        return 1;
      }
  }
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mote::registerMotePasses();
  mote::registerMotePipelines();
  mote::registerPlanMemoryPass();
  mote::registerMoteCodegenPasses();
  mote::registerTargetPasses();

  mlir::DialectRegistry registry;
  registry.insert<mote::MoteDialect, mlir::func::FuncDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(argc, argv, "Mote pass driver\n", registry));
}
