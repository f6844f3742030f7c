// Type inference and verifiers of the `mote` ops: the shape rules of the ONNX operators they model (the
// normalizations and attention: MoteNormOps.cpp).
#include "ir/MoteDialect.h"
#include "ir/OpVerification.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/CheckedArithmetic.h"

using namespace mlir;
using namespace mote;
using namespace mote::detail;

RankedTensorType mote::detail::rankedType(Value v) { return cast<RankedTensorType>(v.getType()); }

namespace {

LogicalResult inferBroadcast(std::optional<Location> loc, ValueRange operands, Type elementType,
                             SmallVectorImpl<Type> &results) {
  SmallVector<int64_t> shape;
  for (Value v : operands) {
    auto next = broadcastShapes(shape, rankedType(v).getShape());
    if (!next)
      return emitOptionalError(loc, "operands of shapes ", rankedType(operands[0]), " and ",
                               rankedType(v), " do not broadcast");
    shape = *next;
  }
  results.push_back(RankedTensorType::get(shape, elementType));
  return success();
}

// Checks `axes`, and returns the reduced shape.
FailureOr<SmallVector<int64_t>> reducedShape(std::optional<Location> loc, ArrayRef<int64_t> shape,
                                             ArrayRef<int64_t> axes, bool keepdims) {
  int64_t rank = shape.size();
  SmallVector<bool> reduced(rank, axes.empty());
  for (int64_t a : axes) {
    auto axis = normalizeAxis(a, rank);
    if (!axis)
      return emitOptionalError(loc, "axis ", a, " is out of range for rank ", rank);
    reduced[*axis] = true;
  }
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < rank; ++i) {
    if (!reduced[i])
      out.push_back(shape[i]);
    else if (keepdims)
      out.push_back(1);
  }
  return out;
}

// Shared checks of conv-like ops: spatial attribute sizes match the input rank.
LogicalResult verifyWindowAttrs(Operation *op, int64_t spatial, ArrayRef<int64_t> strides,
                                ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations) {
  if (spatial < 1)
    return op->emitOpError("expected an input of rank >= 3 (N, C, spatial...)");
  if (static_cast<int64_t>(strides.size()) != spatial)
    return op->emitOpError("expected ") << spatial << " strides, got " << strides.size();
  if (static_cast<int64_t>(pads.size()) != 2 * spatial)
    return op->emitOpError("expected ") << 2 * spatial << " pads, got " << pads.size();
  if (!dilations.empty() && static_cast<int64_t>(dilations.size()) != spatial)
    return op->emitOpError("expected ") << spatial << " dilations, got " << dilations.size();
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t d) { return d < 1; }))
    return op->emitOpError("expected strides and dilations >= 1");
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op->emitOpError("expected non-negative pads");
  return success();
}

// The NCHW shape of a value in the op's layout ([N, spatial..., C] when channels_last), and back.
SmallVector<int64_t> toChannelsFirst(ArrayRef<int64_t> shape, bool channelsLast) {
  SmallVector<int64_t> out(shape);
  if (channelsLast && shape.size() >= 3) {
    out.erase(out.end() - 1);
    out.insert(out.begin() + 1, shape.back());
  }
  return out;
}

SmallVector<int64_t> fromChannelsFirst(ArrayRef<int64_t> shape, bool channelsLast) {
  SmallVector<int64_t> out(shape);
  if (channelsLast && shape.size() >= 3) {
    out.erase(out.begin() + 1);
    out.push_back(shape[1]);
  }
  return out;
}

RankedTensorType channelsFirstType(RankedTensorType type, bool channelsLast) {
  return type.clone(toChannelsFirst(type.getShape(), channelsLast));
}

} // namespace

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

#define MOTE_BROADCAST_INFER(OP, ELEMENT)                                                          \
  LogicalResult OP::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc, Adaptor a,      \
                                     SmallVectorImpl<Type> &results) {                              \
    (void)ctx;                                                                                      \
    return inferBroadcast(loc, {a.getLhs(), a.getRhs()}, ELEMENT, results);                         \
  }
#define MOTE_SAME_ELEMENT rankedType(a.getLhs()).getElementType()
#define MOTE_BOOL_ELEMENT IntegerType::get(ctx, 1)
MOTE_BROADCAST_INFER(AddOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(SubOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(MulOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(DivOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(PowOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(MinOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(MaxOp, MOTE_SAME_ELEMENT)
MOTE_BROADCAST_INFER(EqualOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(LessOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(GreaterOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(LessOrEqualOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(GreaterOrEqualOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(AndOp, MOTE_BOOL_ELEMENT)
MOTE_BROADCAST_INFER(OrOp, MOTE_BOOL_ELEMENT)
#undef MOTE_BROADCAST_INFER
#undef MOTE_SAME_ELEMENT
#undef MOTE_BOOL_ELEMENT

LogicalResult WhereOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  return inferBroadcast(loc, {a.getCondition(), a.getX(), a.getY()},
                        rankedType(a.getX()).getElementType(), results);
}

LogicalResult DequantizeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto scale = cast<RankedTensorType>(getScale().getType());
  auto out = cast<RankedTensorType>(getType());
  if (!in.getElementType().isSignlessInteger(8) && !in.getElementType().isSignlessInteger(4))
    return emitOpError("quantized values must be i8 or i4, got ") << in.getElementType();
  if (!out.getElementType().isF32())
    return emitOpError("result must be f32");
  if (!scale.getElementType().isF32() && !scale.getElementType().isF16())
    return emitOpError("scale must be f32 or f16");
  if (in.getShape() != out.getShape())
    return emitOpError("result shape must be the input's");
  int64_t axis = getAxis();
  if (axis < 0 || axis >= in.getRank())
    return emitOpError("axis ") << axis << " out of range for rank " << in.getRank();
  if (std::optional<int64_t> block = getBlockSize()) {
    if (*block < 1)
      return emitOpError("block_size must be positive");
    if (scale.getRank() != in.getRank())
      return emitOpError("a blockwise scale must have the input's rank");
    for (int64_t d = 0; d < in.getRank(); ++d) {
      if (in.isDynamicDim(d) || scale.isDynamicDim(d))
        continue;
      int64_t want = d == axis ? (in.getDimSize(d) + *block - 1) / *block : in.getDimSize(d);
      if (scale.getDimSize(d) != want)
        return emitOpError("scale dim ") << d << " must be " << want << " (one per block of " << *block
                                         << " along axis " << axis << ")";
    }
    return success();
  }
  if (scale.getRank() != 1 || (!in.isDynamicDim(axis) && scale.getDimSize(0) != in.getDimSize(axis)))
    return emitOpError("scale must be 1-D with one value per index of axis ") << axis;
  return success();
}

LogicalResult WhereOp::verify() {
  if (getX().getType().getElementType() != getY().getType().getElementType())
    return emitOpError("expected 'x' and 'y' of one element type, got ")
           << getX().getType() << " and " << getY().getType();
  return success();
}

LogicalResult CastOp::inferReturnTypes(MLIRContext *, std::optional<Location>, Adaptor a,
                                       SmallVectorImpl<Type> &results) {
  results.push_back(rankedType(a.getInput()).clone(a.getTo()));
  return success();
}

LogicalResult GeluOp::verify() {
  if (getApproximate() != "none" && getApproximate() != "tanh" && getApproximate() != "sigmoid")
    return emitOpError("expected approximate = \"none\", \"tanh\" or \"sigmoid\", got \"")
           << getApproximate() << "\"";
  return success();
}

//===----------------------------------------------------------------------===//
// Reductions, softmax
//===----------------------------------------------------------------------===//

#define MOTE_REDUCE(OP)                                                                             \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,        \
                                     SmallVectorImpl<Type> &results) {                              \
    auto type = rankedType(a.getInput());                                                           \
    auto shape = reducedShape(loc, type.getShape(), a.getAxes(), a.getKeepdims());                  \
    if (failed(shape))                                                                              \
      return failure();                                                                             \
    results.push_back(type.clone(*shape));                                                          \
    return success();                                                                               \
  }                                                                                                 \
  LogicalResult OP::verify() {                                                                      \
    return success(succeeded(reducedShape(getLoc(), getInput().getType().getShape(), getAxes(),     \
                                          getKeepdims())));                                         \
  }
MOTE_REDUCE(ReduceMeanOp)
MOTE_REDUCE(ReduceSumOp)
MOTE_REDUCE(ReduceMaxOp)
MOTE_REDUCE(ReduceMinOp)
#undef MOTE_REDUCE

LogicalResult ArgMaxOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location> loc, Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto type = rankedType(a.getInput());
  int64_t axis = static_cast<int64_t>(a.getAxis());
  auto shape = reducedShape(loc, type.getShape(), {axis}, a.getKeepdims());
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult ArgMaxOp::verify() {
  if (!normalizeAxis(getAxis(), getInput().getType().getRank()))
    return emitOpError("axis ") << static_cast<int64_t>(getAxis()) << " is out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

LogicalResult SoftmaxOp::verify() {
  if (!normalizeAxis(getAxis(), getInput().getType().getRank()))
    return emitOpError("axis ") << static_cast<int64_t>(getAxis()) << " is out of range for rank "
                                << getInput().getType().getRank();
  return success();
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

LogicalResult MatMulOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto lt = rankedType(a.getLhs()), rt = rankedType(a.getRhs());
  if (lt.getRank() == 0 || rt.getRank() == 0)
    return emitOptionalError(loc, "matmul operands must have rank >= 1");
  SmallVector<int64_t> l(lt.getShape()), r(rt.getShape());
  bool lhsVector = l.size() == 1, rhsVector = r.size() == 1;
  if (lhsVector)
    l.insert(l.begin(), 1);
  if (rhsVector)
    r.push_back(1);
  int64_t k1 = l.back(), k2 = r[r.size() - 2];
  if (k1 != k2 && !ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2))
    return emitOptionalError(loc, "matmul contraction sizes differ: ", lt, " and ", rt);
  auto batch = broadcastShapes(ArrayRef<int64_t>(l).drop_back(2), ArrayRef<int64_t>(r).drop_back(2));
  if (!batch)
    return emitOptionalError(loc, "matmul batch dimensions of ", lt, " and ", rt, " do not broadcast");
  SmallVector<int64_t> shape = *batch;
  if (!lhsVector)
    shape.push_back(l[l.size() - 2]);
  if (!rhsVector)
    shape.push_back(r.back());
  results.push_back(lt.clone(shape));
  return success();
}

LogicalResult GemmOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                       SmallVectorImpl<Type> &results) {
  auto at = rankedType(a.getA()), bt = rankedType(a.getB());
  if (at.getRank() != 2 || bt.getRank() != 2)
    return emitOptionalError(loc, "gemm expects 2-D A and B, got ", at, " and ", bt);
  int64_t m = at.getDimSize(a.getTransA() ? 1 : 0);
  int64_t n = bt.getDimSize(a.getTransB() ? 0 : 1);
  results.push_back(at.clone({m, n}));
  return success();
}

LogicalResult GemmOp::verify() {
  auto at = getA().getType(), bt = getB().getType();
  if (at.getRank() != 2 || bt.getRank() != 2)
    return emitOpError("expects 2-D A and B, got ") << at << " and " << bt;
  int64_t k1 = at.getDimSize(getTransA() ? 0 : 1), k2 = bt.getDimSize(getTransB() ? 1 : 0);
  if (k1 != k2)
    return emitOpError("contraction sizes differ: ") << k1 << " vs " << k2;
  if (getC() && !broadcastShapes(getC().getType().getShape(), getType().getShape()))
    return emitOpError("'C' of type ") << getC().getType() << " does not broadcast to " << getType();
  return success();
}

static LogicalResult inferConvLike(std::optional<Location> loc, RankedTensorType layoutInput,
                                   RankedTensorType weight, int64_t outChannels,
                                   ArrayRef<int64_t> strides, ArrayRef<int64_t> pads,
                                   ArrayRef<int64_t> dilations, ArrayRef<int64_t> outputPadding,
                                   bool transposed, bool channelsLast, SmallVectorImpl<Type> &results) {
  RankedTensorType input = channelsFirstType(layoutInput, channelsLast);
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1 || weight.getRank() != input.getRank() ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial ||
      static_cast<int64_t>(dilations.size()) != spatial)
    return emitOptionalError(loc, "convolution input ", input, ", weight ", weight,
                             " and spatial attributes do not agree in rank");
  SmallVector<int64_t> shape = {input.getDimSize(0), outChannels};
  for (int64_t i = 0; i < spatial; ++i) {
    int64_t in = input.getDimSize(2 + i), k = weight.getDimSize(2 + i);
    if (transposed) {
      int64_t extra = outputPadding.empty() ? 0 : outputPadding[i];
      if (ShapedType::isDynamic(in)) {
        shape.push_back(in);
        continue;
      }
      // stride * (in - 1) + extra + (k - 1) * dilation + 1 - pads, checked: hostile attributes must not
      // wrap into a plausible size.
      auto grown = llvm::checkedMul<int64_t>(strides[i], in - 1);
      auto window = llvm::checkedMul<int64_t>(k - 1, dilations[i]);
      std::optional<int64_t> out = grown && window ? llvm::checkedAdd<int64_t>(*grown, *window) : std::nullopt;
      out = out ? llvm::checkedAdd<int64_t>(*out, extra + 1) : std::nullopt;
      out = out ? llvm::checkedSub<int64_t>(*out, pads[i]) : std::nullopt;
      out = out ? llvm::checkedSub<int64_t>(*out, pads[spatial + i]) : std::nullopt;
      if (!out || *out < 0 || pads[i] < 0 || pads[spatial + i] < 0 || extra < 0)
        return emitOptionalError(loc, "transposed convolution of input extent ", in, " with stride ", strides[i],
                                 ", window ", k, " and pads ", pads[i], ", ", pads[spatial + i],
                                 " has no valid output size on spatial axis ", i);
      shape.push_back(*out);
      continue;
    }
    auto out = windowOutputSize(in, k, strides[i], pads[i], pads[spatial + i], dilations[i], false);
    if (!out)
      return emitOptionalError(loc, "convolution window of ", k, " (dilation ", dilations[i], ") does not fit input extent ", in,
                               " with pads ", pads[i], ", ", pads[spatial + i], " on spatial axis ", i);
    shape.push_back(*out);
  }
  results.push_back(input.clone(fromChannelsFirst(shape, channelsLast)));
  return success();
}

LogicalResult ConvOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                       SmallVectorImpl<Type> &results) {
  auto weight = rankedType(a.getWeight());
  return inferConvLike(loc, rankedType(a.getInput()), weight, weight.getDimSize(0), a.getStrides(),
                       a.getPads(), a.getDilations(), {}, false, a.getChannelsLast(), results);
}

LogicalResult ConvOp::verify() {
  auto input = channelsFirstType(getInput().getType(), getChannelsLast()), weight = getWeight().getType();
  if (failed(verifyWindowAttrs(*this, input.getRank() - 2, getStrides(), getPads(), getDilations())))
    return failure();
  if (weight.getRank() != input.getRank())
    return emitOpError("expected a weight of rank ") << input.getRank() << ", got " << weight;
  int64_t group = getGroup(), channels = input.getDimSize(1), outChannels = weight.getDimSize(0);
  if (group < 1 || channels % group != 0 || outChannels % group != 0)
    return emitOpError("expected 'group' to divide ")
           << channels << " input and " << outChannels << " output channels, got " << group;
  if (weight.getDimSize(1) * group != channels)
    return emitOpError("weight ") << weight << " expects " << weight.getDimSize(1) * group
                                  << " input channels, input has " << channels;
  if (getBias() && failed(verifyPerChannel(*this, getBias(), "bias", outChannels)))
    return failure();
  return success();
}

LogicalResult ConvTransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                                SmallVectorImpl<Type> &results) {
  auto weight = rankedType(a.getWeight());
  return inferConvLike(loc, rankedType(a.getInput()), weight, weight.getDimSize(1) * a.getGroup(),
                       a.getStrides(), a.getPads(), a.getDilations(), a.getOutputPadding(), true,
                       a.getChannelsLast(), results);
}

LogicalResult ConvTransposeOp::verify() {
  auto input = channelsFirstType(getInput().getType(), getChannelsLast()), weight = getWeight().getType();
  if (failed(verifyWindowAttrs(*this, input.getRank() - 2, getStrides(), getPads(), getDilations())))
    return failure();
  if (weight.getRank() != input.getRank())
    return emitOpError("expected a weight of rank ") << input.getRank() << ", got " << weight;
  if (getGroup() < 1 || input.getDimSize(1) != weight.getDimSize(0) ||
      input.getDimSize(1) % getGroup() != 0)
    return emitOpError("weight ") << weight << " and 'group' = " << getGroup()
                                  << " do not fit an input of " << input.getDimSize(1) << " channels";
  if (getBias() && failed(verifyPerChannel(*this, getBias(), "bias",
                                            channelsFirstType(getType(), getChannelsLast()).getDimSize(1))))
    return failure();
  return success();
}

static LogicalResult inferPool(std::optional<Location> loc, RankedTensorType layoutInput,
                               ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                               ArrayRef<int64_t> pads, ArrayRef<int64_t> dilations, bool ceilMode,
                               bool channelsLast, SmallVectorImpl<Type> &results) {
  RankedTensorType input = channelsFirstType(layoutInput, channelsLast);
  int64_t spatial = input.getRank() - 2;
  if (spatial < 1 || static_cast<int64_t>(kernel.size()) != spatial ||
      static_cast<int64_t>(strides.size()) != spatial ||
      static_cast<int64_t>(pads.size()) != 2 * spatial)
    return emitOptionalError(loc, "pooling attributes do not match input ", input);
  SmallVector<int64_t> shape(input.getShape().take_front(2));
  for (int64_t i = 0; i < spatial; ++i) {
    auto out = windowOutputSize(input.getDimSize(2 + i), kernel[i], strides[i], pads[i],
                                pads[spatial + i], dilations.empty() ? 1 : dilations[i], ceilMode);
    if (!out)
      return emitOptionalError(loc, "pooling window of ", kernel[i], " does not fit input extent ",
                               input.getDimSize(2 + i));
    shape.push_back(*out);
  }
  results.push_back(input.clone(fromChannelsFirst(shape, channelsLast)));
  return success();
}

LogicalResult MaxPoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                          SmallVectorImpl<Type> &results) {
  return inferPool(loc, rankedType(a.getInput()), a.getKernelShape(), a.getStrides(), a.getPads(),
                   a.getDilations(), a.getCeilMode(), a.getChannelsLast(), results);
}

LogicalResult MaxPoolOp::verify() {
  return verifyWindowAttrs(*this, getInput().getType().getRank() - 2, getStrides(), getPads(),
                           getDilations());
}

LogicalResult AveragePoolOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                              SmallVectorImpl<Type> &results) {
  return inferPool(loc, rankedType(a.getInput()), a.getKernelShape(), a.getStrides(), a.getPads(), {},
                   a.getCeilMode(), a.getChannelsLast(), results);
}

LogicalResult AveragePoolOp::verify() {
  return verifyWindowAttrs(*this, getInput().getType().getRank() - 2, getStrides(), getPads(), {});
}

//===----------------------------------------------------------------------===//
// KV cache
//===----------------------------------------------------------------------===//

namespace {
/// The checks kv_write and cache_attention share: a rank-4 cache and a one-element position.
LogicalResult verifyCacheOperands(Operation *op, RankedTensorType cache, RankedTensorType rows,
                                  RankedTensorType position) {
  if (cache.getRank() != 4 || rows.getRank() != 4)
    return op->emitOpError("expected a rank-4 [B, H, L, D] cache and [B, H, S, D] rows, got ")
           << cache << " and " << rows;
  if (position.getNumElements() != 1 || !position.getElementType().isInteger(64))
    return op->emitOpError("expected a one-element i64 position, got ") << position;
  if (!cache.hasStaticShape() || !rows.hasStaticShape())
    return op->emitOpError("expected static shapes");
  if (rows.getDimSize(2) > cache.getDimSize(2))
    return op->emitOpError("writes ") << rows.getDimSize(2) << " rows into a cache of " << cache.getDimSize(2);
  return success();
}
} // namespace

LogicalResult KvWriteOp::verify() {
  auto cache = getCache().getType(), update = getUpdate().getType();
  if (failed(verifyCacheOperands(*this, cache, update, getPosition().getType())))
    return failure();
  if (cache.getElementType() != update.getElementType() || cache.getDimSize(0) != update.getDimSize(0) ||
      cache.getDimSize(1) != update.getDimSize(1) || cache.getDimSize(3) != update.getDimSize(3))
    return emitOpError("update ") << update << " does not match the cache " << cache << " but for its rows";
  return success();
}

LogicalResult CacheAttentionOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                                 SmallVectorImpl<Type> &results) {
  auto q = rankedType(a.getQuery()), v = rankedType(a.getValue());
  if (q.getRank() != 4 || v.getRank() != 4)
    return emitOptionalError(loc, "cache_attention expects rank-4 operands, got ", q, " and ", v);
  results.push_back(q.clone({q.getDimSize(0), q.getDimSize(1), q.getDimSize(2), v.getDimSize(3)}));
  return success();
}

LogicalResult CacheAttentionOp::verify() {
  auto q = getQuery().getType(), k = getKey().getType(), v = getValue().getType();
  if (failed(verifyCacheOperands(*this, k, q, getPosition().getType())))
    return failure();
  if (v.getRank() != 4 || k.getDimSize(0) != v.getDimSize(0) || k.getDimSize(1) != v.getDimSize(1) ||
      k.getDimSize(2) != v.getDimSize(2))
    return emitOpError("key cache ") << k << " and value cache " << v << " disagree in batch, heads or length";
  if (q.getDimSize(0) != k.getDimSize(0) || q.getDimSize(3) != k.getDimSize(3))
    return emitOpError("query ") << q << " does not match the key cache " << k << " in batch or head size";
  if (k.getDimSize(1) < 1 || q.getDimSize(1) % k.getDimSize(1) != 0)
    return emitOpError("expected the ") << k.getDimSize(1) << " key/value heads to divide the "
                                        << q.getDimSize(1) << " query heads";
  return success();
}

//===----------------------------------------------------------------------===//
// Data movement and shape
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getElementType() != out.getElementType())
    return emitOpError("cannot change the element type");
  if (!in.hasStaticShape() || !out.hasStaticShape())
    return success();
  std::optional<int64_t> inCount = checkedNumElements(in.getShape()), outCount = checkedNumElements(out.getShape());
  if (!inCount || !outCount)
    return emitOpError("cannot reshape ") << in << " to " << out << ": more than 2^40 elements";
  if (*inCount != *outCount)
    return emitOpError("cannot reshape ") << in << " (" << *inCount << " elements) to " << out << " ("
                                          << *outCount << " elements)";
  return success();
}

LogicalResult ExpandOp::verify() {
  auto in = getInput().getType(), out = getType();
  auto b = broadcastShapes(in.getShape(), out.getShape());
  if (in.getElementType() != out.getElementType() || !b || ArrayRef<int64_t>(*b) != out.getShape())
    return emitOpError("cannot broadcast ") << in << " to " << out;
  return success();
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                            SmallVectorImpl<Type> &results) {
  auto type = rankedType(a.getInput());
  if (static_cast<int64_t>(a.getPerm().size()) != type.getRank())
    return emitOptionalError(loc, "perm of ", a.getPerm().size(), " entries for rank ", type.getRank());
  SmallVector<int64_t> shape;
  for (int64_t p : a.getPerm()) {
    if (p < 0 || p >= type.getRank())
      return emitOptionalError(loc, "perm entry ", p, " is out of range");
    shape.push_back(type.getDimSize(p));
  }
  results.push_back(type.clone(shape));
  return success();
}

LogicalResult TransposeOp::verify() {
  SmallVector<bool> seen(getPerm().size(), false);
  for (int64_t p : getPerm()) {
    if (p < 0 || p >= static_cast<int64_t>(seen.size()) || seen[p])
      return emitOpError("perm [") << getPerm() << "] is not a permutation";
    seen[p] = true;
  }
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  if (a.getInputs().empty())
    return emitOptionalError(loc, "concat needs at least one input");
  auto first = rankedType(a.getInputs()[0]);
  auto axis = normalizeAxis(a.getAxis(), first.getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", static_cast<int64_t>(a.getAxis()), " is out of range for rank ", first.getRank());
  SmallVector<int64_t> shape(first.getShape());
  for (Value v : a.getInputs().drop_front()) {
    auto t = rankedType(v);
    if (t.getRank() != first.getRank())
      return emitOptionalError(loc, "concat inputs differ in rank: ", first, " and ", t);
    for (int64_t i = 0; i < t.getRank(); ++i) {
      if (i == *axis)
        continue;
      if (t.getDimSize(i) != shape[i])
        return emitOptionalError(loc, "concat inputs ", first, " and ", t, " differ off the axis");
    }
    shape[*axis] = ShapedType::isDynamic(shape[*axis]) || t.isDynamicDim(*axis)
                       ? ShapedType::kDynamic
                       : shape[*axis] + t.getDimSize(*axis);
  }
  results.push_back(first.clone(shape));
  return success();
}

LogicalResult SplitOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  auto type = rankedType(a.getInput());
  auto axis = normalizeAxis(a.getAxis(), type.getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", static_cast<int64_t>(a.getAxis()), " is out of range for rank ", type.getRank());
  for (int64_t size : a.getSizes()) {
    SmallVector<int64_t> shape(type.getShape());
    shape[*axis] = size;
    results.push_back(type.clone(shape));
  }
  return success();
}

LogicalResult SplitOp::verify() {
  auto type = getInput().getType();
  auto normalized = normalizeAxis(getAxis(), type.getRank());
  if (!normalized)
    return emitOpError("axis ") << static_cast<int64_t>(getAxis()) << " is out of range for rank "
                                << type.getRank();
  int64_t axis = *normalized, total = 0;
  for (int64_t s : getSizes())
    total += s;
  if (!type.isDynamicDim(axis) && total != type.getDimSize(axis))
    return emitOpError("split sizes add up to ") << total << ", axis " << axis << " has "
                                                 << type.getDimSize(axis);
  return success();
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  auto type = rankedType(a.getInput());
  int64_t rank = type.getRank();
  if (static_cast<int64_t>(a.getStarts().size()) != rank ||
      static_cast<int64_t>(a.getLimits().size()) != rank ||
      static_cast<int64_t>(a.getSteps().size()) != rank)
    return emitOptionalError(loc, "slice needs one start, limit and step per dimension of ", type);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(type.isDynamicDim(i) ? ShapedType::kDynamic
                                         : sliceSize(a.getStarts()[i], a.getLimits()[i], a.getSteps()[i]));
  results.push_back(type.clone(shape));
  return success();
}

bool ConvOp::isChannelsLinear() {
  auto weight = cast<RankedTensorType>(getWeight().getType());
  auto input = cast<RankedTensorType>(getInput().getType());
  auto isZero = [](int64_t v) { return v == 0; };
  auto isOne = [](int64_t v) { return v == 1; };
  return getChannelsLast() && getGroup() == 1 && weight.getRank() == 4 && weight.hasStaticShape() &&
         input.hasStaticShape() && weight.getShape()[2] == 1 && weight.getShape()[3] == 1 &&
         llvm::all_of(getPads(), isZero) && llvm::all_of(getStrides(), isOne);
}

bool SliceOp::isLastAxisWindow() {
  auto in = cast<RankedTensorType>(getInput().getType());
  if (!in.hasStaticShape() || in.getRank() == 0)
    return false;
  ArrayRef<int64_t> shape = in.getShape(), starts = getStarts(), limits = getLimits(), steps = getSteps();
  for (int64_t d = 0; d + 1 < in.getRank(); ++d)
    if (starts[d] != 0 || limits[d] != shape[d] || steps[d] != 1)
      return false;
  int64_t last = in.getRank() - 1;
  return steps[last] == 1 && starts[last] >= 0 && limits[last] > starts[last] && limits[last] <= shape[last];
}

LogicalResult SliceOp::verify() {
  auto type = getInput().getType();
  if (static_cast<int64_t>(getStarts().size()) != type.getRank() ||
      static_cast<int64_t>(getLimits().size()) != type.getRank() ||
      static_cast<int64_t>(getSteps().size()) != type.getRank())
    return emitOpError("expected one start, limit and step per dimension of ") << type;
  for (int64_t i = 0; i < type.getRank(); ++i) {
    int64_t start = getStarts()[i], limit = getLimits()[i], step = getSteps()[i];
    int64_t dim = type.getDimSize(i);
    if (step == 0)
      return emitOpError("step of dimension ") << i << " is zero";
    if (ShapedType::isDynamic(dim))
      continue;
    bool ok = step > 0 ? (0 <= start && start <= dim && 0 <= limit && limit <= dim)
                       : (0 <= start && start < std::max<int64_t>(dim, 1) && -1 <= limit && limit < dim);
    if (!ok)
      return emitOpError("slice [") << start << ", " << limit << ") step " << step
                                    << " is not normalized for dimension " << i << " of size " << dim;
  }
  return success();
}

LogicalResult GatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                         SmallVectorImpl<Type> &results) {
  auto data = rankedType(a.getData()), indices = rankedType(a.getIndices());
  auto axis = normalizeAxis(a.getAxis(), data.getRank());
  if (!axis)
    return emitOptionalError(loc, "axis ", static_cast<int64_t>(a.getAxis()), " is out of range for rank ", data.getRank());
  SmallVector<int64_t> shape(data.getShape().take_front(*axis));
  llvm::append_range(shape, indices.getShape());
  llvm::append_range(shape, data.getShape().drop_front(*axis + 1));
  results.push_back(data.clone(shape));
  return success();
}

LogicalResult ShapeOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location>, Adaptor a,
                                        SmallVectorImpl<Type> &results) {
  int64_t rank = rankedType(a.getInput()).getRank();
  auto clamp = [&](int64_t v) { return std::clamp<int64_t>(v < 0 ? v + rank : v, 0, rank); };
  int64_t n = std::max<int64_t>(0, clamp(a.getEnd()) - clamp(a.getStart()));
  results.push_back(RankedTensorType::get({n}, IntegerType::get(ctx, 64)));
  return success();
}

LogicalResult TriluOp::verify() {
  if (getInput().getType().getRank() < 2)
    return emitOpError("expected rank >= 2, got ") << getInput().getType();
  return success();
}

LogicalResult ResizeOp::verify() {
  auto in = getInput().getType(), out = getType();
  if (in.getRank() != out.getRank() || static_cast<int64_t>(getScales().size()) != in.getRank())
    return emitOpError("expected input, result and scales of one rank");
  if (getMode() != "nearest" && getMode() != "linear")
    return emitOpError("mode \"") << getMode() << "\" is not supported (nearest, linear)";
  static const char *modes[] = {"half_pixel", "pytorch_half_pixel", "align_corners", "asymmetric",
                                "tf_half_pixel_for_nn"};
  if (!llvm::is_contained(modes, getCoordinateTransformationMode()))
    return emitOpError("coordinate_transformation_mode \"")
           << getCoordinateTransformationMode() << "\" is not supported";
  static const char *nearest[] = {"round_prefer_floor", "round_prefer_ceil", "floor", "ceil"};
  if (!llvm::is_contained(nearest, getNearestMode()))
    return emitOpError("nearest_mode \"") << getNearestMode() << "\" is not supported";
  return success();
}

LogicalResult PadOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                      SmallVectorImpl<Type> &results) {
  auto type = rankedType(a.getInput());
  int64_t rank = type.getRank();
  if (static_cast<int64_t>(a.getPads().size()) != 2 * rank)
    return emitOptionalError(loc, "expected ", 2 * rank, " pads for ", type);
  SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i)
    shape.push_back(type.isDynamicDim(i) ? ShapedType::kDynamic
                                         : type.getDimSize(i) + a.getPads()[i] + a.getPads()[rank + i]);
  if (llvm::any_of(shape, [](int64_t d) { return d < 0 && !ShapedType::isDynamic(d); }))
    return emitOptionalError(loc, "pads crop ", type, " below zero size");
  results.push_back(type.clone(shape));
  return success();
}

LogicalResult PadOp::verify() {
  if (getMode() != "constant" && getMode() != "reflect" && getMode() != "edge")
    return emitOpError("mode \"") << getMode() << "\" is not supported (constant, reflect, edge)";
  return success();
}

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

LogicalResult FusedOp::verify() {
  Block &block = getBlock();
  if (block.getNumArguments() != getInputs().size())
    return emitOpError("has ") << getInputs().size() << " inputs but its body takes " << block.getNumArguments();
  for (auto [input, arg] : llvm::zip(getInputs(), block.getArguments()))
    if (input.getType() != arg.getType())
      return emitOpError("input of type ") << input.getType() << " is taken by a body argument of type "
                                           << arg.getType();
  auto yield = dyn_cast<YieldOp>(block.getTerminator());
  if (!yield)
    return emitOpError("body must end in mote.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ") << yield.getValues().getTypes() << " but has results " << getResultTypes();
  for (Operation &op : block.without_terminator())
    if (isa<FusedOp>(op) || op.getDialect() != getOperation()->getDialect())
      return op.emitOpError("cannot be inside mote.fused");
  return success();
}

#define GET_OP_CLASSES
#include "ir/MoteOps.cpp.inc"
