// NEON op kernels: elementwise binary, comparison, select, unary and activation ops, casts and f16 conversion.
#include "runtime/neon/OpsSupport.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

template <class T, class Op>
void binaryLoop(int rank, const int64_t *shape, const T *a, const int64_t *as, const T *b, const int64_t *bs, T *out,
                Op op) {
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[3] = {as, bs, os};
  forEachIndex<3>(rank, shape, strides, [&](const int64_t *o) { out[o[2]] = op(a[o[0]], b[o[1]]); });
}

template <class T>
void binaryT(Binary op, int rank, const int64_t *shape, const T *a, const int64_t *as, const T *b, const int64_t *bs,
             T *out) {
  switch (op) {
  case Binary::Add:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return x + y; });
  case Binary::Sub:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return x - y; });
  case Binary::Mul:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return x * y; });
  case Binary::Div:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return y == T(0) && !std::is_floating_point<T>::value ? T(0) : T(x / y); });
  case Binary::Pow:
    return binaryLoop(rank, shape, a, as, b, bs, out,
                      [](T x, T y) { return static_cast<T>(std::pow(static_cast<double>(x), static_cast<double>(y))); });
  case Binary::Min:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return y < x ? y : x; });
  case Binary::Max:
    return binaryLoop(rank, shape, a, as, b, bs, out, [](T x, T y) { return y > x ? y : x; });
  }
}

template <class T>
void compareT(Compare op, int rank, const int64_t *shape, const T *a, const int64_t *as, const T *b, const int64_t *bs,
              uint8_t *out) {
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[3] = {as, bs, os};
  forEachIndex<3>(rank, shape, strides, [&](const int64_t *o) {
    T x = a[o[0]], y = b[o[1]];
    bool r = false;
    switch (op) {
    case Compare::Equal: r = x == y; break;
    case Compare::Less: r = x < y; break;
    case Compare::Greater: r = x > y; break;
    case Compare::LessEqual: r = x <= y; break;
    case Compare::GreaterEqual: r = x >= y; break;
    case Compare::And: r = (x != T(0)) && (y != T(0)); break;
    case Compare::Or: r = (x != T(0)) || (y != T(0)); break;
    }
    out[o[2]] = r ? 1 : 0;
  });
}

#if defined(MOTE_NEON_FAST)
// Returns true when handled: a contiguous (stride 1) or scalar-broadcast (stride 0) innermost dimension for
// both operands; outer dimensions walked with forEachIndex.
template <class Op, class VOp>
bool binaryRowsF32(int rank, const int64_t *shape, const float *a, const int64_t *as, const float *b,
                   const int64_t *bs, float *out, Op op, VOp vop) {
  if (rank < 1)
    return false;
  const int64_t inner = shape[rank - 1];
  const int64_t sa = as[rank - 1], sb = bs[rank - 1];
  if ((sa != 0 && sa != 1) || (sb != 0 && sb != 1) || inner < 4)
    return false;
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[3] = {as, bs, os};
  forEachIndex<3>(rank - 1, shape, strides, [&](const int64_t *o) {
    const float *pa = a + o[0], *pb = b + o[1];
    float *po = out + o[2];
    int64_t i = 0;
    if (sa == 1 && sb == 1) {
      for (; i + 4 <= inner; i += 4)
        vst1q_f32(po + i, vop(vld1q_f32(pa + i), vld1q_f32(pb + i)));
    } else if (sa == 1) {
      const float32x4_t vb = vdupq_n_f32(pb[0]);
      for (; i + 4 <= inner; i += 4)
        vst1q_f32(po + i, vop(vld1q_f32(pa + i), vb));
    } else if (sb == 1) {
      const float32x4_t va = vdupq_n_f32(pa[0]);
      for (; i + 4 <= inner; i += 4)
        vst1q_f32(po + i, vop(va, vld1q_f32(pb + i)));
    } else {
      const float32x4_t v = vop(vdupq_n_f32(pa[0]), vdupq_n_f32(pb[0]));
      for (; i + 4 <= inner; i += 4)
        vst1q_f32(po + i, v);
    }
    for (; i < inner; ++i)
      po[i] = op(pa[i * sa], pb[i * sb]);
  });
  return true;
}
#endif

} // namespace

void binaryF32(Binary op, int rank, const int64_t *shape, const float *a, const int64_t *as, const float *b,
               const int64_t *bs, float *out) {
#if defined(MOTE_NEON_FAST)
  switch (op) {
  case Binary::Add:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return x + y; },
                      [](float32x4_t x, float32x4_t y) { return vaddq_f32(x, y); }))
      return;
    break;
  case Binary::Sub:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return x - y; },
                      [](float32x4_t x, float32x4_t y) { return vsubq_f32(x, y); }))
      return;
    break;
  case Binary::Mul:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return x * y; },
                      [](float32x4_t x, float32x4_t y) { return vmulq_f32(x, y); }))
      return;
    break;
  case Binary::Div:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return x / y; },
                      [](float32x4_t x, float32x4_t y) { return vdivq_f32(x, y); }))
      return;
    break;
  case Binary::Min:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return y < x ? y : x; },
                      [](float32x4_t x, float32x4_t y) { return vbslq_f32(vcltq_f32(y, x), y, x); }))
      return;
    break;
  case Binary::Max:
    if (binaryRowsF32(rank, shape, a, as, b, bs, out, [](float x, float y) { return y > x ? y : x; },
                      [](float32x4_t x, float32x4_t y) { return vbslq_f32(vcgtq_f32(y, x), y, x); }))
      return;
    break;
  default:
    break;
  }
#endif
  binaryT<float>(op, rank, shape, a, as, b, bs, out);
}

void binaryI64(Binary op, int rank, const int64_t *shape, const int64_t *a, const int64_t *as, const int64_t *b,
               const int64_t *bs, int64_t *out) {
  binaryT<int64_t>(op, rank, shape, a, as, b, bs, out);
}

void compare(Compare op, DType type, int rank, const int64_t *shape, const void *a, const int64_t *as, const void *b,
             const int64_t *bs, uint8_t *out) {
  switch (type) {
  case DType::F32:
    return compareT(op, rank, shape, static_cast<const float *>(a), as, static_cast<const float *>(b), bs, out);
  case DType::I64:
    return compareT(op, rank, shape, static_cast<const int64_t *>(a), as, static_cast<const int64_t *>(b), bs, out);
  case DType::I32:
    return compareT(op, rank, shape, static_cast<const int32_t *>(a), as, static_cast<const int32_t *>(b), bs, out);
  case DType::Bool:
    return compareT(op, rank, shape, static_cast<const uint8_t *>(a), as, static_cast<const uint8_t *>(b), bs, out);
  }
}

void where(int elemBytes, int rank, const int64_t *shape, const uint8_t *cond, const int64_t *cs, const void *x,
           const int64_t *xs, const void *y, const int64_t *ys, void *out) {
  int64_t os[kMaxRank];
  contiguousStrides(rank, shape, os);
  const int64_t *strides[4] = {cs, xs, ys, os};
  const unsigned char *xb = static_cast<const unsigned char *>(x), *yb = static_cast<const unsigned char *>(y);
  unsigned char *ob = static_cast<unsigned char *>(out);
  forEachIndex<4>(rank, shape, strides, [&](const int64_t *o) {
    const unsigned char *src = cond[o[0]] ? xb + o[1] * elemBytes : yb + o[2] * elemBytes;
    std::memmove(ob + o[3] * elemBytes, src, static_cast<size_t>(elemBytes));
  });
}

void unaryF32(Unary op, int64_t n, const float *in, float *out, float alpha, float beta) {
  int64_t i0 = 0;
#if defined(MOTE_NEON_FAST)
  {
    int64_t i = 0;
    bool handled = true;
    switch (op) {
    case Unary::Exp:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vexpq(vld1q_f32(in + i)));
      break;
    case Unary::Sigmoid:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vsigmoidq(vld1q_f32(in + i)));
      break;
    case Unary::Silu:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vsiluq(vld1q_f32(in + i)));
      break;
    case Unary::GeluSigmoid:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vgeluSigmoidq(vld1q_f32(in + i)));
      break;
    case Unary::Tanh:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vtanhq(vld1q_f32(in + i)));
      break;
    case Unary::GeluTanh:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vgeluTanhq(vld1q_f32(in + i)));
      break;
    case Unary::GeluErf:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vgeluErfq(vld1q_f32(in + i)));
      break;
    case Unary::Relu:
      for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(in + i);
        vst1q_f32(out + i, vbslq_f32(vcgtq_f32(x, vdupq_n_f32(0.0f)), x, vdupq_n_f32(0.0f)));
      }
      break;
    default:
      handled = false;
      break;
    }
    if (handled)
      i0 = i;
  }
#endif
  for (int64_t i = i0; i < n; ++i) {
    float x = in[i], y = x;
    switch (op) {
    case Unary::Sqrt: y = std::sqrt(x); break;
    case Unary::Exp: y = std::exp(x); break;
    case Unary::Log: y = std::log(x); break;
    case Unary::Erf: y = std::erf(x); break;
    case Unary::Tanh: y = std::tanh(x); break;
    case Unary::Sigmoid: y = sigmoid(x); break;
    case Unary::Relu: y = x > 0.0f ? x : 0.0f; break;
    case Unary::Neg: y = -x; break;
    case Unary::Abs: y = std::fabs(x); break;
    case Unary::Reciprocal: y = 1.0f / x; break;
    case Unary::Sin: y = std::sin(x); break;
    case Unary::Cos: y = std::cos(x); break;
    case Unary::Not: y = x == 0.0f ? 1.0f : 0.0f; break;
    case Unary::Silu: y = x * sigmoid(x); break;
    case Unary::GeluErf: y = 0.5f * x * (1.0f + std::erf(x * 0.7071067811865476f)); break;
    case Unary::GeluTanh: y = geluTanh(x); break;
    case Unary::GeluSigmoid: y = x * sigmoid(1.702f * x); break;
    case Unary::HardSigmoid: {
      float t = alpha * x + beta;
      y = t < 0.0f ? 0.0f : (t > 1.0f ? 1.0f : t);
      break;
    }
    case Unary::LeakyRelu: y = x >= 0.0f ? x : alpha * x; break;
    case Unary::Clip: y = x < alpha ? alpha : (x > beta ? beta : x); break;
    }
    out[i] = y;
  }
}

void unaryI64(Unary op, int64_t n, const int64_t *in, int64_t *out, double alpha, double beta) {
  for (int64_t i = 0; i < n; ++i) {
    int64_t x = in[i], y = x;
    switch (op) {
    case Unary::Neg: y = -x; break;
    case Unary::Abs: y = x < 0 ? -x : x; break;
    case Unary::Relu: y = x > 0 ? x : 0; break;
    case Unary::Clip: {
      double d = static_cast<double>(x);
      y = d < alpha ? static_cast<int64_t>(alpha) : (d > beta ? static_cast<int64_t>(beta) : x);
      break;
    }
    default: break;
    }
    out[i] = y;
  }
}

void unaryBool(Unary op, int64_t n, const uint8_t *in, uint8_t *out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = op == Unary::Not ? (in[i] ? 0 : 1) : in[i];
}

void cast(int64_t n, DType from, const void *in, DType to, void *out) {
  // Element by element through a temporary, so in-place conversions of equal width are safe.
  for (int64_t i = 0; i < n; ++i) {
    switch (to) {
    case DType::F32: {
      float v = from == DType::F32 ? static_cast<const float *>(in)[i] : static_cast<float>(readAs(from, in, i));
      if (from == DType::I64)
        v = static_cast<float>(static_cast<const int64_t *>(in)[i]);
      static_cast<float *>(out)[i] = v;
      break;
    }
    case DType::I64: {
      int64_t v = readInt(from, in, i);
      static_cast<int64_t *>(out)[i] = v;
      break;
    }
    case DType::I32: {
      int32_t v = static_cast<int32_t>(readInt(from, in, i));
      static_cast<int32_t *>(out)[i] = v;
      break;
    }
    case DType::Bool: {
      uint8_t v = readAs(from, in, i) != 0.0 ? 1 : 0;
      static_cast<uint8_t *>(out)[i] = v;
      break;
    }
    }
  }
}

void f16ToF32(int64_t n, const void *in, float *out) {
  const __fp16 *p = static_cast<const __fp16 *>(in);
  int64_t i = 0;
#if defined(MOTE_NEON_FAST)
  const float16_t *h = static_cast<const float16_t *>(in);
  for (; i + 32 <= n; i += 32) { // 4 vectors a load and two 4-register stores: 13 instructions per 32
    const float16x8x4_t v = vld1q_f16_x4(h + i);
    // (Locals, not braced temporaries: clang's vst1q_f32_x4 is a macro, whose arguments cannot hold commas.)
    const float32x4x4_t lo = {{vcvt_f32_f16(vget_low_f16(v.val[0])), vcvt_high_f32_f16(v.val[0]),
                               vcvt_f32_f16(vget_low_f16(v.val[1])), vcvt_high_f32_f16(v.val[1])}};
    const float32x4x4_t hi = {{vcvt_f32_f16(vget_low_f16(v.val[2])), vcvt_high_f32_f16(v.val[2]),
                               vcvt_f32_f16(vget_low_f16(v.val[3])), vcvt_high_f32_f16(v.val[3])}};
    vst1q_f32_x4(out + i, lo);
    vst1q_f32_x4(out + i + 16, hi);
  }
  for (; i + 8 <= n; i += 8) {
    const float16x8_t v = vld1q_f16(h + i);
    vst1q_f32(out + i, vcvt_f32_f16(vget_low_f16(v)));
    vst1q_f32(out + i + 4, vcvt_high_f32_f16(v));
  }
#endif
  for (; i < n; ++i)
    out[i] = static_cast<float>(p[i]);
}

void f32ToF16(int64_t n, const float *in, void *out) {
  __fp16 *p = static_cast<__fp16 *>(out);
  // Saturating: out-of-range values (and infinities, e.g. of masks) become +-65504, the largest half; NaN
  // stays NaN.
  int64_t i = 0;
#if defined(MOTE_NEON_FAST)
  float16_t *h = static_cast<float16_t *>(out);
  const float32x4_t hi = vdupq_n_f32(65504.0f), lo = vdupq_n_f32(-65504.0f);
  auto clamp = [&](float32x4_t v) { return vmaxq_f32(vminq_f32(v, hi), lo); };
  for (; i + 32 <= n; i += 32) { // 4-register loads and one 4-register store
    const float32x4x4_t a = vld1q_f32_x4(in + i), b = vld1q_f32_x4(in + i + 16);
    const float16x8x4_t r = {{vcvt_high_f16_f32(vcvt_f16_f32(clamp(a.val[0])), clamp(a.val[1])),
                              vcvt_high_f16_f32(vcvt_f16_f32(clamp(a.val[2])), clamp(a.val[3])),
                              vcvt_high_f16_f32(vcvt_f16_f32(clamp(b.val[0])), clamp(b.val[1])),
                              vcvt_high_f16_f32(vcvt_f16_f32(clamp(b.val[2])), clamp(b.val[3]))}};
    vst1q_f16_x4(h + i, r);
  }
  for (; i + 8 <= n; i += 8) {
    const float32x4_t a = vmaxq_f32(vminq_f32(vld1q_f32(in + i), hi), lo);
    const float32x4_t b = vmaxq_f32(vminq_f32(vld1q_f32(in + i + 4), hi), lo);
    vst1q_f16(h + i, vcvt_high_f16_f32(vcvt_f16_f32(a), b));
  }
#endif
  for (; i < n; ++i) {
    float v = in[i];
    v = v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v;
    p[i] = static_cast<__fp16>(v);
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
