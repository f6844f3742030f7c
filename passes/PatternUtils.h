// Small matchers shared by the composite-recognition patterns: splat constants, the other operand of a
// commutative op, single users.
#ifndef MOTE_PASSES_PATTERNUTILS_H
#define MOTE_PASSES_PATTERNUTILS_H

#include "ir/MoteDialect.h"

#include "mlir/IR/PatternMatch.h"

#include <optional>
#include <vector>

namespace mote {

/// Whether `v` is computed from constants alone: a constant, perhaps reshaped, transposed or cast (a
/// weight on its way to the layout a kernel wants; costs nothing at run time once packed).
bool isConstantComputed(mlir::Value v);

/// The value of a constant whose elements are all equal (a splat or a one-element tensor), or nullopt.
std::optional<double> splatValue(mlir::Value v);

/// Whether `v` is a splat constant equal to `expected` within the relative rounding error of its
/// element type (an exporter writes the ideal constant rounded to f32, f16 or bf16).
bool isSplat(mlir::Value v, double expected);

/// For a binary op, the operand that is not `known`, or null if `known` is neither operand.
mlir::Value otherOperand(mlir::Operation *op, mlir::Value known);

/// The only user of `v` if it is of type OpTy, else null.
template <typename OpTy>
OpTy soleUser(mlir::Value v) {
  if (!v.hasOneUse())
    return nullptr;
  return llvm::dyn_cast<OpTy>(*v.getUsers().begin());
}

/// For a commutative binary op whose one operand satisfies `pred`, returns {that operand, the other}.
template <typename Pred>
std::optional<std::pair<mlir::Value, mlir::Value>> matchEither(mlir::Operation *op, Pred pred) {
  if (op->getNumOperands() != 2)
    return std::nullopt;
  mlir::Value a = op->getOperand(0), b = op->getOperand(1);
  if (pred(a))
    return std::make_pair(a, b);
  if (pred(b))
    return std::make_pair(b, a);
  return std::nullopt;
}

/// Whether `axes` (of a reduction over a rank-`rank` value) are exactly the trailing axes from `from`.
bool isTrailingAxes(llvm::ArrayRef<int64_t> axes, int64_t rank, int64_t &from);

/// A splat f32 constant of `type`'s element type, broadcastable to anything.
mlir::Value scalarConstant(mlir::PatternRewriter &rewriter, mlir::Location loc, mlir::Type elementType,
                           double value);

/// A splat constant of `type` (its full shape) holding `value`: the form of a constant operand where the
/// target broadcasts nothing implicitly.
mlir::Value splatConstant(mlir::PatternRewriter &rewriter, mlir::Location loc, mlir::RankedTensorType type,
                          double value);

/// Matches 0.5 * x * u in any association of two multiplications, where `u` and `x` are known and `u`
/// is used only in that product: returns the final multiply, or null. (GELU exports end this way.)
mlir::Operation *matchHalfTimes(mlir::Value u, mlir::Value x);

} // namespace mote

#endif // MOTE_PASSES_PATTERNUTILS_H
