// Portable kernels of the NEON target, one per Mote op, that the generated program (targets/neon/Emitter)
// calls with every shape a compile-time constant. Plain C++17 without exceptions; nothing from the
// compiler side.
//
// Conventions: shapes and strides are in elements (not bytes); a stride of 0 broadcasts. `rank` may be 0
// (a scalar: one element). Element types: f32 (float), i64 (int64_t), i32, bool (one byte, 0 or 1).
// Simple and correct first: these are direct loops; the optimized GEMM/conv kernels (Gemm.h, Conv3x3.h)
// are used where they apply.
#ifndef MOTE_RUNTIME_NEON_OPS_H
#define MOTE_RUNTIME_NEON_OPS_H

#include "runtime/integer/Attention.h"
#include "runtime/neon/Gemm.h"
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/PackedSizes.h"

#include <cstddef>
#include <cstdint>

namespace mote {
namespace neon {
namespace ops {

constexpr int kMaxRank = 8;

using ::mote::neon::PackedLayout;

enum class DType : int { F32 = 0, I64 = 1, I32 = 2, Bool = 3 };

enum class Binary : int { Add, Sub, Mul, Div, Pow, Min, Max };
enum class Compare : int { Equal, Less, Greater, LessEqual, GreaterEqual, And, Or };
enum class Unary : int {
  Sqrt, Exp, Log, Erf, Tanh, Sigmoid, Relu, Neg, Abs, Reciprocal, Sin, Cos, Not,
  Silu, GeluErf, GeluTanh, GeluSigmoid, HardSigmoid, LeakyRelu, Clip,
};
enum class Reduce : int { Mean, Sum, Max, Min };

// out[i] = a[i] op b[i] over `shape`, out contiguous; as/bs are per-dimension element strides (0 broadcasts).
void binaryF32(Binary op, int rank, const int64_t *shape, const float *a, const int64_t *as, const float *b,
               const int64_t *bs, float *out);
// The same on f16 storage: Add, Sub, Mul, Min, Max in f16 arithmetic (-march=armv8.2-a+fp16) where the innermost
// dimension is contiguous or broadcast; Div, Pow and other strides in f32 per element (results saturate to
// the f16 range).
void binaryF16(Binary op, int rank, const int64_t *shape, const __fp16 *a, const int64_t *as, const __fp16 *b,
               const int64_t *bs, __fp16 *out);
void binaryI64(Binary op, int rank, const int64_t *shape, const int64_t *a, const int64_t *as, const int64_t *b,
               const int64_t *bs, int64_t *out);
// Comparisons and logical ops: bool (uint8) result; `type` is the operands' type.
void compare(Compare op, DType type, int rank, const int64_t *shape, const void *a, const int64_t *as,
             const void *b, const int64_t *bs, uint8_t *out);
// cond ? x : y, three-way broadcast; `elemBytes` is the size of x and y elements.
void where(int elemBytes, int rank, const int64_t *shape, const uint8_t *cond, const int64_t *cs, const void *x,
           const int64_t *xs, const void *y, const int64_t *ys, void *out);

// Elementwise unary over n elements (in may equal out). alpha/beta: HardSigmoid, LeakyRelu (alpha), Clip
// (min, max).
void unaryF32(Unary op, int64_t n, const float *in, float *out, float alpha = 0.0f, float beta = 0.0f);
// On f16 storage: sigmoid, tanh, SiLU and the tanh/sigmoid GELUs in f16 arithmetic (VectorMathF16.h), the
// others in f32 on blocks widened in cache (no f32 copy of the tensor).
void unaryF16(Unary op, int64_t n, const __fp16 *in, __fp16 *out, float alpha = 0.0f, float beta = 0.0f);
void unaryI64(Unary op, int64_t n, const int64_t *in, int64_t *out, double alpha = 0.0, double beta = 0.0);
void unaryBool(Unary op, int64_t n, const uint8_t *in, uint8_t *out);
// A fused elementwise region (mote.fused "elementwise"): a straight-line program over registers that each
// hold one block of the region's elements. Registers 0..numInputs-1 are the inputs; input k has
// inputPeriods[k] elements and element i of the region reads input[i % period] (a scalar, a per-channel
// vector, or a tensor of the region's size) — unless inputRowStrides[k] is not 0: then the input is rows of
// inputPeriods[k] elements that many elements apart (a window of the last axis of a larger buffer, read in
// place of a slice's copy) and element i reads input[(i / period) * rowStride + i % period]. Instruction s applies the unary (binary = 0: a) or binary
// (binary = 1: a, b) kernel `op` into register dst; outputRegisters name what is stored into outputs.
// Computes exactly what the ops compute one by one: unaryF32/binaryF32 on f32 storage, unaryF16/binaryF16 on f16.
struct FusedInstr {
  int binary;
  int op; // a Unary or a Binary
  int dst, a, b;
  float alpha, beta;
};
struct FusedProgram {
  int numInputs;
  const int64_t *inputPeriods;
  int numRegisters;
  int numInstrs;
  const FusedInstr *instrs;
  int numOutputs;
  const int *outputRegisters;
  const int64_t *inputRowStrides;
};
void fusedElementwiseF32(const FusedProgram &p, int64_t n, const float *const *inputs, float *const *outputs);
// A program run by another kernel on its own output as it completes it (mote.fused "norm_elementwise":
// a normalization then an elementwise chain): input 0 is that output (inputs[0] points at it), and
// outputs[0] may be the same buffer (each block is read before it is written).
struct FusedEpilogue {
  const FusedProgram *program;
  const float *const *inputs;
  float *const *outputs;
};
void fusedElementwiseF16(const FusedProgram &p, int64_t n, const __fp16 *const *inputs, __fp16 *const *outputs);
// The same on f16 storage: the program runs on f16 registers, as fusedElementwiseF16's.
struct FusedEpilogueF16 {
  const FusedProgram *program;
  const __fp16 *const *inputs;
  __fp16 *const *outputs;
};

// Element type conversion (float to integer truncates; anything to bool is x != 0).
void cast(int64_t n, DType from, const void *in, DType to, void *out);

// Generic strided copy: out[o-index] = in[i-index] over `shape`; both sides by strides. Transpose, slice,
// concat, split, expand, pad-free data movement all use it.
/// f16 storage (--neon-precision=f16): IEEE half <-> float, `n` elements (in and out may not overlap).
void f16ToF32(int64_t n, const void *in, float *out);
void f32ToF16(int64_t n, const float *in, void *out);
/// The integer pipeline's edges (IntegerEdges.cpp): q = clamp(round_half_even(x / scale), -qmax, qmax) as int8
/// (`bits` 8, qmax 127) or int16 (16, 32767), NaN -> 0; y = f32(q) * scale.
void quantizeActivations(int64_t n, const float *x, float scale, int bits, void *q);
void dequantizeActivations(int64_t n, const void *q, int bits, float scale, float *y);

void copyStrided(int elemBytes, int rank, const int64_t *shape, const void *in, const int64_t *inStrides, void *out,
                 const int64_t *outStrides);

// Batched matrix product, out [batch..., M, N] contiguous; a is [M, K] row-major, b [K, N] row-major per
// batch, each batch found by the batch strides (0 broadcasts) over batchShape.
void matmul(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides, const float *b,
            const int64_t *bBatchStrides, int64_t M, int64_t N, int64_t K, float *out);
// out = alpha * op(A) op(B) + beta * C, A [M,K] (or [K,M] with transA), B [K,N] (or [N,K]); C (nullable)
// read at c[i*cRowStride + j*cColStride].
void gemm(int64_t M, int64_t N, int64_t K, const float *a, bool transA, const float *b, bool transB, float alpha,
          float beta, const float *c, int64_t cRowStride, int64_t cColStride, float *out);

// 2-D grouped convolution. Input [N, C, H, W] read at in[n*is[0] + c*is[1] + h*is[2] + w*is[3]] (NCHW or
// NHWC by the strides), output likewise by os; weight [M, C/group, KH, KW] contiguous; bias [M] or null.
struct Conv2DParams {
  int64_t N, C, H, W, M, OH, OW, KH, KW;
  int64_t strideH, strideW, padTop, padLeft, dilationH, dilationW, group;
};
// `epilogue` (nullable; its bias unused: `bias` is the convolution's) adds a residual read with the output's
// strides and applies a ReLU or clamp as each output element is stored (mote.fused "linear_epilogue").
void conv2d(const Conv2DParams &p, const float *in, const int64_t *inStrides, const float *weight,
            const float *bias, float *out, const int64_t *outStrides, const Epilogue *epilogue = nullptr);

// Weights packed once at load time (the generated program's mote_model_init) for the fast paths of
// conv2d and matmul. The packed sizes (floats) are compile-time constants the emitter computes with the
// same formulas (packedGemmBFloats in Gemm.h); on hosts without the fast kernels the packing is a copy
// and the calls fall back to the portable loops (the packed buffer is at least as large as the weights).
enum class ConvKernel : int {
  Direct3x3 = 1, // 3x3, stride 1, pad 1, NHWC dense: indirect GEMM (Conv3x3.h)
  Winograd3x3 = 2, // same shapes by Winograd F(4x4, 3x3) (Winograd.h)
  Pointwise = 3, // 1x1, stride 1, pad 0, NHWC dense: GEMM (Gemm.h)
  Taps = 4,      // any KH x KW, stride, padding and dilation, NHWC dense, group 1: GEMM over k = tap * Cin + ci
                 // with the input gathered as the GEMM packs it (weights: PackedLayout::ConvTaps)
};
/// Packs the f32 weights `src` ([K, N] for the GEMM layouts; [N = Cout, K = Cin, kh, kw] for the convolution
/// ones) into `packed`, whose size the compiler computed as `bytes`: false, packing nothing, unless that is
/// packedBytes(layout, K, N, taps) (PackedSizes.h), the size this runtime's kernels read.
bool packWeights(PackedLayout layout, int64_t K, int64_t N, const float *src, void *packed, int64_t bytes,
                 int64_t taps = 1);
/// Packs w[Cout][Cin][KH][KW] for `kernel` (taps = KH * KW; the 3x3 and 1x1 kernels know theirs).
void packConv2dWeights(ConvKernel kernel, int64_t Cin, int64_t Cout, const float *weight, float *packed,
                       int64_t taps = 0);
/// conv2d (same p, strides NHWC dense, group 1) with weights from packConv2dWeights.
void conv2dPacked(ConvKernel kernel, const Conv2DParams &p, const float *in, const int64_t *inStrides,
                  const float *packed, const float *bias, float *out, const int64_t *outStrides,
                  const Epilogue *epilogue = nullptr);
/// Packs a matmul right operand b [K, N] (row-major, shared by every batch).
void packMatmulB(int64_t K, int64_t N, const float *b, float *packed);
/// A layer or RMS norm over the last axis of a matmul's left operand, applied as the GEMM packs it (a
/// mote.fused "linear_epilogue" region led by the norm): each row's statistics as layerNorm / rmsNorm compute
/// them, then a[k] -> (a[k] - mean) * inv * scale[k] + bias[k] (RMS: mean 0, no bias).
struct NormPrologue {
  const float *scale = nullptr; // [K]
  const float *bias = nullptr;  // [K] or null
  float eps = 0.0f;
  bool rms = false;
};
/// matmul with b packed by packMatmulB (broadcast over the batch). `epilogue` (nullable): a bias [N] and a
/// residual of out's shape (dense) start the accumulators, a ReLU or clamp applies at the store.
/// `prologue` (nullable): a is normalized row by row on its way into the GEMM (never stored).
void matmulPacked(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                  const float *packedB, int64_t M, int64_t N, int64_t K, float *out,
                  const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);

// w8 (`motec --quantize=w8`): int8 weights with one f32 scale per output column / channel, stored as int8 in
// the weights file and packed as int8 (PackedLayout::GemmBW8: q [K, N], scales [N], the matmul's right operand
// or a Gemm's B with transB = 0; PackedLayout::ConvTapsW8: q [Cout, Cin, KH, KW], scales [Cout], convolutions
// and a Gemm's B with transB = 1); the kernels widen each panel slice to f32 (q * scale, exactly the
// reference's dequantize) as the GEMM reaches it, so the weights never exist as f32 in memory. false, packing
// nothing, unless `bytes` is packedBytes(layout, K, N, taps).
bool packWeightsW8(PackedLayout layout, int64_t K, int64_t N, const int8_t *q, const float *scales, void *packed,
                   int64_t bytes, int64_t taps = 1);
/// matmulPacked over GemmBW8 or (a Gemm with transB = 1) ConvTapsW8 weights of one tap.
void matmulPackedW8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                    const void *packedB, int64_t M, int64_t N, int64_t K, float *out,
                    const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);
// w4 (`motec --quantize=w4`): int4 weights (two a byte, the even element low) with one f16 scale per `group`
// rows of K and column (f32 scales when `f16Scales` is false: a model's own MatMulNBits weights), packed as
// int4 panels with f32 scales (PackedLayout::GemmBW4 from q [K, N] and scales [ceil(K / group), N];
// GemmBW4FromNK from q [N, K] and scales [N, ceil(K / group)]), widened in the GEMM like w8. false, packing
// nothing, unless `bytes` is packedBytes(layout, K, N, 1, group).
bool packWeightsW4(PackedLayout layout, int64_t K, int64_t N, int64_t group, const void *q, const void *scales,
                   void *packed, int64_t bytes, bool f16Scales = true);
/// matmulPacked over GemmBW4 / GemmBW4FromNK weights.
void matmulPackedW4(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                    const void *packedB, int64_t M, int64_t N, int64_t K, int64_t group, float *out,
                    const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);
// w4a8 (`motec --quantize=w4a8`): the w4 weights packed for the integer dot-product kernels
// (PackedLayout::GemmBI4Dot from q [K, N] and f16 scales [ceil(K / group), N]; GemmBI4DotFromNK from q [N, K]
// and scales [N, ceil(K / group)]; `group` a multiple of 4; f32 scales when `f16Scales` is false), the
// activations quantized to int8 per row at run time and the product computed with GemmI8.h's exact arithmetic
// (sdot: ARMv8.2-A dotprod). false, packing nothing, unless `bytes` is packedBytes(layout, K, N, 1, group).
bool packWeightsI4Dot(PackedLayout layout, int64_t K, int64_t N, int64_t group, const void *q, const void *scales,
                      void *packed, int64_t bytes, bool f16Scales = true);
/// matmulPacked over GemmBI4Dot / GemmBI4DotFromNK weights; `prologue` normalizes the rows before they are
/// quantized.
void matmulPackedW4A8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                      const void *packedB, int64_t M, int64_t N, int64_t K, int64_t group, float *out,
                      const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);
// w8a8 (`motec --quantize=w8a8`): int8 weights with per-output-channel scales packed by packWeightsW8 for the
// integer dot-product kernels (PackedLayout::GemmBI8Dot from q [K, N]; ConvTapsI8Dot from q [Cout, Cin, KH, KW],
// or a Gemm's B^T [N, K] as one tap), the activations quantized to int8 with the layer's calibrated scale `sa`
// and the product computed with GemmI8.h's exact per-tensor arithmetic (sdot: ARMv8.2-A dotprod).
/// matmulPacked over GemmBI8Dot / ConvTapsI8Dot (one tap) weights.
void matmulPackedW8A8(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                      const void *packedB, int64_t M, int64_t N, int64_t K, float sa, float *out,
                      const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);
/// conv2d (NHWC dense, group 1, any kernel size, stride, padding and dilation) over ConvTapsI8Dot weights: each
/// image quantized once, then the GEMM over every output pixel's window.
void conv2dPackedW8A8(const Conv2DParams &p, const float *in, const int64_t *inStrides, const void *packed, float sa,
                      const float *bias, float *out, const int64_t *outStrides, const Epilogue *epilogue = nullptr);
// w8a16 (`motec --quantize=w8a16`): the same int8 weights packed by packWeightsW8 in GemmI16.h's layout
// (PackedLayout::GemmBW8A16 from q [K, N]; ConvTapsW8A16 from q [Cout, Cin, KH, KW] or a Gemm's B^T [N, K]), the
// activations quantized to int16 with the layer's calibrated scale `sa`, the sums exact (GemmI16.h).
void matmulPackedW8A16(int batchRank, const int64_t *batchShape, const float *a, const int64_t *aBatchStrides,
                       const void *packedB, int64_t M, int64_t N, int64_t K, float sa, float *out,
                       const Epilogue *epilogue = nullptr, const NormPrologue *prologue = nullptr);
void conv2dPackedW8A16(const Conv2DParams &p, const float *in, const int64_t *inStrides, const void *packed, float sa,
                       const float *bias, float *out, const int64_t *outStrides, const Epilogue *epilogue = nullptr);
// The integer pipeline (--neon-activation-type=i8, runtime/integer/ for the other ops): a group-1 convolution (or a
// GEMM as a 1x1 convolution over its rows) of int8 NHWC `in` with int8 weights packed by packWeightsW8 without
// scales (PackedLayout::ConvTapsI8Dot from w [Cout, Cin, KH, KW]; GemmBI8Dot from a matmul's [K, N]), the int32
// sums (sdot) plus `bias` requantized per output channel by `requant` (multipliers [M], then shifts [M]) with
// mote_requantize, clamped to [lo, hi]: exactly mote.integer_conv's arithmetic. integerConvI16: int16 activations
// (w8a16) with the weights in GemmI16.h's layout (ConvTapsW8A16, GemmBW8A16), exact int64 sums (smlal),
// mote_requantize64.
void integerConvI8(const Conv2DParams &p, const int8_t *in, const void *packed, const int32_t *bias,
                   const int32_t *requant, int32_t lo, int32_t hi, int8_t *out);
void integerConvI16(const Conv2DParams &p, const int16_t *in, const void *packed, const int32_t *bias,
                    const int32_t *requant, int32_t lo, int32_t hi, int16_t *out);
/// mote.integer_table of int8 values (IntegerElementwise.cpp): out[i] = table[in[i] + 128], on tbl.
void integerTableI8(int64_t n, const int8_t *in, const int8_t *table, int8_t *out);
/// mote.integer_attention of int8 heads (IntegerAttention.cpp): mote_int_attention's arithmetic, the dot products
/// on the sdot GEMM.
void integerAttentionI8(const MoteAttention *a, const int8_t *q, const int8_t *k, const int8_t *v,
                        const int32_t *mask, const int32_t *table, int8_t *out);
/// gather of rows of an int4 table [rows, D] (two a byte, the even element low) with f16 scales [rows,
/// ceil(D / group)] (a w4 embedding; f32 scales when `f16Scales` is false: a model's own GatherBlockQuantized):
/// out = f32(q) * scale. False (those rows zero) for indices out of range.
bool gatherW4(int64_t rows, int64_t D, int64_t group, const void *q, const void *scales, DType indexType,
              const void *indices, int64_t numIndices, float *out, bool f16Scales = true);
/// conv2d (NHWC dense, group 1, any kernel size, stride, padding and dilation) over ConvTapsW8 weights.
void conv2dPackedW8(const Conv2DParams &p, const float *in, const int64_t *inStrides, const void *packed,
                    const float *bias, float *out, const int64_t *outStrides, const Epilogue *epilogue = nullptr);

// f16 storage (--neon-precision=f16): the same matmul on IEEE-half operands and result with the weights
// packed once in f16 (GemmF16.h, f16 accumulation: `fmla .8h`, every partial sum rounded to f16). packed:
// PackedLayout::GemmBF16 (24-column panels, the last rounded up to 8 columns; PackedSizes.h) halves.
void packMatmulBF16(int64_t K, int64_t N, const float *b, void *packed);
/// `epilogue` (nullable, f16 bias and residual): as matmulPacked's, applied as each f16 tile is stored.
void matmulPackedF16(int batchRank, const int64_t *batchShape, const void *a, const int64_t *aBatchStrides,
                     const void *packedB, int64_t M, int64_t N, int64_t K, void *out,
                     const EpilogueF16 *epilogue = nullptr);

// Likewise the 1x1 convolution (ConvKernel::Pointwise shapes: NHWC dense, stride 1, no padding, group 1):
// w [Cout][Cin] packed in f16 by packConv1x1WeightsF16 (Cin * Cout rounded up to the panels, halves);
// input, bias (nullable) and output f16; `epilogue` (nullable): its residual and activation (its bias is the
// convolution's).
void packConv1x1WeightsF16(int64_t Cin, int64_t Cout, const float *weight, void *packed);
void conv1x1PackedF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                      const EpilogueF16 *epilogue = nullptr);

// Likewise the 3x3 convolution (NHWC, group 1, no dilation, any stride and padding) in f16 arithmetic, weights
// packed by packWeights(PackedLayout::Conv3x3F16, ...); input, bias (nullable) and output f16; `epilogue` as
// conv1x1PackedF16's.
void conv3x3PackedF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                      const EpilogueF16 *epilogue = nullptr);
// Likewise by Winograd F(2x2, 3x3) in f16 arithmetic (Conv3x3F16.h: stride 1, padding 1, C and M multiples of 8),
// weights packed by packWeights(PackedLayout::WinogradF23F16, ...).
void conv3x3WinogradF16(const Conv2DParams &p, const void *in, const void *packed, const void *bias, void *out,
                        const EpilogueF16 *epilogue = nullptr);

// Normalizations (f32 accumulation in double for the statistics). With an epilogue, each row (a group in
// NCHW) is passed through its program as soon as it is written.
void groupNorm(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast, const float *in,
               const float *scale, const float *bias, float *out, const FusedEpilogue *epilogue = nullptr);
// The same on f16 storage (NormF16.cpp): statistics from f32 lanes in double, each element normalized in f32 and
// stored saturated to f16; the epilogue program runs on f16 registers.
void groupNormF16(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, bool channelsLast, const __fp16 *in,
                  const __fp16 *scale, const __fp16 *bias, __fp16 *out, const FusedEpilogueF16 *epilogue = nullptr);
// A group norm split around convolutions (mote.group_norm_stats, mote.group_norm_apply; NHWC, f32). The
// statistics are [N, groups, 2]: per instance and group the mean and 1 / sqrt(var + eps), summed in double.
struct GroupNormPrologue {
  const float *stats = nullptr;                  // [N, groups, 2]
  const float *scale = nullptr, *bias = nullptr; // [C] or null
  int64_t groups = 1;
  bool silu = false; // a SiLU after the normalization
};
struct GroupNormStatsEpilogue {
  float *stats = nullptr; // [N, groups, 2]
  int64_t groups = 1;
  float eps = 0.0f;
};
void groupNormStats(int64_t N, int64_t C, int64_t spatial, int64_t groups, float eps, const float *in, float *stats);
void groupNormApply(int64_t N, int64_t C, int64_t spatial, const float *in, const GroupNormPrologue &prologue,
                    float *out);
/// What a convolution run over bands of rows (convBands) stages its input through: a group norm's
/// normalization (nullable), and a nearest upsampling by whole factors (the source image is p.H / upsampleH by
/// p.W / upsampleW pixels, with the input strides given; 1 and 1: none).
struct ConvBandPrologue {
  const GroupNormPrologue *norm = nullptr;
  int64_t upsampleH = 1, upsampleW = 1;
};
/// One convolution call on a band of output rows: `band` is the convolution's parameters with N = 1, the
/// band's rows (OH), its input rows (H) and its top padding; in/out point at the band's first rows.
using ConvBandFn = void (*)(const void *context, const Conv2DParams &band, const float *in, const int64_t *inStrides,
                            float *out, const int64_t *outStrides, const Epilogue *epilogue);
/// A convolution (dense NHWC, `conv` on each band of output rows) reading its input through `prologue` and
/// writing the group statistics of its output, after `epilogue`, to `stats` (nullable): what the prologue
/// makes of the input exists only a band of rows at a time, in cache (ConvBands.cpp).
void convBands(const Conv2DParams &p, const float *in, const int64_t *inStrides, float *out, const int64_t *outStrides,
               const Epilogue *epilogue, const ConvBandPrologue &prologue, const GroupNormStatsEpilogue *stats,
               ConvBandFn conv, const void *context);
/// The same with `conv` any callable taking (band, in, inStrides, out, outStrides, epilogue).
template <class F>
void convBands(const Conv2DParams &p, const float *in, const int64_t *inStrides, float *out, const int64_t *outStrides,
               const Epilogue *epilogue, const ConvBandPrologue &prologue, const GroupNormStatsEpilogue *stats,
               const F &conv) {
  convBands(
      p, in, inStrides, out, outStrides, epilogue, prologue, stats,
      [](const void *c, const Conv2DParams &band, const float *i, const int64_t *is, float *o, const int64_t *os,
         const Epilogue *e) { (*static_cast<const F *>(c))(band, i, is, o, os, e); },
      &conv);
}

void layerNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, const float *bias,
               float *out, const FusedEpilogue *epilogue = nullptr);
void rmsNorm(int64_t outer, int64_t inner, float eps, const float *in, const float *scale, float *out,
             const FusedEpilogue *epilogue = nullptr);
void softmax(int64_t outer, int64_t n, int64_t inner, const float *in, float *out);
// The same norms on f16 storage (NormF16.cpp): statistics in f32/double, the row normalized in f32 and
// stored saturated to f16; the epilogue program runs on f16 registers.
void layerNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, const __fp16 *bias,
                  __fp16 *out, const FusedEpilogueF16 *epilogue = nullptr);
void rmsNormF16(int64_t outer, int64_t inner, float eps, const __fp16 *in, const __fp16 *scale, __fp16 *out,
                const FusedEpilogueF16 *epilogue = nullptr);

// softmax(q k^T * scale + mask) v. q [B,H,Sq,D], k [B,Hkv,Sk,D], v [B,Hkv,Sk,Dv], out [B,H,Sq,Dv]; mask
// (nullable) read at mask[b*ms[0] + h*ms[1] + i*ms[2] + j*ms[3]]. `layout` (nullable: all four dense) holds
// the element strides over (b, h, s) of q, k, v and out, in that order (12 values; d is contiguous), so
// that buffers in the projections' [B, S, H, D] layout are read and written without transposed copies.
void attention(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
               const float *q, const float *k, const float *v, const float *mask, const int64_t *maskStrides,
               float *out, const int64_t *layout = nullptr);

// The same on f16 storage: with few query rows per head, q k^T in f16 arithmetic with the lanes summed in f32,
// softmax in f32, p v in f16 over blocks of 32 keys summed in f32 (D, Dv multiples of 8); otherwise the f32
// kernel on widened copies.
void attentionF16(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
                  const __fp16 *q, const __fp16 *k, const __fp16 *v, const __fp16 *mask, const int64_t *maskStrides,
                  __fp16 *out, const int64_t *layout = nullptr);

// A static KV cache (mote.kv_write, mote.cache_attention; runtime/neon/KvCache.cpp). cache and out are
// [BH, L, D] of elemBytes-sized elements, update [BH, S, D]: out = cache with rows position .. position + S - 1
// replaced by update (only those rows move when out == cache). False when the rows fall outside the cache.
bool kvWrite(int elemBytes, int64_t BH, int64_t L, int64_t S, int64_t D, const void *cache, const void *update,
             const int64_t *position, void *out);
// Causal attention of q [B, H, S, D] (the tokens at cache rows position ..) over the caches k [B, Hkv, L, D] and
// v [B, Hkv, L, Dv]: query s attends rows 0 .. position + s, through attention() on those rows only. False
// when the rows fall outside the cache.
bool cacheAttention(int64_t B, int64_t H, int64_t Hkv, int64_t S, int64_t L, int64_t D, int64_t Dv, float scale,
                    const float *q, const float *k, const float *v, const int64_t *position, float *out);
// The same on f16 caches, through attentionF16.
bool cacheAttentionF16(int64_t B, int64_t H, int64_t Hkv, int64_t S, int64_t L, int64_t D, int64_t Dv, float scale,
                       const __fp16 *q, const __fp16 *k, const __fp16 *v, const int64_t *position, __fp16 *out);

// Rotary position embedding (mote.fused "rotary"): out = x * cos + rotate_half(x) * sin over rows of D (even),
// rotate_half(x) = concat(-x[D/2:], x[:D/2]). x, cos, sin and out are [A0, A1, A2, D] read at the element
// strides `strides` (12 values: x, cos, sin, out, 3 each over A0, A1, A2, 0 where broadcast; d contiguous),
// so x can be read through a head transpose. The f16 version computes in f16 arithmetic (in f32 without
// FP16 vector arithmetic).
void rotary(int64_t A0, int64_t A1, int64_t A2, int64_t D, const float *x, const float *cos, const float *sin,
            float *out, const int64_t *strides);
void rotaryF16(int64_t A0, int64_t A1, int64_t A2, int64_t D, const __fp16 *x, const __fp16 *cos,
               const __fp16 *sin, __fp16 *out, const int64_t *strides);

// out[o, i, n] = data[o, idx[i], n] for data [outer, axisDim, inner]; negative indices count from the end;
// an index out of range gives zeros (and returns false).
bool gather(int elemBytes, int64_t outer, int64_t axisDim, int64_t inner, const void *data, DType indexType,
            const void *indices, int64_t numIndices, void *out);
/// gather over an int8 table [outer, axisDim, inner] with one f32 scale per index of the gathered axis (a w8
/// embedding): out = f32(q) * scale[index]. False (those rows zero) for indices out of range, as gather.
bool gatherW8(int64_t outer, int64_t axisDim, int64_t inner, const void *q, const float *scales, DType indexType,
              const void *indices, int64_t numIndices, float *out);

// Reduction of `in` [shape] into out: outStrides index the output by each input dimension (0 on reduced
// axes); out has outCount elements, each the reduction of reduceCount inputs.
void reduceF32(Reduce op, int rank, const int64_t *shape, const float *in, const int64_t *outStrides, float *out,
               int64_t outCount, int64_t reduceCount);
// The same over int64 or int32 elements (`type`, input and output alike): exact sums, and the mean truncated
// toward zero as the reference target computes it (an attention mask's ReduceSum, in ONNX Runtime GenAI models).
void reduceInt(Reduce op, DType type, int rank, const int64_t *shape, const void *in, const int64_t *outStrides,
               void *out, int64_t outCount, int64_t reduceCount);
// Index of the largest element along the middle axis of [outer, n, inner].
void argMax(DType type, int64_t outer, int64_t n, int64_t inner, bool selectLast, const void *in, int64_t *out);
// Keep the upper (j >= i + k) or lower (j <= i + k) triangle of each [rows, cols] matrix.
void trilu(int elemBytes, int64_t batch, int64_t rows, int64_t cols, bool upper, int64_t k, const void *in,
           void *out);
// Resampling by per-axis tables computed at compile time: for axis d and output coordinate o,
// idx[off_d + 2*o + {0,1}] are the source indices and wts[...] their weights (offsets off_d = 2 * sum of
// the earlier output dims). Nearest uses only the first entry (linear = false).
void resize(int rank, const int64_t *outShape, const int64_t *inStrides, const int64_t *idx, const float *wts,
            bool linear, const float *in, float *out);
// Nearest-neighbour resize of any element type (idx as for resize; only the first entry of each pair is read):
// runs of trailing dimensions the resize leaves alone are copied whole.
void resizeNearest(int elemBytes, int rank, const int64_t *outShape, const int64_t *inStrides, const int64_t *idx,
                   const void *in, void *out);
// Pad: mode 0 constant, 1 reflect, 2 edge; padsBegin per dimension (negative crops).
void pad(int elemBytes, int rank, const int64_t *inShape, const int64_t *outShape, const int64_t *padsBegin,
         int mode, double value, DType type, const void *in, void *out);

} // namespace ops
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_OPS_H
