// The NEON emitter: a legal-phase function -> model.h, model.cpp and model.weights. Simple first: every op is
// one call of a portable kernel in runtime/neon/Ops.h with constant shapes and strides.
#include "targets/neon/Emitter.h"

#include "codegen/PlanFunction.h"
#include "codegen/WeightsWriter.h"
#include "targets/TargetDescription.h"
#include "ir/MoteDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

using namespace mlir;

namespace mote {
namespace neon {

namespace {

using Shape = SmallVector<int64_t>;

Shape shapeOf(Value v) { return Shape(cast<RankedTensorType>(v.getType()).getShape()); }
Type elemOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }
int64_t product(ArrayRef<int64_t> s) {
  int64_t p = 1;
  for (int64_t d : s)
    p *= d;
  return p;
}
Shape contiguous(ArrayRef<int64_t> shape) {
  Shape s(shape.size());
  int64_t acc = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}
/// Strides reading an operand of `shape` broadcast (numpy, right-aligned) to `out`.
Shape broadcastStrides(ArrayRef<int64_t> shape, ArrayRef<int64_t> out) {
  Shape own = contiguous(shape), s(out.size(), 0);
  int64_t lead = static_cast<int64_t>(out.size()) - static_cast<int64_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    if (!(shape[d] == 1 && out[lead + d] != 1))
      s[lead + d] = own[d];
  return s;
}

std::string cTypeOf(Type t) {
  if (t.isF32())
    return "float";
  if (t.isInteger(64))
    return "int64_t";
  if (t.isInteger(32))
    return "int32_t";
  if (t.isInteger(1) || t.isInteger(8))
    return "uint8_t";
  return "";
}
std::string dType(Type t) {
  if (t.isF32())
    return "DType::F32";
  if (t.isInteger(64))
    return "DType::I64";
  if (t.isInteger(32))
    return "DType::I32";
  return "DType::Bool";
}
/// An axis attribute (stored as uint64_t by I64Attr getters) in [0, rank).
int64_t normAxis(uint64_t axis, int64_t rank) {
  int64_t a = static_cast<int64_t>(axis);
  return a < 0 ? a + rank : a;
}
int64_t normAxis(uint64_t axis, size_t rank) { return normAxis(axis, static_cast<int64_t>(rank)); }

int64_t elemBytesOf(Type t) {
  if (t.isInteger(1))
    return 1;
  return std::max<int64_t>(1, t.getIntOrFloatBitWidth() / 8);
}

/// A C++ float literal that reads back exactly.
std::string flt(double v) {
  if (std::isnan(v))
    return "std::numeric_limits<float>::quiet_NaN()";
  if (std::isinf(v))
    return v > 0 ? "std::numeric_limits<float>::infinity()" : "-std::numeric_limits<float>::infinity()";
  char buf[64];
  snprintf(buf, sizeof buf, "%.9g", v);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s + "f";
}
std::string dbl(double v) {
  if (std::isinf(v))
    return v > 0 ? "HUGE_VAL" : "-HUGE_VAL";
  char buf[64];
  snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

class Emitter {
public:
  Emitter(func::FuncOp func, const FunctionMemoryPlan &plan, bool f16) : func(func), plan(plan), f16(f16) {}

  LogicalResult emit(StringRef dir);
  /// "// mote.conv (node name)" above the op's kernel call in model.cpp.
  void commentOp(Operation *op) {
    body << "  // " << op->getName().getStringRef();
    if (auto name = dyn_cast<NameLoc>(op->getLoc()))
      body << " (" << name.getName().getValue() << ")";
    body << "\n";
  }

private:
  // Element C type and bytes in the arena and weights: f32 is stored as __fp16 with f16 precision,
  // except while an op computes on f32 copies of its operands (`converting`).
  std::string cType(Type t) const {
    if (f16 && !converting && t.isF32())
      return "__fp16";
    return cTypeOf(t);
  }
  int64_t elemBytes(Type t) const {
    if (f16 && !converting && t.isF32())
      return 2;
    return elemBytesOf(t);
  }

  // A file-scope constant array; returns its name.
  std::string ints(ArrayRef<int64_t> values) {
    std::string name = "kI" + std::to_string(arrays++);
    decls << "static const int64_t " << name << "[] = {";
    if (values.empty())
      decls << "0";
    for (auto [i, v] : llvm::enumerate(values))
      decls << (i ? ", " : "") << v;
    decls << "};\n";
    return name;
  }
  std::string floats(ArrayRef<float> values) {
    std::string name = "kF" + std::to_string(arrays++);
    decls << "static const float " << name << "[] = {";
    if (values.empty())
      decls << "0";
    for (auto [i, v] : llvm::enumerate(values))
      decls << (i ? ", " : "") << flt(v);
    decls << "};\n";
    return name;
  }

  // The C++ expression of `v`'s data, typed (T *) or (const T *) for constants.
  FailureOr<std::string> ptr(Value v) {
    if (auto it = scratchOf.find(v); it != scratchOf.end())
      return it->second;
    std::string t = cType(elemOf(v));
    if (t.empty())
      return emitErrorAt(v, "element type not supported by the neon emitter");
    if (auto it = constants.find(v); it != constants.end())
      return "static_cast<const " + t + " *>(c[" + std::to_string(it->second) + "])";
    int64_t off = plan.offsetOf(v);
    if (off < 0) {
      if (auto reshape = v.getDefiningOp<ReshapeOp>())
        return ptr(reshape.getInput());
      return emitErrorAt(v, "value has no arena offset");
    }
    return "A(" + t + ", " + std::to_string(off) + ")";
  }

  LogicalResult emitErrorAt(Value v, const Twine &message) {
    if (Operation *op = v.getDefiningOp())
      return op->emitError("neon emitter: ") << message;
    return func.emitError("neon emitter: ") << message;
  }

  LogicalResult emitOp(Operation *op);
  LogicalResult emitOpF16(Operation *op);

  // Weights packed once by mote_model_init into the persistent buffer `P` (kPackedFloats floats) for the
  // conv2d/matmul fast paths of runtime/neon/Ops.h: which kernel an op uses (PackKind), decided the same
  // way as Ops.cpp's fast-path checks.
  enum PackKind { PackNone = 0, PackConvDirect3x3 = 1, PackConvWinograd3x3 = 2, PackConvPointwise = 3, PackMatMul = 4 };
  /// The constant behind `v` (through reshape views), or null.
  Value constantSource(Value v) const {
    while (true) {
      if (constants.count(v) || v.getDefiningOp<ConstantOp>())
        return v;
      auto reshape = v.getDefiningOp<ReshapeOp>();
      if (!reshape || plan.offsetOf(v) >= 0)
        return Value();
      v = reshape.getInput();
    }
  }
  PackKind packKind(Operation *op) const;
  /// matmul with f16 storage: matmulPackedF16 (f16 operands and weights, f32 accumulation).
  LogicalResult emitMatMulF16(MatMulOp m);
  /// 1x1 convolution with f16 storage: conv1x1PackedF16.
  LogicalResult emitConv1x1F16(ConvOp c);
  /// Floats of B[K,N] packed into the GEMM's 12-column panels (packedGemmBFloats, runtime/neon/Gemm.cpp).
  static int64_t gemmBFloats(int64_t K, int64_t N) {
    int64_t full = N / 12, rest = N % 12;
    return K * (full * 12 + (rest + 3) / 4 * 4);
  }
  /// Emits the init code packing `weight` (f32 values, or f16 storage) with `call`, which receives the
  /// source pointer expression and the destination; returns the destination expression.
  FailureOr<std::string> emitPack(Value weight, int64_t floats,
                                  llvm::function_ref<void(const std::string &, const std::string &)> call);
  std::string initStr;
  llvm::raw_string_ostream init{initStr};
  int64_t packedFloats = 0;
  LogicalResult emitBinary(Operation *op, StringRef kind);
  LogicalResult emitCompare(Operation *op, StringRef kind);
  LogicalResult emitUnary(Operation *op, StringRef kind, std::string alpha = "0", std::string beta = "0");
  LogicalResult emitCopy(ArrayRef<int64_t> shape, int64_t bytes, const std::string &in, int64_t inOffset,
                         ArrayRef<int64_t> inStrides, const std::string &out, int64_t outOffset,
                         ArrayRef<int64_t> outStrides);

  func::FuncOp func;
  const FunctionMemoryPlan &plan;
  WeightsWriter weights;
  llvm::DenseMap<Value, unsigned> constants;
  SmallVector<uint64_t> sectionBytes;
  std::string declsStr, bodyStr;
  llvm::raw_string_ostream decls{declsStr}, body{bodyStr};
  unsigned arrays = 0;
  // f16 storage: f32 values of the op being emitted -> their f32 copy in the scratch buffer `S`.
  bool f16 = false, converting = false;
  llvm::DenseMap<Value, std::string> scratchOf;
  int64_t scratchFloats = 0;
};

/// With f16 storage, ops that only move bytes (views, copies, gathers, selects) work on the __fp16 data
/// directly; every other op reads f32 copies of its f32 operands, computes in f32 with the f32 kernels
/// (norms, softmax, attention and reductions accumulate in f32) and its f32 results are stored back as f16.
Emitter::PackKind Emitter::packKind(Operation *op) const {
  if (auto m = dyn_cast<MatMulOp>(op)) {
    if (!elemOf(m.getRhs()).isF32() || !elemOf(m.getLhs()).isF32() || !constantSource(m.getRhs()))
      return PackNone;
    Shape r = shapeOf(m.getRhs());
    for (size_t d = 0; d + 2 < r.size(); ++d)
      if (r[d] != 1)
        return PackNone;
    return PackMatMul;
  }
  auto c = dyn_cast<ConvOp>(op);
  if (!c || !elemOf(c.getWeight()).isF32() || !constantSource(c.getWeight()))
    return PackNone;
  Shape i = shapeOf(c.getInput()), o = shapeOf(c.getResult()), w = shapeOf(c.getWeight());
  size_t spatial = i.size() - 2;
  if (!c.getChannelsLast() || c.getGroup() != 1 || (spatial != 1 && spatial != 2))
    return PackNone;
  auto sp = [&](const Shape &s, size_t k) { return s[1 + k]; };
  int64_t Cin = i.back(), Cout = o.back();
  int64_t H = spatial == 2 ? sp(i, 0) : 1, W = sp(i, spatial - 1);
  int64_t OH = spatial == 2 ? sp(o, 0) : 1, OW = sp(o, spatial - 1);
  int64_t KH = spatial == 2 ? w[2] : 1, KW = w.back();
  ArrayRef<int64_t> st = c.getStrides(), pd = c.getPads(), dl = c.getDilations();
  int64_t sH = spatial == 2 ? st[0] : 1, sW = st.back(), pT = spatial == 2 ? pd[0] : 0,
          pL = spatial == 2 ? pd[1] : pd[0], dH = spatial == 2 ? dl[0] : 1, dW = dl.back();
  if (sH != 1 || sW != 1 || dH != 1 || dW != 1 || OH != H || OW != W)
    return PackNone;
  if (KH == 3 && KW == 3 && pT == 1 && pL == 1) {
    // Winograd F(4x4, 3x3) where it wins: winogradF43Profitable (runtime/neon/Winograd.cpp), tightened by
    // the measured figures (instructions per run under qemu, scripts/bench_models.sh): at least 32 input
    // and output channels to amortize the transforms, and images of at least 16x16 (smaller ones gained
    // little or lost, and their transformed weights cost 4x the memory and packing time).
    if (Cin >= 32 && Cout >= 32 && H >= 16 && W >= 16) {
      double tiles = static_cast<double>((H + 3) / 4) * static_cast<double>((W + 3) / 4);
      if (36.0 * tiles < 0.5 * 9.0 * static_cast<double>(H * W))
        return PackConvWinograd3x3;
    }
    return PackConvDirect3x3;
  }
  if (KH == 1 && KW == 1 && pT == 0 && pL == 0)
    return PackConvPointwise;
  return PackNone;
}

FailureOr<std::string> Emitter::emitPack(Value weight, int64_t floats,
                                         llvm::function_ref<void(const std::string &, const std::string &)> call) {
  Value src = constantSource(weight);
  auto it = constants.find(src);
  if (it == constants.end())
    return emitErrorAt(weight, "packed weight is not a constant");
  std::string dst = "(P + " + std::to_string(packedFloats) + ")";
  packedFloats += (floats + 15) / 16 * 16;
  std::string section = "c[" + std::to_string(it->second) + "]";
  int64_t n = product(shapeOf(src));
  if (f16) {
    init << "  {\n    std::vector<float> t(" << std::max<int64_t>(n, 1) << ");\n    f16ToF32(" << n << ", " << section
         << ", t.data());\n  ";
    call("t.data()", dst);
    init << "  }\n";
  } else {
    call("static_cast<const float *>(" + section + ")", dst);
  }
  return dst;
}

LogicalResult Emitter::emitConv1x1F16(ConvOp c) {
  Shape i = shapeOf(c.getInput()), o = shapeOf(c.getResult());
  int64_t C = i.back(), M = o.back();
  int64_t H = i.size() == 4 ? i[1] : 1, W = i[i.size() - 2];
  auto a = ptr(c.getInput()), out = ptr(c.getResult());
  if (failed(a) || failed(out))
    return failure();
  std::string bias = "nullptr";
  if (c.getBias()) {
    auto b = ptr(c.getBias());
    if (failed(b))
      return failure();
    bias = *b;
  }
  commentOp(c);
  auto dst = emitPack(c.getWeight(), (gemmBFloats(C, M) + 1) / 2, [&](const std::string &src, const std::string &d) {
    init << "  packConv1x1WeightsF16(" << C << ", " << M << ", " << src << ", " << d << ");\n";
  });
  if (failed(dst))
    return failure();
  body << "  { Conv2DParams p{" << i[0] << ", " << C << ", " << H << ", " << W << ", " << M << ", " << H << ", " << W
       << ", 1, 1, 1, 1, 0, 0, 1, 1, 1};\n    conv1x1PackedF16(p, " << *a << ", " << *dst << ", " << bias << ", "
       << *out << "); }\n";
  return success();
}

LogicalResult Emitter::emitMatMulF16(MatMulOp m) {
  Shape l = shapeOf(m.getLhs()), r = shapeOf(m.getRhs());
  if (l.size() == 1)
    l.insert(l.begin(), 1);
  if (r.size() == 1)
    r.push_back(1);
  int64_t M = l[l.size() - 2], K = l.back(), N = r.back();
  Shape lb(l.begin(), l.end() - 2);
  Shape batch = lb;
  Shape as = contiguous(lb);
  for (auto &s : as)
    s *= M * K;
  auto a = ptr(m.getLhs()), o = ptr(m.getResult());
  if (failed(a) || failed(o))
    return failure();
  commentOp(m);
  auto dst = emitPack(m.getRhs(), (gemmBFloats(K, N) + 1) / 2, [&](const std::string &src, const std::string &d) {
    init << "  packMatmulBF16(" << K << ", " << N << ", " << src << ", " << d << ");\n";
  });
  if (failed(dst))
    return failure();
  body << "  matmulPackedF16(" << batch.size() << ", " << ints(batch) << ", " << *a << ", " << ints(as) << ", "
       << *dst << ", " << M << ", " << N << ", " << K << ", " << *o << ");\n";
  return success();
}

LogicalResult Emitter::emitOpF16(Operation *op) {
  if (!f16 || isa<ConstantOp, ReshapeOp, TransposeOp, SliceOp, ConcatOp, SplitOp, ExpandOp, WhereOp, GatherOp,
                  TriluOp>(op))
    return emitOp(op);
  int64_t at = 0;
  auto take = [&](Value v) {
    std::string p = "(S + " + std::to_string(at) + ")";
    at += (product(shapeOf(v)) + 15) / 16 * 16;
    return p;
  };
  llvm::DenseMap<Value, std::string> copies;
  SmallVector<std::pair<std::string, std::string>> stores; // scratch -> arena
  SmallVector<int64_t> storeCounts;
  if (auto m = dyn_cast<MatMulOp>(op); m && packKind(op) == PackMatMul && elemOf(m.getResult()).isF32())
    return emitMatMulF16(m); // on the f16 data, weights packed in f16
  if (auto c = dyn_cast<ConvOp>(op); c && packKind(op) == PackConvPointwise && elemOf(c.getResult()).isF32() &&
                                     elemOf(c.getInput()).isF32() && (!c.getBias() || elemOf(c.getBias()).isF32()))
    return emitConv1x1F16(c);
  const bool packed = packKind(op) != PackNone; // its weight (operand 1) comes packed from mote_model_init
  for (auto [k, v] : llvm::enumerate(op->getOperands())) {
    if (!elemOf(v).isF32() || copies.count(v) || (packed && k == 1))
      continue;
    auto p = ptr(v);
    if (failed(p))
      return failure();
    std::string s = take(v);
    body << "  f16ToF32(" << product(shapeOf(v)) << ", " << *p << ", " << s << ");\n";
    copies[v] = s;
  }
  for (Value v : op->getResults()) {
    if (!elemOf(v).isF32())
      continue;
    auto p = ptr(v);
    if (failed(p))
      return failure();
    std::string s = take(v);
    copies[v] = s;
    stores.push_back({s, *p});
    storeCounts.push_back(product(shapeOf(v)));
  }
  scratchFloats = std::max(scratchFloats, at);
  scratchOf = std::move(copies);
  converting = true;
  LogicalResult result = emitOp(op);
  converting = false;
  scratchOf.clear();
  if (failed(result))
    return failure();
  for (auto [k, st] : llvm::enumerate(stores))
    body << "  f32ToF16(" << storeCounts[k] << ", " << st.first << ", " << st.second << ");\n";
  return success();
}

LogicalResult Emitter::emitCopy(ArrayRef<int64_t> shape, int64_t bytes, const std::string &in, int64_t inOffset,
                                ArrayRef<int64_t> inStrides, const std::string &out, int64_t outOffset,
                                ArrayRef<int64_t> outStrides) {
  body << "  copyStrided(" << bytes << ", " << shape.size() << ", " << ints(shape) << ", " << in << " + ("
       << inOffset << "), " << ints(inStrides) << ", " << out << " + (" << outOffset << "), " << ints(outStrides)
       << ");\n";
  return success();
}

LogicalResult Emitter::emitBinary(Operation *op, StringRef kind) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1), res = op->getResult(0);
  Type t = elemOf(res);
  const char *fn = t.isF32() ? "binaryF32" : t.isInteger(64) ? "binaryI64" : nullptr;
  if (!fn)
    return op->emitError("neon emitter: ") << kind << " on " << t << " is not supported";
  auto a = ptr(lhs), b = ptr(rhs), o = ptr(res);
  if (failed(a) || failed(b) || failed(o))
    return failure();
  Shape out = shapeOf(res);
  body << "  " << fn << "(Binary::" << kind << ", " << out.size() << ", " << ints(out) << ", " << *a << ", "
       << ints(broadcastStrides(shapeOf(lhs), out)) << ", " << *b << ", " << ints(broadcastStrides(shapeOf(rhs), out))
       << ", " << *o << ");\n";
  return success();
}

LogicalResult Emitter::emitCompare(Operation *op, StringRef kind) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1), res = op->getResult(0);
  auto a = ptr(lhs), b = ptr(rhs), o = ptr(res);
  if (failed(a) || failed(b) || failed(o))
    return failure();
  Shape out = shapeOf(res);
  body << "  compare(Compare::" << kind << ", " << dType(elemOf(lhs)) << ", " << out.size() << ", " << ints(out)
       << ", " << *a << ", " << ints(broadcastStrides(shapeOf(lhs), out)) << ", " << *b << ", "
       << ints(broadcastStrides(shapeOf(rhs), out)) << ", " << *o << ");\n";
  return success();
}

LogicalResult Emitter::emitUnary(Operation *op, StringRef kind, std::string alpha, std::string beta) {
  Value in = op->getOperand(0), res = op->getResult(0);
  Type t = elemOf(res);
  auto a = ptr(in), o = ptr(res);
  if (failed(a) || failed(o))
    return failure();
  int64_t n = product(shapeOf(res));
  if (t.isF32())
    body << "  unaryF32(Unary::" << kind << ", " << n << ", " << *a << ", " << *o << ", " << alpha << ", " << beta
         << ");\n";
  else if (t.isInteger(64))
    body << "  unaryI64(Unary::" << kind << ", " << n << ", " << *a << ", " << *o << ", " << alpha << ", " << beta
         << ");\n";
  else if (t.isInteger(1))
    body << "  unaryBool(Unary::" << kind << ", " << n << ", " << *a << ", " << *o << ");\n";
  else
    return op->emitError("neon emitter: ") << kind << " on " << t << " is not supported";
  return success();
}

LogicalResult Emitter::emitOp(Operation *op) {
  // Element-typed pointers of every operand and result, checked once.
  SmallVector<std::string> in, out;
  for (Value v : op->getOperands()) {
    if (isa<ConstantOp>(op))
      break;
    auto p = ptr(v);
    if (failed(p))
      return failure();
    in.push_back(*p);
  }
  if (!isa<ConstantOp, ReshapeOp>(op))
    for (Value v : op->getResults()) {
      auto p = ptr(v);
      if (failed(p))
        return failure();
      out.push_back(*p);
    }
  if (!isa<ConstantOp, ReshapeOp>(op)) {
    commentOp(op);
  }

  auto attrF = [](APFloat f) { return flt(f.convertToDouble()); };
  auto attrFloat = [](APFloat f) {
    bool lost;
    f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
    return f.convertToDouble();
  };
  (void)attrF;

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](ConstantOp c) -> LogicalResult {
        unsigned index = constants.size();
        Type ct = elemOf(c.getResult());
        if (f16 && ct.isF32()) { // stored as IEEE half
          ElementsAttr value = c.getValue();
          int64_t n = product(shapeOf(c.getResult()));
          std::vector<float> values;
          if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
            AsmResourceBlob *blob = resource.getRawHandle().getBlob();
            if (!blob || blob->getData().size() != static_cast<size_t>(n) * 4)
              return c.emitError("neon emitter: constant resource without f32 data");
            values.resize(n);
            std::memcpy(values.data(), blob->getData().data(), n * 4);
          } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
            values.reserve(n);
            for (float f : dense.getValues<float>())
              values.push_back(f);
          } else {
            return c.emitError("neon emitter: only dense and dense-resource constants can be written");
          }
          std::vector<char> bytes(static_cast<size_t>(n) * 2);
          for (int64_t k = 0; k < n; ++k) {
            float f = std::min(std::max(values[k], -65504.0f), 65504.0f);
            if (std::isnan(values[k]))
              f = values[k];
            APFloat h(f);
            bool lost;
            h.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
            uint16_t bits = static_cast<uint16_t>(h.bitcastToAPInt().getZExtValue());
            std::memcpy(&bytes[k * 2], &bits, 2);
          }
          constants[c.getResult()] =
              weights.addOwnedSection("c" + std::to_string(index), std::move(bytes), mote::weights::ElementType::F16);
          sectionBytes.push_back(static_cast<uint64_t>(n * 2));
          return success();
        }
        auto added = weights.addConstant("c" + std::to_string(index), c.getValue());
        if (!added)
          return c.emitError("neon emitter: ") << llvm::toString(added.takeError());
        constants[c.getResult()] = *added;
        Type t = elemOf(c.getResult());
        if (cType(t).empty())
          return c.emitError("neon emitter: constant of type ") << t << " not supported";
        sectionBytes.push_back(static_cast<uint64_t>(product(shapeOf(c.getResult())) * elemBytes(t)));
        return success();
      })
      .Case([&](ReshapeOp r) -> LogicalResult {
        int64_t from = plan.offsetOf(r.getInput()), to = plan.offsetOf(r.getResult());
        if (to >= 0 && from != to) { // not a view (e.g. of a constant): copy
          auto o = ptr(r.getResult());
          if (failed(o))
            return failure();
          body << "  std::memmove(" << *o << ", " << in[0] << ", "
               << product(shapeOf(r.getResult())) * elemBytes(elemOf(r.getResult())) << ");\n";
        }
        return success();
      })
      .Case([&](AddOp) { return emitBinary(op, "Add"); })
      .Case([&](SubOp) { return emitBinary(op, "Sub"); })
      .Case([&](MulOp) { return emitBinary(op, "Mul"); })
      .Case([&](DivOp) { return emitBinary(op, "Div"); })
      .Case([&](PowOp) { return emitBinary(op, "Pow"); })
      .Case([&](MinOp) { return emitBinary(op, "Min"); })
      .Case([&](MaxOp) { return emitBinary(op, "Max"); })
      .Case([&](EqualOp) { return emitCompare(op, "Equal"); })
      .Case([&](LessOp) { return emitCompare(op, "Less"); })
      .Case([&](GreaterOp) { return emitCompare(op, "Greater"); })
      .Case([&](LessOrEqualOp) { return emitCompare(op, "LessEqual"); })
      .Case([&](GreaterOrEqualOp) { return emitCompare(op, "GreaterEqual"); })
      .Case([&](AndOp) { return emitCompare(op, "And"); })
      .Case([&](OrOp) { return emitCompare(op, "Or"); })
      .Case([&](SqrtOp) { return emitUnary(op, "Sqrt"); })
      .Case([&](ExpOp) { return emitUnary(op, "Exp"); })
      .Case([&](LogOp) { return emitUnary(op, "Log"); })
      .Case([&](ErfOp) { return emitUnary(op, "Erf"); })
      .Case([&](TanhOp) { return emitUnary(op, "Tanh"); })
      .Case([&](SigmoidOp) { return emitUnary(op, "Sigmoid"); })
      .Case([&](ReluOp) { return emitUnary(op, "Relu"); })
      .Case([&](NegOp) { return emitUnary(op, "Neg"); })
      .Case([&](AbsOp) { return emitUnary(op, "Abs"); })
      .Case([&](ReciprocalOp) { return emitUnary(op, "Reciprocal"); })
      .Case([&](SinOp) { return emitUnary(op, "Sin"); })
      .Case([&](CosOp) { return emitUnary(op, "Cos"); })
      .Case([&](NotOp) { return emitUnary(op, "Not"); })
      .Case([&](SiluOp) { return emitUnary(op, "Silu"); })
      .Case([&](GeluOp g) -> LogicalResult {
        StringRef a = g.getApproximate();
        return emitUnary(op, a == "tanh" ? "GeluTanh" : a == "sigmoid" ? "GeluSigmoid" : "GeluErf");
      })
      .Case([&](HardSigmoidOp h) {
        return emitUnary(op, "HardSigmoid", flt(attrFloat(h.getAlpha())), flt(attrFloat(h.getBeta())));
      })
      .Case([&](LeakyReluOp l) { return emitUnary(op, "LeakyRelu", flt(attrFloat(l.getAlpha()))); })
      .Case([&](ClipOp c) -> LogicalResult {
        double lo = attrFloat(c.getMin()), hi = attrFloat(c.getMax());
        if (elemOf(c.getResult()).isF32())
          return emitUnary(op, "Clip", flt(std::max(lo, -3.4e38)), flt(std::min(hi, 3.4e38)));
        return emitUnary(op, "Clip", dbl(lo), dbl(hi));
      })
      .Case([&](CastOp c) -> LogicalResult {
        Type from = elemOf(c.getInput()), to = elemOf(c.getResult());
        body << "  cast(" << product(shapeOf(c.getResult())) << ", " << dType(from) << ", " << in[0] << ", "
             << dType(to) << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](WhereOp w) -> LogicalResult {
        Shape o = shapeOf(w.getResult());
        body << "  where(" << elemBytes(elemOf(w.getResult())) << ", " << o.size() << ", " << ints(o) << ", " << in[0]
             << ", " << ints(broadcastStrides(shapeOf(w.getCondition()), o)) << ", " << in[1] << ", "
             << ints(broadcastStrides(shapeOf(w.getX()), o)) << ", " << in[2] << ", "
             << ints(broadcastStrides(shapeOf(w.getY()), o)) << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](TransposeOp t) -> LogicalResult {
        Shape inS = contiguous(shapeOf(t.getInput())), o = shapeOf(t.getResult()), perm;
        for (int64_t p : t.getPerm())
          perm.push_back(inS[p]);
        return emitCopy(o, elemBytes(elemOf(t.getResult())), in[0], 0, perm, out[0], 0, contiguous(o));
      })
      .Case([&](SliceOp s) -> LogicalResult {
        Shape inS = contiguous(shapeOf(s.getInput())), o = shapeOf(s.getResult()), strides;
        int64_t off = 0;
        for (size_t d = 0; d < inS.size(); ++d) {
          off += s.getStarts()[d] * inS[d];
          strides.push_back(s.getSteps()[d] * inS[d]);
        }
        return emitCopy(o, elemBytes(elemOf(s.getResult())), in[0], off, strides, out[0], 0, contiguous(o));
      })
      .Case([&](ConcatOp c) -> LogicalResult {
        Shape o = shapeOf(c.getResult()), os = contiguous(o);
        int64_t axis = normAxis(c.getAxis(), o.size());
        int64_t at = 0;
        for (auto [k, v] : llvm::enumerate(c.getInputs())) {
          Shape s = shapeOf(v);
          if (failed(emitCopy(s, elemBytes(elemOf(v)), in[k], 0, contiguous(s), out[0], at * os[axis], os)))
            return failure();
          at += s[axis];
        }
        return success();
      })
      .Case([&](SplitOp s) -> LogicalResult {
        Shape i = shapeOf(s.getInput()), is = contiguous(i);
        int64_t axis = normAxis(s.getAxis(), i.size());
        int64_t at = 0;
        for (auto [k, v] : llvm::enumerate(s.getResults())) {
          Shape r = shapeOf(v);
          if (failed(emitCopy(r, elemBytes(elemOf(v)), in[0], at * is[axis], is, out[k], 0, contiguous(r))))
            return failure();
          at += r[axis];
        }
        return success();
      })
      .Case([&](ExpandOp e) -> LogicalResult {
        Shape o = shapeOf(e.getResult());
        return emitCopy(o, elemBytes(elemOf(e.getResult())), in[0], 0, broadcastStrides(shapeOf(e.getInput()), o),
                        out[0], 0, contiguous(o));
      })
      .Case([&](MatMulOp m) -> LogicalResult {
        Shape l = shapeOf(m.getLhs()), r = shapeOf(m.getRhs());
        if (l.size() == 1)
          l.insert(l.begin(), 1);
        if (r.size() == 1)
          r.push_back(1);
        int64_t M = l[l.size() - 2], K = l.back(), N = r.back();
        Shape lb(l.begin(), l.end() - 2), rb(r.begin(), r.end() - 2);
        Shape batch(std::max(lb.size(), rb.size()), 1);
        for (size_t d = 0; d < batch.size(); ++d) {
          int64_t li = static_cast<int64_t>(d) - static_cast<int64_t>(batch.size() - lb.size());
          int64_t ri = static_cast<int64_t>(d) - static_cast<int64_t>(batch.size() - rb.size());
          int64_t a = li >= 0 ? lb[li] : 1, b = ri >= 0 ? rb[ri] : 1;
          batch[d] = a == 1 ? b : a;
        }
        Shape as = broadcastStrides(lb, batch), bs = broadcastStrides(rb, batch);
        for (auto &s : as)
          s *= M * K;
        for (auto &s : bs)
          s *= K * N;
        if (packKind(m) == PackMatMul) {
          auto dst = emitPack(m.getRhs(), gemmBFloats(K, N), [&](const std::string &src, const std::string &d) {
            init << "  packMatmulB(" << K << ", " << N << ", " << src << ", " << d << ");\n";
          });
          if (failed(dst))
            return failure();
          body << "  matmulPacked(" << batch.size() << ", " << ints(batch) << ", " << in[0] << ", " << ints(as)
               << ", " << *dst << ", " << M << ", " << N << ", " << K << ", " << out[0] << ");\n";
          return success();
        }
        body << "  matmul(" << batch.size() << ", " << ints(batch) << ", " << in[0] << ", " << ints(as) << ", "
             << in[1] << ", " << ints(bs) << ", " << M << ", " << N << ", " << K << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](GemmOp g) -> LogicalResult {
        Shape a = shapeOf(g.getA()), o = shapeOf(g.getResult());
        int64_t M = o[0], N = o[1], K = g.getTransA() ? a[0] : a[1];
        std::string c = "nullptr";
        int64_t rs = 0, cs = 0;
        if (g.getC()) {
          c = in[2];
          Shape st = broadcastStrides(shapeOf(g.getC()), o);
          rs = st[0];
          cs = st[1];
        }
        body << "  gemm(" << M << ", " << N << ", " << K << ", " << in[0] << ", " << (g.getTransA() ? "true" : "false")
             << ", " << in[1] << ", " << (g.getTransB() ? "true" : "false") << ", " << flt(attrFloat(g.getAlpha()))
             << ", " << flt(attrFloat(g.getBeta())) << ", " << c << ", " << rs << ", " << cs << ", " << out[0]
             << ");\n";
        return success();
      })
      .Case([&](ConvOp c) -> LogicalResult {
        Shape i = shapeOf(c.getInput()), o = shapeOf(c.getResult()), w = shapeOf(c.getWeight());
        bool last = c.getChannelsLast();
        size_t spatial = i.size() - 2;
        if (spatial != 1 && spatial != 2)
          return c.emitError("neon emitter: only 1-D and 2-D convolutions are supported");
        auto sp = [&](const Shape &s, size_t k) { return last ? s[1 + k] : s[2 + k]; };
        int64_t C = last ? i.back() : i[1], M = last ? o.back() : o[1];
        int64_t H = spatial == 2 ? sp(i, 0) : 1, W = sp(i, spatial - 1);
        int64_t OH = spatial == 2 ? sp(o, 0) : 1, OW = sp(o, spatial - 1);
        int64_t KH = spatial == 2 ? w[2] : 1, KW = w.back();
        ArrayRef<int64_t> st = c.getStrides(), pd = c.getPads(), dl = c.getDilations();
        int64_t sH = spatial == 2 ? st[0] : 1, sW = st.back(), pT = spatial == 2 ? pd[0] : 0,
                pL = spatial == 2 ? pd[1] : pd[0], dH = spatial == 2 ? dl[0] : 1, dW = dl.back();
        auto strides = [&](int64_t N, int64_t Ch, int64_t h, int64_t wd) -> Shape {
          (void)N;
          if (last)
            return {h * wd * Ch, 1, wd * Ch, Ch};
          return {Ch * h * wd, h * wd, wd, 1};
        };
        if (PackKind kind = packKind(c)) {
          int64_t floats = kind == PackConvPointwise ? gemmBFloats(C, M)
                           : kind == PackConvDirect3x3 ? gemmBFloats(9 * C, M)
                                                       : 36 * gemmBFloats(C, M);
          std::string kernel = kind == PackConvPointwise   ? "ConvKernel::Pointwise"
                               : kind == PackConvDirect3x3 ? "ConvKernel::Direct3x3"
                                                           : "ConvKernel::Winograd3x3";
          auto dst = emitPack(c.getWeight(), floats, [&](const std::string &src, const std::string &d) {
            init << "  packConv2dWeights(" << kernel << ", " << C << ", " << M << ", " << src << ", " << d << ");\n";
          });
          if (failed(dst))
            return failure();
          body << "  { Conv2DParams p{" << i[0] << ", " << C << ", " << H << ", " << W << ", " << M << ", " << OH
               << ", " << OW << ", " << KH << ", " << KW << ", " << sH << ", " << sW << ", " << pT << ", " << pL
               << ", " << dH << ", " << dW << ", " << c.getGroup() << "};\n    conv2dPacked(" << kernel << ", p, "
               << in[0] << ", " << ints(strides(i[0], C, H, W)) << ", " << *dst << ", "
               << (c.getBias() ? in[2] : "nullptr") << ", " << out[0] << ", " << ints(strides(o[0], M, OH, OW))
               << "); }\n";
          return success();
        }
        body << "  { Conv2DParams p{" << i[0] << ", " << C << ", " << H << ", " << W << ", " << M << ", " << OH
             << ", " << OW << ", " << KH << ", " << KW << ", " << sH << ", " << sW << ", " << pT << ", " << pL << ", "
             << dH << ", " << dW << ", " << c.getGroup() << "};\n    conv2d(p, " << in[0] << ", "
             << ints(strides(i[0], C, H, W)) << ", " << in[1] << ", " << (c.getBias() ? in[2] : "nullptr") << ", "
             << out[0] << ", " << ints(strides(o[0], M, OH, OW)) << "); }\n";
        return success();
      })
      .Case([&](GroupNormOp g) -> LogicalResult {
        Shape i = shapeOf(g.getInput());
        bool last = g.getChannelsLast();
        int64_t C = last ? i.back() : i[1];
        int64_t spatial = product(i) / (i[0] * C);
        body << "  groupNorm(" << i[0] << ", " << C << ", " << spatial << ", " << g.getNumGroups() << ", "
             << flt(attrFloat(g.getEpsilon())) << ", " << (last ? "true" : "false") << ", " << in[0] << ", "
             << in[1] << ", " << in[2] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](LayerNormOp l) -> LogicalResult {
        Shape i = shapeOf(l.getInput());
        int64_t axis = normAxis(l.getAxis(), i.size());
        int64_t outer = product(ArrayRef<int64_t>(i).take_front(axis)), inner = product(i) / std::max<int64_t>(outer, 1);
        if (product(shapeOf(l.getScale())) != inner || (l.getBias() && product(shapeOf(l.getBias())) != inner))
          return l.emitError("neon emitter: layer_norm scale/bias must have the normalized size");
        body << "  layerNorm(" << outer << ", " << inner << ", " << flt(attrFloat(l.getEpsilon())) << ", " << in[0]
             << ", " << in[1] << ", " << (l.getBias() ? in[2] : "nullptr") << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](RmsNormOp l) -> LogicalResult {
        Shape i = shapeOf(l.getInput());
        int64_t axis = normAxis(l.getAxis(), i.size());
        int64_t outer = product(ArrayRef<int64_t>(i).take_front(axis)), inner = product(i) / std::max<int64_t>(outer, 1);
        if (product(shapeOf(l.getScale())) != inner)
          return l.emitError("neon emitter: rms_norm scale must have the normalized size");
        body << "  rmsNorm(" << outer << ", " << inner << ", " << flt(attrFloat(l.getEpsilon())) << ", " << in[0]
             << ", " << in[1] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](SoftmaxOp s) -> LogicalResult {
        Shape i = shapeOf(s.getInput());
        int64_t axis = normAxis(s.getAxis(), i.size());
        int64_t outer = product(ArrayRef<int64_t>(i).take_front(axis)), n = i[axis],
                inner = product(ArrayRef<int64_t>(i).drop_front(axis + 1));
        body << "  softmax(" << outer << ", " << n << ", " << inner << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](AttentionOp a) -> LogicalResult {
        Shape q = shapeOf(a.getQuery()), k = shapeOf(a.getKey()), v = shapeOf(a.getValue());
        if (q.size() != 4 || k.size() != 4 || v.size() != 4)
          return a.emitError("neon emitter: attention needs rank-4 [B, H, S, D] operands");
        // The mask's broadcast strides over [B, H, Sq, Sk]; without a mask they are never read.
        std::string mask = a.getMask() ? in[3] : std::string("nullptr");
        std::string ms = a.getMask() ? ints(broadcastStrides(shapeOf(a.getMask()), {q[0], q[1], q[2], k[2]}))
                                     : ints({0, 0, 0, 0});
        body << "  attention(" << q[0] << ", " << q[1] << ", " << k[1] << ", " << q[2] << ", " << k[2] << ", " << q[3]
             << ", " << v[3] << ", " << flt(attrFloat(a.getScale())) << ", " << in[0] << ", " << in[1] << ", "
             << in[2] << ", " << mask << ", " << ms << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](GatherOp g) -> LogicalResult {
        Shape d = shapeOf(g.getData());
        int64_t axis = normAxis(g.getAxis(), d.size());
        int64_t outer = product(ArrayRef<int64_t>(d).take_front(axis)),
                inner = product(ArrayRef<int64_t>(d).drop_front(axis + 1));
        body << "  if (!gather(" << elemBytes(elemOf(g.getData())) << ", " << outer << ", " << d[axis] << ", "
             << inner << ", " << in[0] << ", " << dType(elemOf(g.getIndices())) << ", " << in[1] << ", "
             << product(shapeOf(g.getIndices())) << ", " << out[0] << ")) return 3;\n";
        return success();
      })
      .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp>([&](auto r) -> LogicalResult {
        Shape i = shapeOf(r.getInput());
        int64_t rank = static_cast<int64_t>(i.size());
        SmallVector<bool> reduced(rank, r.getAxes().empty());
        for (int64_t a : r.getAxes())
          reduced[a < 0 ? a + rank : a] = true;
        Shape kept = i;
        int64_t count = 1;
        for (int64_t d = 0; d < rank; ++d)
          if (reduced[d]) {
            kept[d] = 1;
            count *= i[d];
          }
        Shape os = contiguous(kept);
        for (int64_t d = 0; d < rank; ++d)
          if (reduced[d])
            os[d] = 0;
        StringRef kind = isa<ReduceMeanOp>(op) ? "Mean" : isa<ReduceSumOp>(op) ? "Sum" : isa<ReduceMaxOp>(op) ? "Max" : "Min";
        if (!elemOf(r.getInput()).isF32())
          return op->emitError("neon emitter: reductions of non-f32 tensors are not supported");
        body << "  reduceF32(Reduce::" << kind << ", " << rank << ", " << ints(i) << ", " << in[0] << ", " << ints(os)
             << ", " << out[0] << ", " << product(kept) << ", " << count << ");\n";
        return success();
      })
      .Case([&](ArgMaxOp a) -> LogicalResult {
        Shape i = shapeOf(a.getInput());
        int64_t axis = normAxis(a.getAxis(), i.size());
        int64_t outer = product(ArrayRef<int64_t>(i).take_front(axis)),
                inner = product(ArrayRef<int64_t>(i).drop_front(axis + 1));
        body << "  argMax(" << dType(elemOf(a.getInput())) << ", " << outer << ", " << i[axis] << ", " << inner << ", "
             << (a.getSelectLastIndex() ? "true" : "false") << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](TriluOp t) -> LogicalResult {
        Shape i = shapeOf(t.getInput());
        if (i.size() < 2)
          return t.emitError("neon emitter: trilu needs rank >= 2");
        int64_t rows = i[i.size() - 2], cols = i.back();
        body << "  trilu(" << elemBytes(elemOf(t.getInput())) << ", " << product(i) / std::max<int64_t>(1, rows * cols)
             << ", " << rows << ", " << cols << ", " << (t.getUpper() ? "true" : "false") << ", " << static_cast<int64_t>(t.getK()) << ", "
             << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](ResizeOp r) -> LogicalResult {
        Shape i = shapeOf(r.getInput()), o = shapeOf(r.getResult());
        StringRef ctm = r.getCoordinateTransformationMode(), nm = r.getNearestMode();
        bool linear = r.getMode() == "linear";
        SmallVector<int64_t> idx;
        SmallVector<float> wts;
        for (size_t d = 0; d < i.size(); ++d) {
          int64_t inN = i[d], outN = o[d];
          double scale = r.getScales()[d];
          for (int64_t oc = 0; oc < outN; ++oc) {
            double x = static_cast<double>(oc), s;
            if (ctm == "asymmetric")
              s = x / scale;
            else if (ctm == "align_corners")
              s = outN == 1 ? 0.0 : x * static_cast<double>(inN - 1) / static_cast<double>(outN - 1);
            else if (ctm == "pytorch_half_pixel")
              s = outN > 1 ? (x + 0.5) / scale - 0.5 : 0.0;
            else if (ctm == "tf_half_pixel_for_nn")
              s = (x + 0.5) / scale;
            else
              s = (x + 0.5) / scale - 0.5;
            if (!linear) {
              double q;
              if (nm == "floor")
                q = std::floor(s);
              else if (nm == "ceil")
                q = std::ceil(s);
              else if (nm == "round_prefer_ceil")
                q = std::floor(s + 0.5);
              else
                q = s == std::floor(s) + 0.5 ? std::floor(s) : std::round(s);
              int64_t k = std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(q), 0), inN - 1);
              idx.append({k, k});
              wts.append({1.0f, 0.0f});
              continue;
            }
            s = std::min(std::max(s, 0.0), static_cast<double>(inN - 1));
            int64_t lo = static_cast<int64_t>(std::floor(s)), hi = std::min(lo + 1, inN - 1);
            double t = s - static_cast<double>(lo);
            idx.append({lo, hi});
            wts.append({static_cast<float>(1.0 - t), static_cast<float>(t)});
          }
        }
        body << "  resize(" << i.size() << ", " << ints(o) << ", " << ints(contiguous(i)) << ", " << ints(idx) << ", "
             << floats(wts) << ", " << (linear ? "true" : "false") << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](PadOp p) -> LogicalResult {
        Shape i = shapeOf(p.getInput()), o = shapeOf(p.getResult());
        Shape begins(p.getPads().take_front(i.size()));
        StringRef mode = p.getMode();
        int m = mode == "reflect" ? 1 : mode == "edge" ? 2 : 0;
        body << "  pad(" << elemBytes(elemOf(p.getInput())) << ", " << i.size() << ", " << ints(i) << ", " << ints(o)
             << ", " << ints(begins) << ", " << m << ", " << dbl(attrFloat(p.getValue())) << ", "
             << dType(elemOf(p.getInput())) << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Default([&](Operation *other) -> LogicalResult {
        return other->emitError("neon emitter: '") << other->getName() << "' is not supported by the neon target yet";
      });
}

LogicalResult Emitter::emit(StringRef dir) {
  Block &block = func.getBody().front();
  // Inputs: copied into the arena at their offsets.
  SmallVector<int64_t> inBytes, outBytes;
  std::string header;
  llvm::raw_string_ostream h(header);
  std::string shapesDecl;
  llvm::raw_string_ostream sd(shapesDecl);
  auto describe = [&](StringRef what, TypeRange types, SmallVector<int64_t> &bytes) -> LogicalResult {
    for (auto [k, t] : llvm::enumerate(types)) {
      auto rt = dyn_cast<RankedTensorType>(t);
      if (!rt || !rt.hasStaticShape() || cTypeOf(rt.getElementType()).empty())
        return func.emitError("neon emitter: ") << what << " " << k << " has an unsupported type " << t;
      bytes.push_back(rt.getNumElements() * elemBytesOf(rt.getElementType()));
      sd << "constexpr int k" << what << "Rank" << k << " = " << rt.getRank() << ";\n";
      sd << "constexpr int64_t k" << what << "Shape" << k << "[] = {";
      for (auto [i, d] : llvm::enumerate(rt.getShape()))
        sd << (i ? ", " : "") << d;
      if (rt.getRank() == 0)
        sd << "1";
      sd << "};\n";
      sd << "constexpr const char *k" << what << "Type" << k << " = \"" << cTypeOf(rt.getElementType()) << "\";\n";
    }
    return success();
  };
  if (failed(describe("Input", func.getArgumentTypes(), inBytes)) ||
      failed(describe("Output", func.getResultTypes(), outBytes)))
    return failure();

  for (BlockArgument arg : block.getArguments()) {
    int64_t off = plan.offsetOf(arg);
    if (off < 0)
      return func.emitError("neon emitter: argument without arena offset");
    if (f16 && elemOf(arg).isF32())
      body << "  f32ToF16(" << product(shapeOf(arg)) << ", static_cast<const float *>(inputs[" << arg.getArgNumber()
           << "]), arena + " << off << ");\n";
    else
      body << "  std::memcpy(arena + " << off << ", inputs[" << arg.getArgNumber() << "], "
           << inBytes[arg.getArgNumber()] << ");\n";
  }
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
        auto p = ptr(v);
        if (failed(p))
          return failure();
        if (f16 && elemOf(v).isF32())
          body << "  f16ToF32(" << product(shapeOf(v)) << ", " << *p << ", static_cast<float *>(outputs[" << k
               << "]));\n";
        else
          body << "  std::memcpy(outputs[" << k << "], " << *p << ", " << outBytes[k] << ");\n";
      }
      continue;
    }
    if (failed(emitOpF16(&op)))
      return failure();
  }

  int64_t arenaBytes = plan.plan.arenaBytes;
  h << "// Generated by motec (neon emitter). Do not edit.\n#ifndef MOTE_GENERATED_MODEL_H\n#define MOTE_GENERATED_MODEL_H\n\n"
    << "#include \"runtime/core/WeightsFile.h\"\n\n#include <cstddef>\n#include <cstdint>\n\nnamespace mote_model {\n\n"
    << "constexpr size_t kArenaBytes = " << arenaBytes << ";\n"
    << "/// Weights packed once by mote_model_init for the GEMM/convolution kernels (floats, then bytes).\n"
    << "constexpr size_t kPackedFloats = " << packedFloats << ";\n"
    << "constexpr size_t kPackedBytes = kPackedFloats * sizeof(float);\n"
    << "constexpr int kNumInputs = " << inBytes.size() << ";\n"
    << "constexpr int kNumOutputs = " << outBytes.size() << ";\n"
    << "constexpr unsigned kNumSections = " << constants.size() << ";\n"
    << "constexpr size_t kInputBytes[kNumInputs + 1] = {";
  for (int64_t b : inBytes)
    h << b << ", ";
  h << "0};\nconstexpr size_t kOutputBytes[kNumOutputs + 1] = {";
  for (int64_t b : outBytes)
    h << b << ", ";
  h << "0};\n" << shapesDecl << "\n} // namespace mote_model\n\n"
    << "/// Packs the weights into `packed` (kPackedBytes, 64-byte aligned): once, after opening the weights and\n"
    << "/// before any mote_model_run. 0 on success, else an error code.\n"
    << "int mote_model_init(const mote::rt::WeightsFile &w, float *packed);\n"
    << "/// Runs the model: 0 on success, else an error code (mote_model_error says what it means).\n"
    << "int mote_model_run(const mote::rt::WeightsFile &w, unsigned char *arena, const float *packed,\n"
    << "                   const void *const *inputs, void *const *outputs);\n"
    << "const char *mote_model_error(int code);\n\n#endif // MOTE_GENERATED_MODEL_H\n";

  std::string source;
  llvm::raw_string_ostream s(source);
  s << "// Generated by motec (neon emitter). Do not edit.\n#include \"model.h\"\n\n#include \"runtime/neon/Ops.h\"\n\n"
    << "#include <cmath>\n#include <cstring>\n#include <limits>\n#include <vector>\n\n"
    << "using namespace mote::neon::ops;\n\n"
    << "#define A(T, off) reinterpret_cast<T *>(arena + (off))\n\nnamespace {\n\n"
    << "const uint64_t kSectionBytes[" << constants.size() + 1 << "] = {";
  for (uint64_t b : sectionBytes)
    s << b << ", ";
  s << "0};\n\n" << declsStr << "\n"
    << "int loadSections(const mote::rt::WeightsFile &w, const void **c) {\n"
    << "  using namespace mote_model;\n"
    << "  if (w.sectionCount() != kNumSections)\n    return 1;\n"
    << "  for (unsigned k = 0; k < kNumSections; ++k) {\n"
    << "    mote::rt::WeightsSection section = w.section(k);\n"
    << "    if (section.size != kSectionBytes[k])\n      return 2;\n    c[k] = section.data;\n  }\n"
    << "  return 0;\n}\n"
    << "\n} // namespace\n\n"
    << "const char *mote_model_error(int code) {\n  switch (code) {\n  case 0: return \"ok\";\n"
    << "  case 1: return \"the weights file has another number of sections than the model\";\n"
    << "  case 2: return \"a weights section has another size than the model's constant\";\n"
    << "  case 3: return \"a gather index is out of range\";\n  default: return \"unknown error\";\n  }\n}\n\n"
    << "int mote_model_init(const mote::rt::WeightsFile &w, float *P) {\n"
    << "  using namespace mote_model;\n"
    << "  const void *c[kNumSections + 1] = {nullptr};\n"
    << "  if (int rc = loadSections(w, c))\n    return rc;\n"
    << "  (void)c;\n  (void)P;\n"
    << initStr << "  return 0;\n}\n\n"
    << "int mote_model_run(const mote::rt::WeightsFile &w, unsigned char *arena, const float *P,\n"
    << "                   const void *const *inputs, void *const *outputs) {\n"
    << "  using namespace mote_model;\n"
    << "  const void *c[kNumSections + 1] = {nullptr};\n"
    << "  if (int rc = loadSections(w, c))\n    return rc;\n"
    << "  (void)c;\n  (void)P;\n  (void)inputs;\n";
  if (f16)
    s << "  std::vector<float> scratch(" << std::max<int64_t>(scratchFloats, 1) << ");\n  float *S = scratch.data();\n"
      << "  (void)S;\n";
  s << bodyStr << "  return 0;\n}\n";

  auto writeText = [&](StringRef name, StringRef text) -> LogicalResult {
    llvm::SmallString<256> path(dir);
    llvm::sys::path::append(path, name);
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    if (ec)
      return func.emitError("neon emitter: cannot write '") << path << "': " << ec.message();
    os << text;
    return success();
  };
  if (failed(writeText("model.h", header)) || failed(writeText("model.cpp", source)))
    return failure();
  llvm::SmallString<256> wpath(dir);
  llvm::sys::path::append(wpath, "model.weights");
  if (llvm::Error err = weights.write(wpath, "neon"))
    return func.emitError("neon emitter: writing '") << wpath << "': " << llvm::toString(std::move(err));
  return success();
}

} // namespace

LogicalResult emitArtifact(func::FuncOp func, StringRef dir) {
  FailureOr<FunctionMemoryPlan> plan = planFunctionMemory(func);
  if (failed(plan))
    return failure();
  annotateMemoryPlan(func, *plan);
  bool f16 = false;
  if (TargetAttr target = getModuleTarget(func))
    if (Type activation = target.getActivationType())
      f16 = activation.isF16();
  Emitter emitter(func, *plan, f16);
  return emitter.emit(dir);
}

} // namespace neon
} // namespace mote
