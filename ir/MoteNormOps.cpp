// Type inference and verifiers of the `mote` normalization ops (batch, instance, group, layer and RMS norm,
// the halves of a split group norm) and of attention.
#include "ir/MoteDialect.h"
#include "ir/OpVerification.h"
#include "ir/ShapeUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;
using namespace mote;
using namespace mote::detail;

LogicalResult mote::detail::verifyPerChannel(Operation *op, Value operand, StringRef name, int64_t channels) {
  auto type = rankedType(operand);
  if (type.getRank() != 1 || (!ShapedType::isDynamic(channels) && type.getDimSize(0) != channels &&
                              !type.isDynamicDim(0)))
    return op->emitOpError("expected '") << name << "' of shape [" << channels << "], got " << type;
  return success();
}

//===----------------------------------------------------------------------===//
// Normalization and composites
//===----------------------------------------------------------------------===//

#define MOTE_SAME_AS_INPUT(OP)                                                                      \
  LogicalResult OP::inferReturnTypes(MLIRContext *, std::optional<Location>, Adaptor a,            \
                                     SmallVectorImpl<Type> &results) {                              \
    results.push_back(a.getInput().getType());                                                      \
    return success();                                                                               \
  }
MOTE_SAME_AS_INPUT(BatchNormOp)
MOTE_SAME_AS_INPUT(InstanceNormOp)
MOTE_SAME_AS_INPUT(GroupNormOp)
MOTE_SAME_AS_INPUT(GroupNormApplyOp)
MOTE_SAME_AS_INPUT(LayerNormOp)
MOTE_SAME_AS_INPUT(RmsNormOp)
#undef MOTE_SAME_AS_INPUT

static int64_t channelsOf(RankedTensorType type, bool channelsLast) {
  if (type.getRank() < 2)
    return ShapedType::kDynamic;
  return channelsLast && type.getRank() >= 3 ? type.getDimSize(type.getRank() - 1) : type.getDimSize(1);
}

LogicalResult BatchNormOp::verify() {
  int64_t c = channelsOf(getInput().getType(), getChannelsLast());
  Value operands[] = {getScale(), getBias(), getMean(), getVariance()};
  StringRef names[] = {"scale", "bias", "mean", "variance"};
  for (int i = 0; i < 4; ++i)
    if (failed(verifyPerChannel(*this, operands[i], names[i], c)))
      return failure();
  return success();
}

LogicalResult InstanceNormOp::verify() {
  if (getInput().getType().getRank() < 3)
    return emitOpError("expected an input of rank >= 3, got ") << getInput().getType();
  int64_t c = channelsOf(getInput().getType(), getChannelsLast());
  if (failed(verifyPerChannel(*this, getScale(), "scale", c)) ||
      failed(verifyPerChannel(*this, getBias(), "bias", c)))
    return failure();
  return success();
}

LogicalResult GroupNormOp::verify() {
  auto type = getInput().getType();
  if (type.getRank() < 3)
    return emitOpError("expected an input of rank >= 3, got ") << type;
  int64_t c = channelsOf(type, getChannelsLast()), g = getNumGroups();
  if (g < 1 || (!ShapedType::isDynamic(c) && c % g != 0))
    return emitOpError("expected 'num_groups' to divide ") << c << " channels, got " << g;
  if (failed(verifyPerChannel(*this, getScale(), "scale", c)) ||
      failed(verifyPerChannel(*this, getBias(), "bias", c)))
    return failure();
  return success();
}

LogicalResult GroupNormStatsOp::inferReturnTypes(MLIRContext *ctx, std::optional<Location>, Adaptor a,
                                                 SmallVectorImpl<Type> &results) {
  auto type = cast<RankedTensorType>(a.getInput().getType());
  results.push_back(RankedTensorType::get({type.getRank() > 0 ? type.getDimSize(0) : 1,
                                           static_cast<int64_t>(a.getNumGroups()), 2},
                                          Float32Type::get(ctx)));
  return success();
}

/// The group count of a group norm's halves divides the channels of an input of rank >= 3.
static LogicalResult verifyGroups(Operation *op, RankedTensorType type, bool channelsLast, int64_t groups) {
  if (type.getRank() < 3)
    return op->emitOpError("expected an input of rank >= 3, got ") << type;
  int64_t c = channelsOf(type, channelsLast);
  if (groups < 1 || (!ShapedType::isDynamic(c) && c % groups != 0))
    return op->emitOpError("expected 'num_groups' to divide ") << c << " channels, got " << groups;
  return success();
}

bool mote::isGroupNormStatistics(Value v) {
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    auto fused = dyn_cast_or_null<FusedOp>(arg.getOwner()->getParentOp());
    return fused && isGroupNormStatistics(fused.getInputs()[arg.getArgNumber()]);
  }
  Operation *def = v.getDefiningOp();
  if (auto fused = dyn_cast_or_null<FusedOp>(def))
    return isGroupNormStatistics(
        fused.getBlock().getTerminator()->getOperand(cast<OpResult>(v).getResultNumber()));
  return isa_and_nonnull<GroupNormStatsOp>(def);
}

LogicalResult GroupNormStatsOp::verify() {
  return verifyGroups(*this, getInput().getType(), getChannelsLast(), getNumGroups());
}

LogicalResult GroupNormApplyOp::verify() {
  auto type = getInput().getType();
  if (failed(verifyGroups(*this, type, getChannelsLast(), getNumGroups())))
    return failure();
  int64_t c = channelsOf(type, getChannelsLast());
  auto stats = getStats().getType();
  if (stats.getRank() != 3 || stats.getDimSize(0) != type.getDimSize(0) ||
      stats.getDimSize(1) != getNumGroups() || stats.getDimSize(2) != 2 || !stats.getElementType().isF32())
    return emitOpError("expected 'stats' of shape [") << type.getDimSize(0) << ", " << getNumGroups()
                                                        << ", 2] and type f32, got " << stats;
  if (failed(verifyPerChannel(*this, getScale(), "scale", c)) ||
      failed(verifyPerChannel(*this, getBias(), "bias", c)))
    return failure();
  return success();
}

// Scale and bias of layer/RMS norm cover the normalized axes (or broadcast to them).
static LogicalResult verifyNormalizedAxes(Operation *op, RankedTensorType input, int64_t axis,
                                          Value scale, Value bias) {
  auto normalized = normalizeAxis(axis, input.getRank());
  if (!normalized)
    return op->emitOpError("axis ") << axis << " is out of range for rank " << input.getRank();
  auto tail = input.getShape().drop_front(*normalized);
  for (Value v : {scale, bias}) {
    if (!v)
      continue;
    auto shape = rankedType(v).getShape();
    auto b = broadcastShapes(shape, tail);
    if (shape.size() > tail.size() || !b || ArrayRef<int64_t>(*b) != tail)
      return op->emitOpError("expected scale and bias broadcastable to the normalized shape [")
             << tail << "], got " << rankedType(v);
  }
  return success();
}

LogicalResult LayerNormOp::verify() {
  return verifyNormalizedAxes(*this, getInput().getType(), getAxis(), getScale(), getBias());
}

LogicalResult RmsNormOp::verify() {
  return verifyNormalizedAxes(*this, getInput().getType(), getAxis(), getScale(), Value());
}

LogicalResult AttentionOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc, Adaptor a,
                                            SmallVectorImpl<Type> &results) {
  auto q = rankedType(a.getQuery()), v = rankedType(a.getValue());
  if (q.getRank() != 4 || v.getRank() != 4)
    return emitOptionalError(loc, "attention expects rank-4 [B, H, S, D] operands, got ", q, " and ", v);
  results.push_back(q.clone({q.getDimSize(0), q.getDimSize(1), q.getDimSize(2), v.getDimSize(3)}));
  return success();
}

LogicalResult AttentionOp::verify() {
  auto q = getQuery().getType(), k = getKey().getType(), v = getValue().getType();
  if (q.getRank() != 4 || k.getRank() != 4 || v.getRank() != 4)
    return emitOpError("expected rank-4 [B, H, S, D] query, key and value, got ")
           << q << ", " << k << " and " << v;
  if (q.getDimSize(3) != k.getDimSize(3))
    return emitOpError("query head size ") << q.getDimSize(3) << " differs from key head size "
                                           << k.getDimSize(3);
  if (q.getDimSize(0) != k.getDimSize(0))
    return emitOpError("query batch ") << q.getDimSize(0) << " differs from key batch " << k.getDimSize(0);
  if (k.getDimSize(1) != v.getDimSize(1) || k.getDimSize(2) != v.getDimSize(2) ||
      k.getDimSize(0) != v.getDimSize(0))
    return emitOpError("key ") << k << " and value " << v << " disagree in batch, heads or length";
  if (k.getDimSize(1) < 1 || q.getDimSize(1) % k.getDimSize(1) != 0)
    return emitOpError("expected the ") << k.getDimSize(1) << " key/value heads to divide the "
                                        << q.getDimSize(1) << " query heads";
  if (getMask()) {
    SmallVector<int64_t> scores = {q.getDimSize(0), q.getDimSize(1), q.getDimSize(2), k.getDimSize(2)};
    auto b = broadcastShapes(getMask().getType().getShape(), scores);
    if (getMask().getType().getRank() > 4 || !b || ArrayRef<int64_t>(*b) != ArrayRef<int64_t>(scores))
      return emitOpError("mask ") << getMask().getType() << " does not broadcast to the scores ["
                                  << ArrayRef<int64_t>(scores) << "]";
  }
  return success();
}

