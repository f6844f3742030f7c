// What an operator handler sees of the ONNX node it imports: inputs, attributes, constant inputs,
// and the way to build ops (with shape inference and folding) and report errors at the node.
#ifndef MOTE_FRONTEND_NODECONTEXT_H
#define MOTE_FRONTEND_NODECONTEXT_H

#include "frontend/ModelFile.h"
#include "ir/MoteDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Diagnostics.h"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mote {

/// The most bytes NodeContext::constantBytes expands a splat constant to (what the weights file takes of a
/// constant the compiler computed).
constexpr size_t kMaxExpandedSplatBytes = size_t(256) << 20;

class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, int64_t opset, mlir::OpBuilder &builder, mlir::Location loc,
              llvm::SmallVector<mlir::Value> inputs, std::shared_ptr<ModelFile> file)
      : node_(node), opset_(opset), builder_(builder), loc_(loc), inputs_(std::move(inputs)),
        file_(std::move(file)) {}

  const onnx::NodeProto &node() const { return node_; }
  int64_t opset() const { return opset_; }
  mlir::OpBuilder &builder() { return builder_; }
  mlir::Location loc() const { return loc_; }
  mlir::MLIRContext *context() { return builder_.getContext(); }
  const std::shared_ptr<ModelFile> &file() const { return file_; }
  /// Values given for graph inputs (ImportOptions::givenValues): constantInts and constantFloats read
  /// such an input as the constant it holds.
  void setInputValues(const llvm::DenseMap<mlir::Value, mlir::DenseElementsAttr> *values) {
    inputValues_ = values;
  }

  /// Inputs; an absent optional input (empty name, or past the end) is a null Value.
  size_t numInputs() const { return inputs_.size(); }
  mlir::Value input(size_t i) const { return i < inputs_.size() ? inputs_[i] : mlir::Value(); }
  mlir::RankedTensorType inputType(size_t i) const;
  /// The input, or an error if it is absent.
  mlir::FailureOr<mlir::Value> required(size_t i);

  /// Attributes, with ONNX's defaults.
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t fallback) const;
  float getFloat(llvm::StringRef name, float fallback) const;
  std::string getString(llvm::StringRef name, llvm::StringRef fallback) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;
  std::optional<llvm::SmallVector<float>> getFloats(llvm::StringRef name) const;
  /// The `axis` attribute (`fallback` when absent) as an index into `type`'s dimensions; negative values
  /// count from the end. An error naming the axis and the type when it is out of range.
  mlir::FailureOr<int64_t> axisAttribute(int64_t fallback, mlir::RankedTensorType type);

  /// The elements of input `i`, which must be a compile-time constant (after folding); `what` names it
  /// in the error.
  mlir::FailureOr<llvm::SmallVector<int64_t>> constantInts(size_t i, llvm::StringRef what);
  mlir::FailureOr<llvm::SmallVector<double>> constantFloats(size_t i, llvm::StringRef what);
  /// The raw elements of input `i` (`elementSize` bytes each, row-major), which must be a constant: an
  /// initializer of any size, without widening its elements as constantInts does; a splat only up to
  /// kMaxExpandedSplatBytes.
  mlir::FailureOr<std::vector<char>> constantBytes(size_t i, llvm::StringRef what, size_t elementSize);
  /// Whether input `i` is present and known at compile time (a constant, or a given input value).
  bool isConstant(size_t i) const { return static_cast<bool>(constantElements(input(i))); }

  /// An error at this node; the location already names the node, op type and opset.
  mlir::InFlightDiagnostic error() { return mlir::emitError(loc_); }

  /// Builds an op whose result types the op infers, verifies it and folds it; on failure the op is
  /// dropped and an error naming the node has been emitted. `numResults` is for variadic results.
  template <typename OpTy>
  mlir::FailureOr<mlir::Value> build(mlir::ValueRange operands,
                                     llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    auto results = buildOp(OpTy::getOperationName(), operands, attrs, {}, 1);
    if (mlir::failed(results))
      return mlir::failure();
    return (*results)[0];
  }
  /// As `build`, with result types given (ops whose result shape is an attribute of ONNX's, such as
  /// reshape or resize).
  template <typename OpTy>
  mlir::FailureOr<mlir::Value> buildTyped(mlir::Type resultType, mlir::ValueRange operands,
                                          llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    auto results = buildOp(OpTy::getOperationName(), operands, attrs, {resultType}, 1);
    if (mlir::failed(results))
      return mlir::failure();
    return (*results)[0];
  }
  mlir::FailureOr<llvm::SmallVector<mlir::Value>> buildOp(llvm::StringRef name, mlir::ValueRange operands,
                                                          llvm::ArrayRef<mlir::NamedAttribute> attrs,
                                                          mlir::TypeRange resultTypes,
                                                          size_t numResults);

  /// A constant from an attribute (folded shape values, splats).
  mlir::Value constant(mlir::ElementsAttr value);
  /// mote.reshape to `shape` (no-op when the shape is already that).
  mlir::FailureOr<mlir::Value> reshape(mlir::Value value, llvm::ArrayRef<int64_t> shape);

  /// Named attribute helpers.
  mlir::NamedAttribute named(llvm::StringRef name, mlir::Attribute value);
  mlir::NamedAttribute namedI64(llvm::StringRef name, int64_t value);
  mlir::NamedAttribute namedF32(llvm::StringRef name, float value);
  mlir::NamedAttribute namedBool(llvm::StringRef name, bool value);
  mlir::NamedAttribute namedI64Array(llvm::StringRef name, llvm::ArrayRef<int64_t> value);
  mlir::NamedAttribute namedString(llvm::StringRef name, llvm::StringRef value);

  /// The node's results, in output order; outputs beyond `values`, and null values, must be unused
  /// (empty names).
  mlir::LogicalResult setResults(llvm::ArrayRef<mlir::Value> values);
  llvm::ArrayRef<mlir::Value> results() const { return results_; }

private:
  const onnx::NodeProto &node_;
  int64_t opset_;
  mlir::OpBuilder &builder_;
  mlir::Location loc_;
  llvm::SmallVector<mlir::Value> inputs_;
  std::shared_ptr<ModelFile> file_;
  const llvm::DenseMap<mlir::Value, mlir::DenseElementsAttr> *inputValues_ = nullptr;
  llvm::SmallVector<mlir::Value> results_;
  mlir::DenseElementsAttr constantElements(mlir::Value v) const;
};

} // namespace mote

#endif // MOTE_FRONTEND_NODECONTEXT_H
