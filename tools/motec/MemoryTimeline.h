// The report's memory timeline (report.md links memory.svg): every activation buffer of a planned function
// drawn where the planner put it, arena offset over the schedule, with the bytes live at each step, the
// arena size, the liveness lower bound and the largest tensors named by their ONNX nodes.
#ifndef MOTE_TOOLS_MOTEC_MEMORYTIMELINE_H
#define MOTE_TOOLS_MOTEC_MEMORYTIMELINE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <optional>
#include <string>

namespace mote {

struct MemoryTimeline {
  std::string svg;
  /// One Markdown paragraph: arena, bound, ratio, the largest tensors.
  std::string summary;
};

/// The timeline of `func` if it is planned (mote.arena_bytes), else nullopt.
std::optional<MemoryTimeline> drawMemoryTimeline(mlir::func::FuncOp func);

} // namespace mote

#endif // MOTE_TOOLS_MOTEC_MEMORYTIMELINE_H
