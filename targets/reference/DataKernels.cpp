// Reference kernels of the data-movement and shape ops: reshape, expand, transpose, concat, split,
// slice, gather, shape, trilu, resize and pad. They move elements; only resize computes.
#include "targets/reference/Kernels.h"

#include "ir/ShapeUtils.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

using namespace mlir;

namespace mote::reference {
namespace {

// A result whose element k is element src[k] of `x` (-1: zero/fill value).
Tensor gatherElements(Operation *op, const Tensor &x, ArrayRef<int64_t> src, unsigned result = 0,
                      double fill = 0.0) {
  Tensor out = resultTensor(op, result);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    if (src[k] < 0)
      out.set(k, fill);
    else if (out.isFloat())
      out.f[k] = x.f[src[k]];
    else
      out.i[k] = x.i[src[k]];
  }
  return out;
}


// For each element of a result of `outShape`, the linear input index `source` gives for its indices.
std::vector<int64_t> sourceIndices(ArrayRef<int64_t> outShape,
                                   llvm::function_ref<int64_t(ArrayRef<int64_t>)> source) {
  std::vector<int64_t> src(numElements(outShape));
  for (int64_t k = 0, n = src.size(); k < n; ++k)
    src[k] = source(unravelIndex(k, outShape));
  return src;
}

Results transpose(TransposeOp op, const Tensor &x) {
  auto inStrides = stridesOf(x.shape);
  auto src = sourceIndices(resultType(op).getShape(), [&](ArrayRef<int64_t> idx) {
    int64_t s = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      s += idx[d] * inStrides[op.getPerm()[d]];
    return s;
  });
  return single(gatherElements(op, x, src));
}

Results concat(ConcatOp op, Operands in) {
  Tensor out = resultTensor(op);
  int64_t axis = *normalizeAxis(op.getAxis(), out.rank());
  int64_t outer = numElements(ArrayRef<int64_t>(out.shape).take_front(axis)), k = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (const Tensor *t : in) {
      int64_t chunk = numElements(ArrayRef<int64_t>(t->shape).drop_front(axis));
      for (int64_t c = 0; c < chunk; ++c, ++k) {
        if (out.isFloat())
          out.f[k] = t->f[o * chunk + c];
        else
          out.i[k] = t->i[o * chunk + c];
      }
    }
  return single(std::move(out));
}

Results split(SplitOp op, const Tensor &x) {
  int64_t axis = *normalizeAxis(op.getAxis(), x.rank());
  int64_t outer = numElements(ArrayRef<int64_t>(x.shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(x.shape).drop_front(axis + 1));
  SmallVector<Tensor> results;
  int64_t offset = 0;
  for (auto [r, size] : llvm::enumerate(op.getSizes())) {
    std::vector<int64_t> src;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t e = 0; e < size; ++e)
        for (int64_t i = 0; i < inner; ++i)
          src.push_back((o * x.shape[axis] + offset + e) * inner + i);
    results.push_back(gatherElements(op, x, src, r));
    offset += size;
  }
  return results;
}

Results slice(SliceOp op, const Tensor &x) {
  auto inStrides = stridesOf(x.shape);
  auto src = sourceIndices(resultType(op).getShape(), [&](ArrayRef<int64_t> idx) {
    int64_t s = 0;
    for (size_t d = 0; d < idx.size(); ++d)
      s += (op.getStarts()[d] + idx[d] * op.getSteps()[d]) * inStrides[d];
    return s;
  });
  return single(gatherElements(op, x, src));
}

Results gather(GatherOp op, const Tensor &data, const Tensor &indices) {
  int64_t axis = *normalizeAxis(op.getAxis(), data.rank());
  int64_t outer = numElements(ArrayRef<int64_t>(data.shape).take_front(axis));
  int64_t inner = numElements(ArrayRef<int64_t>(data.shape).drop_front(axis + 1));
  int64_t extent = data.shape[axis];
  std::vector<int64_t> src;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t index : indices.i) {
      if (index < -extent || index >= extent) {
        op.emitError("index ") << index << " is out of range for dimension " << axis << " of size " << extent;
        return failure();
      }
      int64_t e = index < 0 ? index + extent : index;
      for (int64_t i = 0; i < inner; ++i)
        src.push_back((o * extent + e) * inner + i);
    }
  return single(gatherElements(op, data, src));
}

Results trilu(TriluOp op, const Tensor &x) {
  Tensor out = resultTensor(op);
  int64_t rows = x.shape[x.rank() - 2], cols = x.shape[x.rank() - 1], k = op.getK();
  bool upper = op.getUpper();
  for (int64_t e = 0, n = x.size(); e < n; ++e) {
    int64_t i = (e / cols) % rows, j = e % cols;
    bool keep = upper ? j - i >= k : j - i <= k;
    if (out.isFloat())
      out.f[e] = keep ? x.f[e] : 0.0;
    else
      out.i[e] = keep ? x.i[e] : 0;
  }
  return single(std::move(out));
}

// The input coordinate of output coordinate `o` along one axis (ONNX Resize's transformations).
double sourceCoordinate(StringRef mode, double o, double scale, int64_t in, int64_t out) {
  if (mode == "asymmetric")
    return o / scale;
  if (mode == "align_corners")
    return out == 1 ? 0.0 : o * static_cast<double>(in - 1) / static_cast<double>(out - 1);
  if (mode == "pytorch_half_pixel")
    return out > 1 ? (o + 0.5) / scale - 0.5 : 0.0;
  if (mode == "tf_half_pixel_for_nn")
    return (o + 0.5) / scale;
  return (o + 0.5) / scale - 0.5; // half_pixel
}

int64_t nearestIndex(StringRef mode, double x, int64_t in) {
  double r;
  if (mode == "floor")
    r = std::floor(x);
  else if (mode == "ceil")
    r = std::ceil(x);
  else if (mode == "round_prefer_ceil")
    r = std::floor(x + 0.5);
  else // round_prefer_floor: halves go down
    r = x == std::floor(x) + 0.5 ? std::floor(x) : std::round(x);
  return std::min<int64_t>(std::max<int64_t>(static_cast<int64_t>(r), 0), in - 1);
}

Results resize(ResizeOp op, const Tensor &x) {
  Tensor out = resultTensor(op);
  int64_t rank = x.rank();
  auto inStrides = stridesOf(x.shape);
  StringRef ctm = op.getCoordinateTransformationMode();
  bool linear = op.getMode() == "linear";
  // Per axis and output coordinate: the source indices and weights (1 for nearest, 2 for linear).
  SmallVector<std::vector<std::array<int64_t, 2>>> idx(rank);
  SmallVector<std::vector<std::array<double, 2>>> wts(rank);
  for (int64_t d = 0; d < rank; ++d) {
    int64_t in = x.shape[d], outN = out.shape[d];
    double scale = op.getScales()[d];
    for (int64_t o = 0; o < outN; ++o) {
      double s = sourceCoordinate(ctm, static_cast<double>(o), scale, in, outN);
      if (!linear) {
        int64_t i = nearestIndex(op.getNearestMode(), s, in);
        idx[d].push_back({i, i});
        wts[d].push_back({1.0, 0.0});
        continue;
      }
      s = std::min(std::max(s, 0.0), static_cast<double>(in - 1));
      int64_t lo = static_cast<int64_t>(std::floor(s)), hi = std::min(lo + 1, in - 1);
      double t = s - static_cast<double>(lo);
      idx[d].push_back({lo, hi});
      wts[d].push_back({1.0 - t, t});
    }
  }
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    auto o = unravelIndex(k, out.shape);
    double acc = 0;
    int corners = linear ? 1 << rank : 1;
    for (int c = 0; c < corners; ++c) {
      double w = 1.0;
      int64_t src = 0;
      for (int64_t d = 0; d < rank; ++d) {
        int bit = linear ? (c >> d) & 1 : 0;
        w *= wts[d][o[d]][bit];
        src += idx[d][o[d]][bit] * inStrides[d];
      }
      if (w != 0.0)
        acc += w * x.f[src];
    }
    out.set(k, acc);
  }
  return single(std::move(out));
}

Results pad(PadOp op, const Tensor &x) {
  auto outShape = resultType(op).getShape();
  int64_t rank = x.rank();
  auto inStrides = stridesOf(x.shape);
  std::vector<int64_t> src(numElements(outShape));
  for (int64_t k = 0, n = src.size(); k < n; ++k) {
    auto o = unravelIndex(k, outShape);
    int64_t s = 0;
    for (int64_t d = 0; d < rank && s >= 0; ++d) {
      int64_t i = o[d] - op.getPads()[d], dim = x.shape[d];
      if (i < 0 || i >= dim) {
        if (op.getMode() == "constant")
          s = -1;
        else if (op.getMode() == "edge")
          i = std::min(std::max<int64_t>(i, 0), dim - 1);
        else // reflect, without repeating the edge
          while (i < 0 || i >= dim)
            i = i < 0 ? -i : 2 * (dim - 1) - i;
      }
      if (s >= 0)
        s += i * inStrides[d];
    }
    src[k] = s;
  }
  return single(gatherElements(op, x, src, 0, op.getValue().convertToDouble()));
}

} // namespace

std::optional<Results> runData(Operation *op, Operands in) {
  return llvm::TypeSwitch<Operation *, std::optional<Results>>(op)
      .Case([&](ReshapeOp) {
        Tensor out = *in[0];
        out.shape.assign(resultType(op).getShape().begin(), resultType(op).getShape().end());
        return single(std::move(out));
      })
      .Case([&](ExpandOp) { return single(gatherElements(op, *in[0], broadcastIndex(in[0]->shape, resultType(op).getShape()))); })
      .Case([&](TransposeOp t) { return transpose(t, *in[0]); })
      .Case([&](ConcatOp c) { return concat(c, in); })
      .Case([&](SplitOp s) { return split(s, *in[0]); })
      .Case([&](SliceOp s) { return slice(s, *in[0]); })
      .Case([&](GatherOp g) { return gather(g, *in[0], *in[1]); })
      .Case([&](ShapeOp s) {
        Tensor out = resultTensor(op);
        int64_t rank = in[0]->rank();
        int64_t start = static_cast<int64_t>(s.getStart());
        start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
        for (int64_t k = 0; k < out.size(); ++k)
          out.i[k] = in[0]->shape[start + k];
        return single(std::move(out));
      })
      .Case([&](TriluOp t) { return trilu(t, *in[0]); })
      .Case([&](ResizeOp r) { return resize(r, *in[0]); })
      .Case([&](PadOp p) { return pad(p, *in[0]); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace mote::reference
