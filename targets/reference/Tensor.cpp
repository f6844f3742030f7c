// The reference interpreter's tensors: conversion from and to MLIR constants, rounding, broadcasting.
#include "targets/reference/Tensor.h"

#include "ir/ShapeUtils.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace mote::reference {

Tensor Tensor::zeros(ArrayRef<int64_t> shape, Type elementType) {
  Tensor t;
  t.shape.assign(shape.begin(), shape.end());
  t.elementType = elementType;
  if (t.isFloat())
    t.f.assign(numElements(shape), 0.0);
  else
    t.i.assign(numElements(shape), 0);
  return t;
}

int64_t Tensor::size() const { return isFloat() ? f.size() : i.size(); }

double roundTo(Type type, double v) {
  if (type.isF64())
    return v;
  if (type.isF32())
    return static_cast<double>(static_cast<float>(v));
  APFloat x(v);
  bool lost;
  x.convert(cast<FloatType>(type).getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  x.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return x.convertToDouble();
}

int64_t wrapTo(Type type, int64_t v) {
  auto it = cast<IntegerType>(type);
  unsigned width = it.getWidth();
  if (width == 1)
    return v != 0;
  if (width >= 64)
    return v;
  uint64_t mask = (uint64_t(1) << width) - 1;
  uint64_t u = static_cast<uint64_t>(v) & mask;
  if (it.isUnsigned())
    return static_cast<int64_t>(u);
  uint64_t sign = uint64_t(1) << (width - 1);
  return static_cast<int64_t>((u ^ sign) - sign);
}

void Tensor::set(int64_t k, double v) {
  if (isFloat()) {
    f[k] = roundTo(elementType, v);
    return;
  }
  if (elementType.isInteger(1)) {
    i[k] = v != 0.0;
    return;
  }
  // Float to integer truncates toward zero (C semantics, as ONNX Runtime does).
  if (std::isnan(v) || std::isinf(v))
    i[k] = 0;
  else
    i[k] = wrapTo(elementType, static_cast<int64_t>(std::trunc(v)));
}

void Tensor::setInt(int64_t k, int64_t v) {
  if (isFloat())
    f[k] = roundTo(elementType, static_cast<double>(v));
  else
    i[k] = wrapTo(elementType, v);
}

void Tensor::roundToType() {
  if (isFloat() && !elementType.isF64())
    for (double &v : f)
      v = roundTo(elementType, v);
}

SmallVector<int64_t> strides(ArrayRef<int64_t> shape) { return stridesOf(shape); }

std::vector<int64_t> broadcastIndex(ArrayRef<int64_t> operandShape, ArrayRef<int64_t> resultShape) {
  int64_t n = numElements(resultShape), rank = resultShape.size();
  int64_t offset = rank - static_cast<int64_t>(operandShape.size());
  SmallVector<int64_t> opStrides = stridesOf(operandShape);
  // Per result dimension, how far the operand index moves (0 where the operand broadcasts).
  SmallVector<int64_t> step(rank, 0);
  for (int64_t d = 0; d < rank; ++d)
    if (d >= offset && operandShape[d - offset] != 1)
      step[d] = opStrides[d - offset];
  std::vector<int64_t> out(n);
  SmallVector<int64_t> idx(rank, 0);
  int64_t src = 0;
  for (int64_t k = 0; k < n; ++k) {
    out[k] = src;
    for (int64_t d = rank - 1; d >= 0; --d) {
      if (++idx[d] < resultShape[d]) {
        src += step[d];
        break;
      }
      src -= step[d] * (resultShape[d] - 1);
      idx[d] = 0;
    }
  }
  return out;
}

// Reads little-endian element bytes into the tensor's storage.
static LogicalResult fromRawBytes(Tensor &t, ArrayRef<char> data) {
  Type et = t.elementType;
  int64_t n = t.size();
  auto read = [&](auto tag) {
    using T = decltype(tag);
    if (static_cast<int64_t>(data.size()) < n * static_cast<int64_t>(sizeof(T)))
      return false;
    for (int64_t k = 0; k < n; ++k) {
      T v;
      std::memcpy(&v, data.data() + k * sizeof(T), sizeof(T));
      if constexpr (std::is_floating_point_v<T>)
        t.f[k] = v;
      else
        t.i[k] = static_cast<int64_t>(v);
    }
    return true;
  };
  bool ok;
  if (et.isF32())
    ok = read(float());
  else if (et.isF64())
    ok = read(double());
  else if (et.isF16() || et.isBF16()) {
    ok = static_cast<int64_t>(data.size()) >= 2 * n;
    for (int64_t k = 0; ok && k < n; ++k) {
      uint16_t bits;
      std::memcpy(&bits, data.data() + 2 * k, 2);
      APFloat x(cast<FloatType>(et).getFloatSemantics(), APInt(16, bits));
      bool lost;
      x.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      t.f[k] = x.convertToDouble();
    }
  } else if (auto it = dyn_cast<IntegerType>(et)) {
    bool u = it.isUnsigned();
    switch (it.getWidth()) {
    case 8:
      ok = u ? read(uint8_t()) : read(int8_t());
      break;
    case 16:
      ok = u ? read(uint16_t()) : read(int16_t());
      break;
    case 32:
      ok = u ? read(uint32_t()) : read(int32_t());
      break;
    case 64:
      ok = u ? read(uint64_t()) : read(int64_t());
      break;
    default:
      return failure();
    }
  } else {
    return failure();
  }
  return success(ok);
}

FailureOr<Tensor> fromElements(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Tensor t = Tensor::zeros(type.getShape(), type.getElementType());
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return failure();
    if (failed(fromRawBytes(t, blob->getData())))
      return failure();
    return t;
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return failure();
  if (t.isFloat()) {
    int64_t k = 0;
    if (type.getElementType().isF32()) {
      for (float v : dense.getValues<float>())
        t.f[k++] = v;
    } else {
      for (APFloat v : dense.getValues<APFloat>()) {
        bool lost;
        v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
        t.f[k++] = v.convertToDouble();
      }
    }
    return t;
  }
  auto it = dyn_cast<IntegerType>(type.getElementType());
  if (!it)
    return failure();
  int64_t k = 0;
  for (APInt v : dense.getValues<APInt>())
    t.i[k++] = it.isUnsigned() || it.getWidth() == 1 ? static_cast<int64_t>(v.getZExtValue())
                                                     : v.getSExtValue();
  return t;
}

DenseElementsAttr toElements(const Tensor &t, RankedTensorType type) {
  Type et = type.getElementType();
  if (et.isF32()) {
    std::vector<float> values(t.f.begin(), t.f.end());
    return DenseElementsAttr::get(type, ArrayRef<float>(values));
  }
  if (et.isF64())
    return DenseElementsAttr::get(type, ArrayRef<double>(t.f));
  if (auto ft = dyn_cast<FloatType>(et)) {
    SmallVector<APFloat> values;
    for (double v : t.f) {
      APFloat x(v);
      bool lost;
      x.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(x);
    }
    return DenseElementsAttr::get(type, values);
  }
  auto it = cast<IntegerType>(et);
  if (it.getWidth() == 1) {
    SmallVector<bool> values(t.i.begin(), t.i.end());
    return DenseElementsAttr::get(type, values);
  }
  SmallVector<APInt> values;
  for (int64_t v : t.i)
    values.push_back(APInt(it.getWidth(), static_cast<uint64_t>(v), !it.isUnsigned()));
  return DenseElementsAttr::get(type, values);
}

} // namespace mote::reference
