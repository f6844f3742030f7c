// Target-independent shape arithmetic of code generation: the element strides, offsets and tables with which
// every emitter turns an op of static shape into a kernel call (broadcast strides, transposes and slices as
// strided copies, reductions, convolution and matmul geometry, resize coordinate tables).
#ifndef MOTE_CODEGEN_SHAPEARITHMETIC_H
#define MOTE_CODEGEN_SHAPEARITHMETIC_H

#include "ir/MoteDialect.h"
#include "ir/ResizeTables.h"

#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>

namespace mote {
namespace codegen {

using Shape = llvm::SmallVector<int64_t>;

/// The static shape and element type of a ranked tensor value.
Shape shapeOf(mlir::Value v);
mlir::Type elementTypeOf(mlir::Value v);
/// Elements of `v` (1 for rank 0).
int64_t elementCount(mlir::Value v);
/// Bytes per element as the runtime stores `t` (i1 takes a byte).
int64_t elementBytes(mlir::Type t);

/// Row-major strides (in elements) of `shape`.
Shape contiguousStrides(llvm::ArrayRef<int64_t> shape);
/// Strides reading an operand of `shape` broadcast (numpy, right-aligned) to `out`: 0 on broadcast dims.
Shape broadcastStrides(llvm::ArrayRef<int64_t> shape, llvm::ArrayRef<int64_t> out);

/// [outer, n, inner] around axis `axis` (already normalized) of `shape`.
struct AxisSplit {
  int64_t outer = 1, n = 1, inner = 1;
};
AxisSplit splitAtAxis(llvm::ArrayRef<int64_t> shape, int64_t axis);
/// An ODS axis attribute (stored as uint64_t by I64Attr getters) normalized into [0, rank).
int64_t normalizedAxis(uint64_t axis, size_t rank);

/// A strided copy: out[o-index] = in[i-index] over `shape`, each side with an element offset and strides.
struct StridedCopy {
  Shape shape;
  int64_t inOffset = 0;
  Shape inStrides;
  int64_t outOffset = 0;
  Shape outStrides;
};
StridedCopy transposeCopy(TransposeOp op);
StridedCopy sliceCopy(SliceOp op);
StridedCopy expandCopy(ExpandOp op);
/// One copy per input of a concat (into the result), or per result of a split (from the input).
llvm::SmallVector<StridedCopy> concatCopies(ConcatOp op);
llvm::SmallVector<StridedCopy> splitCopies(SplitOp op);

/// A reduction of `input` over some axes: per input dim the output stride (0 on reduced axes).
struct ReductionLayout {
  Shape inputShape, outputStrides;
  int64_t outputCount = 1, reduceCount = 1;
};
ReductionLayout reductionLayout(llvm::ArrayRef<int64_t> inputShape, llvm::ArrayRef<int64_t> axes);

/// A batched matmul [batch..., M, K] x [batch..., K, N] with numpy batch broadcasting; batch strides are
/// in elements of each operand (0 broadcasts).
struct MatMulGeometry {
  int64_t M = 1, N = 1, K = 1;
  Shape batch, lhsBatchStrides, rhsBatchStrides;
  /// Whether the right operand is one [K, N] matrix shared by every batch.
  bool rhsShared = true;
};
MatMulGeometry matmulGeometry(MatMulOp op);

/// A 1-D or 2-D convolution as the kernels see it: [N, C, H, W] -> [N, M, OH, OW] (1-D has H = OH = 1), and
/// the per-dim element strides of input and output in the op's layout (NCHW or NHWC).
struct ConvGeometry {
  int64_t N = 1, C = 1, H = 1, W = 1, M = 1, OH = 1, OW = 1, KH = 1, KW = 1;
  int64_t strideH = 1, strideW = 1, padTop = 0, padLeft = 0, dilationH = 1, dilationW = 1, group = 1;
  bool channelsLast = false;
  Shape inputStrides, outputStrides; // by (n, c, h, w)
};
/// Fails for convolutions of other than 1 or 2 spatial dims.
mlir::FailureOr<ConvGeometry> convGeometry(ConvOp op);

/// Resize coordinate tables (ir/ResizeTables.h: the integer pipeline reads them too).
using mote::ResizeTables;
using mote::resizeTables;

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_SHAPEARITHMETIC_H
