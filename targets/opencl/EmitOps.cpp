// The OpenCL emitter's op printers: the launch of each kernel of runtime/opencl/kernels with the op's
// constant shapes, strides and offsets (codegen/ShapeArithmetic.h), or of the kernel generated for the op
// (FusedKernels.h).
#include "targets/opencl/ModelEmitter.h"

#include "codegen/WeightValues.h"
#include "targets/opencl/FusedKernels.h"
#include "ir/ConstantBytes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <functional>
#include <cstring>

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace opencl {
namespace {

using Result = LogicalResult;

std::string num(int64_t v) { return std::to_string(v); }
std::string real(double v) { return floatLiteral(v); }

std::optional<int> binaryKind(Operation *op) {
  return TypeSwitch<Operation *, std::optional<int>>(op)
      .Case([](AddOp) { return 0; })
      .Case([](SubOp) { return 1; })
      .Case([](MulOp) { return 2; })
      .Case([](DivOp) { return 3; })
      .Case([](PowOp) { return 4; })
      .Case([](MaxOp) { return 5; })
      .Case([](MinOp) { return 6; })
      .Default([](Operation *) { return std::nullopt; });
}

std::optional<int> reduceKind(Operation *op) {
  return TypeSwitch<Operation *, std::optional<int>>(op)
      .Case([](ReduceMeanOp) { return 0; })
      .Case([](ReduceSumOp) { return 1; })
      .Case([](ReduceMaxOp) { return 2; })
      .Case([](ReduceMinOp) { return 3; })
      .Default([](Operation *) { return std::nullopt; });
}

/// A rank-4 image's (N, C, H, W) and its (n, c, h, w) element strides, NHWC when `channelsLast`.
struct Image {
  Shape dims, strides;
};
Image imageOf(Value v, bool channelsLast) {
  Shape s = shapeOf(v), c = contiguousStrides(s);
  if (channelsLast)
    return {{s[0], s[3], s[1], s[2]}, {c[0], c[3], c[1], c[2]}};
  return {s, c};
}

/// The kernel of copy_strided or gather for elements of `v`'s size.
std::string byWidth(StringRef kernel, Value v) { return (kernel + "_" + num(elementBytes(elementTypeOf(v)) * 8)).str(); }

class Printer {
public:
  Printer(ModelEmitter &e, Operation *op) : e(e), op(op) {}

  /// Every tensor's Buf expression, or failure (emitted).
  FailureOr<std::string> b(Value v, int64_t offset = 0) { return e.buf(v, offset); }

  Result stridedCopy(Value from, Value to, const StridedCopy &c) {
    if (c.shape.size() > 4)
      return op->emitError("opencl emitter: a copy of rank ") << c.shape.size() << " (at most 4)";
    FailureOr<std::string> x = b(from, c.inOffset), y = b(to, c.outOffset);
    if (failed(x) || failed(y))
      return failure();
    int64_t n = 1;
    for (int64_t d : c.shape)
      n *= d;
    e.launch(byWidth("copy_strided", to), {n, 1, 1}, {0, 0, 0},
             {*x, int4Of(c.inStrides, 0), *y, int4Of(c.outStrides, 0), int4Of(c.shape, 1)});
    return success();
  }

  Result elementwise() {
    Value y = op->getResult(0);
    int64_t n = elementCount(y);
    FailureOr<std::string> out = b(y);
    if (failed(out))
      return failure();
    if (std::optional<UnaryFunction> f = unaryFunction(op)) {
      FailureOr<std::string> x = b(op->getOperand(0));
      if (failed(x))
        return failure();
      e.launch("unary", {n, 1, 1}, {0, 0, 0}, {num(f->kind), *x, *out, real(f->p0), real(f->p1)});
      return success();
    }
    std::optional<int> kind = binaryKind(op);
    if (!kind)
      return op->emitError("opencl emitter: not an elementwise op of the library");
    Shape shape = shapeOf(y);
    FailureOr<std::string> lhs = b(op->getOperand(0)), rhs = b(op->getOperand(1));
    if (failed(lhs) || failed(rhs))
      return failure();
    e.launch(elementTypeOf(y).isInteger(64) ? "binary_i64" : "binary", {n, 1, 1}, {0, 0, 0},
             {num(*kind), *lhs, int4Of(broadcastStrides(shapeOf(op->getOperand(0)), shape), 0), *rhs,
              int4Of(broadcastStrides(shapeOf(op->getOperand(1)), shape), 0), *out, int4Of(shape, 1)});
    return success();
  }

  /// A comparison, And or Or into a bool tensor, or Where from one: broadcast strides per operand.
  Result predicate(StringRef kernel) {
    Value y = op->getResult(0);
    Shape shape = shapeOf(y);
    SmallVector<std::string> args;
    if (kernel != "where_select") {
      int kind = TypeSwitch<Operation *, int>(op)
                     .Case<EqualOp, AndOp>([](Operation *) { return 0; })
                     .Case<LessOp, OrOp>([](Operation *) { return 1; })
                     .Case([](GreaterOp) { return 2; })
                     .Case([](LessOrEqualOp) { return 3; })
                     .Default([](Operation *) { return 4; });
      args.push_back(num(kind));
    }
    for (Value v : op->getOperands()) {
      FailureOr<std::string> got = b(v);
      if (failed(got))
        return failure();
      args.push_back(*got);
      args.push_back(int4Of(broadcastStrides(shapeOf(v), shape), 0));
    }
    FailureOr<std::string> out = b(y);
    if (failed(out))
      return failure();
    args.push_back(*out);
    args.push_back(int4Of(shape, 1));
    e.launch(kernel, {elementCount(y), 1, 1}, {0, 0, 0}, args);
    return success();
  }

  Result cast(StringRef kernel) {
    FailureOr<std::string> x = b(op->getOperand(0)), y = b(op->getResult(0));
    if (failed(x) || failed(y))
      return failure();
    e.launch(kernel, {elementCount(op->getResult(0)), 1, 1}, {0, 0, 0}, {*x, *y});
    return success();
  }

  Result reduce() {
    Value x = op->getOperand(0);
    auto axes = op->getAttrOfType<DenseI64ArrayAttr>("axes");
    ReductionLayout r = reductionLayout(shapeOf(x), axes ? axes.asArrayRef() : ArrayRef<int64_t>());
    Shape reduced;
    for (int64_t s : r.outputStrides)
      reduced.push_back(s == 0 ? 1 : 0);
    FailureOr<std::string> in = b(x), out = b(op->getResult(0));
    if (failed(in) || failed(out))
      return failure();
    e.launch("reduce", {r.outputCount, 1, 1}, {0, 0, 0},
             {num(*reduceKind(op)), *in, *out, int4Of(r.inputShape, 1), int4Of(reduced, 0), num(r.reduceCount)});
    return success();
  }

  Result batchNorm(BatchNormOp bn) {
    Shape shape = shapeOf(bn.getInput());
    int64_t channels = elementCount(bn.getScale());
    int64_t inner = 1;
    if (!bn.getChannelsLast())
      for (size_t d = 2; d < shape.size(); ++d)
        inner *= shape[d];
    // scale / sqrt(var + eps) and bias - mean * that, in f32 from the f32 constants (before any f16 storage).
    SmallVector<std::vector<float>> params;
    for (Value v : {bn.getScale(), bn.getBias(), bn.getMean(), bn.getVariance()}) {
      ConstantOp c = weightConstant(v);
      std::optional<std::vector<char>> bytes =
          c && elementTypeOf(c.getResult()).isF32() ? constantBytes(c.getValue(), 4) : std::nullopt;
      if (!bytes || static_cast<int64_t>(bytes->size()) != channels * 4)
        return op->emitError("opencl emitter: a batch norm whose scale, bias, mean and variance are not f32 "
                             "constants of one value per channel");
      std::vector<float> values(channels);
      std::memcpy(values.data(), bytes->data(), bytes->size());
      params.push_back(std::move(values));
    }
    SmallVector<float> ab(2 * channels);
    const float eps = static_cast<float>(attrValue(bn.getEpsilon()));
    for (int64_t c = 0; c < channels; ++c) {
      ab[c] = params[0][c] / std::sqrt(params[3][c] + eps);
      ab[channels + c] = params[1][c] - params[2][c] * ab[c];
    }
    FailureOr<std::string> x = b(bn.getInput()), y = b(bn.getResult());
    if (failed(x) || failed(y))
      return failure();
    e.launch("batch_norm", {elementCount(bn.getResult()), 1, 1}, {0, 0, 0},
             {*x, e.floatTable(ab) + ".mem", *y, num(channels), num(inner)});
    return success();
  }

  Result pool(Operation *op, ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
              ArrayRef<int64_t> dilations, bool channelsLast, bool isMax, bool countIncludePad) {
    if (kernel.size() != 2 || strides.size() != 2 || pads.size() != 4)
      return op->emitError("opencl emitter: only 2-D pooling");
    Image in = imageOf(op->getOperand(0), channelsLast), out = imageOf(op->getResult(0), channelsLast);
    FailureOr<std::string> x = b(op->getOperand(0)), y = b(op->getResult(0));
    if (failed(x) || failed(y))
      return failure();
    e.launch("pool2d", {out.dims[1], out.dims[2] * out.dims[3], out.dims[0]}, {0, 0, 0},
             {isMax ? "1" : "0", *x, int4Of(in.strides, 0), *y, int4Of(out.strides, 0),
              int4Of({in.dims[1], in.dims[2], in.dims[3], countIncludePad ? 1 : 0}, 0),
              "i2(" + num(out.dims[2]) + ", " + num(out.dims[3]) + ")",
              int4Of({kernel[0], kernel[1], strides[0], strides[1]}, 0), int4Of(pads, 0),
              "i2(" + num(dilations.empty() ? 1 : dilations[0]) + ", " + num(dilations.empty() ? 1 : dilations[1]) +
                  ")"});
    return success();
  }

  Result convTranspose(ConvTransposeOp c) {
    if (c.getStrides().size() != 2 || c.getPads().size() != 4)
      return op->emitError("opencl emitter: only 2-D transposed convolutions");
    Image in = imageOf(c.getInput(), c.getChannelsLast()), out = imageOf(c.getResult(), c.getChannelsLast());
    Shape w = shapeOf(c.getWeight());
    FailureOr<std::string> x = b(c.getInput()), wb = b(c.getWeight()), y = b(c.getResult());
    if (failed(x) || failed(wb) || failed(y))
      return failure();
    std::string bias = "s.none()";
    if (c.getBias()) {
      FailureOr<std::string> got = b(c.getBias());
      if (failed(got))
        return failure();
      bias = *got;
    }
    ArrayRef<int64_t> st = c.getStrides(), dil = c.getDilations(), pads = c.getPads();
    e.launch("conv_transpose2d", {out.dims[1], out.dims[2] * out.dims[3], out.dims[0]}, {0, 0, 0},
             {*x, int4Of(in.strides, 0), *wb, bias, c.getBias() ? "1" : "0", *y, int4Of(out.strides, 0),
              int4Of({in.dims[1], in.dims[2], in.dims[3], static_cast<int64_t>(c.getGroup())}, 0),
              int4Of({out.dims[1], out.dims[2], out.dims[3], 0}, 0), "i2(" + num(w[2]) + ", " + num(w[3]) + ")",
              int4Of({st[0], st[1], dil.empty() ? 1 : dil[0], dil.empty() ? 1 : dil[1]}, 0),
              "i2(" + num(pads[0]) + ", " + num(pads[1]) + ")"});
    return success();
  }

  /// A tensor as the attention kernel reads or writes it: the value holding the memory, the element
  /// strides of the attention operand's (b, h, s, d) dims in it, and the element offset of its first element.
  struct Strided {
    Value memory;
    Shape strides;
    int64_t offset = 0;
  };

  /// `a` over operands read through the strides `operand` gives (a head transpose is strides), writing its
  /// result at `result`.
  Result attention(AttentionOp a, function_ref<FailureOr<Strided>(Value)> operand, const Strided &result) {
    auto dims4 = [](Value v) {
      Shape s = shapeOf(v);
      while (s.size() < 4)
        s.insert(s.begin(), 1);
      return s;
    };
    Shape q = dims4(a.getQuery()), k = dims4(a.getKey()), v = dims4(a.getValue());
    FailureOr<Strided> qs = operand(a.getQuery()), ks = operand(a.getKey()), vs = operand(a.getValue());
    if (failed(qs) || failed(ks) || failed(vs))
      return failure();
    FailureOr<std::string> qb = b(qs->memory, qs->offset), kb = b(ks->memory, ks->offset),
                           vb = b(vs->memory, vs->offset), yb = b(result.memory, result.offset);
    if (failed(qb) || failed(kb) || failed(vb) || failed(yb))
      return failure();
    std::string mb = "s.none()", ms = "i4(0, 0, 0, 0)";
    if (a.getMask()) {
      FailureOr<Strided> m = operand(a.getMask());
      if (failed(m))
        return failure();
      FailureOr<std::string> got = b(m->memory, m->offset);
      if (failed(got))
        return failure();
      mb = *got;
      ms = int4Of(broadcastStrides(shapeOf(a.getMask()), {q[0], q[1], q[2], k[2]}), 0);
    }
    // Value heads wider than the kernel's 256 columns: slices of 256 per work-item (Attention.cl).
    const int64_t chunks = (v[3] + 255) / 256;
    e.launch("attention", {q[2], q[1] * chunks, q[0]}, {0, 0, 0},
             {*qb, int4Of(qs->strides, 0), *kb, int4Of(ks->strides, 0), *vb, int4Of(vs->strides, 0), mb, ms,
              a.getMask() ? "1" : "0", *yb, int4Of(result.strides, 0), int4Of({q[1], k[1], k[2], chunks}, 0),
              num(q[3]), num(v[3]), real(attrValue(a.getScale()))});
    return success();
  }

  /// A plain attention op: every operand and the result contiguous.
  Result attention(AttentionOp a) {
    auto contiguous = [](Value v) -> FailureOr<Strided> { return Strided{v, contiguousStrides(shapeOf(v))}; };
    return attention(a, contiguous, *contiguous(a.getResult()));
  }

  /// An "attention" region: the attention op reading its operands through head transposes, head splits
  /// and last-axis windows of the region's inputs, its result transposed back into the region's result;
  /// all of these are strides and offsets.
  Result attentionRegion(FusedOp region) {
    AttentionOp a;
    for (Operation &op : region.getBlock().without_terminator())
      if (auto found = dyn_cast<AttentionOp>(op))
        a = found;
    if (!a)
      return op->emitError("opencl emitter: an attention region without attention");
    std::function<FailureOr<Strided>(Value)> operand = [&](Value v) -> FailureOr<Strided> {
      if (auto arg = dyn_cast<BlockArgument>(v)) {
        Value memory = region.getInputs()[arg.getArgNumber()];
        return Strided{memory, contiguousStrides(shapeOf(memory))};
      }
      Operation *def = v.getDefiningOp();
      FailureOr<Strided> in = failure();
      if (def && def->getNumOperands() == 1)
        in = operand(def->getOperand(0));
      if (failed(in))
        return failure();
      if (auto t = dyn_cast<TransposeOp>(def)) {
        Shape strides;
        for (int64_t p : t.getPerm())
          strides.push_back(in->strides[p]); // dim i of the transpose is dim perm[i] of its input
        return Strided{in->memory, strides, in->offset};
      }
      Shape to = shapeOf(v);
      if (isa<ReshapeOp>(def) && in->strides.size() == 3 && to.size() == 4 && to[0] == shapeOf(def->getOperand(0))[0] &&
          to[1] == shapeOf(def->getOperand(0))[1]) // a head split [B, S, H*D] -> [B, S, H, D]
        return Strided{in->memory, {in->strides[0], in->strides[1], to[3] * in->strides[2], in->strides[2]},
                       in->offset};
      if (Shape from = shapeOf(def->getOperand(0)); isa<ReshapeOp>(def) && in->strides.size() == 3 && to.size() == 4 &&
          to[0] == from[0] && to[1] == 1 && to[2] == from[1] && to[3] == from[2]) // one head, [B, S, D] -> [B, 1, S, D]
        return Strided{in->memory, {in->strides[0], 0, in->strides[1], in->strides[2]}, in->offset};
      if (auto s = dyn_cast<SliceOp>(def); s && s.isLastAxisWindow())
        return Strided{in->memory, in->strides, in->offset + s.getStarts().back() * in->strides.back()};
      return op->emitError("opencl emitter: an attention region operand that is not a transposed, head-split or "
                           "windowed input");
    };
    auto yield = llvm::cast<YieldOp>(region.getBlock().getTerminator());
    if (yield.getNumOperands() != 1)
      return op->emitError("opencl emitter: an attention region with other than one result");
    Value out = yield.getOperand(0);
    Shape perm = {0, 1, 2, 3};
    if (auto t = out.getDefiningOp<TransposeOp>()) {
      perm = Shape(t.getPerm());
      out = t.getInput();
    }
    if (out != a.getResult() || perm.size() != 4)
      return op->emitError("opencl emitter: an attention region whose result is not the (transposed) attention");
    // Result dim i is attention dim perm[i]: attention dim perm[i] is stored with the result's stride i.
    Shape own = contiguousStrides(shapeOf(region.getResult(0))), strides(4);
    for (size_t i = 0; i < 4; ++i)
      strides[perm[i]] = own[i];
    return attention(a, operand, Strided{region.getResult(0), strides});
  }

  Result resize(ResizeOp r) {
    Shape in = shapeOf(r.getInput()), out = shapeOf(r.getResult());
    ResizeTables t = resizeTables(r);
    // Padded to rank 4: the leading dims of size 1 read coordinate 0 with weight 1.
    Shape indices;
    SmallVector<float> weights;
    for (size_t d = out.size(); d < 4; ++d) {
      indices.append({0, 0});
      weights.append({1.0f, 0.0f});
    }
    indices.append(t.indices.begin(), t.indices.end());
    weights.append(t.weights.begin(), t.weights.end());
    if (!t.linear) // nearest: only the first entry, weight 1
      for (size_t i = 0; i < weights.size(); i += 2) {
        weights[i] = 1.0f;
        weights[i + 1] = 0.0f;
      }
    FailureOr<std::string> x = b(r.getInput()), y = b(r.getResult());
    if (failed(x) || failed(y))
      return failure();
    std::string idx = e.intTable(indices), wt = e.floatTable(weights);
    e.launch("resize", {elementCount(r.getResult()), 1, 1}, {0, 0, 0},
             {*x, int4Of(in, 1), *y, int4Of(out, 1), idx + ".mem", wt + ".mem"});
    return success();
  }

  Result gather(GatherOp g) {
    Shape data = shapeOf(g.getData());
    AxisSplit split = splitAtAxis(data, normalizedAxis(g.getAxis(), data.size()));
    int64_t count = elementCount(g.getIndices());
    FailureOr<std::string> d = b(g.getData()), i = b(g.getIndices()), y = b(g.getResult());
    if (failed(d) || failed(i) || failed(y))
      return failure();
    e.launch(byWidth("gather", g.getResult()), {split.inner, count, split.outer}, {0, 0, 0},
             {*d, *i, *y, num(split.n), num(count), num(split.inner), "s.status()"});
    return success();
  }

  Result argMax(ArgMaxOp a) {
    Shape shape = shapeOf(a.getInput());
    AxisSplit split = splitAtAxis(shape, normalizedAxis(a.getAxis(), shape.size()));
    FailureOr<std::string> x = b(a.getInput()), y = b(a.getResult());
    if (failed(x) || failed(y))
      return failure();
    e.launch(elementTypeOf(a.getInput()).isInteger(64) ? "arg_max_i64" : "arg_max", {split.inner, split.outer, 1}, {0, 0, 0},
             {*x, *y, num(split.n), num(split.inner), a.getSelectLastIndex() ? "1" : "0"});
    return success();
  }

  Result softmax(SoftmaxOp sm) {
    Shape shape = shapeOf(sm.getInput());
    if (normalizedAxis(sm.getAxis(), shape.size()) != static_cast<int64_t>(shape.size()) - 1)
      return op->emitError("opencl emitter: softmax over another axis than the last is not supported yet");
    int64_t n = shape.back(), rows = elementCount(sm.getInput()) / std::max<int64_t>(n, 1);
    FailureOr<std::string> x = b(sm.getInput()), y = b(sm.getResult());
    if (failed(x) || failed(y))
      return failure();
    e.launch("softmax_rows", {rows * 64, 1, 1}, {64, 1, 1}, {*x, *y, num(n)});
    return success();
  }

private:
  ModelEmitter &e;
  Operation *op;
};

} // namespace

LogicalResult emitKernel(ModelEmitter &e, Operation *op, const KernelChoice &choice) {
  Printer p(e, op);
  StringRef k = choice.kernel;
  if (k == "compare" || k == "compare_i64" || k == "logical" || k == "where_select")
    return p.predicate(k);
  if (k == "unary" || k == "binary" || k == "binary_i64")
    return p.elementwise();
  if (k.starts_with("cast_"))
    return p.cast(k);
  if (k == "reduce")
    return p.reduce();
  if (k == "copy_strided") {
    return TypeSwitch<Operation *, LogicalResult>(op)
        .Case([&](TransposeOp t) { return p.stridedCopy(t.getInput(), t.getResult(), transposeCopy(t)); })
        .Case([&](SliceOp s) { return p.stridedCopy(s.getInput(), s.getResult(), sliceCopy(s)); })
        .Case([&](ExpandOp x) { return p.stridedCopy(x.getInput(), x.getResult(), expandCopy(x)); })
        .Case([&](ConcatOp c) {
          for (auto [input, copy] : llvm::zip(c.getInputs(), concatCopies(c)))
            if (failed(p.stridedCopy(input, c.getResult(), copy)))
              return failure();
          return success();
        })
        .Case([&](SplitOp s) {
          for (auto [result, copy] : llvm::zip(s.getResults(), splitCopies(s)))
            if (failed(p.stridedCopy(s.getInput(), result, copy)))
              return failure();
          return success();
        })
        .Default([&](Operation *) { return op->emitError("opencl emitter: not a copy"); });
  }
  if (k.starts_with("generated_")) {
    FailureOr<GeneratedKernel> g = generateKernel(op, e.nextKernelName());
    if (failed(g))
      return failure();
    SmallVector<std::string> args;
    for (Value v : g->args) {
      FailureOr<std::string> got = e.buf(v);
      if (failed(got))
        return failure();
      args.push_back(*got);
    }
    if (g->scratchBytes)
      args.push_back(e.scratch(g->scratchBytes));
    e.launch(e.addGeneratedKernel(g->source), g->global, g->local, args);
    return success();
  }
  if (k == "batch_norm")
    return p.batchNorm(cast<BatchNormOp>(op));
  if (k == "pool2d") {
    if (auto a = dyn_cast<AveragePoolOp>(op))
      return p.pool(op, a.getKernelShape(), a.getStrides(), a.getPads(), {}, a.getChannelsLast(), false,
                    a.getCountIncludePad());
    auto m = cast<MaxPoolOp>(op);
    return p.pool(op, m.getKernelShape(), m.getStrides(), m.getPads(), m.getDilations(), m.getChannelsLast(), true,
                  false);
  }
  if (k == "conv_transpose2d")
    return p.convTranspose(cast<ConvTransposeOp>(op));
  if (k == "softmax_rows")
    return p.softmax(cast<SoftmaxOp>(op));
  if (k == "attention") {
    if (auto region = dyn_cast<FusedOp>(op))
      return p.attentionRegion(region);
    return p.attention(cast<AttentionOp>(op));
  }
  if (k == "resize")
    return p.resize(cast<ResizeOp>(op));
  if (k == "gather")
    return p.gather(cast<GatherOp>(op));
  if (k == "arg_max" || k == "arg_max_i64")
    return p.argMax(cast<ArgMaxOp>(op));
  return op->emitError("opencl emitter: no printer for kernel '") << k << "'";
}

} // namespace opencl
} // namespace mote
