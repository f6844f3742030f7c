// OpenCL C kernels generated per op or fused region and specialized with the model's constant shapes:
// layer, RMS and group norms with the elementwise ops the fused phase put after them (`norm_elementwise`),
// and chains of elementwise ops (`elementwise`), each one launch that keeps every intermediate value in
// registers (f32) and stores only the region's results. They use Common.cl's storage macros and
// Normalization.cl's statistics helpers, and go into NAME.cl after the library.
#ifndef MOTE_TARGETS_OPENCL_FUSEDKERNELS_H
#define MOTE_TARGETS_OPENCL_FUSEDKERNELS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <cstdint>
#include <string>

namespace mote {
namespace opencl {

struct GeneratedKernel {
  std::string source;                   // the kernel's OpenCL C
  llvm::SmallVector<mlir::Value> args;  // the tensors it takes, in order, each as a buffer and an offset
  std::array<int64_t, 3> global{1, 1, 1}, local{0, 0, 0};
};

/// The kernel `name` for `op`: a mote.fused region of kind "elementwise" or "norm_elementwise", or a layer,
/// RMS or group norm on its own. Fails, emitting at the op, for an op inside it the generator cannot compute.
mlir::FailureOr<GeneratedKernel> generateKernel(mlir::Operation *op, llvm::StringRef name);

} // namespace opencl
} // namespace mote

#endif // MOTE_TARGETS_OPENCL_FUSEDKERNELS_H
