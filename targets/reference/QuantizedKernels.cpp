// Reference kernels of the quantized phase's integer products: a matmul or gemm marked
// `mote.lhs_quantization = "int8_per_row"` (the w4a8 scheme) computed with the exact arithmetic device kernels
// must reproduce (runtime/neon/GemmI8.h): each row of the left operand quantized to int8 with the scale
// max|x| / 127, int32 sums per scale group of the weight's integers, then
//   int8 weight (one scale per column):   y = fma(float(acc), sa * sb[n], bias)
//   int4 weight (one scale per group):    t = fma(float(acc_g), sb[g][n], t) over the groups in order,
//                                         y = fma(t, sa, bias)
// in f32, bias = the gemm's C row (or 0). The weights' integers and scales come from the mote.dequantize that
// gives the right operand.
#include "targets/reference/Kernels.h"

#include <cmath>

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

/// The integer product of rows [M, K] (row-major in `a`) with the weight `w` ([K, N], or [N, K] when
/// `transposed`) given by `dequantize`, plus `bias` (N values, or none), into `out` [M, N].
LogicalResult integerProduct(Operation *op, const Tensor &a, int64_t M, int64_t K, int64_t N, bool transposed,
                             DequantizeOp dequantize, const Tensor *bias, Tensor &out) {
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
    const float sa = quantizeRow(a.f.data() + m * K, K, qa);
    for (int64_t n = 0; n < N; ++n) {
      const float b = bias ? static_cast<float>(bias->f[static_cast<size_t>(n)]) : 0.0f;
      float y;
      if (!block) {
        int32_t acc = 0;
        for (int64_t k = 0; k < K; ++k)
          acc += qa[static_cast<size_t>(k)] * static_cast<int32_t>(qAt(k, n));
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

Results single(Tensor t) {
  SmallVector<Tensor> r;
  r.push_back(std::move(t));
  return r;
}

} // namespace

std::optional<Results> runQuantized(Operation *op, Operands in) {
  if (!op->hasAttr(kLhsQuantizationAttrName))
    return std::nullopt;
  Tensor out = resultTensor(op);
  if (auto m = dyn_cast<MatMulOp>(op)) { // rows of any rank against a 2-D weight [K, N]
    const Tensor &a = *in[0];
    const int64_t K = a.shape.back(), N = in[1]->shape[1], M = a.size() / (K > 0 ? K : 1);
    if (failed(integerProduct(op, a, M, K, N, false, m.getRhs().getDefiningOp<DequantizeOp>(), nullptr, out)))
      return Results(failure());
    return single(std::move(out));
  }
  auto g = cast<GemmOp>(op);
  const Tensor *c = in.size() > 2 ? in[2] : nullptr;
  if (!g.getAlpha().isExactlyValue(1.0) || (c && (!g.getBeta().isExactlyValue(1.0) || c->size() != out.shape[1])))
    return Results(op->emitError("mote.lhs_quantization: a gemm needs alpha = 1 and no C or a bias row with beta = 1"));
  const int64_t M = in[0]->shape[0], K = in[0]->shape[1], N = out.shape[1];
  if (failed(integerProduct(op, *in[0], M, K, N, g.getTransB(), g.getB().getDefiningOp<DequantizeOp>(), c, out)))
    return Results(failure());
  return single(std::move(out));
}

} // namespace mote::reference
