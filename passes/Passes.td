// Declarations of Mote's graph passes, grouped under banners in pipeline order.
#ifndef MOTE_PASSES_PASSES_TD
#define MOTE_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// canonical phase
//===----------------------------------------------------------------------===//

def MoteCheckStaticShapes : Pass<"mote-check-static-shapes", "mlir::ModuleOp"> {
  let summary = "Require every value in the module to have a static shape";
  let description = [{
    Runs at the end of the `canonical` phase: after import has bound the inputs' dynamic dimensions and
    folding has evaluated the shape sub-graphs, a dynamic dimension left anywhere is an error at the op
    that produces it (naming its ONNX node), never something a later phase has to guess about.
  }];
  let dependentDialects = ["mote::MoteDialect"];
}

#endif // MOTE_PASSES_PASSES_TD
