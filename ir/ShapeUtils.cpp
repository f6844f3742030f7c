// Shape arithmetic shared by the dialect's type inference, the importer and the passes.
#include "ir/ShapeUtils.h"

#include "llvm/Support/CheckedArithmetic.h"

#include <algorithm>
#include <limits>

using namespace mlir;

namespace mote {

std::optional<llvm::SmallVector<int64_t>> broadcastShapes(llvm::ArrayRef<int64_t> a,
                                                          llvm::ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  llvm::SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da == db)
      out[i] = da;
    else if (da == 1)
      out[i] = db;
    else if (db == 1)
      out[i] = da;
    else if (ShapedType::isDynamic(da))
      out[i] = db;
    else if (ShapedType::isDynamic(db))
      out[i] = da;
    else
      return std::nullopt;
  }
  return out;
}

std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return std::nullopt;
  return axis < 0 ? axis + rank : axis;
}

std::optional<int64_t> checkedNumElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape) {
    if (d < 0)
      return std::nullopt;
    if (d == 0)
      return 0;
  }
  for (int64_t d : shape) {
    if (d > kMaxTensorElements / n)
      return std::nullopt;
    n *= d;
  }
  return n;
}

int64_t numElements(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

llvm::SmallVector<int64_t> unravelIndex(int64_t linear, llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> idx(shape.size());
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    idx[d] = linear % shape[d];
    linear /= shape[d];
  }
  return idx;
}

std::optional<int64_t> windowOutputSize(int64_t in, int64_t kernel, int64_t stride, int64_t padBegin,
                                        int64_t padEnd, int64_t dilation, bool ceilMode) {
  if (ShapedType::isDynamic(in))
    return ShapedType::kDynamic;
  // Checked: pads, dilations or strides near 2^63 (hostile attributes) must not wrap into a valid size.
  auto effective = llvm::checkedMul<int64_t>(kernel - 1, dilation);
  auto padded = llvm::checkedAdd<int64_t>(in, padBegin);
  padded = padded ? llvm::checkedAdd<int64_t>(*padded, padEnd) : std::nullopt;
  if (!effective || !padded || kernel < 1 || dilation < 1 || padBegin < 0 || padEnd < 0)
    return std::nullopt;
  int64_t span = *padded - (*effective + 1);
  if (span < 0 || stride <= 0)
    return std::nullopt;
  int64_t out = (ceilMode ? (span + stride - 1) / stride : span / stride) + 1;
  // With ceil_mode, a last window that starts inside the end padding is dropped (ONNX and PyTorch).
  if (ceilMode && (out - 1) * stride >= in + padBegin)
    --out;
  return out;
}

int64_t sliceSize(int64_t start, int64_t limit, int64_t step) {
  // In 128 bits: a hostile model's starts, limits and steps may be anywhere in int64 (INT64_MIN included).
  const __int128 span = step > 0 ? (__int128)limit - start : (__int128)start - limit;
  const __int128 stride = step > 0 ? (__int128)step : -(__int128)step;
  if (span <= 0 || stride == 0)
    return 0;
  const __int128 n = (span + stride - 1) / stride;
  return n > std::numeric_limits<int64_t>::max() ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(n);
}

} // namespace mote
