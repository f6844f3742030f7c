// Handlers of ONNX's neural-network operators: MatMul, Gemm, convolutions, pooling, normalizations,
// softmax and reductions.
#include "frontend/Handlers.h"
#include "ir/ShapeUtils.h"

using namespace mlir;

namespace mote {
namespace {

LogicalResult matmul(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  auto y = ctx.build<MatMulOp>({*a, *b});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult gemm(NodeContext &ctx) {
  auto a = ctx.required(0), b = ctx.required(1);
  if (failed(a) || failed(b))
    return failure();
  SmallVector<Value> operands = {*a, *b};
  if (Value c = ctx.input(2))
    operands.push_back(c);
  auto y = ctx.build<GemmOp>(operands, {ctx.namedF32("alpha", ctx.getFloat("alpha", 1.0f)),
                                        ctx.namedF32("beta", ctx.getFloat("beta", 1.0f)),
                                        ctx.namedBool("transA", ctx.getInt("transA", 0) != 0),
                                        ctx.namedBool("transB", ctx.getInt("transB", 0) != 0)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// The window attributes of Conv, ConvTranspose and the pools, with auto_pad resolved to explicit pads.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType input, ArrayRef<int64_t> kernelFromWeight,
                             bool transposed) {
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1)
    return ctx.error() << "expected an input of rank >= 3 (N, C, spatial...), got " << input;
  Window w;
  w.kernel = ctx.getInts("kernel_shape").value_or(SmallVector<int64_t>(kernelFromWeight));
  w.strides = ctx.getInts("strides").value_or(SmallVector<int64_t>(spatial, 1));
  w.dilations = ctx.getInts("dilations").value_or(SmallVector<int64_t>(spatial, 1));
  w.pads = ctx.getInts("pads").value_or(SmallVector<int64_t>(2 * spatial, 0));
  if (static_cast<int64_t>(w.kernel.size()) != spatial || static_cast<int64_t>(w.strides.size()) != spatial ||
      static_cast<int64_t>(w.dilations.size()) != spatial || static_cast<int64_t>(w.pads.size()) != 2 * spatial)
    return ctx.error() << "kernel_shape, strides, dilations or pads do not match " << spatial
                       << " spatial dimensions";
  for (int64_t i = 0; i < spatial; ++i)
    if (w.strides[i] < 1 || w.dilations[i] < 1 || w.kernel[i] < 1)
      return ctx.error() << "kernel_shape, strides and dilations must be positive";
  std::string autoPad = ctx.getString("auto_pad", "NOTSET");
  if (autoPad == "VALID") {
    w.pads.assign(2 * spatial, 0);
  } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t in = input.getDimSize(2 + i), effective = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total;
      if (transposed) {
        int64_t out = in * w.strides[i];
        total = std::max<int64_t>(0, w.strides[i] * (in - 1) + effective - out);
      } else {
        int64_t out = (in + w.strides[i] - 1) / w.strides[i];
        total = std::max<int64_t>(0, (out - 1) * w.strides[i] + effective - in);
      }
      int64_t small = total / 2, large = total - small;
      bool upper = autoPad == "SAME_UPPER";
      w.pads[i] = upper ? small : large;
      w.pads[spatial + i] = upper ? large : small;
    }
  } else if (autoPad != "NOTSET") {
    return ctx.error() << "auto_pad '" << autoPad << "' is not valid";
  }
  return w;
}

LogicalResult conv(NodeContext &ctx) {
  auto x = ctx.required(0), weight = ctx.required(1);
  if (failed(x) || failed(weight))
    return failure();
  auto wt = ctx.inputType(1);
  auto window = readWindow(ctx, ctx.inputType(0), wt.getShape().drop_front(2), false);
  if (failed(window))
    return failure();
  SmallVector<Value> operands = {*x, *weight};
  if (Value b = ctx.input(2))
    operands.push_back(b);
  auto y = ctx.build<ConvOp>(operands, {ctx.namedI64Array("strides", window->strides),
                                        ctx.namedI64Array("pads", window->pads),
                                        ctx.namedI64Array("dilations", window->dilations),
                                        ctx.namedI64("group", ctx.getInt("group", 1))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult convTranspose(NodeContext &ctx) {
  auto x = ctx.required(0), weight = ctx.required(1);
  if (failed(x) || failed(weight))
    return failure();
  auto in = ctx.inputType(0), wt = ctx.inputType(1);
  auto window = readWindow(ctx, in, wt.getShape().drop_front(2), true);
  if (failed(window))
    return failure();
  int64_t spatial = in.getRank() - 2;
  auto outputPadding = ctx.getInts("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
  if (static_cast<int64_t>(outputPadding.size()) != spatial)
    return ctx.error() << "output_padding does not match " << spatial << " spatial dimensions";
  if (auto outputShape = ctx.getInts("output_shape")) {
    // output_shape fixes the total padding; ONNX puts the odd half at the end unless SAME_LOWER.
    auto dims = ArrayRef<int64_t>(*outputShape).take_back(spatial);
    if (static_cast<int64_t>(dims.size()) != spatial)
      return ctx.error() << "output_shape does not match " << spatial << " spatial dimensions";
    bool lower = ctx.getString("auto_pad", "NOTSET") == "SAME_LOWER";
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t total = window->strides[i] * (in.getDimSize(2 + i) - 1) + outputPadding[i] +
                      (window->kernel[i] - 1) * window->dilations[i] + 1 - dims[i];
      if (total < 0)
        return ctx.error() << "output_shape " << dims[i] << " is larger than the convolution can produce";
      int64_t small = total / 2, large = total - small;
      window->pads[i] = lower ? large : small;
      window->pads[spatial + i] = lower ? small : large;
    }
  }
  SmallVector<Value> operands = {*x, *weight};
  if (Value b = ctx.input(2))
    operands.push_back(b);
  auto y = ctx.build<ConvTransposeOp>(operands, {ctx.namedI64Array("strides", window->strides),
                                                 ctx.namedI64Array("pads", window->pads),
                                                 ctx.namedI64Array("dilations", window->dilations),
                                                 ctx.namedI64Array("output_padding", outputPadding),
                                                 ctx.namedI64("group", ctx.getInt("group", 1))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult maxPool(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  if (ctx.getInt("storage_order", 0) != 0)
    return ctx.error() << "MaxPool with storage_order = 1 is not supported";
  auto window = readWindow(ctx, ctx.inputType(0), {}, false);
  if (failed(window))
    return failure();
  auto y = ctx.build<MaxPoolOp>(*x, {ctx.namedI64Array("kernel_shape", window->kernel),
                                     ctx.namedI64Array("strides", window->strides),
                                     ctx.namedI64Array("pads", window->pads),
                                     ctx.namedI64Array("dilations", window->dilations),
                                     ctx.namedBool("ceil_mode", ctx.getInt("ceil_mode", 0) != 0)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult averagePool(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto window = readWindow(ctx, ctx.inputType(0), {}, false);
  if (failed(window))
    return failure();
  if (llvm::any_of(window->dilations, [](int64_t d) { return d != 1; }))
    return ctx.error() << "AveragePool with dilations is not supported";
  auto y = ctx.build<AveragePoolOp>(
      *x, {ctx.namedI64Array("kernel_shape", window->kernel), ctx.namedI64Array("strides", window->strides),
           ctx.namedI64Array("pads", window->pads), ctx.namedBool("ceil_mode", ctx.getInt("ceil_mode", 0) != 0),
           ctx.namedBool("count_include_pad", ctx.getInt("count_include_pad", 0) != 0)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

// GlobalAveragePool / GlobalMaxPool: a window over the whole spatial extent.
template <typename OpTy>
LogicalResult globalPool(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t spatial = type.getRank() - 2;
  if (spatial < 1)
    return ctx.error() << "expected an input of rank >= 3, got " << type;
  SmallVector<int64_t> kernel(type.getShape().drop_front(2)), ones(spatial, 1), zeros(2 * spatial, 0);
  SmallVector<NamedAttribute> attrs = {ctx.namedI64Array("kernel_shape", kernel),
                                       ctx.namedI64Array("strides", ones), ctx.namedI64Array("pads", zeros),
                                       ctx.namedBool("ceil_mode", false)};
  if constexpr (std::is_same_v<OpTy, AveragePoolOp>)
    attrs.push_back(ctx.namedBool("count_include_pad", false));
  else
    attrs.push_back(ctx.namedI64Array("dilations", ones));
  auto y = ctx.build<OpTy>(*x, attrs);
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult batchNorm(NodeContext &ctx) {
  if (ctx.getInt("training_mode", 0) != 0)
    return ctx.error() << "training-mode BatchNormalization is not supported";
  SmallVector<Value> operands;
  for (size_t i = 0; i < 5; ++i) {
    auto v = ctx.required(i);
    if (failed(v))
      return failure();
    operands.push_back(*v);
  }
  auto y = ctx.build<BatchNormOp>(operands, {ctx.namedF32("epsilon", ctx.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult instanceNorm(NodeContext &ctx) {
  auto x = ctx.required(0), s = ctx.required(1), b = ctx.required(2);
  if (failed(x) || failed(s) || failed(b))
    return failure();
  auto y = ctx.build<InstanceNormOp>({*x, *s, *b}, {ctx.namedF32("epsilon", ctx.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult layerNorm(NodeContext &ctx) {
  auto x = ctx.required(0), s = ctx.required(1);
  if (failed(x) || failed(s))
    return failure();
  SmallVector<Value> operands = {*x, *s};
  if (Value b = ctx.input(2))
    operands.push_back(b);
  auto y = ctx.build<LayerNormOp>(operands, {ctx.namedI64("axis", ctx.getInt("axis", -1)),
                                             ctx.namedF32("epsilon", ctx.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult groupNorm(NodeContext &ctx) {
  auto x = ctx.required(0), s = ctx.required(1), b = ctx.required(2);
  if (failed(x) || failed(s) || failed(b))
    return failure();
  auto type = ctx.inputType(0);
  int64_t groups = ctx.getInt("num_groups", 0);
  if (type.getRank() < 3)
    return ctx.error() << "expected an input of rank >= 3, got " << type;
  int64_t channels = type.getDimSize(1);
  if (groups < 1 || channels % groups != 0)
    return ctx.error() << "expected 'num_groups' to divide " << channels << " channels, got " << groups;
  Value scale = *s, bias = *b;
  // GroupNormalization-18 gives scale and bias per group; widen them to per channel.
  if (ctx.opset() < 21) {
    for (Value *v : {&scale, &bias}) {
      auto vt = cast<RankedTensorType>(v->getType());
      if (vt.getRank() != 1 || vt.getDimSize(0) != groups)
        return ctx.error() << "GroupNormalization-18 expects scale and bias of shape [" << groups
                           << "], got " << vt;
      auto column = ctx.reshape(*v, {groups, 1});
      if (failed(column))
        return failure();
      auto wide = ctx.buildTyped<ExpandOp>(vt.clone({groups, channels / groups}), *column);
      if (failed(wide))
        return failure();
      auto flat = ctx.reshape(*wide, {channels});
      if (failed(flat))
        return failure();
      *v = *flat;
    }
  }
  auto y = ctx.build<GroupNormOp>({*x, scale, bias}, {ctx.namedI64("num_groups", groups),
                                                      ctx.namedF32("epsilon", ctx.getFloat("epsilon", 1e-5f))});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult softmax(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto type = ctx.inputType(0);
  int64_t rank = type.getRank();
  auto axis = normalizeAxis(ctx.getInt("axis", ctx.opset() < 13 ? 1 : -1), rank);
  if (!axis)
    return ctx.error() << "axis " << ctx.getInt("axis", 1) << " is out of range for " << type;
  if (ctx.opset() >= 13 || *axis == rank - 1) {
    auto y = ctx.build<SoftmaxOp>(*x, {ctx.namedI64("axis", *axis)});
    return failed(y) ? failure() : ctx.setResults({*y});
  }
  // Softmax before opset 13 normalizes over all axes from `axis` on, as one flattened row.
  int64_t rows = numElements(type.getShape().take_front(*axis));
  auto flat = ctx.reshape(*x, {rows, numElements(type.getShape().drop_front(*axis))});
  if (failed(flat))
    return failure();
  auto y = ctx.build<SoftmaxOp>(*flat, {ctx.namedI64("axis", 1)});
  if (failed(y))
    return failure();
  auto back = ctx.reshape(*y, type.getShape());
  return failed(back) ? failure() : ctx.setResults({*back});
}

// ReduceX: axes from an attribute (before opset 18, or 13 for ReduceSum) or an input.
template <typename OpTy, int64_t AxesInputSince>
LogicalResult reduce(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> axes;
  if (ctx.opset() < AxesInputSince) {
    axes = ctx.getInts("axes").value_or(SmallVector<int64_t>());
  } else if (ctx.input(1)) {
    auto values = ctx.constantInts(1, "axes");
    if (failed(values))
      return failure();
    axes = *values;
  }
  if (axes.empty() && ctx.getInt("noop_with_empty_axes", 0) != 0)
    return ctx.setResults({*x});
  auto y = ctx.build<OpTy>(*x, {ctx.namedI64Array("axes", axes),
                                ctx.namedBool("keepdims", ctx.getInt("keepdims", 1) != 0)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

LogicalResult argMax(NodeContext &ctx) {
  auto x = ctx.required(0);
  if (failed(x))
    return failure();
  auto y = ctx.build<ArgMaxOp>(*x, {ctx.namedI64("axis", ctx.getInt("axis", 0)),
                                    ctx.namedBool("keepdims", ctx.getInt("keepdims", 1) != 0),
                                    ctx.namedBool("select_last_index", ctx.getInt("select_last_index", 0) != 0)});
  return failed(y) ? failure() : ctx.setResults({*y});
}

} // namespace

void appendNeuralHandlers(std::vector<HandlerEntry> &t) {
  t.insert(t.end(), {
                        {"MatMul", 1, matmul},
                        {"Gemm", 7, gemm},
                        {"Conv", 1, conv},
                        {"ConvTranspose", 1, convTranspose},
                        {"MaxPool", 1, maxPool},
                        {"AveragePool", 7, averagePool},
                        {"GlobalAveragePool", 1, globalPool<AveragePoolOp>},
                        {"GlobalMaxPool", 1, globalPool<MaxPoolOp>},
                        {"BatchNormalization", 9, batchNorm},
                        {"InstanceNormalization", 6, instanceNorm},
                        {"LayerNormalization", 17, layerNorm},
                        {"GroupNormalization", 18, groupNorm},
                        {"Softmax", 1, softmax},
                        {"ReduceMean", 1, reduce<ReduceMeanOp, 18>},
                        {"ReduceMax", 1, reduce<ReduceMaxOp, 18>},
                        {"ReduceMin", 1, reduce<ReduceMinOp, 18>},
                        {"ReduceSum", 1, reduce<ReduceSumOp, 13>},
                        {"ArgMax", 1, argMax},
                    });
}

} // namespace mote
