// `motec compile --report`: report.json and report.md — what each pass changed, the op histogram at
// the end of each phase, and the convolutions serialized with the sizes that forced them.
#ifndef MOTE_TOOLS_MOTEC_REPORT_H
#define MOTE_TOOLS_MOTEC_REPORT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassInstrumentation.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace mote {

class CompileReport {
public:
  /// Records the op histogram of `module` at the end of `phase`.
  void recordPhase(llvm::StringRef phase, mlir::ModuleOp module);
  /// An instrumentation that records what each pass of `phase` changed (add it to that phase's
  /// pass manager).
  std::unique_ptr<mlir::PassInstrumentation> instrument(llvm::StringRef phase);
  /// Writes DIR/report.json and DIR/report.md for the final `module`; false and `error` on failure.
  bool write(llvm::StringRef dir, mlir::ModuleOp module, std::string &error) const;

  struct PassRecord {
    std::string phase, pass;
    int64_t opsBefore = 0, opsAfter = 0;
    std::map<std::string, int64_t> delta; // op name -> created minus removed (non-zero only)
  };

private:
  friend class ReportInstrumentation;
  std::vector<std::pair<std::string, std::vector<std::pair<std::string, int64_t>>>> phases_;
  std::vector<PassRecord> passes_;
};

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_REPORT_H
