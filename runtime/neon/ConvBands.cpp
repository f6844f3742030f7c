// NEON op kernels: a convolution run over bands of output rows with what its region does around it
// (mote.fused "linear_epilogue" regions of group_norm_conv and upsample_conv). Before each band, the input rows
// it reads are staged in a band buffer the size of a cache share: normalized (and SiLU'd) by a group norm split
// around convolutions, or read through a nearest upsampling; the normalized or upsampled tensor never exists
// whole. After each band, the group statistics of the rows it wrote are summed while they are still in cache.
// The convolution itself is the region's own kernel (any of conv2dPacked's, conv2d, the w8 ones) on each band.
#include "runtime/neon/OpsSupport.h"

#include <algorithm>
#include <cstring>

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

/// Floats of a band: the staged input rows of one band, and the output rows whose statistics are summed before
/// the next band (256 KiB, the L2 share of a phone core).
constexpr int64_t kBandFloats = 64 * 1024;

/// Per channel c of instance n: mul[c] = rstd[g] * scale[c], add[c] = bias[c] - mean[g] * mul[c].
void channelAffine(const GroupNormPrologue &pro, int64_t n, int64_t C, float *mul, float *add) {
  const int64_t cpg = C / pro.groups;
  for (int64_t c = 0; c < C; ++c) {
    const float *st = pro.stats + (n * pro.groups + c / cpg) * 2;
    const float sc = pro.scale ? pro.scale[c] : 1.0f, bi = pro.bias ? pro.bias[c] : 0.0f;
    mul[c] = st[1] * sc;
    add[c] = bi - st[0] * mul[c];
  }
}

/// rows x W pixels of C channels (pixels `pixelStride` floats apart in `in`, dense in `out`) normalized with
/// mul/add, then SiLU'd if `silu`.
void normalizePixels(const float *in, size_t pixelStride, int64_t pixels, int64_t C, const float *mul,
                     const float *add, bool silu, float *out) {
  for (int64_t p = 0; p < pixels; ++p) {
    const float *x = in + p * static_cast<int64_t>(pixelStride);
    float *y = out + p * C;
    int64_t c = 0;
#if defined(MOTE_NEON_FAST)
    for (; c + 4 <= C; c += 4) {
      float32x4_t v = vfmaq_f32(vld1q_f32(add + c), vld1q_f32(x + c), vld1q_f32(mul + c));
      vst1q_f32(y + c, silu ? vsiluq(v) : v);
    }
#endif
    for (; c < C; ++c) {
      const float v = x[c] * mul[c] + add[c];
      y[c] = silu ? v * sigmoid(v) : v;
    }
  }
}

/// Adds the per-channel sums and sums of squares of `pixels` pixels of C channels (`pixelStride` floats apart)
/// into acc[0..C) and acc[C..2C).
void addChannelSums(const float *x, size_t pixelStride, int64_t pixels, int64_t C, double *acc) {
#if defined(MOTE_NEON_FAST)
  if (C % 4 == 0) {
    channelSumSq(x, pixels, C, pixelStride, acc);
    return;
  }
#endif
  for (int64_t p = 0; p < pixels; ++p)
    for (int64_t c = 0; c < C; ++c) {
      const double v = x[p * static_cast<int64_t>(pixelStride) + c];
      acc[c] += v;
      acc[C + c] += v * v;
    }
}

/// stats[g] = (mean, 1 / sqrt(var + eps)) of each group from the per-channel sums over `pixels` pixels.
void finishStats(const double *acc, int64_t C, int64_t groups, int64_t pixels, float eps, float *stats) {
  const int64_t cpg = C / groups;
  for (int64_t g = 0; g < groups; ++g) {
    double mean, inv;
    groupMeanInv(acc, C, cpg, g, static_cast<double>(cpg * pixels), eps, mean, inv);
    stats[2 * g] = static_cast<float>(mean);
    stats[2 * g + 1] = static_cast<float>(inv);
  }
}

} // namespace

void groupNormStats(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, const float *in, float *stats) {
  Scratch acc(1, static_cast<size_t>(4 * C)); // 2C doubles
  double *sums = reinterpret_cast<double *>(acc[0]);
  for (int64_t n = 0; n < N; ++n) {
    for (int64_t c = 0; c < 2 * C; ++c)
      sums[c] = 0.0;
    addChannelSums(in + n * spatial * C, static_cast<size_t>(C), spatial, C, sums);
    finishStats(sums, C, groups, spatial, eps, stats + n * groups * 2);
  }
}

void groupNormApply(int64_t N, int64_t C, int64_t spatial, const float *in, const GroupNormPrologue &pro, float *out) {
  Scratch affine(1, static_cast<size_t>(2 * C));
  float *mul = affine[0], *add = affine[0] + C;
  for (int64_t n = 0; n < N; ++n) {
    channelAffine(pro, n, C, mul, add);
    normalizePixels(in + n * spatial * C, static_cast<size_t>(C), spatial, C, mul, add, pro.silu,
                    out + n * spatial * C);
  }
}

void convBands(const Conv2DParams &p, const float *in, const int64_t *is, float *out, const int64_t *os,
               const Epilogue *ep, const ConvBandPrologue &prologue, const GroupNormStatsEpilogue *stats,
               ConvBandFn conv, const void *context) {
  const int64_t OW = p.OW, M = p.M, C = p.C;
  const int64_t uh = prologue.upsampleH, uw = prologue.upsampleW;
  const GroupNormPrologue *norm = prologue.norm;
  const bool staged = norm || uh != 1 || uw != 1;
  // Output rows per band: a multiple of 4 (the Winograd kernel's tile) whose input rows, and output rows,
  // fit in a band; the whole image when it fits.
  const int64_t perOutRow = std::max(p.W * C * p.strideH, OW * M);
  int64_t bandRows = std::max<int64_t>(4, kBandFloats / std::max<int64_t>(perOutRow, 1) / 4 * 4);
  if (bandRows >= p.OH)
    bandRows = p.OH;
  const int64_t spanRows = (bandRows - 1) * p.strideH + (p.KH - 1) * p.dilationH + 1;
  Scratch band(1, staged ? static_cast<size_t>(std::min(spanRows, p.H) * p.W * C) : 1);
  Scratch affine(1, norm ? static_cast<size_t>(2 * C) : 1);
  Scratch acc(1, stats ? static_cast<size_t>(4 * M) : 1); // 2M doubles
  double *sums = reinterpret_cast<double *>(acc[0]);
  const size_t outPixel = static_cast<size_t>(os[3]);
  const size_t resPixel = ep && ep->residualStride ? ep->residualStride : outPixel;
  for (int64_t n = 0; n < p.N; ++n) {
    if (norm)
      channelAffine(*norm, n, C, affine[0], affine[0] + C);
    if (stats)
      for (int64_t c = 0; c < 2 * M; ++c)
        sums[c] = 0.0;
    for (int64_t r0 = 0; r0 < p.OH; r0 += bandRows) {
      const int64_t r1 = std::min(r0 + bandRows, p.OH);
      // The input rows [a, b) the band's output rows read (the rest of what its taps reach is padding).
      int64_t a = r0 * p.strideH - p.padTop, b = (r1 - 1) * p.strideH - p.padTop + (p.KH - 1) * p.dilationH + 1;
      a = std::max<int64_t>(a, 0);
      b = std::min(b, p.H);
      Conv2DParams bp = p;
      bp.N = 1;
      bp.OH = r1 - r0;
      // The band's input: rows [first, first + rows) of the image, its local row 0 the image's row `first`.
      // A band whose every row is padding gets a one-row input it never reads inside.
      const int64_t first = b > a ? a : 0, rows = b > a ? b - a : 1;
      bp.H = rows;
      bp.padTop = p.padTop + first - r0 * p.strideH;
      const float *bandIn = in + n * is[0] + first * is[2];
      int64_t bandStrides[4] = {is[0], is[1], is[2], is[3]};
      if (staged) {
        // Row y, pixel x of the (upsampled) image is the source's row y / uh, pixel x / uw.
        const float *source = in + n * is[0];
        for (int64_t r = 0; r < rows; ++r) {
          const float *srcRow = source + (first + r) / uh * is[2];
          float *dst = band[0] + r * p.W * C;
          if (uw == 1) {
            if (norm)
              normalizePixels(srcRow, static_cast<size_t>(is[3]), p.W, C, affine[0], affine[0] + C, norm->silu, dst);
            else
              for (int64_t x = 0; x < p.W; ++x)
                std::memcpy(dst + x * C, srcRow + x * is[3], sizeof(float) * static_cast<size_t>(C));
            continue;
          }
          for (int64_t x = 0; x < p.W; ++x) {
            if (norm)
              normalizePixels(srcRow + x / uw * is[3], static_cast<size_t>(C), 1, C, affine[0], affine[0] + C,
                              norm->silu, dst + x * C);
            else
              std::memcpy(dst + x * C, srcRow + x / uw * is[3], sizeof(float) * static_cast<size_t>(C));
          }
        }
        bandIn = band[0];
        bandStrides[0] = rows * p.W * C;
        bandStrides[1] = 1;
        bandStrides[2] = p.W * C;
        bandStrides[3] = C;
      }
      Epilogue bandEp = ep ? *ep : Epilogue{};
      if (bandEp.residual)
        bandEp.residual += n * os[0] + r0 * OW * static_cast<int64_t>(resPixel);
      float *bandOut = out + n * os[0] + r0 * os[2];
      const int64_t bandOs[4] = {(r1 - r0) * os[2], os[1], os[2], os[3]};
      conv(context, bp, bandIn, bandStrides, bandOut, bandOs, ep ? &bandEp : nullptr);
      if (stats)
        addChannelSums(bandOut, outPixel, (r1 - r0) * OW, M, sums);
    }
    if (stats)
      finishStats(sums, M, stats->groups, p.OH * OW, stats->eps, stats->stats + n * stats->groups * 2);
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
