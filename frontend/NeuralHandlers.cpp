// Handlers of ONNX's neural-network operators: MatMul, Gemm, convolutions, pooling, normalizations,
// Einsum, softmax and reductions.
#include "frontend/Composer.h"
#include "frontend/Handlers.h"
#include "ir/ShapeUtils.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

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

// Einsum. Labels are letters; '...' becomes right-aligned pseudo labels (kEllipsis + k) shared by all
// operands. Each operand first loses its repeated labels (diagonals) and the labels no one else needs
// (summed); operands then contract pairwise, as a batched matmul for floats or a broadcast product
// summed over the contracted labels otherwise, and the result is transposed to the output order.
constexpr int kEllipsis = 256;

struct Labeled {
  Value value;
  SmallVector<int> labels;
};

// Parses one term ("ij", "...ii") of an operand of rank `rank`, or of the output (rank < 0).
std::optional<SmallVector<int>> parseTerm(StringRef term, int64_t rank, int64_t &ellipsisRank) {
  SmallVector<int> labels;
  size_t dots = term.find("...");
  int64_t letters = static_cast<int64_t>(term.size()) - (dots == StringRef::npos ? 0 : 3);
  for (char ch : term)
    if (ch != '.' && !llvm::isAlpha(ch))
      return std::nullopt;
  // Dots only as one ellipsis.
  if (static_cast<size_t>(llvm::count(term, '.')) != (dots == StringRef::npos ? 0 : 3))
    return std::nullopt;
  int64_t ell = 0;
  if (rank >= 0) {
    ell = rank - letters;
    if (ell < 0 || (dots == StringRef::npos && ell != 0))
      return std::nullopt;
    ellipsisRank = std::max(ellipsisRank, ell);
  } else {
    ell = ellipsisRank;
  }
  for (size_t i = 0; i < term.size(); ++i) {
    if (i == dots) {
      for (int64_t k = 0; k < ell; ++k)
        labels.push_back(kEllipsis + static_cast<int>(ellipsisRank - ell + k));
      i += 2;
      continue;
    }
    labels.push_back(term[i]);
  }
  return labels;
}

// Takes the diagonal of repeated labels and sums the labels that `needed` does not contain.
Labeled einsumPrepare(NodeContext &ctx, Composer &c, Labeled in, const llvm::SmallDenseSet<int> &needed) {
  for (bool changed = true; changed && in.value;) {
    changed = false;
    for (size_t p = 0; p < in.labels.size() && !changed; ++p)
      for (size_t q = p + 1; q < in.labels.size() && !changed; ++q) {
        if (in.labels[p] != in.labels[q])
          continue;
        ArrayRef<int64_t> shape = Composer::shape(in.value);
        int64_t n = shape[p];
        SmallVector<int64_t> maskShape(shape.size(), 1);
        maskShape[p] = maskShape[q] = n;
        SmallVector<bool> eye;
        for (int64_t i = 0; i < n; ++i)
          for (int64_t j = 0; j < n; ++j)
            eye.push_back(i == j);
        Value mask = ctx.constant(DenseElementsAttr::get(
            RankedTensorType::get(maskShape, ctx.builder().getI1Type()), ArrayRef<bool>(eye)));
        Value kept = c.op<WhereOp>({mask, in.value, c.scalarLike(in.value, 0.0)});
        in.value = c.reduce<ReduceSumOp>(kept, {static_cast<int64_t>(q)}, false);
        in.labels.erase(in.labels.begin() + q);
        changed = true;
      }
  }
  SmallVector<int64_t> summed;
  SmallVector<int> rest;
  for (auto [i, l] : llvm::enumerate(in.labels))
    (needed.contains(l) ? rest.push_back(l) : summed.push_back(static_cast<int64_t>(i)));
  if (!summed.empty()) {
    in.value = c.reduce<ReduceSumOp>(in.value, summed, false);
    in.labels = rest;
  }
  return in;
}

// Transposes `in` so that its labels come in `order` (which holds exactly its labels).
Value einsumPermute(Composer &c, const Labeled &in, ArrayRef<int> order) {
  SmallVector<int64_t> perm;
  for (int l : order)
    perm.push_back(llvm::find(in.labels, l) - in.labels.begin());
  bool identity = llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()));
  return identity ? in.value : c.transpose(in.value, perm);
}

// Contracts two prepared operands, keeping the labels in `keep`: [batch..., lfree..., rfree...].
Labeled einsumContract(Composer &c, const Labeled &a, const Labeled &b, const llvm::SmallDenseSet<int> &keep) {
  SmallVector<int> batch, lfree, rfree, contracted;
  for (int l : a.labels) {
    bool inB = llvm::is_contained(b.labels, l);
    (inB ? (keep.contains(l) ? batch : contracted) : lfree).push_back(l);
  }
  for (int l : b.labels)
    if (!llvm::is_contained(a.labels, l))
      rfree.push_back(l);
  auto extent = [](const Labeled &in, int l) {
    return Composer::shape(in.value)[llvm::find(in.labels, l) - in.labels.begin()];
  };
  auto product = [&](const Labeled &in, ArrayRef<int> ls) {
    int64_t n = 1;
    for (int l : ls)
      n *= extent(in, l);
    return n;
  };
  SmallVector<int> aOrder(batch), bOrder(batch);
  aOrder.append(lfree.begin(), lfree.end());
  aOrder.append(contracted.begin(), contracted.end());
  bOrder.append(contracted.begin(), contracted.end());
  bOrder.append(rfree.begin(), rfree.end());
  SmallVector<int64_t> aShape, bShape, outShape;
  for (int l : batch) {
    aShape.push_back(extent(a, l));
    bShape.push_back(extent(b, l));
    outShape.push_back(std::max(extent(a, l), extent(b, l)));
  }
  int64_t m = product(a, lfree), k = product(a, contracted), n = product(b, rfree);
  for (int l : lfree)
    outShape.push_back(extent(a, l));
  for (int l : rfree)
    outShape.push_back(extent(b, l));
  Value av = einsumPermute(c, a, aOrder), bv = einsumPermute(c, b, bOrder);
  Value product2d;
  if (av && isa<FloatType>(Composer::elementType(av))) {
    aShape.append({m, k});
    bShape.append({k, n});
    product2d = c.op<MatMulOp>({c.reshape(av, aShape), c.reshape(bv, bShape)});
  } else {
    // Integers: [.., m, k, 1] * [.., 1, k, n] summed over k.
    aShape.append({m, k, 1});
    bShape.append({1, k, n});
    product2d = c.reduce<ReduceSumOp>(c.op<MulOp>({c.reshape(av, aShape), c.reshape(bv, bShape)}),
                                      {static_cast<int64_t>(batch.size()) + 1}, false);
  }
  Labeled out{c.reshape(product2d, outShape), batch};
  out.labels.append(lfree.begin(), lfree.end());
  out.labels.append(rfree.begin(), rfree.end());
  return out;
}

LogicalResult einsum(NodeContext &ctx) {
  std::string equation;
  for (char ch : ctx.getString("equation", ""))
    if (ch != ' ')
      equation.push_back(ch);
  auto [lhs, rhs] = StringRef(equation).split("->");
  bool explicitOutput = StringRef(equation).contains("->");
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != ctx.numInputs() || terms.empty())
    return ctx.error() << "equation '" << equation << "' has " << terms.size() << " terms for "
                       << ctx.numInputs() << " inputs";
  int64_t ellipsisRank = 0;
  SmallVector<Labeled> operands;
  for (auto [i, term] : llvm::enumerate(terms)) {
    auto v = ctx.required(i);
    if (failed(v))
      return failure();
    auto labels = parseTerm(term, ctx.inputType(i).getRank(), ellipsisRank);
    if (!labels)
      return ctx.error() << "term '" << term << "' of '" << equation << "' does not match " << ctx.inputType(i);
    operands.push_back({*v, *labels});
  }
  // Pseudo labels were numbered against the final ellipsis rank only for the widest operands; renumber.
  for (auto [i, term] : llvm::enumerate(terms))
    operands[i].labels = *parseTerm(term, ctx.inputType(i).getRank(), ellipsisRank);
  SmallVector<int> output;
  if (explicitOutput) {
    auto labels = parseTerm(rhs, -1, ellipsisRank);
    if (!labels)
      return ctx.error() << "output term '" << rhs << "' of '" << equation << "' is not valid";
    output = *labels;
  } else {
    // Implicit output: the ellipsis, then the letters that occur once, alphabetically.
    for (int64_t k = 0; k < ellipsisRank; ++k)
      output.push_back(kEllipsis + static_cast<int>(k));
    std::map<int, int> counts;
    for (const Labeled &o : operands)
      for (int l : o.labels)
        if (l < kEllipsis)
          ++counts[l];
    for (auto [l, count] : counts)
      if (count == 1)
        output.push_back(l);
  }
  for (auto [i, l] : llvm::enumerate(output)) {
    if (llvm::none_of(operands, [&](const Labeled &o) { return llvm::is_contained(o.labels, l); }))
      return ctx.error() << "output label '" << static_cast<char>(l) << "' is in no input term";
    if (llvm::is_contained(ArrayRef<int>(output).take_front(i), l))
      return ctx.error() << "output label '" << static_cast<char>(l) << "' is repeated";
  }

  Composer c(ctx);
  auto neededAfter = [&](size_t first) {
    llvm::SmallDenseSet<int> needed(output.begin(), output.end());
    for (size_t i = first; i < operands.size(); ++i)
      needed.insert(operands[i].labels.begin(), operands[i].labels.end());
    return needed;
  };
  Labeled acc = einsumPrepare(ctx, c, operands[0], neededAfter(1));
  for (size_t i = 1; i < operands.size() && acc.value; ++i) {
    llvm::SmallDenseSet<int> keep = neededAfter(i + 1);
    llvm::SmallDenseSet<int> needed = keep;
    needed.insert(acc.labels.begin(), acc.labels.end());
    Labeled next = einsumPrepare(ctx, c, operands[i], needed);
    llvm::SmallDenseSet<int> accNeeded = keep;
    accNeeded.insert(next.labels.begin(), next.labels.end());
    acc = einsumPrepare(ctx, c, acc, accNeeded);
    if (!acc.value || !next.value)
      break;
    acc = einsumContract(c, acc, next, keep);
  }
  acc = einsumPrepare(ctx, c, acc, llvm::SmallDenseSet<int>(output.begin(), output.end()));
  if (!acc.value)
    return c.finish({Value()});
  return c.finish({einsumPermute(c, acc, output)});
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
// `weight` (null for the pools) must have the input's rank; its spatial dims are the default kernel.
struct Window {
  SmallVector<int64_t> kernel, strides, pads, dilations;
};

FailureOr<Window> readWindow(NodeContext &ctx, RankedTensorType input, RankedTensorType weight, bool transposed) {
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1)
    return ctx.error() << "expected an input of rank >= 3 (N, C, spatial...), got " << input;
  if (weight && weight.getRank() != input.getRank())
    return ctx.error() << "the weight " << weight << " must have the input's rank " << input.getRank();
  Window w;
  w.kernel = ctx.getInts("kernel_shape")
                 .value_or(weight ? SmallVector<int64_t>(weight.getShape().drop_front(2)) : SmallVector<int64_t>());
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
        // ConvTranspose's SAME output is in * stride; output_padding counts toward the total padding.
        auto outputPadding = ctx.getInts("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
        if (static_cast<int64_t>(outputPadding.size()) != spatial)
          return ctx.error() << "output_padding does not match " << spatial << " spatial dimensions";
        int64_t extra = outputPadding[i];
        int64_t out = in * w.strides[i];
        total = std::max<int64_t>(0, w.strides[i] * (in - 1) + extra + effective - out);
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
  auto window = readWindow(ctx, ctx.inputType(0), wt, false);
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
  auto window = readWindow(ctx, in, wt, true);
  if (failed(window))
    return failure();
  int64_t spatial = in.getRank() - 2;
  auto outputPadding = ctx.getInts("output_padding").value_or(SmallVector<int64_t>(spatial, 0));
  if (static_cast<int64_t>(outputPadding.size()) != spatial)
    return ctx.error() << "output_padding does not match " << spatial << " spatial dimensions";
  if (auto outputShape = ctx.getInts("output_shape")) {
    // output_shape fixes the total padding; ONNX puts the odd unit at the end only for SAME_UPPER (the
    // spec's "else" branch, which ONNX Runtime follows, covers NOTSET and SAME_LOWER).
    auto dims = ArrayRef<int64_t>(*outputShape).take_back(spatial);
    if (static_cast<int64_t>(dims.size()) != spatial)
      return ctx.error() << "output_shape does not match " << spatial << " spatial dimensions";
    bool upper = ctx.getString("auto_pad", "NOTSET") == "SAME_UPPER";
    for (int64_t i = 0; i < spatial; ++i) {
      int64_t total = window->strides[i] * (in.getDimSize(2 + i) - 1) + outputPadding[i] +
                      (window->kernel[i] - 1) * window->dilations[i] + 1 - dims[i];
      // An output_shape beyond what the windows reach is filled at the end, as output_padding is (the
      // ONNX reference and ONNX Runtime do the same).
      if (total < 0) {
        outputPadding[i] -= total;
        total = 0;
      }
      int64_t small = total / 2, large = total - small;
      window->pads[i] = upper ? small : large;
      window->pads[spatial + i] = upper ? large : small;
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
  // Integers up to 32 bits pool exactly as f64 (mote.max_pool takes floats): cast there and back.
  Type element = ctx.inputType(0).getElementType();
  auto intType = dyn_cast<IntegerType>(element);
  if (intType && intType.getWidth() > 32)
    return ctx.error() << "MaxPool of " << element << " is not supported";
  Composer c(ctx);
  Value input = intType ? c.cast(*x, ctx.builder().getF64Type()) : *x;
  Value y = c.op<MaxPoolOp>(input, {ctx.namedI64Array("kernel_shape", window->kernel),
                                    ctx.namedI64Array("strides", window->strides),
                                    ctx.namedI64Array("pads", window->pads),
                                    ctx.namedI64Array("dilations", window->dilations),
                                    ctx.namedBool("ceil_mode", ctx.getInt("ceil_mode", 0) != 0)});
  return c.finish({intType ? c.cast(y, element) : y});
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
  auto type = ctx.inputType(0);
  auto axis = ctx.axisAttribute(-1, type);
  if (failed(axis))
    return failure();
  float epsilon = ctx.getFloat("epsilon", 1e-5f);
  auto y = ctx.build<LayerNormOp>(operands, {ctx.namedI64("axis", *axis), ctx.namedF32("epsilon", epsilon)});
  if (failed(y))
    return failure();
  auto wanted = [&](int k) { return ctx.node().output_size() > k && !ctx.node().output(k).empty(); };
  if (!wanted(1) && !wanted(2))
    return ctx.setResults({*y});
  // The Mean and InvStdDev outputs (kept dims), computed beside the fused op as its decomposition does.
  if (ctx.getInt("stash_type", 1) != 1 || !type.getElementType().isF32())
    return ctx.error() << "the Mean and InvStdDev outputs are supported for float32 only";
  Composer c(ctx);
  SmallVector<int64_t> axes;
  for (int64_t d = *axis; d < type.getRank(); ++d)
    axes.push_back(d);
  Value mean = c.reduce<ReduceMeanOp>(*x, axes, true);
  Value centered = c.op<SubOp>({*x, mean});
  Value variance = c.reduce<ReduceMeanOp>(c.op<MulOp>({centered, centered}), axes, true);
  Value invStdDev = c.op<ReciprocalOp>(c.op<SqrtOp>(c.op<AddOp>({variance, c.scalarLike(*x, epsilon)})));
  return c.finish({*y, mean, invStdDev});
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
  auto axis = ctx.axisAttribute(ctx.opset() < 13 ? 1 : -1, type);
  if (failed(axis))
    return failure();
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
  int64_t rank = ctx.inputType(0).getRank();
  SmallVector<bool> seen(rank, false);
  for (int64_t a : axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      continue; // the op's verifier says which
    if (seen[*axis])
      return ctx.error() << "axis " << a << " is repeated";
    seen[*axis] = true;
  }
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
                        {"Einsum", 12, einsum},
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
