// Reductions and normalizations: statistics accumulate in f32 whatever the storage.

#define NORM_GROUP 64

/// The sum of `v` over the work-group (NORM_GROUP items), in every item.
inline float groupSum(local float *scratch, float v) {
  const int l = get_local_id(0);
  scratch[l] = v;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = NORM_GROUP / 2; s > 0; s >>= 1) {
    if (l < s)
      scratch[l] += scratch[l + s];
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  float total = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  return total;
}

/// (mean, 1 / sqrt(var + eps)) of the n elements of x from `base` (rms: mean 0 and the mean square), computed
/// by the work-group (NORM_GROUP items) in two passes in f32: the statistics of the norm kernels generated per
/// layer or RMS norm (targets/opencl/FusedKernels.cpp), which then normalize each element and apply the
/// elementwise ops fused after the norm.
inline float2 rowStats(local float *scratch, global const store_t *x, const int base, const int n, const int rms,
                       const float eps) {
  const int l = get_local_id(0);
  float mean = 0.0f;
  if (!rms) {
    float s = 0.0f;
    for (int i = l; i < n; i += NORM_GROUP)
      s += LOAD(x, base + i);
    mean = groupSum(scratch, s) / n;
  }
  float q = 0.0f;
  for (int i = l; i < n; i += NORM_GROUP) {
    const float d = LOAD(x, base + i) - mean;
    q += d * d;
  }
  return (float2)(mean, 1.0f / sqrt(groupSum(scratch, q) / n + eps));
}

/// The same over group g of instance n of a group norm: count = (C / G) * P elements, element e being channel
/// g * Cg + e % Cg of pixel e / Cg (channelsLast: x is [N, P, C]) or channel g * Cg + e / P of pixel e % P (x is
/// [N, C, P]).
inline float2 groupStats(local float *scratch, global const store_t *x, const int xo, const int count, const int C,
                         const int P, const int Cg, const int n, const int g, const int channelsLast,
                         const float eps) {
  const int l = get_local_id(0);
  const int base = xo + n * C * P;
#define GROUP_AT(e) (channelsLast ? ((e) / Cg) * C + g * Cg + (e) % Cg : (g * Cg + (e) / P) * P + (e) % P)
  float s = 0.0f;
  for (int e = l; e < count; e += NORM_GROUP)
    s += LOAD(x, base + GROUP_AT(e));
  const float mean = groupSum(scratch, s) / count;
  float q = 0.0f;
  for (int e = l; e < count; e += NORM_GROUP) {
    const float d = LOAD(x, base + GROUP_AT(e)) - mean;
    q += d * d;
  }
#undef GROUP_AT
  return (float2)(mean, 1.0f / sqrt(groupSum(scratch, q) / count + eps));
}

#define R_MEAN 0
#define R_SUM 1
#define R_MAX 2
#define R_MIN 3

/// A reduction over the dims where `reduced` is 1 of a contiguous input of `shape`: one output (contiguous,
/// the reduced dims of size 1) per work-item; `count` = the number of elements reduced into each.
kernel void reduce(const int kind, global const store_t *x, const int xo, global store_t *y, const int yo,
                   const int4 shape, const int4 reduced, const int count) {
  const int o = get_global_id(0);
  const int4 kept = select(shape, (int4)(1), reduced != 0), over = select((int4)(1), shape, reduced != 0);
  const int4 strides = (int4)(shape.y * shape.z * shape.w, shape.z * shape.w, shape.w, 1);
  int r = o;
  const int k3 = r % kept.w;
  r /= kept.w;
  const int k2 = r % kept.z;
  r /= kept.z;
  const int k1 = r % kept.y, k0 = r / kept.y;
  const int base = xo + k0 * strides.x + k1 * strides.y + k2 * strides.z + k3 * strides.w;
  float acc = kind == R_MAX ? -INFINITY : kind == R_MIN ? INFINITY : 0.0f;
  for (int t = 0; t < count; ++t) {
    float v = LOAD(x, base + offset4(t, over, strides));
    acc = kind == R_MAX ? fmax(acc, v) : kind == R_MIN ? fmin(acc, v) : acc + v;
  }
  STORE(y, yo + o, kind == R_MEAN ? acc / count : acc);
}

/// Softmax of each row of n contiguous elements: one work-group of NORM_GROUP items per row.
kernel void softmax_rows(global const store_t *x, const int xo, global store_t *y, const int yo, const int n) {
  local float scratch[NORM_GROUP];
  const int row = get_group_id(0), l = get_local_id(0);
  const int base = row * n;
  float m = -INFINITY;
  for (int i = l; i < n; i += NORM_GROUP)
    m = fmax(m, LOAD(x, xo + base + i));
  scratch[l] = m;
  barrier(CLK_LOCAL_MEM_FENCE);
  for (int s = NORM_GROUP / 2; s > 0; s >>= 1) {
    if (l < s)
      scratch[l] = fmax(scratch[l], scratch[l + s]);
    barrier(CLK_LOCAL_MEM_FENCE);
  }
  m = scratch[0];
  barrier(CLK_LOCAL_MEM_FENCE);
  float s = 0.0f;
  for (int i = l; i < n; i += NORM_GROUP)
    s += exp(LOAD(x, xo + base + i) - m);
  const float inv = 1.0f / groupSum(scratch, s);
  for (int i = l; i < n; i += NORM_GROUP)
    STORE(y, yo + base + i, exp(LOAD(x, xo + base + i) - m) * inv);
}

/// Inference batch norm folded at compile time into y = x * ab[c] + ab[channels + c] (ab in f32: a variance or
/// scale beyond half's range stays exact), the channel of flat index i being (i / inner) % channels (inner = 1
/// for channels last, H * W for NCHW).
kernel void batch_norm(global const store_t *x, const int xo, global const float *ab, global store_t *y,
                       const int yo, const int channels, const int inner) {
  const int i = get_global_id(0);
  const int c = (i / inner) % channels;
  STORE(y, yo + i, fma(LOAD(x, xo + i), ab[c], ab[channels + c]));
}
