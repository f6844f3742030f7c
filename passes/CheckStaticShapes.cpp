// mote-check-static-shapes: every value has a static shape by the end of the `canonical` phase.
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mote {
#define GEN_PASS_DEF_MOTECHECKSTATICSHAPES
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;

namespace {

bool isStatic(Type type) {
  auto shaped = dyn_cast<ShapedType>(type);
  return !shaped || shaped.hasStaticShape();
}

struct CheckStaticShapesPass : mote::impl::MoteCheckStaticShapesBase<CheckStaticShapesPass> {
  void runOnOperation() override {
    bool failed = false;
    getOperation().walk([&](Operation *op) {
      if (auto func = dyn_cast<func::FuncOp>(op)) {
        for (auto [i, type] : llvm::enumerate(func.getFunctionType().getInputs()))
          if (!isStatic(type)) {
            func.emitError("input ") << i << " has a dynamic shape " << type
                                     << "; bind it with --input-shape";
            failed = true;
          }
        return;
      }
      for (Value result : op->getResults())
        if (!isStatic(result.getType())) {
          op->emitError("result has a dynamic shape ")
              << result.getType() << " after shape folding; its shape depends on data";
          failed = true;
        }
    });
    if (failed)
      signalPassFailure();
  }
};

} // namespace
