// Portable kernels of the NEON target: direct loops, f32 with double accumulation where statistics are
// taken. See Ops.h for the conventions.
#include "runtime/neon/Ops.h"

#include "runtime/core/ThreadPool.h"

// The optimized AArch64 kernels (Gemm.h, Conv3x3.h) where they apply; portable loops elsewhere and on
// other hosts (define MOTE_NEON_PORTABLE_ONLY to force the loops). conv2d/matmul pack their weights per
// call; the generated program packs constant weights once (packConv2dWeights, packMatmulB) and calls
// conv2dPacked/matmulPacked, which run the same kernels (bit-identical results).
#if defined(__aarch64__) && !defined(MOTE_NEON_PORTABLE_ONLY)
#define MOTE_NEON_FAST 1
#include "runtime/neon/APackers.h"
#include "runtime/neon/Conv3x3.h"
#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/GemmMicrokernel.h"
#include "runtime/neon/Winograd.h"
#include <arm_neon.h>
#endif

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <type_traits>

namespace mote {
namespace neon {
namespace ops {

namespace {

// Calls f(off) for every index of `shape` in row-major order, where off[k] is the element offset of
// operand k (sum of index * strides[k]).
template <int K, class F>
void forEachIndex(int rank, const int64_t *shape, const int64_t *const (&strides)[K], F &&f) {
  int64_t total = 1;
  for (int d = 0; d < rank; ++d)
    total *= shape[d];
  if (total <= 0)
    return;
  int64_t idx[kMaxRank] = {0};
  int64_t off[K] = {0};
  for (int64_t e = 0; e < total; ++e) {
    f(static_cast<const int64_t *>(off));
    for (int d = rank - 1; d >= 0; --d) {
      if (++idx[d] < shape[d]) {
        for (int k = 0; k < K; ++k)
          off[k] += strides[k][d];
        break;
      }
      for (int k = 0; k < K; ++k)
        off[k] -= strides[k][d] * (shape[d] - 1);
      idx[d] = 0;
    }
  }
}

void contiguousStrides(int rank, const int64_t *shape, int64_t *strides) {
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
}

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

template <class T>
void copyT(int rank, const int64_t *shape, const T *in, const int64_t *is, T *out, const int64_t *os) {
  const int64_t *strides[2] = {is, os};
  forEachIndex<2>(rank, shape, strides, [&](const int64_t *o) { out[o[1]] = in[o[0]]; });
}

double readAs(DType t, const void *p, int64_t i) {
  switch (t) {
  case DType::F32: return static_cast<const float *>(p)[i];
  case DType::I64: return static_cast<double>(static_cast<const int64_t *>(p)[i]);
  case DType::I32: return static_cast<const int32_t *>(p)[i];
  case DType::Bool: return static_cast<const uint8_t *>(p)[i];
  }
  return 0;
}

int64_t readInt(DType t, const void *p, int64_t i) {
  switch (t) {
  case DType::F32: return static_cast<int64_t>(static_cast<const float *>(p)[i]);
  case DType::I64: return static_cast<const int64_t *>(p)[i];
  case DType::I32: return static_cast<const int32_t *>(p)[i];
  case DType::Bool: return static_cast<const uint8_t *>(p)[i];
  }
  return 0;
}

float geluTanh(float x) {
  const float c = 0.7978845608028654f; // sqrt(2 / pi)
  return 0.5f * x * (1.0f + std::tanh(c * (x + 0.044715f * x * x * x)));
}

float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

#if defined(MOTE_NEON_FAST)
// ---- NEON helpers for the portable ops ------------------------------------------------------------------

// exp(x), Cephes-style polynomial (about 1-2 ulp); 0 below -88, inf above 88.72, NaN propagates.
inline float32x4_t vexpq(float32x4_t x) {
  const float32x4_t hi = vdupq_n_f32(88.72283935546875f), lo = vdupq_n_f32(-88.0f);
  uint32x4_t under = vcltq_f32(x, lo), over = vcgtq_f32(x, hi);
  float32x4_t xc = vminq_f32(vmaxq_f32(x, lo), hi);
  float32x4_t fn = vrndnq_f32(vmulq_n_f32(xc, 1.44269504088896341f));
  float32x4_t r = vfmsq_f32(xc, fn, vdupq_n_f32(0.693359375f));
  r = vfmsq_f32(r, fn, vdupq_n_f32(-2.12194440e-4f));
  float32x4_t p = vdupq_n_f32(1.9875691500E-4f);
  p = vfmaq_f32(vdupq_n_f32(1.3981999507E-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(8.3334519073E-3f), p, r);
  p = vfmaq_f32(vdupq_n_f32(4.1665795894E-2f), p, r);
  p = vfmaq_f32(vdupq_n_f32(1.6666665459E-1f), p, r);
  p = vfmaq_f32(vdupq_n_f32(5.0000001201E-1f), p, r);
  float32x4_t r2 = vmulq_f32(r, r);
  p = vfmaq_f32(vaddq_f32(r, vdupq_n_f32(1.0f)), p, r2);
  int32x4_t n = vcvtq_s32_f32(fn);
  int32x4_t n1 = vshrq_n_s32(n, 1), n2 = vsubq_s32(n, n1);
  float32x4_t s1 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n1, vdupq_n_s32(127)), 23));
  float32x4_t s2 = vreinterpretq_f32_s32(vshlq_n_s32(vaddq_s32(n2, vdupq_n_s32(127)), 23));
  float32x4_t y = vmulq_f32(vmulq_f32(p, s1), s2);
  y = vbslq_f32(under, vdupq_n_f32(0.0f), y);
  y = vbslq_f32(over, vdupq_n_f32(std::numeric_limits<float>::infinity()), y);
  return y;
}

inline float vexp1(float x) { return vgetq_lane_f32(vexpq(vdupq_n_f32(x)), 0); }

// x / (1 + exp(-k x)): sigmoid (x = 1 as numerator), silu, gelu approximations.
inline float32x4_t vsigmoidq(float32x4_t x) {
  return vdivq_f32(vdupq_n_f32(1.0f), vaddq_f32(vdupq_n_f32(1.0f), vexpq(vnegq_f32(x))));
}

inline float32x4_t vtanhq(float32x4_t x) {
  // sign(x) * (1 - e) / (1 + e), e = exp(-2|x|).
  float32x4_t e = vexpq(vmulq_n_f32(vabsq_f32(x), -2.0f));
  float32x4_t one = vdupq_n_f32(1.0f);
  float32x4_t t = vdivq_f32(vsubq_f32(one, e), vaddq_f32(one, e));
  uint32x4_t sign = vandq_u32(vreinterpretq_u32_f32(x), vdupq_n_u32(0x80000000u));
  return vreinterpretq_f32_u32(vorrq_u32(vreinterpretq_u32_f32(t), sign));
}

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

// ---- Threading ----------------------------------------------------------------------------------------
//
// The heavy kernels split their outermost independent loop (output rows) over the default thread pool
// (runtime/core/ThreadPool.h). Every output element is computed by one thread in the same order as with
// one thread, so results are bit-identical for any thread count.

/// Per-thread scratch: threads blocks of `floats` floats (64-byte aligned), freed on scope exit.
struct Scratch {
  float *data = nullptr;
  size_t stride = 0;
  Scratch(int threads, size_t floats) {
    stride = (floats + 15) / 16 * 16; // keep every block 64-byte aligned
    size_t bytes = stride * sizeof(float) * static_cast<size_t>(threads < 1 ? 1 : threads);
    data = static_cast<float *>(std::aligned_alloc(64, bytes == 0 ? 64 : bytes));
    if (!data)
      std::abort();
  }
  ~Scratch() { std::free(data); }
  Scratch(const Scratch &) = delete;
  Scratch &operator=(const Scratch &) = delete;
  float *operator[](int chunk) const { return data + stride * static_cast<size_t>(chunk); }
};

/// Rows of output work per chunk for the portable loops: about `target` multiply-adds, at least one row.
int64_t rowGrain(int64_t macsPerRow, int64_t target = 1 << 14) {
  return macsPerRow >= target ? 1 : target / (macsPerRow > 0 ? macsPerRow : 1);
}

#ifdef MOTE_NEON_FAST
/// Another packer's rows [base, base + rows).
struct OffsetPacker final : detail::APacker {
  const detail::APacker &inner;
  int base;
  OffsetPacker(const detail::APacker &p, int b) : inner(p), base(b) {}
  void pack(int m0, int rows, int k0, int kc, float *dst) const override { inner.pack(base + m0, rows, k0, kc, dst); }
};

/// C[M,N] = act(A * B + ...) with A's rows supplied by `packer`, the M rows split over the default pool
/// in multiples of kGemmMR (each chunk its own gemmWorkspaceFloats(M, K) block of `work`). The K
/// blocking depends on K only, so every element sees the same reduction whatever the split.
void gemmRowsParallel(int M, int N, int K, const detail::APacker &packer, const float *packedB, float *C,
                      size_t ldc, const Epilogue &ep, const Scratch &work) {
  const size_t ldr = ep.residualStride ? ep.residualStride : ldc;
  rt::parallelFor(0, M, kGemmMR, [&](int64_t b, int64_t e, int chunk) {
    const int m0 = static_cast<int>(b), rows = static_cast<int>(e - b);
    Epilogue part = ep;
    if (ep.residual) {
      part.residual = ep.residual + static_cast<size_t>(m0) * ldr;
      part.residualStride = ldr;
    }
    OffsetPacker rowsPacker(packer, m0);
    detail::gemmBlocked(rows, N, K, rowsPacker, packedB, C + static_cast<size_t>(m0) * ldc, ldc, part,
                        work[chunk]);
  });
}
#endif

#ifdef MOTE_NEON_FAST
/// The fast matmul loop: packedB(o) gives the packed right operand of the batch at offsets o.
template <class GetB>
void matmulFast(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides, int64_t M,
                int64_t N, int64_t K, float *out, GetB packedB, const int64_t *bBatchStrides) {
  int64_t os[kMaxRank];
  contiguousStrides(batchRank, batchShape, os);
  const int64_t *strides[3] = {aBatchStrides, bBatchStrides, os};
  const int64_t mn = M * N;
  const int m = static_cast<int>(M), n = static_cast<int>(N), kk = static_cast<int>(K);
  Scratch work(rt::defaultThreadPool().threadCount(), gemmWorkspaceFloats(m, kk));
  forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
    const float *pb = packedB(o);
    Epilogue none;
    if (m == 1) {
      gemv(n, kk, a + o[0], pb, out + o[2] * mn, none);
    } else {
      detail::DenseAPacker rows(a + o[0], static_cast<size_t>(kk));
      gemmRowsParallel(m, n, kk, rows, pb, out + o[2] * mn, static_cast<size_t>(n), none, work);
    }
  });
}

void conv3x3Fast(const Conv2DParams &p, const float *in, const int64_t *is, const float *packed, const float *bias,
                 float *out, const int64_t *os) {
  Epilogue epilogue;
  epilogue.bias = bias;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M);
  const int H = static_cast<int>(p.H), W = static_cast<int>(p.W);
  Scratch zeros(1, static_cast<size_t>(Cin));
  std::memset(zeros[0], 0, sizeof(float) * static_cast<size_t>(Cin));
  const int pixels = H * W, K = 9 * Cin;
  Scratch work(rt::defaultThreadPool().threadCount(), gemmWorkspaceFloats(pixels, K));
  for (int64_t n = 0; n < p.N; ++n) {
    // As conv3x3() (Conv3x3.h), with the output pixels split between threads.
    detail::Conv3x3APacker packer;
    packer.input = in + n * is[0];
    packer.zeros = zeros[0];
    packer.H = H;
    packer.W = W;
    packer.Cin = Cin;
    packer.inStride = static_cast<size_t>(Cin);
    gemmRowsParallel(pixels, Cout, K, packer, packed, out + n * os[0], static_cast<size_t>(Cout), epilogue, work);
  }
}

void conv3x3WinogradFast(const Conv2DParams &p, const float *in, const int64_t *is, const float *packed,
                         const float *bias, float *out, const int64_t *os) {
  Epilogue epilogue;
  epilogue.bias = bias;
  Conv3x3Shape shape;
  shape.H = static_cast<int>(p.H);
  shape.W = static_cast<int>(p.W);
  shape.Cin = static_cast<int>(p.C);
  shape.Cout = static_cast<int>(p.M);
  Scratch work(1, winogradF43WorkspaceFloats(shape));
  for (int64_t n = 0; n < p.N; ++n)
    conv3x3WinogradF43(shape, in + n * is[0], packed, out + n * os[0], epilogue, work[0]);
}

void conv1x1Fast(const Conv2DParams &p, const float *in, const int64_t *is, const float *packed, const float *bias,
                 float *out, const int64_t *os) {
  Epilogue epilogue;
  epilogue.bias = bias;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M);
  const int pixels = static_cast<int>(p.H * p.W);
  Scratch work(rt::defaultThreadPool().threadCount(), gemmWorkspaceFloats(pixels, Cin));
  for (int64_t n = 0; n < p.N; ++n) {
    if (pixels == 1) {
      gemv(Cout, Cin, in + n * is[0], packed, out + n * os[0], epilogue);
    } else {
      // As conv1x1() (Gemm.h), with the pixels split between threads.
      detail::DenseAPacker packer(in + n * is[0], static_cast<size_t>(Cin));
      gemmRowsParallel(pixels, Cout, Cin, packer, packed, out + n * os[0], static_cast<size_t>(Cout), epilogue,
                       work);
    }
  }
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
      for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(in + i);
        vst1q_f32(out + i, vmulq_f32(x, vsigmoidq(x)));
      }
      break;
    case Unary::GeluSigmoid:
      for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(in + i);
        vst1q_f32(out + i, vmulq_f32(x, vsigmoidq(vmulq_n_f32(x, 1.702f))));
      }
      break;
    case Unary::Tanh:
      for (; i + 4 <= n; i += 4)
        vst1q_f32(out + i, vtanhq(vld1q_f32(in + i)));
      break;
    case Unary::GeluTanh:
      // 0.5 x (1 + tanh(u)) = x * sigmoid(2u).
      for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(in + i);
        float32x4_t x3 = vmulq_f32(vmulq_f32(x, x), x);
        float32x4_t u = vmulq_n_f32(vfmaq_n_f32(x, x3, 0.044715f), 2.0f * 0.7978845608028654f);
        vst1q_f32(out + i, vmulq_f32(x, vsigmoidq(u)));
      }
      break;
    case Unary::GeluErf:
      // erfc(z) ~ t (a1 + t (a2 + ...)) exp(-z^2), t = 1 / (1 + p z), z = |x| / sqrt(2) (Abramowitz-Stegun
      // 7.1.26, |error| < 1.5e-7); gelu = x (1 - erfc / 2) for x >= 0, x erfc / 2 below.
      for (; i + 4 <= n; i += 4) {
        float32x4_t x = vld1q_f32(in + i);
        float32x4_t z = vmulq_n_f32(vabsq_f32(x), 0.7071067811865476f);
        float32x4_t t = vdivq_f32(vdupq_n_f32(1.0f), vfmaq_n_f32(vdupq_n_f32(1.0f), z, 0.3275911f));
        float32x4_t q = vdupq_n_f32(1.061405429f);
        q = vfmaq_f32(vdupq_n_f32(-1.453152027f), q, t);
        q = vfmaq_f32(vdupq_n_f32(1.421413741f), q, t);
        q = vfmaq_f32(vdupq_n_f32(-0.284496736f), q, t);
        q = vfmaq_f32(vdupq_n_f32(0.254829592f), q, t);
        float32x4_t half = vmulq_n_f32(vmulq_f32(vmulq_f32(q, t), vexpq(vnegq_f32(vmulq_f32(z, z)))), 0.5f);
        float32x4_t pos = vsubq_f32(vdupq_n_f32(1.0f), half);
        vst1q_f32(out + i, vmulq_f32(x, vbslq_f32(vcgeq_f32(x, vdupq_n_f32(0.0f)), pos, half)));
      }
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

void copyStrided(int elemBytes, int rank, const int64_t *shape, const void *in, const int64_t *inStrides, void *out,
                 const int64_t *outStrides) {
  switch (elemBytes) {
  case 1:
    return copyT(rank, shape, static_cast<const uint8_t *>(in), inStrides, static_cast<uint8_t *>(out), outStrides);
  case 2:
    return copyT(rank, shape, static_cast<const uint16_t *>(in), inStrides, static_cast<uint16_t *>(out), outStrides);
  case 4:
    return copyT(rank, shape, static_cast<const uint32_t *>(in), inStrides, static_cast<uint32_t *>(out), outStrides);
  case 8:
    return copyT(rank, shape, static_cast<const uint64_t *>(in), inStrides, static_cast<uint64_t *>(out), outStrides);
  default: {
    const int64_t *strides[2] = {inStrides, outStrides};
    const unsigned char *ib = static_cast<const unsigned char *>(in);
    unsigned char *ob = static_cast<unsigned char *>(out);
    forEachIndex<2>(rank, shape, strides, [&](const int64_t *o) {
      std::memcpy(ob + o[1] * elemBytes, ib + o[0] * elemBytes, static_cast<size_t>(elemBytes));
    });
  }
  }
}

void matmul(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides, const float *b,
            const int64_t *bBatchStrides, int64_t M, int64_t N, int64_t K, float *out) {
  int64_t os[kMaxRank];
  contiguousStrides(batchRank, batchShape, os);
  const int64_t *strides[3] = {aBatchStrides, bBatchStrides, os};
  const int64_t mn = M * N;
#ifdef MOTE_NEON_FAST
  {
    bool sharedB = true;
    for (int d = 0; d < batchRank; ++d)
      sharedB = sharedB && (bBatchStrides[d] == 0 || batchShape[d] == 1);
    const int kk = static_cast<int>(K), n = static_cast<int>(N);
    Scratch packed(1, packedGemmBFloats(kk, n));
    bool packedOnce = false;
    matmulFast(batchRank, batchShape, a, aBatchStrides, M, N, K, out, [&](const int64_t *o) -> const float * {
      if (!sharedB || !packedOnce) {
        packGemmB(kk, n, b + o[1], static_cast<size_t>(n), packed[0]);
        packedOnce = true;
      }
      return packed[0];
    }, bBatchStrides);
    return;
  }
#endif
  forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
    const float *A = a + o[0], *B = b + o[1];
    float *C = out + o[2] * mn;
    rt::parallelFor(0, M, rowGrain(N * K), [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; ++i) {
        float *c = C + i * N;
        for (int64_t j = 0; j < N; ++j)
          c[j] = 0.0f;
        const float *ar = A + i * K;
        for (int64_t k = 0; k < K; ++k) {
          float aik = ar[k];
          const float *br = B + k * N;
          for (int64_t j = 0; j < N; ++j)
            c[j] += aik * br[j];
        }
      }
    });
  });
}

void gemm(int64_t M, int64_t N, int64_t K, const float *a, bool transA, const float *b, bool transB, float alpha,
          float beta, const float *c, int64_t cRowStride, int64_t cColStride, float *out) {
  rt::parallelFor(0, M, rowGrain(N * K), [&](int64_t i0, int64_t i1) {
    for (int64_t i = i0; i < i1; ++i)
      for (int64_t j = 0; j < N; ++j) {
        float acc = 0.0f;
        for (int64_t k = 0; k < K; ++k) {
          float x = transA ? a[k * M + i] : a[i * K + k];
          float y = transB ? b[j * K + k] : b[k * N + j];
          acc += x * y;
        }
        float r = alpha * acc;
        if (c)
          r += beta * c[i * cRowStride + j * cColStride];
        out[i * N + j] = r;
      }
  });
}

void conv2d(const Conv2DParams &p, const float *in, const int64_t *is, const float *weight, const float *bias,
            float *out, const int64_t *os) {
#ifdef MOTE_NEON_FAST
  const bool dense = p.group == 1 && is[1] == 1 && is[3] == p.C && is[2] == p.W * p.C && os[1] == 1 &&
                     os[3] == p.M && os[2] == p.OW * p.M && p.dilationH == 1 && p.dilationW == 1 &&
                     p.strideH == 1 && p.strideW == 1;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M);
  if (dense && p.KH == 3 && p.KW == 3 && p.padTop == 1 && p.padLeft == 1 && p.OH == p.H && p.OW == p.W) {
    Scratch packed(1, packedConv3x3WeightsFloats(Cin, Cout));
    packConv3x3Weights(Cin, Cout, weight, packed[0]);
    conv3x3Fast(p, in, is, packed[0], bias, out, os);
    return;
  }
  if (dense && p.KH == 1 && p.KW == 1 && p.padTop == 0 && p.padLeft == 0 && p.OH == p.H && p.OW == p.W) {
    Scratch packed(1, packedGemmBFloats(Cin, Cout));
    packGemmBTransposed(Cin, Cout, weight, static_cast<size_t>(Cin), packed[0]);
    conv1x1Fast(p, in, is, packed[0], bias, out, os);
    return;
  }
#endif
  const int64_t cpg = p.C / p.group, mpg = p.M / p.group;
  const int64_t wm = cpg * p.KH * p.KW, wc = p.KH * p.KW;
  // One output row (n, oh) per index, split between threads.
  rt::parallelFor(0, p.N * p.OH, rowGrain(p.OW * p.M * wm), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t n = r / p.OH, oh = r % p.OH;
      for (int64_t ow = 0; ow < p.OW; ++ow)
        for (int64_t m = 0; m < p.M; ++m) {
          const int64_t g = m / mpg;
          float acc = bias ? bias[m] : 0.0f;
          const float *wmp = weight + m * wm;
          for (int64_t kh = 0; kh < p.KH; ++kh) {
            const int64_t ih = oh * p.strideH - p.padTop + kh * p.dilationH;
            if (ih < 0 || ih >= p.H)
              continue;
            for (int64_t kw = 0; kw < p.KW; ++kw) {
              const int64_t iw = ow * p.strideW - p.padLeft + kw * p.dilationW;
              if (iw < 0 || iw >= p.W)
                continue;
              const float *ip = in + n * is[0] + g * cpg * is[1] + ih * is[2] + iw * is[3];
              const float *wp = wmp + kh * p.KW + kw;
              for (int64_t c = 0; c < cpg; ++c)
                acc += ip[c * is[1]] * wp[c * wc];
            }
          }
          out[n * os[0] + m * os[1] + oh * os[2] + ow * os[3]] = acc;
        }
    }
  });
}

void packConv2dWeights(ConvKernel kernel, int64_t Cin, int64_t Cout, const float *weight, float *packed) {
#ifdef MOTE_NEON_FAST
  const int ci = static_cast<int>(Cin), co = static_cast<int>(Cout);
  switch (kernel) {
  case ConvKernel::Direct3x3:
    return packConv3x3Weights(ci, co, weight, packed);
  case ConvKernel::Winograd3x3:
    return packWinogradF43Weights(ci, co, weight, packed);
  case ConvKernel::Pointwise:
    return packGemmBTransposed(ci, co, weight, static_cast<size_t>(ci), packed);
  }
#else
  const int64_t taps = kernel == ConvKernel::Pointwise ? 1 : 9;
  std::memcpy(packed, weight, sizeof(float) * static_cast<size_t>(Cin * Cout * taps));
#endif
}

void conv2dPacked(ConvKernel kernel, const Conv2DParams &p, const float *in, const int64_t *is, const float *packed,
                  const float *bias, float *out, const int64_t *os) {
#ifdef MOTE_NEON_FAST
  switch (kernel) {
  case ConvKernel::Direct3x3:
    return conv3x3Fast(p, in, is, packed, bias, out, os);
  case ConvKernel::Winograd3x3:
    return conv3x3WinogradFast(p, in, is, packed, bias, out, os);
  case ConvKernel::Pointwise:
    return conv1x1Fast(p, in, is, packed, bias, out, os);
  }
#else
  (void)kernel;
  conv2d(p, in, is, packed, bias, out, os);
#endif
}

void packMatmulB(int64_t K, int64_t N, const float *b, float *packed) {
#ifdef MOTE_NEON_FAST
  packGemmB(static_cast<int>(K), static_cast<int>(N), b, static_cast<size_t>(N), packed);
#else
  std::memcpy(packed, b, sizeof(float) * static_cast<size_t>(K * N));
#endif
}

void matmulPacked(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                  const float *packedB, int64_t M, int64_t N, int64_t K, float *out) {
  int64_t zeros[kMaxRank] = {0};
#ifdef MOTE_NEON_FAST
  matmulFast(batchRank, batchShape, a, aBatchStrides, M, N, K, out, [packedB](const int64_t *) { return packedB; },
             zeros);
#else
  matmul(batchRank, batchShape, a, aBatchStrides, packedB, zeros, M, N, K, out);
#endif
}

void packMatmulBF16(int64_t K, int64_t N, const float *b, void *packed) {
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    packGemmF16BFromF32(static_cast<int>(K), static_cast<int>(N), b, static_cast<size_t>(N),
                        static_cast<float16_t *>(packed), F16Accumulation::F32);
    return;
  }
#endif
  f32ToF16(K * N, b, packed);
}

void matmulPackedF16(int batchRank, const int64_t *batchShape, const void *a, const int64_t *aBatchStrides,
                     const void *packedB, int64_t M, int64_t N, int64_t K, void *out) {
  int64_t os[kMaxRank], zeros[kMaxRank] = {0};
  contiguousStrides(batchRank, batchShape, os);
  const int64_t *strides[3] = {aBatchStrides, zeros, os};
  const int64_t mn = M * N;
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    const int m = static_cast<int>(M), n = static_cast<int>(N), kk = static_cast<int>(K);
    Scratch work(1, (gemmF16WorkspaceBytes(m, kk, F16Accumulation::F32) + sizeof(float) - 1) / sizeof(float));
    const float16_t *A = static_cast<const float16_t *>(a);
    float16_t *C = static_cast<float16_t *>(out);
    forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
      EpilogueF16 none;
      gemmF16(m, n, kk, A + o[0], static_cast<size_t>(kk), static_cast<const float16_t *>(packedB), C + o[2] * mn,
              static_cast<size_t>(n), none, F16Accumulation::F32, work[0]);
    });
    return;
  }
#endif
  // Portable: f32 copies of the operands (packedB holds B [K, N] as f16).
  Scratch bf(1, static_cast<size_t>(K * N)), af(1, static_cast<size_t>(M * K)), cf(1, static_cast<size_t>(mn));
  f16ToF32(K * N, packedB, bf[0]);
  const uint16_t *A = static_cast<const uint16_t *>(a);
  uint16_t *C = static_cast<uint16_t *>(out);
  forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
    f16ToF32(M * K, A + o[0], af[0]);
    int64_t one[1] = {1}, zero[1] = {0};
    matmul(0, one, af[0], zero, bf[0], zero, M, N, K, cf[0]);
    f32ToF16(mn, cf[0], C + o[2] * mn);
  });
}

void packConv1x1WeightsF16(int64_t Cin, int64_t Cout, const float *weight, void *packed) {
  // B [Cin, Cout] = w^T, row-major.
  Scratch t(1, static_cast<size_t>(Cin * Cout));
  for (int64_t co = 0; co < Cout; ++co)
    for (int64_t ci = 0; ci < Cin; ++ci)
      t[0][ci * Cout + co] = weight[co * Cin + ci];
  packMatmulBF16(Cin, Cout, t[0], packed);
}

void conv1x1PackedF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out) {
  const int64_t pixels = p.H * p.W;
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    const int m = static_cast<int>(pixels), n = static_cast<int>(p.M), kk = static_cast<int>(p.C);
    Scratch work(1, (gemmF16WorkspaceBytes(m, kk, F16Accumulation::F32) + sizeof(float) - 1) / sizeof(float));
    EpilogueF16 ep;
    ep.bias = static_cast<const float16_t *>(bias);
    for (int64_t b = 0; b < p.N; ++b)
      gemmF16(m, n, kk, static_cast<const float16_t *>(in) + b * pixels * p.C, static_cast<size_t>(kk),
              static_cast<const float16_t *>(packed), static_cast<float16_t *>(out) + b * pixels * p.M,
              static_cast<size_t>(n), ep, F16Accumulation::F32, work[0]);
    return;
  }
#endif
  // Portable: f32 copies (packed holds B [Cin, Cout] as f16).
  const int64_t C = p.C, M = p.M;
  Scratch bf(1, static_cast<size_t>(C * M)), af(1, static_cast<size_t>(pixels * C));
  Scratch cf(1, static_cast<size_t>(pixels * M)), biasf(1, static_cast<size_t>(M));
  f16ToF32(C * M, packed, bf[0]);
  if (bias)
    f16ToF32(M, bias, biasf[0]);
  for (int64_t b = 0; b < p.N; ++b) {
    f16ToF32(pixels * C, static_cast<const uint16_t *>(in) + b * pixels * C, af[0]);
    for (int64_t i = 0; i < pixels; ++i)
      for (int64_t j = 0; j < M; ++j) {
        float acc = bias ? biasf[0][j] : 0.0f;
        for (int64_t k = 0; k < C; ++k)
          acc += af[0][i * C + k] * bf[0][k * M + j];
        cf[0][i * M + j] = acc;
      }
    f32ToF16(pixels * M, cf[0], static_cast<uint16_t *>(out) + b * pixels * M);
  }
}

#if defined(MOTE_NEON_FAST)
// Sum and sum of squares of x[0..n) in double (two f64x2 lanes each).
inline void sumSq(const float *x, int64_t n, double &sum, double &sq) {
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0), q0 = vdupq_n_f64(0.0), q1 = vdupq_n_f64(0.0);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t v = vld1q_f32(x + i);
    float64x2_t lo = vcvt_f64_f32(vget_low_f32(v)), hi = vcvt_high_f64_f32(v);
    s0 = vaddq_f64(s0, lo);
    s1 = vaddq_f64(s1, hi);
    q0 = vfmaq_f64(q0, lo, lo);
    q1 = vfmaq_f64(q1, hi, hi);
  }
  double s = vaddvq_f64(vaddq_f64(s0, s1)), q = vaddvq_f64(vaddq_f64(q0, q1));
  for (; i < n; ++i) {
    s += x[i];
    q += static_cast<double>(x[i]) * x[i];
  }
  sum = s;
  sq = q;
}

// y[i] = (x[i] - mean) * inv * sc[i] + bi[i] (sc/bi optional, or per-call constants scC/biC when null).
inline void normalizeRow(const float *x, int64_t n, float mean, float inv, const float *sc, const float *bi,
                         float scC, float biC, float *y) {
  const float32x4_t vm = vdupq_n_f32(mean), vi = vdupq_n_f32(inv);
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    float32x4_t t = vmulq_f32(vsubq_f32(vld1q_f32(x + i), vm), vi);
    float32x4_t s = sc ? vld1q_f32(sc + i) : vdupq_n_f32(scC);
    float32x4_t b = bi ? vld1q_f32(bi + i) : vdupq_n_f32(biC);
    vst1q_f32(y + i, vfmaq_f32(b, t, s));
  }
  for (; i < n; ++i)
    y[i] = (x[i] - mean) * inv * (sc ? sc[i] : scC) + (bi ? bi[i] : biC);
}
#endif

void groupNorm(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast, const float *in,
               const float *scale, const float *bias, float *out) {
  const int64_t cpg = C / groups;
  // Element (n, c, s) at n*C*spatial + (channelsLast ? s*C + c : c*spatial + s).
  const int64_t cs = channelsLast ? 1 : spatial, ss = channelsLast ? C : 1;
#if defined(MOTE_NEON_FAST)
  if (!channelsLast) {
    // NCHW: each group is one contiguous block of cpg * spatial elements.
    for (int64_t n = 0; n < N; ++n)
      for (int64_t g = 0; g < groups; ++g) {
        const float *x = in + (n * C + g * cpg) * spatial;
        float *y = out + (n * C + g * cpg) * spatial;
        const int64_t count = cpg * spatial;
        double sum, sq;
        sumSq(x, count, sum, sq);
        const double mean = sum / static_cast<double>(count);
        double var = sq / static_cast<double>(count) - mean * mean;
        var = var > 0.0 ? var : 0.0;
        const float inv = static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(eps)));
        for (int64_t c = 0; c < cpg; ++c)
          normalizeRow(x + c * spatial, spatial, static_cast<float>(mean), inv, nullptr, nullptr,
                       scale ? scale[g * cpg + c] : 1.0f, bias ? bias[g * cpg + c] : 0.0f, y + c * spatial);
      }
    return;
  }
  if (C % 4 == 0 && C <= 4096) {
    // NHWC: per-channel double sums over all pixels (rows of C contiguous channels), combined per group,
    // then every row normalized with per-channel mean/scale/offset vectors.
    double acc[2 * 4096];
    float mul[4096], add[4096], mu[4096];
    for (int64_t n = 0; n < N; ++n) {
      const float *x = in + n * C * spatial;
      float *y = out + n * C * spatial;
      for (int64_t c = 0; c < 2 * C; ++c)
        acc[c] = 0.0;
      for (int64_t sp = 0; sp < spatial; ++sp) {
        const float *row = x + sp * C;
        for (int64_t c = 0; c < C; c += 4) {
          float32x4_t v = vld1q_f32(row + c);
          float64x2_t lo = vcvt_f64_f32(vget_low_f32(v)), hi = vcvt_high_f64_f32(v);
          vst1q_f64(acc + c, vaddq_f64(vld1q_f64(acc + c), lo));
          vst1q_f64(acc + c + 2, vaddq_f64(vld1q_f64(acc + c + 2), hi));
          vst1q_f64(acc + C + c, vfmaq_f64(vld1q_f64(acc + C + c), lo, lo));
          vst1q_f64(acc + C + c + 2, vfmaq_f64(vld1q_f64(acc + C + c + 2), hi, hi));
        }
      }
      const double count = static_cast<double>(cpg * spatial);
      for (int64_t g = 0; g < groups; ++g) {
        double sum = 0.0, sq = 0.0;
        for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
          sum += acc[c];
          sq += acc[C + c];
        }
        const double mean = sum / count;
        double var = sq / count - mean * mean;
        var = var > 0.0 ? var : 0.0;
        const double inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
        for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
          const double sc = scale ? scale[c] : 1.0, bi = bias ? bias[c] : 0.0;
          mul[c] = static_cast<float>(inv * sc);
          add[c] = static_cast<float>(bi);
          mu[c] = static_cast<float>(mean);
        }
      }
      for (int64_t sp = 0; sp < spatial; ++sp)
        for (int64_t c = 0; c < C; c += 4)
          vst1q_f32(y + sp * C + c, vfmaq_f32(vld1q_f32(add + c), vsubq_f32(vld1q_f32(x + sp * C + c), vld1q_f32(mu + c)),
                                              vld1q_f32(mul + c)));
    }
    return;
  }
#endif
  for (int64_t n = 0; n < N; ++n)
    for (int64_t g = 0; g < groups; ++g) {
      const float *x = in + n * C * spatial;
      float *y = out + n * C * spatial;
      double sum = 0.0;
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c)
        for (int64_t s = 0; s < spatial; ++s)
          sum += x[c * cs + s * ss];
      const double count = static_cast<double>(cpg * spatial);
      const double mean = sum / count;
      double var = 0.0;
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c)
        for (int64_t s = 0; s < spatial; ++s) {
          double d = x[c * cs + s * ss] - mean;
          var += d * d;
        }
      const double inv = 1.0 / std::sqrt(var / count + static_cast<double>(eps));
      for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
        const float sc = scale ? scale[c] : 1.0f, bi = bias ? bias[c] : 0.0f;
        for (int64_t s = 0; s < spatial; ++s) {
          const int64_t e = c * cs + s * ss;
          y[e] = static_cast<float>((x[e] - mean) * inv) * sc + bi;
        }
      }
    }
}

void layerNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, const float *bias,
               float *out) {
#if defined(MOTE_NEON_FAST)
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    double sum, sq;
    sumSq(x, inner, sum, sq);
    const double mean = sum / static_cast<double>(inner);
    double var = sq / static_cast<double>(inner) - mean * mean;
    var = var > 0.0 ? var : 0.0;
    const float inv = static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(eps)));
    normalizeRow(x, inner, static_cast<float>(mean), inv, scale, bias, 1.0f, 0.0f, out + o * inner);
  }
  return;
#endif
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    float *y = out + o * inner;
    double sum = 0.0;
    for (int64_t i = 0; i < inner; ++i)
      sum += x[i];
    const double mean = sum / static_cast<double>(inner);
    double var = 0.0;
    for (int64_t i = 0; i < inner; ++i) {
      double d = x[i] - mean;
      var += d * d;
    }
    const double inv = 1.0 / std::sqrt(var / static_cast<double>(inner) + static_cast<double>(eps));
    for (int64_t i = 0; i < inner; ++i)
      y[i] = static_cast<float>((x[i] - mean) * inv) * scale[i] + (bias ? bias[i] : 0.0f);
  }
}

void rmsNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, float *out) {
  for (int64_t o = 0; o < outer; ++o) {
    const float *x = in + o * inner;
    float *y = out + o * inner;
#if defined(MOTE_NEON_FAST)
    double sum, sq;
    sumSq(x, inner, sum, sq);
    (void)sum;
    const float invf = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(inner) + static_cast<double>(eps)));
    normalizeRow(x, inner, 0.0f, invf, scale, nullptr, 1.0f, 0.0f, y);
    continue;
#else
    double sq = 0.0;
    for (int64_t i = 0; i < inner; ++i)
      sq += static_cast<double>(x[i]) * x[i];
#endif
    const double inv = 1.0 / std::sqrt(sq / static_cast<double>(inner) + static_cast<double>(eps));
    for (int64_t i = 0; i < inner; ++i)
      y[i] = static_cast<float>(x[i] * inv) * scale[i];
  }
}

#if defined(MOTE_NEON_FAST)
// Contiguous softmax of one row (may be in place): max, exps with a double sum, scale.
inline void softmaxRow(const float *x, int64_t n, float *y) {
  float mx = -std::numeric_limits<float>::infinity();
  int64_t i = 0;
  if (n >= 4) {
    float32x4_t vm = vdupq_n_f32(mx);
    for (; i + 4 <= n; i += 4) {
      float32x4_t v = vld1q_f32(x + i);
      vm = vbslq_f32(vcgtq_f32(v, vm), v, vm);
    }
    mx = vmaxvq_f32(vm);
  }
  for (; i < n; ++i)
    mx = x[i] > mx ? x[i] : mx;
  const float32x4_t vmx = vdupq_n_f32(mx);
  float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0);
  for (i = 0; i + 4 <= n; i += 4) {
    float32x4_t e = vexpq(vsubq_f32(vld1q_f32(x + i), vmx));
    vst1q_f32(y + i, e);
    s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(e)));
    s1 = vaddq_f64(s1, vcvt_high_f64_f32(e));
  }
  double sum = vaddvq_f64(vaddq_f64(s0, s1));
  for (; i < n; ++i) {
    y[i] = vexp1(x[i] - mx);
    sum += y[i];
  }
  const float inv = static_cast<float>(1.0 / sum);
  for (i = 0; i + 4 <= n; i += 4)
    vst1q_f32(y + i, vmulq_n_f32(vld1q_f32(y + i), inv));
  for (; i < n; ++i)
    y[i] *= inv;
}

inline float dotF32(const float *a, const float *b, int64_t n) {
  float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = vfmaq_f32(acc0, vld1q_f32(a + i), vld1q_f32(b + i));
    acc1 = vfmaq_f32(acc1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
  }
  for (; i + 4 <= n; i += 4)
    acc0 = vfmaq_f32(acc0, vld1q_f32(a + i), vld1q_f32(b + i));
  float s = vaddvq_f32(vaddq_f32(acc0, acc1));
  for (; i < n; ++i)
    s += a[i] * b[i];
  return s;
}
#endif

void softmax(int64_t outer, int64_t n, int64_t inner, const float *in, float *out) {
#if defined(MOTE_NEON_FAST)
  if (inner == 1) {
    for (int64_t o = 0; o < outer; ++o)
      softmaxRow(in + o * n, n, out + o * n);
    return;
  }
#endif
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      const float *x = in + o * n * inner + j;
      float *y = out + o * n * inner + j;
      float mx = -std::numeric_limits<float>::infinity();
      for (int64_t i = 0; i < n; ++i)
        mx = x[i * inner] > mx ? x[i * inner] : mx;
      double sum = 0.0;
      for (int64_t i = 0; i < n; ++i) {
        float e = std::exp(x[i * inner] - mx);
        y[i * inner] = e;
        sum += e;
      }
      const float inv = static_cast<float>(1.0 / sum);
      for (int64_t i = 0; i < n; ++i)
        y[i * inner] *= inv;
    }
}

void attention(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
               const float *q, const float *k, const float *v, const float *mask, const int64_t *ms, float *out) {
  Scratch scores(rt::defaultThreadPool().threadCount(), static_cast<size_t>(Sk > 0 ? Sk : 1));
  const int64_t group = H / Hkv;
  // One query row (b, h, i) per index, split between threads (each with its own score row).
  rt::parallelFor(0, B * H * Sq, rowGrain(Sk * (D + Dv)), [&](int64_t r0, int64_t r1, int chunk) {
    float *p = scores[chunk];
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t i = r % Sq, h = (r / Sq) % H, b = r / (Sq * H);
      const int64_t hk = h / group;
      const float *K = k + (b * Hkv + hk) * Sk * D;
      const float *V = v + (b * Hkv + hk) * Sk * Dv;
      {
        const float *qi = q + ((b * H + h) * Sq + i) * D;
        float mx = -std::numeric_limits<float>::infinity();
        int64_t jq = 0;
#if defined(MOTE_NEON_FAST)
        if (D % 4 == 0) {
          // Four keys at a time: one accumulator per key, reduced pairwise into one vector of scores.
          float32x4_t vmx = vdupq_n_f32(mx);
          for (; jq + 4 <= Sk; jq += 4) {
            const float *k0 = K + jq * D, *k1 = k0 + D, *k2 = k1 + D, *k3 = k2 + D;
            float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
            for (int64_t d = 0; d < D; d += 4) {
              float32x4_t qv = vld1q_f32(qi + d);
              a0 = vfmaq_f32(a0, qv, vld1q_f32(k0 + d));
              a1 = vfmaq_f32(a1, qv, vld1q_f32(k1 + d));
              a2 = vfmaq_f32(a2, qv, vld1q_f32(k2 + d));
              a3 = vfmaq_f32(a3, qv, vld1q_f32(k3 + d));
            }
            float32x4_t sv = vmulq_n_f32(vpaddq_f32(vpaddq_f32(a0, a1), vpaddq_f32(a2, a3)), scale);
            if (mask) {
              const float *mrow = mask + b * ms[0] + h * ms[1] + i * ms[2];
              float mv[4] = {mrow[jq * ms[3]], mrow[(jq + 1) * ms[3]], mrow[(jq + 2) * ms[3]], mrow[(jq + 3) * ms[3]]};
              sv = vaddq_f32(sv, vld1q_f32(mv));
            }
            vst1q_f32(p + jq, sv);
            vmx = vbslq_f32(vcgtq_f32(sv, vmx), sv, vmx);
          }
          mx = vmaxvq_f32(vmx);
        }
#endif
        for (int64_t j = jq; j < Sk; ++j) {
          const float *kj = K + j * D;
#if defined(MOTE_NEON_FAST)
          float s = dotF32(qi, kj, D);
#else
          float s = 0.0f;
          for (int64_t d = 0; d < D; ++d)
            s += qi[d] * kj[d];
#endif
          s *= scale;
          if (mask)
            s += mask[b * ms[0] + h * ms[1] + i * ms[2] + j * ms[3]];
          p[j] = s;
          mx = s > mx ? s : mx;
        }
        double sum = 0.0;
        int64_t j0 = 0;
#if defined(MOTE_NEON_FAST)
        {
          const float32x4_t vmx = vdupq_n_f32(mx);
          float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0);
          for (; j0 + 4 <= Sk; j0 += 4) {
            float32x4_t e = vexpq(vsubq_f32(vld1q_f32(p + j0), vmx));
            vst1q_f32(p + j0, e);
            s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(e)));
            s1 = vaddq_f64(s1, vcvt_high_f64_f32(e));
          }
          sum = vaddvq_f64(vaddq_f64(s0, s1));
        }
#endif
        for (int64_t j = j0; j < Sk; ++j) {
          // A row masked everywhere with -inf gives NaN, as the decomposition would.
          p[j] = std::exp(p[j] - mx);
          sum += p[j];
        }
        const float inv = static_cast<float>(1.0 / sum);
        float *o = out + ((b * H + h) * Sq + i) * Dv;
        int64_t dv0 = 0;
#if defined(MOTE_NEON_FAST)
        // Output columns in blocks of 16 (then 4) held in registers over all keys.
        for (; dv0 + 16 <= Dv; dv0 += 16) {
          float32x4_t c0 = vdupq_n_f32(0.0f), c1 = c0, c2 = c0, c3 = c0;
          for (int64_t j = 0; j < Sk; ++j) {
            const float w = p[j] * inv;
            const float *vj = V + j * Dv + dv0;
            c0 = vfmaq_n_f32(c0, vld1q_f32(vj), w);
            c1 = vfmaq_n_f32(c1, vld1q_f32(vj + 4), w);
            c2 = vfmaq_n_f32(c2, vld1q_f32(vj + 8), w);
            c3 = vfmaq_n_f32(c3, vld1q_f32(vj + 12), w);
          }
          vst1q_f32(o + dv0, c0);
          vst1q_f32(o + dv0 + 4, c1);
          vst1q_f32(o + dv0 + 8, c2);
          vst1q_f32(o + dv0 + 12, c3);
        }
        for (; dv0 + 4 <= Dv; dv0 += 4) {
          float32x4_t c0 = vdupq_n_f32(0.0f);
          for (int64_t j = 0; j < Sk; ++j)
            c0 = vfmaq_n_f32(c0, vld1q_f32(V + j * Dv + dv0), p[j] * inv);
          vst1q_f32(o + dv0, c0);
        }
#endif
        for (int64_t d = dv0; d < Dv; ++d)
          o[d] = 0.0f;
        for (int64_t j = 0; j < Sk && dv0 < Dv; ++j) {
          const float w = p[j] * inv;
          const float *vj = V + j * Dv;
          for (int64_t d = dv0; d < Dv; ++d)
            o[d] += w * vj[d];
        }
      }
    }
  });
}

bool gather(int elemBytes, int64_t outer, int64_t axisDim, int64_t inner, const void *data, DType indexType,
            const void *indices, int64_t numIndices, void *out) {
  bool ok = true;
  const unsigned char *src = static_cast<const unsigned char *>(data);
  unsigned char *dst = static_cast<unsigned char *>(out);
  const size_t row = static_cast<size_t>(inner * elemBytes);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < numIndices; ++i) {
      int64_t idx = readInt(indexType, indices, i);
      if (idx < 0)
        idx += axisDim;
      unsigned char *d = dst + (o * numIndices + i) * row;
      if (idx < 0 || idx >= axisDim) {
        std::memset(d, 0, row);
        ok = false;
        continue;
      }
      std::memcpy(d, src + (o * axisDim + idx) * row, row);
    }
  return ok;
}

void reduceF32(Reduce op, int rank, const int64_t *shape, const float *in, const int64_t *outStrides, float *out,
               int64_t outCount, int64_t reduceCount) {
  double *acc = static_cast<double *>(std::malloc(static_cast<size_t>(outCount > 0 ? outCount : 1) * sizeof(double)));
  if (!acc)
    std::abort();
  const double init = op == Reduce::Max ? -std::numeric_limits<double>::infinity()
                      : op == Reduce::Min ? std::numeric_limits<double>::infinity()
                                          : 0.0;
  for (int64_t i = 0; i < outCount; ++i)
    acc[i] = init;
  int64_t is[kMaxRank];
  contiguousStrides(rank, shape, is);
  const int64_t *strides[2] = {is, outStrides};
  forEachIndex<2>(rank, shape, strides, [&](const int64_t *o) {
    double x = in[o[0]];
    double &a = acc[o[1]];
    switch (op) {
    case Reduce::Mean:
    case Reduce::Sum: a += x; break;
    case Reduce::Max: a = x > a ? x : a; break;
    case Reduce::Min: a = x < a ? x : a; break;
    }
  });
  for (int64_t i = 0; i < outCount; ++i)
    out[i] = static_cast<float>(op == Reduce::Mean ? acc[i] / static_cast<double>(reduceCount) : acc[i]);
  std::free(acc);
}

void argMax(DType type, int64_t outer, int64_t n, int64_t inner, bool selectLast, const void *in, int64_t *out) {
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      int64_t best = 0;
      for (int64_t i = 1; i < n; ++i) {
        const int64_t e = (o * n + i) * inner + j, b = (o * n + best) * inner + j;
        bool better;
        if (type == DType::F32) {
          float x = static_cast<const float *>(in)[e], y = static_cast<const float *>(in)[b];
          better = selectLast ? x >= y : x > y;
        } else {
          int64_t x = readInt(type, in, e), y = readInt(type, in, b);
          better = selectLast ? x >= y : x > y;
        }
        if (better)
          best = i;
      }
      out[o * inner + j] = best;
    }
}

void trilu(int elemBytes, int64_t batch, int64_t rows, int64_t cols, bool upper, int64_t k, const void *in,
           void *out) {
  const unsigned char *src = static_cast<const unsigned char *>(in);
  unsigned char *dst = static_cast<unsigned char *>(out);
  for (int64_t b = 0; b < batch; ++b)
    for (int64_t i = 0; i < rows; ++i)
      for (int64_t j = 0; j < cols; ++j) {
        const bool keep = upper ? j >= i + k : j <= i + k;
        const int64_t e = (b * rows + i) * cols + j;
        if (keep)
          std::memmove(dst + e * elemBytes, src + e * elemBytes, static_cast<size_t>(elemBytes));
        else
          std::memset(dst + e * elemBytes, 0, static_cast<size_t>(elemBytes));
      }
}

void resize(int rank, const int64_t *outShape, const int64_t *inStrides, const int64_t *idx, const float *wts,
            bool linear, const float *in, float *out) {
  int64_t base[kMaxRank];
  int64_t total = 1;
  for (int d = 0; d < rank; ++d) {
    base[d] = 2 * (d == 0 ? 0 : (base[d - 1] / 2 + outShape[d - 1]));
    total *= outShape[d];
  }
  int64_t o[kMaxRank] = {0};
  const int corners = linear ? 1 << rank : 1;
  for (int64_t e = 0; e < total; ++e) {
    double acc = 0.0;
    for (int c = 0; c < corners; ++c) {
      double w = 1.0;
      int64_t src = 0;
      for (int d = 0; d < rank; ++d) {
        const int bit = linear ? (c >> d) & 1 : 0;
        const int64_t t = base[d] + 2 * o[d] + bit;
        w *= wts[t];
        src += idx[t] * inStrides[d];
      }
      if (w != 0.0)
        acc += w * in[src];
    }
    out[e] = static_cast<float>(acc);
    for (int d = rank - 1; d >= 0; --d) {
      if (++o[d] < outShape[d])
        break;
      o[d] = 0;
    }
  }
}

void pad(int elemBytes, int rank, const int64_t *inShape, const int64_t *outShape, const int64_t *padsBegin, int mode,
         double value, DType type, const void *in, void *out) {
  int64_t is[kMaxRank];
  contiguousStrides(rank, inShape, is);
  int64_t total = 1;
  for (int d = 0; d < rank; ++d)
    total *= outShape[d];
  unsigned char fill[8] = {0};
  if (type == DType::F32) {
    float f = static_cast<float>(value);
    std::memcpy(fill, &f, 4);
  } else if (type == DType::I64) {
    int64_t v = static_cast<int64_t>(value);
    std::memcpy(fill, &v, 8);
  } else if (type == DType::I32) {
    int32_t v = static_cast<int32_t>(value);
    std::memcpy(fill, &v, 4);
  } else {
    fill[0] = value != 0.0 ? 1 : 0;
  }
  const unsigned char *src = static_cast<const unsigned char *>(in);
  unsigned char *dst = static_cast<unsigned char *>(out);
  int64_t o[kMaxRank] = {0};
  for (int64_t e = 0; e < total; ++e) {
    int64_t s = 0;
    bool inside = true;
    for (int d = 0; d < rank; ++d) {
      int64_t i = o[d] - padsBegin[d], n = inShape[d];
      if (i < 0 || i >= n) {
        if (mode == 0 || n == 0) {
          inside = false;
          break;
        }
        if (mode == 1) { // reflect
          const int64_t period = 2 * (n - 1);
          if (period == 0)
            i = 0;
          else {
            i = ((i % period) + period) % period;
            if (i >= n)
              i = period - i;
          }
        } else { // edge
          i = i < 0 ? 0 : n - 1;
        }
      }
      s += i * is[d];
    }
    std::memcpy(dst + e * elemBytes, inside ? src + s * elemBytes : fill, static_cast<size_t>(elemBytes));
    for (int d = rank - 1; d >= 0; --d) {
      if (++o[d] < outShape[d])
        break;
      o[d] = 0;
    }
  }
}

void f16ToF32(int64_t n, const void *in, float *out) {
  const __fp16 *p = static_cast<const __fp16 *>(in);
  for (int64_t i = 0; i < n; ++i)
    out[i] = static_cast<float>(p[i]);
}

void f32ToF16(int64_t n, const float *in, void *out) {
  __fp16 *p = static_cast<__fp16 *>(out);
  // Saturating: out-of-range values (and infinities, e.g. of masks) become +-65504, the largest half.
  for (int64_t i = 0; i < n; ++i) {
    float v = in[i];
    v = v > 65504.0f ? 65504.0f : v < -65504.0f ? -65504.0f : v;
    p[i] = static_cast<__fp16>(v);
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
