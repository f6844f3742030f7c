// The source coordinates of a resize (ONNX Resize's coordinate transformation and nearest modes), per output
// coordinate of each axis: what every target's resize kernel reads, and what the integer pipeline turns a
// nearest resize into (one gather per resized axis).
#ifndef MOTE_IR_RESIZETABLES_H
#define MOTE_IR_RESIZETABLES_H

#include "ir/MoteDialect.h"

#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mote {

/// Resize by per-axis tables: for axis d and output coordinate o, indices[off_d + 2*o + {0,1}] are the source
/// indices and weights[...] theirs (off_d = 2 * sum of the earlier output dims). Nearest modes use only the
/// first entry with weight 1.
struct ResizeTables {
  llvm::SmallVector<int64_t> indices;
  llvm::SmallVector<float> weights;
  bool linear = false;
};
/// The tables of `op` (static shapes).
ResizeTables resizeTables(ResizeOp op);

} // namespace mote

#endif // MOTE_IR_RESIZETABLES_H
