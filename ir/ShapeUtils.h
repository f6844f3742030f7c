// Shape arithmetic shared by the dialect's type inference, the importer and the passes.
#ifndef MOTE_IR_SHAPEUTILS_H
#define MOTE_IR_SHAPEUTILS_H

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"
#include <cstdint>
#include <optional>

namespace mote {

/// ONNX (numpy) multidirectional broadcast of two shapes; nullopt when they are incompatible.
/// Dynamic dimensions stay dynamic unless the other side fixes them.
std::optional<llvm::SmallVector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                          llvm::ArrayRef<int64_t> b);

/// Normalizes an axis in [-rank, rank) to [0, rank); nullopt when out of range.
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank);

/// Number of elements of a static shape (1 for rank 0).
int64_t numElements(llvm::ArrayRef<int64_t> shape);

/// The most elements one tensor may have (2^40): products of dimensions are checked against it, so that no
/// element count or byte size the compiler computes can overflow 64 bits.
constexpr int64_t kMaxTensorElements = int64_t(1) << 40;

/// Number of elements of a static shape, or nullopt when it exceeds kMaxTensorElements (or a dim is negative).
std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape);

/// Row-major strides of a static shape.
llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape);

/// The per-dimension indices of row-major linear index `linear` into a static shape.
llvm::SmallVector<int64_t> unravelIndex(int64_t linear, llvm::ArrayRef<int64_t> shape);

/// Output extent of a convolution or pooling window along one axis, or nullopt if non-positive.
std::optional<int64_t> windowOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t padBegin,
                                        int64_t padEnd, int64_t dilation, bool ceilMode);

/// Number of elements a normalized slice [start, limit) by step selects.
int64_t sliceSize(int64_t start, int64_t limit, int64_t step);

} // namespace mote

#endif // MOTE_IR_SHAPEUTILS_H
