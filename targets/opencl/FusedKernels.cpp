// OpenCL C kernels generated per op or fused region (see FusedKernels.h).
#include "targets/opencl/FusedKernels.h"

#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"
#include "codegen/WeightValues.h"
#include "ir/ConstantBytes.h"
#include "ir/MoteDialect.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/TypeSwitch.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>
#include <functional>

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace opencl {
namespace {

std::string num(int64_t v) { return std::to_string(v); }
/// An OpenCL C float literal.
std::string real(double v) {
  std::string s = floatLiteral(v);
  if (StringRef(s).contains("numeric_limits"))
    return s.front() == '-' ? "(-INFINITY)" : StringRef(s).contains("infinity") ? "INFINITY" : "NAN";
  return s;
}

/// Elementwise.cl's unaryOf(kind, x, p0, p1) of `x` for `op`.
std::optional<std::string> unaryCall(Operation *op, const std::string &x) {
  std::optional<UnaryFunction> f = unaryFunction(op);
  if (!f)
    return std::nullopt;
  return "unaryOf(" + num(f->kind) + ", " + x + ", " + real(f->p0) + ", " + real(f->p1) + ")";
}

std::optional<std::string> binaryExpr(Operation *op, const std::string &a, const std::string &b) {
  return TypeSwitch<Operation *, std::optional<std::string>>(op)
      .Case([&](AddOp) { return "(" + a + " + " + b + ")"; })
      .Case([&](SubOp) { return "(" + a + " - " + b + ")"; })
      .Case([&](MulOp) { return "(" + a + " * " + b + ")"; })
      .Case([&](DivOp) { return "(" + a + " / " + b + ")"; })
      .Case([&](PowOp) { return "pow(" + a + ", " + b + ")"; })
      .Case([&](MaxOp) { return "fmax(" + a + ", " + b + ")"; })
      .Case([&](MinOp) { return "fmin(" + a + ", " + b + ")"; })
      .Default([](Operation *) { return std::nullopt; });
}

/// Writes one generated kernel: its parameters (every tensor argument as `global T *aK, const int aKo`), and
/// the elementwise ops' code per element index `i` (a C int expression in scope).
class Generator {
public:
  explicit Generator(StringRef name) : name(name.str()) {}

  /// The argument index of tensor `v` (added on first use).
  unsigned arg(Value v) {
    for (auto [k, a] : llvm::enumerate(kernel.args))
      if (a == v)
        return k;
    kernel.args.push_back(v);
    return kernel.args.size() - 1;
  }
  std::string argName(Value v) { return "a" + num(arg(v)); }
  /// "LOAD(aK, aKo + index)".
  std::string load(Value v, const std::string &index) {
    std::string a = argName(v);
    return "LOAD(" + a + ", " + a + "o + " + index + ")";
  }

  /// Code computing the ops of `ops` (elementwise, or a slice of a region input) for element `i` of the
  /// region's iteration shape of `count` elements; `known` maps values already computed (the norm's result,
  /// block arguments' own loads) to expressions. Returns failure at an op it cannot compute.
  LogicalResult elementwise(llvm::iterator_range<Block::iterator> ops, FusedOp region, int64_t count,
                            DenseMap<Value, std::string> &known, raw_ostream &os) {
    auto valueOf = [&](Value v) -> std::string {
      if (auto it = known.find(v); it != known.end())
        return it->second;
      // A region input read directly: a periodic broadcast of the iteration shape. A scalar constant is a
      // literal of its f32 value (in f16 storage 1e-6 would lose 1.3%).
      Value outer = region.getInputs()[cast<BlockArgument>(v).getArgNumber()];
      int64_t n = elementCount(outer);
      if (ConstantOp c = n == 1 ? weightConstant(outer) : ConstantOp())
        if (std::optional<std::vector<char>> bytes =
                elementTypeOf(c.getResult()).isF32() ? constantBytes(c.getValue(), 4) : std::nullopt) {
          float f;
          std::memcpy(&f, bytes->data(), 4);
          known[v] = real(f);
          return known[v];
        }
      std::string e = load(outer, n == count ? "i" : n == 1 ? "0" : "i % " + num(n));
      std::string t = "t" + num(temps++);
      os << "    const float " << t << " = " << e << ";\n";
      known[v] = t;
      return t;
    };
    for (Operation &op : ops) {
      if (isa<YieldOp>(op))
        break;
      if (known.count(op.getResult(0)))
        continue; // the leading norm
      std::string e;
      if (auto slice = dyn_cast<SliceOp>(op)) {
        // A window of the last axis of a region input, read in place.
        auto arg = dyn_cast<BlockArgument>(slice.getInput());
        if (!arg || !slice.isLastAxisWindow())
          return op.emitError("opencl: a fused slice that is not a window of an input's last axis");
        Value outer = region.getInputs()[arg.getArgNumber()];
        int64_t inRow = shapeOf(outer).back(), outRow = shapeOf(slice.getResult()).back();
        e = load(outer, "(i / " + num(outRow) + ") * " + num(inRow) + " + " + num(slice.getStarts().back()) +
                            " + i % " + num(outRow));
      } else if (op.getNumOperands() == 1) {
        std::optional<std::string> u = unaryCall(&op, valueOf(op.getOperand(0)));
        if (!u)
          return op.emitError("opencl: no generated code for '") << op.getName() << "' in a fused region";
        e = *u;
      } else if (op.getNumOperands() == 2) {
        std::optional<std::string> b = binaryExpr(&op, valueOf(op.getOperand(0)), valueOf(op.getOperand(1)));
        if (!b)
          return op.emitError("opencl: no generated code for '") << op.getName() << "' in a fused region";
        e = *b;
      } else {
        return op.emitError("opencl: no generated code for '") << op.getName() << "' in a fused region";
      }
      std::string t = "t" + num(temps++);
      os << "    const float " << t << " = " << e << ";\n";
      known[op.getResult(0)] = t;
    }
    return success();
  }

  /// Stores the region's results (the yield's operands) at element `i`.
  LogicalResult storeResults(FusedOp region, DenseMap<Value, std::string> &known, raw_ostream &os) {
    auto yield = cast<YieldOp>(region.getBlock().getTerminator());
    for (auto [k, v] : llvm::enumerate(yield.getOperands())) {
      if (isGroupNormStatistics(v))
        continue; // written by the statistics epilogue
      auto it = known.find(v);
      if (it == known.end())
        return region.emitError("opencl: a fused region yields a value it does not compute");
      std::string out = argName(region.getResult(k));
      os << "    STORE(" << out << ", " << out << "o + i, " << it->second << ");\n";
    }
    return success();
  }

  /// The kernel's parameters: each tensor (a group norm's statistics as f32, the others in the storage type)
  /// and its element offset; then the scratch buffer if it takes it.
  std::string signature() {
    std::string s = "kernel void " + name + "(";
    for (auto [k, v] : llvm::enumerate(kernel.args)) {
      s += std::string(k ? ", " : "") + "global " + (written_.count(v) ? "" : "const ") +
           (isGroupNormStatistics(v) ? "float" : "store_t") + " *a" + num(k) + ", const int a" + num(k) + "o";
    }
    if (kernel.scratchBytes)
      s += ", global int *scratch, const int scratcho";
    return s + ")";
  }
  void markWritten(Value v) { written_.insert(v); }

  GeneratedKernel kernel;
  std::string name;
  unsigned temps = 0;
  llvm::DenseSet<Value> written_;
};

/// The norm at the head of a region (or alone): its statistics loop and the normalized value `t0` of element
/// `i`, then `body` (the elementwise ops and stores) for each element. A group norm's statistics alone
/// (mote.group_norm_stats no convolution's epilogue took) are that loop and one store per instance and group.
LogicalResult generateNorm(Operation *norm, FusedOp region, Generator &g, raw_ostream &os) {
  // The norm's operands as the kernel reads them: outside the region, or the region's inputs.
  auto outer = [&](Value v) -> Value {
    if (region)
      if (auto arg = dyn_cast<BlockArgument>(v))
        return region.getInputs()[arg.getArgNumber()];
    return v;
  };
  if (auto stats = dyn_cast<GroupNormStatsOp>(norm)) {
    // Statistics alone (no convolution produced the input): one work-group per instance and group.
    Shape shape = shapeOf(stats.getInput());
    if (shape.size() != 4)
      return norm->emitError("opencl: group norm statistics of rank other than 4");
    const bool last = stats.getChannelsLast();
    const int64_t N = shape[0], C = last ? shape[3] : shape[1], P = last ? shape[1] * shape[2] : shape[2] * shape[3];
    const int64_t G = stats.getNumGroups(), Cg = C / G;
    std::string xs = g.argName(stats.getInput()), out = g.argName(stats.getResult());
    g.markWritten(stats.getResult());
    os << g.signature() << " {\n  local float scratch[NORM_GROUP];\n"
       << "  const int n = get_group_id(0) / " << G << ", g = get_group_id(0) % " << G << ";\n"
       << "  const float2 st = groupStats(scratch, " << xs << ", " << xs << "o, " << Cg * P << ", " << C << ", " << P
       << ", " << Cg << ", n, g, " << (last ? 1 : 0) << ", " << real(attrValue(stats.getEpsilon())) << ");\n"
       << "  if (get_local_id(0) == 0) {\n    " << out << "[" << out << "o + get_group_id(0) * 2] = st.x;\n    " << out
       << "[" << out << "o + get_group_id(0) * 2 + 1] = st.y;\n  }\n}\n";
    g.kernel.global = {N * G * 64, 1, 1};
    g.kernel.local = {64, 1, 1};
    return success();
  }
  Value x = outer(norm->getOperand(0)), scale = outer(norm->getOperand(1));
  Value bias = norm->getNumOperands() > 2 ? outer(norm->getOperand(2)) : Value();
  Shape shape = shapeOf(norm->getOperand(0));
  DenseMap<Value, std::string> known;
  std::string xs = g.argName(x), ss = g.argName(scale), bs = bias ? g.argName(bias) : "";
  std::string normalized;
  std::string body;
  llvm::raw_string_ostream b(body);
  std::string head;
  llvm::raw_string_ostream h(head);
  h << "  local float scratch[NORM_GROUP];\n";
  if (auto gn = dyn_cast<GroupNormOp>(norm)) {
    if (shape.size() != 4)
      return norm->emitError("opencl: a group norm of rank other than 4");
    const bool last = gn.getChannelsLast();
    const int64_t N = shape[0], C = last ? shape[3] : shape[1], P = last ? shape[1] * shape[2] : shape[2] * shape[3];
    const int64_t G = gn.getNumGroups(), Cg = C / G;
    // Element e of group (n, g): channel c and flat index i in the tensor's layout.
    std::string c = last ? "(g * " + num(Cg) + " + e % " + num(Cg) + ")" : "(g * " + num(Cg) + " + e / " + num(P) + ")";
    std::string i = last ? "n * " + num(P * C) + " + (e / " + num(Cg) + ") * " + num(C) + " + " + c
                         : "n * " + num(C * P) + " + " + c + " * " + num(P) + " + e % " + num(P);
    h << "  const int n = get_group_id(0) / " << G << ", g = get_group_id(0) % " << G << ";\n"
      << "  const float2 st = groupStats(scratch, " << xs << ", " << xs << "o, " << Cg * P << ", " << C << ", " << P
      << ", " << Cg << ", n, g, " << (last ? 1 : 0) << ", " << real(attrValue(gn.getEpsilon())) << ");\n"
      << "  for (int e = get_local_id(0); e < " << Cg * P << "; e += NORM_GROUP) {\n"
      << "    const int c = " << c << ", i = " << i << ";\n";
    normalized = "(LOAD(" + xs + ", " + xs + "o + i) - st.x) * st.y * LOAD(" + ss + ", " + ss + "o + c)" +
                 (bias ? " + LOAD(" + bs + ", " + bs + "o + c)" : "");
    g.kernel.global = {N * G * 64, 1, 1};
  } else {
    int64_t axis = isa<LayerNormOp>(norm) ? cast<LayerNormOp>(norm).getAxis() : cast<RmsNormOp>(norm).getAxis();
    double eps = attrValue(isa<LayerNormOp>(norm) ? cast<LayerNormOp>(norm).getEpsilon()
                                                  : cast<RmsNormOp>(norm).getEpsilon());
    AxisSplit split = splitAtAxis(shape, normalizedAxis(axis, shape.size()));
    const int64_t n = split.n * split.inner, rows = split.outer;
    if (elementCount(scale) != n || (bias && elementCount(bias) != n))
      return norm->emitError("opencl: a norm whose scale or bias is not one value per normalized element");
    h << "  const int row = get_group_id(0);\n"
      << "  const float2 st = rowStats(scratch, " << xs << ", " << xs << "o + row * " << n << ", " << n << ", "
      << (isa<RmsNormOp>(norm) ? 1 : 0) << ", " << real(eps) << ");\n"
      << "  for (int j = get_local_id(0); j < " << n << "; j += NORM_GROUP) {\n"
      << "    const int i = row * " << n << " + j;\n";
    normalized = "(LOAD(" + xs + ", " + xs + "o + i) - st.x) * st.y * LOAD(" + ss + ", " + ss + "o + j)" +
                 (bias ? " + LOAD(" + bs + ", " + bs + "o + j)" : "");
    g.kernel.global = {rows * 64, 1, 1};
  }
  g.kernel.local = {64, 1, 1};
  h << "    const float t0 = " << normalized << ";\n";
  g.temps = 1;
  if (region) {
    known[norm->getResult(0)] = "t0";
    if (failed(g.elementwise(region.getBlock().without_terminator(), region, elementCount(norm->getResult(0)), known,
                             b)) ||
        failed(g.storeResults(region, known, b)))
      return failure();
    for (Value r : region.getResults())
      g.markWritten(r), g.arg(r);
  } else {
    std::string out = g.argName(norm->getResult(0));
    g.markWritten(norm->getResult(0));
    b << "    STORE(" << out << ", " << out << "o + i, t0);\n";
  }
  os << g.signature() << " {\n" << head << body << "  }\n}\n";
  return success();
}


/// An OpenCL C int4 literal.
std::string i4Literal(int64_t a, int64_t b, int64_t c, int64_t d) {
  return "(int4)(" + num(a) + ", " + num(b) + ", " + num(c) + ", " + num(d) + ")";
}

/// A matmul, Gemm or convolution (at the head of a "linear_epilogue" region, after the layer or RMS norm that
/// may lead it, or alone): its sum for one output element as `t0` (the GEMM tile of Linear.cl for matmuls,
/// Gemms and 1x1 convolutions, normalizing the rows it stages when a norm leads; the implicit-GEMM
/// convTile for a group-1 convolution led by a group norm's normalization or an upsampling, or ended by
/// group norm statistics; the direct convolution otherwise; with the bias, alpha and beta), then the
/// region's epilogue ops and stores at that element, and the statistics epilogue where the region ends so.
LogicalResult generateLinear(Operation *linear, FusedOp region, Generator &g, raw_ostream &os) {
  auto outer = [&](Value v) -> Value {
    if (region && v)
      if (auto arg = dyn_cast<BlockArgument>(v))
        return region.getInputs()[arg.getArgNumber()];
    return v;
  };
  Value result = linear->getResult(0);
  std::string head, t0;
  // The GEMM form's sum at column `col` with its bias (the gated form below evaluates it at two columns);
  // empty for the direct convolution.
  std::function<std::string(const std::string &acc, const std::string &col)> columnSum;
  llvm::raw_string_ostream h(head);
  // The GEMM form: y[b, m, n] = sum_k a[b, m, k] w[b, k, n], each with (batch, row, column) element strides.
  struct Gemm {
    Value a, w;
    Shape as, ws, ys;
    int64_t batches = 1, M = 1, N = 1, K = 1;
  };
  std::optional<Gemm> gemm;
  // group_norm_conv: the normalization (mote.group_norm_apply, then a SiLU and a reshape) leading the region,
  // which the convolution applies as it stages its input, and the statistics of the region's result
  // (mote.group_norm_stats), which its epilogue computes.
  GroupNormApplyOp apply = region ? dyn_cast<GroupNormApplyOp>(region.getBlock().front()) : GroupNormApplyOp();
  GroupNormStatsOp stats;
  if (region)
    for (Operation &op : region.getBlock())
      if (auto s = dyn_cast<GroupNormStatsOp>(op))
        stats = s;
  // upsample_conv: a nearest upsampling by whole factors leading the region, read through by the convolution.
  ResizeOp upsample = region ? dyn_cast<ResizeOp>(region.getBlock().front()) : ResizeOp();
  if (upsample && (!isa<ConvOp>(linear) || cast<ConvOp>(linear).getInput() != upsample.getResult()))
    return linear->emitError("opencl: an upsampling leading a linear region must produce its convolution's input");
  bool silu = false;
  if (apply) {
    Value read = apply.getResult();
    while (read.hasOneUse() && isa<SiluOp, ReshapeOp>(*read.getUsers().begin())) {
      Operation *user = *read.getUsers().begin();
      silu |= isa<SiluOp>(user);
      read = user->getResult(0);
    }
    if (!isa<ConvOp>(linear) || cast<ConvOp>(linear).getInput() != read)
      return linear->emitError("opencl: a group norm leading a linear region must produce its convolution's input");
  }
  // Rows of M pixels of `batches` instances by N channel columns, in 16 x 16 work-groups (the GEMM tile or
  // the implicit-GEMM convolution): what the statistics epilogue needs.
  std::array<int64_t, 3> statsGrid = {0, 0, 0};
  if (auto op = dyn_cast<GemmOp>(linear)) {
    Shape out = shapeOf(op.getResult());
    int64_t M = out[0], N = out[1], K = shapeOf(op.getA())[op.getTransA() ? 0 : 1];
    gemm = Gemm{op.getA(), op.getB(), {0, op.getTransA() ? 1 : K, op.getTransA() ? M : 1},
                {0, op.getTransB() ? 1 : N, op.getTransB() ? K : 1}, {0, N, 1}, 1, M, N, K};
    t0 = real(attrValue(op.getAlpha())) + " * acc";
    if (Value c = op.getC()) {
      Shape cs = broadcastStrides(shapeOf(c), out);
      std::string cb = g.argName(outer(c));
      t0 += " + " + real(attrValue(op.getBeta())) + " * LOAD(" + cb + ", " + cb + "o + m * " + num(cs[0]) + " + n * " +
            num(cs[1]) + ")";
    }
  } else if (auto op = dyn_cast<MatMulOp>(linear)) {
    MatMulGeometry mg = matmulGeometry(op);
    int64_t batches = 1;
    for (int64_t d : mg.batch)
      batches *= d;
    // One batch stride per operand: its batch dims contiguous, or (the right one) shared by every batch.
    auto flatStride = [&](ArrayRef<int64_t> strides, int64_t matrix) -> std::optional<int64_t> {
      if (llvm::all_of(strides, [](int64_t s) { return s == 0; }))
        return 0;
      int64_t expect = matrix;
      for (int64_t d = static_cast<int64_t>(mg.batch.size()) - 1; d >= 0; --d) {
        if (strides[d] != expect)
          return std::nullopt;
        expect *= mg.batch[d];
      }
      return matrix;
    };
    std::optional<int64_t> ls = flatStride(mg.lhsBatchStrides, mg.M * mg.K),
                           rs = flatStride(mg.rhsBatchStrides, mg.K * mg.N);
    if (!ls || !rs)
      return linear->emitError("opencl: a batched matmul whose batch dims broadcast partly is not supported yet");
    gemm = Gemm{op.getLhs(), op.getRhs(), {*ls, mg.K, 1}, {*rs, mg.N, 1}, {mg.M * mg.N, mg.N, 1}, batches, mg.M,
                mg.N, mg.K};
    columnSum = [](const std::string &acc, const std::string &) { return acc; };
    t0 = columnSum("acc", "n");
  } else if (auto op = dyn_cast<ConvOp>(linear)) {
    FailureOr<ConvGeometry> got = convGeometry(op);
    if (failed(got))
      return linear->emitError("opencl: only 1-D and 2-D convolutions");
    const ConvGeometry &c = *got;
    const Shape &is = c.inputStrides, &ys = c.outputStrides;
    std::string bb = op.getBias() ? g.argName(outer(op.getBias())) : "";
    auto biasAt = [bb](const std::string &channel) {
      return bb.empty() ? std::string() : " + LOAD(" + bb + ", " + bb + "o + " + channel + ")";
    };
    bool pointwise = c.KH == 1 && c.KW == 1 && c.strideH == 1 && c.strideW == 1 && c.padTop == 0 && c.padLeft == 0 &&
                     c.group == 1 && c.OH == c.H && c.OW == c.W && is[2] == c.W * is[3] && ys[2] == c.OW * ys[3];
    if (pointwise && !apply && !upsample) {
      // Pixels are GEMM rows (the w stride; h follows w in every layout), channels the reduction.
      gemm = Gemm{op.getInput(), op.getWeight(), {is[0], is[3], is[1]}, {0, 1, c.C}, {ys[0], ys[3], ys[1]}, c.N,
                  c.H * c.W, c.M, c.C};
      columnSum = [biasAt](const std::string &acc, const std::string &col) { return acc + biasAt(col); };
      t0 = columnSum("acc", "n");
      if (stats)
        statsGrid = {c.M, c.H * c.W, c.N};
    } else if (c.group == 1 && (apply || stats || upsample)) {
      // The implicit-GEMM convolution (Linear.cl's convTile): output pixels are rows, channels columns.
      Value in = apply ? apply.getInput() : upsample ? upsample.getInput() : op.getInput();
      std::string x = g.argName(outer(in)), w = g.argName(outer(op.getWeight()));
      // An upsampled input is read from the source (its strides; the factors divide the coordinates).
      Shape xs = is;
      int64_t upH = 1, upW = 1;
      if (upsample) {
        Shape src = shapeOf(upsample.getInput()), strides = contiguousStrides(src);
        const bool last = op.getChannelsLast();
        xs = last ? Shape{strides[0], strides[3], strides[1], strides[2]} : strides;
        upH = c.H / src[last ? 1 : 2];
        upW = c.W / src[last ? 2 : 3];
        // The pass's condition, checked against the resize's own coordinate tables.
        ResizeTables t = resizeTables(upsample);
        const int64_t hAxis = last ? 1 : 2;
        int64_t hOff = 0;
        for (int64_t d = 0; d < hAxis; ++d)
          hOff += 2 * shapeOf(upsample.getResult())[d];
        const int64_t wOff = hOff + 2 * c.H;
        for (int64_t o = 0; o < c.H; ++o)
          if (t.linear || t.indices[hOff + 2 * o] != o / upH)
            return linear->emitError("opencl: an upsampling other than nearest by a whole factor before a convolution");
        for (int64_t o = 0; o < c.W; ++o)
          if (t.indices[wOff + 2 * o] != o / upW)
            return linear->emitError("opencl: an upsampling other than nearest by a whole factor before a convolution");
      }
      std::string normArgs = "0, (global const float *)" + x + ", 0, (int2)(1, 1), " + x + ", 0, " + x + ", 0, 0";
      if (apply) {
        const int64_t groups = apply.getNumGroups();
        std::string st = g.argName(outer(apply.getStats())), sc = g.argName(outer(apply.getScale())),
                    sh = g.argName(outer(apply.getBias()));
        normArgs = "1, " + st + ", " + st + "o, (int2)(" + num(groups) + ", " + num(c.C / groups) + "), " + sc + ", " +
                   sc + "o, " + sh + ", " + sh + "o, " + (silu ? "1" : "0");
      }
      h << "  local float ta[TILE * (TILE + 1)], tw[TILE * (TILE + 1)];\n"
        << "  const int n = get_global_id(0), m = get_global_id(1), b = get_global_id(2);\n"
        << "  const float acc = convTile(ta, tw, " << x << ", " << x << "o, " << i4Literal(xs[0], xs[1], xs[2], xs[3])
        << ", " << w << ", " << w << "o, " << i4Literal(c.C, c.H, c.W, c.OW) << ", (int2)(" << c.KH << ", " << c.KW
        << "), " << i4Literal(c.strideH, c.strideW, c.dilationH, c.dilationW) << ", (int2)(" << c.padTop << ", "
        << c.padLeft << "), (int2)(" << upH << ", " << upW << "), " << c.OH * c.OW << ", " << c.M << ", b, "
        << normArgs << ");\n";
      std::string index = "b * " + num(ys[0]) + " + n * " + num(ys[1]) + " + (m / " + num(c.OW) + ") * " + num(ys[2]) +
                          " + (m % " + num(c.OW) + ") * " + num(ys[3]);
      if (stats)
        h << "  float sv = 0.0f;\n  if (m < " << c.OH * c.OW << " && n < " << c.M << ") {\n";
      else
        h << "  if (m >= " << c.OH * c.OW << " || n >= " << c.M << ")\n    return;\n  {\n";
      h << "    const int i = " << index << ";\n";
      t0 = "acc" + biasAt("n");
      g.kernel.global = {(c.M + 15) / 16 * 16, (c.OH * c.OW + 15) / 16 * 16, c.N};
      g.kernel.local = {16, 16, 1};
      if (stats)
        statsGrid = {c.M, c.OH * c.OW, c.N};
    } else {
      if (apply || stats)
        return linear->emitError("opencl: a group norm fused with a grouped convolution is not supported");
      std::string x = g.argName(outer(op.getInput())), w = g.argName(outer(op.getWeight()));
      h << "  const int m = get_global_id(0), p = get_global_id(1), n = get_global_id(2);\n"
        << "  const int oh = p / " << c.OW << ", ow = p % " << c.OW << ";\n"
        << "  const float acc = conv2dAt(" << x << ", " << x << "o, " << i4Literal(is[0], is[1], is[2], is[3]) << ", "
        << w << ", " << w << "o, " << i4Literal(c.C, c.H, c.W, c.group) << ", " << c.M << ", (int2)(" << c.KH << ", "
        << c.KW << "), " << i4Literal(c.strideH, c.strideW, c.dilationH, c.dilationW) << ", (int2)(" << c.padTop
        << ", " << c.padLeft << "), n, m, oh, ow);\n"
        << "  {\n    const int i = n * " << ys[0] << " + m * " << ys[1] << " + oh * " << ys[2] << " + ow * " << ys[3]
        << ";\n";
      t0 = "acc" + biasAt("m");
      g.kernel.global = {c.M, c.OH * c.OW, c.N};
    }
  } else {
    return linear->emitError("opencl: no generated GEMM for '") << linear->getName() << "'";
  }
  // A norm leading the region: the GEMM reads the norm's input and normalizes each row as it stages it.
  Operation *norm = region && isa<LayerNormOp, RmsNormOp>(region.getBlock().front()) ? &region.getBlock().front()
                                                                                     : nullptr;
  if (norm && (!gemm || gemm->a != norm->getResult(0)))
    return linear->emitError("opencl: a norm leading a linear region must produce its GEMM's left operand");
  // A gated region (gated_linear) reads the result only through last-axis windows of one width: the kernel
  // computes the sums at each window's columns, over that width, and the region's ops from there.
  SmallVector<SliceOp> windows;
  if (region)
    for (Operation *user : result.getUsers())
      if (auto s = dyn_cast<SliceOp>(user))
        windows.push_back(s);
  if (!windows.empty()) {
    if (!columnSum || windows.size() != static_cast<size_t>(std::distance(result.use_begin(), result.use_end())) ||
        llvm::any_of(windows, [&](SliceOp s) {
          return !s.isLastAxisWindow() || shapeOf(s.getResult()).back() != shapeOf(windows[0].getResult()).back();
        }))
      return linear->emitError("opencl: a linear region reading its result through windows other than equal "
                               "last-axis ones of a matmul or 1x1 convolution");
    gemm->N = shapeOf(windows[0].getResult()).back();
    gemm->ys = {gemm->M * gemm->N, gemm->N, 1};
  }
  if (gemm) {
    std::string a = g.argName(outer(norm ? norm->getOperand(0) : gemm->a)), w = g.argName(outer(gemm->w));
    std::string aBase = a + "o + b * " + num(gemm->as[0]);
    std::string normArgs = "0, (float2)(0.0f, 1.0f), " + a + ", 0, " + a + ", 0";
    h << "  local float ta[TILE * (TILE + 1)], tw[TILE * (TILE + 1)];\n"
      << "  const int n = get_global_id(0), m = get_global_id(1), b = get_global_id(2);\n";
    if (norm) {
      const bool rms = isa<RmsNormOp>(norm);
      double eps = attrValue(rms ? cast<RmsNormOp>(norm).getEpsilon() : cast<LayerNormOp>(norm).getEpsilon());
      Value shift = norm->getNumOperands() > 2 ? outer(norm->getOperand(2)) : Value();
      std::string sc = g.argName(outer(norm->getOperand(1))), sh = shift ? g.argName(shift) : sc;
      h << "  const float2 st = tileRowStats(ta, " << a << ", " << aBase << ", " << gemm->as[1] << ", " << gemm->as[2]
        << ", " << gemm->M << ", " << gemm->K << ", " << (rms ? 1 : 0) << ", " << real(eps) << ");\n";
      normArgs = std::string(shift ? "2" : "1") + ", st, " + sc + ", " + sc + "o, " + sh + ", " + sh + "o";
    }
    // One sum per window (its columns from the window's start), or the one sum.
    SmallVector<int64_t> columns = {0};
    if (!windows.empty())
      columns = llvm::map_to_vector(windows, [](SliceOp s) { return s.getStarts().back(); });
    for (auto [k, column] : llvm::enumerate(columns))
      h << "  const float acc" << (windows.empty() ? "" : num(k)) << " = gemmTile(ta, tw, " << a << ", " << aBase
        << ", " << gemm->as[1] << ", " << gemm->as[2] << ", " << w << ", " << w << "o + b * " << gemm->ws[0] << " + "
        << column * gemm->ws[2] << ", " << gemm->ws[1] << ", " << gemm->ws[2] << ", " << gemm->M << ", " << gemm->N
        << ", " << gemm->K << ", " << normArgs << ");\n";
    if (stats)
      h << "  float sv = 0.0f;\n  if (m < " << gemm->M << " && n < " << gemm->N << ") {\n";
    else
      h << "  if (m >= " << gemm->M << " || n >= " << gemm->N << ")\n    return;\n  {\n";
    h << "    const int i = b * " << gemm->ys[0] << " + m * " << gemm->ys[1] << " + n * " << gemm->ys[2] << ";\n";
    g.kernel.global = {(gemm->N + 15) / 16 * 16, (gemm->M + 15) / 16 * 16, gemm->batches};
    g.kernel.local = {16, 16, 1};
  }
  if (windows.empty())
    h << "    const float t0 = " << t0 << ";\n";
  g.temps = 1;
  std::string body;
  llvm::raw_string_ostream b(body);
  if (region) {
    DenseMap<Value, std::string> known;
    known[result] = "t0";
    for (auto [k, s] : llvm::enumerate(windows))
      known[s.getResult()] = "(" + columnSum("acc" + num(k), "n + " + num(s.getStarts().back())) + ")";
    if (norm)
      known[norm->getResult(0)] = "0.0f"; // read only by the GEMM, as it stages rows
    // The group norm's halves: the normalization staged with the input, the statistics after the block.
    for (Operation *op = apply; op && op != linear; op = *op->getUsers().begin())
      known[op->getResult(0)] = "0.0f";
    if (upsample)
      known[upsample.getResult()] = "0.0f"; // read through by the convolution
    if (stats)
      known[stats.getResult()] = "0.0f";
    if (failed(g.elementwise(region.getBlock().without_terminator(), region, elementCount(result), known, b)) ||
        failed(g.storeResults(region, known, b)))
      return failure();
    // The statistics of the f32 value before it is stored (in f16 storage the normalizing kernel reads the
    // rounded one: unbiased rounding noise, well below f16's own error).
    if (stats) {
      if (!known.count(stats.getInput()))
        return linear->emitError("opencl: group norm statistics of a value the region does not compute");
      b << "    sv = " << known[stats.getInput()] << ";\n";
    }
    for (Value r : region.getResults())
      g.markWritten(r), g.arg(r);
  } else {
    std::string out = g.argName(result);
    g.markWritten(result);
    b << "    STORE(" << out << ", " << out << "o + i, t0);\n";
  }
  std::string tail, locals;
  if (stats) {
    if (!statsGrid[0] || !windows.empty())
      return linear->emitError("opencl: group norm statistics after a linear op other than a convolution");
    auto yield = cast<YieldOp>(region.getBlock().getTerminator());
    auto at = llvm::find(yield.getOperands(), stats.getResult());
    if (at == yield.getOperands().end())
      return linear->emitError("opencl: group norm statistics the region does not yield");
    Value out = region.getResult(std::distance(yield.getOperands().begin(), at));
    std::string st = g.argName(out);
    g.markWritten(out);
    const int64_t N = statsGrid[0], M = statsGrid[1], B = statsGrid[2];
    // One partial per group in each tile where groups tile the 16 columns (SD's 4, 8 or 16 channels per
    // group), else per channel.
    const int64_t Cg = N / stats.getNumGroups(), pw = 16 % Cg == 0 ? Cg : 1;
    g.kernel.scratchBytes = 16 + B * ((M + 15) / 16) * (N / pw) * 2 * 4;
    locals = "  local float tm[3 * TILE * TILE];\n  local int flag;\n";
    tail = "  groupStatsEpilogue(ta, tm, &flag, sv, " + num(M) + ", " + num(N) + ", " + num(stats.getNumGroups()) +
           ", " + num(pw) + ", " + real(attrValue(stats.getEpsilon())) + ", " + st + ", " + st +
           "o, scratch + scratcho);\n";
  }
  os << g.signature() << " {\n" << locals << head << body << "  }\n" << tail << "}\n";
  return success();
}

/// A region of data movement and elementwise ops (the "rotary" region: x through its head transpose, times
/// cos, plus rotate_half(x) - two slices, a negation and a concat - times sin) as one expression per output
/// element: each value is evaluated at symbolic coordinates, a transpose permuting them, a slice offsetting
/// them, a concat choosing its input by the coordinate along its axis, and broadcasting reading index 0.
class CoordinateExpr {
public:
  CoordinateExpr(FusedOp region, Generator &g) : region(region), g(g) {}

  FailureOr<std::string> at(Value v, ArrayRef<std::string> coords) {
    if (auto arg = dyn_cast<BlockArgument>(v)) {
      Value outer = region.getInputs()[arg.getArgNumber()];
      Shape shape = shapeOf(outer), strides = contiguousStrides(shape);
      std::string index = "0";
      for (size_t d = 0; d < shape.size(); ++d)
        if (shape[d] != 1)
          index += " + (" + coords[d] + ") * " + num(strides[d]);
      return "LOAD(" + g.argName(outer) + ", " + g.argName(outer) + "o + " + index + ")";
    }
    Operation *op = v.getDefiningOp();
    if (auto t = dyn_cast<TransposeOp>(op)) {
      SmallVector<std::string> in(coords.size());
      for (auto [i, p] : llvm::enumerate(t.getPerm()))
        in[p] = coords[i]; // result dim i is input dim perm[i]
      return at(t.getInput(), in);
    }
    if (auto sl = dyn_cast<SliceOp>(op)) {
      SmallVector<std::string> in;
      for (size_t d = 0; d < coords.size(); ++d)
        in.push_back("(" + coords[d] + ") * " + num(sl.getSteps()[d]) + " + " + num(sl.getStarts()[d]));
      return at(sl.getInput(), in);
    }
    if (auto c = dyn_cast<ConcatOp>(op)) {
      const int64_t axis = normalizedAxis(c.getAxis(), coords.size());
      // The last input, then each earlier one chosen by the coordinate along the axis.
      SmallVector<int64_t> starts;
      int64_t at0 = 0;
      for (Value in : c.getInputs()) {
        starts.push_back(at0);
        at0 += shapeOf(in)[axis];
      }
      std::string e;
      for (int64_t k = static_cast<int64_t>(starts.size()) - 1; k >= 0; --k) {
        SmallVector<std::string> in(coords.begin(), coords.end());
        in[axis] = "(" + coords[axis] + ") - " + num(starts[k]);
        FailureOr<std::string> part = at(c.getInputs()[k], in);
        if (failed(part))
          return failure();
        e = e.empty() ? *part : "((" + coords[axis] + ") < " + num(starts[k + 1]) + " ? " + *part + " : " + e + ")";
      }
      return e;
    }
    // Elementwise: each operand at the result's coordinates, broadcast (numpy, right-aligned).
    SmallVector<std::string> operands;
    Shape out = shapeOf(v);
    for (Value operand : op->getOperands()) {
      Shape shape = shapeOf(operand);
      SmallVector<std::string> in;
      for (size_t j = 0; j < shape.size(); ++j) {
        size_t d = out.size() - shape.size() + j;
        in.push_back(shape[j] == 1 && out[d] != 1 ? "0" : coords[d]);
      }
      FailureOr<std::string> e = at(operand, in);
      if (failed(e))
        return failure();
      operands.push_back(*e);
    }
    std::optional<std::string> e = operands.size() == 1   ? unaryCall(op, operands[0])
                                   : operands.size() == 2 ? binaryExpr(op, operands[0], operands[1])
                                                          : std::nullopt;
    if (!e)
      return op->emitError("opencl: no generated code for '") << op->getName() << "' in a fused region";
    return *e;
  }

private:
  FusedOp region;
  Generator &g;
};

LogicalResult generateCoordinates(FusedOp region, Generator &g, raw_ostream &os) {
  auto yield = llvm::cast<YieldOp>(region.getBlock().getTerminator());
  if (yield.getNumOperands() != 1)
    return region.emitError("opencl: a fused region with other than one result");
  Shape shape = shapeOf(region.getResult(0));
  if (shape.size() > 4)
    return region.emitError("opencl: a fused region of rank over 4");
  // The output coordinates of element i (row-major).
  std::string head;
  llvm::raw_string_ostream h(head);
  h << "  {\n    const int i = get_global_id(0);\n";
  SmallVector<std::string> coords(shape.size(), "0"); // a dim of size 1 is coordinate 0
  int64_t inner = 1;
  for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
    if (shape[d] != 1) {
      h << "    const int c" << d << " = (i / " << inner << ") % " << shape[d] << ";\n";
      coords[d] = "c" + num(d);
    }
    inner *= shape[d];
  }
  CoordinateExpr expr(region, g);
  FailureOr<std::string> value = expr.at(yield.getOperand(0), coords);
  if (failed(value))
    return failure();
  std::string out = g.argName(region.getResult(0));
  g.markWritten(region.getResult(0));
  h << "    STORE(" << out << ", " << out << "o + i, " << *value << ");\n";
  os << g.signature() << " {\n" << head << "  }\n}\n";
  g.kernel.global = {elementCount(region.getResult(0)), 1, 1};
  return success();
}

} // namespace

std::optional<UnaryFunction> unaryFunction(Operation *op) {
  using F = std::optional<UnaryFunction>;
  return TypeSwitch<Operation *, F>(op)
      .Case([](NegOp) { return F({0}); })
      .Case([](SqrtOp) { return F({1}); })
      .Case([](ExpOp) { return F({2}); })
      .Case([](LogOp) { return F({3}); })
      .Case([](ErfOp) { return F({4}); })
      .Case([](TanhOp) { return F({5}); })
      .Case([](SigmoidOp) { return F({6}); })
      .Case([](ReluOp) { return F({7}); })
      .Case([](AbsOp) { return F({8}); })
      .Case([](ReciprocalOp) { return F({9}); })
      .Case([](SinOp) { return F({10}); })
      .Case([](CosOp) { return F({11}); })
      .Case([](SiluOp) { return F({12}); })
      .Case([](GeluOp g) { return F({g.getApproximate() == "tanh" ? 14 : g.getApproximate() == "sigmoid" ? 15 : 13}); })
      .Case([](ClipOp c) { return F({16, c.getMin().convertToDouble(), c.getMax().convertToDouble()}); })
      .Case([](HardSigmoidOp h) { return F({17, attrValue(h.getAlpha()), attrValue(h.getBeta())}); })
      .Case([](LeakyReluOp l) { return F({18, attrValue(l.getAlpha())}); })
      .Default([](Operation *) { return std::nullopt; });
}

FailureOr<GeneratedKernel> generateKernel(Operation *op, StringRef name) {
  Generator g(name);
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "// " << op->getName().getStringRef() << (isa<FusedOp>(op) ? " \"" + cast<FusedOp>(op).getKind().str() + "\"" : "")
     << "\n";
  auto region = dyn_cast<FusedOp>(op);
  if (!region) {
    if (failed(isa<MatMulOp, GemmOp, ConvOp>(op) ? generateLinear(op, FusedOp(), g, os)
                                                 : generateNorm(op, FusedOp(), g, os)))
      return failure();
  } else if (region.getKind() == "rotary") {
    if (failed(generateCoordinates(region, g, os)))
      return failure();
  } else if (region.getKind() == "linear_epilogue") {
    auto linears = llvm::make_filter_range(region.getBlock(), [](Operation &o) { return isa<MatMulOp, GemmOp, ConvOp>(o); });
    if (linears.empty())
      return op->emitError("opencl: a linear_epilogue region without a matmul, Gemm or convolution");
    if (failed(generateLinear(&*linears.begin(), region, g, os)))
      return failure();
  } else if (region.getKind() == "norm_elementwise") {
    if (failed(generateNorm(&region.getBlock().front(), region, g, os)))
      return failure();
  } else if (region.getKind() == "elementwise") {
    int64_t count = elementCount(region.getResult(0));
    for (Value r : region.getResults())
      if (elementCount(r) != count)
        return op->emitError("opencl: a fused region whose results differ in size");
    std::string body;
    llvm::raw_string_ostream b(body);
    DenseMap<Value, std::string> known;
    if (failed(g.elementwise(region.getBlock().without_terminator(), region, count, known, b)) ||
        failed(g.storeResults(region, known, b)))
      return failure();
    for (Value r : region.getResults())
      g.markWritten(r), g.arg(r);
    os << g.signature() << " {\n  {\n    const int i = get_global_id(0);\n" << body << "  }\n}\n";
    g.kernel.global = {count, 1, 1};
  } else {
    return op->emitError("opencl: no generated kernel for a fused region of kind '") << region.getKind() << "'";
  }
  g.kernel.source = text;
  return g.kernel;
}

} // namespace opencl
} // namespace mote
