// Which kernel of the OpenCL kernel library (runtime/opencl/kernels) runs each op of a planned function: the
// OpenCL target's part of the planned phase (pass mote-opencl-select-kernels), read back by its emitter. The
// library's kernels compute in f32 on the storage type (f16 or f32), so an op's float operands must all be of
// that type; OpenCL packs no weights (every kernel reads them as the weights file holds them).
#ifndef MOTE_TARGETS_OPENCL_KERNELSELECTION_H
#define MOTE_TARGETS_OPENCL_KERNELSELECTION_H

#include "codegen/KernelChoice.h"

#include "mlir/Pass/Pass.h"

#include <memory>

namespace mote {
namespace opencl {

/// The kernel for `op` (not a weight); fails, emitting an error at `op` naming it and its types, when the
/// library has none.
mlir::FailureOr<KernelChoice> selectKernel(mlir::Operation *op);

std::unique_ptr<mlir::Pass> createSelectKernelsPass();
void registerSelectKernelsPass();

/// Folds every transpose of a constant into a constant (fully connected layers turned into 1x1 convolutions
/// read their weights transposed): weights are written as the kernels read them, not transposed per run.
std::unique_ptr<mlir::Pass> createFoldWeightTransposesPass();
void registerFoldWeightTransposesPass();

} // namespace opencl
} // namespace mote

#endif // MOTE_TARGETS_OPENCL_KERNELSELECTION_H
