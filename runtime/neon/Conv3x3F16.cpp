// 3x3 convolution on f16 storage as im2col blocks and the f16 GEMM (see Conv3x3F16.h).
#include "runtime/neon/Conv3x3F16.h"

#include "runtime/core/ThreadPool.h"
#include "runtime/neon/GemmF16.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace mote {
namespace neon {

#if defined(__aarch64__) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC) && !defined(MOTE_NEON_PORTABLE_ONLY)

namespace {
// Output pixels per GEMM call: enough rows for the GEMM's blocking, small enough to stay in cache.
constexpr int kPixelsPerBlock = 64;
} // namespace

bool conv3x3F16Supported() { return true; }

void packConv3x3WeightsF16(int Cin, int Cout, const float *w, void *packed) {
  const int K = 9 * Cin;
  std::vector<float> b(static_cast<size_t>(K) * static_cast<size_t>(Cout));
  for (int co = 0; co < Cout; ++co)
    for (int ci = 0; ci < Cin; ++ci)
      for (int tap = 0; tap < 9; ++tap)
        b[(static_cast<size_t>(tap) * Cin + ci) * Cout + co] = w[(static_cast<size_t>(co) * Cin + ci) * 9 + tap];
  packGemmF16BFromF32(K, Cout, b.data(), static_cast<size_t>(Cout), static_cast<float16_t *>(packed),
                      F16Accumulation::F16);
}

void conv3x3F16(int N, int H, int W, int Cin, int Cout, int OH, int OW, int strideH, int strideW, int padTop,
                int padLeft, const void *in, const void *packed, const void *bias, void *out,
                const EpilogueF16 *epilogue) {
  const int K = 9 * Cin, pixels = OH * OW;
  const int blocks = (pixels + kPixelsPerBlock - 1) / kPixelsPerBlock;
  rt::ThreadPool &pool = rt::defaultThreadPool();
  const size_t colsHalves = static_cast<size_t>(kPixelsPerBlock) * K;
  const size_t workBytes = (gemmF16WorkspaceBytes(kPixelsPerBlock, K, F16Accumulation::F16) + 63) / 64 * 64;
  const size_t perChunk = (colsHalves * 2 + 63) / 64 * 64 + workBytes;
  unsigned char *scratch =
      static_cast<unsigned char *>(std::aligned_alloc(64, perChunk * static_cast<size_t>(pool.threadCount())));
  if (!scratch)
    std::abort();
  EpilogueF16 ep = epilogue ? *epilogue : EpilogueF16();
  ep.bias = static_cast<const float16_t *>(bias);
  ep.residualStride = 0; // dense, like out
  for (int n = 0; n < N; ++n) {
    const float16_t *src = static_cast<const float16_t *>(in) + static_cast<size_t>(n) * H * W * Cin;
    float16_t *dst = static_cast<float16_t *>(out) + static_cast<size_t>(n) * pixels * Cout;
    pool.parallelFor(0, blocks, 1, [&](int64_t b0, int64_t b1, int chunk) {
      float16_t *cols = reinterpret_cast<float16_t *>(scratch + perChunk * static_cast<size_t>(chunk));
      void *work = scratch + perChunk * static_cast<size_t>(chunk) + (colsHalves * 2 + 63) / 64 * 64;
      for (int64_t b = b0; b < b1; ++b) {
        const int p0 = static_cast<int>(b) * kPixelsPerBlock;
        const int rows = pixels - p0 < kPixelsPerBlock ? pixels - p0 : kPixelsPerBlock;
        for (int r = 0; r < rows; ++r) {
          const int y = (p0 + r) / OW * strideH - padTop, x = (p0 + r) % OW * strideW - padLeft;
          float16_t *row = cols + static_cast<size_t>(r) * K;
          for (int tap = 0; tap < 9; ++tap) {
            const int sy = y + tap / 3, sx = x + tap % 3;
            float16_t *to = row + static_cast<size_t>(tap) * Cin;
            if (sy < 0 || sy >= H || sx < 0 || sx >= W)
              std::memset(to, 0, sizeof(float16_t) * static_cast<size_t>(Cin));
            else
              std::memcpy(to, src + (static_cast<size_t>(sy) * W + sx) * Cin, sizeof(float16_t) * static_cast<size_t>(Cin));
          }
        }
        EpilogueF16 block = ep; // the residual rows of these output pixels
        if (block.residual)
          block.residual += (static_cast<size_t>(n) * pixels + p0) * Cout;
        gemmF16(rows, Cout, K, cols, static_cast<size_t>(K), static_cast<const float16_t *>(packed),
                dst + static_cast<size_t>(p0) * Cout, static_cast<size_t>(Cout), block, F16Accumulation::F16, work);
      }
    });
  }
  std::free(scratch);
}

#else

bool conv3x3F16Supported() { return false; }
void packConv3x3WeightsF16(int, int, const float *, void *) {}
void conv3x3F16(int, int, int, int, int, int, int, int, int, int, int, const void *, const void *, const void *,
                void *, const EpilogueF16 *) {}

#endif

} // namespace neon
} // namespace mote
