// The w4a8 matmul (`motec --quantize=w4a8`): activations quantized to int8 per row at run time, int4 weights
// packed in GemmI8.h's I4Dot layout, the product in integers (sdot) with GemmI8.h's exact arithmetic.
#include "runtime/neon/OpsSupport.h"

#include "runtime/neon/PackedSizes.h"

#include "runtime/neon/GemmI8.h"

#include <cmath>
#include <cstdint>
#include <cstring>
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
#endif

} // namespace

bool packWeightsI4Dot(PackedLayout layout, int64_t K, int64_t N, int64_t group, const void *q, const void *scales,
                      void *packed, int64_t bytes) {
  if (bytes != packedBytes(layout, K, N, 1, group) || group < 4 || group % 4 != 0)
    return false;
  const uint8_t *nibbles = static_cast<const uint8_t *>(q);
  const __fp16 *s = static_cast<const __fp16 *>(scales);
  const int64_t groups = (K + group - 1) / group;
  const int k = static_cast<int>(K), n = static_cast<int>(N), g = static_cast<int>(group);
  if (layout == PackedLayout::GemmBI4Dot) // q [K, N], scales [groups, N]
    detail::packGemmBI4DotWith(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(kk) * N + nn); },
                               [&](int gg, int nn) { return static_cast<float>(s[static_cast<int64_t>(gg) * N + nn]); },
                               packed);
  else if (layout == PackedLayout::GemmBI4DotFromNK) // q [N, K], scales [N, groups]
    detail::packGemmBI4DotWith(k, n, g, [&](int kk, int nn) { return int4At(nibbles, static_cast<int64_t>(nn) * K + kk); },
                               [&](int gg, int nn) { return static_cast<float>(s[static_cast<int64_t>(nn) * groups + gg]); },
                               packed);
  else
    return false;
  return true;
}

void matmulPackedW4A8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                      const void *packedB, int64_t M, int64_t N, int64_t K, int64_t group, float *out,
                      const Epilogue *epilogue, const NormPrologue *prologue) {
  int64_t os[kMaxRank];
  contiguousStrides(batchRank, batchShape, os);
  int64_t zeros[kMaxRank] = {0};
  const int64_t *strides[2] = {aBatchStrides ? aBatchStrides : zeros, os};
  const int64_t mn = M * N;
  Scratch normalized(1, prologue ? static_cast<size_t>(M * K) : 0);
#ifdef MOTE_NEON_FAST
  rt::ThreadPool &pool = rt::defaultThreadPool();
  Scratch work(pool.threadCount(), gemmI8WorkspaceBytes(static_cast<int>(M), static_cast<int>(K)) / sizeof(float) + 1);
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
      gemmI4(static_cast<int>(r1 - r0), static_cast<int>(N), static_cast<int>(K), static_cast<int>(group),
             rows + r0 * K, static_cast<size_t>(K), packedB, c + r0 * N, static_cast<size_t>(N), part, work[chunk]);
    });
#else
    for (int64_t m = 0; m < M; ++m) {
      Epilogue row = ep;
      if (row.residual)
        row.residual += m * (row.residualStride ? static_cast<int64_t>(row.residualStride) : N);
      rowI4DotPortable(rows + m * K, packedB, N, K, group, c + m * N, row);
    }
#endif
  });
}

} // namespace ops
} // namespace neon
} // namespace mote
