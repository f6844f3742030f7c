// Which runtime/neon kernel runs each op of a planned function, and how its weights are packed: the NEON
// target's part of the planned phase (pass mote-neon-select-kernels), read back by the emitter.
#ifndef MOTE_TARGETS_NEON_KERNELSELECTION_H
#define MOTE_TARGETS_NEON_KERNELSELECTION_H

#include "codegen/KernelChoice.h"

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mote {
namespace neon {

/// The kernel for `op` (not a weight) as typed in the planned phase; fails, emitting an error at `op` that
/// names the op and type, when the NEON target has none.
mlir::FailureOr<KernelChoice> selectKernel(mlir::Operation *op);

std::unique_ptr<mlir::Pass> createSelectKernelsPass();
void registerSelectKernelsPass();

} // namespace neon
} // namespace mote

#endif // MOTE_TARGETS_NEON_KERNELSELECTION_H
