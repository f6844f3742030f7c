// How motec prints diagnostics: "motec: error: model.onnx: node 'conv_1' (Conv, opset 17): ...".
#ifndef MOTE_TOOLS_MOTEC_DIAGNOSTICS_H
#define MOTE_TOOLS_MOTEC_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

namespace mote {

/// Prints every diagnostic of `context` to stderr in motec's format while it lives.
class MotecDiagnostics {
public:
  explicit MotecDiagnostics(mlir::MLIRContext &context);
  ~MotecDiagnostics();

private:
  mlir::MLIRContext &context_;
  mlir::DiagnosticEngine::HandlerID id_;
};

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_DIAGNOSTICS_H
