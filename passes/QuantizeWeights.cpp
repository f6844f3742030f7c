// mote-quantize-weights: the weights of linear layers, convolutions and embeddings as int8 with per-channel
// scales (w8) or int4 with per-block f16 scales (w4; w4a8 also marks the int4 layers' activations for
// quantization at run time; w8a8 the int8 layers' for quantization with a calibrated scale) (see Passes.td).
#include "ir/ConstantBytes.h"
#include "ir/Locations.h"
#include "ir/ModuleTarget.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace mote {
#define GEN_PASS_DEF_MOTEQUANTIZEWEIGHTS
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;

namespace {

/// What the report shows of each quantized weight (see Passes.td).
constexpr llvm::StringLiteral kQuantizationAttrName = "mote.quantization";

/// The weight operand of an op the scheme quantizes, the axis of its output channels, and the axis its
/// blocks run along under w4 (the reduction axis; -1: none, the weight takes w8's per-channel scales).
struct WeightUse {
  unsigned operand;
  int64_t channelAxis;
  int64_t blockAxis;
};

std::optional<WeightUse> quantizableWeight(Operation *op, bool groupedConvolutions) {
  if (auto m = dyn_cast<MatMulOp>(op))
    if (cast<RankedTensorType>(m.getRhs().getType()).getRank() == 2)
      return WeightUse{1, 1, 0}; // [K, N]
  if (auto g = dyn_cast<GemmOp>(op))
    return g.getTransB() ? WeightUse{1, 0, 1} : WeightUse{1, 1, 0}; // [N, K] or [K, N]
  if (auto c = dyn_cast<ConvOp>(op))
    if (c.getGroup() == 1 || groupedConvolutions)
      return WeightUse{1, 0, -1}; // [Cout, Cin / group, k...]
  if (auto g = dyn_cast<GatherOp>(op)) { // an embedding table: one scale per gathered slice (w4: per block of it)
    int64_t rank = cast<RankedTensorType>(g.getData().getType()).getRank();
    int64_t axis = g.getAxis() < 0 ? g.getAxis() + rank : g.getAxis();
    if (rank >= 2 && axis >= 0 && axis < rank)
      return WeightUse{0, axis, axis == rank - 1 ? -1 : rank - 1};
  }
  return std::nullopt;
}

/// Whether `op`'s result is a result of its function, directly or through reshapes (the output projection of
/// a language model: w4 keeps it in w8, as llama.cpp's 4-bit mixes keep their output layer at more bits).
bool producesModelOutput(Operation *op) {
  for (Value v = op->getResult(0);;) {
    if (!v.hasOneUse())
      return false;
    Operation *user = *v.getUsers().begin();
    if (isa<func::ReturnOp>(user))
      return true;
    if (!isa<ReshapeOp>(user))
      return false;
    v = user->getResult(0);
  }
}

/// A static-shape f32 constant with its values at hand.
ConstantOp floatConstant(Value v) {
  auto constant = v.getDefiningOp<ConstantOp>();
  auto type = cast<RankedTensorType>(v.getType());
  if (!constant || !type.hasStaticShape() || !type.getElementType().isF32())
    return {};
  return constant;
}

/// `x` rounded to the nearest f16 (ties to even), as a float.
float roundToHalf(float x) {
  APFloat f(x);
  bool lost;
  f.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
  f.convert(APFloat::IEEEsingle(), APFloat::rmNearestTiesToEven, &lost);
  return f.convertToFloat();
}

/// A weight quantized symmetrically: q = w / scale rounded to nearest (ties to even), within [-qmax, qmax],
/// scale = max|w| / qmax over its group (1 for an all-zero group), in the storage of the scales.
struct Quantized {
  std::vector<int8_t> q;
  std::vector<float> scales; // f32, or f16 values (w4)
  SmallVector<int64_t> scaleShape;
  int64_t axis = 0;
  std::optional<int64_t> blockSize;
  double sqnrDb = 0.0; // 10 log10(sum w^2 / sum (w - q scale)^2), +inf when exact
};

/// Quantizes w [outer, dim, inner] (dim = shape[axis]) with one scale per index of `axis` (no block) or per
/// block of `block` indices along it, the rest of the index kept (the ONNX DequantizeLinear forms).
Quantized quantize(const float *w, ArrayRef<int64_t> shape, int64_t axis, std::optional<int64_t> block, int qmax,
                   bool f16Scales, bool clipSearch) {
  Quantized r;
  r.axis = axis;
  r.blockSize = block;
  int64_t dim = shape[axis], inner = 1, outer = 1;
  for (int64_t d = axis + 1; d < static_cast<int64_t>(shape.size()); ++d)
    inner *= shape[d];
  for (int64_t d = 0; d < axis; ++d)
    outer *= shape[d];
  const int64_t blocks = block ? (dim + *block - 1) / *block : dim;
  const int64_t count = outer * dim * inner;
  // Calls fn(k, g) for each element k in order with its scale's index g: scale[a] per channel,
  // scale[o][a / block][i] blockwise (no divisions per element: a multi-GB model has billions of them).
  auto forEachElement = [&](auto &&fn) {
    int64_t k = 0;
    for (int64_t o = 0; o < outer; ++o)
      for (int64_t a = 0; a < dim; ++a) {
        const int64_t base = block ? (o * blocks + a / *block) * inner : a;
        for (int64_t i = 0; i < inner; ++i, ++k)
          fn(k, block ? base + i : base);
      }
  };
  if (block) {
    r.scaleShape.assign(shape.begin(), shape.end());
    r.scaleShape[axis] = blocks;
  } else {
    r.scaleShape = {dim};
  }
  r.scales.assign(static_cast<size_t>(block ? outer * blocks * inner : dim), 0.0f);
  forEachElement([&](int64_t k, int64_t g) { r.scales[g] = std::max(r.scales[g], std::fabs(w[k])); });
  auto stored = [&](float s) {
    if (f16Scales)
      s = roundToHalf(std::min(s, 65504.0f));
    return s > 0.0f ? s : 1.0f; // an all-zero group (or one too small for an f16 scale): q = 0
  };
  for (float &s : r.scales)
    s = stored(s / static_cast<float>(qmax));
  if (clipSearch) {
    // The scale of each group that minimizes its squared error among max|w| / qmax times 1, 0.95, ... 0.6
    // (clipping the largest weights to resolve the others finer: int4's 15 levels make this worth ~1-2 dB).
    std::vector<float> best(r.scales);
    std::vector<double> bestError(r.scales.size(), std::numeric_limits<double>::infinity());
    std::vector<float> candidate(r.scales.size());
    std::vector<double> error(r.scales.size());
    for (int step = 0; step <= 8; ++step) {
      const float factor = 1.0f - 0.05f * static_cast<float>(step);
      for (size_t g = 0; g < candidate.size(); ++g)
        candidate[g] = stored(r.scales[g] * factor);
      std::fill(error.begin(), error.end(), 0.0);
      forEachElement([&](int64_t k, int64_t g) {
        const float scale = candidate[g];
        const double v = std::min<double>(qmax, std::max<double>(-qmax, std::nearbyint(w[k] / scale)));
        const double e = w[k] - v * scale;
        error[g] += e * e;
      });
      for (size_t g = 0; g < error.size(); ++g)
        if (error[g] < bestError[g]) {
          bestError[g] = error[g];
          best[g] = candidate[g];
        }
    }
    r.scales = std::move(best);
  }
  r.q.resize(static_cast<size_t>(count));
  double signal = 0.0, noise = 0.0;
  forEachElement([&](int64_t k, int64_t g) {
    const float scale = r.scales[g];
    const double v = std::nearbyint(static_cast<double>(w[k]) / scale);
    r.q[k] = static_cast<int8_t>(std::min<double>(qmax, std::max<double>(-qmax, v)));
    const double error = w[k] - static_cast<double>(static_cast<float>(r.q[k]) * scale);
    signal += static_cast<double>(w[k]) * w[k];
    noise += error * error;
  });
  r.sqnrDb = noise > 0.0 ? 10.0 * std::log10(signal / noise) : std::numeric_limits<double>::infinity();
  return r;
}

/// Whether a Gemm is a linear layer the integer kernels take (alpha = 1, no transA, no C or a bias row with
/// beta = 1): they add the bias in their epilogue and take no other C.
bool isLinearGemm(GemmOp g) {
  if (!g.getAlpha().isExactlyValue(1.0) || g.getTransA())
    return false;
  if (!g.getC())
    return true;
  auto c = cast<RankedTensorType>(g.getC().getType());
  return g.getBeta().isExactlyValue(1.0) &&
         c.getNumElements() == cast<RankedTensorType>(g.getResult().getType()).getDimSize(1);
}

struct QuantizeWeights : mote::impl::MoteQuantizeWeightsBase<QuantizeWeights> {
  using MoteQuantizeWeightsBase::MoteQuantizeWeightsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    if (scheme != "w8" && scheme != "w4" && scheme != "w4a8" && scheme != "w8a8" && scheme != "w8a16") {
      module.emitError("unknown quantization scheme '") << scheme << "' (w8, w4, w4a8, w8a8, w8a16)";
      return signalPassFailure();
    }
    if (activationClip != "mse" && activationClip != "max") {
      module.emitError("unknown activation clipping '") << activationClip << "' (mse, max)";
      return signalPassFailure();
    }
    // w4a8: the w4 weights, and the int4 layers' activations quantized per row at run time (int8 x int4 dot
    // products, groups of a multiple of 4 along the reduction).
    const bool int4Scheme = scheme == "w4" || scheme == "w4a8", dynamicActivations = scheme == "w4a8";
    // w8a8 / w8a16: the int8 layers' activations quantized per tensor with calibrated scales (int16: the largest
    // value seen over 32767; 65535 levels leave nothing for clipping to gain).
    const bool int16Activations = scheme == "w8a16", staticActivations = scheme == "w8a8" || int16Activations;
    if (dynamicActivations && groupSize % 4 != 0) {
      module.emitError("--quantize=w4a8 needs --quant-group-size a multiple of 4, got ") << groupSize.getValue();
      return signalPassFailure();
    }
    if (groupSize < 1) {
      module.emitError("--quant-group-size must be positive, got ") << groupSize.getValue();
      return signalPassFailure();
    }
    TargetAttr target = getModuleTarget(module);
    // A target whose activations are integers (the integer pipeline of mote-quantize-activations: int8, or int16
    // under w8a16) takes grouped (depthwise) convolutions in integers too: their weights per output channel as well.
    const bool integerActivations = target && target.getActivationType() &&
                                    target.getActivationType().isSignlessInteger(8) && staticActivations;
    bool storesI8 = false, storesI4 = false;
    if (target && target.getWeightTypes())
      for (Attribute t : target.getWeightTypes())
        if (auto type = dyn_cast<TypeAttr>(t)) {
          storesI8 |= type.getValue().isSignlessInteger(8);
          storesI4 |= type.getValue().isSignlessInteger(4);
        }
    // w4 stores the convolutions' weights as w8 (per channel), the rest in int4.
    if (!storesI8 || (int4Scheme && !storesI4)) {
      module.emitError("--quantize=") << scheme << ": target '" << (target ? target.getName().str() : "")
                                      << "' stores no " << (storesI8 ? "i4" : "i8") << " weights (its weight_types)";
      return signalPassFailure();
    }
    std::set<std::string> skipped(skip.begin(), skip.end()), used;
    // One dequantize per (weight, channel axis, block axis): a weight two layers share is quantized once.
    std::map<std::tuple<Operation *, int64_t, int64_t>, Value> done;
    bool failed = false;
    module.walk([&](Operation *op) {
      // Why a layer keeps float weights, for the report.
      auto keepFloat = [&](StringRef reason) {
        if (isa<MatMulOp, GemmOp, ConvOp, ConvTransposeOp>(op))
          op->setAttr(kFloatReasonAttrName, StringAttr::get(op->getContext(), reason));
      };
      if (op->hasAttr(kFloatReasonAttrName)) // marked float already (by the importer, or an earlier run)
        return;
      std::optional<WeightUse> use = quantizableWeight(op, integerActivations);
      if (!use) {
        if (auto c = dyn_cast<ConvOp>(op))
          keepFloat("grouped convolution (group " + std::to_string(c.getGroup()) + ")");
        else if (isa<ConvTransposeOp>(op))
          keepFloat("transposed convolution");
        else if (isa<MatMulOp>(op))
          keepFloat("batched right operand (no weight)");
        return;
      }
      for (const std::string &name : onnxNodeNames(op->getLoc()))
        if (skipped.count(name)) {
          used.insert(name);
          keepFloat("--quantize-skip");
          return;
        }
      auto gemm = dyn_cast<GemmOp>(op);
      auto conv = dyn_cast<ConvOp>(op);
      const bool integerProduct = isa<MatMulOp>(op) || (conv && conv.getGroup() == 1) || (gemm && isLinearGemm(gemm));
      Value weight = op->getOperand(use->operand);
      ConstantOp constant = floatConstant(weight);
      if (!constant) { // a computed weight (a transpose the emitter applies) or an activation: stays float
        auto quantized = weight.getDefiningOp<DequantizeOp>(); // (a weight quantized by an earlier run is not float)
        if (!quantized)
          keepFloat(weight.getDefiningOp<ConstantOp>() ? "weight not f32" : "right operand computed at run time");
        // w4a8 over int4 weights the model brings (ONNX Runtime's MatMulNBits, blocks along the reduction of
        // a multiple of 4): their activations are quantized per row at run time as w4a8's own layers' are.
        std::optional<int64_t> block = quantized ? quantized.getBlockSize() : std::nullopt;
        if (dynamicActivations && block && *block % 4 == 0 && quantized.getAxis() == use->blockAxis &&
            !producesModelOutput(op) && // the output projection keeps float activations, as w4a8's own
            cast<RankedTensorType>(quantized.getInput().getType()).getElementType().isSignlessInteger(4) &&
            integerProduct && !isa<ConvOp>(op))
          op->setAttr(kLhsQuantizationAttrName, StringAttr::get(op->getContext(), kLhsQuantizationInt8PerRow));
        return;
      }
      // A splat (one value repeated, e.g. from ConstantOfShape) is no trained weight: materializing it to quantize
      // could take gigabytes for nothing.
      if (auto dense = dyn_cast<DenseElementsAttr>(constant.getValue()); dense && dense.isSplat()) {
        keepFloat("one value repeated (a splat)");
        return;
      }
      const bool int4 = int4Scheme && use->blockAxis >= 0 && !(isa<MatMulOp, GemmOp>(op) && producesModelOutput(op));
      // w8a8: the reduction the int32 sums run over (the weight's values per output channel).
      auto weightType = cast<RankedTensorType>(weight.getType());
      const int64_t reduction = weightType.getNumElements() / std::max<int64_t>(weightType.getDimSize(use->channelAxis), 1);
      const bool staticInt8 =
          staticActivations && integerProduct && (int16Activations || reduction <= kMaxInt8Reduction);
      if (staticInt8 && !op->hasAttr(kCalibrationAttrName)) {
        op->emitError("--quantize=") << scheme << ": no calibrated range for this layer's input: give --calibration=DIR";
        failed = true;
        return;
      }
      auto markActivations = [&] {
        if (dynamicActivations && int4 && integerProduct && !isa<ConvOp>(op))
          op->setAttr(kLhsQuantizationAttrName, StringAttr::get(op->getContext(), kLhsQuantizationInt8PerRow));
        if (staticInt8) {
          auto calibration = op->getAttrOfType<DictionaryAttr>(kCalibrationAttrName);
          auto clip = calibration ? calibration.getAs<FloatAttr>(activationClip == "max" || int16Activations ? "abs_max"
                                                                                                               : "mse_clip")
                                  : FloatAttr();
          const float t = clip ? static_cast<float>(clip.getValueAsDouble()) : 0.0f;
          const float scale = t > 0.0f && std::isfinite(t) ? t / (int16Activations ? 32767.0f : 127.0f) : 1.0f;
          op->setAttr(kLhsQuantizationAttrName,
                      StringAttr::get(op->getContext(),
                                      int16Activations ? kLhsQuantizationInt16PerTensor : kLhsQuantizationInt8PerTensor));
          op->setAttr(kLhsScaleAttrName, FloatAttr::get(Float32Type::get(op->getContext()), scale));
        }
      };
      auto key = std::make_tuple(constant.getOperation(), use->channelAxis, int4 ? use->blockAxis : -1);
      if (auto it = done.find(key); it != done.end()) {
        op->setOperand(use->operand, it->second);
        markActivations();
        return;
      }
      auto type = cast<RankedTensorType>(weight.getType());
      std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(constant.getValue()), sizeof(float));
      if (!bytes) {
        op->emitError("--quantize=") << scheme << ": the weight's values are not at hand";
        failed = true;
        return;
      }
      const float *values = reinterpret_cast<const float *>(bytes->data());
      Quantized r = int4 ? quantize(values, type.getShape(), use->blockAxis, static_cast<int64_t>(groupSize), 7, true, true)
                         : quantize(values, type.getShape(), use->channelAxis, std::nullopt, 127, false, false);
      OpBuilder b(constant);
      b.setInsertionPointAfter(constant);
      Value qValue;
      if (int4) { // i4 elements (a byte each in MLIR's storage; two per byte in the weights file)
        auto qType = RankedTensorType::get(type.getShape(), b.getIntegerType(4));
        qValue = ConstantOp::create(b, constant.getLoc(), int4Elements(qType, r.q));
      } else {
        auto qType = RankedTensorType::get(type.getShape(), b.getIntegerType(8));
        qValue = ConstantOp::create(
            b, constant.getLoc(),
            DenseResourceElementsAttr::get(
                qType, "quantized_weight",
                HeapAsmResourceBlob::allocateAndCopyWithAlign(
                    ArrayRef<char>(reinterpret_cast<const char *>(r.q.data()), r.q.size()), 64)));
      }
      Value scaleValue;
      if (int4) {
        auto scaleType = RankedTensorType::get(r.scaleShape, b.getF16Type());
        SmallVector<APFloat> halves;
        for (float s : r.scales) {
          APFloat f(s);
          bool lost;
          f.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
          halves.push_back(f);
        }
        scaleValue = ConstantOp::create(b, constant.getLoc(), DenseElementsAttr::get(scaleType, halves));
      } else {
        auto scaleType = RankedTensorType::get(r.scaleShape, b.getF32Type());
        scaleValue = ConstantOp::create(b, constant.getLoc(), DenseElementsAttr::get(scaleType, ArrayRef<float>(r.scales)));
      }
      // Named after the layer that reads it (the constant's own name is an initializer's), with what the
      // report shows per quantized weight.
      auto dequantized = DequantizeOp::create(b, op->getLoc(), type, qValue, scaleValue, b.getI64IntegerAttr(r.axis),
                                              r.blockSize ? b.getI64IntegerAttr(*r.blockSize) : IntegerAttr());
      const int64_t quantizedBytes = int4 ? static_cast<int64_t>((r.q.size() + 1) / 2 + 2 * r.scales.size())
                                          : static_cast<int64_t>(r.q.size() + 4 * r.scales.size());
      dequantized->setAttr(kQuantizationAttrName,
                           b.getDictionaryAttr({
                               b.getNamedAttr("scheme", b.getStringAttr(int4 ? (dynamicActivations ? "w4a8" : "w4")
                                                                             : (staticInt8 ? scheme.getValue() : "w8"))),
                               b.getNamedAttr("float_bytes", b.getI64IntegerAttr(static_cast<int64_t>(bytes->size()))),
                               b.getNamedAttr("quantized_bytes", b.getI64IntegerAttr(quantizedBytes)),
                               b.getNamedAttr("weight_sqnr_db", b.getF64FloatAttr(r.sqnrDb)),
                           }));
      done[key] = dequantized;
      op->setOperand(use->operand, dequantized);
      markActivations();
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
      replaced.insert(std::get<0>(entry.first));
    for (Operation *constant : replaced)
      if (constant->use_empty())
        constant->erase();
    if (failed)
      signalPassFailure();
  }
};

} // namespace
