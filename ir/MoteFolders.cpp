// Folders of the `mote` ops: evaluate small constant tensors (the shape arithmetic exporters emit) and
// drop no-op reshapes, transposes, slices and expands. Weights (resource blobs) are never folded.
#include "ir/MoteDialect.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/APFloat.h"

#include <cmath>
#include <functional>
#include <limits>

using namespace mlir;
using namespace mote;

namespace {

// Larger constants are not folded: folding exists to evaluate shape sub-graphs, not to run the model
// (FoldLimitScope raises the limit for a pass that evaluates a mask on purpose).
constexpr int64_t kDefaultMaxFoldElements = 1 << 14;
thread_local int64_t maxFoldElements = kDefaultMaxFoldElements;

// A small constant tensor's elements, as int64 (integers and i1) or double (floats).
struct Elements {
  SmallVector<int64_t> shape;
  SmallVector<int64_t> ints;
  SmallVector<double> floats;
  bool isFloat = false;
  int64_t size() const { return isFloat ? floats.size() : ints.size(); }
};

std::optional<Elements> readElements(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  // The element count from the checked product: a constant whose dims overflow int64 has a negative
  // getNumElements() and would pass a plain comparison (a splat of 2^70 elements then never ends).
  std::optional<int64_t> count = dense ? checkedNumElements(dense.getType().getShape()) : std::nullopt;
  if (!count || *count > maxFoldElements)
    return std::nullopt;
  Elements e;
  e.shape.assign(dense.getType().getShape().begin(), dense.getType().getShape().end());
  Type et = dense.getElementType();
  if (isa<FloatType>(et)) {
    e.isFloat = true;
    for (APFloat f : dense.getValues<APFloat>()) {
      bool lost;
      f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
      e.floats.push_back(f.convertToDouble());
    }
  } else if (auto it = dyn_cast<IntegerType>(et)) {
    for (APInt v : dense.getValues<APInt>())
      e.ints.push_back(it.isUnsigned() || it.getWidth() == 1 ? static_cast<int64_t>(v.getZExtValue())
                                                             : v.getSExtValue());
  } else {
    return std::nullopt;
  }
  return e;
}

Attribute writeElements(ShapedType type, ArrayRef<int64_t> ints, ArrayRef<double> floats,
                        bool fromFloat) {
  Type et = type.getElementType();
  int64_t n = fromFloat ? floats.size() : ints.size();
  if (auto ft = dyn_cast<FloatType>(et)) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < n; ++i) {
      APFloat f(fromFloat ? floats[i] : static_cast<double>(ints[i]));
      bool lost;
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f);
    }
    return DenseElementsAttr::get(type, values);
  }
  auto it = dyn_cast<IntegerType>(et);
  if (!it)
    return {};
  SmallVector<APInt> values;
  for (int64_t i = 0; i < n; ++i) {
    int64_t v;
    if (it.getWidth() == 1)
      v = fromFloat ? floats[i] != 0.0 : ints[i] != 0; // x != 0, before any truncation
    else
      v = fromFloat ? static_cast<int64_t>(std::trunc(floats[i])) : ints[i];
    bool isSigned = !it.isUnsigned() && it.getWidth() > 1;
    values.push_back(APInt(it.getWidth(), static_cast<uint64_t>(v), isSigned, /*implicitTrunc=*/true));
  }
  return DenseElementsAttr::get(type, values);
}

Attribute writeElements(ShapedType type, const Elements &e) {
  return writeElements(type, e.ints, e.floats, e.isFloat);
}

// `fn` of each element of a small float constant, or null.
Attribute foldFloatUnary(Attribute input, ShapedType type, double (*fn)(double)) {
  auto e = readElements(input);
  if (!e || !e->isFloat)
    return {};
  for (auto &v : e->floats)
    v = fn(v);
  return writeElements(type, *e);
}

// The elements of `e` at the given source indices.
Elements pick(const Elements &e, ArrayRef<int64_t> sourceIndex) {
  Elements out;
  out.isFloat = e.isFloat;
  for (int64_t s : sourceIndex) {
    if (e.isFloat)
      out.floats.push_back(e.floats[s]);
    else
      out.ints.push_back(e.ints[s]);
  }
  return out;
}


// Linear index into an operand of `operandShape` broadcast to `resultIndex` (right-aligned).
int64_t broadcastSource(ArrayRef<int64_t> resultIndex, ArrayRef<int64_t> operandShape) {
  int64_t offset = resultIndex.size() - operandShape.size(), linear = 0;
  for (size_t d = 0; d < operandShape.size(); ++d)
    linear = linear * operandShape[d] + (operandShape[d] == 1 ? 0 : resultIndex[offset + d]);
  return linear;
}

// Source indices that broadcast `operandShape` to `resultShape`.
SmallVector<int64_t> broadcastIndices(ArrayRef<int64_t> operandShape, ArrayRef<int64_t> resultShape) {
  SmallVector<int64_t> src;
  int64_t n = numElements(resultShape);
  for (int64_t i = 0; i < n; ++i)
    src.push_back(broadcastSource(unravelIndex(i, resultShape), operandShape));
  return src;
}

bool foldable(ShapedType type) {
  if (!type.hasStaticShape())
    return false;
  std::optional<int64_t> count = checkedNumElements(type.getShape());
  return count && *count <= maxFoldElements;
}

using IntFn = std::function<std::optional<int64_t>(int64_t, int64_t)>;
using FloatFn = std::function<double(double, double)>;

// Evaluates a broadcasting binary op; `floatResult` says whether the result holds floats (false for
// comparisons, which produce i1 from either kind).
Attribute foldBinary(Attribute lhsAttr, Attribute rhsAttr, ShapedType resultType, IntFn intFn,
                     FloatFn floatFn, bool boolResultFromFloat = false) {
  if (!foldable(resultType))
    return {};
  auto lhs = readElements(lhsAttr), rhs = readElements(rhsAttr);
  if (!lhs || !rhs || lhs->isFloat != rhs->isFloat)
    return {};
  auto li = broadcastIndices(lhs->shape, resultType.getShape());
  auto ri = broadcastIndices(rhs->shape, resultType.getShape());
  SmallVector<int64_t> ints;
  SmallVector<double> floats;
  for (size_t i = 0; i < li.size(); ++i) {
    if (lhs->isFloat) {
      double v = floatFn(lhs->floats[li[i]], rhs->floats[ri[i]]);
      if (boolResultFromFloat)
        ints.push_back(v != 0.0);
      else
        floats.push_back(v);
    } else {
      auto v = intFn(lhs->ints[li[i]], rhs->ints[ri[i]]);
      if (!v)
        return {};
      ints.push_back(*v);
    }
  }
  return writeElements(resultType, ints, floats, lhs->isFloat && !boolResultFromFloat);
}

// Integer power by squaring, wrapping like the 64-bit multiplication it stands for.
std::optional<int64_t> intPow(int64_t base, int64_t exp) {
  if (exp < 0)
    return std::nullopt;
  uint64_t r = 1, b = static_cast<uint64_t>(base);
  for (uint64_t e = static_cast<uint64_t>(exp); e; e >>= 1, b *= b)
    if (e & 1)
      r *= b;
  return static_cast<int64_t>(r);
}

} // namespace

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

OpFoldResult AddOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x + y); },
                    [](double x, double y) { return x + y; });
}
OpFoldResult SubOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x - y); },
                    [](double x, double y) { return x - y; });
}
OpFoldResult MulOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x * y); },
                    [](double x, double y) { return x * y; });
}
OpFoldResult DivOp::fold(FoldAdaptor a) {
  return foldBinary(
      a.getLhs(), a.getRhs(), getType(),
      [](int64_t x, int64_t y) {
        // Division by zero, and the one quotient that overflows, are left to run time.
        if (y == 0 || (x == std::numeric_limits<int64_t>::min() && y == -1))
          return std::optional<int64_t>();
        return std::optional<int64_t>(x / y);
      },
      [](double x, double y) { return x / y; });
}
OpFoldResult PowOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(), intPow,
                    [](double x, double y) { return std::pow(x, y); });
}
OpFoldResult MinOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(std::min(x, y)); },
                    [](double x, double y) { return std::isnan(x) || std::isnan(y) ? NAN : std::fmin(x, y); });
}
OpFoldResult MaxOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(std::max(x, y)); },
                    [](double x, double y) { return std::isnan(x) || std::isnan(y) ? NAN : std::fmax(x, y); });
}
OpFoldResult EqualOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x == y); },
                    [](double x, double y) { return double(x == y); }, true);
}
OpFoldResult LessOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x < y); },
                    [](double x, double y) { return double(x < y); }, true);
}
OpFoldResult GreaterOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x > y); },
                    [](double x, double y) { return double(x > y); }, true);
}
OpFoldResult LessOrEqualOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x <= y); },
                    [](double x, double y) { return double(x <= y); }, true);
}
OpFoldResult GreaterOrEqualOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x >= y); },
                    [](double x, double y) { return double(x >= y); }, true);
}
OpFoldResult AndOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x && y); },
                    [](double x, double y) { return double(x != 0 && y != 0); }, true);
}
OpFoldResult OrOp::fold(FoldAdaptor a) {
  return foldBinary(a.getLhs(), a.getRhs(), getType(),
                    [](int64_t x, int64_t y) { return std::optional<int64_t>(x || y); },
                    [](double x, double y) { return double(x != 0 || y != 0); }, true);
}

OpFoldResult NegOp::fold(FoldAdaptor a) {
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  for (auto &v : e->ints)
    v = -v;
  for (auto &v : e->floats)
    v = -v;
  return writeElements(getType(), *e);
}

// Clip of a constant (Hugging Face clamps its masks to the lowest float), as the reference target computes it:
// NaN kept; integers to the bounds rounded inward.
OpFoldResult ClipOp::fold(FoldAdaptor a) {
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  const double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  for (auto &v : e->floats)
    v = std::isnan(v) ? v : std::min(std::max(v, lo), hi);
  for (auto &v : e->ints) {
    const double d = static_cast<double>(v);
    v = d < lo ? static_cast<int64_t>(std::ceil(lo)) : d > hi ? static_cast<int64_t>(std::floor(hi)) : v;
  }
  return writeElements(getType(), *e);
}

// Trilu of a constant: the causal masks Hugging Face exports build as triu(full(min), past + 1).
OpFoldResult TriluOp::fold(FoldAdaptor a) {
  auto e = readElements(a.getInput());
  if (!e || e->shape.size() < 2)
    return {};
  const int64_t rows = e->shape[e->shape.size() - 2], cols = e->shape.back(), k = getK();
  for (int64_t idx = 0; idx < e->size(); ++idx) {
    const int64_t i = idx / cols % rows, j = idx % cols;
    if (getUpper() ? j >= i + k : j <= i + k)
      continue;
    if (e->isFloat)
      e->floats[idx] = 0.0;
    else
      e->ints[idx] = 0;
  }
  return writeElements(getType(), *e);
}

// Sine and cosine of constants: the rotary tables of a static-shape decoder (positions are constants), which
// every LLM runtime precomputes; in double, rounded once to the element type.
OpFoldResult SinOp::fold(FoldAdaptor a) {
  return foldFloatUnary(a.getInput(), getType(), [](double v) { return std::sin(v); });
}

OpFoldResult CosOp::fold(FoldAdaptor a) {
  return foldFloatUnary(a.getInput(), getType(), [](double v) { return std::cos(v); });
}

OpFoldResult NotOp::fold(FoldAdaptor a) {
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  for (auto &v : e->ints)
    v = !v;
  return writeElements(getType(), *e);
}

OpFoldResult CastOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getType())
    return getInput();
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  return writeElements(getType(), *e);
}

OpFoldResult WhereOp::fold(FoldAdaptor a) {
  if (!foldable(getType()))
    return {};
  auto c = readElements(a.getCondition()), x = readElements(a.getX()), y = readElements(a.getY());
  if (!c || !x || !y)
    return {};
  auto ci = broadcastIndices(c->shape, getType().getShape());
  auto xi = broadcastIndices(x->shape, getType().getShape());
  auto yi = broadcastIndices(y->shape, getType().getShape());
  Elements out;
  out.isFloat = x->isFloat;
  for (size_t i = 0; i < ci.size(); ++i) {
    const Elements &src = c->ints[ci[i]] ? *x : *y;
    int64_t s = c->ints[ci[i]] ? xi[i] : yi[i];
    if (out.isFloat)
      out.floats.push_back(src.floats[s]);
    else
      out.ints.push_back(src.ints[s]);
  }
  return writeElements(getType(), out);
}

OpFoldResult ReshapeOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getType())
    return getInput();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(a.getInput()))
    if (getType().hasStaticShape())
      return dense.reshape(getType());
  // A weight blob reshapes for free: same bytes, another type.
  if (auto resource = dyn_cast_or_null<DenseResourceElementsAttr>(a.getInput()))
    if (getType().hasStaticShape())
      return DenseResourceElementsAttr::get(getType(), resource.getRawHandle());
  // reshape(reshape(x)) is one reshape.
  if (auto inner = getInput().getDefiningOp<ReshapeOp>()) {
    getInputMutable().assign(inner.getInput());
    return getResult();
  }
  return {};
}

OpFoldResult ExpandOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getType())
    return getInput();
  auto dense = dyn_cast_or_null<DenseElementsAttr>(a.getInput());
  if (dense && dense.isSplat() && getType().hasStaticShape())
    return DenseElementsAttr::get(getType(), dense.getSplatValue<Attribute>());
  if (!foldable(getType()))
    return {};
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  return writeElements(getType(), pick(*e, broadcastIndices(e->shape, getType().getShape())));
}

OpFoldResult TransposeOp::fold(FoldAdaptor a) {
  auto isIdentity = [](ArrayRef<int64_t> perm) {
    return llvm::all_of(llvm::enumerate(perm), [](auto p) { return int64_t(p.index()) == p.value(); });
  };
  if (isIdentity(getPerm()))
    return getInput();
  // transpose(transpose(x)) is one transpose: result dim i is inner dim perm[i], i.e. x dim
  // innerPerm[perm[i]].
  if (auto inner = getInput().getDefiningOp<TransposeOp>()) {
    SmallVector<int64_t> composed;
    for (int64_t p : getPerm())
      composed.push_back(inner.getPerm()[p]);
    if (isIdentity(composed))
      return inner.getInput();
    getInputMutable().assign(inner.getInput());
    setPerm(composed);
    return getResult();
  }
  if (!foldable(getType()))
    return {};
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  auto inStrides = stridesOf(e->shape);
  SmallVector<int64_t> src;
  for (int64_t i = 0, n = getType().getNumElements(); i < n; ++i) {
    auto idx = unravelIndex(i, getType().getShape());
    int64_t s = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      s += idx[d] * inStrides[getPerm()[d]];
    src.push_back(s);
  }
  return writeElements(getType(), pick(*e, src));
}

OpFoldResult ConcatOp::fold(FoldAdaptor a) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  if (!foldable(getType()))
    return {};
  int64_t axis = *normalizeAxis(getAxis(), getType().getRank());
  SmallVector<Elements> parts;
  for (Attribute attr : a.getInputs()) {
    auto e = readElements(attr);
    if (!e)
      return {};
    parts.push_back(std::move(*e));
  }
  Elements out;
  out.isFloat = parts[0].isFloat;
  int64_t outer = numElements(getType().getShape().take_front(axis));
  for (int64_t o = 0; o < outer; ++o)
    for (const Elements &p : parts) {
      int64_t chunk = numElements(ArrayRef<int64_t>(p.shape).drop_front(axis));
      for (int64_t i = 0; i < chunk; ++i) {
        if (out.isFloat)
          out.floats.push_back(p.floats[o * chunk + i]);
        else
          out.ints.push_back(p.ints[o * chunk + i]);
      }
    }
  return writeElements(getType(), out);
}

LogicalResult SplitOp::fold(FoldAdaptor a, SmallVectorImpl<OpFoldResult> &results) {
  if (getOutputs().size() == 1 && getOutputs()[0].getType() == getInput().getType()) {
    results.push_back(getInput());
    return success();
  }
  if (!llvm::all_of(getOutputs().getTypes(), [](Type t) { return foldable(cast<ShapedType>(t)); }))
    return failure();
  auto e = readElements(a.getInput());
  if (!e)
    return failure();
  int64_t axis = *normalizeAxis(getAxis(), e->shape.size());
  int64_t outer = numElements(ArrayRef<int64_t>(e->shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(e->shape).drop_front(axis + 1));
  int64_t extent = e->shape[axis], offset = 0;
  for (auto [output, size] : llvm::zip(getOutputs(), getSizes())) {
    SmallVector<int64_t> src;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t k = 0; k < size * inner; ++k)
        src.push_back((o * extent + offset) * inner + k);
    offset += size;
    results.push_back(writeElements(cast<ShapedType>(output.getType()), pick(*e, src)));
  }
  return success();
}

OpFoldResult SliceOp::fold(FoldAdaptor a) {
  // Only a slice that starts at 0 with step 1 everywhere is the identity (a reversing slice keeps
  // the type too).
  if (getInput().getType() == getType() && llvm::all_of(getStarts(), [](int64_t s) { return s == 0; }) &&
      llvm::all_of(getSteps(), [](int64_t s) { return s == 1; }))
    return getInput();
  if (!foldable(getType()))
    return {};
  auto e = readElements(a.getInput());
  if (!e)
    return {};
  auto inStrides = stridesOf(e->shape);
  SmallVector<int64_t> src;
  for (int64_t i = 0, n = getType().getNumElements(); i < n; ++i) {
    auto idx = unravelIndex(i, getType().getShape());
    int64_t s = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      s += (getStarts()[d] + idx[d] * getSteps()[d]) * inStrides[d];
    src.push_back(s);
  }
  return writeElements(getType(), pick(*e, src));
}

OpFoldResult GatherOp::fold(FoldAdaptor a) {
  if (!foldable(getType()))
    return {};
  auto data = readElements(a.getData()), indices = readElements(a.getIndices());
  if (!data || !indices)
    return {};
  int64_t axis = *normalizeAxis(getAxis(), data->shape.size());
  int64_t outer = numElements(ArrayRef<int64_t>(data->shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(data->shape).drop_front(axis + 1));
  int64_t extent = data->shape[axis];
  SmallVector<int64_t> src;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices->ints) {
      if (index < -extent || index >= extent)
        return {};
      int64_t k = index < 0 ? index + extent : index;
      for (int64_t i = 0; i < inner; ++i)
        src.push_back((o * extent + k) * inner + i);
    }
  return writeElements(getType(), pick(*data, src));
}

OpFoldResult ShapeOp::fold(FoldAdaptor) {
  auto type = getInput().getType();
  if (!type.hasStaticShape())
    return {};
  int64_t rank = type.getRank();
  auto clamp = [&](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
  SmallVector<int64_t> dims(type.getShape().begin() + clamp(getStart()),
                            type.getShape().begin() + std::max(clamp(getStart()), clamp(getEnd())));
  return writeElements(getType(), dims, {}, false);
}

FoldLimitScope::FoldLimitScope(int64_t elements) : previous_(maxFoldElements) { maxFoldElements = elements; }
FoldLimitScope::~FoldLimitScope() { maxFoldElements = previous_; }
