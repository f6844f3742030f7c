// Verifiers of the `mote` integer-activation ops (the quantized phase of a target with integer activations):
// quantize/dequantize of activations, the requantizing convolution and matmul, the rescaling add and the
// 256-entry table, the fixed-point normalization and attention.
#include "ir/MoteDialect.h"
#include "ir/OpVerification.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using namespace mote;
using namespace mote::detail;

namespace {

LogicalResult verifyScale(Operation *op, APFloat scale) {
  const double s = scale.convertToDouble();
  if (!(s > 0.0) || !std::isfinite(s))
    return op->emitOpError("scale must be positive and finite, got ") << s;
  return success();
}

LogicalResult verifySameShape(Operation *op, Value input, Value output) {
  if (rankedType(input).getShape() != rankedType(output).getShape())
    return op->emitOpError("result shape must be the input's");
  return success();
}

/// The clamp of integer result `output`: a range of its element type.
LogicalResult verifyClamp(Operation *op, Value output, int32_t lo, int32_t hi) {
  const unsigned bits = rankedType(output).getElementType().getIntOrFloatBitWidth();
  const int64_t most = (int64_t(1) << (bits - 1)) - 1;
  if (lo < -most - 1 || hi > most || lo > hi)
    return op->emitOpError("clamp [") << lo << ", " << hi << "] must be an int" << bits << " range";
  return success();
}

/// An int16 layer's reduction (products per sum) below 2^16: its exact sums, and their product with a 16-bit
/// multiplier, stay within int64 (and the device's high- and low-byte int32 sums do not wrap).
LogicalResult verifyInt16Reduction(Operation *op, Value input, int64_t reduction) {
  if (rankedType(input).getElementType().isSignlessInteger(16) && !ShapedType::isDynamic(reduction) &&
      reduction >= (int64_t(1) << 16))
    return op->emitOpError("an int16 layer adds at most 65535 products per sum, got ") << reduction;
  return success();
}

/// Values `values` of one integer element type (int8 and int16 activations do not mix).
LogicalResult verifySameElementType(Operation *op, std::initializer_list<Value> values) {
  Type first = rankedType(*values.begin()).getElementType();
  for (Value v : values)
    if (rankedType(v).getElementType() != first)
      return op->emitOpError("operands and result must have one element type (int8 or int16), got ")
             << first << " and " << rankedType(v).getElementType();
  return success();
}

/// bias [C] and requant [2, C] for C output channels.
LogicalResult verifyRequantization(Operation *op, Value bias, Value requant, int64_t channels) {
  if (failed(verifyPerChannel(op, bias, "bias", channels)))
    return failure();
  auto r = rankedType(requant);
  if (r.getRank() != 2 || r.getDimSize(0) != 2 || (!ShapedType::isDynamic(channels) && r.getDimSize(1) != channels))
    return op->emitOpError("expected 'requant' of shape [2, ") << channels << "] (multipliers, shifts), got " << r;
  // A constant's values must be in the ranges the exact arithmetic is defined for (the device kernels read a
  // 16-bit multiplier and a 5-bit shift).
  if (auto constant = requant.getDefiningOp<ConstantOp>())
    if (auto values = dyn_cast<DenseIntElementsAttr>(constant.getValue())) {
      int64_t k = 0;
      for (const APInt &v : values) {
        const int64_t x = v.getSExtValue();
        const bool isShift = r.hasStaticShape() && k++ >= r.getDimSize(1);
        if (isShift ? (x < 0 || x > 31) : (x < 0 || x > 65535))
          return op->emitOpError("requantization ") << (isShift ? "shift " : "multiplier ") << x << " out of "
                                                    << (isShift ? "[0, 31]" : "[0, 65535]");
      }
    }
  return success();
}

} // namespace

LogicalResult QuantizeActivationOp::verify() {
  if (failed(verifyScale(*this, getScale())))
    return failure();
  return verifySameShape(*this, getInput(), getOutput());
}

LogicalResult DequantizeActivationOp::verify() {
  if (failed(verifyScale(*this, getScale())))
    return failure();
  return verifySameShape(*this, getInput(), getOutput());
}

LogicalResult IntegerConvOp::verify() {
  if (failed(verifySameElementType(*this, {getInput(), getOutput()})))
    return failure();
  if (auto w = rankedType(getWeight()); w.hasStaticShape() && w.getRank() == 4 &&
                                       failed(verifyInt16Reduction(*this, getInput(), w.getNumElements() / std::max<int64_t>(w.getDimSize(0), 1))))
    return failure();
  auto in = rankedType(getInput()), w = rankedType(getWeight()), out = rankedType(getOutput());
  if (in.getRank() != 4 || w.getRank() != 4 || out.getRank() != 4)
    return emitOpError("expected NHWC input and output and a [Cout, Cin, KH, KW] weight");
  if (getStrides().size() != 2 || getDilations().size() != 2 || getPads().size() != 4)
    return emitOpError("expected 2 strides, 2 dilations and 4 pads");
  for (int64_t v : getStrides())
    if (v < 1)
      return emitOpError("strides must be positive");
  for (int64_t v : getDilations())
    if (v < 1)
      return emitOpError("dilations must be positive");
  for (int64_t v : getPads())
    if (v < 0)
      return emitOpError("pads must not be negative");
  const int64_t group = static_cast<int64_t>(getGroup());
  if (group < 1 || (!w.isDynamicDim(0) && w.getDimSize(0) % group != 0))
    return emitOpError("group ") << group << " must be positive and divide the output channels";
  if (!in.isDynamicDim(3) && !w.isDynamicDim(1) && in.getDimSize(3) != w.getDimSize(1) * group)
    return emitOpError("input channels ") << in.getDimSize(3) << " differ from the weight's " << w.getDimSize(1)
                                          << " times the group " << group;
  if (!out.isDynamicDim(3) && !w.isDynamicDim(0) && out.getDimSize(3) != w.getDimSize(0))
    return emitOpError("output channels ") << out.getDimSize(3) << " differ from the weight's " << w.getDimSize(0);
  if (in.hasStaticShape() && w.hasStaticShape() && out.hasStaticShape()) {
    ArrayRef<int64_t> s = getStrides(), d = getDilations(), p = getPads();
    for (int k = 0; k < 2; ++k) {
      const int64_t extent = in.getDimSize(1 + k) + p[k] + p[k + 2] - d[k] * (w.getDimSize(2 + k) - 1) - 1;
      const int64_t want = extent < 0 ? 0 : extent / s[k] + 1;
      if (out.getDimSize(1 + k) != want)
        return emitOpError("output ") << (k ? "width " : "height ") << out.getDimSize(1 + k) << " should be " << want;
    }
    if (out.getDimSize(0) != in.getDimSize(0))
      return emitOpError("batch differs between input and output");
  }
  if (failed(verifyClamp(*this, getOutput(), getClampMin(), getClampMax())))
    return failure();
  return verifyRequantization(*this, getBias(), getRequant(), w.getDimSize(0));
}

LogicalResult IntegerMatMulOp::verify() {
  if (failed(verifySameElementType(*this, {getLhs(), getOutput()})) ||
      (rankedType(getWeight()).getRank() == 2 &&
       failed(verifyInt16Reduction(*this, getLhs(), rankedType(getWeight()).getDimSize(0)))))
    return failure();
  auto lhs = rankedType(getLhs()), w = rankedType(getWeight()), out = rankedType(getOutput());
  if (lhs.getRank() < 1 || w.getRank() != 2 || out.getRank() != lhs.getRank())
    return emitOpError("expected a weight [K, N] and a result of the left operand's rank");
  if (!lhs.isDynamicDim(lhs.getRank() - 1) && !w.isDynamicDim(0) && lhs.getDimSize(lhs.getRank() - 1) != w.getDimSize(0))
    return emitOpError("reduction ") << lhs.getDimSize(lhs.getRank() - 1) << " differs from the weight's " << w.getDimSize(0);
  for (int64_t d = 0; d + 1 < lhs.getRank(); ++d)
    if (lhs.getDimSize(d) != out.getDimSize(d))
      return emitOpError("result dim ") << d << " must be the left operand's";
  if (out.getDimSize(out.getRank() - 1) != w.getDimSize(1))
    return emitOpError("result columns must be the weight's");
  if (failed(verifyClamp(*this, getOutput(), getClampMin(), getClampMax())))
    return failure();
  return verifyRequantization(*this, getBias(), getRequant(), w.getDimSize(1));
}

LogicalResult IntegerAddOp::verify() {
  if (failed(verifySameElementType(*this, {getLhs(), getRhs(), getOutput()})))
    return failure();
  if (rankedType(getLhs()).getShape() != rankedType(getRhs()).getShape())
    return emitOpError("operands must have one shape (no broadcast)");
  if (failed(verifySameShape(*this, getLhs(), getOutput())))
    return failure();
  if (getLhsMultiplier() > 32767 || getRhsMultiplier() > 32767)
    return emitOpError("multipliers must be in [0, 32767]");
  if (getShift() > 31)
    return emitOpError("shift must be in [0, 31]");
  return verifyClamp(*this, getOutput(), getClampMin(), getClampMax());
}

LogicalResult IntegerTableOp::verify() {
  if (failed(verifySameElementType(*this, {getInput(), getOutput()})))
    return failure();
  auto table = cast<ShapedType>(getTable().getType());
  const bool int16 = rankedType(getInput()).getElementType().isSignlessInteger(16);
  if (table.getRank() != 1 || table.getDimSize(0) != (int16 ? 513 : 256) ||
      !table.getElementType().isSignlessInteger(int16 ? 16 : 8))
    return emitOpError("table must be ") << (int16 ? "tensor<513xi16>" : "tensor<256xi8>") << ", got "
                                         << getTable().getType();
  return verifySameShape(*this, getInput(), getOutput());
}

namespace {

/// The values of constant `v` when it is a dense integer constant, else null.
DenseIntElementsAttr constantIntegers(Value v) {
  auto constant = v ? v.getDefiningOp<ConstantOp>() : ConstantOp();
  return constant ? dyn_cast<DenseIntElementsAttr>(constant.getValue()) : DenseIntElementsAttr();
}

LogicalResult verifyMultiplier(Operation *op, StringRef what, int32_t mult, int32_t shift) {
  if (mult < 0 || mult > 65535 || shift < 0 || shift > 31)
    return op->emitOpError(what) << " multiplier " << mult << " and shift " << shift
                                 << " must be in [0, 65535] and [0, 31]";
  return success();
}

} // namespace

std::optional<std::array<int64_t, 4>> IntegerNormOp::rowView() {
  auto x = rankedType(getInput());
  if (!x.hasStaticShape() || x.getRank() < 1)
    return std::nullopt;
  const int64_t rank = x.getRank();
  SmallVector<int64_t> axes = getAxes() ? SmallVector<int64_t>(*getAxes()) : SmallVector<int64_t>{rank - 1};
  if (axes.empty())
    return std::nullopt;
  SmallVector<bool> normalized(rank, false);
  for (int64_t a : axes) {
    if (a < 0 || a >= rank || normalized[a])
      return std::nullopt;
    normalized[a] = true;
  }
  // kept* normalized+ kept* normalized*: four groups of consecutive axes.
  std::array<int64_t, 4> view = {1, 1, 1, 1};
  int group = 0;
  for (int64_t d = 0; d < rank; ++d) {
    const int wanted = normalized[d] ? (group <= 1 ? 1 : 3) : (group == 0 ? 0 : 2);
    if (wanted < group) // a kept axis after the second run
      return std::nullopt;
    group = wanted;
    view[group] *= x.getDimSize(d);
  }
  return view;
}

LogicalResult IntegerNormOp::verify() {
  auto x = rankedType(getInput());
  if (x.getRank() < 1)
    return emitOpError("input must have at least one axis");
  std::optional<std::array<int64_t, 4>> view = rowView();
  if (x.hasStaticShape() && !view)
    return emitOpError("axes must be one run of axes, or two runs with kept axes between them");
  const int64_t count = view ? (*view)[1] * (*view)[3] : x.getDimSize(x.getRank() - 1);
  if (!ShapedType::isDynamic(count) && (count < 1 || count > kMaxRow))
    return emitOpError("rows of ") << count << " values: the fixed-point arithmetic takes 1 to 2^24 - 1";
  auto p = rankedType(getParams());
  if (p.getRank() != 2 || p.getDimSize(0) != 2 || p.getDimSize(1) != count)
    return emitOpError("expected 'params' of shape [2, ") << count << "] (gains, biases), got " << p;
  // Read signed: the unsigned getters would turn a negative value into a huge one in the message.
  const int64_t epsilon = getEpsilonAttr().getInt(), fracBits = getFracBitsAttr().getInt();
  if (epsilon < 0 || epsilon >= (int64_t(1) << 62))
    return emitOpError("epsilon ") << epsilon << " must be in [0, 2^62)";
  if (fracBits < 0 || fracBits > 40)
    return emitOpError("frac_bits ") << fracBits << " must be in [0, 40]";
  if (failed(verifySameElementType(*this, {getInput(), getOutput()})))
    return failure();
  const bool wide = x.getElementType().isSignlessInteger(16);
  const int64_t squareShift = getSquareShiftAttr().getInt();
  if (squareShift < 0 || squareShift > 40)
    return emitOpError("square_shift ") << squareShift << " must be in [0, 40]";
  if (!ShapedType::isDynamic(count)) { // count * (largest |d_k| / 2^square_shift)^2 below 2^62
    const double most = wide ? 32768.0 : 128.0;
    const double d = std::ldexp(getCenter() ? 2.0 * static_cast<double>(count) * most : most,
                                -static_cast<int>(squareShift));
    if (static_cast<double>(count) * d * d >= std::ldexp(1.0, 62))
      return emitOpError("square_shift ") << squareShift << " leaves the squares of " << count
                                          << (wide ? " int16" : " int8") << " values beyond 2^62";
  }
  if (DenseIntElementsAttr values = constantIntegers(getParams())) {
    int64_t k = 0;
    for (const APInt &v : values) {
      const int64_t y = v.getSExtValue(), limit = int64_t(1) << 30;
      if (y <= -limit || y >= limit)
        return emitOpError(k++ < count ? "gain " : "bias ") << y << " out of (-" << limit << ", " << limit << ")";
    }
  }
  if (failed(verifySameShape(*this, getInput(), getOutput())))
    return failure();
  return verifyClamp(*this, getOutput(), getClampMin(), getClampMax());
}

LogicalResult IntegerAttentionOp::verify() {
  auto q = rankedType(getQuery()), k = rankedType(getKey()), v = rankedType(getValue()), o = rankedType(getOutput());
  if (q.getRank() != 4 || k.getRank() != 4 || v.getRank() != 4 || o.getRank() != 4 || !q.hasStaticShape() ||
      !k.hasStaticShape() || !v.hasStaticShape())
    return emitOpError("query, key, value and result must be static [B, H, S, D] tensors");
  const int64_t B = q.getDimSize(0), H = q.getDimSize(1), Sq = q.getDimSize(2), D = q.getDimSize(3);
  const int64_t Hkv = k.getDimSize(1), Sk = k.getDimSize(2), Dv = v.getDimSize(3);
  if (k.getDimSize(0) != B || v.getDimSize(0) != B || k.getDimSize(3) != D || v.getDimSize(1) != Hkv ||
      v.getDimSize(2) != Sk || Hkv < 1 || H % Hkv != 0)
    return emitOpError("key ") << k << " and value " << v << " do not fit query " << q;
  if (o.getShape() != ArrayRef<int64_t>{B, H, Sq, Dv})
    return emitOpError("result must be [") << B << ", " << H << ", " << Sq << ", " << Dv << "], got " << o;
  if (Sk < 1 || Sk > 32768)
    return emitOpError("key length ") << Sk << " must be in [1, 32768]";
  if (failed(verifySameElementType(*this, {getQuery(), getKey(), getValue(), getOutput()})))
    return failure();
  if (q.getElementType().isSignlessInteger(16) && D >= (int64_t(1) << 16))
    return emitOpError("int16 heads of ") << D << " values: their exact dot products take at most 65535";
  if ((getMask() && !constantIntegers(getMask())) || !constantIntegers(getTable()))
    return emitOpError("table and mask must be integer constants (their values bound the fixed-point arithmetic)");
  if (Value mask = getMask()) {
    ArrayRef<int64_t> m = rankedType(mask).getShape();
    if (m != ArrayRef<int64_t>{Sq, Sk} && m != ArrayRef<int64_t>{B, Sq, Sk})
      return emitOpError("mask must be [") << Sq << ", " << Sk << "] or [" << B << ", " << Sq << ", " << Sk << "], got "
                                           << mask.getType();
    if (DenseIntElementsAttr values = constantIntegers(mask))
      for (const APInt &m : values)
        if (std::abs(m.getSExtValue()) > (int64_t(1) << 24))
          return emitOpError("mask value ") << m.getSExtValue() << " out of [-2^24, 2^24]";
  }
  auto t = rankedType(getTable());
  if (t.getRank() != 1 || t.getDimSize(0) < 1 || t.getDimSize(0) > (int64_t(1) << 20))
    return emitOpError("table must be 1-D with 1 to 2^20 entries, got ") << t;
  if (DenseIntElementsAttr values = constantIntegers(getTable())) {
    int64_t previous = int64_t(1) << 16, index = 0;
    for (const APInt &e : values) {
      const int64_t y = e.getSExtValue();
      if ((index++ == 0 && y != previous) || y < 0 || y > previous)
        return emitOpError("table must start at 2^16 and not increase, down to no less than 0");
      previous = y;
    }
  }
  if (failed(verifyMultiplier(*this, "logit", getLogitMult(), getLogitShift())) ||
      failed(verifyMultiplier(*this, "output", getOutMult(), getOutShift())))
    return failure();
  return verifyClamp(*this, getOutput(), getClampMin(), getClampMax());
}

LogicalResult IntegerMulOp::verify() {
  if (failed(verifySameElementType(*this, {getLhs(), getRhs(), getOutput()})))
    return failure();
  if (rankedType(getLhs()).getShape() != rankedType(getRhs()).getShape())
    return emitOpError("operands must have one shape (no broadcast)");
  if (failed(verifySameShape(*this, getLhs(), getOutput())) ||
      failed(verifyMultiplier(*this, "product", getMultiplier(), getShift())))
    return failure();
  return verifyClamp(*this, getOutput(), getClampMin(), getClampMax());
}

LogicalResult IntegerSinusoidOp::verify() {
  auto x = rankedType(getInput()), f = rankedType(getFrequencies()), y = rankedType(getOutput());
  if (f.getRank() != 2 || f.getDimSize(0) != 2)
    return emitOpError("frequencies must be [2, N] (turns, shifts), got ") << f;
  if (x.hasStaticShape() && y.hasStaticShape() && !f.isDynamicDim(1) &&
      y.getNumElements() != x.getNumElements() * f.getDimSize(1))
    return emitOpError("result of ") << y.getNumElements() << " values, expected " << x.getNumElements() << " inputs times "
                                     << f.getDimSize(1) << " frequencies";
  DenseIntElementsAttr values = constantIntegers(getFrequencies());
  if (!values)
    return emitOpError("frequencies must be an integer constant (their values bound the fixed-point arithmetic)");
  const int64_t count = f.getDimSize(1);
  // An int64 input's product with a frequency is taken modulo 2^64: the whole turns must start at bit 64 or below.
  const int64_t maxShift = x.getElementType().isInteger(64) ? 64 : 255;
  int64_t k = 0;
  for (const APInt &v : values) {
    const int64_t e = v.getSExtValue();
    if (k++ < count ? std::abs(e) >= (int64_t(1) << 39) : (e < 0 || e > maxShift))
      return emitOpError(k <= count ? "frequency " : "frequency shift ")
             << e << (k <= count ? " out of (-2^39, 2^39)" : " out of [0, " + std::to_string(maxShift) + "]");
  }
  const int64_t phase = getPhaseAttr().getInt();
  if (phase < 0 || phase >= (int64_t(1) << 32))
    return emitOpError("phase ") << phase << " must be in [0, 2^32)";
  if (failed(verifyMultiplier(*this, "output", getMultiplier(), getShift())))
    return failure();
  return verifyClamp(*this, getOutput(), getClampMin(), getClampMax());
}
