// ONNX element types and TensorProtos as MLIR types and constants.
#include "frontend/TensorImport.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/BuiltinDialect.h"

#include <cstring>

using namespace mlir;

namespace mote {

namespace {

// Tensors up to this many elements are stored inline; integer tensors (indices, shapes, masks) up to
// kInlineIntElements, so that shape arithmetic on them can fold.
constexpr int64_t kInlineElements = 256;
constexpr int64_t kInlineIntElements = 1 << 14;
// No tensor of a phone model has more elements than this; a larger product is a hostile file.
constexpr int64_t kMaxElements = int64_t(1) << 40;

int64_t elementBytes(int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::BOOL:
  case onnx::TensorProto::INT8:
  case onnx::TensorProto::UINT8:
    return 1;
  case onnx::TensorProto::INT16:
  case onnx::TensorProto::UINT16:
  case onnx::TensorProto::FLOAT16:
  case onnx::TensorProto::BFLOAT16:
    return 2;
  case onnx::TensorProto::INT32:
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::FLOAT:
    return 4;
  case onnx::TensorProto::INT64:
  case onnx::TensorProto::UINT64:
  case onnx::TensorProto::DOUBLE:
    return 8;
  default:
    return 0;
  }
}

// Copies ONNX's typed repeated fields into little-endian element bytes.
bool typedFieldBytes(const onnx::TensorProto &t, int64_t count, std::vector<char> &out,
                     std::string &error) {
  int64_t width = elementBytes(t.data_type());
  // The count a typed field holds, checked before anything is allocated: a declared shape may be huge.
  const int64_t stored = t.float_data_size() + t.double_data_size() + t.int64_data_size() + t.uint64_data_size() +
                         t.int32_data_size();
  if (count > stored) {
    error = "tensor '" + t.name() + "' declares " + std::to_string(count) + " elements but stores " +
            std::to_string(stored);
    return false;
  }
  out.resize(count * width);
  auto mismatch = [&](int64_t have) {
    error = "tensor '" + t.name() + "' declares " + std::to_string(count) + " elements but stores " +
            std::to_string(have);
    return false;
  };
  // An empty field's data() is null, which memcpy may not be given even for zero bytes.
  auto copyField = [&](const auto &field) {
    if (!out.empty())
      std::memcpy(out.data(), field.data(), out.size());
  };
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (t.float_data_size() != count)
      return mismatch(t.float_data_size());
    copyField(t.float_data());
    return true;
  case onnx::TensorProto::DOUBLE:
    if (t.double_data_size() != count)
      return mismatch(t.double_data_size());
    copyField(t.double_data());
    return true;
  case onnx::TensorProto::INT64:
    if (t.int64_data_size() != count)
      return mismatch(t.int64_data_size());
    copyField(t.int64_data());
    return true;
  case onnx::TensorProto::UINT32:
  case onnx::TensorProto::UINT64:
    if (t.uint64_data_size() != count)
      return mismatch(t.uint64_data_size());
    for (int64_t i = 0; i < count; ++i) {
      uint64_t v = t.uint64_data(i);
      std::memcpy(out.data() + i * width, &v, width);
    }
    return true;
  default:
    // INT32 and everything narrower (including FLOAT16/BFLOAT16 bit patterns) use int32_data.
    if (t.int32_data_size() != count)
      return mismatch(t.int32_data_size());
    for (int64_t i = 0; i < count; ++i) {
      int32_t v = t.int32_data(i);
      std::memcpy(out.data() + i * width, &v, width);
    }
    return true;
  }
}

std::string blobName(const onnx::TensorProto &t) {
  std::string name = t.name().empty() ? "constant" : t.name();
  for (char &c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.')
      c = '_';
  return name;
}

} // namespace

Type onnxElementType(MLIRContext *ctx, int32_t dtype) {
  switch (dtype) {
  case onnx::TensorProto::FLOAT:
    return Float32Type::get(ctx);
  case onnx::TensorProto::FLOAT16:
    return Float16Type::get(ctx);
  case onnx::TensorProto::BFLOAT16:
    return BFloat16Type::get(ctx);
  case onnx::TensorProto::DOUBLE:
    return Float64Type::get(ctx);
  case onnx::TensorProto::BOOL:
    return IntegerType::get(ctx, 1);
  case onnx::TensorProto::INT8:
    return IntegerType::get(ctx, 8);
  case onnx::TensorProto::INT16:
    return IntegerType::get(ctx, 16);
  case onnx::TensorProto::INT32:
    return IntegerType::get(ctx, 32);
  case onnx::TensorProto::INT64:
    return IntegerType::get(ctx, 64);
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case onnx::TensorProto::UINT16:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case onnx::TensorProto::UINT32:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT64:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  default:
    return {};
  }
}

std::string onnxTypeName(int32_t dtype) {
  if (onnx::TensorProto::DataType_IsValid(dtype))
    return onnx::TensorProto::DataType_Name(static_cast<onnx::TensorProto::DataType>(dtype));
  return "data type " + std::to_string(dtype);
}

ElementsAttr importTensor(MLIRContext *ctx, const onnx::TensorProto &t,
                          const std::shared_ptr<ModelFile> &file, std::string &error, bool inlineAll) {
  Type elementType = onnxElementType(ctx, t.data_type());
  if (!elementType) {
    error = "tensor '" + t.name() + "' has element type " + onnxTypeName(t.data_type()) +
            ", which Mote does not support";
    return {};
  }
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && count > kMaxElements / d)) {
      error = "tensor '" + t.name() + "' has an invalid or absurd shape";
      return {};
    }
    shape.push_back(d);
    count *= d;
  }
  auto type = RankedTensorType::get(shape, elementType);
  int64_t width = elementBytes(t.data_type());
  uint64_t bytes = static_cast<uint64_t>(count) * width;

  // Find the element bytes without copying them where possible.
  ArrayRef<char> data;
  std::vector<char> converted;
  if (t.data_location() == onnx::TensorProto::EXTERNAL) {
    if (!file) {
      error = "tensor '" + t.name() + "' refers to external data, which is not allowed here";
      return {};
    }
    std::string location;
    uint64_t offset = 0, length = bytes;
    for (const auto &entry : t.external_data()) {
      if (entry.key() == "location")
        location = entry.value();
      else if (entry.key() == "offset" || entry.key() == "length") {
        char *end = nullptr;
        uint64_t v = std::strtoull(entry.value().c_str(), &end, 10);
        if (entry.value().empty() || *end != '\0') {
          error = "tensor '" + t.name() + "' has a malformed external-data " + entry.key();
          return {};
        }
        (entry.key() == "offset" ? offset : length) = v;
      }
    }
    if (length != bytes) {
      error = "tensor '" + t.name() + "' needs " + std::to_string(bytes) +
              " bytes but its external data holds " + std::to_string(length);
      return {};
    }
    auto slice = file->externalBytes(location, offset, length, error);
    if (!slice) {
      error = "tensor '" + t.name() + "': " + error;
      return {};
    }
    data = *slice;
  } else if (t.has_raw_data()) {
    if (t.raw_data().size() != bytes) {
      error = "tensor '" + t.name() + "' needs " + std::to_string(bytes) + " bytes but stores " +
              std::to_string(t.raw_data().size());
      return {};
    }
    data = ArrayRef<char>(t.raw_data().data(), t.raw_data().size());
  } else {
    if (!typedFieldBytes(t, count, converted, error))
      return {};
    data = converted;
  }

  bool isInteger = isa<IntegerType>(elementType);
  if (elementType.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : data)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  if (inlineAll || count <= kInlineElements || (isInteger && count <= kInlineIntElements))
    return DenseElementsAttr::getFromRawBuffer(type, data);

  // A weight: a resource blob over the bytes where they already are, kept alive by `file`.
  size_t alignment = static_cast<size_t>(width);
  std::string name = blobName(t);
  if (converted.empty() && reinterpret_cast<uintptr_t>(data.data()) % alignment == 0) {
    std::shared_ptr<ModelFile> owner = file;
    AsmResourceBlob blob(data, alignment,
                         [owner](void *, size_t, size_t) mutable { owner.reset(); },
                         /*dataIsMutable=*/false);
    return DenseResourceElementsAttr::get(type, name, std::move(blob));
  }
  return DenseResourceElementsAttr::get(type, name,
                                        HeapAsmResourceBlob::allocateAndCopyWithAlign(data, alignment));
}

} // namespace mote
