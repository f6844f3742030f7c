// Handlers of ONNX's data-movement and shape operators: Constant, Reshape and its relatives, Expand,
// Tile, Transpose, Concat, Split, Slice, Gather, GatherElements, GatherND, Shape, ConstantOfShape, Range,
// Trilu, Resize, Pad.
#include "frontend/Composer.h"
#include "frontend/Handlers.h"
#include "frontend/TensorImport.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace mote {
namespace {

LogicalResult constant(NodeContext &ctx) {
  const auto &node = ctx.node();
  if (node.attribute_size() != 1)
    return ctx.error() << "expected exactly one value attribute";
  const auto &a = node.attribute(0);
  OpBuilder &b = ctx.builder();
  ElementsAttr value;
  if (a.name() == "value") {
    std::string error;
    value = importTensor(ctx.context(), a.t(), ctx.file(), error);
    if (!value)
      return ctx.error() << error;
  } else if (a.name() == "value_float") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()), a.f());
  } else if (a.name() == "value_int") {
    value = DenseElementsAttr::get(RankedTensorType::get({}, b.getI64Type()), static_cast<int64_t>(a.i()));
  } else if (a.name() == "value_floats") {
    SmallVector<float> v(a.floats().begin(), a.floats().end());
    value = DenseElementsAttr::get(RankedTensorType::get({int64_t(v.size())}, b.getF32Type()), ArrayRef(v));
  } else if (a.name() == "value_ints") {
    SmallVector<int64_t> v(a.ints().begin(), a.ints().end());
    value = DenseElementsAttr::get(RankedTensorType::get({int64_t(v.size())}, b.getI64Type()), ArrayRef(v));
  } else {
    return ctx.error() << "constant attribute '" << a.name() << "' is not supported";
  }
  return ctx.setResults({ctx.constant(value)});
}

LogicalResult reshape(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  SmallVector<int64_t> shape;
  if (ctx.opset() < 5) {
    shape = ctx.getInts("shape").value_or(SmallVector<int64_t>());
  } else {
    auto values = ctx.constantInts(1, "shape");
    if (failed(values))
      return failure();
    shape = *values;
  }
  bool allowZero = ctx.getInt("allowzero", 0) != 0;
  int64_t inferred = -1, known = 1;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= type.getRank())
        return ctx.error() << "shape entry " << i << " copies a dimension the input (" << type
                           << ") does not have";
      d = type.getDimSize(i);
    }
    if (d == -1) {
      if (inferred >= 0)
        return ctx.error() << "shape has more than one -1 entry";
      inferred = i;
      continue;
    }
    if (d < 0)
      return ctx.error() << "shape entry " << d << " is invalid";
    if (d > 0 && known > kMaxTensorElements / d)
      return ctx.error() << "shape [" << ArrayRef<int64_t>(shape) << "] has more than 2^40 elements";
    known *= d;
  }
  int64_t total = numElements(type.getShape());
  if (inferred >= 0) {
    if (known == 0 || total % known != 0)
      return ctx.error() << "cannot reshape " << type << " to [" << ArrayRef<int64_t>(shape) << "]";
    shape[inferred] = total / known;
  }
  auto y = ctx.reshape(*x, shape);
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult flatten(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t axis = ctx.getInt("axis", 1);
  if (axis < 0)
    axis += type.getRank();
  if (axis < 0 || axis > type.getRank())
    return ctx.error() << "axis " << ctx.getInt("axis", 1) << " is out of range for " << type;
  auto y = ctx.reshape(*x, {numElements(type.getShape().take_front(axis)),
                            numElements(type.getShape().drop_front(axis))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

FailureOr<SmallVector<int64_t>> axesOf(NodeContext &ctx, int64_t inputSince, bool required) {
  if (ctx.opset() < inputSince) {
    if (auto axes = ctx.getInts("axes"))
      return *axes;
  } else if (ctx.input(1)) {
    return ctx.constantInts(1, "axes");
  }
  if (required)
    return ctx.error() << "'axes' is required";
  return SmallVector<int64_t>();
}

LogicalResult squeeze(NodeContext &ctx) {
  auto x = ctx.required(0);
  auto axes = axesOf(ctx, 13, false);
  if (failed(x) || failed(axes))
    return failure();
  auto type = ctx.inputType(0);
  SmallVector<bool> drop(type.getRank(), false);
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, type.getRank());
    if (!axis || type.getDimSize(*axis) != 1)
      return ctx.error() << "cannot squeeze axis " << a << " of " << type;
    if (drop[*axis])
      return ctx.error() << "squeeze axis " << a << " is repeated";
    drop[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < type.getRank(); ++i)
    if (!(axes->empty() ? type.getDimSize(i) == 1 : drop[i]))
      shape.push_back(type.getDimSize(i));
  auto y = ctx.reshape(*x, shape);
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult unsqueeze(NodeContext &ctx) {
  auto x = ctx.required(0);
  auto axes = axesOf(ctx, 13, true);
  if (failed(x) || failed(axes))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t a : *axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis || inserted[*axis])
      return ctx.error() << "unsqueeze axis " << a << " is out of range or repeated";
    inserted[*axis] = true;
  }
  SmallVector<int64_t> shape;
  for (int64_t i = 0, j = 0; i < rank; ++i)
    shape.push_back(inserted[i] ? 1 : type.getDimSize(j++));
  auto y = ctx.reshape(*x, shape);
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult expand(NodeContext &ctx) {
  auto x = ctx.required(0);
  auto shape = ctx.constantInts(1, "shape");
  if (failed(x) || failed(shape))
    return failure();
  auto type = ctx.inputType(0);
  auto out = broadcastShapes(type.getShape(), *shape);
  if (!out)
    return ctx.error() << "cannot expand " << type << " to [" << ArrayRef<int64_t>(*shape) << "]";
  auto y = ctx.buildTyped<ExpandOp>(type.clone(*out), *x);
  return failed(y) ? failure() : ctx.setResults({*y});
}

// Tile with constant repeats: view [d0, d1, ...] as [1, d0, 1, d1, ...], expand to
// [r0, d0, r1, d1, ...] and merge each pair.
LogicalResult tile(NodeContext &ctx) {
  auto x = ctx.required(0);
  auto repeats = ctx.constantInts(1, "repeats");
  if (failed(x) || failed(repeats))
    return failure();
  auto type = ctx.inputType(0);
  if (static_cast<int64_t>(repeats->size()) != type.getRank())
    return ctx.error() << "'repeats' has " << repeats->size() << " entries for " << type;
  SmallVector<int64_t> spread, expanded, tiled;
  for (auto [d, r] : llvm::zip(type.getShape(), *repeats)) {
    if (r < 0 || d < 0)
      return ctx.error() << "repeat count " << r << " is negative or " << type << " is not static";
    if (r > 0 && d > std::numeric_limits<int64_t>::max() / r)
      return ctx.error() << "tiling " << type << " by " << r << " overflows";
    spread.append({1, d});
    expanded.append({r, d});
    tiled.push_back(r * d);
  }
  int64_t total = 1;
  for (int64_t t : tiled) {
    if (t > 0 && total > std::numeric_limits<int64_t>::max() / t)
      return ctx.error() << "tiling " << type << " by [" << ArrayRef<int64_t>(*repeats) << "] overflows";
    total *= t;
  }
  Composer c(ctx);
  Value wide = c.reshape(*x, spread);
  if (wide && Composer::shape(wide) != ArrayRef<int64_t>(expanded))
    wide = c.typed<ExpandOp>(type.clone(expanded), wide);
  return c.finish({c.reshape(wide, tiled)});
}

LogicalResult transpose(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  int64_t rank = ctx.inputType(0).getRank();
  SmallVector<int64_t> perm;
  if (auto p = ctx.getInts("perm"))
    perm = *p;
  else
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  auto y = ctx.build<TransposeOp>(*x, {ctx.namedI64Array("perm", perm)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult concat(NodeContext &ctx) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < ctx.numInputs(); ++i) {
    auto v = ctx.required(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return ctx.error() << "Concat needs at least one input";
  auto y = ctx.build<ConcatOp>(inputs, {ctx.namedI64("axis", ctx.getInt("axis", 0))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult split(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  auto axis = ctx.axisAttribute(0, type);
  if (failed(axis))
    return failure();
  int64_t extent = type.getDimSize(*axis);
  SmallVector<int64_t> sizes;
  if (ctx.opset() < 13) {
    sizes = ctx.getInts("split").value_or(SmallVector<int64_t>());
  } else if (ctx.input(1)) {
    auto values = ctx.constantInts(1, "split");
    if (failed(values))
      return failure();
    sizes = *values;
  }
  if (sizes.empty()) {
    // Equal parts; from opset 18 `num_outputs` may leave a smaller last part.
    int64_t parts = ctx.opset() >= 18 && ctx.attr("num_outputs") ? ctx.getInt("num_outputs", 1)
                                                                  : ctx.node().output_size();
    if (parts < 1)
      return ctx.error() << "Split needs at least one output";
    int64_t chunk = (extent + parts - 1) / parts;
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::max<int64_t>(0, std::min(chunk, extent - i * chunk)));
  }
  if (static_cast<int64_t>(sizes.size()) != ctx.node().output_size())
    return ctx.error() << "Split has " << ctx.node().output_size() << " outputs but " << sizes.size()
                       << " sizes";
  auto results = ctx.buildOp(SplitOp::getOperationName(), *x,
                             {ctx.namedI64("axis", *axis), ctx.namedI64Array("sizes", sizes)}, {},
                             sizes.size());
  return failed(results) ? failure() : ctx.setResults(*results);
}

LogicalResult slice(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (ctx.opset() < 10) {
    starts = ctx.getInts("starts").value_or(SmallVector<int64_t>());
    ends = ctx.getInts("ends").value_or(SmallVector<int64_t>());
    axes = ctx.getInts("axes").value_or(SmallVector<int64_t>());
  } else {
    auto s = ctx.constantInts(1, "starts"), e = ctx.constantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (ctx.input(3)) {
      auto a = ctx.constantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (ctx.input(4)) {
      auto st = ctx.constantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() || steps.size() != starts.size())
    return ctx.error() << "starts, ends, axes and steps differ in length";
  SmallVector<int64_t> lo(rank, 0), hi(type.getShape()), step(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t i = 0; i < axes.size(); ++i) {
    auto axis = normalizeAxis(axes[i], rank);
    if (!axis || seen[*axis])
      return ctx.error() << "slice axis " << axes[i] << " is out of range or repeated for " << type;
    seen[*axis] = true;
    int64_t dim = type.getDimSize(*axis), s = starts[i], e = ends[i], k = steps[i];
    if (k == 0)
      return ctx.error() << "slice step is zero";
    if (s < 0)
      s += dim;
    if (e < 0)
      e += dim;
    if (k > 0) {
      s = std::clamp<int64_t>(s, 0, dim);
      e = std::clamp<int64_t>(e, 0, dim);
    } else {
      s = std::clamp<int64_t>(s, 0, dim - 1);
      e = std::clamp<int64_t>(e, -1, dim - 1);
    }
    lo[*axis] = s;
    hi[*axis] = e;
    step[*axis] = k;
  }
  auto y = ctx.build<SliceOp>(*x, {ctx.namedI64Array("starts", lo), ctx.namedI64Array("limits", hi),
                                   ctx.namedI64Array("steps", step)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// Constant indices (input 1) must lie in [-extent, extent): ONNX leaves an out-of-range index undefined,
// and a kernel would read outside its data.
LogicalResult checkConstantIndices(NodeContext &ctx, int64_t axis, int64_t extent) {
  if (!ctx.isConstant(1))
    return success();
  auto values = ctx.constantInts(1, "indices");
  if (failed(values))
    return failure();
  for (int64_t v : *values)
    if (v < -extent || v >= extent)
      return ctx.error() << "index " << v << " is out of range for axis " << axis << " of extent " << extent;
  return success();
}

LogicalResult gather(NodeContext &ctx) {
  auto data = ctx.required(0), indices = ctx.required(1);
  if (failed(data) || failed(indices))
    return failure();
  auto axis = ctx.axisAttribute(0, ctx.inputType(0));
  if (failed(axis) || failed(checkConstantIndices(ctx, *axis, ctx.inputType(0).getDimSize(*axis))))
    return failure();
  auto y = ctx.build<GatherOp>({*data, *indices}, {ctx.namedI64("axis", ctx.getInt("axis", 0))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// GatherElements without a gather op of its own: out[.., p, ..] = sum over c of (idx[.., p, ..] == c) *
// data[.., c, ..], a one-hot mask over the axis extent. Exact (one term is picked, the rest are zeros),
// at the cost of a [indices..., extent] intermediate; an out-of-range index picks nothing (zero).
LogicalResult gatherElements(NodeContext &ctx) {
  auto data = ctx.required(0), indices = ctx.required(1);
  if (failed(data) || failed(indices))
    return failure();
  auto dataType = ctx.inputType(0), indexType = ctx.inputType(1);
  int64_t rank = dataType.getRank();
  auto axis = ctx.axisAttribute(0, dataType);
  if (failed(axis))
    return failure();
  if (indexType.getRank() != rank)
    return ctx.error() << "indices " << indexType << " and data " << dataType << " differ in rank";
  ArrayRef<int64_t> outShape = indexType.getShape();
  int64_t extent = dataType.getDimSize(*axis);
  if (failed(checkConstantIndices(ctx, *axis, extent)))
    return failure();
  SmallVector<int64_t> starts(rank, 0), limits(dataType.getShape()), steps(rank, 1);
  for (int64_t d = 0; d < rank; ++d) {
    if (d == *axis)
      continue;
    if (outShape[d] > dataType.getDimSize(d))
      return ctx.error() << "indices " << indexType << " are larger than data " << dataType << " in dimension "
                         << d;
    limits[d] = outShape[d];
  }
  Composer c(ctx);
  Type indexElement = indexType.getElementType();
  // Negative indices count from the end.
  Value index = c.op<WhereOp>({c.op<LessOp>({*indices, c.scalar(indexElement, 0)}),
                               c.op<AddOp>({*indices, c.scalar(indexElement, static_cast<double>(extent))}),
                               *indices});
  SmallVector<int64_t> column(outShape), iotaShape(rank + 1, 1), iota;
  column.push_back(1);
  iotaShape[rank] = extent;
  for (int64_t i = 0; i < extent; ++i)
    iota.push_back(i);
  Value positions = c.cast(ctx.constant(DenseElementsAttr::get(
                               RankedTensorType::get(iotaShape, ctx.builder().getI64Type()), ArrayRef(iota))),
                           indexElement);
  Value mask = c.op<EqualOp>({c.reshape(index, column), positions});
  // data with the axis moved last and the other dimensions cut to the indices' extents, broadcast
  // along the indices' axis: [.., 1, .., extent].
  Value cut = data->getType() == RankedTensorType::get(limits, dataType.getElementType())
                  ? *data
                  : c.op<SliceOp>(*data, {ctx.namedI64Array("starts", starts),
                                          ctx.namedI64Array("limits", limits), ctx.namedI64Array("steps", steps)});
  SmallVector<int64_t> perm, spread(outShape);
  for (int64_t d = 0; d < rank; ++d)
    if (d != *axis)
      perm.push_back(d);
  perm.push_back(*axis);
  spread[*axis] = 1;
  spread.push_back(extent);
  Value values = c.reshape(c.transpose(cut, perm), spread);
  Value picked = c.op<WhereOp>({mask, values, c.scalar(dataType.getElementType(), 0)});
  return c.finish({c.reduce<ReduceSumOp>(picked, {rank}, false)});
}

// GatherND as a gather along axis 0 of the data flattened over its batch and indexed dimensions: each
// index tuple becomes one linear index (sum of index * stride, plus the batch's offset).
LogicalResult gatherND(NodeContext &ctx) {
  auto data = ctx.required(0), indices = ctx.required(1);
  if (failed(data) || failed(indices))
    return failure();
  auto dataType = ctx.inputType(0), indexType = ctx.inputType(1);
  int64_t b = ctx.getInt("batch_dims", 0), r = dataType.getRank(), q = indexType.getRank();
  int64_t k = q > 0 ? indexType.getDimSize(q - 1) : -1;
  if (q < 1 || b < 0 || b >= q || k < 1 || b + k > r ||
      dataType.getShape().take_front(b) != indexType.getShape().take_front(b))
    return ctx.error() << "indices " << indexType << " do not index data " << dataType << " with batch_dims "
                       << b;
  ArrayRef<int64_t> dims = dataType.getShape().slice(b, k);
  SmallVector<int64_t> strides = stridesOf(dims), dimsVec(dims);
  int64_t batches = numElements(dataType.getShape().take_front(b)), inner = numElements(dims);
  auto i64 = ctx.builder().getI64Type();
  auto vector = [&](ArrayRef<int64_t> values) {
    return ctx.constant(DenseElementsAttr::get(RankedTensorType::get({k}, i64), values));
  };
  Composer c(ctx);
  Value index = c.cast(*indices, i64);
  index = c.op<WhereOp>(
      {c.op<LessOp>({index, c.scalar(i64, 0)}), c.op<AddOp>({index, vector(dimsVec)}), index});
  Value linear = c.reduce<ReduceSumOp>(c.op<MulOp>({index, vector(strides)}), {q - 1}, false);
  if (b > 0) {
    SmallVector<int64_t> offsetShape(indexType.getShape().take_front(b)), offsets;
    offsetShape.append(q - 1 - b, 1);
    for (int64_t i = 0; i < batches; ++i)
      offsets.push_back(i * inner);
    linear = c.op<AddOp>({linear, ctx.constant(DenseElementsAttr::get(RankedTensorType::get(offsetShape, i64),
                                                                      ArrayRef<int64_t>(offsets)))});
  }
  SmallVector<int64_t> flatShape = {batches * inner};
  flatShape.append(dataType.getShape().begin() + b + k, dataType.getShape().end());
  Value y = c.op<GatherOp>({c.reshape(*data, flatShape), linear}, {ctx.namedI64("axis", 0)});
  return c.finish({y});
}

LogicalResult shape(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  int64_t rank = ctx.inputType(0).getRank();
  auto y = ctx.build<ShapeOp>(*x, {ctx.namedI64("start", ctx.getInt("start", 0)),
                                   ctx.namedI64("end", ctx.getInt("end", rank))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult size(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = RankedTensorType::get({}, ctx.builder().getI64Type());
  return ctx.setResults(
      {ctx.constant(DenseElementsAttr::get(type, numElements(ctx.inputType(0).getShape())))});
}

LogicalResult constantOfShape(NodeContext &ctx) {
  auto shape = ctx.constantInts(0, "shape");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return ctx.error() << "shape has a negative dimension";
  Attribute element = ctx.builder().getF32FloatAttr(0.0f);
  if (const auto *a = ctx.attr("value")) {
    std::string error;
    auto value = dyn_cast_or_null<DenseElementsAttr>(importTensor(ctx.context(), a->t(), ctx.file(), error));
    if (!value || value.getNumElements() != 1)
      return ctx.error() << "'value' must be a one-element tensor" << (error.empty() ? "" : ": ") << error;
    element = value.getValues<Attribute>()[0];
  }
  auto type = RankedTensorType::get(*shape, cast<TypedAttr>(element).getType());
  return ctx.setResults({ctx.constant(DenseElementsAttr::get(type, element))});
}

LogicalResult range(NodeContext &ctx) {
  auto start = ctx.constantFloats(0, "start"), limit = ctx.constantFloats(1, "limit"),
       delta = ctx.constantFloats(2, "delta");
  if (failed(start) || failed(limit) || failed(delta))
    return failure();
  if (start->size() != 1 || limit->size() != 1 || delta->size() != 1 || (*delta)[0] == 0)
    return ctx.error() << "start, limit and delta must be scalars and delta non-zero";
  double s = (*start)[0], l = (*limit)[0], d = (*delta)[0];
  int64_t n = std::max<int64_t>(0, static_cast<int64_t>(std::ceil((l - s) / d)));
  if (n > (int64_t(1) << 28))
    return ctx.error() << "Range of " << n << " elements is too large";
  auto type = RankedTensorType::get({n}, ctx.inputType(0).getElementType());
  if (isa<FloatType>(type.getElementType())) {
    SmallVector<APFloat> values;
    for (int64_t i = 0; i < n; ++i) {
      APFloat f(s + i * d);
      bool lost;
      f.convert(cast<FloatType>(type.getElementType()).getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      values.push_back(f);
    }
    return ctx.setResults({ctx.constant(DenseElementsAttr::get(type, values))});
  }
  unsigned width = type.getElementType().getIntOrFloatBitWidth();
  SmallVector<APInt> values;
  for (int64_t i = 0; i < n; ++i)
    values.push_back(APInt(width, static_cast<int64_t>(s) + i * static_cast<int64_t>(d), true));
  return ctx.setResults({ctx.constant(DenseElementsAttr::get(type, values))});
}

// Trilu whose `k` is known only at run time: where((j - i) >= k, x, 0) (<= k for the lower triangle)
// over the last two dimensions.
LogicalResult triluDynamicK(NodeContext &ctx, Value x, bool upper) {
  auto type = ctx.inputType(0);
  auto kType = ctx.inputType(1);
  if (type.getRank() < 2)
    return ctx.error() << "Trilu expects an input of rank >= 2, got " << type;
  if (kType.getRank() > 1 || numElements(kType.getShape()) != 1 || !kType.getElementType().isInteger(64))
    return ctx.error() << "'k' must be an int64 scalar, got " << kType;
  int64_t rows = type.getDimSize(type.getRank() - 2), cols = type.getDimSize(type.getRank() - 1);
  if (rows < 0 || cols < 0 || (rows > 0 && cols > (int64_t(1) << 24) / rows))
    return ctx.error() << "Trilu with a run-time 'k' over " << type << " is too large";
  SmallVector<int64_t> offsets;
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < cols; ++j)
      offsets.push_back(j - i);
  auto i64 = ctx.builder().getI64Type();
  Value diagonal =
      ctx.constant(DenseElementsAttr::get(RankedTensorType::get({rows, cols}, i64), ArrayRef(offsets)));
  auto k = ctx.reshape(ctx.input(1), {});
  if (failed(k))
    return failure();
  auto keep = upper ? ctx.build<GreaterOrEqualOp>({diagonal, *k}) : ctx.build<LessOrEqualOp>({diagonal, *k});
  if (failed(keep))
    return failure();
  auto zeroType = RankedTensorType::get({}, type.getElementType());
  Attribute zero = isa<FloatType>(type.getElementType())
                       ? Attribute(FloatAttr::get(type.getElementType(), 0.0))
                       : Attribute(IntegerAttr::get(type.getElementType(), 0));
  Value zeros = ctx.constant(DenseElementsAttr::get(zeroType, zero));
  auto y = ctx.build<WhereOp>({*keep, x, zeros});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult trilu(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  int64_t k = 0;
  bool upper = ctx.getInt("upper", 1) != 0;
  if (ctx.input(1) && !ctx.isConstant(1))
    return triluDynamicK(ctx, *x, upper);
  if (ctx.input(1)) {
    auto values = ctx.constantInts(1, "k");
    if (failed(values))
      return failure();
    if (values->size() != 1)
      return ctx.error() << "'k' must be a scalar";
    k = (*values)[0];
  }
  auto y = ctx.build<TriluOp>(*x, {ctx.namedBool("upper", upper), ctx.namedI64("k", k)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// Resize-10+ and Upsample: the output size comes from `scales` or `sizes`, both compile-time constants.
LogicalResult resize(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  bool isUpsample = ctx.node().op_type() == "Upsample";
  std::string mode = ctx.getString("mode", "nearest");
  if (mode != "nearest" && mode != "linear" && !(isUpsample && mode == "bilinear"))
    return ctx.error() << "mode '" << mode << "' is not supported (nearest, linear)";
  if (mode == "bilinear")
    mode = "linear";
  std::string coordinates = "asymmetric", nearest = "floor";
  // Resize-11+ has ROI, scales, sizes as inputs 1-3; Resize-10 and Upsample have scales as input 1.
  size_t scalesInput = 1, sizesInput = 0;
  if (!isUpsample && ctx.opset() >= 11) {
    coordinates = ctx.getString("coordinate_transformation_mode", "half_pixel");
    nearest = ctx.getString("nearest_mode", "round_prefer_floor");
    scalesInput = 2;
    sizesInput = 3;
    if (coordinates == "tf_crop_and_resize")
      return ctx.error() << "coordinate_transformation_mode 'tf_crop_and_resize' is not supported";
    if (ctx.getInt("antialias", 0) != 0 || ctx.attr("axes") ||
        ctx.getString("keep_aspect_ratio_policy", "stretch") != "stretch")
      return ctx.error() << "antialias, axes and keep_aspect_ratio_policy are not supported";
  }
  SmallVector<int64_t> out(type.getShape());
  SmallVector<float> scales(rank, 1.0f);
  if (sizesInput && ctx.input(sizesInput)) {
    auto sizes = ctx.constantInts(sizesInput, "sizes");
    if (failed(sizes))
      return failure();
    if (static_cast<int64_t>(sizes->size()) != rank)
      return ctx.error() << "'sizes' has " << sizes->size() << " entries for rank " << rank;
    for (int64_t i = 0; i < rank; ++i) {
      out[i] = (*sizes)[i];
      scales[i] = static_cast<float>(out[i]) / static_cast<float>(type.getDimSize(i));
    }
  } else if (isUpsample && ctx.opset() < 9) {
    auto s = ctx.getFloats("scales");
    if (!s)
      return ctx.error() << "'scales' is required";
    scales.assign(s->begin(), s->end());
  } else {
    auto s = ctx.constantFloats(scalesInput, "scales");
    if (failed(s))
      return failure();
    if (static_cast<int64_t>(s->size()) != rank)
      return ctx.error() << "'scales' has " << s->size() << " entries for rank " << rank;
    for (int64_t i = 0; i < rank; ++i)
      scales[i] = static_cast<float>((*s)[i]);
  }
  for (int64_t i = 0; i < rank; ++i) {
    if (!(scales[i] > 0))
      return ctx.error() << "scale " << scales[i] << " is not positive";
    if (!(sizesInput && ctx.input(sizesInput)))
      out[i] = static_cast<int64_t>(std::floor(type.getDimSize(i) * scales[i]));
  }
  auto y = ctx.buildTyped<ResizeOp>(
      type.clone(out), *x,
      {ctx.namedString("mode", mode), ctx.namedString("coordinate_transformation_mode", coordinates),
       ctx.namedString("nearest_mode", nearest), ctx.named("scales", ctx.builder().getDenseF32ArrayAttr(scales))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult pad(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  int64_t rank = ctx.inputType(0).getRank();
  std::string mode = ctx.getString("mode", "constant");
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (ctx.opset() < 11) {
    pads = ctx.getInts("pads").value_or(SmallVector<int64_t>());
    value = ctx.getFloat("value", 0.0f);
  } else {
    auto p = ctx.constantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (ctx.input(2)) {
      auto v = ctx.constantFloats(2, "constant_value");
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return ctx.error() << "'constant_value' must be a scalar";
      value = (*v)[0];
    }
    if (ctx.input(3)) {
      auto axes = ctx.constantInts(3, "axes");
      if (failed(axes))
        return failure();
      if (pads.size() != 2 * axes->size())
        return ctx.error() << "'pads' needs two entries per axis";
      SmallVector<int64_t> full(2 * rank, 0);
      for (auto [i, a] : llvm::enumerate(*axes)) {
        auto axis = normalizeAxis(a, rank);
        if (!axis)
          return ctx.error() << "pad axis " << a << " is out of range";
        full[*axis] = pads[i];
        full[rank + *axis] = pads[axes->size() + i];
      }
      pads = full;
    }
  }
  if (static_cast<int64_t>(pads.size()) != 2 * rank)
    return ctx.error() << "'pads' has " << pads.size() << " entries for rank " << rank;
  auto y = ctx.build<PadOp>(*x, {ctx.namedI64Array("pads", pads), ctx.namedString("mode", mode),
                                 ctx.named("value", ctx.builder().getF64FloatAttr(value))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

} // namespace

void appendTensorHandlers(std::vector<HandlerEntry> &t) {
  t.insert(t.end(), {
                        {"Constant", 1, constant},
                        {"Reshape", 5, reshape},
                        {"Flatten", 1, flatten},
                        {"Squeeze", 1, squeeze},
                        {"Unsqueeze", 1, unsqueeze},
                        {"Expand", 8, expand},
                        {"Tile", 6, tile},
                        {"Transpose", 1, transpose},
                        {"Concat", 4, concat},
                        {"Split", 2, split},
                        {"Slice", 1, slice},
                        {"Gather", 1, gather},
                        {"GatherElements", 11, gatherElements},
                        {"GatherND", 11, gatherND},
                        {"Shape", 1, shape},
                        {"Size", 1, size},
                        {"ConstantOfShape", 9, constantOfShape},
                        {"Range", 11, range},
                        {"Trilu", 14, trilu},
                        {"Resize", 10, resize},
                        {"Upsample", 7, resize},
                        {"Pad", 2, pad},
                    });
}

} // namespace mote
