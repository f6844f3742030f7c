// `motec compile --summary`: a short account of a module instead of its IR.
#ifndef MOTE_TOOLS_MOTEC_SUMMARY_H
#define MOTE_TOOLS_MOTEC_SUMMARY_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <utility>
#include <vector>

namespace mote {

/// Op counts by op name, most frequent first (ties by name); the module, functions and returns are
/// not counted.
std::vector<std::pair<std::string, int64_t>> opHistogram(mlir::Operation *root);

/// Multiply-accumulates of the module's convolutions, matmuls, gemms and attention (static shapes).
int64_t multiplyAccumulates(mlir::ModuleOp module);

/// Prints the entry function's inputs and outputs, the op histogram, and the parameter count.
void printSummary(mlir::ModuleOp module, llvm::StringRef phase, llvm::raw_ostream &os);

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_SUMMARY_H
