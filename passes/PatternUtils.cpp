// Small matchers shared by the composite-recognition patterns.
#include "passes/PatternUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>

using namespace mlir;

namespace mote {

bool isConstantComputed(Value v) {
  Operation *op = v.getDefiningOp();
  if (!op)
    return false;
  if (op->hasTrait<OpTrait::ConstantLike>())
    return true;
  return isa<ReshapeOp, TransposeOp, CastOp>(op) && isConstantComputed(op->getOperand(0));
}

std::optional<double> splatValue(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  if (!constant)
    return std::nullopt;
  auto dense = dyn_cast<DenseElementsAttr>(constant.getValue());
  if (!dense || !dense.isSplat())
    return std::nullopt;
  if (isa<FloatType>(dense.getElementType())) {
    APFloat f = dense.getSplatValue<APFloat>();
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  }
  if (isa<IntegerType>(dense.getElementType()))
    return static_cast<double>(dense.getSplatValue<APInt>().getSExtValue());
  return std::nullopt;
}

bool isSplat(Value v, double expected) {
  auto value = splatValue(v);
  if (!value)
    return false;
  Type et = cast<ShapedType>(v.getType()).getElementType();
  // About two units in the last place of the element type.
  double rtol = et.isBF16() ? 1.6e-2 : et.isF16() ? 2e-3 : et.isF32() ? 2.4e-7 : et.isF64() ? 1e-12 : 0.0;
  return std::fabs(*value - expected) <= rtol * std::fabs(expected);
}

Value otherOperand(Operation *op, Value known) {
  if (op->getNumOperands() != 2)
    return {};
  if (op->getOperand(0) == known)
    return op->getOperand(1);
  if (op->getOperand(1) == known)
    return op->getOperand(0);
  return {};
}

bool isTrailingAxes(ArrayRef<int64_t> axes, int64_t rank, int64_t &from) {
  if (axes.empty())
    return false;
  SmallVector<int64_t> normalized;
  for (int64_t a : axes)
    normalized.push_back(a < 0 ? a + rank : a);
  llvm::sort(normalized);
  from = normalized.front();
  for (size_t i = 0; i < normalized.size(); ++i)
    if (normalized[i] != from + static_cast<int64_t>(i))
      return false;
  return normalized.back() == rank - 1;
}

Value scalarConstant(PatternRewriter &rewriter, Location loc, Type elementType, double value) {
  auto type = RankedTensorType::get({}, elementType);
  return ConstantOp::create(rewriter, loc, DenseElementsAttr::get(type, rewriter.getFloatAttr(elementType, value)));
}

Value splatConstant(PatternRewriter &rewriter, Location loc, RankedTensorType type, double value) {
  return ConstantOp::create(rewriter, loc,
                            DenseElementsAttr::get(type, rewriter.getFloatAttr(type.getElementType(), value)));
}

Operation *matchHalfTimes(Value u, Value x) {
  auto m1 = soleUser<MulOp>(u);
  if (!m1)
    return nullptr;
  Value p = otherOperand(m1, u);
  // (0.5 * x) * u, or (x * 0.5) * u
  if (auto inner = p.getDefiningOp<MulOp>())
    if (auto half = matchEither(inner, [](Value v) { return isSplat(v, 0.5); }); half && half->second == x)
      return m1;
  auto m2 = soleUser<MulOp>(m1.getResult());
  if (!m2)
    return nullptr;
  Value q = otherOperand(m2, m1.getResult());
  // (u * 0.5) * x, or (u * x) * 0.5
  if ((isSplat(p, 0.5) && q == x) || (p == x && isSplat(q, 0.5)))
    return m2;
  return nullptr;
}

} // namespace mote
