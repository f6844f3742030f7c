// The ops of the `mote` dialect, grouped as the ONNX operator families they come from.
#ifndef MOTE_IR_MOTEOPS_TD
#define MOTE_IR_MOTEOPS_TD

include "ir/MoteBase.td"
include "ir/MoteAttributes.td"

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def Mote_ConstantOp : Mote_Op<"constant", [ConstantLike, AllTypesMatch<["value", "output"]>]> {
  let summary = "A constant tensor: a weight, or a folded shape value.";
  let description = [{
    Small constants hold their elements inline (`dense<...>`); weights refer to blobs
    (`dense_resource<...>`) that point into the memory-mapped model or external-data file, so the bytes
    of a multi-gigabyte model are never copied into the MLIR context.

    ```mlir
    %0 = mote.constant dense<[1, 320, 64, 64]> : tensor<4xi64>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
}

def Mote_DequantizeOp : Mote_Op<"dequantize"> {
  let summary = "A quantized weight in float (the `quantized` phase's weights; ONNX DequantizeLinear, symmetric).";
  let description = [{
    `input` holds signless integers (i8: `motec --quantize=w8`; i4: `w4`), `scale` f32 or f16 values:
    - without `block_size`, one scale per index of `axis` (scale `[C]`, C = input dim `axis`): the output
      channel of a w8 weight, y[i] = f32(q[i]) * scale[i_axis];
    - with `block_size` B, one scale per block of B consecutive indices along `axis` (scale of the input's
      rank, its dim `axis` = ceil(input dim / B), the others the input's): a w4 weight's groups along the
      reduction axis, y[i] = f32(q[i]) * scale[..., i_axis / B, ...].
    The product of the integer and the scale is rounded once to f32, so every target computes the same f32
    weight bit for bit; targets that keep weights in int8/int4 read `input` and `scale` and widen in their
    kernels.

    ```mlir
    %w = mote.dequantize %q, %s {axis = 1 : i64} : (tensor<320x1280xi8>, tensor<1280xf32>) -> tensor<320x1280xf32>
    %v = mote.dequantize %p, %t {axis = 0 : i64, block_size = 32 : i64} : (tensor<320x1280xi4>, tensor<10x1280xf16>) -> tensor<320x1280xf32>
    ```
  }];
  let arguments = (ins AnyRankedTensor:$input, Mote_FloatTensor:$scale, I64Attr:$axis,
                   OptionalAttr<I64Attr>:$block_size);
  let results = (outs Mote_FloatTensor:$output);
  let assemblyFormat = "$input `,` $scale attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Integer activations: the quantized phase of a target whose activations are int8 (hexagon)
//===----------------------------------------------------------------------===//
//
// Activations are int8 (w8a8) or int16 (w8a16) with one scale per tensor, symmetric (value = q * scale, q in
// [-127, 127] or [-32767, 32767]). The scales are fixed at compile time from calibration, so they are attributes;
// the arithmetic below is exact integer arithmetic that every target reproduces bit for bit. Requantization
// (runtime/integer/Requantize.h):
//   t = floor(acc * mult / 2^16); t = floor((t +sat (shift ? 2^(shift-1) : 0)) / 2^shift); y = clamp(t, lo, hi)
// with mult in [0, 65535] and shift in [0, 31] per output channel.

// The activations of the integer pipeline: int8, or int16 where the ops take them (w8a16).
def Mote_IntegerActivation : RankedTensorOf<[I8, I16]>;

def Mote_QuantizeActivationOp : Mote_Op<"quantize_activation"> {
  let summary = "A float tensor as int8 or int16 with one scale: q = clamp(round_half_even(x / scale), -qmax, qmax).";
  let description = [{
    The division is f32's, NaN quantizes to 0; qmax is 127 (int8) or 32767 (int16). Where a model's float
    inputs enter the integer pipeline.

    `%q = mote.quantize_activation %x {scale = 0.05 : f32} : (tensor<1x16x16x64xf32>) -> tensor<1x16x16x64xi8>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, F32Attr:$scale);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_DequantizeActivationOp : Mote_Op<"dequantize_activation"> {
  let summary = "An int8 or int16 tensor with one scale as f32: y = f32(q) * scale, rounded once.";
  let description = [{
    Where the integer pipeline hands a value to a float op or returns it.

    `%y = mote.dequantize_activation %q {scale = 0.05 : f32} : (tensor<1x24xi8>) -> tensor<1x24xf32>`
  }];
  let arguments = (ins Mote_IntegerActivation:$input, F32Attr:$scale);
  let results = (outs Mote_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerConvOp : Mote_Op<"integer_conv"> {
  let summary = "An int8 or int16 NHWC convolution over int8 weights, its sums requantized per output channel.";
  let description = [{
    `acc[n, oh, ow, c] = bias[c] + sum over kh, kw, ci of input[n, oh * s + kh * d - pad, ..., g * Cin + ci] *
    weight[c, ci, kh, kw]` (g = c's group, c / (Cout / group); Cin = the weight's input channels; padding
    reads 0; int8 input: int32, wrapping; int16 input: exact, requantized as `mote_requantize64`, the
    reduction below 2^16), then the requantization above with
    `requant[0, c]` (mult) and `requant[1, c]` (shift), clamped to [clamp_min, clamp_max] (a fused ReLU
    raises clamp_min to 0). `pads` are [top, left, bottom, right].

    `%y = mote.integer_conv %x, %w, %b, %r {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x16x16x64xi8>, tensor<24x64x3x3xi8>, tensor<24xi32>, tensor<2x24xi32>) -> tensor<1x16x16x24xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$input, RankedTensorOf<[I8]>:$weight, RankedTensorOf<[I32]>:$bias,
                   RankedTensorOf<[I32]>:$requant, DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
                   DenseI64ArrayAttr:$dilations, DefaultValuedAttr<I64Attr, "1">:$group, SI32Attr:$clamp_min,
                   SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$input `,` $weight `,` $bias `,` $requant attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerMatMulOp : Mote_Op<"integer_matmul"> {
  let summary = "An int8 or int16 activation times an int8 weight [K, N], the sums requantized per column.";
  let description = [{
    `acc[..., m, n] = bias[n] + sum over k of lhs[..., m, k] * weight[k, n]` (int32, wrapping; int16: exact, as
    mote.integer_conv), then the
    requantization above with `requant[0, n]` and `requant[1, n]`, clamped to [clamp_min, clamp_max].

    `%y = mote.integer_matmul %x, %w, %b, %r {clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x16x64xi8>, tensor<64x32xi8>, tensor<32xi32>, tensor<2x32xi32>) -> tensor<1x16x32xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$lhs, RankedTensorOf<[I8]>:$weight, RankedTensorOf<[I32]>:$bias,
                   RankedTensorOf<[I32]>:$requant, SI32Attr:$clamp_min, SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$lhs `,` $weight `,` $bias `,` $requant attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerAddOp : Mote_Op<"integer_add"> {
  let summary = "The sum of two integer tensors of one shape with their own scales, rescaled to the result's.";
  let description = [{
    `t = lhs * lhs_multiplier + rhs * rhs_multiplier` (exact: int32 for int8, int64 for int16; multipliers in
    [0, 32767]), then
    `y = clamp(floor((t + 2^(shift-1)) / 2^shift), clamp_min, clamp_max)` (no rounding term when shift is 0).

    `%y = mote.integer_add %a, %b {lhs_multiplier = 20000 : i32, rhs_multiplier = 31000 : i32, shift = 15 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x8x8x16xi8>, tensor<1x8x8x16xi8>) -> tensor<1x8x8x16xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$lhs, Mote_IntegerActivation:$rhs, I32Attr:$lhs_multiplier,
                   I32Attr:$rhs_multiplier, I32Attr:$shift, SI32Attr:$clamp_min, SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerMulOp : Mote_Op<"integer_mul"> {
  let summary = "The product of two integer tensors of one shape, requantized to the result's scale.";
  let description = [{
    `y = requantize(lhs * rhs, multiplier, shift)` (the int32 product; the requantization above, clamped to
    [clamp_min, clamp_max]); the real multiplier `multiplier * 2^-(16 + shift)` is `s_lhs * s_rhs / s_y`.
    A broadcast operand is made explicit first (mote.expand, or a constant of the full shape).

    `%y = mote.integer_mul %a, %b {multiplier = 40000 : i32, shift = 4 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x16x64xi8>, tensor<1x16x64xi8>) -> tensor<1x16x64xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$lhs, Mote_IntegerActivation:$rhs, I32Attr:$multiplier, I32Attr:$shift,
                   SI32Attr:$clamp_min, SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerTableOp : Mote_Op<"integer_table"> {
  let summary = "An elementwise function as a table: int8 y = table[x + 128], int16 interpolated in 513 entries.";
  let description = [{
    Any unary function between two scales (an activation: ReLU, sigmoid, SiLU, GELU, tanh, ...) computed once
    at compile time, so every target gives the same bits: for int8, `tensor<256xi8>`, one entry per input; for
    int16, `tensor<513xi16>`, the function at -32768 + 128 k, read as `mote_table_i16` of
    runtime/integer/IntegerMath.h (`i = (x + 32768) / 128`, `f = (x + 32768) % 128`,
    `y = t[i] + floor(((t[i + 1] - t[i]) * f + 64) / 128)`: linear between the entries, exact at them).

    `%y = mote.integer_table %x {table = dense<...> : tensor<256xi8>} : (tensor<1x16x64xi8>) -> tensor<1x16x64xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$input, ElementsAttr:$table);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$input attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerSinusoidOp : Mote_Op<"integer_sinusoid"> {
  let summary = "sin(x * frequency + phase) of a model input in fixed point (a diffusion time embedding).";
  let description = [{
    The sines and cosines of a diffusion model's timestep times its frequencies, whose angles reach ~1000
    radians (more than int8 keeps): the input stays as the model gives it, an f32 read as its bits or an
    int64 (Hugging Face optimum exports the timestep as int64, cast to float in the graph), and the rest is
    integer arithmetic, exactly `mote_sinusoid` / `mote_sinusoid_of_integer` of runtime/integer/IntegerMath.h.
    Frequency n is `frequencies[0, n] * 2^-frequencies[1, n]` turns (radians / 2 pi;
    `|frequencies[0, n]| < 2^39`, `frequencies[1, n]` in [0, 255], at most 64 for an int64 input); the angle in
    Q0.32 turns is `x` times it modulo one turn (f32: `x = m * 2^e` from the bits, NaN and infinities give 0;
    int64: the product modulo 2^64, exact), plus `phase` (2^30: a cosine); its sine in Q30 (a degree-11 polynomial on the quarter turn,
    error below 2^-23) is requantized by `multiplier` / `shift` (as above) and clamped. Result element
    `b * N + n` (row-major) is input element `b` with frequency `n`; `frequencies` is a constant.

    `%e = mote.integer_sinusoid %t, %f {phase = 1073741824 : i64, multiplier = 65024 : i32, shift = 22 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1xf32>, tensor<2x16xi64>) -> tensor<1x16xi8>`
  }];
  let arguments = (ins RankedTensorOf<[F32, I64]>:$input, RankedTensorOf<[I64]>:$frequencies, I64Attr:$phase,
                   I32Attr:$multiplier, I32Attr:$shift, SI32Attr:$clamp_min, SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$input `,` $frequencies attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
}

def Mote_IntegerNormOp : Mote_Op<"integer_norm"> {
  let summary = "Layer / group (center) or RMS normalization of int8 or int16 rows in fixed point.";
  let description = [{
    A row is the values over `axes` (default: the last axis) for one index of the other axes: one run of
    axes, or two runs with kept axes between them (group norm's `[N, HW, G, C/G]` over axes 1 and 3), with
    `count` values x_k in row-major order of those axes. With `params` [2, count] int32 (gain, bias), exactly
    `mote_norm_row` of runtime/integer/IntegerMath.h, for int8 and int16 alike:
    `d_k = center ? count * x_k - sum(x) : x_k`, `v = sum((d_k >> square_shift)^2) + epsilon`,
    `r * 2^-(16 + e)` ~ `1 / sqrt(v)` (`mote_rsqrt_fixed`, 16 bits),
    `n_k = floor(d_k * r / 2^(e + square_shift - 12))` (a left shift when the exponent is negative),
    `u_k = floor(n_k * gain_k / 2^(frac_bits + 20))`, `y_k = clamp(floor((u_k + bias_k + 128) / 256), clamp_min,
    clamp_max)`. A layer norm of scale `s_x` to `s_y` has `gain_k = round(sqrt(count) * gamma_k / s_y *
    2^frac_bits)`, `bias_k = round(beta_k / s_y * 256)` (both below 2^30) and
    `epsilon = round(eps * count^3 / s_x^2 / 2^(2 square_shift))` (`count` for RMS). Rows of fewer than 2^24
    values, with `square_shift` such that the squares' sum stays below 2^62 (the verifier checks it): every
    intermediate stays within int64.

    `%y = mote.integer_norm %x, %p {center = true, epsilon = 42 : i64, frac_bits = 16 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x16x32xi8>, tensor<2x32xi32>) -> tensor<1x16x32xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$input, RankedTensorOf<[I32]>:$params, BoolAttr:$center,
                   I64Attr:$epsilon, I32Attr:$frac_bits, SI32Attr:$clamp_min, SI32Attr:$clamp_max,
                   OptionalAttr<DenseI64ArrayAttr>:$axes, DefaultValuedAttr<I32Attr, "0">:$square_shift);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = "$input `,` $params attr-dict `:` functional-type(operands, results)";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The input as [outer, run1, kept, run2]: rows are (outer, kept), a row's values (run1, run2); nullopt
    /// when `axes` is not one or two runs (or the shape is not static).
    std::optional<std::array<int64_t, 4>> rowView();
    /// The longest row the arithmetic takes.
    static constexpr int64_t kMaxRow = (int64_t(1) << 24) - 1;
  }];
}

def Mote_IntegerAttentionOp : Mote_Op<"integer_attention"> {
  let summary = "Scaled dot-product attention of int8 or int16 heads with a fixed-point softmax.";
  let description = [{
    q `[B, H, Sq, D]`, k `[B, Hkv, Sk, D]`, v `[B, Hkv, Sk, Dv]` (H a multiple of Hkv, as mote.attention),
    `table` (int32, the exp of minus each distance in logit steps, times 2^16: table[0] = 2^16,
    non-increasing, at least 0) and an optional additive mask `[Sq, Sk]` or, one per batch, `[B, Sq, Sk]` (int32,
    in logit steps, within +-2^24). Each query
    row is `mote_attention_row_i8` of runtime/integer/IntegerMath.h: logits are the int32 dot products
    requantized by `logit_mult` / `logit_shift` (to logit steps) plus the mask; the weights are the table at
    each logit's distance to the row's maximum; the output is the sum of weights times values normalized to
    Q15 (one division per row, one rounding per output) and requantized by `out_mult` / `out_shift`. Sk is at
    most 32768; `table` and `mask` are constants (their values bound the arithmetic). int16 heads (w8a16) sum
    their dot products exactly in int64 (D below 2^16) and requantize them with `mote_requantize64`.

    `%o = mote.integer_attention %q, %k, %v, %table mask %mask {logit_mult = 40000 : i32, logit_shift = 3 : i32, out_mult = 33000 : i32, out_shift = 15 : i32, clamp_min = -127 : si32, clamp_max = 127 : si32} : (tensor<1x2x16x16xi8>, tensor<1x2x16x16xi8>, tensor<1x2x16x16xi8>, tensor<1510xi32>, tensor<16x16xi32>) -> tensor<1x2x16x16xi8>`
  }];
  let arguments = (ins Mote_IntegerActivation:$query, Mote_IntegerActivation:$key, Mote_IntegerActivation:$value,
                   RankedTensorOf<[I32]>:$table, Optional<RankedTensorOf<[I32]>>:$mask, I32Attr:$logit_mult,
                   I32Attr:$logit_shift, I32Attr:$out_mult, I32Attr:$out_shift, SI32Attr:$clamp_min,
                   SI32Attr:$clamp_max);
  let results = (outs Mote_IntegerActivation:$output);
  let assemblyFormat = [{
    $query `,` $key `,` $value `,` $table (`mask` $mask^)? attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise unary
//===----------------------------------------------------------------------===//

def Mote_SqrtOp : Mote_UnaryOp<"sqrt", Mote_FloatTensor> {
  let summary = "Elementwise square root (ONNX Sqrt).";
  let description = [{ `%y = mote.sqrt %x : tensor<4xf32>` }];
}
def Mote_ExpOp : Mote_UnaryOp<"exp", Mote_FloatTensor> {
  let summary = "Elementwise e^x (ONNX Exp).";
  let description = [{ `%y = mote.exp %x : tensor<4xf32>` }];
}
def Mote_LogOp : Mote_UnaryOp<"log", Mote_FloatTensor> {
  let summary = "Elementwise natural logarithm (ONNX Log).";
  let description = [{ `%y = mote.log %x : tensor<4xf32>` }];
}
def Mote_ErfOp : Mote_UnaryOp<"erf", Mote_FloatTensor> {
  let summary = "Elementwise Gauss error function (ONNX Erf).";
  let description = [{ `%y = mote.erf %x : tensor<4xf32>` }];
}
def Mote_TanhOp : Mote_UnaryOp<"tanh", Mote_FloatTensor> {
  let summary = "Elementwise hyperbolic tangent (ONNX Tanh).";
  let description = [{ `%y = mote.tanh %x : tensor<4xf32>` }];
}
def Mote_SigmoidOp : Mote_UnaryOp<"sigmoid", Mote_FloatTensor> {
  let summary = "Elementwise 1 / (1 + e^-x) (ONNX Sigmoid).";
  let description = [{ `%y = mote.sigmoid %x : tensor<4xf32>` }];
}
def Mote_ReluOp : Mote_UnaryOp<"relu", Mote_FloatTensor> {
  let summary = "Elementwise max(x, 0) (ONNX Relu).";
  let description = [{ `%y = mote.relu %x : tensor<4xf32>` }];
}
def Mote_NegOp : Mote_UnaryOp<"neg", AnyRankedTensor> {
  let summary = "Elementwise -x (ONNX Neg).";
  let description = [{ `%y = mote.neg %x : tensor<4xf32>` }];
  let hasFolder = 1;
}
def Mote_AbsOp : Mote_UnaryOp<"abs", AnyRankedTensor> {
  let summary = "Elementwise |x| (ONNX Abs).";
  let description = [{ `%y = mote.abs %x : tensor<4xf32>` }];
}
def Mote_ReciprocalOp : Mote_UnaryOp<"reciprocal", Mote_FloatTensor> {
  let summary = "Elementwise 1 / x (ONNX Reciprocal).";
  let description = [{ `%y = mote.reciprocal %x : tensor<4xf32>` }];
}
def Mote_SinOp : Mote_UnaryOp<"sin", Mote_FloatTensor> {
  let summary = "Elementwise sine (ONNX Sin); timestep and rotary embeddings compute it in-graph.";
  let description = [{ `%y = mote.sin %x : tensor<4xf32>` }];
  let hasFolder = 1;
}
def Mote_CosOp : Mote_UnaryOp<"cos", Mote_FloatTensor> {
  let summary = "Elementwise cosine (ONNX Cos).";
  let description = [{ `%y = mote.cos %x : tensor<4xf32>` }];
  let hasFolder = 1;
}
def Mote_NotOp : Mote_UnaryOp<"not", Mote_BoolTensor> {
  let summary = "Elementwise logical negation (ONNX Not).";
  let description = [{ `%y = mote.not %x : tensor<4xi1>` }];
  let hasFolder = 1;
}
def Mote_HardSigmoidOp : Mote_UnaryOp<"hard_sigmoid", Mote_FloatTensor> {
  let summary = "Elementwise max(0, min(1, alpha * x + beta)) (ONNX HardSigmoid).";
  let description = [{ `%y = mote.hard_sigmoid %x {alpha = 0.2 : f32, beta = 0.5 : f32} : tensor<4xf32>` }];
  let arguments = (ins Mote_FloatTensor:$input, F32Attr:$alpha, F32Attr:$beta);
}
def Mote_LeakyReluOp : Mote_UnaryOp<"leaky_relu", Mote_FloatTensor> {
  let summary = "Elementwise x >= 0 ? x : alpha * x (ONNX LeakyRelu).";
  let description = [{ `%y = mote.leaky_relu %x {alpha = 0.01 : f32} : tensor<4xf32>` }];
  let arguments = (ins Mote_FloatTensor:$input, F32Attr:$alpha);
}
def Mote_ClipOp : Mote_UnaryOp<"clip", AnyRankedTensor> {
  let summary = "Elementwise min(max(x, min), max) (ONNX Clip).";
  let description = [{
    ONNX gives the bounds as inputs from opset 11; the importer requires them to be compile-time
    constants and stores them as attributes. A missing bound is the type's lowest/highest value.

    `%y = mote.clip %x {min = 0.0 : f64, max = 6.0 : f64} : tensor<4xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input, F64Attr:$min, F64Attr:$max);
  let hasFolder = 1;
}

def Mote_CastOp : Mote_Op<"cast", [Elementwise, InferTypeOpAdaptor]> {
  let summary = "Elementwise conversion to another element type (ONNX Cast).";
  let description = [{
    Float to integer truncates toward zero; integer or float to i1 is `x != 0`.

    `%y = mote.cast %x {to = i64} : (tensor<4xf32>) -> tensor<4xi64>`
  }];
  let arguments = (ins AnyRankedTensor:$input, TypeAttr:$to);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise binary (ONNX multidirectional broadcasting)
//===----------------------------------------------------------------------===//

def Mote_AddOp : Mote_BinaryOp<"add", [Commutative]> {
  let summary = "Elementwise lhs + rhs with broadcasting (ONNX Add).";
  let description = [{ `%z = mote.add %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>` }];
}
def Mote_SubOp : Mote_BinaryOp<"sub"> {
  let summary = "Elementwise lhs - rhs with broadcasting (ONNX Sub).";
  let description = [{ `%z = mote.sub %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>` }];
}
def Mote_MulOp : Mote_BinaryOp<"mul", [Commutative]> {
  let summary = "Elementwise lhs * rhs with broadcasting (ONNX Mul).";
  let description = [{ `%z = mote.mul %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>` }];
}
def Mote_DivOp : Mote_BinaryOp<"div"> {
  let summary = "Elementwise lhs / rhs with broadcasting (ONNX Div; integer division truncates).";
  let description = [{ `%z = mote.div %x, %y : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>` }];
}
def Mote_PowOp : Mote_BinaryOp<"pow"> {
  let summary = "Elementwise lhs ^ rhs with broadcasting (ONNX Pow, same element types).";
  let description = [{ `%z = mote.pow %x, %y : (tensor<2x3xf32>, tensor<f32>) -> tensor<2x3xf32>` }];
}
def Mote_MinOp : Mote_BinaryOp<"min", [Commutative]> {
  let summary = "Elementwise minimum with broadcasting (ONNX Min; n-ary Min becomes a chain).";
  let description = [{ `%z = mote.min %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>` }];
}
def Mote_MaxOp : Mote_BinaryOp<"max", [Commutative]> {
  let summary = "Elementwise maximum with broadcasting (ONNX Max; n-ary Max becomes a chain).";
  let description = [{ `%z = mote.max %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>` }];
}
def Mote_EqualOp : Mote_CompareOp<"equal", [Commutative]> {
  let summary = "Elementwise lhs == rhs with broadcasting (ONNX Equal).";
  let description = [{ `%z = mote.equal %x, %y : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi1>` }];
}
def Mote_LessOp : Mote_CompareOp<"less"> {
  let summary = "Elementwise lhs < rhs with broadcasting (ONNX Less).";
  let description = [{ `%z = mote.less %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>` }];
}
def Mote_GreaterOp : Mote_CompareOp<"greater"> {
  let summary = "Elementwise lhs > rhs with broadcasting (ONNX Greater).";
  let description = [{ `%z = mote.greater %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>` }];
}
def Mote_LessOrEqualOp : Mote_CompareOp<"less_or_equal"> {
  let summary = "Elementwise lhs <= rhs with broadcasting (ONNX LessOrEqual).";
  let description = [{ `%z = mote.less_or_equal %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>` }];
}
def Mote_GreaterOrEqualOp : Mote_CompareOp<"greater_or_equal"> {
  let summary = "Elementwise lhs >= rhs with broadcasting (ONNX GreaterOrEqual).";
  let description = [{ `%z = mote.greater_or_equal %x, %y : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xi1>` }];
}
def Mote_AndOp : Mote_CompareOp<"and", [Commutative]> {
  let summary = "Elementwise logical and with broadcasting (ONNX And).";
  let description = [{ `%z = mote.and %x, %y : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>` }];
}
def Mote_OrOp : Mote_CompareOp<"or", [Commutative]> {
  let summary = "Elementwise logical or with broadcasting (ONNX Or).";
  let description = [{ `%z = mote.or %x, %y : (tensor<4xi1>, tensor<4xi1>) -> tensor<4xi1>` }];
}

def Mote_WhereOp : Mote_Op<"where", [InferTypeOpAdaptor]> {
  let summary = "Elementwise condition ? x : y with three-way broadcasting (ONNX Where).";
  let description = [{
    `%z = mote.where %c, %x, %y : (tensor<1x1x4x4xi1>, tensor<f32>, tensor<2x2x4x4xf32>) -> tensor<2x2x4x4xf32>`
  }];
  let arguments = (ins Mote_BoolTensor:$condition, AnyRankedTensor:$x, AnyRankedTensor:$y);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

def Mote_ReduceMeanOp : Mote_ReduceOp<"reduce_mean"> {
  let summary = "Mean over `axes` (ONNX ReduceMean).";
  let description = [{ `%m = mote.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>` }];
}
def Mote_ReduceSumOp : Mote_ReduceOp<"reduce_sum"> {
  let summary = "Sum over `axes` (ONNX ReduceSum).";
  let description = [{ `%s = mote.reduce_sum %x {axes = array<i64: 1>, keepdims = false} : (tensor<2x8xf32>) -> tensor<2xf32>` }];
}
def Mote_ReduceMaxOp : Mote_ReduceOp<"reduce_max"> {
  let summary = "Maximum over `axes` (ONNX ReduceMax).";
  let description = [{ `%s = mote.reduce_max %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>` }];
}
def Mote_ReduceMinOp : Mote_ReduceOp<"reduce_min"> {
  let summary = "Minimum over `axes` (ONNX ReduceMin).";
  let description = [{ `%s = mote.reduce_min %x {axes = array<i64: 1>} : (tensor<2x8xf32>) -> tensor<2x1xf32>` }];
}

def Mote_ArgMaxOp : Mote_Op<"arg_max", [InferTypeOpAdaptor]> {
  let summary = "Index of the largest element along `axis` (ONNX ArgMax); CLIP's pooled output uses it.";
  let description = [{
    Ties resolve to the first index, or the last with `select_last_index`.

    `%i = mote.arg_max %ids {axis = 1 : i64, keepdims = false} : (tensor<1x77xi64>) -> tensor<1xi64>`
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
                   DefaultValuedAttr<BoolAttr, "true">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$select_last_index);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let hasVerifier = 1;
}

def Mote_SoftmaxOp : Mote_Op<"softmax", [SameOperandsAndResultType]> {
  let summary = "Softmax along `axis` (ONNX Softmax, opset 13 semantics).";
  let description = [{
    Opset < 13 Softmax (flatten to 2-D at `axis`) is imported as reshape + softmax(-1) + reshape.

    `%p = mote.softmax %s {axis = -1 : i64} : tensor<1x8x64x64xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, I64Attr:$axis);
  let results = (outs Mote_FloatTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Linear algebra and convolution
//===----------------------------------------------------------------------===//

def Mote_MatMulOp : Mote_Op<"matmul", [InferTypeOpAdaptor, SameOperandsElementType]> {
  let summary = "Matrix product with numpy batch broadcasting (ONNX MatMul).";
  let description = [{
    1-D operands are promoted as numpy does (and the added dimension removed from the result).

    `%y = mote.matmul %a, %b : (tensor<2x64x320xf32>, tensor<320x1280xf32>) -> tensor<2x64x1280xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$lhs, Mote_FloatTensor:$rhs);
  let results = (outs Mote_FloatTensor:$output);
}

def Mote_GemmOp : Mote_Op<"gemm", [InferTypeOpAdaptor]> {
  let summary = "alpha * op(A) * op(B) + beta * C for 2-D A and B (ONNX Gemm).";
  let description = [{
    `%y = mote.gemm %a, %w, %b {transB = true} : (tensor<1x768xf32>, tensor<320x768xf32>, tensor<320xf32>) -> tensor<1x320xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$a, Mote_FloatTensor:$b, Optional<Mote_FloatTensor>:$c,
                   DefaultValuedAttr<F32Attr, "1.0">:$alpha, DefaultValuedAttr<F32Attr, "1.0">:$beta,
                   DefaultValuedAttr<BoolAttr, "false">:$transA,
                   DefaultValuedAttr<BoolAttr, "false">:$transB);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_ConvOp : Mote_Op<"conv", [InferTypeOpAdaptor]> {
  let summary = "N-d grouped convolution (ONNX Conv), NCHW or, with channels_last, NHWC.";
  let description = [{
    With `channels_last = true` the input and result are [N, spatial..., C] (the layout NHWC targets
    run); the weight stays [M, C/group, k...] whatever the layout (codegen packs it).
    Padding is explicit (`pads` = begins then ends per spatial axis); the importer resolves `auto_pad`.
    The weight is `[M, C/group, k...]`, the optional bias `[M]`.

    ```mlir
    %y = mote.conv %x, %w, %b {strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>,
           dilations = array<i64: 1, 1>, group = 1 : i64}
         : (tensor<1x4x64x64xf32>, tensor<320x4x3x3xf32>, tensor<320xf32>) -> tensor<1x320x64x64xf32>
    ```
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$weight, Optional<Mote_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   I64Attr:$group,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// Whether this is a linear layer over channels: a channels-last 1x1 convolution with unit strides, no
    /// padding and one group, of static shapes (what FC -> Conv2D makes of a fully connected layer); its
    /// pixels are a GEMM's rows.
    bool isChannelsLinear();
  }];
}

def Mote_ConvTransposeOp : Mote_Op<"conv_transpose", [InferTypeOpAdaptor]> {
  let summary = "N-d grouped transposed convolution in NCHW layout (ONNX ConvTranspose).";
  let description = [{
    The weight is `[C, M/group, k...]`. Output size per axis is
    `stride * (in - 1) + output_padding + (k - 1) * dilation + 1 - pad_begin - pad_end`; the importer
    turns `output_shape` and `auto_pad` into explicit `pads`.

    ```mlir
    %y = mote.conv_transpose %x, %w {strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>,
           dilations = array<i64: 1, 1>, output_padding = array<i64: 0, 0>, group = 1 : i64}
         : (tensor<1x8x4x4xf32>, tensor<8x4x2x2xf32>) -> tensor<1x4x8x8xf32>
    ```
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$weight, Optional<Mote_FloatTensor>:$bias,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   DenseI64ArrayAttr:$output_padding, I64Attr:$group,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_MaxPoolOp : Mote_Op<"max_pool", [InferTypeOpAdaptor]> {
  let summary = "N-d max pooling in NCHW layout (ONNX MaxPool, first output only).";
  let description = [{
    `%y = mote.max_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, ceil_mode = false} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
                   BoolAttr:$ceil_mode,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_AveragePoolOp : Mote_Op<"average_pool", [InferTypeOpAdaptor]> {
  let summary = "N-d average pooling in NCHW layout (ONNX AveragePool and GlobalAveragePool).";
  let description = [{
    GlobalAveragePool imports as a kernel covering the whole spatial extent.

    `%y = mote.average_pool %x {kernel_shape = array<i64: 2, 2>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, ceil_mode = false, count_include_pad = false} : (tensor<1x8x8x8xf32>) -> tensor<1x8x4x4xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, DenseI64ArrayAttr:$kernel_shape,
                   DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads, BoolAttr:$ceil_mode,
                   BoolAttr:$count_include_pad,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Normalization
//===----------------------------------------------------------------------===//

def Mote_BatchNormOp : Mote_Op<"batch_norm", [InferTypeOpAdaptor]> {
  let summary = "Inference-mode batch normalization over axis 1 (ONNX BatchNormalization).";
  let description = [{
    `y = scale * (x - mean) / sqrt(var + epsilon) + bias`, with per-channel `[C]` operands.

    `%y = mote.batch_norm %x, %s, %b, %m, %v {epsilon = 1.0e-05 : f32} : (tensor<1x8x4x4xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>, tensor<8xf32>) -> tensor<1x8x4x4xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$scale, Mote_FloatTensor:$bias,
                   Mote_FloatTensor:$mean, Mote_FloatTensor:$variance, F32Attr:$epsilon,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_InstanceNormOp : Mote_Op<"instance_norm", [InferTypeOpAdaptor]> {
  let summary = "Per-instance, per-channel normalization over spatial axes (ONNX InstanceNormalization).";
  let description = [{
    `torch.onnx.export` (opset <= 17) writes GroupNorm as Reshape -> InstanceNormalization -> Reshape ->
    Mul -> Add; composite recognition raises that back to `mote.group_norm`.

    `%y = mote.instance_norm %x, %s, %b {epsilon = 1.0e-05 : f32} : (tensor<1x32x40960xf32>, tensor<32xf32>, tensor<32xf32>) -> tensor<1x32x40960xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$scale, Mote_FloatTensor:$bias,
                   F32Attr:$epsilon,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_GroupNormOp : Mote_Op<"group_norm", [InferTypeOpAdaptor]> {
  let summary = "Group normalization with per-channel scale and bias (composite; ONNX GroupNormalization).";
  let description = [{
    Channels (axis 1) split into `num_groups` groups; each group of each instance is normalized over its
    channels and spatial positions, then `y = x_hat * scale[c] + bias[c]`.
    Decomposition: reshape to `[N, G, C/G * spatial]`, mean and variance over the last axis,
    `(x - mean) / sqrt(var + epsilon)`, reshape back, multiply by `scale` and add `bias` broadcast over
    `[C, 1, ...]`. GroupNormalization-18's per-group scale and bias are widened to per-channel at import.

    `%y = mote.group_norm %x, %s, %b {num_groups = 32 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x320x64x64xf32>, tensor<320xf32>, tensor<320xf32>) -> tensor<1x320x64x64xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$scale, Mote_FloatTensor:$bias,
                   I64Attr:$num_groups, F32Attr:$epsilon,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_GroupNormStatsOp : Mote_Op<"group_norm_stats", [InferTypeOpAdaptor]> {
  let summary = "The statistics of a group norm: per instance and group, the mean and 1 / sqrt(var + eps).";
  let description = [{
    The first half of a `mote.group_norm` split in two (mote-split-group-norm) so that a target can compute
    the statistics where the input is produced (a convolution's epilogue) and normalize where it is read
    (the next convolution's prologue). `result[n, g] = (mean, 1 / sqrt(var + epsilon))` over the channels
    of group `g` (channels `g * C / G ...`) and every spatial position of instance `n`, the variance the
    biased one, as `mote.group_norm` computes them. The result is f32 whatever the activations' storage.

    `%s = mote.group_norm_stats %x {num_groups = 32 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x320x64x64xf32>) -> tensor<1x32x2xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, I64Attr:$num_groups, F32Attr:$epsilon,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$stats);
  let hasVerifier = 1;
}

def Mote_GroupNormApplyOp : Mote_Op<"group_norm_apply", [InferTypeOpAdaptor]> {
  let summary = "A group norm from its statistics: (x - mean[n, g]) * rstd[n, g] * scale[c] + bias[c].";
  let description = [{
    The second half of a split `mote.group_norm`: `stats` is the `[N, G, 2]` result of
    `mote.group_norm_stats` of the same input (or of a reshape of it keeping instances and channels), channel
    `c` belongs to group `c / (C / G)`.

    `%y = mote.group_norm_apply %x, %st, %s, %b {num_groups = 32 : i64} : (tensor<1x320x64x64xf32>, tensor<1x32x2xf32>, tensor<320xf32>, tensor<320xf32>) -> tensor<1x320x64x64xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$stats, Mote_FloatTensor:$scale,
                   Mote_FloatTensor:$bias, I64Attr:$num_groups,
                   DefaultValuedAttr<BoolAttr, "false">:$channels_last);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_LayerNormOp : Mote_Op<"layer_norm", [InferTypeOpAdaptor]> {
  let summary = "Layer normalization over the axes from `axis` on (composite; ONNX LayerNormalization).";
  let description = [{
    `y = (x - mean) / sqrt(var + epsilon) * scale + bias`, statistics over axes `[axis, rank)`.
    Decomposition: reduce_mean, sub, mul, reduce_mean, add epsilon, sqrt, div, mul scale, add bias.

    `%y = mote.layer_norm %x, %s, %b {axis = -1 : i64, epsilon = 1.0e-05 : f32} : (tensor<1x77x768xf32>, tensor<768xf32>, tensor<768xf32>) -> tensor<1x77x768xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$scale, Optional<Mote_FloatTensor>:$bias,
                   I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_RmsNormOp : Mote_Op<"rms_norm", [InferTypeOpAdaptor]> {
  let summary = "Root-mean-square normalization over the axes from `axis` on (composite).";
  let description = [{
    `y = x / sqrt(mean(x^2) + epsilon) * scale`, as in Llama. Decomposition: mul, reduce_mean, add,
    sqrt, div, mul.

    `%y = mote.rms_norm %x, %s {axis = -1 : i64, epsilon = 1.0e-06 : f32} : (tensor<1x128x2048xf32>, tensor<2048xf32>) -> tensor<1x128x2048xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, Mote_FloatTensor:$scale, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Composite activations and attention
//===----------------------------------------------------------------------===//

def Mote_GeluOp : Mote_UnaryOp<"gelu", Mote_FloatTensor> {
  let summary = "Gaussian error linear unit (composite; ONNX Gelu-20).";
  let description = [{
    `approximate = "none"`: `0.5 * x * (1 + erf(x / sqrt(2)))`; `"tanh"`:
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`; `"sigmoid"` (QuickGELU, as in CLIP):
    `x * sigmoid(1.702 * x)`. Decomposition: exactly those formulas.

    `%y = mote.gelu %x {approximate = "tanh"} : tensor<1x16x128xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input,
                   DefaultValuedAttr<StrAttr, "\"none\"">:$approximate);
  let hasVerifier = 1;
}

def Mote_SiluOp : Mote_UnaryOp<"silu", Mote_FloatTensor> {
  let summary = "x * sigmoid(x) (composite; also called swish).";
  let description = [{
    Decomposition: sigmoid, mul.

    `%y = mote.silu %x : tensor<1x320x64x64xf32>`
  }];
}

def Mote_AttentionOp : Mote_Op<"attention", [InferTypeOpAdaptor]> {
  let summary = "Scaled dot-product attention over heads (composite).";
  let description = [{
    `softmax(q @ k^T * scale + mask) @ v` with q `[B, H, Sq, D]`, k `[B, Hkv, Sk, D]`,
    v `[B, Hkv, Sk, Dv]` and result `[B, H, Sq, Dv]`. `H` must be a multiple of `Hkv` (grouped-query
    attention: query head `h` reads key/value head `h / (H / Hkv)`). The optional additive mask broadcasts
    to `[B, H, Sq, Sk]`. Decomposition: matmul, mul by scale, add mask, softmax(-1), matmul.

    `%o = mote.attention %q, %k, %v {scale = 0.125 : f32} : (tensor<1x8x64x64xf32>, tensor<1x8x77x64xf32>, tensor<1x8x77x64xf32>) -> tensor<1x8x64x64xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$query, Mote_FloatTensor:$key, Mote_FloatTensor:$value,
                   Optional<Mote_FloatTensor>:$mask, F32Attr:$scale);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// KV cache (LLM generation; passes/KvCache.cpp)
//===----------------------------------------------------------------------===//

def Mote_KvWriteOp : Mote_Op<"kv_write", [AllTypesMatch<["cache", "output"]>]> {
  let summary = "A static KV cache with this call's keys or values written at `position`.";
  let description = [{
    `cache` `[B, H, L, D]` is one layer's key (or value) cache of `L` positions, `update` `[B, H, S, D]` the
    keys (values) of this call's `S` tokens and `position` (`tensor<1xi64>`) the cache row of the first of
    them. The result is `cache` with rows `position .. position + S - 1` replaced by `update`; the other rows
    are kept. `position < 0` or `position + S > L` is a run-time error. The result has the cache's type: a
    target computes it into the cache's own buffer when the runtime passes one buffer as both (only `S` rows
    move).

    `%k = mote.kv_write %cache, %new, %pos : (tensor<1x2x256x16xf32>, tensor<1x2x1x16xf32>, tensor<1xi64>) -> tensor<1x2x256x16xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$cache, Mote_FloatTensor:$update, Mote_IndexTensor:$position);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_CacheAttentionOp : Mote_Op<"cache_attention", [InferTypeOpAdaptor]> {
  let summary = "Causal attention of this call's queries over a static KV cache's filled rows.";
  let description = [{
    `query` `[B, H, S, D]` holds the queries of the tokens at cache rows `position .. position + S - 1`;
    `key` `[B, Hkv, L, D]` and `value` `[B, Hkv, L, Dv]` are the caches after this call's `mote.kv_write`.
    Query row `s` attends cache rows `j <= position + s`: `softmax(q k_j^T * scale) v` over those rows only,
    so the cost grows with the filled context, never with `L`. Grouped-query attention as `mote.attention`
    (query head `h` reads key/value head `h / (H / Hkv)`). `position < 0` or `position + S > L` is a run-time
    error. Decomposition: none (a static-shape mask cannot express it); the reference target and every
    target's kernel compute it directly.

    `%o = mote.cache_attention %q, %k, %v, %pos {scale = 0.25 : f32} : (tensor<1x2x1x16xf32>, tensor<1x2x256x16xf32>, tensor<1x2x256x16xf32>, tensor<1xi64>) -> tensor<1x2x1x16xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$query, Mote_FloatTensor:$key, Mote_FloatTensor:$value,
                   Mote_IndexTensor:$position, F32Attr:$scale);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement and shape
//===----------------------------------------------------------------------===//

def Mote_ReshapeOp : Mote_Op<"reshape"> {
  let summary = "Same elements, another shape (ONNX Reshape, Flatten, Squeeze, Unsqueeze).";
  let description = [{
    The new shape is the result type; the importer resolves ONNX's `0` and `-1` entries.

    `%y = mote.reshape %x : (tensor<1x320x64x64xf32>) -> tensor<1x32x40960xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mote_ExpandOp : Mote_Op<"expand"> {
  let summary = "Explicit broadcast to the result shape (ONNX Expand).";
  let description = [{
    The result shape is the broadcast of the input shape with ONNX Expand's `shape` input.

    `%y = mote.expand %x : (tensor<1x2x1x16x8xf32>) -> tensor<1x2x2x16x8xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mote_TransposeOp : Mote_Op<"transpose", [InferTypeOpAdaptor]> {
  let summary = "Permute dimensions: result dim i is input dim perm[i] (ONNX Transpose).";
  let description = [{ `%y = mote.transpose %x {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x64x8x40xf32>) -> tensor<1x8x64x40xf32>` }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mote_ConcatOp : Mote_Op<"concat", [InferTypeOpAdaptor, SameOperandsElementType]> {
  let summary = "Join tensors along `axis` (ONNX Concat).";
  let description = [{ `%y = mote.concat %a, %b {axis = 1 : i64} : (tensor<1x320x8x8xf32>, tensor<1x640x8x8xf32>) -> tensor<1x960x8x8xf32>` }];
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
    let hasFolder = 1;
}

def Mote_SplitOp : Mote_Op<"split", [InferTypeOpAdaptor]> {
  let summary = "Cut a tensor into pieces of the given sizes along `axis` (ONNX Split).";
  let description = [{ `%a, %b = mote.split %x {axis = -1 : i64, sizes = array<i64: 640, 640>} : (tensor<1x64x1280xf32>) -> (tensor<1x64x640xf32>, tensor<1x64x640xf32>)` }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis, DenseI64ArrayAttr:$sizes);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mote_SliceOp : Mote_Op<"slice", [InferTypeOpAdaptor]> {
  let summary = "Strided slice: per dimension, elements start, start + step, ... before limit (ONNX Slice).";
  let description = [{
    One entry per input dimension, already clamped by the importer (`starts` in `[0, dim]` for positive
    steps, `[-1, dim - 1]`... resolved so that the size is `max(0, ceil((limit - start) / step))`).

    `%y = mote.slice %x {starts = array<i64: 0, 0>, limits = array<i64: 1, 8>, steps = array<i64: 1, 1>} : (tensor<4x8xf32>) -> tensor<1x8xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts, DenseI64ArrayAttr:$limits,
                   DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// Whether the slice keeps every dimension whole but the last, where it takes a window with step 1:
    /// rows of the input that a kernel can read in place with a row stride instead of copying them.
    bool isLastAxisWindow();
  }];
}

def Mote_GatherOp : Mote_Op<"gather", [InferTypeOpAdaptor]> {
  let summary = "Pick slices along `axis` by index (ONNX Gather); embedding look-ups use it.";
  let description = [{
    Result shape: `data.shape[:axis] + indices.shape + data.shape[axis+1:]`; negative indices count from
    the end.

    `%e = mote.gather %table, %ids {axis = 0 : i64} : (tensor<49408x768xf32>, tensor<1x77xi64>) -> tensor<1x77x768xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$data, Mote_IndexTensor:$indices, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
    let hasFolder = 1;
}

def Mote_ShapeOp : Mote_Op<"shape", [InferTypeOpAdaptor]> {
  let summary = "The input's dimensions [start, end) as a 1-D i64 tensor (ONNX Shape).";
  let description = [{
    Folds to a constant once the input's shape is static, which is how exporters' shape sub-graphs
    (Shape -> Gather -> Concat -> Reshape) disappear.

    `%s = mote.shape %x {start = 0 : i64, end = 4 : i64} : (tensor<1x4x64x64xf32>) -> tensor<4xi64>`
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$start, I64Attr:$end);
  let results = (outs RankedTensorOf<[I64]>:$output);
  let hasFolder = 1;
}

def Mote_TriluOp : Mote_Op<"trilu", [SameOperandsAndResultType]> {
  let summary = "Keep the upper or lower triangle of the last two dimensions, zero the rest (ONNX Trilu).";
  let description = [{
    Lower keeps `j <= i + k`; upper keeps `j >= i + k`.

    `%m = mote.trilu %x {upper = false, k = 0 : i64} : tensor<16x16xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input, BoolAttr:$upper, I64Attr:$k);
  let results = (outs AnyRankedTensor:$output);
  let assemblyFormat = "$input attr-dict `:` type($output)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Mote_ResizeOp : Mote_Op<"resize"> {
  let summary = "Nearest or linear resampling of the spatial axes (ONNX Resize, Upsample).";
  let description = [{
    The output shape is the result type; `scales` (one per dimension) feed the coordinate
    transformation as ONNX defines it. `mode` is `nearest` or `linear`;
    `coordinate_transformation_mode` is one of half_pixel, pytorch_half_pixel, align_corners, asymmetric,
    tf_half_pixel_for_nn; `nearest_mode` is round_prefer_floor, round_prefer_ceil, floor or ceil.

    `%y = mote.resize %x {mode = "nearest", coordinate_transformation_mode = "asymmetric", nearest_mode = "floor", scales = array<f32: 1.0, 1.0, 2.0, 2.0>} : (tensor<1x8x4x4xf32>) -> tensor<1x8x8x8xf32>`
  }];
  let arguments = (ins Mote_FloatTensor:$input, StrAttr:$mode, StrAttr:$coordinate_transformation_mode,
                   StrAttr:$nearest_mode, DenseF32ArrayAttr:$scales);
  let results = (outs Mote_FloatTensor:$output);
  let hasVerifier = 1;
}

def Mote_PadOp : Mote_Op<"pad", [InferTypeOpAdaptor]> {
  let summary = "Pad each dimension by `pads` (begins then ends; negative crops) (ONNX Pad).";
  let description = [{
    `mode` is constant, reflect or edge; `value` fills in constant mode.

    `%y = mote.pad %x {pads = array<i64: 0, 0, 1, 1, 0, 0, 1, 1>, mode = "constant", value = 0.0 : f64} : (tensor<1x8x4x4xf32>) -> tensor<1x8x6x6xf32>`
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$pads, StrAttr:$mode, F64Attr:$value);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Fusion (the `fused` phase)
//===----------------------------------------------------------------------===//

def Mote_FusedOp : Mote_Op<"fused", [IsolatedFromAbove, SingleBlock]> {
  let summary = "Ops that one kernel computes: a fused region of the `fused` phase.";
  let description = [{
    The body holds the ops the region replaces, on block arguments that stand for `inputs` (one each,
    same types); `mote.yield` gives the region's results. `kind` names what the target's kernel does
    with it (`elementwise`: every op is elementwise and every value the output's shape or a broadcast
    of it, or a slice taking a window of the last axis of an input, read in place; `norm_elementwise`: a group, layer or RMS norm whose result only the elementwise ops after
    it read, which the norm's kernel applies to each row as it writes it; `attention`: a mote.attention with
    the head transposes of its query, key, value or output, which the kernel reads and writes with
    strides instead; `linear_epilogue`: a matmul by a weight or a convolution, then a bias add, a
    residual add and a ReLU, clip, SiLU or GELU, which the kernel applies as it stores each output tile,
    optionally led by the layer or RMS norm producing the matmul's left operand, applied as the GEMM packs it; `rotary`:
    x * cos + concat(-x[..., D/2:], x[..., :D/2]) * sin, with the head transpose producing x, which the
    kernel reads with strides). Values
    inside the region are never stored: the memory planner sees only inputs and results, and the
    reference target runs the body op by op (which is how each fusion is checked).

    ```mlir
    %y = mote.fused "elementwise" (%x, %b) : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32> {
    ^bb0(%a: tensor<1x8x8x16xf32>, %c: tensor<16xf32>):
      %s = "mote.add"(%a, %c) : (tensor<1x8x8x16xf32>, tensor<16xf32>) -> tensor<1x8x8x16xf32>
      %t = mote.silu %s : tensor<1x8x8x16xf32>
      mote.yield %t : tensor<1x8x8x16xf32>
    }
    ```
  }];
  let arguments = (ins StrAttr:$kind, Variadic<AnyRankedTensor>:$inputs);
  let results = (outs Variadic<AnyRankedTensor>:$outputs);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = "$kind `(` $inputs `)` attr-dict `:` functional-type($inputs, $outputs) $body";
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    mlir::Block &getBlock() { return getBody().front(); }
    /// The number of ops the region computes (its body without the terminator).
    unsigned getNumFusedOps() { return getBlock().getOperations().size() - 1; }
  }];
}

def Mote_YieldOp : Mote_Op<"yield", [Terminator, HasParent<"FusedOp">]> {
  let summary = "The results of a fused region.";
  let arguments = (ins Variadic<AnyRankedTensor>:$values);
  let assemblyFormat = "attr-dict ($values^ `:` type($values))?";
}

#endif // MOTE_IR_MOTEOPS_TD
