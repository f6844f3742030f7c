// The reference interpreter's tensors: plain row-major buffers, float values held as double and
// rounded to the element type after every op, integers and booleans held as int64.
#ifndef MOTE_TARGETS_REFERENCE_TENSOR_H
#define MOTE_TARGETS_REFERENCE_TENSOR_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <vector>

namespace mote::reference {

struct Tensor {
  llvm::SmallVector<int64_t> shape;
  mlir::Type elementType;
  std::vector<double> f;  // float element types
  std::vector<int64_t> i; // integer and i1 element types

  static Tensor zeros(llvm::ArrayRef<int64_t> shape, mlir::Type elementType);
  bool isFloat() const { return mlir::isa<mlir::FloatType>(elementType); }
  int64_t size() const;
  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Element `k` as double, whatever the storage.
  double get(int64_t k) const { return isFloat() ? f[k] : static_cast<double>(i[k]); }
  /// Stores `v` at `k`, converted to the element type (rounded for f16/bf16/f32, truncated for ints).
  void set(int64_t k, double v);
  void setInt(int64_t k, int64_t v);
  /// Rounds every float element to the precision of the element type.
  void roundToType();
};

/// Converts a constant (dense or dense_resource) to a tensor; fails on unsupported element types.
mlir::FailureOr<Tensor> fromElements(mlir::ElementsAttr attr);
/// Converts a tensor to a dense attribute of `type`.
mlir::DenseElementsAttr toElements(const Tensor &t, mlir::RankedTensorType type);

/// Rounds `v` to the precision of float type `type`.
double roundTo(mlir::Type type, double v);
/// Wraps `v` to the width and signedness of integer type `type` (i1: v != 0).
int64_t wrapTo(mlir::Type type, int64_t v);

/// Row-major strides.
llvm::SmallVector<int64_t> strides(llvm::ArrayRef<int64_t> shape);
/// For each element of `resultShape`, the index of the element of `operandShape` it broadcasts from.
std::vector<int64_t> broadcastIndex(llvm::ArrayRef<int64_t> operandShape,
                                    llvm::ArrayRef<int64_t> resultShape);

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_TENSOR_H
