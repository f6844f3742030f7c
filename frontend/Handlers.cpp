// The registry of ONNX operator handlers.
#include "frontend/Handlers.h"
#include "frontend/OnnxImporter.h"

#include <algorithm>

namespace mote {

static const std::vector<HandlerEntry> &table() {
  static const std::vector<HandlerEntry> entries = [] {
    std::vector<HandlerEntry> t;
    appendComposedHandlers(t);
    appendContribHandlers(t);
    appendElementwiseHandlers(t);
    appendNeuralHandlers(t);
    appendTensorHandlers(t);
    return t;
  }();
  return entries;
}

OpHandler findHandler(llvm::StringRef opType, int64_t opset) {
  const HandlerEntry *best = nullptr;
  for (const HandlerEntry &e : table())
    if (opType == e.opType && e.minOpset <= opset && (!best || e.minOpset > best->minOpset))
      best = &e;
  return best ? best->handler : nullptr;
}

bool isKnownOperator(llvm::StringRef opType) {
  return std::any_of(table().begin(), table().end(),
                     [&](const HandlerEntry &e) { return opType == e.opType; });
}

std::vector<std::string> supportedOperators() {
  std::vector<std::string> names;
  for (const HandlerEntry &e : table())
    names.push_back(e.opType);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

} // namespace mote
