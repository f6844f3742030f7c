// ONNX import: reads a model file (binary protobuf or ONNX textual syntax) into a `mote` module.
// This header is free of ONNX and protobuf so that exception-free code can include it.
#ifndef MOTE_FRONTEND_ONNXIMPORTER_H
#define MOTE_FRONTEND_ONNXIMPORTER_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringRef.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mote {

struct ImportOptions {
  /// Full shapes for graph inputs, by input name: they bind symbolic dimensions (`--input-shape`).
  llvm::StringMap<llvm::SmallVector<int64_t>> inputShapes;
  /// Shapes by convention (`motec --llm`), asked for each input `inputShapes` does not name: given the input's
  /// name and declared shape (-1 for a symbolic dimension; empty when undeclared), the shape to bind, or
  /// nothing to leave the input to the other rules.
  std::function<std::optional<llvm::SmallVector<int64_t>>(llvm::StringRef, llvm::ArrayRef<int64_t>)> shapeFor;
  /// Shapes of the tensors a run is given, by input name and by position; they bind inputs with
  /// dynamic or undeclared dimensions that `inputShapes` does not name. Names that are not inputs are
  /// ignored here (the caller reports them).
  llvm::StringMap<llvm::SmallVector<int64_t>> givenShapes;
  std::vector<llvm::SmallVector<int64_t>> positionalShapes;
  /// Values of graph inputs, by name and by position, that the importer uses where an operator needs a
  /// compile-time value and the model gives it as an input (a Reshape's shape, Resize's scales, Slice's
  /// starts, ...): that operand becomes a constant, the input stays an argument of @main. A value whose
  /// type is not the input's is an error.
  llvm::StringMap<mlir::DenseElementsAttr> givenValues;
  /// Whether every name in givenValues must be a graph input (`--bind-input`; `motec run` reports the
  /// names of its tensors itself).
  bool givenValuesMustBeInputs = false;
  std::vector<mlir::DenseElementsAttr> positionalValues;
  /// When set, the importer appends the files it read: the model, then its external-data files (for
  /// `motec compile --depfile`).
  std::vector<std::string> *filesRead = nullptr;
};

/// Parses one `--input-shape` value, `NAME:1x4x64x64` (a rank-0 input is `NAME:`), into `options`.
/// Returns an error message, or an empty string on success.
std::string parseInputShape(llvm::StringRef spec, ImportOptions &options);

/// The ONNX IR versions the importer reads: from 3, which introduced opset_import, to 11 (ONNX 1.18).
constexpr int64_t kMinIrVersion = 3;
constexpr int64_t kMaxIrVersion = 11;
/// The ONNX opsets of the default domain that the importer accepts.
constexpr int64_t kMinOnnxOpset = 7;
constexpr int64_t kMaxOnnxOpset = 21;

/// The operator types the importer has handlers for, sorted (`motec --list-operators`): "OpType" of the
/// default domain, "domain.OpType" of others (com.microsoft.MatMulNBits).
std::vector<std::string> supportedOperators();

/// Imports `path` (`.onnx`, or ONNX textual syntax when the name ends in `.onnxtxt`). Weights stay in
/// the parsed file or the memory-mapped external-data files: the module's `dense_resource` constants
/// point there and keep them alive. On failure, emits diagnostics and returns null.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxModel(mlir::MLIRContext &context, llvm::StringRef path,
                                                  const ImportOptions &options);

} // namespace mote

#endif // MOTE_FRONTEND_ONNXIMPORTER_H
