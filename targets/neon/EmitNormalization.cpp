// NEON op printers: normalizations, softmax and attention (statistics and sums accumulate in f32 or wider).
#include "targets/neon/ModelEmitter.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {

namespace {

/// The norm kernels' call; `epilogue` (", &ep" or empty) is appended to the group, layer and RMS norms'.
std::optional<LogicalResult> printNorm(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                       Pointers out, const std::string &epilogue) {
  using Result = std::optional<LogicalResult>;
  // "group_norm_f32" -> groupNorm, "group_norm_f16" -> groupNormF16.
  bool f16 = StringRef(k.kernel).ends_with("_f16");
  auto fn = [&](StringRef base) { return base.str() + (f16 ? "F16" : ""); };
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](GroupNormOp g) -> Result {
        Shape i = shapeOf(g.getInput());
        bool last = g.getChannelsLast();
        int64_t C = last ? i.back() : i[1];
        int64_t spatial = elementCount(g.getInput()) / (i[0] * C);
        e.body() << "  " << fn("groupNorm") << "(" << i[0] << ", " << C << ", " << spatial << ", "
                 << g.getNumGroups() << ", " << floatLiteral(attrValue(g.getEpsilon())) << ", "
                 << (last ? "true" : "false") << ", " << in[0] << ", " << in[1] << ", " << in[2] << ", " << out[0]
                 << epilogue << ");\n";
        return success();
      })
      // The halves of a split group norm on their own (NHWC f32; kernel selection took no other form).
      .Case([&](GroupNormStatsOp g) -> Result {
        Shape i = shapeOf(g.getInput());
        int64_t C = i.back(), spatial = elementCount(g.getInput()) / (i[0] * C);
        e.body() << "  groupNormStats(" << i[0] << ", " << C << ", " << spatial << ", " << g.getNumGroups() << ", "
                 << floatLiteral(attrValue(g.getEpsilon())) << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](GroupNormApplyOp g) -> Result {
        Shape i = shapeOf(g.getInput());
        int64_t C = i.back(), spatial = elementCount(g.getInput()) / (i[0] * C);
        e.body() << "  { mote::neon::ops::GroupNormPrologue pro;\n    pro.stats = " << in[1] << ";\n    pro.scale = "
                 << in[2] << ";\n    pro.bias = " << in[3] << ";\n    pro.groups = " << g.getNumGroups()
                 << ";\n    groupNormApply(" << i[0] << ", " << C << ", " << spatial << ", " << in[0] << ", pro, "
                 << out[0] << "); }\n";
        return success();
      })
      .Case([&](LayerNormOp l) -> Result {
        Shape i = shapeOf(l.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(l.getAxis(), i.size()));
        int64_t inner = a.n * a.inner;
        if (elementCount(l.getScale()) != inner || (l.getBias() && elementCount(l.getBias()) != inner))
          return l.emitError("neon emitter: layer_norm scale/bias must have the normalized size");
        e.body() << "  " << fn("layerNorm") << "(" << a.outer << ", " << inner << ", "
                 << floatLiteral(attrValue(l.getEpsilon())) << ", " << in[0] << ", " << in[1] << ", "
                 << (l.getBias() ? in[2] : "nullptr") << ", " << out[0] << epilogue << ");\n";
        return success();
      })
      .Case([&](RmsNormOp l) -> Result {
        Shape i = shapeOf(l.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(l.getAxis(), i.size()));
        int64_t inner = a.n * a.inner;
        if (elementCount(l.getScale()) != inner)
          return l.emitError("neon emitter: rms_norm scale must have the normalized size");
        e.body() << "  " << fn("rmsNorm") << "(" << a.outer << ", " << inner << ", "
                 << floatLiteral(attrValue(l.getEpsilon())) << ", " << in[0] << ", " << in[1] << ", " << out[0]
                 << epilogue << ");\n";
        return success();
      })
      .Case([&](SoftmaxOp sm) -> Result {
        Shape i = shapeOf(sm.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(sm.getAxis(), i.size()));
        e.body() << "  " << fn("softmax") << "(" << a.outer << ", " << a.n << ", " << a.inner << ", " << in[0]
                 << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](CacheAttentionOp a) -> Result {
        Shape q = shapeOf(a.getQuery()), kk = shapeOf(a.getKey()), v = shapeOf(a.getValue());
        e.body() << "  if (!" << fn("cacheAttention") << "(" << q[0] << ", " << q[1] << ", " << kk[1] << ", " << q[2] << ", " << kk[2]
                 << ", " << q[3] << ", " << v[3] << ", " << floatLiteral(attrValue(a.getScale())) << ", " << in[0]
                 << ", " << in[1] << ", " << in[2] << ", " << in[3] << ", " << out[0]
                 << ")) return mote::rt::kModelCachePosition;\n";
        return success();
      })
      .Case([&](AttentionOp a) -> Result {
        Shape q = shapeOf(a.getQuery()), kk = shapeOf(a.getKey()), v = shapeOf(a.getValue());
        if (q.size() != 4 || kk.size() != 4 || v.size() != 4)
          return a.emitError("neon emitter: attention needs rank-4 [B, H, S, D] operands");
        // The mask's broadcast strides over [B, H, Sq, Sk]; without a mask they are never read.
        std::string mask = a.getMask() ? in[3] : std::string("nullptr");
        std::string ms = e.source().intTable(a.getMask() ? broadcastStrides(shapeOf(a.getMask()), {q[0], q[1], q[2], kk[2]})
                                                         : Shape{0, 0, 0, 0});
        e.body() << "  " << fn("attention") << "(" << q[0] << ", " << q[1] << ", " << kk[1] << ", " << q[2] << ", "
                 << kk[2] << ", " << q[3] << ", " << v[3] << ", " << floatLiteral(attrValue(a.getScale())) << ", "
                 << in[0] << ", " << in[1] << ", " << in[2] << ", " << mask << ", " << ms << ", " << out[0] << ");\n";
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

/// A mote.fused "norm_elementwise" region: the norm's kernel writes the region's first output buffer and
/// runs the elementwise ops after it on each row as it completes it (program input 0 is that buffer).
LogicalResult normElementwise(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  Operation *norm = &block.front();
  SmallVector<std::string> normIn;
  for (Value v : norm->getOperands()) {
    std::optional<std::string> p = regionInputPointer(v, in);
    if (!p)
      return norm->emitError("neon emitter: a fused norm must read the region's inputs");
    normIn.push_back(*p);
  }
  // What the program may read: the norm's result (the buffer it writes), and the region's inputs.
  SmallVector<Value> inputs = {norm->getResult(0)};
  SmallVector<std::string> ptrs = {out[0]};
  for (BlockArgument arg : block.getArguments()) {
    inputs.push_back(arg);
    ptrs.push_back(in[arg.getArgNumber()]);
  }
  SmallVector<std::string> programPtrs;
  FailureOr<std::string> program =
      fusedProgram(e, inputs, ptrs, llvm::make_range(std::next(block.begin()), block.end()), programPtrs);
  if (failed(program))
    return failure();
  // The norm's own kernel in the region's precision ("fused_group_norm_f16" -> group_norm_f16, whose
  // epilogue program runs on f16 registers), or the f32 one on widened copies of f16 storage.
  const bool f16 = StringRef(k.kernel).ends_with("_f16");
  const char *element = f16 ? "__fp16" : "float";
  e.body() << "  {\n    const FusedProgram p = " << *program << ";\n"
           << "    const " << element << " *const epIn[] = {" << commaList(programPtrs) << "};\n"
           << "    " << element << " *const epOut[] = {" << commaList(out) << "};\n"
           << "    const FusedEpilogue" << (f16 ? "F16" : "") << " ep = {&p, epIn, epOut};\n";
  KernelChoice normKernel{(norm->getName().stripDialect() + (f16 ? "_f16" : "_f32")).str()};
  std::optional<LogicalResult> done = printNorm(e, norm, normKernel, normIn, out, ", &ep");
  e.body() << "  }\n";
  if (!done)
    return norm->emitError("neon emitter: no fused kernel for this norm");
  return *done;
}

/// A mote.fused "attention" region: the attention kernel with strides, reading a query, key or value that
/// the region transposes into heads from the region's [B, S, H, D] input, and writing the output the
/// same way when the region yields it transposed back.
LogicalResult attentionRegion(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  auto ops = block.getOps<AttentionOp>();
  if (ops.empty())
    return fused.emitError("neon emitter: an attention region holds no mote.attention");
  AttentionOp a = *ops.begin();
  Shape q = shapeOf(a.getQuery()), kk = shapeOf(a.getKey()), v = shapeOf(a.getValue());
  if (q.size() != 4 || kk.size() != 4 || v.size() != 4)
    return a.emitError("neon emitter: attention needs rank-4 [B, H, S, D] operands");
  // Strides over (b, h, s) of a [B, H, S, D] operand: dense, or read from a [B, S, H, D] buffer whose rows
  // of H*D elements are `row` apart (H*D, or the width of a merged projection it is a window of).
  auto strides = [](const Shape &s, bool headsInner, int64_t row) -> Shape {
    if (headsInner)
      return {s[2] * row, s[3], row};
    return {s[1] * s[2] * s[3], s[2] * s[3], s[3]};
  };
  SmallVector<int64_t> layout;
  SmallVector<std::string> ptrs;
  for (auto [value, shape] : {std::pair{a.getQuery(), q}, {a.getKey(), kk}, {a.getValue(), v}}) {
    Value source = value;
    bool transposed = false;
    int64_t row = shape[1] * shape[3], offset = 0;
    // One head: a [B, 1, S, D] view of a window of the last axis, read in place (mote-fuse-attention).
    auto view = value.getDefiningOp<ReshapeOp>();
    if (view && view.getInput().getDefiningOp<SliceOp>() && shape[1] == 1) {
      auto window = view.getInput().getDefiningOp<SliceOp>();
      if (!window.isLastAxisWindow())
        return window.emitError("neon emitter: an attention region's slice must be a window of the last axis");
      source = window.getInput();
      transposed = true; // rows of the window's input, heads (one) inner
      row = shapeOf(source).back();
      offset = window.getStarts().back();
    } else if (auto t = value.getDefiningOp<TransposeOp>()) {
      source = t.getInput();
      transposed = true;
      // A head split of a window of the last axis: read in place (mote-fuse-attention).
      if (auto split = source.getDefiningOp<ReshapeOp>())
        if (auto window = split.getInput().getDefiningOp<SliceOp>()) {
          if (!window.isLastAxisWindow())
            return window.emitError("neon emitter: an attention region's slice must be a window of the last axis");
          source = window.getInput();
          row = shapeOf(source).back();
          offset = window.getStarts().back();
        }
    }
    std::optional<std::string> p = regionInputPointer(source, in, offset);
    if (!p)
      return a.emitError("neon emitter: an attention region's query, key and value must be its inputs");
    ptrs.push_back(*p);
    llvm::append_range(layout, strides(shape, transposed, row));
  }
  Value yielded = cast<YieldOp>(block.getTerminator()).getValues().front();
  Shape o = shapeOf(a.getOutput());
  llvm::append_range(layout, strides(o, yielded != a.getOutput(), o[1] * o[3]));
  std::string mask = "nullptr";
  if (a.getMask()) {
    std::optional<std::string> p = regionInputPointer(a.getMask(), in);
    if (!p)
      return a.emitError("neon emitter: an attention region's mask must be its input");
    mask = *p;
  }
  std::string ms = e.source().intTable(a.getMask() ? broadcastStrides(shapeOf(a.getMask()), {q[0], q[1], q[2], kk[2]})
                                                   : Shape{0, 0, 0, 0});
  bool f16 = StringRef(k.kernel).ends_with("_f16");
  e.body() << "  " << (f16 ? "attentionF16" : "attention") << "(" << q[0] << ", " << q[1] << ", " << kk[1] << ", "
           << q[2] << ", " << kk[2] << ", " << q[3] << ", " << v[3] << ", " << floatLiteral(attrValue(a.getScale()))
           << ", " << ptrs[0] << ", " << ptrs[1] << ", " << ptrs[2] << ", " << mask << ", " << ms << ", " << out[0]
           << ", " << e.source().intTable(layout) << ");\n";
  return success();
}

} // namespace

std::optional<LogicalResult> emitNormalization(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                               Pointers out) {
  if (auto fused = dyn_cast<FusedOp>(op); fused && fused.getKind() == "norm_elementwise")
    return normElementwise(e, fused, k, in, out);
  if (auto fused = dyn_cast<FusedOp>(op); fused && fused.getKind() == "attention")
    return attentionRegion(e, fused, k, in, out);
  return printNorm(e, op, k, in, out, "");
}

} // namespace neon
} // namespace mote
