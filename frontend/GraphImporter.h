// The ONNX graph walk behind importOnnxModel: values by name in nested scopes (a Loop or If body sees
// the names of the graphs around it), tensors and sequences, and the nodes that are not tensor
// operators (control flow and sequences, ControlFlowImport.cpp). Private to frontend/.
#ifndef MOTE_FRONTEND_GRAPHIMPORTER_H
#define MOTE_FRONTEND_GRAPHIMPORTER_H

#include "frontend/ModelFile.h"
#include "frontend/OnnxImporter.h"
#include "ir/Locations.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <optional>
#include <string>

namespace mote {

class NodeContext;

class GraphImporter {
public:
  GraphImporter(mlir::MLIRContext &ctx, std::shared_ptr<ModelFile> file, const ImportOptions &options);

  mlir::OwningOpRef<mlir::ModuleOp> run();

private:
  /// One graph's names: the main graph's, or one unrolled iteration of a body's.
  struct Scope {
    llvm::StringMap<mlir::Value> tensors;
    /// ONNX sequences exist only at import time: a list of tensors, each a value of the function.
    llvm::StringMap<llvm::SmallVector<mlir::Value>> sequences;
    /// The graph's own initializers (the main graph's, or a body's), imported on first use.
    llvm::StringMap<const onnx::TensorProto *> initializers;
  };

  mlir::LogicalResult readOpset();
  mlir::FailureOr<mlir::Type> inputType(const onnx::ValueInfoProto &info, size_t position);
  /// The tensor called `name` in the innermost scope that has it; fails (with an error for an
  /// initializer that cannot be read, silently when the name is unknown).
  mlir::FailureOr<mlir::Value> lookup(const std::string &name);
  /// The sequence called `name`, or null.
  const llvm::SmallVector<mlir::Value> *lookupSequence(const std::string &name) const;
  bool isKnown(const std::string &name) const;
  void bindTensor(const std::string &name, mlir::Value value) { scopes_.back().tensors[name] = value; }
  void bindSequence(const std::string &name, llvm::SmallVector<mlir::Value> values) {
    scopes_.back().sequences[name] = std::move(values);
  }
  mlir::LogicalResult importNodes(const onnx::GraphProto &graph);
  mlir::LogicalResult importNode(const onnx::NodeProto &node, int index);
  mlir::Location nodeLocation(const onnx::NodeProto &node, int index) const;
  /// The node's tensor inputs (a null Value for an absent optional input and for a sequence input).
  mlir::FailureOr<llvm::SmallVector<mlir::Value>> nodeInputs(const onnx::NodeProto &node,
                                                             mlir::Location loc);
  void checkDeclaredShapes();
  mlir::InFlightDiagnostic fileError() { return mlir::emitError(onnxFileLocation(&ctx_, fileName_)); }

  // ControlFlowImport.cpp: nodes whose inputs or outputs are graphs or sequences.
  static bool isControlFlowOrSequenceOp(llvm::StringRef opType);
  mlir::LogicalResult importControlFlowOrSequence(const onnx::NodeProto &node, NodeContext &context);
  mlir::LogicalResult importLoop(const onnx::NodeProto &node, NodeContext &context);
  mlir::LogicalResult importIf(const onnx::NodeProto &node, NodeContext &context);
  mlir::LogicalResult importSequenceOp(const onnx::NodeProto &node, NodeContext &context);
  /// A value of a body's inputs or outputs: a tensor, or a sequence when `sequence` is set.
  struct BodyValue {
    mlir::Value tensor;
    std::optional<llvm::SmallVector<mlir::Value>> sequence;
  };
  void bindValue(const std::string &name, const BodyValue &value) {
    if (value.sequence)
      bindSequence(name, *value.sequence);
    else
      bindTensor(name, value.tensor);
  }
  /// Imports `body` once in a new scope with its inputs bound to `inputs` and returns its outputs.
  mlir::FailureOr<llvm::SmallVector<BodyValue>> importBody(const onnx::GraphProto &body,
                                                           llvm::ArrayRef<BodyValue> inputs,
                                                           NodeContext &context);

  mlir::MLIRContext &ctx_;
  std::shared_ptr<ModelFile> file_;
  const ImportOptions &options_;
  mlir::OpBuilder builder_;
  std::string fileName_;
  int64_t opset_ = 0;
  /// The versions of the other operator domains the model imports (opset_import), e.g. com.microsoft.
  llvm::StringMap<int64_t> domainOpsets_;
  /// The operator domain of `node` ("" for the default ONNX domain) and the version the model imports.
  std::pair<std::string, int64_t> nodeDomain(const onnx::NodeProto &node) const;
  llvm::SmallVector<Scope, 2> scopes_;
  mlir::Block *body_ = nullptr;
  /// Arguments of @main with a value given for compile-time operands (ImportOptions::givenValues).
  llvm::DenseMap<mlir::Value, mlir::DenseElementsAttr> inputValues_;
  /// Body nodes imported by unrolling, against kMaxUnrolledNodes.
  int64_t unrolledNodes_ = 0;
};

} // namespace mote

#endif // MOTE_FRONTEND_GRAPHIMPORTER_H
