// NEON op printers: elementwise binary, comparison, unary and activation ops, casts, select, and fused
// elementwise regions.
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

/// The runtime's Unary or Binary code of an arithmetic elementwise op, with its parameters as literals.
struct ElementwiseCode {
  bool binary = false;
  StringRef name;
  std::string alpha = "0", beta = "0";
};

std::optional<ElementwiseCode> elementwiseCode(ModelEmitter &e, Operation *op) {
  auto b = [](StringRef name) { return std::optional<ElementwiseCode>(ElementwiseCode{true, name}); };
  auto u = [](StringRef name, std::string alpha = "0", std::string beta = "0") {
    return std::optional<ElementwiseCode>(ElementwiseCode{false, name, std::move(alpha), std::move(beta)});
  };
  using Result = std::optional<ElementwiseCode>;
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](AddOp) { return b("Add"); })
      .Case([&](SubOp) { return b("Sub"); })
      .Case([&](MulOp) { return b("Mul"); })
      .Case([&](DivOp) { return b("Div"); })
      .Case([&](PowOp) { return b("Pow"); })
      .Case([&](MinOp) { return b("Min"); })
      .Case([&](MaxOp) { return b("Max"); })
      .Case([&](SqrtOp) { return u("Sqrt"); })
      .Case([&](ExpOp) { return u("Exp"); })
      .Case([&](LogOp) { return u("Log"); })
      .Case([&](ErfOp) { return u("Erf"); })
      .Case([&](TanhOp) { return u("Tanh"); })
      .Case([&](SigmoidOp) { return u("Sigmoid"); })
      .Case([&](ReluOp) { return u("Relu"); })
      .Case([&](NegOp) { return u("Neg"); })
      .Case([&](AbsOp) { return u("Abs"); })
      .Case([&](ReciprocalOp) { return u("Reciprocal"); })
      .Case([&](SinOp) { return u("Sin"); })
      .Case([&](CosOp) { return u("Cos"); })
      .Case([&](NotOp) { return u("Not"); })
      .Case([&](SiluOp) { return u("Silu"); })
      .Case([&](GeluOp g) {
        StringRef a = g.getApproximate();
        return u(a == "tanh" ? "GeluTanh" : a == "sigmoid" ? "GeluSigmoid" : "GeluErf");
      })
      .Case([&](HardSigmoidOp h) {
        return u("HardSigmoid", floatLiteral(attrValue(h.getAlpha())), floatLiteral(attrValue(h.getBeta())));
      })
      .Case([&](LeakyReluOp l) { return u("LeakyRelu", floatLiteral(attrValue(l.getAlpha()))); })
      .Case([&](ClipOp c) {
        double lo = attrValue(c.getMin()), hi = attrValue(c.getMax());
        if (isa<FloatType>(e.computeType(c.getResult())))
          return u("Clip", floatLiteral(std::max(lo, -3.4e38)), floatLiteral(std::min(hi, 3.4e38)));
        return u("Clip", doubleLiteral(lo), doubleLiteral(hi));
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// A mote.fused "elementwise" region: its body as one program over the region's inputs.
LogicalResult fusedElementwise(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  SmallVector<Value> inputs(block.getArguments().begin(), block.getArguments().end());
  SmallVector<std::string> programPtrs;
  FailureOr<std::string> program = fusedProgram(e, inputs, in, block.without_terminator(), programPtrs);
  if (failed(program))
    return failure();
  bool f16 = StringRef(k.kernel).ends_with("_f16");
  StringRef type = f16 ? "__fp16" : "float";
  e.body() << "  {\n    const FusedProgram p = " << *program << ";\n"
           << "    const " << type << " *const in[] = {" << commaList(programPtrs) << "};\n"
           << "    " << type << " *const out[] = {" << commaList(out) << "};\n"
           << "    fusedElementwise" << (f16 ? "F16" : "F32") << "(p, " << elementCount(fused.getResult(0))
           << ", in, out);\n  }\n";
  return success();
}

} // namespace

std::string commaList(Pointers ptrs) {
  std::string text;
  for (auto [i, p] : llvm::enumerate(ptrs))
    text += (i ? ", " : "") + p;
  return text;
}

std::string offsetPointer(const std::string &p, int64_t offset) {
  return offset ? "(" + p + " + " + std::to_string(offset) + ")" : p;
}

std::optional<std::string> regionInputPointer(Value v, Pointers in, int64_t offset) {
  auto arg = dyn_cast<BlockArgument>(v);
  if (!arg)
    return std::nullopt;
  return offsetPointer(in[arg.getArgNumber()], offset);
}

FailureOr<std::string> fusedProgram(ModelEmitter &e, ArrayRef<Value> inputs, ArrayRef<std::string> ptrs,
                                    llvm::iterator_range<Block::iterator> ops,
                                    SmallVectorImpl<std::string> &programPtrs) {
  llvm::DenseMap<Value, std::string> ptrOf;
  for (auto [v, p] : llvm::zip(inputs, ptrs))
    ptrOf[v] = p;
  llvm::DenseMap<Value, int> reg;
  SmallVector<int64_t> periods, rowStrides;
  auto addInput = [&](Value v, std::string ptr, int64_t period, int64_t rowStride) {
    reg[v] = reg.size();
    programPtrs.push_back(std::move(ptr));
    periods.push_back(period);
    rowStrides.push_back(rowStride);
  };
  // The program's inputs, in the order the ops read them.
  for (Operation &op : ops) {
    if (isa<YieldOp>(op))
      break;
    if (auto slice = dyn_cast<SliceOp>(op)) {
      if (!ptrOf.count(slice.getInput()) || !slice.isLastAxisWindow())
        return op.emitError("neon emitter: a fused slice must take a window of the last axis of a region input");
      int64_t start = slice.getStarts().back();
      addInput(slice.getResult(), offsetPointer(ptrOf.lookup(slice.getInput()), start),
               slice.getLimits().back() - start, shapeOf(slice.getInput()).back());
      continue;
    }
    for (Value v : op.getOperands())
      if (ptrOf.count(v) && !reg.count(v))
        addInput(v, ptrOf.lookup(v), elementCount(v), 0);
  }
  SmallVector<std::string> instrs;
  Operation *yield = nullptr;
  for (Operation &op : ops) {
    if (isa<YieldOp>(op)) {
      yield = &op;
      break;
    }
    if (isa<SliceOp>(op)) // read in place as a program input
      continue;
    std::optional<ElementwiseCode> code = elementwiseCode(e, &op);
    if (!code || op.getNumResults() != 1 || op.getNumOperands() != (code->binary ? 2u : 1u))
      return op.emitError("neon emitter: '") << op.getName() << "' cannot be part of a fused elementwise region";
    for (Value v : op.getOperands())
      if (!reg.count(v))
        return op.emitError("neon emitter: an operand of this op is not an input of its fused program");
    int dst = reg.size();
    reg[op.getResult(0)] = dst;
    int a = reg.lookup(op.getOperand(0)), b = code->binary ? reg.lookup(op.getOperand(1)) : 0;
    instrs.push_back("{" + std::to_string(code->binary) + ", static_cast<int>(" +
                     (code->binary ? "Binary::" : "Unary::") + code->name.str() + "), " + std::to_string(dst) + ", " +
                     std::to_string(a) + ", " + std::to_string(b) + ", " + code->alpha + ", " + code->beta + "}");
  }
  if (!yield)
    yield = ops.begin()->getBlock()->getTerminator();
  SmallVector<std::string> outputRegisters;
  for (Value v : yield->getOperands()) {
    if (!reg.count(v))
      return yield->emitError("neon emitter: a result of this fused region is not computed by its program");
    outputRegisters.push_back(std::to_string(reg.lookup(v)));
  }
  SourceWriter &s = e.source();
  std::string instrTable = s.table("FusedInstr", instrs), outTable = s.table("int", outputRegisters);
  return "{" + std::to_string(periods.size()) + ", " + s.intTable(periods) + ", " + std::to_string(reg.size()) + ", " +
         std::to_string(instrs.size()) + ", " + instrTable + ", " + std::to_string(outputRegisters.size()) + ", " +
         outTable + ", " + s.intTable(rowStrides) + "}";
}

/// A mote.fused "rotary" region (mote-fuse-rotary): the rotary kernel over x as [A0, A1, A2, D] rows, reading
/// x from the region's input with the strides of the head transpose the region holds (if any), and cos and
/// sin with their broadcast strides.
LogicalResult rotaryRegion(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  auto add = cast<YieldOp>(block.getTerminator()).getValues().front().getDefiningOp<AddOp>();
  if (!add)
    return fused.emitError("neon emitter: a rotary region must yield x * cos + rotate_half(x) * sin");
  // The product with rotate_half(x) (a concat) is the sine's; x is what the halves are cut from.
  auto isRotated = [](Value v) { return static_cast<bool>(v.getDefiningOp<ConcatOp>()); };
  MulOp mulSin, mulCos;
  for (Value v : {add.getLhs(), add.getRhs()})
    if (auto m = v.getDefiningOp<MulOp>())
      (isRotated(m.getLhs()) || isRotated(m.getRhs()) ? mulSin : mulCos) = m;
  if (!mulSin || !mulCos)
    return fused.emitError("neon emitter: a rotary region must yield x * cos + rotate_half(x) * sin");
  Value sin = isRotated(mulSin.getLhs()) ? mulSin.getRhs() : mulSin.getLhs();
  Value rot = isRotated(mulSin.getLhs()) ? mulSin.getLhs() : mulSin.getRhs();
  Operation *half = rot.getDefiningOp<ConcatOp>().getInputs()[1].getDefiningOp();
  if (!half || half->getNumOperands() < 1)
    return fused.emitError("neon emitter: a rotary region's halves must be slices or a split of x");
  Value x = half->getOperand(0);
  Value cos = mulCos.getLhs() == x ? mulCos.getRhs() : mulCos.getLhs();
  Shape xs = shapeOf(x);
  if (xs.size() < 2 || xs.size() > 4)
    return fused.emitError("neon emitter: a rotary region's x must have rank 2 to 4");
  // [A0, A1, A2, D] with leading 1s; strides over A0..A2 (d contiguous).
  const size_t pad = 4 - xs.size();
  Shape rows(pad, 1);
  rows.append(xs.begin(), xs.end());
  auto leading = [&](Shape strides) {
    Shape padded(pad, 0);
    padded.append(strides.begin(), strides.end());
    return Shape{padded[0], padded[1], padded[2]};
  };
  Value source = x;
  Shape xStrides = leading(contiguousStrides(xs));
  if (auto t = x.getDefiningOp<TransposeOp>()) { // [B, S, H, D] read as [B, H, S, D]
    source = t.getInput();
    Shape in = contiguousStrides(shapeOf(source));
    xStrides = {in[0], in[2], in[1]};
  }
  std::optional<std::string> xp = regionInputPointer(source, in), cp = regionInputPointer(cos, in),
                             sp = regionInputPointer(sin, in);
  if (!xp || !cp || !sp)
    return fused.emitError("neon emitter: a rotary region's x (or its transpose's input), cos and sin must be its inputs");
  Shape layout = xStrides;
  for (Value table : {cos, sin})
    llvm::append_range(layout, leading(broadcastStrides(shapeOf(table), xs)));
  llvm::append_range(layout, leading(contiguousStrides(xs)));
  bool f16 = StringRef(k.kernel).ends_with("_f16");
  e.body() << "  " << (f16 ? "rotaryF16" : "rotary") << "(" << rows[0] << ", " << rows[1] << ", " << rows[2] << ", "
           << rows[3] << ", " << *xp << ", " << *cp << ", " << *sp << ", " << out[0] << ", "
           << e.source().intTable(layout) << ");\n";
  return success();
}

std::optional<LogicalResult> emitElementwise(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                             Pointers out) {
  if (auto fused = dyn_cast<FusedOp>(op); fused && fused.getKind() == "elementwise")
    return fusedElementwise(e, fused, k, in, out);
  if (auto fused = dyn_cast<FusedOp>(op); fused && fused.getKind() == "rotary")
    return rotaryRegion(e, fused, k, in, out);
  if (std::optional<ElementwiseCode> code = elementwiseCode(e, op)) {
    if (code->binary)
      return binary(e, op, k, code->name, in, out);
    return unary(e, op, k, code->name, in, out, code->alpha, code->beta);
  }
  auto compareOf = [&](StringRef kind) { return compare(e, op, kind, in, out); };
  using Result = std::optional<LogicalResult>;
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](EqualOp) { return compareOf("Equal"); })
      .Case([&](LessOp) { return compareOf("Less"); })
      .Case([&](GreaterOp) { return compareOf("Greater"); })
      .Case([&](LessOrEqualOp) { return compareOf("LessEqual"); })
      .Case([&](GreaterOrEqualOp) { return compareOf("GreaterEqual"); })
      .Case([&](AndOp) { return compareOf("And"); })
      .Case([&](OrOp) { return compareOf("Or"); })
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
