// Building an ONNX operator as a chain of `mote` ops, for operators Mote has no op of its own for:
// each step checks for the failures of the previous ones, so a handler checks once, at the end.
#ifndef MOTE_FRONTEND_COMPOSER_H
#define MOTE_FRONTEND_COMPOSER_H

#include "frontend/NodeContext.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <limits>

namespace mote {

class Composer {
public:
  explicit Composer(NodeContext &ctx) : ctx_(ctx) {}

  /// `OpTy` of `operands`, with inferred result type; null once anything has failed (the error has
  /// been reported at the node).
  template <typename OpTy>
  mlir::Value op(mlir::ValueRange operands, llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    if (failed_ || llvm::any_of(operands, [](mlir::Value v) { return !v; }))
      return fail();
    auto result = ctx_.build<OpTy>(operands, attrs);
    return mlir::failed(result) ? fail() : *result;
  }

  /// `OpTy` with the result type given (ops whose result shape is not inferred, such as expand).
  template <typename OpTy>
  mlir::Value typed(mlir::Type resultType, mlir::ValueRange operands,
                    llvm::ArrayRef<mlir::NamedAttribute> attrs = {}) {
    if (failed_ || llvm::any_of(operands, [](mlir::Value v) { return !v; }))
      return fail();
    auto result = ctx_.buildTyped<OpTy>(resultType, operands, attrs);
    return mlir::failed(result) ? fail() : *result;
  }

  /// A reduction over `axes` (empty: all axes).
  template <typename OpTy>
  mlir::Value reduce(mlir::Value v, llvm::ArrayRef<int64_t> axes, bool keepdims) {
    return op<OpTy>(v, {ctx_.namedI64Array("axes", axes), ctx_.namedBool("keepdims", keepdims)});
  }

  mlir::Value reshape(mlir::Value v, llvm::ArrayRef<int64_t> shape) {
    if (failed_ || !v)
      return fail();
    auto result = ctx_.reshape(v, shape);
    return mlir::failed(result) ? fail() : *result;
  }

  mlir::Value transpose(mlir::Value v, llvm::ArrayRef<int64_t> perm) {
    return op<TransposeOp>(v, {ctx_.namedI64Array("perm", perm)});
  }

  mlir::Value cast(mlir::Value v, mlir::Type to) {
    if (v && elementType(v) == to)
      return v;
    return op<CastOp>(v, {ctx_.named("to", mlir::TypeAttr::get(to))});
  }

  /// `value` as an attribute of `elementType` (rounded to a float type, truncated to an integer one).
  static mlir::TypedAttr scalarAttr(mlir::Type elementType, double value) {
    if (auto ft = mlir::dyn_cast<mlir::FloatType>(elementType))
      return mlir::FloatAttr::get(ft, value);
    auto it = mlir::cast<mlir::IntegerType>(elementType);
    if (it.getWidth() == 1)
      return mlir::IntegerAttr::get(it, llvm::APInt(1, value != 0.0));
    // Saturated into int64 first: casting a double outside its range (an attribute such as ignore_index =
    // INT64_MAX, which a double rounds up) is undefined.
    const double lo = -9223372036854775808.0, hi = 9223372036854775808.0;
    auto v = value != value ? int64_t{0}
             : value >= hi  ? std::numeric_limits<int64_t>::max()
             : value < lo   ? std::numeric_limits<int64_t>::min()
                            : static_cast<int64_t>(value);
    return mlir::IntegerAttr::get(
        it, llvm::APInt(it.getWidth(), static_cast<uint64_t>(v), /*isSigned=*/v < 0, /*implicitTrunc=*/true));
  }

  /// A rank-0 constant of `elementType`.
  mlir::Value scalar(mlir::Type elementType, double value) {
    if (failed_)
      return fail();
    if (!mlir::isa<mlir::FloatType, mlir::IntegerType>(elementType)) {
      ctx_.error() << "element type " << elementType << " is not supported here";
      return fail();
    }
    auto type = mlir::RankedTensorType::get({}, elementType);
    return ctx_.constant(mlir::DenseElementsAttr::get(type, llvm::ArrayRef<mlir::Attribute>(
                                                                scalarAttr(elementType, value))));
  }
  /// A rank-0 constant of integer type `elementType` holding `value` exactly (an index attribute such as
  /// ignore_index, which a double would round), truncated to the type's width.
  mlir::Value scalarInt(mlir::Type elementType, int64_t value) {
    if (failed_)
      return fail();
    auto it = mlir::dyn_cast<mlir::IntegerType>(elementType);
    if (!it) {
      ctx_.error() << "element type " << elementType << " is not an integer type";
      return fail();
    }
    auto attr = mlir::IntegerAttr::get(
        it, llvm::APInt(it.getWidth(), static_cast<uint64_t>(value), /*isSigned=*/value < 0, /*implicitTrunc=*/true));
    return ctx_.constant(
        mlir::DenseElementsAttr::get(mlir::RankedTensorType::get({}, it), llvm::ArrayRef<mlir::Attribute>(attr)));
  }
  /// A rank-0 constant of `v`'s element type.
  mlir::Value scalarLike(mlir::Value v, double value) {
    return v ? scalar(elementType(v), value) : fail();
  }

  static mlir::Type elementType(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType()).getElementType();
  }
  static llvm::ArrayRef<int64_t> shape(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType()).getShape();
  }

  bool failed() const { return failed_; }
  /// Sets the node's results, or fails if any step did (a null result is an output the node leaves
  /// unnamed; NodeContext::setResults checks that).
  mlir::LogicalResult finish(llvm::ArrayRef<mlir::Value> results) {
    if (failed_)
      return mlir::failure();
    return ctx_.setResults(results);
  }

private:
  mlir::Value fail() {
    failed_ = true;
    return {};
  }

  NodeContext &ctx_;
  bool failed_ = false;
};

} // namespace mote

#endif // MOTE_FRONTEND_COMPOSER_H
