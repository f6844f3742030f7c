// What every Mote OpenCL kernel shares (OpenCL C 1.2). The emitter writes the kernel library into NAME.cl in
// this order: Common.cl, then the op families, then the kernels generated for the model; the host program builds it once with -DMOTE_HALF=1 for f16
// storage (--opencl-precision=f16) or without for f32.
//
// Storage and arithmetic: float activations and weights are stored as `store_t` (half or float) and computed
// on in f32: half storage goes through vload_half / vstore_half, which need no cl_khr_fp16, so the same
// kernels run on a device without half arithmetic (pocl). Stores to half saturate to +-65504, so that an
// activation beyond f16's range stays finite (the f16 Stable Diffusion NaN/Inf problem) instead of becoming
// an infinity that the next norm turns into NaN. Reductions (norm statistics, softmax sums, GEMM sums)
// accumulate in f32 in every precision.
//
// Tensor arguments are a buffer and an element offset (`global store_t *x, const int xo`): the host program
// passes the one activation buffer with each value's planned offset. Shapes and strides of up to rank 4 are
// int4 (x: the outermost dim), padded in front with size 1 and stride 0.
//
// With MOTE_HALF_ARITH as well (the host adds it when the device reports cl_khr_fp16), half values are loaded
// and stored directly and the binary arithmetic kernel computes in half (`real_t`, loaded with LOADR); LOAD gives
// f32 in every mode, so unary functions, sums, norms, softmax, attention, the GEMM's accumulation and the
// generated fused kernels stay f32.
#if defined(MOTE_HALF) && defined(MOTE_HALF_ARITH)
#pragma OPENCL EXTENSION cl_khr_fp16 : enable
typedef half store_t;
typedef half real_t;
#define LOAD(p, i) ((float)(p)[i])
#define LOADR(p, i) ((p)[i])
#define STORE(p, i, v) ((p)[i] = (half)clamp((float)(v), -65504.0f, 65504.0f))
#elif defined(MOTE_HALF)
typedef half store_t;
typedef float real_t;
#define LOAD(p, i) vload_half((i), (p))
#define LOADR(p, i) LOAD(p, i)
#define STORE(p, i, v) vstore_half_rte(clamp((float)(v), -65504.0f, 65504.0f), (i), (p))
#else
typedef float store_t;
typedef float real_t;
#define LOAD(p, i) ((p)[i])
#define LOADR(p, i) LOAD(p, i)
#define STORE(p, i, v) ((p)[i] = (v))
#endif

/// The element offset of flat index `i` (row-major over `shape`) in a tensor with `strides`.
inline int offset4(int i, int4 shape, int4 strides) {
  int w = i % shape.w;
  i /= shape.w;
  int z = i % shape.z;
  i /= shape.z;
  int y = i % shape.y;
  i /= shape.y;
  return i * strides.x + y * strides.y + z * strides.z + w * strides.w;
}
