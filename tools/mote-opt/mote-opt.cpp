// mote-opt: runs Mote passes on .mlir files, for lit tests and debugging.
#include "codegen/Passes.h"
#include "codegen/PlanFunction.h"
#include "ir/MoteDialect.h"
#include "passes/Passes.h"
#include "passes/Pipelines.h"
#include "targets/Target.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
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
