// The Hexagon target's kernel selection (planned phase): the HVX kernel each op of the integer pipeline calls
// (mote.kernel), and a clear error for anything else.
#ifndef MOTE_TARGETS_HEXAGON_KERNELSELECTION_H
#define MOTE_TARGETS_HEXAGON_KERNELSELECTION_H

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mote::hexagon {

/// mote-hexagon-select-kernels.
std::unique_ptr<mlir::Pass> createSelectKernelsPass();
void registerSelectKernelsPass();

} // namespace mote::hexagon

#endif // MOTE_TARGETS_HEXAGON_KERNELSELECTION_H
