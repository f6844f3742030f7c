// Elementwise kernels: unary functions, binary arithmetic with broadcast strides, and storage conversions.

// Unary functions (the host's `UnaryKind`, runtime/opencl/Kernels.h, has the same numbering).
#define U_NEG 0
#define U_SQRT 1
#define U_EXP 2
#define U_LOG 3
#define U_ERF 4
#define U_TANH 5
#define U_SIGMOID 6
#define U_RELU 7
#define U_ABS 8
#define U_RECIPROCAL 9
#define U_SIN 10
#define U_COS 11
#define U_SILU 12
#define U_GELU_ERF 13
#define U_GELU_TANH 14
#define U_GELU_SIGMOID 15
#define U_CLIP 16
#define U_HARD_SIGMOID 17
#define U_LEAKY_RELU 18

/// In f32 (the generated fused kernels call it too; their intermediate values stay f32).
inline float unaryOf(int kind, float x, float p0, float p1) {
  const float one = 1.0f;
  switch (kind) {
  case U_NEG: return -x;
  case U_SQRT: return sqrt(x);
  case U_EXP: return exp(x);
  case U_LOG: return log(x);
  case U_ERF: return erf(x);
  case U_TANH: return tanh(x);
  case U_SIGMOID: return one / (one + exp(-x));
  case U_RELU: return fmax(x, 0.0f);
  case U_ABS: return fabs(x);
  case U_RECIPROCAL: return one / x;
  case U_SIN: return sin(x);
  case U_COS: return cos(x);
  case U_SILU: return x / (one + exp(-x));
  case U_GELU_ERF: return 0.5f * x * (1.0f + erf(x * 0.70710678118654752f));
  case U_GELU_TANH: return 0.5f * x * (1.0f + tanh(0.79788456080286536f * (x + 0.044715f * x * x * x)));
  case U_GELU_SIGMOID: return x / (1.0f + exp(-1.702f * x));
  case U_CLIP: return clamp(x, p0, p1);                   // p0 = min, p1 = max
  case U_HARD_SIGMOID: return clamp(p0 * x + p1, 0.0f, 1.0f); // p0 = alpha, p1 = beta
  case U_LEAKY_RELU: return x >= 0.0f ? x : p0 * x;         // p0 = alpha
  }
  return x;
}

/// y[i] = f(x[i]) for n elements (p0, p1: the function's parameters, e.g. clip's bounds).
kernel void unary(const int kind, global const store_t *x, const int xo, global store_t *y, const int yo,
                  const float p0, const float p1) {
  int i = get_global_id(0);
  STORE(y, yo + i, unaryOf(kind, LOAD(x, xo + i), p0, p1));
}

#define B_ADD 0
#define B_SUB 1
#define B_MUL 2
#define B_DIV 3
#define B_POW 4
#define B_MAX 5
#define B_MIN 6

inline real_t binaryOf(int kind, real_t a, real_t b) {
  switch (kind) {
  case B_ADD: return a + b;
  case B_SUB: return a - b;
  case B_MUL: return a * b;
  case B_DIV: return a / b;
  case B_POW: return pow(a, b);
  case B_MAX: return fmax(a, b);
  case B_MIN: return fmin(a, b);
  }
  return a;
}

/// y = a (op) b over `shape`, each operand read with its strides (0 on a broadcast dim); y is contiguous.
kernel void binary(const int kind, global const store_t *a, const int ao, const int4 as, global const store_t *b,
                   const int bo, const int4 bs, global store_t *y, const int yo, const int4 shape) {
  int i = get_global_id(0);
  real_t va = LOADR(a, ao + offset4(i, shape, as)), vb = LOADR(b, bo + offset4(i, shape, bs));
  STORE(y, yo + i, binaryOf(kind, va, vb));
}

/// binary on int64 tensors (index arithmetic: ONNX integer Div truncates toward zero, as C does).
kernel void binary_i64(const int kind, global const long *a, const int ao, const int4 as, global const long *b,
                       const int bo, const int4 bs, global long *y, const int yo, const int4 shape) {
  int i = get_global_id(0);
  long va = a[ao + offset4(i, shape, as)], vb = b[bo + offset4(i, shape, bs)];
  long r = va;
  switch (kind) {
  case B_ADD: r = va + vb; break;
  case B_SUB: r = va - vb; break;
  case B_MUL: r = va * vb; break;
  case B_DIV: r = vb != 0 ? va / vb : 0; break;
  case B_MAX: r = max(va, vb); break;
  case B_MIN: r = min(va, vb); break;
  }
  y[yo + i] = r;
}

/// Comparisons, kind 0: ==, 1: <, 2: >, 3: <=, 4: >=, of int64 (compare_i64) or float storage (compare)
/// operands read with broadcast strides, into bytes 0 or 1 (a bool tensor): the attention masks exporters
/// build from attention_mask (Equal, And, Where).
kernel void compare_i64(const int kind, global const long *a, const int ao, const int4 as, global const long *b,
                        const int bo, const int4 bs, global uchar *y, const int yo, const int4 shape) {
  int i = get_global_id(0);
  const long va = a[ao + offset4(i, shape, as)], vb = b[bo + offset4(i, shape, bs)];
  y[yo + i] = kind == 0 ? va == vb : kind == 1 ? va < vb : kind == 2 ? va > vb : kind == 3 ? va <= vb : va >= vb;
}

kernel void compare(const int kind, global const store_t *a, const int ao, const int4 as, global const store_t *b,
                    const int bo, const int4 bs, global uchar *y, const int yo, const int4 shape) {
  int i = get_global_id(0);
  const float va = LOAD(a, ao + offset4(i, shape, as)), vb = LOAD(b, bo + offset4(i, shape, bs));
  y[yo + i] = kind == 0 ? va == vb : kind == 1 ? va < vb : kind == 2 ? va > vb : kind == 3 ? va <= vb : va >= vb;
}

/// Logical And (kind 0) and Or (1) of bool tensors (bytes 0 or 1), with broadcast strides.
kernel void logical(const int kind, global const uchar *a, const int ao, const int4 as, global const uchar *b,
                    const int bo, const int4 bs, global uchar *y, const int yo, const int4 shape) {
  int i = get_global_id(0);
  const uchar va = a[ao + offset4(i, shape, as)] != 0, vb = b[bo + offset4(i, shape, bs)] != 0;
  y[yo + i] = kind == 0 ? (va & vb) : (va | vb);
}

/// Where: condition ? x : y, each of the three read with broadcast strides (float storage).
kernel void where_select(global const uchar *c, const int co, const int4 cs, global const store_t *a, const int ao,
                         const int4 as, global const store_t *b, const int bo, const int4 bs, global store_t *y,
                         const int yo, const int4 shape) {
  int i = get_global_id(0);
  const int k = offset4(i, shape, cs);
  STORE(y, yo + i, c[co + k] ? LOAD(a, ao + offset4(i, shape, as)) : LOAD(b, bo + offset4(i, shape, bs)));
}

/// The model's f32 inputs into storage, and storage into its f32 outputs.
kernel void cast_f32_to_store(global const float *x, const int xo, global store_t *y, const int yo) {
  int i = get_global_id(0);
  STORE(y, yo + i, x[xo + i]);
}

kernel void cast_store_to_f32(global const store_t *x, const int xo, global float *y, const int yo) {
  int i = get_global_id(0);
  y[yo + i] = LOAD(x, xo + i);
}

/// Integer indices to float storage (e.g. a position id fed to a float op).
kernel void cast_i64_to_store(global const long *x, const int xo, global store_t *y, const int yo) {
  int i = get_global_id(0);
  STORE(y, yo + i, (float)x[xo + i]);
}
