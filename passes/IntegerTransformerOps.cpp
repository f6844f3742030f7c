// mote-quantize-activations: gathers of embedding rows, layer, group and RMS norms, nearest resizes, attention
// and time embeddings as int8 ops
// (see IntegerConversion.h; the fixed-point arithmetic is runtime/integer/IntegerMath.h's).
#include "ir/ActivationQuantization.h"
#include "ir/ConstantBytes.h"
#include "ir/ResizeTables.h"
#include "passes/IntegerConversion.h"
#include "passes/PatternUtils.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/TypeUtilities.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace mote::integer {

std::optional<std::vector<float>> weightValues(Value v) {
  if (std::optional<std::vector<float>> values = floatValues(v))
    return values;
  auto dequantize = v.getDefiningOp<DequantizeOp>();
  if (!dequantize || dequantize.getBlockSize())
    return std::nullopt;
  auto constant = dequantize.getInput().getDefiningOp<ConstantOp>();
  std::optional<std::vector<float>> scales = floatValues(dequantize.getScale());
  auto type = cast<RankedTensorType>(dequantize.getInput().getType());
  if (!constant || !scales || !type.getElementType().isSignlessInteger(8) || !type.hasStaticShape())
    return std::nullopt;
  std::optional<std::vector<char>> bytes = constantBytes(cast<ElementsAttr>(constant.getValue()), 1);
  const int64_t axis = static_cast<int64_t>(dequantize.getAxis());
  if (!bytes || axis >= type.getRank() || static_cast<int64_t>(scales->size()) != type.getDimSize(axis))
    return std::nullopt;
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < type.getRank(); ++d)
    inner *= type.getDimSize(d);
  std::vector<float> values(bytes->size());
  for (size_t k = 0; k < values.size(); ++k)
    values[k] = static_cast<float>(static_cast<int8_t>((*bytes)[k])) *
                (*scales)[(static_cast<int64_t>(k) / inner) % type.getDimSize(axis)];
  return values;
}

namespace {

Value int32Constant(OpBuilder &b, Location loc, ArrayRef<int64_t> shape, ArrayRef<int32_t> values) {
  return ConstantOp::create(b, loc, DenseElementsAttr::get(RankedTensorType::get(shape, b.getI32Type()), values));
}

} // namespace

/// A gather of constant rows (an embedding table, float or w8): the table quantized once at the result's scale,
/// then the same gather on int8. A gather of an activation's rows moves its int8 values.
bool convertGather(GatherOp op, Values &values) {
  std::optional<double> scale = values.scaleOf(op.getResult());
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  if (!scale || !isa<FloatType>(dataType.getElementType()))
    return false;
  std::optional<std::vector<float>> table = weightValues(op.getData());
  OpBuilder b(op);
  if (!table) { // rows of an activation (CLIP's pooled output): gathered as int8, the scale stays
    auto in = values.integer(op.getData());
    if (!in)
      return false;
    Value gathered = GatherOp::create(b, op.getLoc(), activationType(op.getType(), values.bits()), in->first,
                                      op.getIndices(), op.getAxisAttr());
    values.replaceWithInteger(op.getResult(), gathered, in->second);
    return true;
  }
  std::vector<int32_t> q(table->size());
  for (size_t k = 0; k < q.size(); ++k)
    q[k] = quantizeValue((*table)[k], *scale, activationQMax(values.bits()));
  Value data = ConstantOp::create(b, op.getLoc(), activationElements(activationType(dataType, values.bits()), q));
  Value gathered = GatherOp::create(b, op.getLoc(), activationType(op.getType(), values.bits()), data, op.getIndices(),
                                    op.getAxisAttr());
  values.replaceWithInteger(op.getResult(), gathered, *scale);
  return true;
}

/// The mote.integer_norm encoding of a norm over rows of `count` values, int8 or int16 (`bits`), from scale
/// `inScale` to `outScale`: gain_k = sqrt(count) * gamma_k / s_y * 2^frac (below 2^30), bias_k = beta_k / s_y *
/// 256; the squares shifted right by `squareShift` bits so that their sum stays below 2^62 (int16 rows of more
/// than 1024 values, int8 rows of more than 41,000); epsilon at the squares' scale (count^3 / s_x^2 centred,
/// count for RMS, over 2^(2 squareShift)). Nullopt when a gain cannot be represented.
struct NormEncoding {
  std::vector<int32_t> params;
  int frac = 0;
  int64_t epsilon = 0;
  int squareShift = 0;
};
static std::optional<NormEncoding> encodeNorm(int64_t count, bool center, ArrayRef<double> gamma,
                                              ArrayRef<double> beta, double epsilon, double inScale, double outScale,
                                              unsigned bits) {
  const double root = std::sqrt(static_cast<double>(count)), gainLimit = std::ldexp(1.0, 30);
  double largest = 0.0;
  for (double x : gamma)
    largest = std::max(largest, std::abs(root * x / outScale));
  if (!(largest < gainLimit / 2.0))
    return std::nullopt;
  NormEncoding e;
  while (e.frac < 40 && largest * std::ldexp(1.0, e.frac + 1) < gainLimit - 1.0)
    ++e.frac;
  // The largest |d_k| (count * x_k - sum(x), or x_k): count * (d / 2^shift)^2 below 2^62.
  const double n = static_cast<double>(count), most = activationQMax(bits) + 1.0; // a clamp may reach -qmax - 1
  const double largestD = center ? 2.0 * n * most : most;
  while (n * std::ldexp(largestD, -e.squareShift) * std::ldexp(largestD, -e.squareShift) >= std::ldexp(1.0, 62))
    ++e.squareShift;
  e.params.resize(2 * count);
  const double limit = std::ldexp(1.0, 30) - 1.0;
  for (int64_t k = 0; k < count; ++k) {
    e.params[k] = static_cast<int32_t>(std::nearbyint(root * gamma[k] / outScale * std::ldexp(1.0, e.frac)));
    e.params[count + k] = static_cast<int32_t>(std::max(-limit, std::min(limit, std::nearbyint(beta[k] / outScale * 256.0))));
  }
  const double eps = epsilon * (center ? n * n * n : n) / (inScale * inScale) / std::ldexp(1.0, 2 * e.squareShift);
  e.epsilon = static_cast<int64_t>(std::min(std::nearbyint(eps), std::ldexp(1.0, 62) - 1024.0));
  return e;
}

/// A layer norm (with scale and bias) or RMS norm (with scale) over the last axis, as mote.integer_norm.
bool convertNorm(Operation *op, Values &values) {
  Value input, gamma, beta;
  int64_t axis;
  double epsilon;
  bool center = isa<LayerNormOp>(op);
  if (auto ln = dyn_cast<LayerNormOp>(op)) {
    input = ln.getInput(), gamma = ln.getScale(), beta = ln.getBias(), axis = ln.getAxis();
    epsilon = ln.getEpsilon().convertToDouble();
  } else if (auto rms = dyn_cast<RmsNormOp>(op)) {
    input = rms.getInput(), gamma = rms.getScale(), axis = rms.getAxis(), epsilon = rms.getEpsilon().convertToDouble();
  } else {
    return false;
  }
  auto type = cast<RankedTensorType>(input.getType());
  if (!type.hasStaticShape() || type.getRank() < 1 || (axis != -1 && axis != type.getRank() - 1))
    return false;
  const int64_t count = type.getDimSize(type.getRank() - 1);
  std::optional<std::vector<float>> g = weightValues(gamma);
  std::optional<std::vector<float>> bt = beta ? weightValues(beta) : std::vector<float>(count, 0.0f);
  if (count < 1 || count > IntegerNormOp::kMaxRow || !g || !bt || static_cast<int64_t>(g->size()) != count ||
      static_cast<int64_t>(bt->size()) != count || !(epsilon >= 0.0))
    return false;
  std::optional<double> outScale = values.scaleOf(op->getResult(0));
  if (!outScale)
    return false;
  auto in = values.integer(input);
  if (!in)
    return false;
  std::optional<NormEncoding> e =
      encodeNorm(count, center, std::vector<double>(g->begin(), g->end()), std::vector<double>(bt->begin(), bt->end()),
                 epsilon, in->second, *outScale, values.bits());
  if (!e)
    return false;
  OpBuilder b(op);
  Value p = int32Constant(b, op->getLoc(), {2, count}, e->params);
  const int32_t qmax = activationQMax(values.bits());
  Value y = IntegerNormOp::create(b, op->getLoc(), activationType(op->getResult(0).getType(), values.bits()), in->first,
                                  p, b.getBoolAttr(center), b.getI64IntegerAttr(e->epsilon), b.getI32IntegerAttr(e->frac),
                                  b.getSI32IntegerAttr(-qmax), b.getSI32IntegerAttr(qmax), DenseI64ArrayAttr(),
                                  b.getI32IntegerAttr(e->squareShift));
  values.replaceWithInteger(op->getResult(0), y, *outScale);
  return true;
}

/// The only user of `v`, when it has exactly one, else null.
static Operation *soleUser(Value v) { return v.hasOneUse() ? *v.getUsers().begin() : nullptr; }

bool convertNormChain(ReduceMeanOp mean, Values &values, llvm::SmallPtrSetImpl<Operation *> &consumed) {
  // mean = reduce_mean(x); d = x - mean; v = reduce_mean(d * d) + eps; y = d / sqrt(v), every link of the chain
  // read by the next only (d by the square and the division).
  Value x = mean.getInput();
  auto type = dyn_cast<RankedTensorType>(x.getType());
  if (!type || !type.hasStaticShape() || !isa<FloatType>(type.getElementType()) || !mean.getKeepdims())
    return false;
  auto sub = dyn_cast_or_null<SubOp>(soleUser(mean.getResult()));
  if (!sub || sub.getLhs() != x || sub.getRhs() != mean.getResult())
    return false;
  Value d = sub.getResult();
  MulOp square;
  DivOp div;
  for (Operation *user : d.getUsers()) { // the square reads d twice
    if (auto m = dyn_cast<MulOp>(user); m && m.getLhs() == d && m.getRhs() == d && (!square || square == m))
      square = m;
    else if (auto q = dyn_cast<DivOp>(user); q && q.getLhs() == d && !div)
      div = q;
    else
      return false;
  }
  if (!square || !div)
    return false;
  auto variance = dyn_cast_or_null<ReduceMeanOp>(soleUser(square.getResult()));
  if (!variance || variance.getAxes() != mean.getAxes() || !variance.getKeepdims())
    return false;
  auto plus = dyn_cast_or_null<AddOp>(soleUser(variance.getResult()));
  if (!plus)
    return false;
  std::optional<std::vector<float>> eps = floatValues(otherOperand(plus, variance.getResult()));
  auto root = dyn_cast_or_null<SqrtOp>(soleUser(plus.getResult()));
  if (!eps || eps->size() != 1 || !((*eps)[0] >= 0.0f) || !root || div.getRhs() != root.getResult() ||
      !root.getResult().hasOneUse())
    return false;
  // The rows: the reduced axes as one or two runs.
  SmallVector<int64_t> axes;
  for (int64_t a : mean.getAxes())
    axes.push_back(a < 0 ? a + type.getRank() : a);
  llvm::sort(axes);
  int64_t count = 1;
  for (int64_t a : axes) {
    if (a < 0 || a >= type.getRank())
      return false;
    count *= type.getDimSize(a);
  }
  std::optional<double> outScale = values.scaleOf(div.getResult());
  if (count < 1 || count > IntegerNormOp::kMaxRow || !outScale)
    return false;
  auto in = values.integer(x);
  if (!in)
    return false;
  std::optional<NormEncoding> e = encodeNorm(count, true, std::vector<double>(count, 1.0), std::vector<double>(count, 0.0),
                                             (*eps)[0], in->second, *outScale, values.bits());
  if (!e)
    return false;
  OpBuilder b(div);
  Value p = int32Constant(b, div.getLoc(), {2, count}, e->params);
  const int32_t qmax = activationQMax(values.bits());
  auto norm = IntegerNormOp::create(b, div.getLoc(), activationType(div.getType(), values.bits()), in->first, p,
                                    b.getBoolAttr(true), b.getI64IntegerAttr(e->epsilon), b.getI32IntegerAttr(e->frac),
                                    b.getSI32IntegerAttr(-qmax), b.getSI32IntegerAttr(qmax), b.getDenseI64ArrayAttr(axes),
                                    b.getI32IntegerAttr(e->squareShift));
  if (!norm.rowView()) {
    norm.erase();
    return false;
  }
  values.replaceWithInteger(div.getResult(), norm, *outScale);
  consumed.insert({mean, sub, square, variance, plus, root, div});
  return true;
}

/// A nearest-neighbour resize: one int8 gather per resized axis, by the source index of each output coordinate.
bool convertResize(ResizeOp op, Values &values) {
  auto inType = cast<RankedTensorType>(op.getInput().getType()), outType = cast<RankedTensorType>(op.getType());
  if (op.getMode() != "nearest" || !inType.hasStaticShape() || !outType.hasStaticShape())
    return false;
  auto in = values.integer(op.getInput());
  if (!in)
    return false;
  ResizeTables tables = resizeTables(op);
  OpBuilder b(op);
  Value current = in->first;
  SmallVector<int64_t> shape(inType.getShape());
  int64_t offset = 0;
  for (int64_t d = 0; d < outType.getRank(); ++d) {
    const int64_t n = outType.getDimSize(d);
    std::vector<int64_t> indices;
    bool identity = n == inType.getDimSize(d);
    for (int64_t o = 0; o < n; ++o) {
      indices.push_back(tables.indices[offset + 2 * o]);
      identity = identity && indices.back() == o;
    }
    offset += 2 * n;
    if (identity)
      continue;
    shape[d] = n;
    Value idx = ConstantOp::create(
        b, op.getLoc(), DenseElementsAttr::get(RankedTensorType::get({n}, b.getI64Type()), ArrayRef<int64_t>(indices)));
    current = GatherOp::create(b, op.getLoc(), RankedTensorType::get(shape, b.getIntegerType(values.bits())), current, idx,
                               b.getI64IntegerAttr(d));
  }
  values.replaceWithInteger(op.getResult(), current, in->second);
  return true;
}

bool convertSinusoid(Operation *op, Values &values) {
  if (!isa<SinOp, CosOp>(op))
    return false;
  auto resultType = cast<RankedTensorType>(op->getResult(0).getType());
  std::optional<double> outScale = values.scaleOf(op->getResult(0));
  if (!outScale || !resultType.hasStaticShape())
    return false;
  // Back from the angle to the model input, through reshapes and products with constants: one table of
  // frequencies along the last axis (against a [..., 1] operand), any number of scalar factors.
  std::vector<double> frequencies{1.0};
  bool table = false;
  Value v = op->getOperand(0);
  while (!isa<BlockArgument>(v)) {
    Operation *def = v.getDefiningOp();
    if (auto reshape = dyn_cast_or_null<ReshapeOp>(def)) {
      v = reshape.getInput();
      continue;
    }
    // An int64 timestep cast to float (optimum's exports): read as the integer it is.
    if (auto toFloat = dyn_cast_or_null<CastOp>(def); toFloat && getElementTypeOrSelf(toFloat.getInput()).isInteger(64)) {
      v = toFloat.getInput();
      continue;
    }
    auto mul = dyn_cast_or_null<MulOp>(def);
    if (!mul)
      return false;
    Value other = mul.getRhs();
    v = mul.getLhs();
    std::optional<std::vector<float>> c = floatValues(other);
    if (!c) {
      std::swap(v, other);
      c = floatValues(other);
    }
    auto vType = cast<RankedTensorType>(v.getType()), cType = cast<RankedTensorType>(other.getType()),
         mType = cast<RankedTensorType>(mul.getType());
    if (!c || c->empty() || !vType.hasStaticShape() || !mType.hasStaticShape())
      return false;
    if (c->size() == 1) {
      if (mType.getNumElements() != vType.getNumElements())
        return false;
      for (double &f : frequencies)
        f *= (*c)[0];
      continue;
    }
    const int64_t n = static_cast<int64_t>(c->size());
    SmallVector<int64_t> expected(vType.getShape());
    if (table || vType.getRank() < 1 || expected.back() != 1 || cType.getRank() < 1 ||
        cType.getDimSize(cType.getRank() - 1) != n)
      return false;
    expected.back() = n;
    if (mType.getShape() != ArrayRef<int64_t>(expected))
      return false;
    std::vector<double> scaled;
    for (float f : *c)
      scaled.push_back(frequencies[0] * f);
    frequencies = std::move(scaled);
    table = true;
  }
  auto inType = cast<RankedTensorType>(v.getType());
  const bool integerInput = inType.getElementType().isInteger(64);
  if (!(inType.getElementType().isF32() || integerInput) || !inType.hasStaticShape() ||
      inType.getNumElements() * static_cast<int64_t>(frequencies.size()) != resultType.getNumElements())
    return false;
  // Frequency n as turns * 2^-shift turns, turns in [2^38, 2^39); for an int64 input at most 2^-64 finer (below
  // 2^-25 turns a frequency keeps fewer bits: the error stays below 2^-65 turns per unit of the timestep).
  const int64_t n = static_cast<int64_t>(frequencies.size());
  std::vector<int64_t> encoded(2 * n, 0);
  for (int64_t k = 0; k < n; ++k) {
    const double t = frequencies[k] / (2.0 * M_PI);
    if (!std::isfinite(t))
      return false;
    if (t == 0.0)
      continue;
    int exponent;
    std::frexp(std::abs(t), &exponent); // |t| in [2^(exponent-1), 2^exponent)
    int shift = 39 - exponent;
    if (shift < 0)
      return false; // a frequency of 2^39 turns and more: the product would leave int64
    if (shift > 255)
      continue; // below 2^-216 turns: 0 at any float x
    if (integerInput && shift > 64)
      shift = 64;
    double turns = std::nearbyint(std::ldexp(std::abs(t), shift));
    if (turns >= std::ldexp(1.0, 39)) { // rounded up to 2^39
      turns /= 2.0;
      --shift;
    }
    encoded[k] = static_cast<int64_t>(turns) * (t < 0.0 ? -1 : 1);
    encoded[n + k] = shift;
  }
  const double multiplier = 1.0 / (*outScale * std::ldexp(1.0, 30)); // Q30 to the output's steps
  if (!(multiplier < 1.0))
    return false;
  auto [mult, shift] = encodeMultiplier(multiplier);
  OpBuilder b(op);
  Value frequencyTable = ConstantOp::create(
      b, op->getLoc(), DenseElementsAttr::get(RankedTensorType::get({2, n}, b.getI64Type()), ArrayRef<int64_t>(encoded)));
  const int32_t qmax = activationQMax(values.bits());
  Value q = IntegerSinusoidOp::create(b, op->getLoc(), activationType(resultType, values.bits()), v, frequencyTable,
                                      b.getI64IntegerAttr(isa<CosOp>(op) ? int64_t(1) << 30 : 0),
                                      b.getI32IntegerAttr(mult), b.getI32IntegerAttr(shift),
                                      b.getSI32IntegerAttr(-qmax), b.getSI32IntegerAttr(qmax));
  values.replaceWithInteger(op->getResult(0), q, *outScale);
  return true;
}

/// Attention over int8 heads: logits in steps of 1/128 (coarser when one unit of q . k is more), an exp table
/// down to where it rounds to 0, a constant mask as steps (-inf at -2^24), one per batch when they differ.
bool convertAttention(AttentionOp op, Values &values) {
  auto qt = cast<RankedTensorType>(op.getQuery().getType()), kt = cast<RankedTensorType>(op.getKey().getType());
  auto vt = cast<RankedTensorType>(op.getValue().getType());
  if (qt.getRank() != 4 || !qt.hasStaticShape() || !kt.hasStaticShape() || !vt.hasStaticShape())
    return false;
  const int64_t Sq = qt.getDimSize(2), Sk = kt.getDimSize(2);
  if (Sk < 1 || Sk > 32768)
    return false;
  const int64_t B = qt.getDimSize(0);
  std::optional<std::vector<float>> mask;
  int64_t maskBatch = 1; // the mask's batches: 1, or B when they differ
  if (Value m = op.getMask()) { // a constant that varies over the batch and the last two axes only
    auto mt = cast<RankedTensorType>(m.getType());
    mask = floatValues(m);
    if (!mask || mt.getRank() < 1 || mt.getRank() > 4 || !mt.hasStaticShape())
      return false;
    for (int64_t d = 0; d + 2 < mt.getRank(); ++d)
      if (mt.getDimSize(d) != 1 && !(d == 0 && mt.getRank() == 4 && mt.getDimSize(0) == B))
        return false;
    if (mt.getRank() == 4 && mt.getDimSize(0) == B && B > 1) {
      const size_t per = mask->size() / static_cast<size_t>(B);
      for (size_t k = per; k < mask->size() && maskBatch == 1; ++k)
        if (std::memcmp(&(*mask)[k], &(*mask)[k % per], sizeof(float)) != 0)
          maskBatch = B;
      if (maskBatch == 1)
        mask->resize(per);
    }
  }
  std::optional<double> outScale = values.scaleOf(op.getResult());
  if (!outScale)
    return false;
  auto q = values.integer(op.getQuery()), k = values.integer(op.getKey()), v = values.integer(op.getValue());
  if (!q || !k || !v)
    return false;
  const double unit = q->second * k->second * op.getScale().convertToDouble(); // one unit of q . k
  if (!(unit > 0.0))
    return false;
  const double step = std::max(1.0 / 128.0, unit * (1.0 + 1.0 / 16384.0));
  auto [logitMult, logitShift] = encodeMultiplier(unit / step);
  // exp(-distance * step) * 2^16 while it rounds above 0.
  std::vector<int32_t> table;
  for (int64_t d = 0; d < (int64_t(1) << 20); ++d) {
    const double e = std::nearbyint(65536.0 * std::exp(-static_cast<double>(d) * step));
    table.push_back(static_cast<int32_t>(e));
    if (e == 0.0)
      break;
  }
  std::vector<int32_t> steps;
  if (mask) {
    auto mt = cast<RankedTensorType>(op.getMask().getType());
    const int64_t rows = mt.getRank() >= 2 ? mt.getDimSize(mt.getRank() - 2) : 1, cols = mt.getDimSize(mt.getRank() - 1);
    if ((rows != 1 && rows != Sq) || (cols != 1 && cols != Sk))
      return false;
    const double limit = std::ldexp(1.0, 24);
    for (int64_t b = 0; b < maskBatch; ++b)
      for (int64_t i = 0; i < Sq; ++i)
        for (int64_t j = 0; j < Sk; ++j) {
          const double x = (*mask)[(b * rows + (rows == 1 ? 0 : i)) * cols + (cols == 1 ? 0 : j)];
          if (std::isnan(x))
            return false;
          steps.push_back(static_cast<int32_t>(std::max(-limit, std::min(limit, std::nearbyint(x / step)))));
        }
  }
  // The output: sum of Q15 weights times v, to the output's scale.
  double scale = *outScale;
  if (v->second / (scale * 32768.0) >= 1.0 - 1.0 / 65536.0)
    scale = v->second / 32768.0 * (1.0 + 1.0 / 16384.0);
  auto [outMult, outShift] = encodeMultiplier(v->second / (scale * 32768.0));
  OpBuilder b(op);
  Value maskValue;
  if (mask)
    maskValue = maskBatch == 1 ? int32Constant(b, op.getLoc(), {Sq, Sk}, steps)
                               : int32Constant(b, op.getLoc(), {maskBatch, Sq, Sk}, steps);
  Value tableValue = int32Constant(b, op.getLoc(), {static_cast<int64_t>(table.size())}, table);
  const int32_t qmax = activationQMax(values.bits());
  Value o = IntegerAttentionOp::create(b, op.getLoc(), activationType(op.getType(), values.bits()), q->first, k->first,
                                       v->first, tableValue, maskValue, b.getI32IntegerAttr(logitMult),
                                       b.getI32IntegerAttr(logitShift), b.getI32IntegerAttr(outMult),
                                       b.getI32IntegerAttr(outShift), b.getSI32IntegerAttr(-qmax),
                                       b.getSI32IntegerAttr(qmax));
  values.replaceWithInteger(op.getResult(), o, scale);
  return true;
}

} // namespace mote::integer
