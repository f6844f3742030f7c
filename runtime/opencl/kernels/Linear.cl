// GEMM and convolution.

#define TILE 16

/// The sum of `v` over the TILE work-items of this work-item's tile row (same local id 1), through `ts`
/// (TILE * (TILE + 1) floats).
inline float tileRowSum(local float *ts, const float v) {
  const int lx = get_local_id(0), ly = get_local_id(1);
  ts[ly * (TILE + 1) + lx] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  float s = 0.0f;
  for (int j = 0; j < TILE; ++j)
    s += ts[ly * (TILE + 1) + j];
  barrier(CLK_LOCAL_MEM_FENCE);
  return s;
}

/// (mean, 1 / sqrt(var + eps)) of row m = global id 1 of a (K elements from aBase + m * aRow, column stride
/// aCol; rms: mean 0 and the mean square), computed by the tile row's work-items in two passes in f32 through
/// `ts`: a layer or RMS norm fused before a GEMM (norm_prologue), which gemmTile applies as it stages the
/// row. Every work-item of the group must call it; rows past M get the last row's statistics.
inline float2 tileRowStats(local float *ts, global const store_t *a, const int aBase, const int aRow,
                           const int aCol, const int M, const int K, const int rms, const float eps) {
  const int lx = get_local_id(0);
  const int row = aBase + min((int)get_global_id(1), M - 1) * aRow;
  float mean = 0.0f;
  if (!rms) {
    float s = 0.0f;
    for (int k = lx; k < K; k += TILE)
      s += LOAD(a, row + k * aCol);
    mean = tileRowSum(ts, s) / K;
  }
  float q = 0.0f;
  for (int k = lx; k < K; k += TILE) {
    const float d = LOAD(a, row + k * aCol) - mean;
    q += d * d;
  }
  return (float2)(mean, 1.0f / sqrt(tileRowSum(ts, q) / K + eps));
}

/// The sum over k of a[m, k] * w[k, n] for this work-item's (m = global id 1, n = global id 0), its operands
/// read from `aBase`/`wBase` with (row, column) element strides: 16x16 output tiles per work-group, staged
/// through the local tiles `ta` and `tw` (TILE * (TILE + 1) floats each) 16 deep. With `norm` (1: scale, 2:
/// scale and shift) a[m, k] is first normalized, (a - st.x) * st.y * scale[k] (+ shift[k]), st being row m's
/// statistics (tileRowStats). Every work-item of the group must call it (it has barriers), also those
/// outside M x N, which get a meaningless sum. The GEMM kernels generated per matmul, Gemm or 1x1
/// convolution (targets/opencl/FusedKernels.cpp) call it, then apply the bias, residual and activation
/// fused after it and store.
inline float gemmTile(local float *ta, local float *tw, global const store_t *a, const int aBase, const int aRow,
                      const int aCol, global const store_t *w, const int wBase, const int wRow, const int wCol,
                      const int M, const int N, const int K, const int norm, const float2 st,
                      global const store_t *scale, const int so, global const store_t *shift, const int sho) {
  const int lx = get_local_id(0), ly = get_local_id(1);
  const int n = get_global_id(0), m = get_global_id(1);
  float sum = 0.0f;
  for (int k0 = 0; k0 < K; k0 += TILE) {
    // ta[row ly][k lx] = a[m, k0 + lx]; tw[k ly][col lx] = w[k0 + ly, n]
    const int ka = k0 + lx, kw = k0 + ly;
    float av = (m < M && ka < K) ? LOAD(a, aBase + m * aRow + ka * aCol) : 0.0f;
    if (norm && m < M && ka < K)
      av = (av - st.x) * st.y * LOAD(scale, so + ka) + (norm == 2 ? LOAD(shift, sho + ka) : 0.0f);
    ta[ly * (TILE + 1) + lx] = av;
    tw[ly * (TILE + 1) + lx] = (n < N && kw < K) ? LOAD(w, wBase + kw * wRow + n * wCol) : 0.0f;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int k = 0; k < TILE; ++k)
      sum = fma(ta[ly * (TILE + 1) + k], tw[k * (TILE + 1) + lx], sum);
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  return sum;
}

/// The direct grouped 2-D convolution's sum (no bias) for output (n, m, oh, ow): x read with (n, c, h, w)
/// strides (NCHW or NHWC alike), the weight [M, C / group, KH, KW] contiguous from `wo`. dims: (C, H, W,
/// group); M: output channels; k: (KH, KW); sd: (strideH, strideW, dilationH, dilationW); pad: (top, left).
/// The kernels generated per convolution call it (one output element per work-item).
inline float conv2dAt(global const store_t *x, const int xo, const int4 xs, global const store_t *w, const int wo,
                      const int4 dims, const int M, const int2 k, const int4 sd, const int2 pad, const int n,
                      const int m, const int oh, const int ow) {
  const int group = dims.w, cPerGroup = dims.x / group, g = m / (M / group);
  const int ih0 = oh * sd.x - pad.x, iw0 = ow * sd.y - pad.y;
  float sum = 0.0f;
  for (int ci = 0; ci < cPerGroup; ++ci) {
    const int cIn = g * cPerGroup + ci;
    const int wRow = wo + (m * cPerGroup + ci) * k.x * k.y;
    for (int kh = 0; kh < k.x; ++kh) {
      const int ih = ih0 + kh * sd.z;
      if (ih < 0 || ih >= dims.y)
        continue;
      for (int kw = 0; kw < k.y; ++kw) {
        const int iw = iw0 + kw * sd.w;
        if (iw < 0 || iw >= dims.z)
          continue;
        sum = fma(LOAD(x, xo + n * xs.x + cIn * xs.y + ih * xs.z + iw * xs.w), LOAD(w, wRow + kh * k.y + kw), sum);
      }
    }
  }
  return sum;
}

/// Transposed grouped 2-D convolution, one output element per work-item (global size (M, OH * OW, N)): output
/// (oh, ow) gathers input (ih, iw) where oh = ih * strideH - padTop + kh * dilationH. The weight is
/// [C, M / group, KH, KW] contiguous; other arguments as conv2d.
kernel void conv_transpose2d(global const store_t *x, const int xo, const int4 xs, global const store_t *w,
                             const int wo, global const store_t *bias, const int bo, const int hasBias,
                             global store_t *y, const int yo, const int4 ys, const int4 dims, const int4 out,
                             const int2 kdims, const int4 sd, const int2 pad) {
  const int m = get_global_id(0), p = get_global_id(1), n = get_global_id(2);
  const int oh = p / out.z, ow = p % out.z;
  const int group = dims.w, cPerGroup = dims.x / group, mPerGroup = out.x / group;
  const int g = m / mPerGroup, mg = m % mPerGroup;
  float sum = hasBias ? LOAD(bias, bo + m) : 0.0f;
  for (int ci = 0; ci < cPerGroup; ++ci) {
    const int c = g * cPerGroup + ci;
    const int wRow = wo + (c * mPerGroup + mg) * kdims.x * kdims.y;
    for (int kh = 0; kh < kdims.x; ++kh) {
      const int th = oh + pad.x - kh * sd.z;
      if (th < 0 || th % sd.x != 0 || th / sd.x >= dims.y)
        continue;
      const int ih = th / sd.x;
      for (int kw = 0; kw < kdims.y; ++kw) {
        const int tw = ow + pad.y - kw * sd.w;
        if (tw < 0 || tw % sd.y != 0 || tw / sd.y >= dims.z)
          continue;
        sum = fma(LOAD(x, xo + n * xs.x + c * xs.y + ih * xs.z + (tw / sd.y) * xs.w), LOAD(w, wRow + kh * kdims.y + kw),
                  sum);
      }
    }
  }
  STORE(y, yo + n * ys.x + m * ys.y + oh * ys.z + ow * ys.w, sum);
}

/// Max (isMax) or average 2-D pooling, one output per work-item (global size (C, OH * OW, N)); x and y with
/// (n, c, h, w) strides. dims: (C, H, W, countIncludePad); window: (KH, KW, strideH, strideW); pads: (top,
/// left, bottom, right); dil: (dilationH, dilationW). The average divides by the taps inside the input, or
/// with countIncludePad by those inside the padded input.
kernel void pool2d(const int isMax, global const store_t *x, const int xo, const int4 xs, global store_t *y,
                   const int yo, const int4 ys, const int4 dims, const int2 outDims, const int4 window,
                   const int4 pads, const int2 dil) {
  const int c = get_global_id(0), p = get_global_id(1), n = get_global_id(2);
  const int oh = p / outDims.y, ow = p % outDims.y;
  const int h0 = oh * window.z - pads.x, w0 = ow * window.w - pads.y;
  float acc = isMax ? -INFINITY : 0.0f;
  int inside = 0, padded = 0;
  for (int kh = 0; kh < window.x; ++kh) {
    const int ih = h0 + kh * dil.x;
    for (int kw = 0; kw < window.y; ++kw) {
      const int iw = w0 + kw * dil.y;
      if (ih < dims.y + pads.z && iw < dims.z + pads.w)
        ++padded;
      if (ih < 0 || ih >= dims.y || iw < 0 || iw >= dims.z)
        continue;
      const float v = LOAD(x, xo + n * xs.x + c * xs.y + ih * xs.z + iw * xs.w);
      acc = isMax ? fmax(acc, v) : acc + v;
      ++inside;
    }
  }
  if (!isMax)
    acc /= (float)max(dims.w ? padded : inside, 1);
  STORE(y, yo + n * ys.x + c * ys.y + oh * ys.z + ow * ys.w, acc);
}
