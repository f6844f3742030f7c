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

/// Layer norm (rms = 0: (x - mean) / sqrt(var + eps) * scale + bias) or RMS norm (rms = 1: x / sqrt(mean(x^2) +
/// eps) * scale) of each row of n elements: one work-group of NORM_GROUP items per row (global size rows *
/// NORM_GROUP). scale and bias have n elements (bias only when hasBias).
kernel void norm_rows(const int rms, global const store_t *x, const int xo, global const store_t *scale,
                      const int so, global const store_t *bias, const int bo, const int hasBias, global store_t *y,
                      const int yo, const int n, const float eps) {
  local float scratch[NORM_GROUP];
  const int row = get_group_id(0), l = get_local_id(0);
  const int base = row * n;
  float mean = 0.0f;
  if (!rms) {
    float s = 0.0f;
    for (int i = l; i < n; i += NORM_GROUP)
      s += LOAD(x, xo + base + i);
    mean = groupSum(scratch, s) / n;
  }
  float q = 0.0f;
  for (int i = l; i < n; i += NORM_GROUP) {
    float d = LOAD(x, xo + base + i) - mean;
    q += d * d;
  }
  const float inv = 1.0f / sqrt(groupSum(scratch, q) / n + eps);
  for (int i = l; i < n; i += NORM_GROUP) {
    float v = (LOAD(x, xo + base + i) - mean) * inv * LOAD(scale, so + i);
    if (hasBias)
      v += LOAD(bias, bo + i);
    STORE(y, yo + base + i, v);
  }
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
