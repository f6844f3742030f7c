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

/// The implicit-GEMM sum of a 2-D convolution of one group for this work-item's (output pixel m = global id 1,
/// output channel n = global id 0) of instance b: pixels are the GEMM's rows, the C * KH * KW taps (kh, kw, c)
/// its reduction, staged through `ta` and `tw` 16 deep as in gemmTile. x is read with (n, c, h, w) strides
/// `xs`, the weight [N, C, KH, KW] contiguous from `wo`. dims: (C, H, W, OW); k: (KH, KW); sd: (strideH,
/// strideW, dilationH, dilationW); pad: (top, left); M: OH * OW. With `up` other than (1, 1) the input is
/// the nearest-neighbour upsampling of x by those factors, read through (x's strides, the upsampled H and W in
/// dims: upsample_conv). With `norm` each tap inside the input is
/// first normalized by its group's statistics, st[sto + (b * groups.x + c / groups.y) * 2 + {0, 1}] (mean,
/// 1 / sqrt(var + eps); groups: (G, C / G)), times scale[c] plus shift[c], then with `silu` passed through
/// SiLU: a group norm (and SiLU) before the convolution, computed as the taps are staged (group_norm_conv);
/// padding stays 0. Every work-item of the group must call it, also those outside M x N.
inline float convTile(local float *ta, local float *tw, global const store_t *x, const int xo, const int4 xs,
                      global const store_t *w, const int wo, const int4 dims, const int2 k, const int4 sd,
                      const int2 pad, const int2 up, const int M, const int N, const int b, const int norm,
                      global const float *st,
                      const int sto, const int2 groups, global const store_t *scale, const int so,
                      global const store_t *shift, const int sho, const int silu) {
  const int lx = get_local_id(0), ly = get_local_id(1);
  const int n = get_global_id(0), m = get_global_id(1);
  const int C = dims.x, K = C * k.x * k.y;
  const int ih0 = (m / dims.w) * sd.x - pad.x, iw0 = (m % dims.w) * sd.y - pad.y;
  float sum = 0.0f;
  for (int k0 = 0; k0 < K; k0 += TILE) {
    const int ka = k0 + lx, kw = k0 + ly;
    float av = 0.0f;
    if (m < M && ka < K) {
      const int c = ka % C, t = ka / C;
      const int ih = ih0 + (t / k.y) * sd.z, iw = iw0 + (t % k.y) * sd.w;
      if (ih >= 0 && ih < dims.y && iw >= 0 && iw < dims.z) {
        av = LOAD(x, xo + b * xs.x + c * xs.y + (ih / up.x) * xs.z + (iw / up.y) * xs.w);
        if (norm) {
          const int at = sto + (b * groups.x + c / groups.y) * 2;
          av = (av - st[at]) * st[at + 1] * LOAD(scale, so + c) + LOAD(shift, sho + c);
          if (silu)
            av = unaryOf(U_SILU, av, 0.0f, 0.0f);
        }
      }
    }
    ta[ly * (TILE + 1) + lx] = av;
    float wv = 0.0f;
    if (n < N && kw < K) {
      const int c = kw % C, t = kw / C;
      wv = LOAD(w, wo + ((n * C + c) * k.x + t / k.y) * k.y + t % k.y);
    }
    tw[ly * (TILE + 1) + lx] = wv;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int j = 0; j < TILE; ++j)
      sum = fma(ta[ly * (TILE + 1) + j], tw[j * (TILE + 1) + lx], sum);
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  return sum;
}

/// (count, mean, sum of squared deviations) merged with another such (Chan et al.'s pairwise update).
inline float3 mergeMoments(const float3 a, const float3 b) {
  if (b.x == 0.0f)
    return a;
  const float count = a.x + b.x, d = b.y - a.y;
  return (float3)(count, a.y + d * b.x / count, a.z + b.z + d * d * a.x * b.x / count);
}

/// A group norm's statistics of a GEMM-tiled convolution's result, computed in its epilogue (group_norm_conv)
/// in one launch: each 16 x 16 work-group (rows: output pixels m of instance b = global id 2; columns:
/// channels n) writes, per `pw` consecutive channels (1, or a whole group where groups tile the 16 columns),
/// the mean and the sum of squared deviations over its rows of `v` (this work-item's result; ignored outside
/// M x N) to the partials after scratch's counter word; the last work-group to finish (counted in
/// scratch[0], which it resets to 0 for the next launch) merges them per instance and group of N / G
/// channels (mergeMoments) into st[sto + (b * G + g) * 2 + {0, 1}]: mean and 1 / sqrt(var + eps). `ts`:
/// TILE * (TILE + 1) floats; `tm`: 3 * TILE * TILE floats; `flag`: one int, all local. Every work-item of
/// the group must call it. Partials live in f32 whatever the storage.
inline void groupStatsEpilogue(local float *ts, local float *tm, local int *flag, const float v, const int M,
                               const int N, const int G, const int pw, const float eps, global float *st,
                               const int sto, global int *scratch) {
  const int lx = get_local_id(0), ly = get_local_id(1), t = ly * TILE + lx;
  const int n = get_global_id(0), b = get_global_id(2);
  const int tile = get_group_id(1), rowTiles = get_num_groups(1);
  global float *part = (global float *)(scratch + 4);
  ts[ly * (TILE + 1) + lx] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  const int rows = min(TILE, M - tile * TILE);
  if (ly == 0 && n < N) { // each column's moments over the tile's rows
    float s = 0.0f;
    for (int r = 0; r < rows; ++r)
      s += ts[r * (TILE + 1) + lx];
    const float mean = s / rows;
    float q = 0.0f;
    for (int r = 0; r < rows; ++r) {
      const float d = ts[r * (TILE + 1) + lx] - mean;
      q += d * d;
    }
    tm[lx] = mean;
    tm[TILE + lx] = q;
  }
  barrier(CLK_LOCAL_MEM_FENCE);
  if (ly == 0 && n < N && lx % pw == 0) {
    float3 acc = (float3)(0.0f, 0.0f, 0.0f);
    for (int j = 0; j < pw; ++j)
      acc = mergeMoments(acc, (float3)((float)rows, tm[lx + j], tm[TILE + lx + j]));
    // Atomic stores and loads of the partials: OpenCL 1.2 orders nothing between work-groups, but atomics go to
    // the device's coherence point, past a GPU's non-coherent L1 caches.
    const int at = ((b * rowTiles + tile) * (N / pw) + n / pw) * 2;
    atomic_xchg((volatile global float *)part + at, acc.y);
    atomic_xchg((volatile global float *)part + at + 1, acc.z);
  }
  mem_fence(CLK_GLOBAL_MEM_FENCE);
  barrier(CLK_GLOBAL_MEM_FENCE | CLK_LOCAL_MEM_FENCE);
  if (t == 0)
    *flag = atomic_inc(scratch) == (int)(get_num_groups(0) * get_num_groups(1) * get_num_groups(2)) - 1;
  barrier(CLK_LOCAL_MEM_FENCE);
  if (!*flag)
    return;
  // The last work-group: every other one's partials are written.
  mem_fence(CLK_GLOBAL_MEM_FENCE);
  volatile global int *parts = (volatile global int *)part;
  const int B = get_num_groups(2), partsPerGroup = N / G / pw, per = rowTiles * partsPerGroup;
  for (int bg = 0; bg < B * G; ++bg) {
    const int bb = bg / G, g = bg % G;
    float3 acc = (float3)(0.0f, 0.0f, 0.0f);
    for (int e = t; e < per; e += TILE * TILE) {
      const int et = e / partsPerGroup, p = g * partsPerGroup + e % partsPerGroup;
      const int at = ((bb * rowTiles + et) * (N / pw) + p) * 2;
      acc = mergeMoments(acc, (float3)((float)(min(TILE, M - et * TILE) * pw), as_float(atomic_or(parts + at, 0)),
                                       as_float(atomic_or(parts + at + 1, 0))));
    }
    tm[t] = acc.x;
    tm[TILE * TILE + t] = acc.y;
    tm[2 * TILE * TILE + t] = acc.z;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = TILE * TILE / 2; s > 0; s >>= 1) {
      if (t < s) {
        const float3 r = mergeMoments((float3)(tm[t], tm[TILE * TILE + t], tm[2 * TILE * TILE + t]),
                                      (float3)(tm[t + s], tm[TILE * TILE + t + s], tm[2 * TILE * TILE + t + s]));
        tm[t] = r.x;
        tm[TILE * TILE + t] = r.y;
        tm[2 * TILE * TILE + t] = r.z;
      }
      barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (t == 0) {
      st[sto + bg * 2] = tm[TILE * TILE];
      st[sto + bg * 2 + 1] = 1.0f / sqrt(tm[2 * TILE * TILE] / tm[0] + eps);
    }
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  if (t == 0)
    *scratch = 0;
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
