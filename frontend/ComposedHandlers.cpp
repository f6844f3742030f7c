// Handlers of ONNX operators that Mote has no op for but that its ops express exactly: LogSoftmax,
// Hardmax, ArgMin, the norm and log reductions, Mean, CastLike, activations (Elu, Celu, Selu, PRelu,
// ThresholdedRelu, HardSwish, Shrink, Softplus, Softsign), Tan, hyperbolic functions, Xor, Sign, IsNaN, IsInf,
// integer Mod, BitShift, DepthToSpace, SpaceToDepth, EyeLike, LRN, MeanVarianceNormalization and the
// NegativeLogLikelihoodLoss and SoftmaxCrossEntropyLoss losses.
#include "frontend/Composer.h"
#include "frontend/Handlers.h"
#include "frontend/TensorImport.h"
#include "ir/ShapeUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mote {
namespace {

// The largest constant a handler builds element by element (EyeLike).
constexpr int64_t kMaxConstantElements = int64_t(1) << 24;

bool isUnsigned(Type type) {
  auto it = dyn_cast<IntegerType>(type);
  return it && it.isUnsigned();
}

// The softmax family before opset 13 works on the input flattened to 2-D at `axis`; from 13 on, along
// `axis`. Returns the value to work on and the axis within it; `restore` reshapes a result back.
struct SoftmaxAxis {
  Value input;
  int64_t axis;
  bool flattened;
};

FailureOr<SoftmaxAxis> softmaxAxis(NodeContext &ctx, Composer &c) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  int64_t given = ctx.getInt("axis", ctx.opset() < 13 ? 1 : -1);
  auto axis = normalizeAxis(given, rank);
  if (!axis)
    return ctx.error() << "axis " << given << " is out of range for " << type;
  if (ctx.opset() >= 13 || *axis == rank - 1)
    return SoftmaxAxis{*x, *axis, false};
  Value flat = c.reshape(*x, {numElements(type.getShape().take_front(*axis)),
                              numElements(type.getShape().drop_front(*axis))});
  return SoftmaxAxis{flat, 1, true};
}

// log(softmax(x)) computed as (x - max) - log(sum(exp(x - max))), which neither overflows nor takes
// the log of an underflowed zero.
LogicalResult logSoftmax(NodeContext &ctx) {
  Composer c(ctx);
  auto in = softmaxAxis(ctx, c);
  if (failed(in))
    return failure();
  Value shifted = c.op<SubOp>({in->input, c.reduce<ReduceMaxOp>(in->input, {in->axis}, true)});
  Value logSum = c.op<LogOp>(c.reduce<ReduceSumOp>(c.op<ExpOp>(shifted), {in->axis}, true));
  Value y = c.op<SubOp>({shifted, logSum});
  if (in->flattened)
    y = c.reshape(y, ctx.inputType(0).getShape());
  return c.finish({y});
}

// One-hot of the (first) arg max along the axis: equal(arg_max(x), iota) cast to x's type.
LogicalResult hardmax(NodeContext &ctx) {
  Composer c(ctx);
  auto in = softmaxAxis(ctx, c);
  if (failed(in) || c.failed())
    return failure();
  ArrayRef<int64_t> shape = Composer::shape(in->input);
  int64_t extent = shape[in->axis];
  SmallVector<int64_t> iotaShape(shape.size(), 1);
  iotaShape[in->axis] = extent;
  SmallVector<int64_t> iota;
  for (int64_t i = 0; i < extent; ++i)
    iota.push_back(i);
  auto iotaType = RankedTensorType::get(iotaShape, ctx.builder().getI64Type());
  Value positions = ctx.constant(DenseElementsAttr::get(iotaType, ArrayRef<int64_t>(iota)));
  Value index = c.op<ArgMaxOp>(in->input, {ctx.namedI64("axis", in->axis), ctx.namedBool("keepdims", true),
                                           ctx.namedBool("select_last_index", false)});
  Value y = c.cast(c.op<EqualOp>({index, positions}), ctx.inputType(0).getElementType());
  if (in->flattened)
    y = c.reshape(y, ctx.inputType(0).getShape());
  return c.finish({y});
}

// ArgMin(x) is ArgMax(-x), ties included (equal elements stay equal when negated).
LogicalResult argMin(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  if (isUnsigned(ctx.inputType(0).getElementType()))
    return ctx.error() << "ArgMin of unsigned integers is not supported";
  Composer c(ctx);
  Value y = c.op<ArgMaxOp>(c.op<NegOp>(*x), {ctx.namedI64("axis", ctx.getInt("axis", 0)),
                                             ctx.namedBool("keepdims", ctx.getInt("keepdims", 1) != 0),
                                             ctx.namedBool("select_last_index",
                                                           ctx.getInt("select_last_index", 0) != 0)});
  return c.finish({y});
}

// The reduction axes: an attribute before opset 18, the optional second input from 18 on.
FailureOr<SmallVector<int64_t>> reduceAxes(NodeContext &ctx) {
  if (ctx.opset() < 18)
    return ctx.getInts("axes").value_or(SmallVector<int64_t>());
  if (!ctx.input(1))
    return SmallVector<int64_t>();
  return ctx.constantInts(1, "axes");
}

enum class NormReduce { L1, L2, SumSquare, LogSum, LogSumExp };

// ReduceL1, ReduceL2, ReduceSumSquare, ReduceLogSum, ReduceLogSumExp: an elementwise step, a sum and a
// final step. With `noop_with_empty_axes` and no axes nothing is summed.
template <NormReduce Kind>
LogicalResult normReduce(NodeContext &ctx) {
  auto x = ctx.required(0);
  auto axes = reduceAxes(ctx);
  if (failed(x) || failed(axes))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  bool keepdims = ctx.getInt("keepdims", 1) != 0;
  bool noop = axes->empty() && ctx.getInt("noop_with_empty_axes", 0) != 0;
  SmallVector<bool> reduced(rank, axes->empty());
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return ctx.error() << "axis " << a << " is out of range for " << type;
    reduced[*axis] = true;
  }
  SmallVector<int64_t> outShape;
  for (int64_t d = 0; d < rank; ++d)
    if (!reduced[d] || keepdims)
      outShape.push_back(reduced[d] ? 1 : type.getDimSize(d));

  Composer c(ctx);
  // Sums keep the reduced dims so that the max of LogSumExp broadcasts against them.
  auto sum = [&](Value v) { return noop ? v : c.reduce<ReduceSumOp>(v, *axes, true); };
  Value y;
  switch (Kind) {
  case NormReduce::L1:
    y = sum(c.op<AbsOp>(*x));
    break;
  case NormReduce::L2:
    y = c.op<SqrtOp>(sum(c.op<MulOp>({*x, *x})));
    break;
  case NormReduce::SumSquare:
    y = sum(c.op<MulOp>({*x, *x}));
    break;
  case NormReduce::LogSum:
    y = c.op<LogOp>(sum(*x));
    break;
  case NormReduce::LogSumExp: {
    // log(sum(exp(x - max))) + max, so that large inputs do not overflow exp.
    Value mx = noop ? *x : c.reduce<ReduceMaxOp>(*x, *axes, true);
    y = c.op<AddOp>({c.op<LogOp>(sum(c.op<ExpOp>(c.op<SubOp>({*x, mx})))), mx});
    break;
  }
  }
  if (!noop)
    y = c.reshape(y, outShape);
  return c.finish({y});
}

// Mean of any number of inputs: their sum divided by the count.
LogicalResult mean(NodeContext &ctx) {
  Composer c(ctx);
  auto first = ctx.required(0);
  if (failed(first))
    return failure();
  Value acc = *first;
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    auto next = ctx.required(i);
    if (failed(next))
      return failure();
    acc = c.op<AddOp>({acc, *next});
  }
  Value y = c.op<DivOp>({acc, c.scalarLike(acc, static_cast<double>(ctx.numInputs()))});
  return c.finish({y});
}

LogicalResult castLike(NodeContext &ctx) {
  auto x = ctx.required(0), like = ctx.required(1);
  if (failed(x) || failed(like))
    return failure();
  Composer c(ctx);
  return c.finish({c.cast(*x, ctx.inputType(1).getElementType())});
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

// alpha * (exp(x) - 1), the negative branch of Elu, Celu and Selu.
Value expMinusOne(Composer &c, Value x, double alpha) {
  Value em1 = c.op<SubOp>({c.op<ExpOp>(x), c.scalarLike(x, 1.0)});
  return alpha == 1.0 ? em1 : c.op<MulOp>({em1, c.scalarLike(x, alpha)});
}

LogicalResult elu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Value negative = c.op<LessOp>({*x, c.scalarLike(*x, 0.0)});
  Value y = c.op<WhereOp>({negative, expMinusOne(c, *x, ctx.getFloat("alpha", 1.0f)), *x});
  return c.finish({y});
}

// Celu: max(0, x) + min(0, alpha * (exp(x / alpha) - 1)).
LogicalResult celu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  double alpha = ctx.getFloat("alpha", 1.0f);
  if (alpha == 0.0)
    return ctx.error() << "Celu's alpha must not be zero";
  Composer c(ctx);
  Value zero = c.scalarLike(*x, 0.0);
  Value scaled = c.op<DivOp>({*x, c.scalarLike(*x, alpha)});
  Value y = c.op<AddOp>({c.op<MaxOp>({*x, zero}), c.op<MinOp>({expMinusOne(c, scaled, alpha), zero})});
  return c.finish({y});
}

// Selu: gamma * (x > 0 ? x : alpha * (exp(x) - 1)).
LogicalResult selu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  double alpha = ctx.getFloat("alpha", 1.67326319217681884765625f);
  double gamma = ctx.getFloat("gamma", 1.05070102214813232421875f);
  Value positive = c.op<GreaterOp>({*x, c.scalarLike(*x, 0.0)});
  Value y = c.op<WhereOp>({positive, *x, expMinusOne(c, *x, alpha)});
  return c.finish({c.op<MulOp>({y, c.scalarLike(*x, gamma)})});
}

LogicalResult thresholdedRelu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Value above = c.op<GreaterOp>({*x, c.scalarLike(*x, ctx.getFloat("alpha", 1.0f))});
  return c.finish({c.op<WhereOp>({above, *x, c.scalarLike(*x, 0.0)})});
}

// PRelu: x < 0 ? slope * x : x, the slope broadcasting to x.
LogicalResult prelu(NodeContext &ctx) {
  auto x = ctx.required(0), slope = ctx.required(1);
  if (failed(x) || failed(slope))
    return failure();
  Composer c(ctx);
  Value negative = c.op<LessOp>({*x, c.scalarLike(*x, 0.0)});
  Value y = c.op<WhereOp>({negative, c.op<MulOp>({*x, *slope}), *x});
  return c.finish({y});
}

// HardSwish: x * max(0, min(1, x / 6 + 0.5)).
LogicalResult hardSwish(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Value gate = c.op<HardSigmoidOp>(*x, {ctx.namedF32("alpha", 1.0f / 6.0f), ctx.namedF32("beta", 0.5f)});
  return c.finish({c.op<MulOp>({*x, gate})});
}

// Shrink: x < -lambd ? x + bias : x > lambd ? x - bias : 0.
LogicalResult shrink(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  double bias = ctx.getFloat("bias", 0.0f), lambd = ctx.getFloat("lambd", 0.5f);
  Value below = c.op<LessOp>({*x, c.scalarLike(*x, -lambd)});
  Value above = c.op<GreaterOp>({*x, c.scalarLike(*x, lambd)});
  Value inner = c.op<WhereOp>({above, c.op<SubOp>({*x, c.scalarLike(*x, bias)}), c.scalarLike(*x, 0.0)});
  Value y = c.op<WhereOp>({below, c.op<AddOp>({*x, c.scalarLike(*x, bias)}), inner});
  return c.finish({y});
}

// Softplus: log(exp(x) + 1).
LogicalResult softplus(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<LogOp>(c.op<AddOp>({c.op<ExpOp>(*x), c.scalarLike(*x, 1.0)}))});
}

// Softsign: x / (1 + |x|).
LogicalResult softsign(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<DivOp>({*x, c.op<AddOp>({c.op<AbsOp>(*x), c.scalarLike(*x, 1.0)})})});
}

//===----------------------------------------------------------------------===//
// Elementwise math
//===----------------------------------------------------------------------===//

enum class Hyperbolic { Sinh, Cosh, Asinh, Acosh, Atanh };

template <Hyperbolic Kind>
LogicalResult hyperbolic(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Value one = c.scalarLike(*x, 1.0), half = c.scalarLike(*x, 0.5);
  Value y;
  switch (Kind) {
  case Hyperbolic::Sinh:
  case Hyperbolic::Cosh: {
    Value ex = c.op<ExpOp>(*x), emx = c.op<ExpOp>(c.op<NegOp>(*x));
    Value sum = Kind == Hyperbolic::Sinh ? c.op<SubOp>({ex, emx}) : c.op<AddOp>({ex, emx});
    y = c.op<MulOp>({sum, half});
    break;
  }
  case Hyperbolic::Asinh: {
    // log(|x| + sqrt(x^2 + 1)) with x's sign: the odd form avoids cancellation for negative x.
    Value ax = c.op<AbsOp>(*x);
    Value magnitude = c.op<LogOp>(c.op<AddOp>({ax, c.op<SqrtOp>(c.op<AddOp>({c.op<MulOp>({*x, *x}), one}))}));
    Value negative = c.op<LessOp>({*x, c.scalarLike(*x, 0.0)});
    y = c.op<WhereOp>({negative, c.op<NegOp>(magnitude), magnitude});
    break;
  }
  case Hyperbolic::Acosh:
    y = c.op<LogOp>(c.op<AddOp>({*x, c.op<SqrtOp>(c.op<SubOp>({c.op<MulOp>({*x, *x}), one}))}));
    break;
  case Hyperbolic::Atanh:
    y = c.op<MulOp>(
        {c.op<LogOp>(c.op<DivOp>({c.op<AddOp>({one, *x}), c.op<SubOp>({one, *x})})), half});
    break;
  }
  return c.finish({y});
}

LogicalResult tan(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<DivOp>({c.op<SinOp>(*x), c.op<CosOp>(*x)})});
}

// Xor of booleans: a != b.
LogicalResult xorOp(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<NotOp>(c.op<EqualOp>({*a, *b}))});
}

// Sign: (x > 0) - (x < 0) in x's type.
LogicalResult sign(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  Type type = ctx.inputType(0).getElementType();
  Value zero = c.scalarLike(*x, 0.0);
  Value y = c.op<SubOp>({c.cast(c.op<GreaterOp>({*x, zero}), type), c.cast(c.op<LessOp>({*x, zero}), type)});
  return c.finish({y});
}

// IsNaN: NaN is the only value not equal to itself.
LogicalResult isNaN(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  Composer c(ctx);
  return c.finish({c.op<NotOp>(c.op<EqualOp>({*x, *x}))});
}

LogicalResult isInf(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(ctx.inputType(0).getElementType()))
    return ctx.error() << "IsInf expects a float input, got " << ctx.inputType(0);
  Composer c(ctx);
  bool positive = ctx.getInt("detect_positive", 1) != 0, negative = ctx.getInt("detect_negative", 1) != 0;
  double inf = std::numeric_limits<double>::infinity();
  Value isPos = c.op<EqualOp>({*x, c.scalarLike(*x, inf)});
  Value isNeg = c.op<EqualOp>({*x, c.scalarLike(*x, -inf)});
  Value y;
  if (positive && negative)
    y = c.op<OrOp>({isPos, isNeg});
  else if (positive)
    y = isPos;
  else if (negative)
    y = isNeg;
  else // detects nothing: all false
    y = c.op<AndOp>({isPos, isNeg});
  return c.finish({y});
}

// Integer Mod. The remainder of truncating division, r = a - (a / b) * b, has the dividend's sign
// (fmod = 1); Python's mod (fmod = 0) has the divisor's sign, so r + b where the signs differ.
LogicalResult mod(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  if (!isa<IntegerType>(ctx.inputType(0).getElementType()))
    return ctx.error() << "Mod of floating-point values (fmod) is not supported: Mote has no truncation op";
  Composer c(ctx);
  Value r = c.op<SubOp>({*a, c.op<MulOp>({c.op<DivOp>({*a, *b}), *b})});
  if (ctx.getInt("fmod", 0) == 0 && !isUnsigned(ctx.inputType(0).getElementType())) {
    Value zero = c.scalarLike(r, 0.0);
    Value signsDiffer = c.op<NotOp>(c.op<EqualOp>({c.op<LessOp>({r, zero}), c.op<LessOp>({*b, zero})}));
    Value adjust = c.op<AndOp>({signsDiffer, c.op<NotOp>(c.op<EqualOp>({r, zero}))});
    r = c.op<WhereOp>({adjust, c.op<AddOp>({r, *b}), r});
  }
  return c.finish({r});
}

// BitShift of unsigned integers: x * 2^y or x / 2^y (the product wraps as the shift does).
LogicalResult bitShift(NodeContext &ctx) {
  auto x = ctx.required(0), y = ctx.required(1);
  if (failed(x) || failed(y))
    return failure();
  std::string direction = ctx.getString("direction", "");
  if (direction != "LEFT" && direction != "RIGHT")
    return ctx.error() << "direction must be LEFT or RIGHT, got '" << direction << "'";
  if (!isUnsigned(ctx.inputType(0).getElementType()))
    return ctx.error() << "BitShift expects unsigned integers, got " << ctx.inputType(0);
  Composer c(ctx);
  Value factor = c.op<PowOp>({c.scalarLike(*y, 2.0), *y});
  Value z = direction == "LEFT" ? c.op<MulOp>({*x, factor}) : c.op<DivOp>({*x, factor});
  return c.finish({z});
}

//===----------------------------------------------------------------------===//
// Data movement and normalization
//===----------------------------------------------------------------------===//

// DepthToSpace: reshape to [N, b, b, C', H, W] (DCR) or [N, C', b, b, H, W] (CRD), move the block
// dimensions next to H and W, and merge them.
LogicalResult depthToSpace(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t b = ctx.getInt("blocksize", 0);
  if (type.getRank() != 4 || b < 1 || type.getDimSize(1) % (b * b) != 0)
    return ctx.error() << "expected a 4-D input whose channels divide by blocksize^2, got " << type
                       << " and blocksize " << b;
  int64_t n = type.getDimSize(0), ch = type.getDimSize(1) / (b * b), h = type.getDimSize(2),
          w = type.getDimSize(3);
  bool crd = ctx.getString("mode", "DCR") == "CRD";
  Composer c(ctx);
  Value y = crd ? c.transpose(c.reshape(*x, {n, ch, b, b, h, w}), {0, 1, 4, 2, 5, 3})
                : c.transpose(c.reshape(*x, {n, b, b, ch, h, w}), {0, 3, 4, 1, 5, 2});
  return c.finish({c.reshape(y, {n, ch, h * b, w * b})});
}

// SpaceToDepth: the inverse of DepthToSpace in DCR order.
LogicalResult spaceToDepth(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t b = ctx.getInt("blocksize", 0);
  if (type.getRank() != 4 || b < 1 || type.getDimSize(2) % b != 0 || type.getDimSize(3) % b != 0)
    return ctx.error() << "expected a 4-D input whose height and width divide by blocksize, got " << type
                       << " and blocksize " << b;
  int64_t n = type.getDimSize(0), ch = type.getDimSize(1), h = type.getDimSize(2) / b,
          w = type.getDimSize(3) / b;
  Composer c(ctx);
  Value y = c.transpose(c.reshape(*x, {n, ch, h, b, w, b}), {0, 3, 5, 1, 2, 4});
  return c.finish({c.reshape(y, {n, ch * b * b, h, w})});
}

// EyeLike: a constant; ones on the k-th diagonal.
LogicalResult eyeLike(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  if (type.getRank() != 2)
    return ctx.error() << "EyeLike expects a 2-D input, got " << type;
  Type element = type.getElementType();
  if (const auto *dtype = ctx.attr("dtype")) {
    element = onnxElementType(ctx.context(), static_cast<int32_t>(dtype->i()));
    if (!element)
      return ctx.error() << "dtype " << onnxTypeName(static_cast<int32_t>(dtype->i())) << " is not supported";
  }
  if (!isa<FloatType, IntegerType>(element))
    return ctx.error() << "element type " << element << " is not supported";
  int64_t rows = type.getDimSize(0), cols = type.getDimSize(1), k = ctx.getInt("k", 0);
  // The constant is built element by element: refuse absurd sizes rather than exhaust memory.
  if (rows < 0 || cols < 0 || (rows > 0 && cols > kMaxConstantElements / rows))
    return ctx.error() << "EyeLike of " << type << " is too large";
  Attribute zero = Composer::scalarAttr(element, 0.0), one = Composer::scalarAttr(element, 1.0);
  SmallVector<Attribute> values;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      values.push_back(j - i == k ? one : zero);
  auto result = RankedTensorType::get({rows, cols}, element);
  return ctx.setResults({ctx.constant(DenseElementsAttr::get(result, values))});
}

// LRN: y = x / (bias + alpha / size * sum of x^2 over the `size` channels around c)^beta. The sum is
// an average pool (padding counted) over the channel axis of x^2 viewed as [N, 1, C, spatial].
LogicalResult lrn(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t size = ctx.getInt("size", 0);
  if (type.getRank() < 3 || size < 1)
    return ctx.error() << "expected an input of rank >= 3 and size >= 1, got " << type << " and size " << size;
  double alpha = ctx.getFloat("alpha", 1e-4f), beta = ctx.getFloat("beta", 0.75f);
  double bias = ctx.getFloat("bias", 1.0f);
  int64_t n = type.getDimSize(0), ch = type.getDimSize(1), inner = numElements(type.getShape().drop_front(2));
  Composer c(ctx);
  Value squares = c.reshape(c.op<MulOp>({*x, *x}), {n, 1, ch, inner});
  Value average = c.op<AveragePoolOp>(
      squares, {ctx.namedI64Array("kernel_shape", {size, 1}), ctx.namedI64Array("strides", {1, 1}),
                ctx.namedI64Array("pads", {(size - 1) / 2, 0, size / 2, 0}), ctx.namedBool("ceil_mode", false),
                ctx.namedBool("count_include_pad", true)});
  // alpha / size * sum = alpha * average.
  Value base = c.op<AddOp>({c.op<MulOp>({c.reshape(average, type.getShape()), c.scalarLike(*x, alpha)}),
                            c.scalarLike(*x, bias)});
  Value y = c.op<DivOp>({*x, c.op<PowOp>({base, c.scalarLike(*x, beta)})});
  return c.finish({y});
}

// MeanVarianceNormalization: (x - mean) / (sqrt(mean((x - mean)^2)) + 1e-9) over `axes`.
LogicalResult meanVarianceNorm(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> axes = ctx.getInts("axes").value_or(SmallVector<int64_t>{0, 2, 3});
  Composer c(ctx);
  Value centered = c.op<SubOp>({*x, c.reduce<ReduceMeanOp>(*x, axes, true)});
  Value variance = c.reduce<ReduceMeanOp>(c.op<MulOp>({centered, centered}), axes, true);
  Value y = c.op<DivOp>({centered, c.op<AddOp>({c.op<SqrtOp>(variance), c.scalarLike(*x, 1e-9)})});
  return c.finish({y});
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

// NegativeLogLikelihoodLoss of `input` [N, C, d...] and `target` [N, d...]: loss = -input[n, t, d...] *
// weight[t], zero where t is ignore_index. The picked class is a one-hot mask over C summed away, so
// an ignored or out-of-range target picks nothing. `mean` divides by the summed weights.
Value nllLoss(NodeContext &ctx, Composer &c, Value input, Value target, Value weight) {
  if (!input || !target)
    return {};
  ArrayRef<int64_t> shape = Composer::shape(input);
  ArrayRef<int64_t> targetShape = Composer::shape(target);
  int64_t rank = shape.size();
  Type targetType = Composer::elementType(target);
  if (rank < 2 || static_cast<int64_t>(targetShape.size()) != rank - 1 || !isa<IntegerType>(targetType)) {
    ctx.error() << "expected input [N, C, d...] and an integer target [N, d...], got "
                << input.getType() << " and " << target.getType();
    return {};
  }
  int64_t classes = shape[1];
  SmallVector<int64_t> iotaShape(rank, 1), iota, columnShape(targetShape);
  iotaShape[1] = classes;
  for (int64_t i = 0; i < classes; ++i)
    iota.push_back(i);
  columnShape.insert(columnShape.begin() + 1, 1);
  Value classIds = c.cast(ctx.constant(DenseElementsAttr::get(
                              RankedTensorType::get(iotaShape, ctx.builder().getI64Type()), ArrayRef(iota))),
                          targetType);
  Value column = c.reshape(target, columnShape);
  Value picked = c.op<EqualOp>({column, classIds});
  // An ignore_index the target's integer type cannot hold ignores nothing (truncating it would ignore
  // another class).
  const auto *ignore = ctx.attr("ignore_index");
  unsigned width = targetType.getIntOrFloatBitWidth();
  if (ignore && (width >= 64 || llvm::isIntN(width, ignore->i())))
    picked = c.op<AndOp>({picked, c.op<NotOp>(c.op<EqualOp>({column, c.scalarInt(targetType, ignore->i())}))});
  Value zero = c.scalarLike(input, 0.0);
  auto pick = [&](Value values) {
    return c.reduce<ReduceSumOp>(c.op<WhereOp>({picked, values, zero}), {1}, false);
  };
  Value weights;
  if (weight) {
    if (Composer::shape(weight) != ArrayRef<int64_t>{classes}) {
      ctx.error() << "expected weight of shape [" << classes << "], got " << weight.getType();
      return {};
    }
    SmallVector<int64_t> weightShape(rank, 1);
    weightShape[1] = classes;
    weights = pick(c.reshape(weight, weightShape));
  } else {
    weights = pick(c.scalarLike(input, 1.0));
  }
  Value loss = c.op<NegOp>(c.op<MulOp>({pick(input), weights}));
  std::string reduction = ctx.getString("reduction", "mean");
  if (reduction == "none")
    return loss;
  Value total = c.reduce<ReduceSumOp>(loss, {}, false);
  if (reduction == "sum")
    return total;
  if (reduction == "mean")
    return c.op<DivOp>({total, c.reduce<ReduceSumOp>(weights, {}, false)});
  ctx.error() << "reduction '" << reduction << "' is not valid (none, sum, mean)";
  return {};
}

LogicalResult negativeLogLikelihoodLoss(NodeContext &ctx) {
  auto input = ctx.required(0), target = ctx.required(1);
  if (failed(input) || failed(target))
    return failure();
  Composer c(ctx);
  Value loss = nllLoss(ctx, c, *input, *target, ctx.input(2));
  return loss ? c.finish({loss}) : failure();
}

// SoftmaxCrossEntropyLoss: the NLL loss of LogSoftmax over the classes (axis 1); the log
// probabilities are the optional second output.
LogicalResult softmaxCrossEntropyLoss(NodeContext &ctx) {
  auto scores = ctx.required(0), labels = ctx.required(1);
  if (failed(scores) || failed(labels))
    return failure();
  if (ctx.inputType(0).getRank() < 2)
    return ctx.error() << "expected scores [N, C, d...], got " << ctx.inputType(0);
  Composer c(ctx);
  Value shifted = c.op<SubOp>({*scores, c.reduce<ReduceMaxOp>(*scores, {1}, true)});
  Value logSum = c.op<LogOp>(c.reduce<ReduceSumOp>(c.op<ExpOp>(shifted), {1}, true));
  Value logProb = c.op<SubOp>({shifted, logSum});
  Value loss = nllLoss(ctx, c, logProb, *labels, ctx.input(2));
  if (!loss)
    return failure();
  bool wantsLogProb = ctx.node().output_size() > 1 && !ctx.node().output(1).empty();
  return wantsLogProb ? c.finish({loss, logProb}) : c.finish({loss});
}

} // namespace

void appendComposedHandlers(std::vector<HandlerEntry> &t) {
  t.insert(t.end(), {
                        {"LogSoftmax", 1, logSoftmax},
                        {"Hardmax", 1, hardmax},
                        {"ArgMin", 1, argMin},
                        {"ReduceL1", 1, normReduce<NormReduce::L1>},
                        {"ReduceL2", 1, normReduce<NormReduce::L2>},
                        {"ReduceSumSquare", 1, normReduce<NormReduce::SumSquare>},
                        {"ReduceLogSum", 1, normReduce<NormReduce::LogSum>},
                        {"ReduceLogSumExp", 1, normReduce<NormReduce::LogSumExp>},
                        {"Mean", 8, mean},
                        {"CastLike", 15, castLike},
                        {"Elu", 6, elu},
                        {"Celu", 12, celu},
                        {"Selu", 6, selu},
                        {"ThresholdedRelu", 10, thresholdedRelu},
                        {"PRelu", 9, prelu},
                        {"HardSwish", 14, hardSwish},
                        {"Shrink", 9, shrink},
                        {"Softplus", 1, softplus},
                        {"Softsign", 1, softsign},
                        {"Sinh", 9, hyperbolic<Hyperbolic::Sinh>},
                        {"Cosh", 9, hyperbolic<Hyperbolic::Cosh>},
                        {"Asinh", 9, hyperbolic<Hyperbolic::Asinh>},
                        {"Acosh", 9, hyperbolic<Hyperbolic::Acosh>},
                        {"Atanh", 9, hyperbolic<Hyperbolic::Atanh>},
                        {"Tan", 7, tan},
                        {"Xor", 7, xorOp},
                        {"Sign", 9, sign},
                        {"IsNaN", 9, isNaN},
                        {"IsInf", 10, isInf},
                        {"Mod", 10, mod},
                        {"BitShift", 11, bitShift},
                        {"DepthToSpace", 1, depthToSpace},
                        {"SpaceToDepth", 1, spaceToDepth},
                        {"EyeLike", 9, eyeLike},
                        {"LRN", 1, lrn},
                        {"MeanVarianceNormalization", 9, meanVarianceNorm},
                        {"NegativeLogLikelihoodLoss", 12, negativeLogLikelihoodLoss},
                        {"SoftmaxCrossEntropyLoss", 12, softmaxCrossEntropyLoss},
                    });
}

} // namespace mote
