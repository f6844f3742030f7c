// Target-independent shape arithmetic of code generation (see ShapeArithmetic.h).
#include "codegen/ShapeArithmetic.h"

#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinTypes.h"

#include <algorithm>
#include <cmath>

using namespace mlir;

namespace mote {
namespace codegen {

Shape shapeOf(Value v) { return Shape(cast<RankedTensorType>(v.getType()).getShape()); }
Type elementTypeOf(Value v) { return cast<RankedTensorType>(v.getType()).getElementType(); }
int64_t elementCount(Value v) { return numElements(cast<RankedTensorType>(v.getType()).getShape()); }
int64_t elementBytes(Type t) {
  if (t.isInteger(1))
    return 1;
  return std::max<int64_t>(1, static_cast<int64_t>(t.getIntOrFloatBitWidth()) / 8);
}

Shape contiguousStrides(ArrayRef<int64_t> shape) { return stridesOf(shape); }

Shape broadcastStrides(ArrayRef<int64_t> shape, ArrayRef<int64_t> out) {
  Shape own = contiguousStrides(shape), s(out.size(), 0);
  int64_t lead = static_cast<int64_t>(out.size()) - static_cast<int64_t>(shape.size());
  for (size_t d = 0; d < shape.size(); ++d)
    if (!(shape[d] == 1 && out[lead + d] != 1))
      s[lead + d] = own[d];
  return s;
}

AxisSplit splitAtAxis(ArrayRef<int64_t> shape, int64_t axis) {
  AxisSplit s;
  s.outer = numElements(shape.take_front(axis));
  s.n = shape.empty() ? 1 : shape[axis];
  s.inner = shape.empty() ? 1 : numElements(shape.drop_front(axis + 1));
  return s;
}

int64_t normalizedAxis(uint64_t axis, size_t rank) {
  int64_t a = static_cast<int64_t>(axis);
  return a < 0 ? a + static_cast<int64_t>(rank) : a;
}

StridedCopy transposeCopy(TransposeOp op) {
  Shape in = contiguousStrides(shapeOf(op.getInput()));
  StridedCopy c;
  c.shape = shapeOf(op.getResult());
  for (int64_t p : op.getPerm())
    c.inStrides.push_back(in[p]);
  c.outStrides = contiguousStrides(c.shape);
  return c;
}

StridedCopy sliceCopy(SliceOp op) {
  Shape in = contiguousStrides(shapeOf(op.getInput()));
  StridedCopy c;
  c.shape = shapeOf(op.getResult());
  for (size_t d = 0; d < in.size(); ++d) {
    c.inOffset += op.getStarts()[d] * in[d];
    c.inStrides.push_back(op.getSteps()[d] * in[d]);
  }
  c.outStrides = contiguousStrides(c.shape);
  return c;
}

StridedCopy expandCopy(ExpandOp op) {
  StridedCopy c;
  c.shape = shapeOf(op.getResult());
  c.inStrides = broadcastStrides(shapeOf(op.getInput()), c.shape);
  c.outStrides = contiguousStrides(c.shape);
  return c;
}

SmallVector<StridedCopy> concatCopies(ConcatOp op) {
  Shape out = shapeOf(op.getResult()), os = contiguousStrides(out);
  int64_t axis = normalizedAxis(op.getAxis(), out.size());
  SmallVector<StridedCopy> copies;
  int64_t at = 0;
  for (Value v : op.getInputs()) {
    StridedCopy c;
    c.shape = shapeOf(v);
    c.inStrides = contiguousStrides(c.shape);
    c.outOffset = at * os[axis];
    c.outStrides = os;
    at += c.shape[axis];
    copies.push_back(std::move(c));
  }
  return copies;
}

SmallVector<StridedCopy> splitCopies(SplitOp op) {
  Shape in = shapeOf(op.getInput()), is = contiguousStrides(in);
  int64_t axis = normalizedAxis(op.getAxis(), in.size());
  SmallVector<StridedCopy> copies;
  int64_t at = 0;
  for (Value v : op.getResults()) {
    StridedCopy c;
    c.shape = shapeOf(v);
    c.inOffset = at * is[axis];
    c.inStrides = is;
    c.outStrides = contiguousStrides(c.shape);
    at += c.shape[axis];
    copies.push_back(std::move(c));
  }
  return copies;
}

ReductionLayout reductionLayout(ArrayRef<int64_t> inputShape, ArrayRef<int64_t> axes) {
  int64_t rank = static_cast<int64_t>(inputShape.size());
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes)
    reduced[a < 0 ? a + rank : a] = true;
  ReductionLayout r;
  r.inputShape = Shape(inputShape);
  Shape kept(inputShape);
  for (int64_t d = 0; d < rank; ++d)
    if (reduced[d]) {
      kept[d] = 1;
      r.reduceCount *= inputShape[d];
    }
  r.outputStrides = contiguousStrides(kept);
  for (int64_t d = 0; d < rank; ++d)
    if (reduced[d])
      r.outputStrides[d] = 0;
  r.outputCount = numElements(kept);
  return r;
}

MatMulGeometry matmulGeometry(MatMulOp op) {
  Shape l = shapeOf(op.getLhs()), r = shapeOf(op.getRhs());
  if (l.size() == 1)
    l.insert(l.begin(), 1);
  if (r.size() == 1)
    r.push_back(1);
  MatMulGeometry g;
  g.M = l[l.size() - 2];
  g.K = l.back();
  g.N = r.back();
  Shape lb(l.begin(), l.end() - 2), rb(r.begin(), r.end() - 2);
  g.batch.assign(std::max(lb.size(), rb.size()), 1);
  for (size_t d = 0; d < g.batch.size(); ++d) {
    int64_t li = static_cast<int64_t>(d) - static_cast<int64_t>(g.batch.size() - lb.size());
    int64_t ri = static_cast<int64_t>(d) - static_cast<int64_t>(g.batch.size() - rb.size());
    int64_t a = li >= 0 ? lb[li] : 1, b = ri >= 0 ? rb[ri] : 1;
    g.batch[d] = a == 1 ? b : a;
  }
  g.lhsBatchStrides = broadcastStrides(lb, g.batch);
  g.rhsBatchStrides = broadcastStrides(rb, g.batch);
  for (int64_t &s : g.lhsBatchStrides)
    s *= g.M * g.K;
  for (int64_t &s : g.rhsBatchStrides)
    s *= g.K * g.N;
  g.rhsShared = llvm::all_of(rb, [](int64_t d) { return d == 1; });
  return g;
}

FailureOr<ConvGeometry> convGeometry(ConvOp op) {
  Shape i = shapeOf(op.getInput()), o = shapeOf(op.getResult()), w = shapeOf(op.getWeight());
  size_t spatial = i.size() - 2;
  if (spatial != 1 && spatial != 2)
    return failure();
  ConvGeometry g;
  g.channelsLast = op.getChannelsLast();
  auto sp = [&](const Shape &s, size_t k) { return g.channelsLast ? s[1 + k] : s[2 + k]; };
  g.N = i[0];
  g.C = g.channelsLast ? i.back() : i[1];
  g.M = g.channelsLast ? o.back() : o[1];
  g.H = spatial == 2 ? sp(i, 0) : 1;
  g.W = sp(i, spatial - 1);
  g.OH = spatial == 2 ? sp(o, 0) : 1;
  g.OW = sp(o, spatial - 1);
  g.KH = spatial == 2 ? w[2] : 1;
  g.KW = w.back();
  ArrayRef<int64_t> st = op.getStrides(), pd = op.getPads(), dl = op.getDilations();
  g.strideH = spatial == 2 ? st[0] : 1;
  g.strideW = st.back();
  g.padTop = spatial == 2 ? pd[0] : 0;
  g.padLeft = spatial == 2 ? pd[1] : pd[0];
  g.dilationH = spatial == 2 ? dl[0] : 1;
  g.dilationW = dl.back();
  g.group = static_cast<int64_t>(op.getGroup());
  auto strides = [&](int64_t ch, int64_t h, int64_t wd) -> Shape {
    if (g.channelsLast)
      return {h * wd * ch, 1, wd * ch, ch};
    return {ch * h * wd, h * wd, wd, 1};
  };
  g.inputStrides = strides(g.C, g.H, g.W);
  g.outputStrides = strides(g.M, g.OH, g.OW);
  return g;
}


} // namespace codegen
} // namespace mote
