// Locations that tie Mote ops to the ONNX nodes they came from, and how diagnostics print them.
#ifndef MOTE_IR_LOCATIONS_H
#define MOTE_IR_LOCATIONS_H

#include "mlir/IR/Location.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"

#include <string>

namespace mote {

/// The location of ONNX node `nodeName` (op type `opType` at `opset`; 0: the model imports no opset of the
/// op's domain) of model file `file`.
mlir::Location onnxNodeLocation(mlir::MLIRContext *ctx, llvm::StringRef file, llvm::StringRef nodeName,
                                llvm::StringRef opType, int64_t opset);

/// The location of a model file as a whole.
mlir::Location onnxFileLocation(mlir::MLIRContext *ctx, llvm::StringRef file);

/// "model.onnx: node 'conv_1' (Conv, opset 17)" for node locations, "model.onnx" for file
/// locations, MLIR's own rendering otherwise.
std::string describeLocation(mlir::Location loc);

/// The ONNX nodes an op came from, without the file: "node 'conv_1' (Conv, opset 17)", parts joined by
/// " + " for ops a rewrite made from several nodes; empty when the location names no node.
std::string describeNodes(mlir::Location loc);

/// The names of the ONNX nodes an op came from (several for ops a rewrite made from several nodes).
llvm::SmallVector<std::string> onnxNodeNames(mlir::Location loc);

} // namespace mote

#endif // MOTE_IR_LOCATIONS_H
