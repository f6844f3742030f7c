// The integer-product layers: the w4a8 matmul (`motec --quantize=w4a8`: activations quantized to int8 per row
// at run time, int4 weights in GemmI8.h's I4Dot layout), the w8a8 matmul and convolution (`--quantize=w8a8`:
// activations quantized per tensor with a calibrated scale, int8 weights in the I8Dot layout), the products in
// integers (sdot) with GemmI8.h's exact arithmetic; the w8a16 ones (int16 activations, GemmI16.h); and the integer
// pipeline's int8 convolution, requantized to int8 (--neon-activation-type=i8).
#include "runtime/neon/OpsSupport.h"

#include "runtime/integer/Requantize.h"
#include "runtime/neon/PackedSizes.h"

#include "runtime/neon/GemmI16.h"
#include "runtime/neon/GemmI8.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <vector>

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

#ifndef MOTE_NEON_FAST
// GemmI8.h's arithmetic for one row, read from the I4Dot layout: the portable path.
void rowI4DotPortable(const float *x, const void *packedB, int64_t N, int64_t K, int64_t group, float *y,
                      const Epilogue &ep) {
  const uint8_t *bytes = static_cast<const uint8_t *>(packedB);
  const int64_t K4 = (K + 3) / 4, paddedN = i4DotPaddedN(N), groups = (K + group - 1) / group;
  const float *sb = reinterpret_cast<const float *>(bytes + (K4 * 2 * paddedN + 63) / 64 * 64);
  float m = 0.0f;
  for (int64_t k = 0; k < K; ++k)
    m = (std::fabs(x[k]) > m || std::isnan(x[k])) ? std::fabs(x[k]) : m;
  const float sa = m / 127.0f;
  std::vector<int32_t> qa(static_cast<size_t>(K), 0);
  if (sa > 0.0f)
    for (int64_t k = 0; k < K; ++k) {
      const float v = std::nearbyint(x[k] / sa);
      qa[k] = std::isnan(v) ? 0 : static_cast<int32_t>(v);
    }
  for (int64_t n = 0; n < N; ++n) {
    const int64_t panel = n / 8, c = n % 8;
    float t = 0.0f;
    for (int64_t g = 0; g < groups; ++g) {
      int32_t acc = 0;
      for (int64_t k = g * group; k < K && k < (g + 1) * group; ++k) {
        const uint8_t b = bytes[panel * K4 * 16 + ((k / 4) * 4 + c % 4) * 4 + k % 4];
        const int w = c < 4 ? (b & 15) - 8 : static_cast<int8_t>(b & 0xF0) / 16;
        acc += qa[k] * w;
      }
      const float s = sb[g * paddedN + n] * (c >= 4 ? 16.0f : 1.0f);
      t = std::fma(static_cast<float>(acc), s, t);
    }
    y[n] = finishScalar(&ep, std::fma(t, sa, ep.bias ? ep.bias[n] : 0.0f), n);
  }
}

// The per-tensor quantization of one value to [-qmax, qmax] (GemmI8.h, GemmI16.h).
int32_t quantizePortable(float x, float sa, float qmax) {
  const float v = std::nearbyint(x / sa);
  return std::isnan(v) ? 0 : static_cast<int32_t>(std::fmin(qmax, std::fmax(-qmax, v)));
}

// The per-tensor arithmetic for one quantized row qa against int8 B in the I8Dot layout (int16: GemmI16.h's
// layout): the portable path.
void rowPerTensorPortable(const int32_t *qa, float sa, const void *packedB, int64_t N, int64_t K, bool int16, float *y,
                          const Epilogue &ep) {
  const int8_t *bytes = static_cast<const int8_t *>(packedB);
  const int64_t K4 = (K + 3) / 4, paddedN = int16 ? w8a16PaddedN(N) : i8DotPaddedN(N);
  const float *sb = reinterpret_cast<const float *>(bytes + ((int16 ? K : K4 * 4) * paddedN + 63) / 64 * 64);
  for (int64_t n = 0; n < N; ++n) {
    int64_t acc = 0;
    if (int16) {
      for (int64_t k = 0; k < K; ++k)
        acc += static_cast<int64_t>(qa[k]) * bytes[(n / 8 * 8) * K + k * 8 + n % 8];
    } else {
      const int64_t n0 = n / 12 * 12, c = n - n0, width = ((N - n0 < 12 ? N - n0 : 12) + 3) / 4 * 4;
      const int8_t *panel = bytes + n0 * K4 * 4;
      for (int64_t k = 0; k < K; ++k)
        acc += qa[k] * panel[((k / 4) * width + c) * 4 + k % 4];
    }
    y[n] = finishScalar(&ep, std::fma(static_cast<float>(acc), sa * sb[n], ep.bias ? ep.bias[n] : 0.0f), n);
  }
}
#endif

/// The batch loop of the integer matmuls: each item's rows (normalized first by `prologue`), then
/// `rowsProduct(r0, r1, rows, c, epilogue, work)` on row ranges split between threads (fast path) or
/// `rowProduct(row, y, epilogue)` one row at a time (portable path), the epilogue's residual at the first row.
template <class RowsProduct, class RowProduct>
void matmulInt8Rows(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides, int64_t M,
                    int64_t N, int64_t K, size_t workspaceBytes, float *out, const Epilogue *epilogue,
                    const NormPrologue *prologue, RowsProduct rowsProduct, RowProduct rowProduct) {
  (void)workspaceBytes;
  (void)rowsProduct;
  (void)rowProduct;
  int64_t os[kMaxRank];
  contiguousStrides(batchRank, batchShape, os);
  int64_t zeros[kMaxRank] = {0};
  const int64_t *strides[2] = {aBatchStrides ? aBatchStrides : zeros, os};
  const int64_t mn = M * N;
  Scratch normalized(1, prologue ? static_cast<size_t>(M * K) : 0);
#ifdef MOTE_NEON_FAST
  rt::ThreadPool &pool = rt::defaultThreadPool();
  Scratch work(pool.threadCount(), workspaceBytes / sizeof(float) + 1);
#endif
  forEachIndex<2>(batchRank, batchShape, strides, [&](const int64_t *o) {
    const float *rows = a + o[0];
    if (prologue) { // the norm of the region this matmul leads, into scratch (then quantized like any row)
      if (prologue->rms)
        rmsNorm(M, K, prologue->eps, rows, prologue->scale, normalized[0]);
      else
        layerNorm(M, K, prologue->eps, rows, prologue->scale, prologue->bias, normalized[0]);
      rows = normalized[0];
    }
    float *c = out + o[1] * mn;
    Epilogue ep = epilogue ? *epilogue : Epilogue{};
    if (ep.residual)
      ep.residual += o[1] * mn;
#ifdef MOTE_NEON_FAST
    // Rows split between threads (each quantizes its own rows); one row runs on the calling thread.
    pool.parallelFor(0, M, rowGrain(N * K), [&](int64_t r0, int64_t r1, int chunk) {
      Epilogue part = ep;
      if (part.residual)
        part.residual += r0 * (part.residualStride ? static_cast<int64_t>(part.residualStride) : N);
      rowsProduct(r0, r1, rows + r0 * K, c + r0 * N, part, work[chunk]);
    });
#else
    for (int64_t m = 0; m < M; ++m) {
      Epilogue row = ep;
      if (row.residual)
        row.residual += m * (row.residualStride ? static_cast<int64_t>(row.residualStride) : N);
      rowProduct(rows + m * K, c + m * N, row);
    }
#endif
  });
}

} // namespace

bool packWeightsI4Dot(PackedLayout layout, int64_t K, int64_t N, int64_t group, const void *q, const void *scales,
                      void *packed, int64_t bytes, bool f16Scales) {
  if (bytes != packedBytes(layout, K, N, 1, group) || group < 4 || group % 4 != 0)
    return false;
  const uint8_t *nibbles = static_cast<const uint8_t *>(q);
  auto scaleAt = [&](int64_t i) { return blockScaleAt(scales, f16Scales, i); };
  const int64_t groups = (K + group - 1) / group;
  const int k = static_cast<int>(K), n = static_cast<int>(N), g = static_cast<int>(group);
  if (layout == PackedLayout::GemmBI4Dot) // q [K, N], scales [groups, N]
    detail::packGemmBI4DotWith(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(kk) * N + nn); },
                               [&](int gg, int nn) { return scaleAt(static_cast<int64_t>(gg) * N + nn); },
                               packed);
  else if (layout == PackedLayout::GemmBI4DotFromNK) // q [N, K], scales [N, groups]
    detail::packGemmBI4DotWith(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(nn) * K + kk); },
                               [&](int gg, int nn) { return scaleAt(static_cast<int64_t>(nn) * groups + gg); },
                               packed);
  else
    return false;
  return true;
}

void matmulPackedW4A8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                      const void *packedB, int64_t M, int64_t N, int64_t K, int64_t group, float *out,
                      const Epilogue *epilogue, const NormPrologue *prologue) {
  matmulInt8Rows(
      batchRank, batchShape, a, aBatchStrides, M, N, K, gemmI8WorkspaceBytes(static_cast<int>(M), static_cast<int>(K)),
      out, epilogue, prologue,
      [&](int64_t r0, int64_t r1, const float *rows, float *c, const Epilogue &ep, void *work) {
        gemmI4(static_cast<int>(r1 - r0), static_cast<int>(N), static_cast<int>(K), static_cast<int>(group), rows,
               static_cast<size_t>(K), packedB, c, static_cast<size_t>(N), ep, work);
      },
      [&](const float *row, float *y, const Epilogue &ep) {
#ifndef MOTE_NEON_FAST
        rowI4DotPortable(row, packedB, N, K, group, y, ep);
#else
        (void)row, (void)y, (void)ep;
#endif
      });
}

namespace {

// The w8a8 (int8 activations) and w8a16 (int16) matmuls.
template <bool Int16>
void matmulPackedPerTensor(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                           const void *packedB, int64_t M, int64_t N, int64_t K, float sa, float *out,
                           const Epilogue *epilogue, const NormPrologue *prologue) {
  const size_t workspace = Int16 ? gemmI16WorkspaceBytes(static_cast<int>(K))
                                 : gemmI8WorkspaceBytes(static_cast<int>(M), static_cast<int>(K));
  matmulInt8Rows(
      batchRank, batchShape, a, aBatchStrides, M, N, K, workspace, out, epilogue, prologue,
      [&](int64_t r0, int64_t r1, const float *rows, float *c, const Epilogue &ep, void *work) {
        if constexpr (Int16)
          gemmI16Static(static_cast<int>(r1 - r0), static_cast<int>(N), static_cast<int>(K), sa, rows,
                        static_cast<size_t>(K), packedB, c, static_cast<size_t>(N), ep, work);
        else
          gemmI8Static(static_cast<int>(r1 - r0), static_cast<int>(N), static_cast<int>(K), sa, rows,
                       static_cast<size_t>(K), packedB, c, static_cast<size_t>(N), ep, work);
      },
      [&](const float *row, float *y, const Epilogue &ep) {
#ifndef MOTE_NEON_FAST
        std::vector<int32_t> qa(static_cast<size_t>(K));
        for (int64_t k = 0; k < K; ++k)
          qa[static_cast<size_t>(k)] = quantizePortable(row[k], sa, Int16 ? 32767.0f : 127.0f);
        rowPerTensorPortable(qa.data(), sa, packedB, N, K, Int16, y, ep);
#else
        (void)row, (void)y, (void)ep;
#endif
      });
}

#ifdef MOTE_NEON_FAST
// One image's convolution geometry as the integer GEMM kernels take it.
ConvI8Shape convShape(const Conv2DParams &p) {
  return {static_cast<int>(p.H),       static_cast<int>(p.W),       static_cast<int>(p.C),
          static_cast<int>(p.OW),      static_cast<int>(p.KH),      static_cast<int>(p.KW),
          static_cast<int>(p.strideH), static_cast<int>(p.strideW), static_cast<int>(p.padTop),
          static_cast<int>(p.padLeft), static_cast<int>(p.dilationH), static_cast<int>(p.dilationW)};
}
#endif

// The w8a8 and w8a16 convolutions: each image quantized once, then the GEMM over every output pixel's window.
template <bool Int16>
void conv2dPackedPerTensor(const Conv2DParams &p, const float *in, const int64_t *is, const void *packed, float sa,
                           const float *bias, float *out, const int64_t *os, const Epilogue *epilogue) {
  using Q = std::conditional_t<Int16, int16_t, int8_t>;
  Epilogue base = epilogue ? *epilogue : Epilogue{};
  base.bias = bias;
  const int64_t pixels = p.OH * p.OW, taps = p.KH * p.KW, K = taps * p.C, inCount = p.H * p.W * p.C;
  std::vector<Q> q(static_cast<size_t>(inCount > 0 ? inCount : 1));
#ifdef MOTE_NEON_FAST
  const ConvI8Shape shape = convShape(p);
  rt::ThreadPool &pool = rt::defaultThreadPool();
  const size_t workspace = Int16 ? gemmI16WorkspaceBytes(static_cast<int>(K))
                                 : convI8WorkspaceBytes(static_cast<int>(pixels), static_cast<int>(K));
  Scratch work(pool.threadCount(), workspace / sizeof(float) + 1);
#endif
  for (int64_t n = 0; n < p.N; ++n) {
    // The image quantized once (NHWC, dense: `is` [N, H, W, C] strides of a contiguous tensor).
    const float *image = in + n * is[0];
    float *y = out + n * os[0];
    Epilogue ep = base;
    if (ep.residual)
      ep.residual += n * os[0];
#ifdef MOTE_NEON_FAST
    if constexpr (Int16)
      quantizeI16(inCount, image, sa, q.data());
    else
      quantizeI8(inCount, image, sa, q.data());
    pool.parallelFor(0, pixels, rowGrain(p.M * K), [&](int64_t r0, int64_t r1, int chunk) {
      Epilogue part = ep;
      if (part.residual)
        part.residual += r0 * p.M;
      if constexpr (Int16)
        convI16(shape, static_cast<int>(r0), static_cast<int>(r1), static_cast<int>(p.M), q.data(), sa, packed,
                y + r0 * p.M, part, work[chunk]);
      else
        convI8(shape, static_cast<int>(r0), static_cast<int>(r1), static_cast<int>(p.M), q.data(), sa, packed,
               y + r0 * p.M, part, work[chunk]);
    });
#else
    std::vector<int32_t> row(static_cast<size_t>(K));
    for (int64_t pixel = 0; pixel < pixels; ++pixel) {
      const int64_t oy = pixel / p.OW, ox = pixel % p.OW;
      for (int64_t t = 0; t < taps; ++t) {
        const int64_t iy = oy * p.strideH - p.padTop + (t / p.KW) * p.dilationH;
        const int64_t ix = ox * p.strideW - p.padLeft + (t % p.KW) * p.dilationW;
        const bool inside = iy >= 0 && iy < p.H && ix >= 0 && ix < p.W;
        for (int64_t ci = 0; ci < p.C; ++ci)
          row[static_cast<size_t>(t * p.C + ci)] =
              inside ? quantizePortable(image[(iy * p.W + ix) * p.C + ci], sa, Int16 ? 32767.0f : 127.0f) : 0;
      }
      Epilogue at = ep;
      if (at.residual)
        at.residual += pixel * p.M;
      rowPerTensorPortable(row.data(), sa, packed, p.M, K, Int16, y + pixel * p.M, at);
    }
#endif
  }
}

} // namespace

void matmulPackedW8A8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                      const void *packedB, int64_t M, int64_t N, int64_t K, float sa, float *out,
                      const Epilogue *epilogue, const NormPrologue *prologue) {
  matmulPackedPerTensor<false>(batchRank, batchShape, a, aBatchStrides, packedB, M, N, K, sa, out, epilogue, prologue);
}

void matmulPackedW8A16(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                       const void *packedB, int64_t M, int64_t N, int64_t K, float sa, float *out,
                       const Epilogue *epilogue, const NormPrologue *prologue) {
  matmulPackedPerTensor<true>(batchRank, batchShape, a, aBatchStrides, packedB, M, N, K, sa, out, epilogue, prologue);
}

void conv2dPackedW8A8(const Conv2DParams &p, const float *in, const int64_t *is, const void *packed, float sa,
                      const float *bias, float *out, const int64_t *os, const Epilogue *epilogue) {
  conv2dPackedPerTensor<false>(p, in, is, packed, sa, bias, out, os, epilogue);
}

void conv2dPackedW8A16(const Conv2DParams &p, const float *in, const int64_t *is, const void *packed, float sa,
                       const float *bias, float *out, const int64_t *os, const Epilogue *epilogue) {
  conv2dPackedPerTensor<true>(p, in, is, packed, sa, bias, out, os, epilogue);
}

namespace {

// The integer pipeline's group-1 convolution of int8 (sdot, I8Dot weights) or int16 (smlal, I16W8 weights)
// activations, requantized to the same width.
template <class Q>
void integerConv(const Conv2DParams &p, const Q *in, const void *packed, const int32_t *bias, const int32_t *requant,
                 int32_t lo, int32_t hi, Q *out) {
  constexpr bool Int16 = sizeof(Q) == 2;
  const int64_t pixels = p.OH * p.OW, K = p.KH * p.KW * p.C, image = p.H * p.W * p.C;
#ifdef MOTE_NEON_FAST
  const IntegerEpilogue rq{bias, requant, requant + p.M, lo, hi};
  const ConvI8Shape shape = convShape(p);
  rt::ThreadPool &pool = rt::defaultThreadPool();
  const size_t workspace = Int16 ? gemmI16WorkspaceBytes(static_cast<int>(K))
                                 : convI8WorkspaceBytes(static_cast<int>(pixels), static_cast<int>(K));
  Scratch work(pool.threadCount(), workspace / sizeof(float) + 1);
  for (int64_t n = 0; n < p.N; ++n)
    pool.parallelFor(0, pixels, rowGrain(p.M * K), [&](int64_t r0, int64_t r1, int chunk) {
      if constexpr (Int16)
        convI16Requantize(shape, static_cast<int>(r0), static_cast<int>(r1), static_cast<int>(p.M), in + n * image,
                          packed, rq, out + (n * pixels + r0) * p.M, work[chunk]);
      else
        convI8Requantize(shape, static_cast<int>(r0), static_cast<int>(r1), static_cast<int>(p.M), in + n * image,
                         packed, rq, out + (n * pixels + r0) * p.M, work[chunk]);
    });
#else
  // The packed weights read in place. I8Dot: column c of the 12-column panel starting at n0 (width w), row
  // k = 4 g + i at byte K4 * 4 * n0 + (g * w + c) * 4 + i. I16W8: row k of the 8-column panel at n0 at n0 * K + 8 k.
  const int8_t *b = static_cast<const int8_t *>(packed);
  const int64_t K4 = (K + 3) / 4;
  for (int64_t n = 0; n < p.N; ++n)
    for (int64_t pixel = 0; pixel < pixels; ++pixel)
      for (int64_t co = 0; co < p.M; ++co) {
        const int64_t n0 = co / kI8DotNR * kI8DotNR, width = (std::min<int64_t>(kI8DotNR, p.M - n0) + 3) / 4 * 4;
        int64_t acc = bias[co];
        for (int64_t t = 0; t < p.KH * p.KW; ++t) {
          const int64_t iy = pixel / p.OW * p.strideH - p.padTop + t / p.KW * p.dilationH;
          const int64_t ix = pixel % p.OW * p.strideW - p.padLeft + t % p.KW * p.dilationW;
          if (iy < 0 || iy >= p.H || ix < 0 || ix >= p.W)
            continue;
          for (int64_t ci = 0; ci < p.C; ++ci) {
            const int64_t k = t * p.C + ci;
            const int8_t w = Int16 ? b[co / 8 * 8 * K + k * 8 + co % 8]
                                   : b[K4 * 4 * n0 + (k / 4 * width + co - n0) * 4 + k % 4];
            acc += static_cast<int64_t>(in[n * image + (iy * p.W + ix) * p.C + ci]) * w;
          }
        }
        out[(n * pixels + pixel) * p.M + co] = static_cast<Q>(
            Int16 ? mote_requantize64(acc, requant[co], requant[p.M + co], lo, hi)
                  : mote_requantize(static_cast<int32_t>(static_cast<uint32_t>(acc)), requant[co], requant[p.M + co],
                                    0, lo, hi)); // int32 sums wrap, as the reference's
      }
#endif
}

} // namespace

void integerConvI8(const Conv2DParams &p, const int8_t *in, const void *packed, const int32_t *bias,
                   const int32_t *requant, int32_t lo, int32_t hi, int8_t *out) {
  integerConv(p, in, packed, bias, requant, lo, hi, out);
}

void integerConvI16(const Conv2DParams &p, const int16_t *in, const void *packed, const int32_t *bias,
                    const int32_t *requant, int32_t lo, int32_t hi, int16_t *out) {
  integerConv(p, in, packed, bias, requant, lo, hi, out);
}

} // namespace ops
} // namespace neon
} // namespace mote
