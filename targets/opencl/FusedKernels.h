// OpenCL C kernels generated per op or fused region and specialized with the model's constant shapes:
// matmuls, Gemms and convolutions with their bias, residual and activation (`linear_epilogue`; convolutions
// also led by a split group norm's normalization or a nearest upsampling, and ended by a group norm's
// statistics: Linear.cl's convTile and groupStatsEpilogue), group norm statistics alone, layer, RMS and
// group norms with the elementwise ops the fused phase put after them (`norm_elementwise`), chains of
// elementwise ops (`elementwise`) and the rotary embedding (`rotary`), each one launch that keeps every
// intermediate value in registers (f32) and stores only the region's results. They use Common.cl's storage
// macros and Linear.cl's and Normalization.cl's helpers, and go into NAME.cl after the library.
#ifndef MOTE_TARGETS_OPENCL_FUSEDKERNELS_H
#define MOTE_TARGETS_OPENCL_FUSEDKERNELS_H

#include "mlir/IR/Operation.h"
#include "llvm/ADT/SmallVector.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace mote {
namespace opencl {

struct GeneratedKernel {
  std::string source;                   // the kernel's OpenCL C
  llvm::SmallVector<mlir::Value> args;  // the tensors it takes, in order, each as a buffer and an offset
  std::array<int64_t, 3> global{1, 1, 1}, local{0, 0, 0};
  /// The bytes of the session's scratch buffer it needs (0: none), taken as its last argument.
  int64_t scratchBytes = 0;
};

/// A unary function of Elementwise.cl's unaryOf: its number and parameters (clip's bounds, ...).
struct UnaryFunction {
  int kind;
  double p0 = 0, p1 = 0;
};
/// The function `op` computes, or nullopt when unaryOf has none.
std::optional<UnaryFunction> unaryFunction(mlir::Operation *op);

/// The kernel `name` for `op`: a mote.fused region of kind "elementwise", "norm_elementwise",
/// "linear_epilogue" or "rotary", or a matmul, Gemm, convolution, norm or group norm statistics on its own. Fails, emitting at the op, for an op inside it the generator cannot compute.
mlir::FailureOr<GeneratedKernel> generateKernel(mlir::Operation *op, llvm::StringRef name);

} // namespace opencl
} // namespace mote

#endif // MOTE_TARGETS_OPENCL_FUSEDKERNELS_H
