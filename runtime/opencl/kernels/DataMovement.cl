// Kernels that move elements without computing on them: strided copies (transpose, slice, concat, split,
// expand), gather and nearest/linear resize. Copies move bit patterns, so one kernel per element width
// serves every type (half is moved as ushort: no half arithmetic is needed).

#define COPY_STRIDED(NAME, T)                                                                                  \
  kernel void NAME(global const T *x, const int xo, const int4 xs, global T *y, const int yo, const int4 ys,   \
                   const int4 shape) {                                                                         \
    int i = get_global_id(0);                                                                                  \
    y[yo + offset4(i, shape, ys)] = x[xo + offset4(i, shape, xs)];                                             \
  }
/// y[at ys] = x[at xs] for every index of `shape`.
COPY_STRIDED(copy_strided_16, ushort)
COPY_STRIDED(copy_strided_32, uint)
COPY_STRIDED(copy_strided_64, ulong)

#define GATHER(NAME, T)                                                                                        \
  kernel void NAME(global const T *data, const int dataOffset, global const long *indices, const int io,       \
                   global T *y, const int yo, const int rows, const int count, const int inner,                \
                   global int *status) {                                                                       \
    int j = get_global_id(0), k = get_global_id(1), o = get_global_id(2);                                      \
    long r = indices[io + k];                                                                                  \
    if (r < 0)                                                                                                 \
      r += rows;                                                                                               \
    if (r < 0 || r >= rows) {                                                                                  \
      status[0] = 1;                                                                                           \
      y[yo + ((long)o * count + k) * inner + j] = 0;                                                           \
      return;                                                                                                  \
    }                                                                                                          \
    y[yo + ((long)o * count + k) * inner + j] = data[dataOffset + ((long)o * rows + r) * inner + j];           \
  }
/// y[o, k, j] = data[o, indices[k], j] (ONNX Gather: negative indices count from the end); an index out of
/// range sets status[0] (the host then fails the run with kModelGatherIndex) and writes 0.
GATHER(gather_16, ushort)
GATHER(gather_32, uint)
GATHER(gather_64, ulong)

/// Resize by per-axis tables (codegen::ResizeTables, padded to rank 4): for axis d and output coordinate c,
/// idx[off_d + 2c + e] and wt[off_d + 2c + e] (e = 0, 1) are a source coordinate and its weight, off_d being
/// twice the sum of the earlier output dims. Nearest modes have weight 1 then 0.
kernel void resize(global const store_t *x, const int xo, const int4 xshape, global store_t *y, const int yo,
                   const int4 yshape, global const int *idx, global const float *wt) {
  int i = get_global_id(0);
  int c3 = i % yshape.w, r = i / yshape.w;
  int c2 = r % yshape.z;
  r /= yshape.z;
  int c1 = r % yshape.y, c0 = r / yshape.y;
  int o0 = 2 * c0, o1 = 2 * (yshape.x + c1), o2 = 2 * (yshape.x + yshape.y + c2),
      o3 = 2 * (yshape.x + yshape.y + yshape.z + c3);
  float sum = 0.0f;
  for (int e0 = 0; e0 < 2; ++e0) {
    float w0 = wt[o0 + e0];
    if (w0 == 0.0f)
      continue;
    for (int e1 = 0; e1 < 2; ++e1) {
      float w1 = w0 * wt[o1 + e1];
      if (w1 == 0.0f)
        continue;
      for (int e2 = 0; e2 < 2; ++e2) {
        float w2 = w1 * wt[o2 + e2];
        if (w2 == 0.0f)
          continue;
        for (int e3 = 0; e3 < 2; ++e3) {
          float w3 = w2 * wt[o3 + e3];
          if (w3 == 0.0f)
            continue;
          int at = ((idx[o0 + e0] * xshape.y + idx[o1 + e1]) * xshape.z + idx[o2 + e2]) * xshape.w + idx[o3 + e3];
          sum += w3 * LOAD(x, xo + at);
        }
      }
    }
  }
  STORE(y, yo + i, sum);
}

#define ARG_MAX(NAME, T, READ)                                                                                 \
  kernel void NAME(global const T *x, const int xo, global long *y, const int yo, const int n, const int inner, \
                   const int selectLast) {                                                                     \
    int j = get_global_id(0), o = get_global_id(1);                                                            \
    int base = xo + o * n * inner + j;                                                                         \
    READ(best, base);                                                                                          \
    int at = 0;                                                                                                \
    for (int k = 1; k < n; ++k) {                                                                              \
      READ(v, base + k * inner);                                                                               \
      if (v > best || (selectLast && v == best)) {                                                             \
        best = v;                                                                                              \
        at = k;                                                                                                \
      }                                                                                                        \
    }                                                                                                          \
    y[yo + o * inner + j] = at;                                                                                \
  }
#define READ_STORE(v, i) float v = LOAD(x, i)
#define READ_LONG(v, i) long v = x[i]
/// y[o, j] = the index of the largest x[o, :, j] (the first, or with selectLast the last, of equal ones).
ARG_MAX(arg_max, store_t, READ_STORE)
ARG_MAX(arg_max_i64, long, READ_LONG)
