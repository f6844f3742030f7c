// mote-serialize-conv2d: a 2-D mote.conv that touches more than max_tensor_bytes becomes the fewest
// slices that fit (rows with their halo, or output channels), run in sequence and concatenated. The
// arithmetic is in SerializationUtils.h; a two-level plan (channel slices that are still too big) is
// finished when the greedy driver meets those slices, which the planner cuts as it promised.
#include "passes/Passes.h"
#include "passes/SerializationUtils.h"
#include "ir/ModuleTarget.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mote {
#define GEN_PASS_DEF_MOTESERIALIZECONV2D
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// The discardable attribute on the concatenation that joins the slices, for the compile report:
/// {axis = "height" | "channels", factor, input_bytes, output_bytes, weight_bytes, limit}.
constexpr llvm::StringLiteral kSerializationAttrName = "mote.serialization";

std::optional<ConvGeometry> geometryOf(ConvOp conv) {
  auto input = dyn_cast<RankedTensorType>(conv.getInput().getType());
  auto weight = dyn_cast<RankedTensorType>(conv.getWeight().getType());
  auto output = dyn_cast<RankedTensorType>(conv.getType());
  if (!input || !weight || !output || input.getRank() != 4 || !input.hasStaticShape() ||
      !weight.hasStaticShape() || !output.hasStaticShape())
    return std::nullopt;
  // The pass runs before mote-convert-layout; a convolution already in NHWC is not sliced here.
  if (auto channelsLast = conv->getAttrOfType<BoolAttr>("channels_last");
      channelsLast && channelsLast.getValue())
    return std::nullopt;
  ConvGeometry g;
  g.batch = input.getDimSize(0);
  g.inChannels = input.getDimSize(1);
  g.inHeight = input.getDimSize(2);
  g.inWidth = input.getDimSize(3);
  g.outChannels = weight.getDimSize(0);
  g.kernelHeight = weight.getDimSize(2);
  g.kernelWidth = weight.getDimSize(3);
  ArrayRef<int64_t> strides = conv.getStrides(), pads = conv.getPads(), dilations = conv.getDilations();
  g.strideH = strides[0];
  g.strideW = strides[1];
  g.padTop = pads[0];
  g.padLeft = pads[1];
  g.padBottom = pads[2];
  g.padRight = pads[3];
  g.dilationH = dilations[0];
  g.dilationW = dilations[1];
  g.group = conv.getGroup();
  // Zero-sized tensors have nothing to serialize.
  if (g.inputElements() == 0 || g.outputElements() == 0 || g.outHeight() != output.getDimSize(2) ||
      g.outWidth() != output.getDimSize(3))
    return std::nullopt;
  return g;
}

/// `value` restricted to [begin, end) along `axis`, or `value` itself if that is all of it.
Value sliceAlong(PatternRewriter &rewriter, Location loc, Value value, int64_t axis, int64_t begin,
                 int64_t end) {
  auto type = cast<RankedTensorType>(value.getType());
  if (begin == 0 && end == type.getDimSize(axis))
    return value;
  SmallVector<int64_t> starts(type.getRank(), 0), limits(type.getShape()), steps(type.getRank(), 1);
  starts[axis] = begin;
  limits[axis] = end;
  return SliceOp::create(rewriter, loc, value, starts, limits, steps);
}

struct SerializeConvPattern : OpRewritePattern<ConvOp> {
  SerializeConvPattern(MLIRContext *ctx, int64_t maxBytes, int64_t elementBytes)
      : OpRewritePattern(ctx), maxBytes(maxBytes), elementBytes(elementBytes) {}

  LogicalResult matchAndRewrite(ConvOp conv, PatternRewriter &rewriter) const override {
    std::optional<ConvGeometry> g = geometryOf(conv);
    if (!g)
      return rewriter.notifyMatchFailure(conv, "not a static 2-D convolution");
    std::optional<SerializationPlan> plan = planConvSerialization(*g, maxBytes, elementBytes);
    // No factor fits: left as it is, for mote-check-legality to report.
    if (!plan)
      return rewriter.notifyMatchFailure(conv, "no serialization factor makes it fit");
    if (plan->axis == SerializationAxis::None)
      return rewriter.notifyMatchFailure(conv, "fits already");

    Location loc = conv.getLoc();
    bool byHeight = plan->axis == SerializationAxis::Height;
    ArrayRef<int64_t> pads = conv.getPads();
    SmallVector<Value> pieces;
    for (const ConvSlice &s : plan->slices) {
      Value piece;
      if (byHeight) {
        Value input = sliceAlong(rewriter, loc, conv.getInput(), 2, s.inBegin, s.inEnd);
        SmallVector<int64_t> slicePads = {s.padTop, pads[1], s.padBottom, pads[3]};
        piece = ConvOp::create(rewriter, loc, input, conv.getWeight(), conv.getBias(), conv.getStrides(),
                               slicePads, conv.getDilations(), s.group);
      } else {
        Value input = sliceAlong(rewriter, loc, conv.getInput(), 1, s.inBegin, s.inEnd);
        Value weight = sliceAlong(rewriter, loc, conv.getWeight(), 0, s.outBegin, s.outEnd);
        Value bias =
            conv.getBias() ? sliceAlong(rewriter, loc, conv.getBias(), 0, s.outBegin, s.outEnd) : Value();
        piece = ConvOp::create(rewriter, loc, input, weight, bias, conv.getStrides(), conv.getPads(),
                               conv.getDilations(), s.group);
      }
      assert(cast<RankedTensorType>(piece.getType()).getDimSize(byHeight ? 2 : 1) == s.outEnd - s.outBegin &&
             "slice computes the wrong extent");
      pieces.push_back(piece);
    }
    auto concat = ConcatOp::create(rewriter, loc, pieces, byHeight ? 2 : 1);
    assert(concat.getType() == conv.getType() && "slices do not rebuild the convolution's result");

    Builder b(rewriter.getContext());
    concat->setAttr(kSerializationAttrName,
                    b.getDictionaryAttr({
                        b.getNamedAttr("axis", b.getStringAttr(byHeight ? "height" : "channels")),
                        b.getNamedAttr("factor", b.getI64IntegerAttr(plan->factor)),
                        b.getNamedAttr("input_bytes", b.getI64IntegerAttr(plan->inputBytes)),
                        b.getNamedAttr("output_bytes", b.getI64IntegerAttr(plan->outputBytes)),
                        b.getNamedAttr("weight_bytes", b.getI64IntegerAttr(plan->weightBytes)),
                        b.getNamedAttr("limit", b.getI64IntegerAttr(maxBytes)),
                    }));
    rewriter.replaceOp(conv, concat);
    return success();
  }

  int64_t maxBytes, elementBytes;
};

struct SerializeConv2DPass : mote::impl::MoteSerializeConv2DBase<SerializeConv2DPass> {
  void runOnOperation() override {
    TargetAttr target = getModuleTarget(getOperation());
    if (!target || target.getMaxTensorBytes() <= 0)
      return;
    // Sizes are counted in the target's activation type, not the IR's (f32 until quantization): an
    // f16 target's kernels read and write f16 tensors. Weights are counted in the same width, since
    // the kernel widens stored int8 weights to the activation type (as in AQDS).
    Type activation = target.getActivationType();
    int64_t elementBytes = std::max<int64_t>(1, (activation.getIntOrFloatBitWidth() + 7) / 8);
    RewritePatternSet patterns(&getContext());
    patterns.add<SerializeConvPattern>(&getContext(), target.getMaxTensorBytes(), elementBytes);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace
