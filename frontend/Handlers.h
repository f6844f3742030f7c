// The registry of ONNX operator handlers: one function per operator, grouped by family in
// handlers/*.cpp, each valid over a range of opsets.
#ifndef MOTE_FRONTEND_HANDLERS_H
#define MOTE_FRONTEND_HANDLERS_H

#include "frontend/NodeContext.h"

#include "llvm/ADT/StringRef.h"

#include <vector>

namespace mote {

using OpHandler = mlir::LogicalResult (*)(NodeContext &);

struct HandlerEntry {
  const char *opType; // "OpType" of the default ONNX domain, or "domain.OpType" (com.microsoft.MatMulNBits)
  int64_t minOpset; // the first opset (of the operator's domain) the handler understands
  OpHandler handler;
};

/// Handler tables of each family.
void appendComposedHandlers(std::vector<HandlerEntry> &table);
void appendContribHandlers(std::vector<HandlerEntry> &table);
void appendElementwiseHandlers(std::vector<HandlerEntry> &table);
void appendNeuralHandlers(std::vector<HandlerEntry> &table);
void appendTensorHandlers(std::vector<HandlerEntry> &table);

/// The handler for `opType` at `opset`, or null.
OpHandler findHandler(llvm::StringRef opType, int64_t opset);
/// Whether any opset has a handler for `opType` (to tell "unknown" from "not at this opset").
bool isKnownOperator(llvm::StringRef opType);

} // namespace mote

#endif // MOTE_FRONTEND_HANDLERS_H
