// Handlers of ONNX's elementwise operators: unary math, activations, broadcasting binary ops,
// comparisons, Where, Cast, Clip.
#include "frontend/Handlers.h"
#include "frontend/TensorImport.h"
#include "ir/ShapeUtils.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mote {
namespace {

template <typename OpTy>
LogicalResult unary(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto y = ctx.build<OpTy>(*x);
  return failed(y) ? failure() : ctx.setResults({*y});
}

template <typename OpTy>
LogicalResult binary(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  auto y = ctx.build<OpTy>({*a, *b});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// Min, Max and Sum take any number of inputs: a chain of binary ops.
template <typename OpTy>
LogicalResult variadic(NodeContext &ctx) {
  auto acc = ctx.required(0);
  if (failed(acc))
    return failure();
  for (size_t i = 1; i < ctx.numInputs(); ++i) {
    auto next = ctx.required(i);
    if (failed(next) || failed(acc = ctx.build<OpTy>({*acc, *next})))
      return failure();
  }
  return ctx.setResults({*acc});
}

LogicalResult identity(NodeContext &ctx) {
  auto x = ctx.required(0);
  return failed(x) ? failure() : ctx.setResults({*x});
}

LogicalResult dropout(NodeContext &ctx) {
  // Inference: Dropout passes its input through and keeps every element (an all-true mask). From
  // opset 12 the mode is an input; a constant false is inference too.
  bool training = ctx.getInt("training_mode", 0) != 0;
  if (ctx.input(2)) {
    if (!ctx.isConstant(2))
      return ctx.error() << "training-mode Dropout is not supported ('training_mode' is not a constant)";
    auto mode = ctx.constantInts(2, "training_mode");
    if (failed(mode))
      return failure();
    training = llvm::any_of(*mode, [](int64_t v) { return v != 0; });
  }
  if (training)
    return ctx.error() << "training-mode Dropout is not supported";
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  if (ctx.node().output_size() < 2 || ctx.node().output(1).empty())
    return ctx.setResults({*x});
  auto maskType = RankedTensorType::get(ctx.inputType(0).getShape(), ctx.builder().getI1Type());
  return ctx.setResults({*x, ctx.constant(DenseElementsAttr::get(maskType, true))});
}

LogicalResult pow(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  // Pow-12+ allows an exponent of another type, and the result has the base's type. Mote's pow takes
  // one type: an integer base with a float exponent is raised in the exponent's type and cast back
  // (4 ^ 0.5 is 2, not 4 ^ 0); otherwise the exponent is cast to the base's type.
  Type baseType = ctx.inputType(0).getElementType(), expType = ctx.inputType(1).getElementType();
  if (baseType == expType) {
    auto y = ctx.build<PowOp>({*a, *b});
    return failed(y) ? failure() : ctx.setResults({*y});
  }
  auto castTo = [&](Value v, Type t) { return ctx.build<CastOp>(v, {ctx.named("to", TypeAttr::get(t))}); };
  if (isa<IntegerType>(baseType) && isa<FloatType>(expType)) {
    auto base = castTo(*a, expType);
    if (failed(base))
      return failure();
    auto y = ctx.build<PowOp>({*base, *b});
    if (failed(y))
      return failure();
    auto back = castTo(*y, baseType);
    return failed(back) ? failure() : ctx.setResults({*back});
  }
  auto exponent = castTo(*b, baseType);
  if (failed(exponent))
    return failure();
  auto y = ctx.build<PowOp>({*a, *exponent});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult hardSigmoid(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto y = ctx.build<HardSigmoidOp>(*x, {ctx.namedF32("alpha", ctx.getFloat("alpha", 0.2f)),
                                         ctx.namedF32("beta", ctx.getFloat("beta", 0.5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult leakyRelu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto y = ctx.build<LeakyReluOp>(*x, {ctx.namedF32("alpha", ctx.getFloat("alpha", 0.01f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult gelu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto y = ctx.build<GeluOp>(*x, {ctx.namedString("approximate", ctx.getString("approximate", "none"))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult clip(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  double lo = -std::numeric_limits<double>::infinity(), hi = std::numeric_limits<double>::infinity();
  // Bounds known only at run time (graph inputs) become max/min ops after the clip.
  Value dynamicLo, dynamicHi;
  if (ctx.opset() < 11) {
    lo = ctx.getFloat("min", -std::numeric_limits<float>::max());
    hi = ctx.getFloat("max", std::numeric_limits<float>::max());
  } else {
    for (size_t i : {1, 2}) {
      Value bound = ctx.input(i);
      if (!bound)
        continue;
      if (ctx.inputType(i).getRank() > 1 || numElements(ctx.inputType(i).getShape()) != 1)
        return ctx.error() << "Clip's bounds must be scalars, got " << ctx.inputType(i);
      if (!ctx.isConstant(i)) {
        (i == 1 ? dynamicLo : dynamicHi) = bound;
        continue;
      }
      auto value = ctx.constantFloats(i, i == 1 ? "min" : "max");
      if (failed(value))
        return failure();
      (i == 1 ? lo : hi) = (*value)[0];
    }
  }
  auto y = ctx.build<ClipOp>(*x, {ctx.named("min", ctx.builder().getF64FloatAttr(lo)),
                                  ctx.named("max", ctx.builder().getF64FloatAttr(hi))});
  // min(max(x, lo), hi), as Clip defines it (hi wins when lo > hi).
  if (succeeded(y) && dynamicLo)
    y = ctx.build<MaxOp>({*y, dynamicLo});
  if (succeeded(y) && dynamicHi)
    y = ctx.build<MinOp>({*y, dynamicHi});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult castOp(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  int64_t to = ctx.getInt("to", 0);
  Type type = onnxElementType(ctx.context(), static_cast<int32_t>(to));
  if (!type)
    return ctx.error() << "cast to " << onnxTypeName(static_cast<int32_t>(to)) << " is not supported";
  auto y = ctx.build<CastOp>(*x, {ctx.named("to", TypeAttr::get(type))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult where(NodeContext &ctx) {
  auto c = ctx.required(0), a = ctx.required(1), b = ctx.required(2);
  if (failed(c) || failed(a) || failed(b))
    return failure();
  auto y = ctx.build<WhereOp>({*c, *a, *b});
  return failed(y) ? failure() : ctx.setResults({*y});
}

} // namespace

void appendElementwiseHandlers(std::vector<HandlerEntry> &t) {
  t.insert(t.end(), {
                        {"Abs", 1, unary<AbsOp>},
                        {"Cos", 7, unary<CosOp>},
                        {"Erf", 9, unary<ErfOp>},
                        {"Exp", 1, unary<ExpOp>},
                        {"Log", 1, unary<LogOp>},
                        {"Neg", 1, unary<NegOp>},
                        {"Not", 1, unary<NotOp>},
                        {"Reciprocal", 1, unary<ReciprocalOp>},
                        {"Relu", 1, unary<ReluOp>},
                        {"Sigmoid", 1, unary<SigmoidOp>},
                        {"Sin", 7, unary<SinOp>},
                        {"Sqrt", 1, unary<SqrtOp>},
                        {"Tanh", 1, unary<TanhOp>},
                        {"Gelu", 20, gelu},
                        {"HardSigmoid", 1, hardSigmoid},
                        {"LeakyRelu", 1, leakyRelu},
                        {"Clip", 1, clip},
                        {"Cast", 1, castOp},
                        {"Identity", 1, identity},
                        {"Dropout", 1, dropout},
                        {"Add", 7, binary<AddOp>},
                        {"Sub", 7, binary<SubOp>},
                        {"Mul", 7, binary<MulOp>},
                        {"Div", 7, binary<DivOp>},
                        {"Pow", 7, pow},
                        {"Equal", 7, binary<EqualOp>},
                        {"Less", 7, binary<LessOp>},
                        {"Greater", 7, binary<GreaterOp>},
                        {"LessOrEqual", 12, binary<LessOrEqualOp>},
                        {"GreaterOrEqual", 12, binary<GreaterOrEqualOp>},
                        {"And", 7, binary<AndOp>},
                        {"Or", 7, binary<OrOp>},
                        {"Min", 8, variadic<MinOp>},
                        {"Max", 8, variadic<MaxOp>},
                        {"Sum", 8, variadic<AddOp>},
                        {"Where", 9, where},
                    });
}

} // namespace mote
