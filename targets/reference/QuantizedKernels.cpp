// Reference kernels of the quantized phase's integer products: a matmul or gemm marked
// `mote.lhs_quantization = "int8_per_row"` (the w4a8 scheme) computed with the exact arithmetic device kernels
// must reproduce (runtime/neon/GemmI8.h): each row of the left operand quantized to int8 with the scale
// max|x| / 127, int32 sums per scale group of the weight's integers, then
//   int8 weight (one scale per column):   y = fma(float(acc), sa * sb[n], bias)
//   int4 weight (one scale per group):    t = fma(float(acc_g), sb[g][n], t) over the groups in order,
//                                         y = fma(t, sa, bias)
// in f32, bias = the gemm's C row (or 0). The weights' integers and scales come from the mote.dequantize that
// gives the right operand.
//
// `mote.lhs_quantization = "int8_per_tensor"` (the w8a8 scheme) on a matmul, gemm or group-1 convolution over an
// int8 weight with per-output-channel scales: every value of the left operand quantized with the op's one
// `mote.lhs_scale` sa, qa = clamp(rne(x / sa), -127, 127) (f32 division; NaN: 0), the int32 sums of products
// (a convolution's over its window, zero padding), y = fma(float(acc), sa * sb[n], bias[n]) in f32.
// "int16_per_tensor" (w8a16) likewise with qa in [-32767, 32767] and exact (int64) sums, float(acc) rounding
// the exact sum once (runtime/neon/GemmI16.h).
#include "targets/reference/Kernels.h"

#include <algorithm>
#include <cmath>
#include <optional>

using namespace mlir;

namespace mote::reference {
namespace {

/// The row quantization: returns sa, writes q.
float quantizeRow(const double *x, int64_t K, std::vector<int32_t> &q) {
  float m = 0.0f;
  for (int64_t k = 0; k < K; ++k) {
    const float a = std::fabs(static_cast<float>(x[k]));
    m = (a > m || std::isnan(a)) ? a : m;
  }
  const float s = m / 127.0f;
  q.assign(static_cast<size_t>(K), 0);
  if (s > 0.0f)
    for (int64_t k = 0; k < K; ++k) {
      const float v = std::nearbyint(static_cast<float>(x[k]) / s);
      q[static_cast<size_t>(k)] = std::isnan(v) ? 0 : static_cast<int32_t>(v);
    }
  return s;
}

/// The per-tensor quantization of one value to [-qmax, qmax].
int32_t quantizeValue(double x, float scale, float qmax) {
  const float v = std::nearbyint(static_cast<float>(x) / scale);
  if (std::isnan(v))
    return 0;
  return static_cast<int32_t>(std::min(qmax, std::max(-qmax, v)));
}

/// One scale for every value of the left operand: sa and the values' bound.
struct TensorQuantization {
  float scale, qmax;
};

/// The integer product of rows [M, K] (row-major in `a`) with the weight `w` ([K, N], or [N, K] when
/// `transposed`) given by `dequantize`, plus `bias` (N values, or none), into `out` [M, N].
LogicalResult integerProduct(Operation *op, const Tensor &a, int64_t M, int64_t K, int64_t N, bool transposed,
                             DequantizeOp dequantize, const Tensor *bias, Tensor &out,
                             std::optional<TensorQuantization> tensorScale) {
  if (!dequantize)
    return op->emitError("mote.lhs_quantization: the reference target needs the weight's mote.dequantize in the "
                         "same block (run it before fusion)");
  auto qConstant = dequantize.getInput().getDefiningOp<ConstantOp>();
  auto sConstant = dequantize.getScale().getDefiningOp<ConstantOp>();
  if (!qConstant || !sConstant)
    return op->emitError("mote.lhs_quantization: the weight's integers and scales must be constants");
  FailureOr<Tensor> q = fromElements(qConstant.getValue()), scale = fromElements(sConstant.getValue());
  if (failed(q) || failed(scale))
    return op->emitError("mote.lhs_quantization: the reference target cannot read the weight's constants");
  const int64_t kAxis = transposed ? 1 : 0, nAxis = 1 - kAxis;
  const std::optional<int64_t> block = dequantize.getBlockSize();
  if (dequantize.getAxis() != (block ? kAxis : nAxis))
    return op->emitError("mote.lhs_quantization: the weight's scales must run along ")
           << (block ? "its reduction axis (blocks)" : "its output channels");
  const int64_t B = block ? *block : K, groups = (K + B - 1) / B;
  auto qAt = [&](int64_t k, int64_t n) { return q->i[static_cast<size_t>(transposed ? n * K + k : k * N + n)]; };
  auto scaleAt = [&](int64_t g, int64_t n) {
    if (!block)
      return static_cast<float>(scale->f[static_cast<size_t>(n)]);
    return static_cast<float>(scale->f[static_cast<size_t>(transposed ? n * groups + g : g * N + n)]);
  };
  std::vector<int32_t> qa;
  for (int64_t m = 0; m < M; ++m) {
    float sa;
    if (tensorScale) {
      sa = tensorScale->scale;
      qa.resize(static_cast<size_t>(K));
      for (int64_t k = 0; k < K; ++k)
        qa[static_cast<size_t>(k)] = quantizeValue(a.f[static_cast<size_t>(m * K + k)], sa, tensorScale->qmax);
    } else {
      sa = quantizeRow(a.f.data() + m * K, K, qa);
    }
    for (int64_t n = 0; n < N; ++n) {
      const float b = bias ? static_cast<float>(bias->f[static_cast<size_t>(n)]) : 0.0f;
      float y;
      if (!block) {
        int64_t acc = 0; // exact: int32 for int8 rows (K <= 133143), beyond for int16
        for (int64_t k = 0; k < K; ++k)
          acc += static_cast<int64_t>(qa[static_cast<size_t>(k)]) * qAt(k, n);
        const float s = sa * scaleAt(0, n);
        y = std::fmaf(static_cast<float>(acc), s, b);
      } else {
        float t = 0.0f;
        for (int64_t g = 0; g < groups; ++g) {
          int32_t acc = 0;
          for (int64_t k = g * B; k < K && k < (g + 1) * B; ++k)
            acc += qa[static_cast<size_t>(k)] * static_cast<int32_t>(qAt(k, n));
          t = std::fmaf(static_cast<float>(acc), scaleAt(g, n), t);
        }
        y = std::fmaf(t, sa, b);
      }
      out.set(m * N + n, static_cast<double>(y));
    }
  }
  return success();
}

/// A group-1 convolution (NCHW: the interpreter runs a channels_last one as its NCHW twin) with its input
/// quantized per tensor: the integer sums are the reference convolution of the integers (exact in double).
Results integerConvolution(ConvOp c, const Tensor &x, const Tensor *bias, TensorQuantization tq) {
  const float sa = tq.scale;
  auto dequantize = c.getWeight().getDefiningOp<DequantizeOp>();
  if (!dequantize)
    return c.emitError("mote.lhs_quantization: the reference target needs the weight's mote.dequantize in the "
                       "same block (run it before fusion)");
  auto qConstant = dequantize.getInput().getDefiningOp<ConstantOp>();
  auto sConstant = dequantize.getScale().getDefiningOp<ConstantOp>();
  if (!qConstant || !sConstant)
    return c.emitError("mote.lhs_quantization: the weight's integers and scales must be constants");
  FailureOr<Tensor> q = fromElements(qConstant.getValue()), scale = fromElements(sConstant.getValue());
  if (failed(q) || failed(scale))
    return c.emitError("mote.lhs_quantization: the reference target cannot read the weight's constants");
  Tensor qx = Tensor::zeros(x.shape, x.elementType), qw = Tensor::zeros(q->shape, x.elementType);
  for (int64_t k = 0, n = x.size(); k < n; ++k)
    qx.f[static_cast<size_t>(k)] = quantizeValue(x.f[static_cast<size_t>(k)], sa, tq.qmax);
  for (int64_t k = 0, n = q->size(); k < n; ++k)
    qw.f[static_cast<size_t>(k)] = static_cast<double>(q->i[static_cast<size_t>(k)]);
  // float(acc): the exact sum rounded once to f32 (the result type), as the int32 -> f32 conversion rounds it.
  std::optional<Results> sums = runNeural(c, {&qx, &qw});
  if (!sums || failed(*sums))
    return c.emitError("mote.lhs_quantization: the reference convolution of the integers failed");
  Tensor out = std::move((**sums)[0]);
  const int64_t cout = out.shape[1], plane = out.size() / (out.shape[0] * cout);
  for (int64_t k = 0, n = out.size(); k < n; ++k) {
    const int64_t oc = (k / plane) % cout;
    const float s = sa * static_cast<float>(scale->f[static_cast<size_t>(oc)]);
    const float b = bias ? static_cast<float>(bias->f[static_cast<size_t>(oc)]) : 0.0f;
    out.set(k, static_cast<double>(std::fmaf(static_cast<float>(out.f[static_cast<size_t>(k)]), s, b)));
  }
  return single(std::move(out));
}

} // namespace

std::optional<Results> runQuantized(Operation *op, Operands in) {
  auto mode = op->getAttrOfType<StringAttr>(kLhsQuantizationAttrName);
  if (!mode)
    return std::nullopt;
  std::optional<TensorQuantization> tensorScale;
  if (mode.getValue() == kLhsQuantizationInt8PerTensor || mode.getValue() == kLhsQuantizationInt16PerTensor) {
    auto scale = op->getAttrOfType<FloatAttr>(kLhsScaleAttrName);
    if (!scale)
      return Results(op->emitError("mote.lhs_quantization = ") << mode << " needs mote.lhs_scale");
    tensorScale = TensorQuantization{static_cast<float>(scale.getValueAsDouble()),
                                     mode.getValue() == kLhsQuantizationInt16PerTensor ? 32767.0f : 127.0f};
  }
  if (auto c = dyn_cast<ConvOp>(op)) {
    if (!tensorScale)
      return Results(op->emitError("mote.lhs_quantization: a convolution's input is quantized per tensor only"));
    return integerConvolution(c, *in[0], in.size() > 2 ? in[2] : nullptr, *tensorScale);
  }
  Tensor out = resultTensor(op);
  if (auto m = dyn_cast<MatMulOp>(op)) { // rows of any rank against a 2-D weight [K, N]
    const Tensor &a = *in[0];
    const int64_t K = a.shape.back(), N = in[1]->shape[1], M = a.size() / (K > 0 ? K : 1);
    if (failed(integerProduct(op, a, M, K, N, false, m.getRhs().getDefiningOp<DequantizeOp>(), nullptr, out,
                              tensorScale)))
      return Results(failure());
    return single(std::move(out));
  }
  auto g = cast<GemmOp>(op);
  const Tensor *c = in.size() > 2 ? in[2] : nullptr;
  if (!g.getAlpha().isExactlyValue(1.0) || (c && (!g.getBeta().isExactlyValue(1.0) || c->size() != out.shape[1])))
    return Results(op->emitError("mote.lhs_quantization: a gemm needs alpha = 1 and no C or a bias row with beta = 1"));
  const int64_t M = in[0]->shape[0], K = in[0]->shape[1], N = out.shape[1];
  if (failed(integerProduct(op, *in[0], M, K, N, g.getTransB(), g.getB().getDefiningOp<DequantizeOp>(), c, out,
                            tensorScale)))
    return Results(failure());
  return single(std::move(out));
}

} // namespace mote::reference
