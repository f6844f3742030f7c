// NEON op printers: elementwise binary, comparison, unary and activation ops, casts and select.
#include "targets/neon/ModelEmitter.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {
namespace {

/// runtime/neon/Ops.h's function for a kernel name of the binary/unary families.
std::string runtimeName(StringRef kernel) {
  StringRef family = kernel.take_front(kernel.find('_'));
  StringRef type = kernel.drop_front(family.size() + 1);
  std::string t = type.upper();
  return family.str() + (type == "bool" ? std::string("Bool") : t);
}

LogicalResult binary(ModelEmitter &e, Operation *op, const KernelChoice &k, StringRef kind, Pointers in,
                     Pointers out) {
  Shape shape = shapeOf(op->getResult(0));
  SourceWriter &s = e.source();
  e.body() << "  " << runtimeName(k.kernel) << "(Binary::" << kind << ", " << shape.size() << ", "
           << s.intTable(shape) << ", " << in[0] << ", "
           << s.intTable(broadcastStrides(shapeOf(op->getOperand(0)), shape)) << ", " << in[1] << ", "
           << s.intTable(broadcastStrides(shapeOf(op->getOperand(1)), shape)) << ", " << out[0] << ");\n";
  return success();
}

LogicalResult compare(ModelEmitter &e, Operation *op, StringRef kind, Pointers in, Pointers out) {
  Shape shape = shapeOf(op->getResult(0));
  SourceWriter &s = e.source();
  e.body() << "  compare(Compare::" << kind << ", " << e.dtype(op->getOperand(0)) << ", " << shape.size() << ", "
           << s.intTable(shape) << ", " << in[0] << ", "
           << s.intTable(broadcastStrides(shapeOf(op->getOperand(0)), shape)) << ", " << in[1] << ", "
           << s.intTable(broadcastStrides(shapeOf(op->getOperand(1)), shape)) << ", " << out[0] << ");\n";
  return success();
}

LogicalResult unary(ModelEmitter &e, Operation *op, const KernelChoice &k, StringRef kind, Pointers in,
                    Pointers out, const std::string &alpha = "0", const std::string &beta = "0") {
  int64_t n = elementCount(op->getResult(0));
  e.body() << "  " << runtimeName(k.kernel) << "(Unary::" << kind << ", " << n << ", " << in[0] << ", " << out[0];
  if (k.kernel != "unary_bool")
    e.body() << ", " << alpha << ", " << beta;
  e.body() << ");\n";
  return success();
}

} // namespace

std::optional<LogicalResult> emitElementwise(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                             Pointers out) {
  auto binaryOf = [&](StringRef kind) { return binary(e, op, k, kind, in, out); };
  auto compareOf = [&](StringRef kind) { return compare(e, op, kind, in, out); };
  auto unaryOf = [&](StringRef kind) { return unary(e, op, k, kind, in, out); };
  using Result = std::optional<LogicalResult>;
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](AddOp) { return binaryOf("Add"); })
      .Case([&](SubOp) { return binaryOf("Sub"); })
      .Case([&](MulOp) { return binaryOf("Mul"); })
      .Case([&](DivOp) { return binaryOf("Div"); })
      .Case([&](PowOp) { return binaryOf("Pow"); })
      .Case([&](MinOp) { return binaryOf("Min"); })
      .Case([&](MaxOp) { return binaryOf("Max"); })
      .Case([&](EqualOp) { return compareOf("Equal"); })
      .Case([&](LessOp) { return compareOf("Less"); })
      .Case([&](GreaterOp) { return compareOf("Greater"); })
      .Case([&](LessOrEqualOp) { return compareOf("LessEqual"); })
      .Case([&](GreaterOrEqualOp) { return compareOf("GreaterEqual"); })
      .Case([&](AndOp) { return compareOf("And"); })
      .Case([&](OrOp) { return compareOf("Or"); })
      .Case([&](SqrtOp) { return unaryOf("Sqrt"); })
      .Case([&](ExpOp) { return unaryOf("Exp"); })
      .Case([&](LogOp) { return unaryOf("Log"); })
      .Case([&](ErfOp) { return unaryOf("Erf"); })
      .Case([&](TanhOp) { return unaryOf("Tanh"); })
      .Case([&](SigmoidOp) { return unaryOf("Sigmoid"); })
      .Case([&](ReluOp) { return unaryOf("Relu"); })
      .Case([&](NegOp) { return unaryOf("Neg"); })
      .Case([&](AbsOp) { return unaryOf("Abs"); })
      .Case([&](ReciprocalOp) { return unaryOf("Reciprocal"); })
      .Case([&](SinOp) { return unaryOf("Sin"); })
      .Case([&](CosOp) { return unaryOf("Cos"); })
      .Case([&](NotOp) { return unaryOf("Not"); })
      .Case([&](SiluOp) { return unaryOf("Silu"); })
      .Case([&](GeluOp g) {
        StringRef a = g.getApproximate();
        return unaryOf(a == "tanh" ? "GeluTanh" : a == "sigmoid" ? "GeluSigmoid" : "GeluErf");
      })
      .Case([&](HardSigmoidOp h) {
        return unary(e, op, k, "HardSigmoid", in, out, floatLiteral(attrValue(h.getAlpha())),
                     floatLiteral(attrValue(h.getBeta())));
      })
      .Case([&](LeakyReluOp l) {
        return unary(e, op, k, "LeakyRelu", in, out, floatLiteral(attrValue(l.getAlpha())));
      })
      .Case([&](ClipOp c) {
        double lo = attrValue(c.getMin()), hi = attrValue(c.getMax());
        if (isa<FloatType>(e.computeType(c.getResult())))
          return unary(e, op, k, "Clip", in, out, floatLiteral(std::max(lo, -3.4e38)),
                       floatLiteral(std::min(hi, 3.4e38)));
        return unary(e, op, k, "Clip", in, out, doubleLiteral(lo), doubleLiteral(hi));
      })
      .Case([&](CastOp c) -> Result {
        int64_t n = elementCount(c.getResult());
        if (k.kernel == "convert_f32_to_f16")
          e.body() << "  f32ToF16(" << n << ", " << in[0] << ", " << out[0] << ");\n";
        else if (k.kernel == "convert_f16_to_f32")
          e.body() << "  f16ToF32(" << n << ", " << in[0] << ", " << out[0] << ");\n";
        else
          e.body() << "  cast(" << n << ", " << e.dtype(c.getInput()) << ", " << in[0] << ", " << e.dtype(c.getResult())
                   << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](WhereOp w) -> Result {
        Shape o = shapeOf(w.getResult());
        SourceWriter &s = e.source();
        e.body() << "  where(" << e.elementBytes(w.getResult()) << ", " << o.size() << ", " << s.intTable(o) << ", "
                 << in[0] << ", " << s.intTable(broadcastStrides(shapeOf(w.getCondition()), o)) << ", " << in[1]
                 << ", " << s.intTable(broadcastStrides(shapeOf(w.getX()), o)) << ", " << in[2] << ", "
                 << s.intTable(broadcastStrides(shapeOf(w.getY()), o)) << ", " << out[0] << ");\n";
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace neon
} // namespace mote
