// mote-quantize-weights: the weights of linear layers and convolutions as int8 with per-channel scales
// (see Passes.td).
#include "ir/Locations.h"
#include "ir/ModuleTarget.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace mote {
#define GEN_PASS_DEF_MOTEQUANTIZEWEIGHTS
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// What the report shows of each quantized weight (see Passes.td).
constexpr llvm::StringLiteral kQuantizationAttrName = "mote.quantization";

/// The weight operand of an op the scheme quantizes, and the axis of its output channels.
struct WeightUse {
  unsigned operand;
  int64_t axis;
};

std::optional<WeightUse> quantizableWeight(Operation *op) {
  if (auto m = dyn_cast<MatMulOp>(op))
    if (cast<RankedTensorType>(m.getRhs().getType()).getRank() == 2)
      return WeightUse{1, 1}; // [K, N]
  if (auto g = dyn_cast<GemmOp>(op))
    return WeightUse{1, g.getTransB() ? 0 : 1}; // [N, K] or [K, N]
  if (auto c = dyn_cast<ConvOp>(op))
    if (c.getGroup() == 1)
      return WeightUse{1, 0}; // [Cout, Cin, k...]
  if (auto g = dyn_cast<GatherOp>(op)) { // an embedding table: one scale per gathered slice
    int64_t rank = cast<RankedTensorType>(g.getData().getType()).getRank();
    int64_t axis = g.getAxis() < 0 ? g.getAxis() + rank : g.getAxis();
    if (rank >= 2 && axis >= 0 && axis < rank)
      return WeightUse{0, axis};
  }
  return std::nullopt;
}

/// A static-shape f32 constant with its values at hand.
ConstantOp floatConstant(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(v.getType());
  if (!constant || !type.hasStaticShape() || !type.getElementType().isF32())
    return {};
  return constant;
}

/// The weights' signal-to-quantization-noise ratio in dB: 10 log10(sum w^2 / sum (w - q scale)^2) over every
/// element (+inf, reported as such, when the int8 values are exact).
double weightSqnrDb(const float *w, const std::vector<int8_t> &q, const std::vector<float> &scales,
                    ArrayRef<int64_t> shape, int64_t axis) {
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  const int64_t channels = shape[axis];
  double signal = 0.0, noise = 0.0;
  for (size_t k = 0; k < q.size(); ++k) {
    const double deq = static_cast<float>(q[k]) * scales[(static_cast<int64_t>(k) / inner) % channels];
    signal += static_cast<double>(w[k]) * w[k];
    noise += (w[k] - deq) * (w[k] - deq);
  }
  return noise > 0.0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
}

/// Symmetric int8 per channel of `axis`: scale = max|w| / 127 (1 for an all-zero channel), q = w / scale
/// rounded to nearest even, in [-127, 127].
void quantizeW8(const float *w, ArrayRef<int64_t> shape, int64_t axis, std::vector<int8_t> &q,
                std::vector<float> &scales) {
  int64_t channels = shape[axis], inner = 1, outer = 1;
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  auto at = [&](int64_t o, int64_t c, int64_t i) { return (o * channels + c) * inner + i; };
  scales.assign(static_cast<size_t>(channels), 0.0f);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < inner; ++i)
        scales[c] = std::max(scales[c], std::fabs(w[at(o, c, i)]));
  for (float &s : scales)
    s = s > 0.0f ? s / 127.0f : 1.0f;
  q.resize(static_cast<size_t>(outer * channels * inner));
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t c = 0; c < channels; ++c)
      for (int64_t i = 0; i < inner; ++i) {
        const int64_t k = at(o, c, i);
        const double r = std::nearbyint(static_cast<double>(w[k]) / scales[c]);
        q[k] = static_cast<int8_t>(std::min(127.0, std::max(-127.0, r)));
      }
}

struct QuantizeWeights : mote::impl::MoteQuantizeWeightsBase<QuantizeWeights> {
  using MoteQuantizeWeightsBase::MoteQuantizeWeightsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (scheme != "w8") {
      module.emitError("unknown quantization scheme '") << scheme << "' (w8)";
      return signalPassFailure();
    }
    TargetAttr target = getModuleTarget(module);
    bool storesI8 = false;
    if (target && target.getWeightTypes())
      for (Attribute t : target.getWeightTypes())
        if (auto type = dyn_cast<TypeAttr>(t); type && type.getValue().isSignlessInteger(8))
          storesI8 = true;
    if (!storesI8) {
      module.emitError("--quantize=") << scheme << ": target '" << (target ? target.getName().str() : "")
                                      << "' stores no i8 weights (its weight_types)";
      return signalPassFailure();
    }
    std::set<std::string> skipped(skip.begin(), skip.end()), used;
    // One dequantize per (weight, axis): a weight two layers share is quantized once.
    std::map<std::pair<Operation *, int64_t>, Value> done;
    bool failed = false;
    module.walk([&](Operation *op) {
      std::optional<WeightUse> use = quantizableWeight(op);
      if (!use)
        return;
      for (const std::string &name : onnxNodeNames(op->getLoc()))
        if (skipped.count(name)) {
          used.insert(name);
          return;
        }
      Value weight = op->getOperand(use->operand);
      ConstantOp constant = floatConstant(weight);
      if (!constant)
        return; // a computed weight (a transpose the emitter applies) or an activation: stays float
      auto key = std::make_pair(constant.getOperation(), use->axis);
      if (auto it = done.find(key); it != done.end()) {
        op->setOperand(use->operand, it->second);
        return;
      }
      auto type = cast<RankedTensorType>(weight.getType());
      std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(constant.getValue()), sizeof(float));
      if (!bytes) {
        op->emitError("--quantize=w8: the weight's values are not at hand");
        failed = true;
        return;
      }
      std::vector<int8_t> q;
      std::vector<float> scales;
      quantizeW8(reinterpret_cast<const float *>(bytes->data()), type.getShape(), use->axis, q, scales);
      OpBuilder b(constant);
      b.setInsertionPointAfter(constant);
      auto qType = RankedTensorType::get(type.getShape(), b.getIntegerType(8));
      auto qValue = ConstantOp::create(
          b, constant.getLoc(),
          DenseResourceElementsAttr::get(qType, "quantized_weight",
                                         HeapAsmResourceBlob::allocateAndCopyWithAlign(
                                             ArrayRef<char>(reinterpret_cast<const char *>(q.data()), q.size()), 64)));
      auto scaleType = RankedTensorType::get({static_cast<int64_t>(scales.size())}, b.getF32Type());
      auto scaleValue =
          ConstantOp::create(b, constant.getLoc(), DenseElementsAttr::get(scaleType, ArrayRef<float>(scales)));
      // Named after the layer that reads it (the constant's own name is an initializer's), with what the
      // report shows per quantized weight.
      auto dequantized = DequantizeOp::create(b, op->getLoc(), type, qValue, scaleValue,
                                              b.getI64IntegerAttr(use->axis));
      const float *values = reinterpret_cast<const float *>(bytes->data());
      dequantized->setAttr(kQuantizationAttrName,
                           b.getDictionaryAttr({
                               b.getNamedAttr("scheme", b.getStringAttr(scheme)),
                               b.getNamedAttr("float_bytes", b.getI64IntegerAttr(static_cast<int64_t>(bytes->size()))),
                               b.getNamedAttr("quantized_bytes",
                                              b.getI64IntegerAttr(static_cast<int64_t>(q.size() + 4 * scales.size()))),
                               b.getNamedAttr("weight_sqnr_db",
                                              b.getF64FloatAttr(weightSqnrDb(values, q, scales, type.getShape(), use->axis))),
                           }));
      done[key] = dequantized;
      op->setOperand(use->operand, dequantized);
    });
    for (const std::string &name : skipped)
      if (!used.count(name)) {
        module.emitError("--quantize-skip: no layer whose weights --quantize=") << scheme << " quantizes comes from ONNX node '"
                                                                                << name << "'";
        failed = true;
      }
    // The float constants no layer reads any more.
    std::set<Operation *> replaced;
    for (auto &entry : done)
      replaced.insert(entry.first.first);
    for (Operation *constant : replaced)
      if (constant->use_empty())
        constant->erase();
    if (failed)
      signalPassFailure();
  }
};

} // namespace
