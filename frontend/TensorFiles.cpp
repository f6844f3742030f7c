// Tensors in files: ONNX TensorProto `.pb` files read into and written from MLIR constants.
#include "frontend/TensorFiles.h"

#include "frontend/TensorImport.h"

#include "onnx/onnx_pb.h"

#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <climits>

using namespace mlir;

namespace mote {

NamedTensor readTensorFile(MLIRContext *ctx, llvm::StringRef path, std::string &error) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  if (!buffer) {
    error = "cannot read '" + path.str() + "': " + buffer.getError().message();
    return {};
  }
  onnx::TensorProto proto;
  if ((*buffer)->getBufferSize() >= INT_MAX ||
      !proto.ParseFromArray((*buffer)->getBufferStart(), static_cast<int>((*buffer)->getBufferSize()))) {
    error = "'" + path.str() + "' is not an ONNX TensorProto file";
    return {};
  }
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    error = "'" + path.str() + "' stores its data externally, which tensor files may not";
    return {};
  }
  // Always inline: the proto dies with this function.
  auto value = dyn_cast_or_null<DenseElementsAttr>(importTensor(ctx, proto, nullptr, error, /*inlineAll=*/true));
  if (!value) {
    error = "'" + path.str() + "': " + error;
    return {};
  }
  return {proto.name(), value};
}

static int32_t onnxDataType(Type type) {
  if (type.isF32())
    return onnx::TensorProto::FLOAT;
  if (type.isF16())
    return onnx::TensorProto::FLOAT16;
  if (type.isBF16())
    return onnx::TensorProto::BFLOAT16;
  if (type.isF64())
    return onnx::TensorProto::DOUBLE;
  auto it = dyn_cast<IntegerType>(type);
  if (!it)
    return onnx::TensorProto::UNDEFINED;
  bool u = it.isUnsigned();
  switch (it.getWidth()) {
  case 1:
    return onnx::TensorProto::BOOL;
  case 8:
    return u ? onnx::TensorProto::UINT8 : onnx::TensorProto::INT8;
  case 16:
    return u ? onnx::TensorProto::UINT16 : onnx::TensorProto::INT16;
  case 32:
    return u ? onnx::TensorProto::UINT32 : onnx::TensorProto::INT32;
  case 64:
    return u ? onnx::TensorProto::UINT64 : onnx::TensorProto::INT64;
  default:
    return onnx::TensorProto::UNDEFINED;
  }
}

bool writeTensorFile(llvm::StringRef path, llvm::StringRef name, DenseElementsAttr value, std::string &error) {
  onnx::TensorProto proto;
  proto.set_name(name.str());
  auto type = value.getType();
  int32_t dtype = onnxDataType(type.getElementType());
  if (dtype == onnx::TensorProto::UNDEFINED) {
    llvm::raw_string_ostream os(error);
    os << "ONNX has no element type for " << type.getElementType();
    return false;
  }
  proto.set_data_type(dtype);
  for (int64_t d : type.getShape())
    proto.add_dims(d);
  std::string raw;
  if (type.getElementType().isInteger(1)) {
    for (bool b : value.getValues<bool>())
      raw.push_back(b ? 1 : 0);
  } else {
    size_t width = (type.getElementTypeBitWidth() + 7) / 8;
    ArrayRef<char> data = value.getRawData();
    if (value.isSplat())
      for (int64_t k = 0; k < type.getNumElements(); ++k)
        raw.append(data.data(), width);
    else
      raw.assign(data.data(), data.size());
  }
  proto.set_raw_data(raw);
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  if (ec) {
    error = "cannot write '" + path.str() + "': " + ec.message();
    return false;
  }
  std::string bytes;
  proto.SerializeToString(&bytes);
  os << bytes;
  return true;
}

} // namespace mote
