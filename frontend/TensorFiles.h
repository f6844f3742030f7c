// Tensors in files: ONNX TensorProto `.pb` files, the layout of the ONNX backend tests
// (`test_data_set_0/input_0.pb`), read into and written from MLIR constants.
#ifndef MOTE_FRONTEND_TENSORFILES_H
#define MOTE_FRONTEND_TENSORFILES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mote {

struct NamedTensor {
  std::string name;
  mlir::DenseElementsAttr value;
};

/// Reads a TensorProto file; on failure returns a null value and sets `error`.
NamedTensor readTensorFile(mlir::MLIRContext *ctx, llvm::StringRef path, std::string &error);

/// Writes `value` as a TensorProto named `name`; returns false and sets `error` on failure.
bool writeTensorFile(llvm::StringRef path, llvm::StringRef name, mlir::DenseElementsAttr value,
                     std::string &error);

} // namespace mote

#endif // MOTE_FRONTEND_TENSORFILES_H
