// f16 3x3 convolution (stride 1, padding 1, NHWC) by Winograd F(2x2, 3x3) in f16 arithmetic: see Conv3x3F16.h.
#include "runtime/neon/Conv3x3F16.h"

#include "runtime/core/ThreadPool.h"
#include "runtime/neon/ActivationF16.h"
#include "runtime/neon/GemmF16.h"

#include <cstdlib>
#include <cstring>
#include <vector>

namespace mote {
namespace neon {

#if defined(__aarch64__) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC) && !defined(MOTE_NEON_PORTABLE_ONLY)

namespace {

// Tiles transformed and multiplied together: the 16 GEMMs have M = this many rows.
constexpr int kTilesPerChunk = 64;

// G of F(2x2, 3x3) (interpolation points 0, 1, -1, inf).
const double kG[4][3] = {{1, 0, 0}, {0.5, 0.5, 0.5}, {0.5, -0.5, 0.5}, {0, 0, 1}};

// t = B^T d for one 4-vector of 8-channel values, B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]].
MOTE_ALWAYS_INLINE void inputTransform4(const float16x8_t d[4], float16x8_t t[4]) {
  t[0] = vsubq_f16(d[0], d[2]);
  t[1] = vaddq_f16(d[1], d[2]);
  t[2] = vsubq_f16(d[2], d[1]);
  t[3] = vsubq_f16(d[1], d[3]);
}

// y = A^T m for one 4-vector, A^T = [[1, 1, 1, 0], [0, 1, -1, -1]].
MOTE_ALWAYS_INLINE void outputTransform4(const float16x8_t m[4], float16x8_t y[2]) {
  y[0] = vaddq_f16(vaddq_f16(m[0], m[1]), m[2]);
  y[1] = vsubq_f16(vsubq_f16(m[1], m[2]), m[3]);
}

// V[xi][c..c+7] (xi = 4 i + j, rows `vStride` halves apart) = B^T d B for the 4x4 patch at `src` (pixel (i, j) at
// src + i * rowStride + j * pixStride).
MOTE_ALWAYS_INLINE void inputTile(const float16_t *src, size_t rowStride, size_t pixStride, float16_t *v,
                                  size_t vStride) {
  float16x8_t w[4][4]; // w = d B, row by row
  for (int i = 0; i < 4; ++i) {
    float16x8_t d[4];
    for (int j = 0; j < 4; ++j)
      d[j] = vld1q_f16(src + i * rowStride + j * pixStride);
    inputTransform4(d, w[i]);
  }
  for (int j = 0; j < 4; ++j) {
    const float16x8_t col[4] = {w[0][j], w[1][j], w[2][j], w[3][j]};
    float16x8_t t[4];
    inputTransform4(col, t);
    for (int i = 0; i < 4; ++i)
      vst1q_f16(v + (size_t)(4 * i + j) * vStride, t[i]);
  }
}

// The 2x2 outputs of one tile and 8 channels: y[r][s] = (A^T M A)[r][s], M[xi] at m + xi * mStride.
MOTE_ALWAYS_INLINE void outputTile(const float16_t *m, size_t mStride, float16x8_t y[2][2]) {
  float16x8_t z[2][4]; // z = A^T M, column by column
  for (int q = 0; q < 4; ++q) {
    const float16x8_t col[4] = {vld1q_f16(m + (size_t)q * mStride), vld1q_f16(m + (size_t)(4 + q) * mStride),
                                vld1q_f16(m + (size_t)(8 + q) * mStride), vld1q_f16(m + (size_t)(12 + q) * mStride)};
    float16x8_t t[2];
    outputTransform4(col, t);
    z[0][q] = t[0];
    z[1][q] = t[1];
  }
  outputTransform4(z[0], y[0]);
  outputTransform4(z[1], y[1]);
}

} // namespace

bool winogradF23F16Supported() { return true; }

void packWinogradF23WeightsF16(int Cin, int Cout, const float *w, void *packed) {
  const size_t one = packedGemmF16BElements(Cin, Cout, F16Accumulation::F16);
  std::vector<float> u(16 * static_cast<size_t>(Cin) * static_cast<size_t>(Cout)); // U[xi] [Cin, Cout]
  for (int co = 0; co < Cout; ++co)
    for (int ci = 0; ci < Cin; ++ci) {
      const float *g = w + (static_cast<size_t>(co) * Cin + ci) * 9;
      double t[4][3]; // G g
      for (int p = 0; p < 4; ++p)
        for (int b = 0; b < 3; ++b)
          t[p][b] = kG[p][0] * g[b] + kG[p][1] * g[3 + b] + kG[p][2] * g[6 + b];
      for (int p = 0; p < 4; ++p)
        for (int q = 0; q < 4; ++q)
          u[(static_cast<size_t>(4 * p + q) * Cin + ci) * Cout + co] =
              static_cast<float>(t[p][0] * kG[q][0] + t[p][1] * kG[q][1] + t[p][2] * kG[q][2]);
    }
  for (int xi = 0; xi < 16; ++xi)
    packGemmF16BFromF32(Cin, Cout, u.data() + static_cast<size_t>(xi) * Cin * Cout, static_cast<size_t>(Cout),
                        static_cast<float16_t *>(packed) + xi * one, F16Accumulation::F16);
}

void conv3x3WinogradF23F16(int N, int H, int W, int Cin, int Cout, const void *in, const void *packed,
                           const void *bias, void *out, const EpilogueF16 *epilogue) {
  if (N <= 0 || H <= 0 || W <= 0 || Cout <= 0 || Cin % 8 != 0 || Cout % 8 != 0)
    std::abort(); // kernel selection takes this kernel for multiples of 8 channels only
  const int tilesX = (W + 1) / 2, tiles = tilesX * ((H + 1) / 2);
  const int tb = tiles < kTilesPerChunk ? tiles : kTilesPerChunk, chunks = (tiles + tb - 1) / tb;
  const size_t one = packedGemmF16BElements(Cin, Cout, F16Accumulation::F16);
  const size_t vHalves = 16 * static_cast<size_t>(tb) * Cin, mHalves = 16 * static_cast<size_t>(tb) * Cout;
  const size_t patchHalves = 16 * static_cast<size_t>(Cin);
  const size_t workBytes = (gemmF16WorkspaceBytes(tb, Cin, F16Accumulation::F16) + 63) / 64 * 64;
  const size_t perChunk = ((vHalves + mHalves + patchHalves) * 2 + 63) / 64 * 64 + workBytes;
  rt::ThreadPool &pool = rt::defaultThreadPool();
  unsigned char *scratch =
      static_cast<unsigned char *>(std::aligned_alloc(64, perChunk * static_cast<size_t>(pool.threadCount())));
  if (!scratch)
    std::abort();
  const EpilogueF16 ep = epilogue ? *epilogue : EpilogueF16();
  const float16_t *b16 = static_cast<const float16_t *>(bias);
  const float16_t *pw = static_cast<const float16_t *>(packed);
  pool.parallelFor(0, static_cast<int64_t>(N) * chunks, 1, [&](int64_t j0, int64_t j1, int chunk) {
    unsigned char *base = scratch + perChunk * static_cast<size_t>(chunk);
    float16_t *V = reinterpret_cast<float16_t *>(base); // [16][tb][Cin]
    float16_t *M = V + vHalves;                          // [16][tb][Cout]
    float16_t *patch = M + mHalves;                      // [4][4][Cin]
    void *work = base + perChunk - workBytes;
    for (int64_t job = j0; job < j1; ++job) {
      const int n = static_cast<int>(job / chunks), t0 = static_cast<int>(job % chunks) * tb;
      const int count = tiles - t0 < tb ? tiles - t0 : tb;
      const size_t vStride = static_cast<size_t>(count) * Cin, mStride = static_cast<size_t>(count) * Cout;
      const float16_t *x = static_cast<const float16_t *>(in) + static_cast<size_t>(n) * H * W * Cin;
      // Input transform: interior tiles in place, border ones through a zero-padded copy.
      for (int t = 0; t < count; ++t) {
        const int y0 = 2 * ((t0 + t) / tilesX) - 1, x0 = 2 * ((t0 + t) % tilesX) - 1;
        const float16_t *src;
        size_t rowStride, pixStride = static_cast<size_t>(Cin);
        if (y0 >= 0 && x0 >= 0 && y0 + 4 <= H && x0 + 4 <= W) {
          src = x + (static_cast<size_t>(y0) * W + x0) * Cin;
          rowStride = static_cast<size_t>(W) * Cin;
        } else {
          std::memset(patch, 0, sizeof(float16_t) * patchHalves);
          for (int i = 0; i < 4; ++i)
            for (int j = 0; j < 4; ++j) {
              const int yy = y0 + i, xx = x0 + j;
              if (yy >= 0 && yy < H && xx >= 0 && xx < W)
                std::memcpy(patch + (4 * i + j) * Cin, x + (static_cast<size_t>(yy) * W + xx) * Cin,
                            sizeof(float16_t) * Cin);
            }
          src = patch;
          rowStride = 4 * static_cast<size_t>(Cin);
        }
        for (int c = 0; c < Cin; c += 8)
          inputTile(src + c, rowStride, pixStride, V + static_cast<size_t>(t) * Cin + c, vStride);
      }
      // 16 GEMMs in the transform domain, f16 accumulation over Cin.
      const EpilogueF16 none;
      for (int xi = 0; xi < 16; ++xi)
        gemmF16(count, Cout, Cin, V + xi * vStride, static_cast<size_t>(Cin), pw + xi * one, M + xi * mStride,
                static_cast<size_t>(Cout), none, F16Accumulation::F16, work);
      // Output transform, then bias, residual and activation as the f16 GEMM's tiles apply them.
      float16_t *yOut = static_cast<float16_t *>(out) + static_cast<size_t>(n) * H * W * Cout;
      const float16_t *res = ep.residual ? ep.residual + static_cast<size_t>(n) * H * W * Cout : nullptr;
      detail::withActivation(ep.act, [&](auto a) {
        constexpr Activation A = decltype(a)::value;
        for (int t = 0; t < count; ++t) {
          const int ty = (t0 + t) / tilesX, tx = (t0 + t) % tilesX;
          const int rows = H - 2 * ty < 2 ? H - 2 * ty : 2, cols = W - 2 * tx < 2 ? W - 2 * tx : 2;
          for (int co = 0; co < Cout; co += 8) {
            float16x8_t y[2][2];
            outputTile(M + static_cast<size_t>(t) * Cout + co, mStride, y);
            const float16x8_t bv = b16 ? vld1q_f16(b16 + co) : vdupq_n_f16((float16_t)0.0f);
            for (int r = 0; r < rows; ++r)
              for (int s = 0; s < cols; ++s) {
                const size_t at = (static_cast<size_t>(2 * ty + r) * W + 2 * tx + s) * Cout + co;
                float16x8_t v = vaddq_f16(y[r][s], bv);
                if (res)
                  v = vaddq_f16(v, vld1q_f16(res + at));
                vst1q_f16(yOut + at, detail::activateF16As<A>(v, ep.clampLo, ep.clampHi));
              }
          }
        }
      });
    }
  });
  std::free(scratch);
}

#else

bool winogradF23F16Supported() { return false; }
void packWinogradF23WeightsF16(int, int, const float *, void *) {}
void conv3x3WinogradF23F16(int, int, int, int, int, const void *, const void *, const void *, void *,
                           const EpilogueF16 *) {}

#endif

} // namespace neon
} // namespace mote
