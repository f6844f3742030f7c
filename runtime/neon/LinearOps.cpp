// NEON op kernels: matrix products and convolutions, their weight packing, and the f16 GEMM paths.
#include "runtime/neon/OpsSupport.h"

#include "runtime/neon/Conv3x3F16.h"
#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmI16.h"
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/PackedSizes.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

#ifdef MOTE_NEON_FAST
/// `ep` for batch item `n`: its residual moved to that item (the residual shares the output's strides).
Epilogue forItem(const Epilogue &ep, int64_t n, int64_t itemStride) {
  Epilogue e = ep;
  if (e.residual)
    e.residual += n * itemStride;
  return e;
}

// f16 storage computes matmuls and 1x1 convolutions in f16 (`fmla .8h`, 8 MACs an instruction: twice the f32
// rate), the layout PackedSizes.h sizes as PackedLayout::GemmBF16.
constexpr F16Accumulation kF16Gemm = F16Accumulation::F16;
#endif

#ifdef MOTE_NEON_FAST
/// Dense row-major A [M, K] normalized on the way in (the GEMM's norm prologue, NormPrologue): each row's
/// statistics as the norm kernels compute them (rowStats, over the whole row, so recomputed for each
/// reduction block when K is split), then element (m, k) packed as (A[m][k] - mean) * inv * scale[k] +
/// bias[k] (bias may be null) with the vector arithmetic of the norm kernels' normalizeRow.
struct NormalizedAPacker final : detail::APacker {
  const float *A = nullptr;
  size_t lda = 0;
  int K = 0;
  const float *scale = nullptr, *bias = nullptr;
  float eps = 0.0f;
  bool rms = false;
  void pack(int m0, int rows, int k0, int kc, float *dst) const override {
    for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
      const int valid = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
      const float *row[kGemmMR];
      float mean[kGemmMR], inv[kGemmMR];
      for (int r = 0; r < valid; ++r) {
        row[r] = A + static_cast<size_t>(m0 + r0 + r) * lda;
        rowStats(row[r], K, eps, rms, mean[r], inv[r]);
      }
      int k = 0;
      for (; k + 4 <= kc; k += 4) {
        const float32x4_t s = vld1q_f32(scale + k0 + k), b = bias ? vld1q_f32(bias + k0 + k) : vdupq_n_f32(0.0f);
        float32x4_t v[kGemmMR];
        for (int r = 0; r < kGemmMR; ++r)
          v[r] = r < valid ? vfmaq_f32(b, vmulq_f32(vsubq_f32(vld1q_f32(row[r] + k0 + k), vdupq_n_f32(mean[r])),
                                                    vdupq_n_f32(inv[r])),
                                       s)
                           : vdupq_n_f32(0.0f);
        detail::transpose4x4(v[0], v[1], v[2], v[3]);
        detail::transpose4x4(v[4], v[5], v[6], v[7]);
        const float32x4x4_t s0 = {{v[0], v[4], v[1], v[5]}}, s1 = {{v[2], v[6], v[3], v[7]}};
        vst1q_f32_x4(dst + static_cast<size_t>(k) * kGemmMR, s0);
        vst1q_f32_x4(dst + static_cast<size_t>(k) * kGemmMR + 16, s1);
      }
      for (; k < kc; ++k)
        for (int r = 0; r < kGemmMR; ++r)
          dst[k * kGemmMR + r] =
              r < valid ? (row[r][k0 + k] - mean[r]) * inv[r] * scale[k0 + k] + (bias ? bias[k0 + k] : 0.0f) : 0.0f;
      dst += static_cast<size_t>(kc) * kGemmMR;
    }
  }
};

/// The fast matmul loop: packedB(o) gives the packed right operand of the batch at offsets o: f32 panels
/// (Bits = 32), or int8 (8) / int4 (4, `group` rows of K per scale) panels and scales for
/// detail::gemmBlockedW8 / W4.
template <int Bits = 32, class GetB>
void matmulFast(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides, int64_t M,
                int64_t N, int64_t K, float *out, GetB packedB, const int64_t *bBatchStrides,
                const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr, int group = 0) {
  int64_t os[kMaxRank];
  contiguousStrides(batchRank, batchShape, os);
  const int64_t *strides[3] = {aBatchStrides, bBatchStrides, os};
  const int64_t mn = M * N;
  const int m = static_cast<int>(M), n = static_cast<int>(N), kk = static_cast<int>(K);
  Scratch work(rt::defaultThreadPool().threadCount(),
               Bits == 32 ? gemmWorkspaceFloats(m, kk) : gemmW8WorkspaceFloats(m, kk));
  // C = A B for A's rows from `rows`: one row by the GEMV (f32) or single-threaded (int8, int4), more split over
  // threads.
  auto product = [&](const detail::APacker &rows, const float *row, const auto *pb, float *c, const Epilogue &ep) {
    const size_t ldc = static_cast<size_t>(n);
    if constexpr (Bits == 8) {
      (void)row;
      if (m == 1)
        detail::gemmBlockedW8(1, n, kk, rows, pb, c, ldc, ep, work[0]);
      else
        gemmRowsParallelW8(m, n, kk, rows, pb, c, ldc, ep, work);
    } else if constexpr (Bits == 4) {
      (void)row;
      if (m == 1)
        detail::gemmBlockedW4(1, n, kk, group, rows, pb, c, ldc, ep, work[0]);
      else
        gemmRowsParallelW4(m, n, kk, group, rows, pb, c, ldc, ep, work);
    } else {
      if (m == 1)
        gemv(n, kk, row, pb, c, ep);
      else
        gemmRowsParallel(m, n, kk, rows, pb, c, ldc, ep, work);
    }
  };
  forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
    const auto *pb = packedB(o);
    Epilogue ep = epilogue ? *epilogue : Epilogue{};
    if (ep.residual)
      ep.residual += o[2] * mn;
    if (prologue) {
      const NormPrologue pro = *prologue;
      if (m == 1) { // one row: the norm kernel into scratch, then the product
        Scratch normalized(1, static_cast<size_t>(K));
        if (pro.rms)
          rmsNorm(1, K, pro.eps, a + o[0], pro.scale, normalized[0]);
        else
          layerNorm(1, K, pro.eps, a + o[0], pro.scale, pro.bias, normalized[0]);
        detail::DenseAPacker row(normalized[0], static_cast<size_t>(kk));
        product(row, normalized[0], pb, out + o[2] * mn, ep);
      } else {
        NormalizedAPacker packer;
        packer.A = a + o[0];
        packer.lda = static_cast<size_t>(kk);
        packer.K = kk;
        packer.scale = pro.scale;
        packer.bias = pro.bias;
        packer.eps = pro.eps;
        packer.rms = pro.rms;
        product(packer, nullptr, pb, out + o[2] * mn, ep);
      }
      return;
    }
    detail::DenseAPacker rows(a + o[0], static_cast<size_t>(kk));
    product(rows, a + o[0], pb, out + o[2] * mn, ep);
  });
}

void conv3x3WinogradFast(const Conv2DParams &p, const float *in, const int64_t *is, const float *packed,
                         const float *bias, float *out, const int64_t *os, const Epilogue *ep) {
  Epilogue epilogue = ep ? *ep : Epilogue{};
  epilogue.bias = bias;
  Conv3x3Shape shape;
  shape.H = static_cast<int>(p.OH);
  shape.W = static_cast<int>(p.W);
  shape.Cin = static_cast<int>(p.C);
  shape.Cout = static_cast<int>(p.M);
  shape.inRows = static_cast<int>(p.H); // a band of a larger image (ConvBands.cpp) reads other rows
  shape.padTop = static_cast<int>(p.padTop);
  Scratch work(1, winogradF43WorkspaceFloats(shape));
  for (int64_t n = 0; n < p.N; ++n)
    conv3x3WinogradF43(shape, in + n * is[0], packed, out + n * os[0], forItem(epilogue, n, os[0]), work[0]);
}

// Any group-1 NHWC convolution as the GEMM over its taps (weights packed tap-major: PackedLayout::ConvTaps, of
// which the 3x3 direct kernel's PackedLayout::Conv3x3 is the 9-tap case), output pixels split between threads.
// With W8, `packed` holds int8 weights and scales (PackedLayout::ConvTapsW8) for detail::gemmBlockedW8.
template <bool W8 = false, class Packed>
void convTapsFast(const Conv2DParams &p, const float *in, const int64_t *is, const Packed *packed, const float *bias,
                  float *out, const int64_t *os, const Epilogue *ep) {
  Epilogue epilogue = ep ? *ep : Epilogue{};
  epilogue.bias = bias;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M), taps = static_cast<int>(p.KH * p.KW);
  Scratch zeros(1, static_cast<size_t>(Cin));
  std::memset(zeros[0], 0, sizeof(float) * static_cast<size_t>(Cin));
  const int pixels = static_cast<int>(p.OH * p.OW), K = taps * Cin;
  Scratch work(rt::defaultThreadPool().threadCount(), W8 ? gemmW8WorkspaceFloats(pixels, K) : gemmWorkspaceFloats(pixels, K));
  detail::ConvTapsAPacker packer;
  packer.zeros = zeros[0];
  packer.H = static_cast<int>(p.H);
  packer.W = static_cast<int>(p.W);
  packer.Cin = Cin;
  packer.OW = static_cast<int>(p.OW);
  packer.KW = static_cast<int>(p.KW);
  packer.strideH = static_cast<int>(p.strideH);
  packer.strideW = static_cast<int>(p.strideW);
  packer.padTop = static_cast<int>(p.padTop);
  packer.padLeft = static_cast<int>(p.padLeft);
  packer.dilationH = static_cast<int>(p.dilationH);
  packer.dilationW = static_cast<int>(p.dilationW);
  packer.inStride = static_cast<size_t>(Cin);
  for (int64_t n = 0; n < p.N; ++n) {
    packer.input = in + n * is[0];
    if constexpr (W8)
      gemmRowsParallelW8(pixels, Cout, K, packer, packed, out + n * os[0], static_cast<size_t>(Cout),
                         forItem(epilogue, n, os[0]), work);
    else
      gemmRowsParallel(pixels, Cout, K, packer, packed, out + n * os[0], static_cast<size_t>(Cout),
                       forItem(epilogue, n, os[0]), work);
  }
}

void conv1x1Fast(const Conv2DParams &p, const float *in, const int64_t *is, const float *packed, const float *bias,
                 float *out, const int64_t *os, const Epilogue *ep) {
  Epilogue epilogue = ep ? *ep : Epilogue{};
  epilogue.bias = bias;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M);
  const int pixels = static_cast<int>(p.H * p.W);
  Scratch work(rt::defaultThreadPool().threadCount(), gemmWorkspaceFloats(pixels, Cin));
  for (int64_t n = 0; n < p.N; ++n) {
    if (pixels == 1) {
      gemv(Cout, Cin, in + n * is[0], packed, out + n * os[0], forItem(epilogue, n, os[0]));
    } else {
      // As conv1x1() (Gemm.h), with the pixels split between threads.
      detail::DenseAPacker packer(in + n * is[0], static_cast<size_t>(Cin));
      gemmRowsParallel(pixels, Cout, Cin, packer, packed, out + n * os[0], static_cast<size_t>(Cout),
                       forItem(epilogue, n, os[0]), work);
    }
  }
}
#endif

} // namespace

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
            float *out, const int64_t *os, const Epilogue *ep) {
#ifdef MOTE_NEON_FAST
  // Weights that are not constants (packed here, per call): NHWC dense, group 1 -> the GEMM kernels.
  const bool dense = p.group == 1 && is[1] == 1 && is[3] == p.C && is[2] == p.W * p.C && os[1] == 1 &&
                     os[3] == p.M && os[2] == p.OW * p.M;
  const bool unit = p.dilationH == 1 && p.dilationW == 1 && p.strideH == 1 && p.strideW == 1;
  const int Cin = static_cast<int>(p.C), Cout = static_cast<int>(p.M);
  if (dense && unit && p.KH == 1 && p.KW == 1 && p.padTop == 0 && p.padLeft == 0 && p.OH == p.H && p.OW == p.W) {
    Scratch packed(1, packedGemmBFloats(Cin, Cout));
    packGemmBTransposed(Cin, Cout, weight, static_cast<size_t>(Cin), packed[0]);
    conv1x1Fast(p, in, is, packed[0], bias, out, os, ep);
    return;
  }
  if (dense) {
    const int64_t taps = p.KH * p.KW;
    Scratch packed(1, static_cast<size_t>(gemmBFloats(taps * Cin, Cout)));
    packConv2dWeights(ConvKernel::Taps, Cin, Cout, weight, packed[0], taps);
    convTapsFast(p, in, is, packed[0], bias, out, os, ep);
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
          const int64_t at = n * os[0] + m * os[1] + oh * os[2] + ow * os[3];
          out[at] = finishScalar(ep, acc, at);
        }
    }
  });
}

void packConv2dWeights(ConvKernel kernel, int64_t Cin, int64_t Cout, const float *weight, float *packed,
                       int64_t taps) {
#ifdef MOTE_NEON_FAST
  const int ci = static_cast<int>(Cin), co = static_cast<int>(Cout);
  switch (kernel) {
  case ConvKernel::Taps:
    return packConvTapsWeights(ci, co, static_cast<int>(taps), weight, packed);
  case ConvKernel::Direct3x3:
    return packConv3x3Weights(ci, co, weight, packed);
  case ConvKernel::Winograd3x3:
    return packWinogradF43Weights(ci, co, weight, packed);
  case ConvKernel::Pointwise:
    return packGemmBTransposed(ci, co, weight, static_cast<size_t>(ci), packed);
  }
#else
  if (kernel != ConvKernel::Taps)
    taps = kernel == ConvKernel::Pointwise ? 1 : 9;
  std::memcpy(packed, weight, sizeof(float) * static_cast<size_t>(Cin * Cout * taps));
#endif
}

void conv2dPacked(ConvKernel kernel, const Conv2DParams &p, const float *in, const int64_t *is, const float *packed,
                  const float *bias, float *out, const int64_t *os, const Epilogue *ep) {
#ifdef MOTE_NEON_FAST
  switch (kernel) {
  case ConvKernel::Direct3x3:
    return convTapsFast(p, in, is, packed, bias, out, os, ep);
  case ConvKernel::Winograd3x3:
    return conv3x3WinogradFast(p, in, is, packed, bias, out, os, ep);
  case ConvKernel::Pointwise:
    return conv1x1Fast(p, in, is, packed, bias, out, os, ep);
  case ConvKernel::Taps:
    return convTapsFast(p, in, is, packed, bias, out, os, ep);
  }
#else
  (void)kernel;
  conv2d(p, in, is, packed, bias, out, os, ep);
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
                  const float *packedB, int64_t M, int64_t N, int64_t K, float *out, const Epilogue *ep,
                  const NormPrologue *prologue) {
  int64_t zeros[kMaxRank] = {0};
#ifdef MOTE_NEON_FAST
  matmulFast(batchRank, batchShape, a, aBatchStrides, M, N, K, out, [packedB](const int64_t *) { return packedB; },
             zeros, ep, prologue);
#else
  // Portable: the norm into a copy of a (its rows dense, as a norm's result is), then the plain matmul.
  int64_t rows = M;
  for (int d = 0; d < batchRank; ++d)
    rows *= batchShape[d];
  Scratch normalized(1, prologue ? static_cast<size_t>(rows * K) : 1);
  if (prologue) {
    if (prologue->rms)
      rmsNorm(rows, K, prologue->eps, a, prologue->scale, normalized[0]);
    else
      layerNorm(rows, K, prologue->eps, a, prologue->scale, prologue->bias, normalized[0]);
    a = normalized[0];
  }
  matmul(batchRank, batchShape, a, aBatchStrides, packedB, zeros, M, N, K, out);
  if (ep) { // the epilogue over the contiguous result
    int64_t total = M * N;
    for (int d = 0; d < batchRank; ++d)
      total *= batchShape[d];
    for (int64_t i = 0; i < total; ++i)
      out[i] = finishScalar(ep, out[i] + (ep->bias ? ep->bias[i % N] : 0.0f), i);
  }
#endif
}

void packMatmulBF16(int64_t K, int64_t N, const float *b, void *packed) {
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    packGemmF16BFromF32(static_cast<int>(K), static_cast<int>(N), b, static_cast<size_t>(N),
                        static_cast<float16_t *>(packed), kF16Gemm);
    return;
  }
#endif
  f32ToF16(K * N, b, packed);
}

namespace {

/// The portable f16 paths' epilogue on an f32 result c [M, N]: + bias[n] + residual[offset + m N + n], then
/// the activation (as the vector kernels compute it).
void applyEpilogueF16(const EpilogueF16 &ep, int64_t M, int64_t N, int64_t residualOffset, float *c) {
  for (int64_t m = 0; m < M; ++m)
    for (int64_t n = 0; n < N; ++n) {
      float v = c[m * N + n];
      if (ep.bias)
        v += static_cast<float>(ep.bias[n]);
      if (ep.residual)
        v += static_cast<float>(ep.residual[residualOffset + m * N + n]);
      c[m * N + n] = vgetq_lane_f32(detail::activate(vdupq_n_f32(v), ep.act, ep.clampLo, ep.clampHi), 0);
    }
}

} // namespace

void matmulPackedF16(int batchRank, const int64_t *batchShape, const void *a, const int64_t *aBatchStrides,
                     const void *packedB, int64_t M, int64_t N, int64_t K, void *out, const EpilogueF16 *epilogue) {
  int64_t os[kMaxRank], zeros[kMaxRank] = {0};
  contiguousStrides(batchRank, batchShape, os);
  const int64_t *strides[3] = {aBatchStrides, zeros, os};
  const int64_t mn = M * N;
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    const int m = static_cast<int>(M), n = static_cast<int>(N), kk = static_cast<int>(K);
    Scratch work(1, (gemmF16WorkspaceBytes(m, kk, kF16Gemm) + sizeof(float) - 1) / sizeof(float));
    const float16_t *A = static_cast<const float16_t *>(a);
    float16_t *C = static_cast<float16_t *>(out);
    forEachIndex<3>(batchRank, batchShape, strides, [&](const int64_t *o) {
      // The residual has out's shape: this batch's matrix of it.
      EpilogueF16 ep = epilogue ? *epilogue : EpilogueF16();
      if (ep.residual)
        ep.residual += o[2] * mn;
      gemmF16(m, n, kk, A + o[0], static_cast<size_t>(kk), static_cast<const float16_t *>(packedB), C + o[2] * mn,
              static_cast<size_t>(n), ep, kF16Gemm, work[0]);
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
    if (epilogue)
      applyEpilogueF16(*epilogue, M, N, o[2] * mn, cf[0]);
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

void conv1x1PackedF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                      const EpilogueF16 *epilogue) {
  const int64_t pixels = p.H * p.W;
  // The convolution's bias, then the epilogue's residual and activation.
  EpilogueF16 ep = epilogue ? *epilogue : EpilogueF16();
  ep.bias = static_cast<const float16_t *>(bias);
#ifdef MOTE_NEON_FAST
  if (gemmF16Supported()) {
    const int m = static_cast<int>(pixels), n = static_cast<int>(p.M), kk = static_cast<int>(p.C);
    Scratch work(1, (gemmF16WorkspaceBytes(m, kk, kF16Gemm) + sizeof(float) - 1) / sizeof(float));
    for (int64_t b = 0; b < p.N; ++b) {
      EpilogueF16 image = ep;
      if (image.residual)
        image.residual += b * pixels * p.M;
      gemmF16(m, n, kk, static_cast<const float16_t *>(in) + b * pixels * p.C, static_cast<size_t>(kk),
              static_cast<const float16_t *>(packed), static_cast<float16_t *>(out) + b * pixels * p.M,
              static_cast<size_t>(n), image, kF16Gemm, work[0]);
    }
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
    EpilogueF16 rest = ep; // the bias is in the sums already
    rest.bias = nullptr;
    applyEpilogueF16(rest, pixels, M, b * pixels * M, cf[0]);
    f32ToF16(pixels * M, cf[0], static_cast<uint16_t *>(out) + b * pixels * M);
  }
}

bool packWeightsW8(PackedLayout layout, int64_t K, int64_t N, const int8_t *q, const float *scales, void *packed,
                   int64_t bytes, int64_t taps) {
  if (bytes != packedBytes(layout, K, N, taps) || taps < 1)
    return false;
  const int k = static_cast<int>(K), n = static_cast<int>(N), t = static_cast<int>(taps);
  // The two sources: B [K, N] (a matmul's right operand, a Gemm's B with transB = 0), and a convolution's
  // w [Cout, Cin, taps] read as B [taps Cin, Cout], row kk = tap * Cin + ci (as ConvTaps; one tap: a Gemm's B^T).
  auto fromKN = [q, N](int kk, int nn) { return q[kk * N + nn]; };
  auto fromTaps = [q, k, t](int kk, int nn) { return q[(static_cast<size_t>(nn) * k + kk % k) * t + kk / k]; };
  switch (layout) {
  case PackedLayout::GemmBW8:
    detail::packGemmBW8With(k, n, fromKN, scales, packed);
    return true;
  case PackedLayout::ConvTapsW8:
    detail::packGemmBW8With(t * k, n, fromTaps, scales, packed);
    return true;
  case PackedLayout::GemmBI8Dot:
    detail::packGemmBI8DotWith(k, n, fromKN, scales, packed);
    return true;
  case PackedLayout::ConvTapsI8Dot:
    detail::packGemmBI8DotWith(t * k, n, fromTaps, scales, packed);
    return true;
  case PackedLayout::GemmBW8A16:
    detail::packGemmBW8A16With(k, n, fromKN, scales, packed);
    return true;
  case PackedLayout::ConvTapsW8A16:
    detail::packGemmBW8A16With(t * k, n, fromTaps, scales, packed);
    return true;
  default:
    return false;
  }
}

namespace {
#ifndef MOTE_NEON_FAST
// The portable paths: int8 panels (K rows of B [K, N]) back to dense f32 B (q * scale).
void unpackW8(const void *packed, int64_t K, int64_t N, float *b) {
  const int8_t *q = static_cast<const int8_t *>(packed);
  const float *scales = reinterpret_cast<const float *>(q + w8PanelBytes(K, N));
  for (int64_t n0 = 0; n0 < N; n0 += kGemmNR) {
    const int64_t cols = N - n0 < kGemmNR ? N - n0 : kGemmNR, width = (cols + 3) / 4 * 4;
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < cols; ++j)
        b[k * N + n0 + j] = static_cast<float>(q[n0 * K + k * width + j]) * scales[n0 + j];
  }
}
// int4 panels (two a byte) and their per-group scales back to dense f32 B.
void unpackW4(const void *packed, int64_t K, int64_t N, int64_t group, float *b) {
  const uint8_t *q = static_cast<const uint8_t *>(packed);
  const float *scales = reinterpret_cast<const float *>(q + w4PanelBytes(K, N));
  const int64_t paddedN = gemmBFloats(1, N);
  for (int64_t n0 = 0; n0 < N; n0 += kGemmNR) {
    const int64_t cols = N - n0 < kGemmNR ? N - n0 : kGemmNR, width = (cols + 3) / 4 * 4;
    for (int64_t k = 0; k < K; ++k)
      for (int64_t j = 0; j < cols; ++j) {
        b[k * N + n0 + j] = static_cast<float>(int4At(q, n0 * K + k * width + j)) * scales[(k / group) * paddedN + n0 + j];
      }
  }
}
#endif
} // namespace

void matmulPackedW8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                    const void *packedB, int64_t M, int64_t N, int64_t K, float *out, const Epilogue *ep,
                    const NormPrologue *prologue) {
#ifdef MOTE_NEON_FAST
  int64_t zeros[kMaxRank] = {0};
  matmulFast<8>(batchRank, batchShape, a, aBatchStrides, M, N, K, out,
                [packedB](const int64_t *) { return packedB; }, zeros, ep, prologue);
#else
  Scratch b(1, static_cast<size_t>(K * N));
  unpackW8(packedB, K, N, b[0]);
  matmulPacked(batchRank, batchShape, a, aBatchStrides, b[0], M, N, K, out, ep, prologue);
#endif
}

bool packWeightsW4(PackedLayout layout, int64_t K, int64_t N, int64_t group, const void *q, const void *scales,
                   void *packed, int64_t bytes, bool f16Scales) {
  if (bytes != packedBytes(layout, K, N, 1, group) || group < 1)
    return false;
  const uint8_t *nibbles = static_cast<const uint8_t *>(q);
  auto scaleAt = [&](int64_t i) { return blockScaleAt(scales, f16Scales, i); };
  const int k = static_cast<int>(K), n = static_cast<int>(N), g = static_cast<int>(group);
  const int64_t groups = (K + group - 1) / group;
  switch (layout) {
  case PackedLayout::GemmBW4: // q [K, N], scales [groups, N]
    detail::packGemmBW4With(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(kk) * N + nn); },
                            [&](int gg, int nn) { return scaleAt(static_cast<int64_t>(gg) * N + nn); },
                            packed);
    return true;
  case PackedLayout::GemmBW4FromNK: // q [N, K], scales [N, groups]
    detail::packGemmBW4With(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(nn) * K + kk); },
                            [&](int gg, int nn) { return scaleAt(static_cast<int64_t>(nn) * groups + gg); },
                            packed);
    return true;
  default:
    return false;
  }
}

void matmulPackedW4(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                    const void *packedB, int64_t M, int64_t N, int64_t K, int64_t group, float *out, const Epilogue *ep,
                    const NormPrologue *prologue) {
#ifdef MOTE_NEON_FAST
  int64_t zeros[kMaxRank] = {0};
  matmulFast<4>(batchRank, batchShape, a, aBatchStrides, M, N, K, out,
                [packedB](const int64_t *) { return packedB; }, zeros, ep, prologue, static_cast<int>(group));
#else
  Scratch b(1, static_cast<size_t>(K * N));
  unpackW4(packedB, K, N, group, b[0]);
  matmulPacked(batchRank, batchShape, a, aBatchStrides, b[0], M, N, K, out, ep, prologue);
#endif
}

void conv2dPackedW8(const Conv2DParams &p, const float *in, const int64_t *is, const void *packed,
                    const float *bias, float *out, const int64_t *os, const Epilogue *ep) {
#ifdef MOTE_NEON_FAST
  convTapsFast<true>(p, in, is, packed, bias, out, os, ep);
#else
  const int64_t taps = p.KH * p.KW, K = taps * p.C;
  Scratch b(1, static_cast<size_t>(K * p.M)), w(1, static_cast<size_t>(K * p.M));
  unpackW8(packed, K, p.M, b[0]);
  for (int64_t co = 0; co < p.M; ++co) // B [tap * Cin + ci][co] -> w [co][ci][tap]
    for (int64_t ci = 0; ci < p.C; ++ci)
      for (int64_t t = 0; t < taps; ++t)
        w[0][(co * p.C + ci) * taps + t] = b[0][(t * p.C + ci) * p.M + co];
  conv2d(p, in, is, w[0], bias, out, os, ep);
#endif
}

namespace {
/// A 3x3 f16 convolution without FP16 vector arithmetic: f32 copies of everything (packed holds w [Cout][Cin][3][3]
/// as f16).
void conv3x3F16Portable(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                        const EpilogueF16 *epilogue) {
  const int64_t inN = p.N * p.H * p.W * p.C, outN = p.N * p.OH * p.OW * p.M, wN = 9 * p.C * p.M;
  Scratch fin(1, static_cast<size_t>(inN)), fw(1, static_cast<size_t>(wN)), fb(1, static_cast<size_t>(p.M)),
      fout(1, static_cast<size_t>(outN));
  f16ToF32(inN, in, fin[0]);
  f16ToF32(wN, packed, fw[0]);
  if (bias)
    f16ToF32(p.M, bias, fb[0]);
  const int64_t is[4] = {p.H * p.W * p.C, 1, p.W * p.C, p.C}, os[4] = {p.OH * p.OW * p.M, 1, p.OW * p.M, p.M};
  conv2d(p, fin[0], is, fw[0], bias ? fb[0] : nullptr, fout[0], os);
  if (epilogue) {
    EpilogueF16 rest = *epilogue; // the bias is in the sums already
    rest.bias = nullptr;
    applyEpilogueF16(rest, p.N * p.OH * p.OW, p.M, 0, fout[0]);
  }
  f32ToF16(outN, fout[0], out);
}
} // namespace

void conv3x3PackedF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                      const EpilogueF16 *epilogue) {
  if (conv3x3F16Supported())
    return conv3x3F16(static_cast<int>(p.N), static_cast<int>(p.H), static_cast<int>(p.W), static_cast<int>(p.C),
                      static_cast<int>(p.M), static_cast<int>(p.OH), static_cast<int>(p.OW),
                      static_cast<int>(p.strideH), static_cast<int>(p.strideW), static_cast<int>(p.padTop),
                      static_cast<int>(p.padLeft), in, packed, bias, out, epilogue);
  conv3x3F16Portable(p, in, packed, bias, out, epilogue);
}

void conv3x3WinogradF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                        const EpilogueF16 *epilogue) {
  if (winogradF23F16Supported())
    return conv3x3WinogradF23F16(static_cast<int>(p.N), static_cast<int>(p.H), static_cast<int>(p.W),
                                 static_cast<int>(p.C), static_cast<int>(p.M), in, packed, bias, out, epilogue);
  conv3x3F16Portable(p, in, packed, bias, out, epilogue);
}

bool packWeights(PackedLayout layout, int64_t K, int64_t N, const float *src, void *packed, int64_t bytes,
                 int64_t taps) {
  if (bytes != packedBytes(layout, K, N, taps) || taps < 1)
    return false;
  float *f32 = static_cast<float *>(packed);
  switch (layout) {
  case PackedLayout::GemmB:
    packMatmulB(K, N, src, f32);
    return true;
  case PackedLayout::GemmBF16:
    packMatmulBF16(K, N, src, packed);
    return true;
  case PackedLayout::Conv1x1:
    packConv2dWeights(ConvKernel::Pointwise, K, N, src, f32);
    return true;
  case PackedLayout::Conv1x1F16:
    packConv1x1WeightsF16(K, N, src, packed);
    return true;
  case PackedLayout::Conv3x3:
    packConv2dWeights(ConvKernel::Direct3x3, K, N, src, f32);
    return true;
  case PackedLayout::WinogradF43:
    packConv2dWeights(ConvKernel::Winograd3x3, K, N, src, f32);
    return true;
  case PackedLayout::ConvTaps:
    packConv2dWeights(ConvKernel::Taps, K, N, src, f32, taps);
    return true;
  case PackedLayout::Conv3x3F16:
    if (conv3x3F16Supported())
      packConv3x3WeightsF16(static_cast<int>(K), static_cast<int>(N), src, packed);
    else
      f32ToF16(9 * K * N, src, packed); // w as it is, for the portable path of conv3x3PackedF16
    return true;
  case PackedLayout::WinogradF23F16:
    if (winogradF23F16Supported())
      packWinogradF23WeightsF16(static_cast<int>(K), static_cast<int>(N), src, packed);
    else
      f32ToF16(9 * K * N, src, packed); // w as it is, for the portable path of conv3x3WinogradF16
    return true;
  case PackedLayout::GemmBW8:
  case PackedLayout::ConvTapsW8:
  case PackedLayout::GemmBW4:
  case PackedLayout::GemmBW4FromNK:
  case PackedLayout::GemmBI4Dot:
  case PackedLayout::GemmBI4DotFromNK:
  case PackedLayout::GemmBI8Dot:
  case PackedLayout::ConvTapsI8Dot:
  case PackedLayout::GemmBW8A16:
  case PackedLayout::ConvTapsW8A16:
    return false; // int8 and int4 sources: packWeightsW8, packWeightsW4, packWeightsI4Dot
  }
  return false;
}

} // namespace ops
} // namespace neon
} // namespace mote
