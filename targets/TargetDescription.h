// What a target can and cannot do, as a struct (for defaults and flags) and as the module's
// `#mote.target` attribute (for passes, which never ask which target they compile for).
#ifndef MOTE_TARGETS_TARGETDESCRIPTION_H
#define MOTE_TARGETS_TARGETDESCRIPTION_H

#include "ir/ModuleTarget.h"

#include "mlir/IR/BuiltinOps.h"

#include <string>
#include <vector>

namespace mote {

/// The fields of `#mote.target` (see its ODS description); 0 means "no limit".
struct TargetDescription {
  std::string name;
  int64_t maxRank = 0;
  bool implicitBroadcast = true;
  bool explicitBroadcast = true;
  int64_t fcMaxInputRank = 0;
  int64_t maxTensorBytes = 0;
  std::string layout = "NCHW";
  std::vector<std::string> native;
  std::string activationType = "f32";
  std::vector<std::string> weightTypes;
  int64_t vectorBytes = 0;
  int64_t fastMemoryBytes = 0;
  std::vector<std::string> fusions;
  int64_t maxAllocBytes = 0;

  /// The attribute; fails (emitting at `loc`) if a field is invalid.
  TargetAttr toAttr(mlir::MLIRContext *ctx, mlir::Location loc) const;
};

} // namespace mote

#endif // MOTE_TARGETS_TARGETDESCRIPTION_H
