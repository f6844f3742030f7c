// The reference interpreter's kernels: one function per `mote` op, plain loops, double accumulation.
// Each returns the op's results or fails after emitting an error at the op.
#ifndef MOTE_TARGETS_REFERENCE_KERNELS_H
#define MOTE_TARGETS_REFERENCE_KERNELS_H

#include "ir/MoteDialect.h"
#include "targets/reference/Tensor.h"

#include <optional>

namespace mote::reference {

using Operands = llvm::ArrayRef<const Tensor *>;
using Results = mlir::FailureOr<llvm::SmallVector<Tensor>>;

/// Each family runs the ops it knows and returns nullopt for the others.
/// Elementwise ops, casts, comparisons, where (ElementwiseKernels.cpp).
std::optional<Results> runElementwise(mlir::Operation *op, Operands in);
/// Linear algebra, convolution, pooling, normalization, softmax, attention, reductions (NeuralKernels.cpp).
std::optional<Results> runNeural(mlir::Operation *op, Operands in);
/// Matmul, gemm and convolution marked `mote.lhs_quantization`: the exact integer product (QuantizedKernels.cpp).
std::optional<Results> runQuantized(mlir::Operation *op, Operands in);
/// The integer-activation ops: quantize/dequantize of activations, the requantizing convolution and matmul, the
/// rescaling add, the table (IntegerKernels.cpp).
std::optional<Results> runInteger(mlir::Operation *op, Operands in);
/// Data movement and shape ops (DataKernels.cpp).
std::optional<Results> runData(mlir::Operation *op, Operands in);

/// The results of an op with one result.
inline Results single(Tensor t) {
  llvm::SmallVector<Tensor> r;
  r.push_back(std::move(t));
  return r;
}

/// The result type of `op`'s result `k`.
inline mlir::RankedTensorType resultType(mlir::Operation *op, unsigned k = 0) {
  return mlir::cast<mlir::RankedTensorType>(op->getResult(k).getType());
}
/// An empty tensor shaped like `op`'s result `k`.
inline Tensor resultTensor(mlir::Operation *op, unsigned k = 0) {
  auto type = resultType(op, k);
  return Tensor::zeros(type.getShape(), type.getElementType());
}

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_KERNELS_H
