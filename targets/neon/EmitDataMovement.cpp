// NEON op printers: data movement (strided copies for transpose, slice, concat, split, expand; gather,
// trilu, resize, pad) and reductions.
#include "targets/neon/ModelEmitter.h"

#include "codegen/WeightValues.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {
namespace {

void copy(ModelEmitter &e, const StridedCopy &c, int64_t bytes, const std::string &in, const std::string &out) {
  SourceWriter &s = e.source();
  e.body() << "  copyStrided(" << bytes << ", " << c.shape.size() << ", " << s.intTable(c.shape) << ", " << in
           << " + (" << c.inOffset << "), " << s.intTable(c.inStrides) << ", " << out << " + (" << c.outOffset
           << "), " << s.intTable(c.outStrides) << ");\n";
}

} // namespace

std::optional<LogicalResult> emitDataMovement(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                              Pointers out) {
  using Result = std::optional<LogicalResult>;
  SourceWriter &s = e.source();
  auto bytesOf = [&](Value v) { return e.elementBytes(v); };
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](TransposeOp t) -> Result {
        copy(e, transposeCopy(t), bytesOf(t.getResult()), in[0], out[0]);
        return success();
      })
      .Case([&](SliceOp sl) -> Result {
        copy(e, sliceCopy(sl), bytesOf(sl.getResult()), in[0], out[0]);
        return success();
      })
      .Case([&](ExpandOp x) -> Result {
        copy(e, expandCopy(x), bytesOf(x.getResult()), in[0], out[0]);
        return success();
      })
      .Case([&](ConcatOp c) -> Result {
        for (auto [i, part] : llvm::enumerate(concatCopies(c)))
          copy(e, part, bytesOf(c.getResult()), in[i], out[0]);
        return success();
      })
      .Case([&](SplitOp sp) -> Result {
        for (auto [i, part] : llvm::enumerate(splitCopies(sp)))
          copy(e, part, bytesOf(sp.getInput()), in[0], out[i]);
        return success();
      })
      .Case([&](KvWriteOp w) -> Result {
        Shape c = shapeOf(w.getCache());
        e.body() << "  if (!kvWrite(" << bytesOf(w.getCache()) << ", " << c[0] * c[1] << ", " << c[2] << ", "
                 << shapeOf(w.getUpdate())[2] << ", " << c[3] << ", " << in[0] << ", " << in[1] << ", " << in[2]
                 << ", " << out[0] << ")) return mote::rt::kModelCachePosition;\n";
        return success();
      })
      .Case([&](GatherOp g) -> Result {
        Shape d = shapeOf(g.getData());
        AxisSplit a = splitAtAxis(d, normalizedAxis(g.getAxis(), d.size()));
        if (k.kernel == "gather_w4") { // int4 rows times their per-block scales
          auto dequantize = cast<DequantizeOp>(quantizedWeight(g.getData()));
          FailureOr<std::string> q = e.ptr(dequantize.getInput()), scales = e.ptr(dequantize.getScale());
          if (failed(q) || failed(scales))
            return failure();
          e.body() << "  if (!gatherW4(" << d[0] << ", " << d[1] << ", " << *dequantize.getBlockSize() << ", " << *q
                   << ", " << *scales << ", " << e.dtype(g.getIndices()) << ", " << in[1] << ", "
                   << elementCount(g.getIndices()) << ", " << out[0]
                   << (elementTypeOf(dequantize.getScale()).isF32() ? ", /*f16Scales=*/false" : "")
                   << ")) return mote::rt::kModelGatherIndex;\n";
          return success();
        }
        if (k.kernel == "gather_w8") { // int8 rows times their scales
          auto dequantize = cast<DequantizeOp>(quantizedWeight(g.getData()));
          FailureOr<std::string> q = e.ptr(dequantize.getInput()), scales = e.ptr(dequantize.getScale());
          if (failed(q) || failed(scales))
            return failure();
          e.body() << "  if (!gatherW8(" << a.outer << ", " << a.n << ", " << a.inner << ", " << *q << ", " << *scales
                   << ", " << e.dtype(g.getIndices()) << ", " << in[1] << ", " << elementCount(g.getIndices()) << ", "
                   << out[0] << ")) return mote::rt::kModelGatherIndex;\n";
          return success();
        }
        e.body() << "  if (!gather(" << bytesOf(g.getData()) << ", " << a.outer << ", " << a.n << ", " << a.inner
                 << ", " << in[0] << ", " << e.dtype(g.getIndices()) << ", " << in[1] << ", "
                 << elementCount(g.getIndices()) << ", " << out[0] << ")) return mote::rt::kModelGatherIndex;\n";
        return success();
      })
      .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp>([&](auto r) -> Result {
        ReductionLayout l = reductionLayout(shapeOf(r.getInput()), r.getAxes());
        StringRef kind = isa<ReduceMeanOp>(op)  ? "Mean"
                         : isa<ReduceSumOp>(op) ? "Sum"
                         : isa<ReduceMaxOp>(op) ? "Max"
                                                : "Min";
        if (k.kernel == "reduce_int") {
          e.body() << "  reduceInt(Reduce::" << kind << ", " << e.dtype(r.getInput()) << ", " << l.inputShape.size()
                   << ", " << s.intTable(l.inputShape) << ", " << in[0] << ", " << s.intTable(l.outputStrides) << ", "
                   << out[0] << ", " << l.outputCount << ", " << l.reduceCount << ");\n";
          return success();
        }
        StringRef fn = k.kernel == "reduce_f16" ? "reduceF16" : "reduceF32";
        e.body() << "  " << fn << "(Reduce::" << kind << ", " << l.inputShape.size() << ", "
                 << s.intTable(l.inputShape) << ", " << in[0] << ", " << s.intTable(l.outputStrides) << ", "
                 << out[0] << ", " << l.outputCount << ", " << l.reduceCount << ");\n";
        return success();
      })
      .Case([&](ArgMaxOp a) -> Result {
        Shape i = shapeOf(a.getInput());
        AxisSplit split = splitAtAxis(i, normalizedAxis(a.getAxis(), i.size()));
        e.body() << "  argMax(" << e.dtype(a.getInput()) << ", " << split.outer << ", " << split.n << ", "
                 << split.inner << ", " << (a.getSelectLastIndex() ? "true" : "false") << ", " << in[0] << ", "
                 << out[0] << ");\n";
        return success();
      })
      .Case([&](TriluOp t) -> Result {
        Shape i = shapeOf(t.getInput());
        if (i.size() < 2)
          return t.emitError("neon emitter: trilu needs rank >= 2");
        int64_t rows = i[i.size() - 2], cols = i.back();
        e.body() << "  trilu(" << bytesOf(t.getInput()) << ", " << elementCount(t.getInput()) / std::max<int64_t>(1, rows * cols)
                 << ", " << rows << ", " << cols << ", " << (t.getUpper() ? "true" : "false") << ", "
                 << static_cast<int64_t>(t.getK()) << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](ResizeOp r) -> Result {
        ResizeTables t = resizeTables(r);
        Shape i = shapeOf(r.getInput()), o = shapeOf(r.getResult());
        if (k.kernel == "resize_nearest") {
          e.body() << "  resizeNearest(" << bytesOf(r.getInput()) << ", " << i.size() << ", " << s.intTable(o) << ", "
                   << s.intTable(contiguousStrides(i)) << ", " << s.intTable(t.indices) << ", " << in[0] << ", "
                   << out[0] << ");\n";
          return success();
        }
        StringRef fn = k.kernel == "resize_f16" ? "resizeF16" : "resize";
        e.body() << "  " << fn << "(" << i.size() << ", " << s.intTable(o) << ", " << s.intTable(contiguousStrides(i))
                 << ", " << s.intTable(t.indices) << ", " << s.floatTable(t.weights) << ", "
                 << (t.linear ? "true" : "false") << ", " << in[0] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](PadOp p) -> Result {
        Shape i = shapeOf(p.getInput()), o = shapeOf(p.getResult());
        Shape begins(p.getPads().take_front(i.size()));
        StringRef mode = p.getMode();
        int m = mode == "reflect" ? 1 : mode == "edge" ? 2 : 0;
        e.body() << "  pad(" << bytesOf(p.getInput()) << ", " << i.size() << ", " << s.intTable(i) << ", "
                 << s.intTable(o) << ", " << s.intTable(begins) << ", " << m << ", "
                 << doubleLiteral(attrValue(p.getValue())) << ", " << e.dtype(p.getInput()) << ", " << in[0] << ", "
                 << out[0] << ");\n";
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace neon
} // namespace mote
