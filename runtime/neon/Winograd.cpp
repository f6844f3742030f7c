// Winograd F(4x4, 3x3) convolution: see Winograd.h.
#include "runtime/neon/Winograd.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <arm_neon.h>
#include <cstring>

namespace mote {
namespace neon {

namespace {

// Tiles transformed and multiplied together: the 36 GEMMs have M = this many rows, enough for the
// transformed weights (streamed once per chunk) to be reused across 8 micro panels.
constexpr int kTilesPerChunk = 64;

inline int roundUp4(int x) { return (x + 3) & ~3; }

// G of F(4x4, 3x3) (Lavin & Gray, interpolation points 0, +-1, +-2, inf).
const double kG[6][3] = {{1.0 / 4, 0, 0},
                         {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                         {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                         {1.0 / 24, 1.0 / 12, 1.0 / 6},
                         {1.0 / 24, -1.0 / 12, 1.0 / 6},
                         {0, 0, 1}};

// t = B^T d for one 6-vector of 4-channel values.
MOTE_ALWAYS_INLINE void inputTransform6(const float32x4_t d[6], float32x4_t t[6]) {
  t[0] = vfmaq_n_f32(vfmaq_n_f32(d[4], d[0], 4.0f), d[2], -5.0f);
  t[1] = vfmaq_n_f32(vaddq_f32(d[4], d[3]), vaddq_f32(d[1], d[2]), -4.0f);
  t[2] = vfmaq_n_f32(vsubq_f32(d[4], d[3]), vsubq_f32(d[1], d[2]), 4.0f);
  const float32x4_t a = vsubq_f32(d[4], d[2]), b = vsubq_f32(d[3], d[1]);
  t[3] = vfmaq_n_f32(a, b, 2.0f);
  t[4] = vfmaq_n_f32(a, b, -2.0f);
  t[5] = vfmaq_n_f32(vfmaq_n_f32(d[5], d[1], 4.0f), d[3], -5.0f);
}

// y = A^T m for one 6-vector.
MOTE_ALWAYS_INLINE void outputTransform6(const float32x4_t m[6], float32x4_t y[4]) {
  const float32x4_t s12 = vaddq_f32(m[1], m[2]), d12 = vsubq_f32(m[1], m[2]);
  const float32x4_t s34 = vaddq_f32(m[3], m[4]), d34 = vsubq_f32(m[3], m[4]);
  y[0] = vaddq_f32(vaddq_f32(m[0], s12), s34);
  y[1] = vfmaq_n_f32(d12, d34, 2.0f);
  y[2] = vfmaq_n_f32(s12, s34, 4.0f);
  y[3] = vfmaq_n_f32(vaddq_f32(d12, m[5]), d34, 8.0f);
}

// V[xi][c..c+3] (xi = 6 * i + j, rows `vStride` floats apart) = B^T d B for the 6x6 patch at `src`
// (pixel (i, j) at src + i * rowStride + j * pixStride).
MOTE_ALWAYS_INLINE void inputTile(const float *src, size_t rowStride, size_t pixStride, float *v,
                                  size_t vStride) {
  float32x4_t w[6][6]; // w = d B, row by row
  for (int i = 0; i < 6; ++i) {
    float32x4_t d[6];
    const float *row = src + i * rowStride;
    for (int j = 0; j < 6; ++j)
      d[j] = vld1q_f32(row + j * pixStride);
    inputTransform6(d, w[i]);
  }
  for (int j = 0; j < 6; ++j) {
    float32x4_t col[6], t[6];
    for (int i = 0; i < 6; ++i)
      col[i] = w[i][j];
    inputTransform6(col, t);
    for (int i = 0; i < 6; ++i)
      vst1q_f32(v + (size_t)(6 * i + j) * vStride, t[i]);
  }
}

// The 4x4 output values of one tile and channel group: y[r][s] = (A^T M A)[r][s], M[xi] at
// m + xi * mStride.
MOTE_ALWAYS_INLINE void outputTile(const float *m, size_t mStride, float32x4_t y[4][4]) {
  float32x4_t z[4][6]; // z = A^T M, column by column
  for (int j = 0; j < 6; ++j) {
    float32x4_t col[6], t[4];
    for (int i = 0; i < 6; ++i)
      col[i] = vld1q_f32(m + (size_t)(6 * i + j) * mStride);
    outputTransform6(col, t);
    for (int r = 0; r < 4; ++r)
      z[r][j] = t[r];
  }
  for (int r = 0; r < 4; ++r)
    outputTransform6(z[r], y[r]);
}

struct Geometry {
  int H, Hin, padTop, W, Cin, Cout, tilesX, tiles, cinPad, coutPad;
  size_t inStride, outStride, resStride;
};

Geometry geometryOf(const Conv3x3Shape &s, const Epilogue &ep) {
  Geometry g;
  g.H = s.H;
  g.Hin = s.inRows ? s.inRows : s.H;
  g.padTop = s.padTop;
  g.W = s.W;
  g.Cin = s.Cin;
  g.Cout = s.Cout;
  g.tilesX = (s.W + 3) / 4;
  g.tiles = g.tilesX * ((s.H + 3) / 4);
  g.cinPad = roundUp4(s.Cin);
  g.coutPad = roundUp4(s.Cout);
  g.inStride = s.inPixelStride ? s.inPixelStride : (size_t)s.Cin;
  g.outStride = s.outPixelStride ? s.outPixelStride : (size_t)s.Cout;
  g.resStride = ep.residualStride ? ep.residualStride : g.outStride;
  return g;
}

int chunkTiles(int tiles) { return tiles < kTilesPerChunk ? tiles : kTilesPerChunk; }

} // namespace

bool winogradF43Profitable(const Conv3x3Shape &s) {
  if (s.Cin < 16 || s.Cout < 16 || s.H < 4 || s.W < 4)
    return false;
  // Transform-domain multiplications (36 per tile and channel pair) against direct ones (9 per pixel).
  const double tiles = (double)((s.H + 3) / 4) * ((s.W + 3) / 4);
  return 36.0 * tiles < 0.5 * 9.0 * s.H * s.W;
}

size_t packedWinogradF43WeightsFloats(int Cin, int Cout) { return 36 * packedGemmBFloats(Cin, Cout); }

void packWinogradF43Weights(int Cin, int Cout, const float *w, float *packed) {
  const size_t one = packedGemmBFloats(Cin, Cout);
  if (one == 0)
    return;
  std::memset(packed, 0, sizeof(float) * 36 * one); // the zero columns of the last panel
  // U[xi](ci, co) = (G g G^T)[p][q], xi = 6p + q, for g = w[co][ci], computed once per (co, ci) and
  // scattered into the 36 packed matrices: column co lies in the panel starting at n0 (12 columns, or the
  // remaining ones rounded up to 4), row ci of which starts Cin * n0 + ci * width floats into the matrix.
  for (int co = 0; co < Cout; ++co) {
    const int n0 = co / kGemmNR * kGemmNR, j = co - n0;
    const int width = Cout - n0 < kGemmNR ? roundUp4(Cout - n0) : kGemmNR;
    for (int ci = 0; ci < Cin; ++ci) {
      const float *g = w + ((size_t)co * Cin + ci) * 9;
      double t[6][3]; // G g
      for (int p = 0; p < 6; ++p)
        for (int b = 0; b < 3; ++b)
          t[p][b] = kG[p][0] * g[b] + kG[p][1] * g[3 + b] + kG[p][2] * g[6 + b];
      float *dst = packed + (size_t)Cin * n0 + (size_t)ci * width + j;
      for (int p = 0; p < 6; ++p)
        for (int q = 0; q < 6; ++q)
          dst[(size_t)(6 * p + q) * one] = (float)(t[p][0] * kG[q][0] + t[p][1] * kG[q][1] + t[p][2] * kG[q][2]);
    }
  }
}

size_t winogradF43WorkspaceFloats(const Conv3x3Shape &s) {
  if (s.H <= 0 || s.W <= 0)
    return 0;
  const int tb = chunkTiles(((s.H + 3) / 4) * ((s.W + 3) / 4));
  const size_t cinPad = roundUp4(s.Cin), coutPad = roundUp4(s.Cout);
  return 36 * (size_t)tb * (cinPad + coutPad) // V and M
         + 36 * cinPad                        // zero-padded patch of a border tile
         + gemmWorkspaceFloats(tb, s.Cin);
}

void conv3x3WinogradF43(const Conv3x3Shape &s, const float *input, const float *packedWeights, float *output,
                        const Epilogue &ep, float *workspace) {
  if (s.H <= 0 || s.W <= 0 || s.Cout <= 0)
    return;
  const Geometry g = geometryOf(s, ep);
  const int tbMax = chunkTiles(g.tiles);
  float *V = workspace;                                  // [36][tb][cinPad]
  float *Mbuf = V + 36 * (size_t)tbMax * g.cinPad;       // [36][tb][coutPad]
  float *patch = Mbuf + 36 * (size_t)tbMax * g.coutPad;  // [6][6][cinPad]
  float *gemmWs = patch + 36 * (size_t)g.cinPad;
  const size_t packedOne = packedGemmBFloats(s.Cin, s.Cout);
  const bool cinTail = (s.Cin & 3) != 0;

  for (int t0 = 0; t0 < g.tiles; t0 += tbMax) {
    const int tb = g.tiles - t0 < tbMax ? g.tiles - t0 : tbMax;
    const size_t vStride = (size_t)tb * g.cinPad, mStride = (size_t)tb * g.coutPad;

    // Input transform.
    for (int t = 0; t < tb; ++t) {
      const int ty = (t0 + t) / g.tilesX, tx = (t0 + t) % g.tilesX;
      const int y0 = 4 * ty - g.padTop, x0 = 4 * tx - 1;
      // Interior tiles read the input in place; border tiles (and, when Cin % 4 != 0, the tile whose
      // last channel group would read past the input's last pixel) go through a zero-padded copy.
      bool inside = y0 >= 0 && x0 >= 0 && y0 + 6 <= g.Hin && x0 + 6 <= g.W;
      if (inside && cinTail && y0 + 6 == g.Hin && x0 + 6 == g.W)
        inside = false;
      const float *src;
      size_t rowStride, pixStride;
      if (inside) {
        src = input + ((size_t)y0 * g.W + x0) * g.inStride;
        rowStride = (size_t)g.W * g.inStride;
        pixStride = g.inStride;
      } else {
        std::memset(patch, 0, sizeof(float) * 36 * g.cinPad);
        for (int i = 0; i < 6; ++i)
          for (int j = 0; j < 6; ++j) {
            const int y = y0 + i, x = x0 + j;
            if (y >= 0 && y < g.Hin && x >= 0 && x < g.W)
              std::memcpy(patch + (6 * i + j) * g.cinPad, input + ((size_t)y * g.W + x) * g.inStride,
                          sizeof(float) * g.Cin);
          }
        src = patch;
        rowStride = 6 * (size_t)g.cinPad;
        pixStride = g.cinPad;
      }
      float *v = V + (size_t)t * g.cinPad;
      for (int c = 0; c < g.cinPad; c += 4)
        inputTile(src + c, rowStride, pixStride, v + c, vStride);
    }

    // 36 GEMMs in the transform domain.
    const Epilogue none;
    for (int xi = 0; xi < 36; ++xi)
      gemm(tb, s.Cout, s.Cin, V + xi * vStride, g.cinPad, packedWeights + xi * packedOne, Mbuf + xi * mStride,
           g.coutPad, none, gemmWs);

    // Output transform with the epilogue.
    for (int t = 0; t < tb; ++t) {
      const int ty = (t0 + t) / g.tilesX, tx = (t0 + t) % g.tilesX;
      const int rows = g.H - 4 * ty < 4 ? g.H - 4 * ty : 4, cols = g.W - 4 * tx < 4 ? g.W - 4 * tx : 4;
      const float *m = Mbuf + (size_t)t * g.coutPad;
      for (int co = 0; co < g.Cout; co += 4) {
        const int nc = g.Cout - co < 4 ? g.Cout - co : 4;
        float32x4_t y[4][4];
        outputTile(m + co, mStride, y);
        float32x4_t bias = vdupq_n_f32(0.0f);
        if (ep.bias) {
          if (nc == 4) {
            bias = vld1q_f32(ep.bias + co);
          } else {
            float b[4] = {0, 0, 0, 0};
            std::memcpy(b, ep.bias + co, sizeof(float) * nc);
            bias = vld1q_f32(b);
          }
        }
        for (int r = 0; r < rows; ++r)
          for (int q = 0; q < cols; ++q) {
            const size_t pix = (size_t)(4 * ty + r) * g.W + (4 * tx + q);
            float32x4_t v = vaddq_f32(y[r][q], bias);
            float *dst = output + pix * g.outStride + co;
            if (nc == 4) {
              if (ep.residual)
                v = vaddq_f32(v, vld1q_f32(ep.residual + pix * g.resStride + co));
              vst1q_f32(dst, detail::activate(v, ep.act, ep.clampLo, ep.clampHi));
            } else {
              float tmp[4] = {0, 0, 0, 0};
              if (ep.residual)
                std::memcpy(tmp, ep.residual + pix * g.resStride + co, sizeof(float) * nc);
              v = detail::activate(vaddq_f32(v, vld1q_f32(tmp)), ep.act, ep.clampLo, ep.clampHi);
              vst1q_f32(tmp, v);
              std::memcpy(dst, tmp, sizeof(float) * nc);
            }
          }
      }
    }
  }
}

} // namespace neon
} // namespace mote
