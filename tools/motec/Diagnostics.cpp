// How motec prints diagnostics: "motec: error: model.onnx: node 'conv_1' (Conv, opset 17): ...".
#include "Diagnostics.h"

#include "ir/Locations.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace mote {

static void print(Diagnostic &diag, llvm::StringRef indent) {
  const char *severity = "error";
  switch (diag.getSeverity()) {
  case DiagnosticSeverity::Note:
    severity = "note";
    break;
  case DiagnosticSeverity::Warning:
    severity = "warning";
    break;
  case DiagnosticSeverity::Remark:
    severity = "remark";
    break;
  case DiagnosticSeverity::Error:
    break;
  }
  std::string where = describeLocation(diag.getLocation());
  llvm::errs() << indent << "motec: " << severity << ": " << where << (where.empty() ? "" : ": ")
               << diag.str() << "\n";
  for (Diagnostic &note : diag.getNotes())
    print(note, "  ");
}

MotecDiagnostics::MotecDiagnostics(MLIRContext &context) : context_(context) {
  id_ = context.getDiagEngine().registerHandler([](Diagnostic &diag) {
    print(diag, "");
    return success();
  });
}

MotecDiagnostics::~MotecDiagnostics() { context_.getDiagEngine().eraseHandler(id_); }

} // namespace mote
