// mote-quantize-activations: the integer pipeline of a target whose activations are int8 (see Passes.td).
#include "ir/ActivationQuantization.h"
#include "ir/ConstantBytes.h"
#include "ir/ModuleTarget.h"
#include "passes/IntegerConversion.h"
#include "passes/PatternUtils.h"
#include "passes/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>

namespace mote {
#define GEN_PASS_DEF_MOTEQUANTIZEACTIVATIONS
#include "passes/Passes.h.inc"
} // namespace mote

using namespace mlir;
using namespace mote;
using namespace mote::integer;

namespace {

/// The calibrated scale of float value `v` (clip / qmax), or nullopt without a calibrated range. A value that was
/// always 0 gets scale 1.
std::optional<double> calibratedScale(Value v, bool maxClip, int32_t qmax) {
  DictionaryAttr range;
  if (auto arg = dyn_cast<BlockArgument>(v)) {
    if (auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp()))
      range = func.getArgAttrOfType<DictionaryAttr>(arg.getArgNumber(), kValueRangeAttrName);
  } else if (cast<OpResult>(v).getResultNumber() == 0) {
    range = v.getDefiningOp()->getAttrOfType<DictionaryAttr>(kValueRangeAttrName);
  }
  auto clip = range ? range.getAs<FloatAttr>(maxClip ? "abs_max" : "mse_clip") : FloatAttr();
  if (!clip)
    return std::nullopt;
  const double t = clip.getValueAsDouble();
  return t > 0.0 && std::isfinite(t) ? t / qmax : 1.0;
}

} // namespace

std::optional<std::vector<float>> mote::integer::floatValues(Value v) {
  auto constant = v ? v.getDefiningOp<ConstantOp>() : ConstantOp();
  if (!constant || !cast<RankedTensorType>(v.getType()).getElementType().isF32())
    return std::nullopt;
  std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(constant.getValue()), sizeof(float));
  if (!bytes)
    return std::nullopt;
  std::vector<float> values(bytes->size() / sizeof(float));
  std::memcpy(values.data(), bytes->data(), values.size() * sizeof(float));
  return values;
}

namespace {

/// An int8 weight with one f32 scale per output channel: `mote.dequantize` (no blocks) of an i8 constant.
struct ChannelWeight {
  ConstantOp values;
  std::vector<float> scales;
  int64_t axis;
};
std::optional<ChannelWeight> channelWeight(Value v) {
  auto dequantize = v.getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getBlockSize())
    return std::nullopt;
  auto values = dequantize.getInput().getDefiningOp<ConstantOp>();
  std::optional<std::vector<float>> scales = floatValues(dequantize.getScale());
  if (!values || !scales || !cast<RankedTensorType>(values.getType()).getElementType().isSignlessInteger(8))
    return std::nullopt;
  return ChannelWeight{values, std::move(*scales), static_cast<int64_t>(dequantize.getAxis())};
}

} // namespace

std::pair<int32_t, int32_t> mote::integer::encodeMultiplier(double m) {
  if (!(m > 0.0))
    return {0, 0};
  int exponent;
  const double fraction = std::frexp(m, &exponent); // m = fraction * 2^exponent, fraction in [0.5, 1)
  int64_t mult = static_cast<int64_t>(std::nearbyint(fraction * 65536.0));
  if (mult == 65536) {
    mult = 32768;
    ++exponent;
  }
  int32_t shift = -exponent;
  if (shift > 31) { // below 2^-31: as fine as the shift goes
    mult = static_cast<int64_t>(std::nearbyint(m * std::ldexp(1.0, 16 + 31)));
    shift = 31;
  }
  return {static_cast<int32_t>(std::min<int64_t>(mult, 65535)), std::max(shift, 0)};
}

namespace {

/// The float function an elementwise op computes, for the ops a table replaces.
std::function<double(double)> unaryFunction(Operation *op) {
  if (isa<ReluOp>(op))
    return [](double x) { return x > 0.0 ? x : 0.0; };
  if (isa<NegOp>(op))
    return [](double x) { return -x; };
  if (isa<SigmoidOp>(op))
    return [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  if (isa<TanhOp>(op))
    return [](double x) { return std::tanh(x); };
  if (isa<SiluOp>(op))
    return [](double x) { return x / (1.0 + std::exp(-x)); };
  if (auto l = dyn_cast<LeakyReluOp>(op)) {
    const double alpha = l.getAlpha().convertToDouble();
    return [alpha](double x) { return x >= 0.0 ? x : alpha * x; };
  }
  if (auto h = dyn_cast<HardSigmoidOp>(op)) {
    const double alpha = h.getAlpha().convertToDouble(), beta = h.getBeta().convertToDouble();
    return [alpha, beta](double x) { return std::max(0.0, std::min(1.0, alpha * x + beta)); };
  }
  if (auto c = dyn_cast<ClipOp>(op)) {
    const double lo = c.getMin().convertToDouble(), hi = c.getMax().convertToDouble();
    return [lo, hi](double x) { return std::max(lo, std::min(hi, x)); };
  }
  if (auto g = dyn_cast<GeluOp>(op)) {
    if (g.getApproximate() == "tanh")
      return [](double x) { return 0.5 * x * (1.0 + std::tanh(std::sqrt(2.0 / M_PI) * (x + 0.044715 * x * x * x))); };
    if (g.getApproximate() == "sigmoid")
      return [](double x) { return x / (1.0 + std::exp(-1.702 * x)); };
    return [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); };
  }
  return nullptr;
}

} // namespace

int32_t mote::integer::quantizeValue(double x, double scale, int32_t qmax) {
  if (std::isnan(x))
    return 0;
  return static_cast<int32_t>(std::max<double>(-qmax, std::min<double>(qmax, std::nearbyint(x / scale))));
}

RankedTensorType mote::integer::activationType(Type type, unsigned bits) {
  auto t = cast<RankedTensorType>(type);
  return RankedTensorType::get(t.getShape(), IntegerType::get(t.getContext(), bits));
}

DenseElementsAttr mote::integer::activationElements(RankedTensorType type, ArrayRef<int32_t> values) {
  if (type.getElementType().isSignlessInteger(16)) {
    std::vector<int16_t> narrow(values.begin(), values.end());
    return DenseElementsAttr::get(type, ArrayRef<int16_t>(narrow));
  }
  std::vector<int8_t> narrow(values.begin(), values.end());
  return DenseElementsAttr::get(type, ArrayRef<int8_t>(narrow));
}

namespace {

struct QuantizeActivations : mote::impl::MoteQuantizeActivationsBase<QuantizeActivations>, integer::Values {
  using MoteQuantizeActivationsBase::MoteQuantizeActivationsBase;

  /// 8 (w8a8) or 16 (w8a16): the activations' width, set by the scheme.
  unsigned activationBits = 8;
  unsigned bits() const override { return activationBits; }
  int32_t qmax() const { return activationQMax(activationBits); }
  /// `type` with the activations' integer elements.
  RankedTensorType activation(Type type) const { return activationType(type, activationBits); }

  /// 16-bit activations are scaled by their largest value: their resolution leaves nothing to gain by clipping.
  std::optional<double> scaleOf(Value v) override {
    return calibratedScale(v, activationClip == "max" || activationBits == 16, qmax());
  }

  /// The int8 version of each float value that has one, with its scale.
  llvm::DenseMap<Value, std::pair<Value, double>> integerOf;

  /// The int8 version of `v`: the input of the dequantize that made it, or a new quantize after its definition;
  /// nullopt when `v` has no calibrated range.
  std::optional<std::pair<Value, double>> integer(Value v) override {
    if (auto it = integerOf.find(v); it != integerOf.end())
      return it->second;
    if (auto d = v.getDefiningOp<DequantizeActivationOp>())
      return std::make_pair(d.getInput(), d.getScale().convertToDouble());
    std::optional<double> scale = scaleOf(v);
    if (!scale || !isa<FloatType>(cast<RankedTensorType>(v.getType()).getElementType()))
      return std::nullopt;
    OpBuilder b(v.getContext());
    if (auto arg = dyn_cast<BlockArgument>(v))
      b.setInsertionPointToStart(arg.getOwner());
    else
      b.setInsertionPointAfter(v.getDefiningOp());
    Value q = QuantizeActivationOp::create(b, v.getLoc(), activation(v.getType()), v,
                                           b.getF32FloatAttr(static_cast<float>(*scale)));
    integerOf[v] = {q, *scale};
    return integerOf[v];
  }

  /// Replaces float `result` by the dequantization of int8 `value` with `scale`. When calibration numbered
  /// `result`'s layer (a report measures it), `value`'s op is marked as standing for it (kMeasuredLayerAttrName),
  /// unless it only moves values (a reshape or transpose repeats its operand's error).
  void replaceWithInteger(Value result, Value value, double scale) override {
    OpBuilder b(value.getContext());
    Operation *source = result.getDefiningOp(), *integer = value.getDefiningOp();
    auto range = source && result == source->getResult(0) ? source->getAttrOfType<DictionaryAttr>(kValueRangeAttrName)
                                                          : DictionaryAttr();
    if (IntegerAttr layer = range ? range.getAs<IntegerAttr>("layer") : IntegerAttr();
        layer && integer && integer->getNumResults() == 1 && !isa<ConstantOp, ReshapeOp, TransposeOp>(integer) &&
        !integer->hasAttr(kMeasuredLayerAttrName))
      integer->setAttr(kMeasuredLayerAttrName,
                       b.getDictionaryAttr({b.getNamedAttr("layer", layer),
                                            b.getNamedAttr("scale", b.getF64FloatAttr(scale))}));
    b.setInsertionPointAfterValue(value);
    Value f = DequantizeActivationOp::create(b, result.getLoc(), result.getType(), value,
                                             b.getF32FloatAttr(static_cast<float>(scale)));
    result.replaceAllUsesWith(f);
    integerOf[f] = {value, scale};
  }

  /// The result of the ReLU that alone reads `result` (and has a calibrated range): folded into the layer as its
  /// clamp at 0, it then holds the layer's output. Null otherwise.
  Value foldedRelu(Value result) {
    if (!result.hasOneUse())
      return {};
    auto relu = dyn_cast<ReluOp>(*result.getUsers().begin());
    return relu && scaleOf(relu.getResult()) ? relu.getResult() : Value();
  }

  /// Biases (int32, sums scale s_in * s_w[c]) and requantization (mult, shift per channel) of a linear layer; widens
  /// `outScale` when a channel's multiplier would reach 1.
  /// `reduction`: the products each sum adds (their int8 x int8 total must fit in int32 beside the bias).
  void requantization(OpBuilder &b, Location loc, double inScale, const std::vector<float> &weightScales,
                      const std::optional<std::vector<float>> &bias, int64_t reduction, double &outScale,
                      Value &biasValue, Value &requantValue) {
    const int64_t channels = static_cast<int64_t>(weightScales.size());
    double largest = 0.0;
    for (float s : weightScales)
      largest = std::max(largest, inScale * s);
    if (largest >= outScale * (1.0 - 1.0 / 65536.0))
      outScale = largest * (1.0 + 1.0 / 32768.0);
    std::vector<int32_t> biases(channels, 0), requant(2 * channels, 0);
    for (int64_t c = 0; c < channels; ++c) {
      const double sumScale = inScale * weightScales[c];
      if (bias && sumScale > 0.0) { // clamped so that no int32 sum of int8 products can wrap around (int16: int64)
        const double room = static_cast<double>(std::numeric_limits<int32_t>::max()) -
                            (activationBits == 8 ? static_cast<double>(reduction) * kQMax * kQMax : 0.0);
        const double q = std::nearbyint((*bias)[c] / sumScale);
        biases[c] = static_cast<int32_t>(std::max(-room, std::min(room, q)));
      }
      auto [mult, shift] = encodeMultiplier(sumScale / outScale);
      requant[c] = mult;
      requant[channels + c] = shift;
    }
    auto i32 = b.getI32Type();
    biasValue = ConstantOp::create(b, loc, DenseElementsAttr::get(RankedTensorType::get({channels}, i32),
                                                                  ArrayRef<int32_t>(biases)));
    requantValue = ConstantOp::create(b, loc, DenseElementsAttr::get(RankedTensorType::get({2, channels}, i32),
                                                                     ArrayRef<int32_t>(requant)));
  }

  /// Whether sums of `reduction` int8 x int8 products always fit in int32 (with room for a bias).
  static bool sumsFit(int64_t reduction) { return reduction > 0 && reduction < int64_t(1) << 16; }

  /// An int8 weight constant from a dequantized one, [K, N] from [N, K] when `transpose`.
  Value int8Weight(OpBuilder &b, Location loc, ChannelWeight &w, bool transpose) {
    if (!transpose)
      return w.values;
    auto type = cast<RankedTensorType>(w.values.getType());
    std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(w.values.getValue()), 1);
    if (!bytes)
      return {};
    const int64_t rows = type.getDimSize(0), cols = type.getDimSize(1);
    std::vector<int8_t> t(static_cast<size_t>(rows * cols));
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < cols; ++c)
        t[c * rows + r] = static_cast<int8_t>((*bytes)[r * cols + c]);
    auto tType = RankedTensorType::get({cols, rows}, b.getIntegerType(8));
    return ConstantOp::create(b, loc, DenseElementsAttr::get(tType, ArrayRef<int8_t>(t)));
  }

  bool convertConv(ConvOp conv) {
    std::optional<ChannelWeight> w = channelWeight(conv.getWeight());
    auto inType = cast<RankedTensorType>(conv.getInput().getType());
    if (!w || w->axis != 0 || !conv.getChannelsLast() || inType.getRank() != 4)
      return false;
    std::optional<std::vector<float>> bias = conv.getBias() ? floatValues(conv.getBias()) : std::nullopt;
    if (conv.getBias() && !bias)
      return false;
    Value relu = foldedRelu(conv.getResult());
    std::optional<double> outScale = scaleOf(relu ? relu : conv.getResult());
    if (!outScale)
      return false;
    auto in = integer(conv.getInput());
    if (!in)
      return false;
    auto wType = cast<RankedTensorType>(conv.getWeight().getType());
    const int64_t reduction = wType.getNumElements() / std::max<int64_t>(wType.getDimSize(0), 1);
    if (!sumsFit(reduction))
      return false;
    OpBuilder b(conv);
    Value biasValue, requantValue;
    double scale = *outScale;
    requantization(b, conv.getLoc(), in->second, w->scales, bias, reduction, scale, biasValue, requantValue);
    auto q = IntegerConvOp::create(b, conv.getLoc(), activation(conv.getType()), in->first, w->values, biasValue,
                                   requantValue, conv.getStridesAttr(), conv.getPadsAttr(), conv.getDilationsAttr(),
                                   conv.getGroupAttr(), b.getSI32IntegerAttr(relu ? 0 : -qmax()),
                                   b.getSI32IntegerAttr(qmax()));
    replaceWithInteger(relu ? relu : conv.getResult(), q, scale);
    return true;
  }

  /// A matmul over a [K, N] weight or a linear Gemm (alpha 1, no transA, bias [N] with beta 1 or none).
  bool convertLinear(Operation *op) {
    Value lhs, weight, biasOperand;
    bool transpose = false;
    if (auto m = dyn_cast<MatMulOp>(op)) {
      lhs = m.getLhs(), weight = m.getRhs();
    } else if (auto g = dyn_cast<GemmOp>(op)) {
      if (!g.getAlpha().isExactlyValue(1.0) || g.getTransA() || (g.getC() && !g.getBeta().isExactlyValue(1.0)))
        return false;
      lhs = g.getA(), weight = g.getB(), biasOperand = g.getC(), transpose = g.getTransB();
    } else {
      return false;
    }
    std::optional<ChannelWeight> w = channelWeight(weight);
    if (!w || cast<RankedTensorType>(weight.getType()).getRank() != 2 || w->axis != (transpose ? 0 : 1))
      return false;
    // A bias of one value per column: [N], or [1, ..., 1, N] (not a [M, 1] column, which broadcasts per row).
    auto isRow = [&](Value v) {
      auto t = cast<RankedTensorType>(v.getType());
      if (t.getRank() < 1 || t.getDimSize(t.getRank() - 1) != static_cast<int64_t>(w->scales.size()))
        return false;
      for (int64_t d = 0; d + 1 < t.getRank(); ++d)
        if (t.getDimSize(d) != 1)
          return false;
      return true;
    };
    std::optional<std::vector<float>> bias = biasOperand ? floatValues(biasOperand) : std::nullopt;
    if (biasOperand && (!bias || !isRow(biasOperand)))
      return false;
    // A matmul's bias is the constant row an add puts on it (MatMul + Add, as exporters write a linear layer).
    Value result = op->getResult(0);
    if (!biasOperand && result.hasOneUse())
      if (auto add = dyn_cast<AddOp>(*result.getUsers().begin()); add && add.getType() == result.getType()) {
        Value other = otherOperand(add, result);
        std::optional<std::vector<float>> row = floatValues(other);
        if (row && isRow(other) && scaleOf(add.getResult())) {
          bias = std::move(row);
          result = add.getResult();
        }
      }
    Value relu = foldedRelu(result);
    std::optional<double> outScale = scaleOf(relu ? relu : result);
    if (!outScale)
      return false;
    auto in = integer(lhs);
    if (!in)
      return false;
    const int64_t reduction = cast<RankedTensorType>(weight.getType()).getDimSize(transpose ? 1 : 0);
    if (!sumsFit(reduction))
      return false;
    OpBuilder b(op);
    Value int8 = int8Weight(b, op->getLoc(), *w, transpose);
    if (!int8)
      return false;
    Value biasValue, requantValue;
    double scale = *outScale;
    requantization(b, op->getLoc(), in->second, w->scales, bias, reduction, scale, biasValue, requantValue);
    auto q = IntegerMatMulOp::create(b, op->getLoc(), activation(op->getResult(0).getType()), in->first, int8,
                                     biasValue, requantValue,
                                     b.getSI32IntegerAttr(relu ? 0 : -qmax()), b.getSI32IntegerAttr(qmax()));
    replaceWithInteger(relu ? relu : result, q, scale);
    return true;
  }

  /// Operand `v` of `op` as int8 of the result's `shape`: a float constant quantized at compile time (scale
  /// max |x| / 127) and broadcast; a computed value's int8 version, broadcast by a mote.expand when its shape is
  /// not the result's. Nullopt for a float value computed from constants only (nothing quantizes it at run time).
  std::optional<std::pair<Value, double>> operandAt(Operation *op, Value v, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(v.getType());
    auto resultType = RankedTensorType::get(shape, IntegerType::get(v.getContext(), activationBits));
    OpBuilder b(op);
    if (std::optional<std::vector<float>> values = weightValues(v)) {
      if (!type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
        return std::nullopt;
      double largest = 0.0;
      for (float x : *values)
        largest = std::max(largest, std::abs(static_cast<double>(x)));
      if (!std::isfinite(largest))
        return std::nullopt;
      const double scale = largest > 0.0 ? largest / qmax() : 1.0;
      // Each result element reads the constant at its broadcast index.
      SmallVector<int64_t> strides(shape.size(), 0);
      const int64_t lead = static_cast<int64_t>(shape.size()) - type.getRank();
      if (lead < 0)
        return std::nullopt;
      for (int64_t d = type.getRank() - 1, stride = 1; d >= 0; --d) {
        if (type.getDimSize(d) != 1 && type.getDimSize(d) != shape[lead + d])
          return std::nullopt;
        strides[lead + d] = type.getDimSize(d) == 1 ? 0 : stride;
        stride *= type.getDimSize(d);
      }
      std::vector<int32_t> q(static_cast<size_t>(resultType.getNumElements()));
      for (int64_t k = 0; k < static_cast<int64_t>(q.size()); ++k) {
        int64_t rest = k, source = 0;
        for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
          source += rest % shape[d] * strides[d];
          rest /= shape[d];
        }
        q[k] = quantizeValue((*values)[source], scale, qmax());
      }
      return std::make_pair(Value(ConstantOp::create(b, op->getLoc(),
                                                     activationElements(resultType, q))),
                            scale);
    }
    if (isConstantComputed(v) && !v.getDefiningOp<DequantizeActivationOp>())
      return std::nullopt;
    std::optional<std::pair<Value, double>> in = integer(v);
    if (!in || type.getShape() == shape)
      return in;
    Value expanded = ExpandOp::create(b, op->getLoc(), resultType, in->first);
    return std::make_pair(expanded, in->second);
  }

  /// An elementwise product (either side may broadcast or be a constant): mote.integer_mul.
  bool convertMul(MulOp mul) {
    auto type = cast<RankedTensorType>(mul.getType());
    std::optional<double> outScale = scaleOf(mul.getResult());
    if (!outScale || !type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
      return false;
    if (isConstantComputed(mul.getLhs()) && isConstantComputed(mul.getRhs()))
      return false;
    auto a = operandAt(mul, mul.getLhs(), type.getShape()), c = operandAt(mul, mul.getRhs(), type.getShape());
    if (!a || !c)
      return false;
    double scale = *outScale;
    const double product = a->second * c->second;
    if (product / scale >= 1.0 - 1.0 / 65536.0) // a product unit wider than the output's: widen the output
      scale = product * (1.0 + 1.0 / 16384.0);
    auto [mult, shift] = encodeMultiplier(product / scale);
    OpBuilder b(mul);
    Value q = IntegerMulOp::create(b, mul.getLoc(), activation(type), a->first, c->first, b.getI32IntegerAttr(mult),
                                   b.getI32IntegerAttr(shift), b.getSI32IntegerAttr(-qmax()),
                                   b.getSI32IntegerAttr(qmax()));
    replaceWithInteger(mul.getResult(), q, scale);
    return true;
  }

  bool convertAdd(AddOp add) {
    auto type = cast<RankedTensorType>(add.getType());
    std::optional<double> outScale = scaleOf(add.getResult());
    if (!outScale || !type.hasStaticShape() || !isa<FloatType>(type.getElementType()))
      return false;
    if (isConstantComputed(add.getLhs()) && isConstantComputed(add.getRhs()))
      return false;
    auto a = operandAt(add, add.getLhs(), type.getShape()), c = operandAt(add, add.getRhs(), type.getShape());
    if (!a || !c)
      return false;
    // y = a * (s_a / s_y) + c * (s_c / s_y): both ratios times 2^shift below 32768.
    double ratioA = a->second / *outScale, ratioC = c->second / *outScale, scale = *outScale;
    if (std::max(ratioA, ratioC) >= 32767.0) { // an output range far narrower than an input's: widen it
      scale = std::max(a->second, c->second) / 32000.0;
      ratioA = a->second / scale, ratioC = c->second / scale;
    }
    int shift = 0;
    while (shift < 31 && std::max(ratioA, ratioC) * std::ldexp(1.0, shift + 1) < 32767.0)
      ++shift;
    OpBuilder b(add);
    auto multiplier = [&](double r) {
      return b.getI32IntegerAttr(static_cast<int32_t>(std::min(32767.0, std::nearbyint(r * std::ldexp(1.0, shift)))));
    };
    Value q = IntegerAddOp::create(b, add.getLoc(), activation(add.getType()), a->first, c->first, multiplier(ratioA),
                                   multiplier(ratioC), b.getI32IntegerAttr(shift), b.getSI32IntegerAttr(-qmax()),
                                   b.getSI32IntegerAttr(qmax()));
    replaceWithInteger(add.getResult(), q, scale);
    return true;
  }

  bool convertUnary(Operation *op) {
    std::function<double(double)> f = unaryFunction(op);
    Value input = op->getNumOperands() >= 1 ? op->getOperand(0) : Value();
    if (isa<MulOp, DivOp>(op)) { // times or over one constant: a function of the other operand
      std::optional<std::vector<float>> c = floatValues(op->getOperand(1));
      if (isa<MulOp>(op) && (!c || c->size() != 1))
        input = op->getOperand(1), c = floatValues(op->getOperand(0));
      if (!c || c->size() != 1 || input.getType() != op->getResult(0).getType())
        return false;
      const double k = (*c)[0];
      f = isa<MulOp>(op) ? std::function<double(double)>([k](double x) { return x * k; })
                         : std::function<double(double)>([k](double x) { return x / k; });
    } else if (op->getNumOperands() != 1) {
      return false;
    }
    if (!f || !isa<FloatType>(cast<RankedTensorType>(op->getResult(0).getType()).getElementType()))
      return false;
    std::optional<double> outScale = scaleOf(op->getResult(0));
    if (!outScale)
      return false;
    auto in = integer(input);
    if (!in)
      return false;
    OpBuilder b(op);
    Value q = IntegerTableOp::create(b, op->getLoc(), activation(op->getResult(0).getType()), in->first,
                                     tableOf(f, in->second, *outScale));
    replaceWithInteger(op->getResult(0), q, *outScale);
    return true;
  }

  /// The mote.integer_table of `f` from scale `from` to scale `to`, computed in double: for int8, f at every
  /// input; for int16, at -32768 + 128 k (513 entries, interpolated between).
  DenseElementsAttr tableOf(const std::function<double(double)> &f, double from, double to) {
    const bool wide = activationBits == 16;
    std::vector<int32_t> table(wide ? 513 : 256);
    for (size_t k = 0; k < table.size(); ++k) {
      const int64_t q = wide ? -32768 + 128 * static_cast<int64_t>(k) : static_cast<int64_t>(k) - 128;
      table[k] = quantizeValue(f(static_cast<double>(static_cast<float>(static_cast<double>(q) * from))), to, qmax());
    }
    auto type = RankedTensorType::get({static_cast<int64_t>(table.size())},
                                      IntegerType::get(&getContext(), activationBits));
    return activationElements(type, table);
  }

  /// A table that maps values of scale `from` to scale `to` (q -> round(q * from / to)).
  Value rescaled(Value v, double from, double to, Location loc) {
    OpBuilder b(v.getContext());
    b.setInsertionPointAfterValue(v);
    return IntegerTableOp::create(b, loc, v.getType(), v, tableOf([](double x) { return x; }, from, to));
  }

  /// A concat of int8 pieces: each piece whose scale is not the result's is rescaled first (a table).
  bool convertConcat(ConcatOp concat) {
    std::optional<double> outScale = scaleOf(concat.getResult());
    if (!outScale)
      return false;
    SmallVector<std::pair<Value, double>> pieces;
    for (Value input : concat.getInputs()) {
      if (isConstantComputed(input))
        return false;
      auto piece = integer(input);
      if (!piece)
        return false;
      pieces.push_back(*piece);
    }
    SmallVector<Value> operands;
    for (auto &[value, scale] : pieces)
      operands.push_back(scale == *outScale ? value : rescaled(value, scale, *outScale, concat.getLoc()));
    OpBuilder b(concat);
    Value q = ConcatOp::create(b, concat.getLoc(), activation(concat.getType()), operands, concat.getAxisAttr());
    replaceWithInteger(concat.getResult(), q, *outScale);
    return true;
  }

  /// Ops that move values as they are (the scale stays): the same op on the int8 value (a float input with a
  /// calibrated range is quantized first: moving int8 is cheaper, and a target with int8 activations moves
  /// nothing else).
  bool convertDataMovement(Operation *op) {
    if (!isa<TransposeOp, ReshapeOp, SplitOp, SliceOp>(op))
      return false;
    for (unsigned k = 1; k < op->getNumOperands(); ++k)
      if (!isConstantComputed(op->getOperand(k)))
        return false;
    std::optional<std::pair<Value, double>> source = integer(op->getOperand(0));
    if (!source)
      return false;
    OpBuilder b(op);
    Operation *moved = b.clone(*op);
    moved->setOperand(0, source->first);
    moved->removeAttr(kValueRangeAttrName);
    for (auto [result, movedResult] : llvm::zip(op->getResults(), moved->getResults())) {
      movedResult.setType(activation(result.getType()));
      replaceWithInteger(result, movedResult, source->second);
    }
    return true;
  }

  void runOnOperation() override {
    ModuleOp module = getOperation();
    TargetAttr target = getModuleTarget(module);
    if (!target || !target.getActivationType() || !target.getActivationType().isSignlessInteger(8))
      return; // float activations: nothing to do
    if (scheme != "w8a8" && scheme != "w8a16")
      return; // weights-only or dynamic schemes: activations stay float
    activationBits = scheme == "w8a16" ? 16 : 8;
    module.walk([&](func::FuncOp func) {
      if (func.isExternal())
        return;
      integerOf.clear();
      // The float ops replaced, and quantizes or dequantizes nothing reads any more.
      auto eraseDead = [&] {
        bool erased = true;
        while (erased) {
          erased = false;
          for (Operation &op : llvm::make_early_inc_range(llvm::reverse(func.getBody().front())))
            if (op.use_empty() && !isa<func::ReturnOp>(op) && (isMemoryEffectFree(&op) || isa<ConstantOp>(op))) {
              op.erase();
              erased = true;
            }
        }
      };
      // Time embeddings first, from the float input itself (before the products that make their angles become
      // int8 products), then everything else in order.
      bool sinusoids = false;
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front()))
        if (isa<SinOp, CosOp>(op))
          sinusoids |= convertSinusoid(&op, *this);
      if (sinusoids)
        eraseDead();
      llvm::SmallPtrSet<Operation *, 16> consumed; // ops a pattern converted as part of a whole
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front())) {
        bool done = false;
        if (consumed.contains(&op))
          continue;
        if (auto mean = dyn_cast<ReduceMeanOp>(op))
          done = convertNormChain(mean, *this, consumed);
        else if (auto resize = dyn_cast<ResizeOp>(op))
          done = convertResize(resize, *this);
        else if (auto conv = dyn_cast<ConvOp>(op))
          done = convertConv(conv);
        else if (isa<MatMulOp, GemmOp>(op))
          done = convertLinear(&op);
        else if (auto add = dyn_cast<AddOp>(op))
          done = convertAdd(add);
        else if (auto mul = dyn_cast<MulOp>(op))
          done = convertUnary(mul) || convertMul(mul);
        else if (isa<TransposeOp, ReshapeOp, SplitOp, SliceOp>(op))
          done = convertDataMovement(&op);
        else if (auto gather = dyn_cast<GatherOp>(op))
          done = convertGather(gather, *this);
        else if (isa<LayerNormOp, RmsNormOp>(op))
          done = convertNorm(&op, *this);
        else if (auto attention = dyn_cast<AttentionOp>(op))
          done = convertAttention(attention, *this);
        else if (auto concat = dyn_cast<ConcatOp>(op))
          done = convertConcat(concat);
        else
          done = convertUnary(&op);
        (void)done;
      }
      eraseDead();
    });
  }
};

} // namespace
