// What the NEON op kernels share (internal to runtime/neon/*Ops.cpp): the index walker, scratch memory,
// threading grain, NEON math helpers and the row-parallel blocked GEMM.
#ifndef MOTE_RUNTIME_NEON_OPSSUPPORT_H
#define MOTE_RUNTIME_NEON_OPSSUPPORT_H

#include "runtime/neon/Ops.h"

#include <memory>

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
#include "runtime/neon/VectorMath.h"
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
namespace support {

/// The epilogue of a portable loop on one accumulated value (its bias already added): + residual, activation.
inline float finishScalar(const Epilogue *ep, float v, int64_t at) {
  if (!ep)
    return v;
  if (ep->residual)
    v += ep->residual[at];
  switch (ep->act) {
  case Activation::None:
    return v;
  case Activation::Relu:
    return v > 0.0f ? v : 0.0f;
  case Activation::Clamp:
    return v < ep->clampLo ? ep->clampLo : (v > ep->clampHi ? ep->clampHi : v);
  case Activation::Silu:
    unaryF32(Unary::Silu, 1, &v, &v);
    return v;
  case Activation::GeluErf:
    unaryF32(Unary::GeluErf, 1, &v, &v);
    return v;
  case Activation::GeluTanh:
    unaryF32(Unary::GeluTanh, 1, &v, &v);
    return v;
  case Activation::GeluSigmoid:
    unaryF32(Unary::GeluSigmoid, 1, &v, &v);
    return v;
  }
  return v;
}

// Calls f(off) for every index of `shape` in row-major order, where off[k] is the element offset of
// operand k (sum of index * strides[k]).
template <int K, class F>
inline void forEachIndex(int rank, const int64_t *shape, const int64_t *const (&strides)[K], F &&f) {
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

inline void contiguousStrides(int rank, const int64_t *shape, int64_t *strides) {
  int64_t s = 1;
  for (int d = rank - 1; d >= 0; --d) {
    strides[d] = s;
    s *= shape[d];
  }
}

inline double readAs(DType t, const void *p, int64_t i) {
  switch (t) {
  case DType::F32: return static_cast<const float *>(p)[i];
  case DType::I64: return static_cast<double>(static_cast<const int64_t *>(p)[i]);
  case DType::I32: return static_cast<const int32_t *>(p)[i];
  case DType::Bool: return static_cast<const uint8_t *>(p)[i];
  }
  return 0;
}

/// Element e of int4 values stored two a byte, the even element in the low nibble (weights::ElementType::I4).
inline int int4At(const uint8_t *bytes, int64_t e) {
  return static_cast<int8_t>(static_cast<uint8_t>(bytes[e / 2] << (e % 2 ? 0 : 4))) >> 4;
}

/// Scale i of int4 weights' per-block scales: f16 (`--quantize=w4`) or, when `f16Scales` is false, f32 (a
/// model's own MatMulNBits or GatherBlockQuantized weights).
inline float blockScaleAt(const void *scales, bool f16Scales, int64_t i) {
  return f16Scales ? static_cast<float>(static_cast<const __fp16 *>(scales)[i]) : static_cast<const float *>(scales)[i];
}

inline int64_t readInt(DType t, const void *p, int64_t i) {
  switch (t) {
  case DType::F32: return static_cast<int64_t>(static_cast<const float *>(p)[i]);
  case DType::I64: return static_cast<const int64_t *>(p)[i];
  case DType::I32: return static_cast<const int32_t *>(p)[i];
  case DType::Bool: return static_cast<const uint8_t *>(p)[i];
  }
  return 0;
}

inline float geluTanh(float x) {
  const float c = 0.7978845608028654f; // sqrt(2 / pi)
  return 0.5f * x * (1.0f + std::tanh(c * (x + 0.044715f * x * x * x)));
}

inline float sigmoid(float x) { return 1.0f / (1.0f + std::exp(-x)); }

// ---- Group statistics (group norms) ---------------------------------------------------------------------

/// Group g's mean and 1 / sqrt(var + eps) (the biased variance, not below 0) from per-channel sums acc[0..C) and
/// sums of squares acc[C..2C), the group's channels g * cpg ... of `count` elements in all.
inline void groupMeanInv(const double *acc, int64_t C, int64_t cpg, int64_t g, double count, float eps, double &mean,
                         double &inv) {
  double sum = 0.0, sq = 0.0;
  for (int64_t c = g * cpg; c < (g + 1) * cpg; ++c) {
    sum += acc[c];
    sq += acc[C + c];
  }
  mean = sum / count;
  double var = sq / count - mean * mean;
  var = var > 0.0 ? var : 0.0;
  inv = 1.0 / std::sqrt(var + static_cast<double>(eps));
}

#if defined(MOTE_NEON_FAST)
// ---- Row statistics (norms, and the norm prologue of the GEMM) --------------------------------------------

// Adds the lanes of f32 partial sums into double totals.
inline void addLanes(float32x4_t v, double &total) {
  total += vaddvq_f64(vaddq_f64(vcvt_f64_f32(vget_low_f32(v)), vcvt_high_f64_f32(v)));
}

// Elements (or pixels) per run of f32 partial sums before they are added into double: a run's rounding error
// stays near sqrt(run) ulps of f32 while the totals over whole rows or images are kept in double.
constexpr int64_t kStatsRun = 256;

// Sum and sum of squares of x[0..n): f32 vector partial sums over runs of kStatsRun elements, totals in double.
inline void sumSq(const float *x, int64_t n, double &sum, double &sq) {
  double s = 0.0, q = 0.0;
  int64_t i = 0;
  while (i + 8 <= n) {
    const int64_t end = i + kStatsRun < n ? i + kStatsRun : n;
    float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, q0 = s0, q1 = s0;
    for (; i + 8 <= end; i += 8) {
      const float32x4_t a = vld1q_f32(x + i), b = vld1q_f32(x + i + 4);
      s0 = vaddq_f32(s0, a);
      s1 = vaddq_f32(s1, b);
      q0 = vfmaq_f32(q0, a, a);
      q1 = vfmaq_f32(q1, b, b);
    }
    addLanes(vaddq_f32(s0, s1), s);
    addLanes(vaddq_f32(q0, q1), q);
  }
  for (; i < n; ++i) {
    s += x[i];
    q += static_cast<double>(x[i]) * x[i];
  }
  sum = s;
  sq = q;
}

// Per-channel sums and sums of squares of an NHWC image (`spatial` pixels of C contiguous channels, C % 4 == 0,
// `pixelStride` floats apart) added into acc[0..C) and acc[C..2C): channels 16 (then 4) at a time in f32
// registers over runs of kStatsRun / 4 pixels, each run added into the double totals.
inline void channelSumSq(const float *x, int64_t spatial, int64_t C, size_t pixelStride, double *acc) {
  const int64_t run = kStatsRun / 4;
  for (int64_t p0 = 0; p0 < spatial; p0 += run) {
    const int64_t p1 = p0 + run < spatial ? p0 + run : spatial;
    int64_t c = 0;
    auto flush = [&](float32x4_t sv, float32x4_t qv, int64_t at) {
      const float64x2_t slo = vcvt_f64_f32(vget_low_f32(sv)), shi = vcvt_high_f64_f32(sv);
      const float64x2_t qlo = vcvt_f64_f32(vget_low_f32(qv)), qhi = vcvt_high_f64_f32(qv);
      vst1q_f64(acc + at, vaddq_f64(vld1q_f64(acc + at), slo));
      vst1q_f64(acc + at + 2, vaddq_f64(vld1q_f64(acc + at + 2), shi));
      vst1q_f64(acc + C + at, vaddq_f64(vld1q_f64(acc + C + at), qlo));
      vst1q_f64(acc + C + at + 2, vaddq_f64(vld1q_f64(acc + C + at + 2), qhi));
    };
    for (; c + 16 <= C; c += 16) {
      float32x4_t s0 = vdupq_n_f32(0.0f), s1 = s0, s2 = s0, s3 = s0, q0 = s0, q1 = s0, q2 = s0, q3 = s0;
      for (int64_t p = p0; p < p1; ++p) {
        const float *row = x + p * static_cast<int64_t>(pixelStride) + c;
        const float32x4_t a = vld1q_f32(row), b = vld1q_f32(row + 4), d = vld1q_f32(row + 8), e = vld1q_f32(row + 12);
        s0 = vaddq_f32(s0, a);
        s1 = vaddq_f32(s1, b);
        s2 = vaddq_f32(s2, d);
        s3 = vaddq_f32(s3, e);
        q0 = vfmaq_f32(q0, a, a);
        q1 = vfmaq_f32(q1, b, b);
        q2 = vfmaq_f32(q2, d, d);
        q3 = vfmaq_f32(q3, e, e);
      }
      flush(s0, q0, c);
      flush(s1, q1, c + 4);
      flush(s2, q2, c + 8);
      flush(s3, q3, c + 12);
    }
    for (; c < C; c += 4) {
      float32x4_t s0 = vdupq_n_f32(0.0f), q0 = s0;
      for (int64_t p = p0; p < p1; ++p) {
        const float32x4_t a = vld1q_f32(x + p * static_cast<int64_t>(pixelStride) + c);
        s0 = vaddq_f32(s0, a);
        q0 = vfmaq_f32(q0, a, a);
      }
      flush(s0, q0, c);
    }
  }
}

/// A norm row's mean (0 for RMS) and 1 / sqrt(variance + eps) (RMS: of the mean square), from sumSq.
inline void rowStats(const float *x, int64_t n, float eps, bool rms, float &mean, float &inv) {
  double sum, sq;
  sumSq(x, n, sum, sq);
  if (rms) {
    mean = 0.0f;
    inv = static_cast<float>(1.0 / std::sqrt(sq / static_cast<double>(n) + static_cast<double>(eps)));
    return;
  }
  const double m = sum / static_cast<double>(n);
  double var = sq / static_cast<double>(n) - m * m;
  var = var > 0.0 ? var : 0.0;
  mean = static_cast<float>(m);
  inv = static_cast<float>(1.0 / std::sqrt(var + static_cast<double>(eps)));
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

/// Query rows per head from which attention runs as GEMM tiles (Attention.cpp): packing K and V costs
/// Sk (D + Dv) copies per key/value head, worth it once a head has a few query rows.
constexpr int64_t kAttentionTiledRows = 8;

/// Query rows per tile of the tiled attentions (f32 and f16): a multiple of the GEMMs' 8 rows, a tile's
/// scores within ~128 KiB of f32, at most 64.
inline int attentionTileRows(int64_t Sk) {
  const int64_t fit = (int64_t{32768} / (Sk > 0 ? Sk : 1)) / 8 * 8;
  return static_cast<int>(fit < 8 ? 8 : (fit > 64 ? 64 : fit));
}


/// Attention's element strides over (b, h, s) of q, k, v and out: the 12 values of `layout`, or those of
/// dense [B, H, S, D] buffers when it is null (ops::attention).
struct AttentionStrides {
  int64_t q[3], k[3], v[3], o[3];
  AttentionStrides(const int64_t *layout, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv) {
    const int64_t dense[12] = {H * Sq * D, Sq * D, D, Hkv * Sk * D, Sk * D, D,
                               Hkv * Sk * Dv, Sk * Dv, Dv, H * Sq * Dv, Sq * Dv, Dv};
    const int64_t *l = layout ? layout : dense;
    for (int i = 0; i < 3; ++i) {
      q[i] = l[i];
      k[i] = l[3 + i];
      v[i] = l[6 + i];
      o[i] = l[9 + i];
    }
  }
  /// The elements a buffer with strides `s` over dims (B, heads, S) and rows of `width` spans.
  static int64_t extent(const int64_t *s, int64_t B, int64_t heads, int64_t S, int64_t width) {
    return (B - 1) * s[0] + (heads - 1) * s[1] + (S - 1) * s[2] + width;
  }
};

/// Rows of output work per chunk for the portable loops: about `target` multiply-adds, at least one row.
inline int64_t rowGrain(int64_t macsPerRow, int64_t target = 1 << 14) {
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
template <class Gemm>
inline void gemmRowsParallelWith(int M, int K, const detail::APacker &packer, float *C, size_t ldc, const Epilogue &ep,
                                 const Scratch &work, Gemm gemmRows) {
  (void)K;
  const size_t ldr = ep.residualStride ? ep.residualStride : ldc;
  rt::parallelFor(0, M, kGemmMR, [&](int64_t b, int64_t e, int chunk) {
    const int m0 = static_cast<int>(b), rows = static_cast<int>(e - b);
    Epilogue part = ep;
    if (ep.residual) {
      part.residual = ep.residual + static_cast<size_t>(m0) * ldr;
      part.residualStride = ldr;
    }
    OffsetPacker rowsPacker(packer, m0);
    gemmRows(rows, rowsPacker, C + static_cast<size_t>(m0) * ldc, part, work[chunk]);
  });
}

inline void gemmRowsParallel(int M, int N, int K, const detail::APacker &packer, const float *packedB, float *C,
                             size_t ldc, const Epilogue &ep, const Scratch &work) {
  gemmRowsParallelWith(M, K, packer, C, ldc, ep, work,
                       [&](int rows, const detail::APacker &p, float *c, const Epilogue &part, float *ws) {
                         detail::gemmBlocked(rows, N, K, p, packedB, c, ldc, part, ws);
                       });
}

/// The same over int4 weights packed for detail::gemmBlockedW4 (each chunk a gemmW8WorkspaceFloats block).
inline void gemmRowsParallelW4(int M, int N, int K, int group, const detail::APacker &packer, const void *packedB,
                               float *C, size_t ldc, const Epilogue &ep, const Scratch &work) {
  gemmRowsParallelWith(M, K, packer, C, ldc, ep, work,
                       [&](int rows, const detail::APacker &p, float *c, const Epilogue &part, float *ws) {
                         detail::gemmBlockedW4(rows, N, K, group, p, packedB, c, ldc, part, ws);
                       });
}

/// The same over int8 weights packed for detail::gemmBlockedW8 (each chunk a gemmW8WorkspaceFloats block).
inline void gemmRowsParallelW8(int M, int N, int K, const detail::APacker &packer, const void *packedB, float *C,
                               size_t ldc, const Epilogue &ep, const Scratch &work) {
  gemmRowsParallelWith(M, K, packer, C, ldc, ep, work,
                       [&](int rows, const detail::APacker &p, float *c, const Epilogue &part, float *ws) {
                         detail::gemmBlockedW8(rows, N, K, p, packedB, c, ldc, part, ws);
                       });
}
#endif

// ---- Fused elementwise programs ------------------------------------------------------------------------

/// out = op(in) on n contiguous halves, serially, computing what unaryF16 computes (the sigmoid family and the
/// GELUs in f16 arithmetic, the rest in f32 on widened blocks).
void unaryBlockF16(Unary op, int64_t n, const __fp16 *in, __fp16 *out, float alpha, float beta);

/// Elements per block of a FusedProgram: with up to ~50 registers of 1 KiB, the working set fits a 64 KiB L1.
constexpr int64_t kFusedBlock = 256;

/// Runs `p` over the region elements [i0, i0 + len) in blocks, with `regs` room for p.numRegisters blocks: on
/// f32 registers, or on f16 ones for f16 storage (as fusedElementwiseF16).
void runFusedRange(const FusedProgram &p, int64_t i0, int64_t len, const float *const *inputs,
                   float *const *outputs, float *regs);
void runFusedRange(const FusedProgram &p, int64_t i0, int64_t len, const __fp16 *const *inputs,
                   __fp16 *const *outputs, __fp16 *regs);

/// A kernel's epilogue (FusedEpilogue or FusedEpilogueF16, may be null): the kernel reports each range of output
/// elements it has finished with written(i0, len), in order and contiguous; the program runs once at least
/// kFusedBlock elements are pending (a call per short row would cost more than the program), and on flush(),
/// which the kernel calls when it is done.
template <class Epilogue, typename T>
class BasicEpilogueRunner {
public:
  explicit BasicEpilogueRunner(const Epilogue *epilogue)
      : ep_(epilogue), regs_(epilogue ? new T[static_cast<size_t>(epilogue->program->numRegisters) * kFusedBlock]
                                      : nullptr) {}
  void written(int64_t i0, int64_t len) {
    if (!ep_)
      return;
    if (pending_ == 0)
      first_ = i0;
    pending_ += len;
    if (pending_ >= kFusedBlock)
      flush();
  }
  void flush() {
    if (ep_ && pending_ > 0)
      runFusedRange(*ep_->program, first_, pending_, ep_->inputs, ep_->outputs, regs_.get());
    pending_ = 0;
  }

private:
  const Epilogue *ep_;
  std::unique_ptr<T[]> regs_;
  int64_t first_ = 0, pending_ = 0;
};
using EpilogueRunner = BasicEpilogueRunner<FusedEpilogue, float>;
using EpilogueRunnerF16 = BasicEpilogueRunner<FusedEpilogueF16, __fp16>;

} // namespace support
} // namespace ops
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_OPSSUPPORT_H
