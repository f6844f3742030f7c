// ONNX element types and TensorProtos as MLIR types and constants.
#ifndef MOTE_FRONTEND_TENSORIMPORT_H
#define MOTE_FRONTEND_TENSORIMPORT_H

#include "frontend/ModelFile.h"

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"

#include <memory>
#include <string>

namespace mote {

/// The MLIR element type of ONNX TensorProto data type `dtype`, or null (strings, complex, ...).
mlir::Type onnxElementType(mlir::MLIRContext *ctx, int32_t dtype);

/// ONNX's name of a TensorProto data type, for messages ("FLOAT", "STRING", ...).
std::string onnxTypeName(int32_t dtype);

/// Converts `tensor` to an attribute. Small tensors become inline `dense` attributes (so that folding
/// can evaluate them); large ones become `dense_resource` blobs that point into `file`'s memory without
/// copying. `inlineAll` makes every tensor inline (for tensors that do not outlive the call; `file` may
/// then be null). On malformed data returns null and sets `error`.
mlir::ElementsAttr importTensor(mlir::MLIRContext *ctx, const onnx::TensorProto &tensor,
                                const std::shared_ptr<ModelFile> &file, std::string &error,
                                bool inlineAll = false);

} // namespace mote

#endif // MOTE_FRONTEND_TENSORIMPORT_H
