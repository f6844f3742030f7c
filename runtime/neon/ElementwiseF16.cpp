// NEON op kernels on f16 storage: binary ops in f16 arithmetic (`.8h`) where the innermost dimension is
// contiguous or broadcast, the sigmoid family and the GELUs in f16 arithmetic (VectorMathF16.h), the other unary
// ops computed in f32 on blocks widened in cache (the f32 kernels' vector exp/log/erf), every other case
// through f32 per element.
#include "runtime/neon/OpsSupport.h"
#include "runtime/neon/VectorMathF16.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

float applyBinary(Binary op, float x, float y) {
  switch (op) {
  case Binary::Add:
    return x + y;
  case Binary::Sub:
    return x - y;
  case Binary::Mul:
    return x * y;
  case Binary::Div:
    return x / y;
  case Binary::Pow:
    return std::pow(x, y);
  case Binary::Min:
    return y < x ? y : x;
  case Binary::Max:
    return y > x ? y : x;
  }
  return 0.0f;
}

/// Saturating f32 -> f16 of one value (as f32ToF16).
__fp16 toHalf(float v) { return static_cast<__fp16>(v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v); }

#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
/// out = a op b over rows whose innermost dim is contiguous (stride 1) or broadcast (stride 0) in each operand.
template <class VOp>
bool binaryRowsF16(Binary op, int rank, const int64_t *shape, const __fp16 *a, const int64_t *as, const __fp16 *b,
                   const int64_t *bs, __fp16 *out, VOp vop) {
  if (rank < 1)
    return false;
  const int64_t inner = shape[rank - 1], sa = as[rank - 1], sb = bs[rank - 1];
  if ((sa != 0 && sa != 1) || (sb != 0 && sb != 1) || inner < 8)
    return false;
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[3] = {as, bs, os};
  forEachIndex<3>(rank - 1, shape, strides, [&](const int64_t *o) {
    const float16_t *pa = reinterpret_cast<const float16_t *>(a + o[0]);
    const float16_t *pb = reinterpret_cast<const float16_t *>(b + o[1]);
    float16_t *po = reinterpret_cast<float16_t *>(out + o[2]);
    const float16x8_t va = vdupq_n_f16(pa[0]), vb = vdupq_n_f16(pb[0]);
    int64_t i = 0;
    for (; i + 8 <= inner; i += 8)
      vst1q_f16(po + i, vop(sa ? vld1q_f16(pa + i) : va, sb ? vld1q_f16(pb + i) : vb));
    for (; i < inner; ++i)
      out[o[2] + i] = toHalf(applyBinary(op, static_cast<float>(a[o[0] + i * sa]), static_cast<float>(b[o[1] + i * sb])));
  });
  return true;
}

/// out = f(in) over n halves, 8 at a time (a partial last vector through a zero-padded copy).
template <class F>
void unaryRowsF16(int64_t n, const __fp16 *in, __fp16 *out, F f) {
  const float16_t *x = reinterpret_cast<const float16_t *>(in);
  float16_t *y = reinterpret_cast<float16_t *>(out);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8)
    vst1q_f16(y + i, f(vld1q_f16(x + i)));
  if (i < n) {
    float16_t t[8] = {};
    for (int64_t j = i; j < n; ++j)
      t[j - i] = x[j];
    const float16x8_t r = f(vld1q_f16(t));
    vst1q_f16(t, r);
    for (int64_t j = i; j < n; ++j)
      y[j] = t[j - i];
  }
}
#endif

} // namespace

void binaryF16(Binary op, int rank, const int64_t *shape, const __fp16 *a, const int64_t *as, const __fp16 *b,
               const int64_t *bs, __fp16 *out) {
#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
  switch (op) {
  case Binary::Add:
    if (binaryRowsF16(op, rank, shape, a, as, b, bs, out, [](float16x8_t x, float16x8_t y) { return vaddq_f16(x, y); }))
      return;
    break;
  case Binary::Sub:
    if (binaryRowsF16(op, rank, shape, a, as, b, bs, out, [](float16x8_t x, float16x8_t y) { return vsubq_f16(x, y); }))
      return;
    break;
  case Binary::Mul:
    if (binaryRowsF16(op, rank, shape, a, as, b, bs, out, [](float16x8_t x, float16x8_t y) { return vmulq_f16(x, y); }))
      return;
    break;
  case Binary::Min:
    if (binaryRowsF16(op, rank, shape, a, as, b, bs, out,
                      [](float16x8_t x, float16x8_t y) { return vbslq_f16(vcltq_f16(y, x), y, x); }))
      return;
    break;
  case Binary::Max:
    if (binaryRowsF16(op, rank, shape, a, as, b, bs, out,
                      [](float16x8_t x, float16x8_t y) { return vbslq_f16(vcgtq_f16(y, x), y, x); }))
      return;
    break;
  default: // Div and Pow: in f32 below
    break;
  }
#endif
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[3] = {as, bs, os};
  forEachIndex<3>(rank, shape, strides, [&](const int64_t *o) {
    out[o[2]] = toHalf(applyBinary(op, static_cast<float>(a[o[0]]), static_cast<float>(b[o[1]])));
  });
}

namespace support {
void unaryBlockF16(Unary op, int64_t n, const __fp16 *in, __fp16 *out, float alpha, float beta) {
#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
  // The sigmoid family in f16 arithmetic (VectorMathF16.h: what the f16 GEMM epilogue computes too).
  switch (op) {
  case Unary::Sigmoid:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vsigmoidF16(x); });
  case Unary::Tanh:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vtanhF16(x); });
  case Unary::Silu:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vsiluF16(x); });
  case Unary::GeluTanh:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vgeluTanhF16(x); });
  case Unary::GeluSigmoid:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vgeluSigmoidF16(x); });
  case Unary::GeluErf:
    return unaryRowsF16(n, in, out, [](float16x8_t x) { return vgeluErfF16(x); });
  default:
    break;
  }
#endif
  // Widened into the cache 256 at a time, the f32 kernel (vector exp, log, erf ...), narrowed back.
  constexpr int64_t kBlock = 256;
  alignas(64) float x[kBlock], y[kBlock];
  for (int64_t i = 0; i < n; i += kBlock) {
    const int64_t m = n - i < kBlock ? n - i : kBlock;
    f16ToF32(m, in + i, x);
    unaryF32(op, m, x, y, alpha, beta);
    f32ToF16(m, y, out + i);
  }
}
} // namespace support

void unaryF16(Unary op, int64_t n, const __fp16 *in, __fp16 *out, float alpha, float beta) {
  constexpr int64_t kBlock = 256;
  rt::parallelFor(0, (n + kBlock - 1) / kBlock, 16, [&](int64_t b0, int64_t b1) {
    const int64_t end = b1 * kBlock < n ? b1 * kBlock : n;
    unaryBlockF16(op, end - b0 * kBlock, in + b0 * kBlock, out + b0 * kBlock, alpha, beta);
  });
}

} // namespace ops
} // namespace neon
} // namespace mote
