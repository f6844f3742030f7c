// Declarations of Mote's graph passes, grouped under banners in pipeline order.
#ifndef MOTE_PASSES_PASSES_TD
#define MOTE_PASSES_PASSES_TD

include "mlir/Pass/PassBase.td"

//===----------------------------------------------------------------------===//
// canonical phase
//===----------------------------------------------------------------------===//

def MoteRecognizeGroupNorm : Pass<"mote-recognize-group-norm", "mlir::func::FuncOp"> {
  let summary = "Raise exported group normalization back to mote.group_norm";
  let description = [{
    `torch.onnx.export` (opset <= 17) writes GroupNorm as Reshape -> InstanceNormalization (unit
    scale, zero bias) -> Reshape -> Mul -> Add; this pass turns that chain back into one
    `mote.group_norm` with per-channel scale and bias, so that later phases see the operator and not
    its rank-3 reshapes.
  }];
}

def MoteRecognizeLayerNorm : Pass<"mote-recognize-layer-norm", "mlir::func::FuncOp"> {
  let summary = "Raise decomposed layer normalization to mote.layer_norm";
  let description = [{
    Exports before opset 17 spell LayerNorm as ReduceMean, Sub, Pow (or Mul), ReduceMean, Add,
    Sqrt, Div, then Mul and Add by the affine parameters.
  }];
}

def MoteRecognizeRmsNorm : Pass<"mote-recognize-rms-norm", "mlir::func::FuncOp"> {
  let summary = "Raise decomposed RMS normalization to mote.rms_norm";
  let description = [{
    Llama's RMSNorm exports as Pow (or Mul) -> ReduceMean -> Add -> Sqrt -> Div (or Reciprocal) ->
    Mul by the input -> Mul by the weight.
  }];
}

def MoteRecognizeGelu : Pass<"mote-recognize-gelu", "mlir::func::FuncOp"> {
  let summary = "Raise GELU (erf and tanh forms) and QuickGELU to mote.gelu";
  let description = [{
    `0.5 * x * (1 + erf(x / sqrt(2)))` becomes `gelu {approximate = "none"}`,
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))` becomes `approximate = "tanh"`,
    and CLIP's QuickGELU `x * sigmoid(1.702 * x)` becomes `approximate = "sigmoid"`.
  }];
}

def MoteRecognizeSilu : Pass<"mote-recognize-silu", "mlir::func::FuncOp"> {
  let summary = "Raise x * sigmoid(x) to mote.silu";
}

def MoteRecognizeAttention : Pass<"mote-recognize-attention", "mlir::func::FuncOp"> {
  let summary = "Raise MatMul -> scale -> [mask] -> Softmax -> MatMul to mote.attention";
  let description = [{
    The scaled dot-product attention exporters write with explicit head reshapes and transposes:
    `softmax(q @ k^T * scale + mask) @ v`. Rank-4 `[B, H, S, D]` operands map directly; rank-3
    `[B*H, S, D]` ones (heads folded into the batch) are viewed as one batch of B*H heads. A
    `where(cond, scores, fill)` mask becomes the additive mask `where(cond, 0, fill)` when the fill
    swamps any score. Keys and values whose heads were repeated for grouped-query attention
    (reshape -> expand -> reshape, Llama's repeat_kv; or torch.repeat_interleave: each head split off,
    repeated that way and the pieces concatenated in order) are used unrepeated: mote.attention maps
    query heads to them.
  }];
}

def MoteKvCache : Pass<"mote-kv-cache", "mlir::ModuleOp"> {
  let summary = "Turn a decoder with past keys and values into one over a static, in-place KV cache";
  let description = [{
    For `motec compile --llm` (the end of the canonical phase). A decoder-with-past export (Hugging Face
    optimum's convention) imported at `S` new tokens and `L - S` past rows computes each layer's
    `present = concat(past, new)` `[B, Hkv, L, D]` and attends it under a mask built from `attention_mask`.
    This pass makes each past input a cache of `L` rows, adds the input `cache_position` (`tensor<1xi64>`,
    the cache row of the first new token), turns each concatenation into `mote.kv_write` (the new rows
    written at `cache_position`; the present output is the cache itself, so a runtime that passes one
    buffer as both writes `S` rows and copies nothing) and each attention over the caches into
    `mote.cache_attention` (query `s` attends rows `0 .. cache_position + s`, costing what the filled
    context costs, not `L`).

    Dropping the model's mask is checked, not assumed: the pass evaluates the mask's sub-graph (folding it)
    with the `attention_mask` a left-padded past of `p` real rows gives, for every `p` from 0 to `L - S`
    (65 evenly spaced ones, both ends included, when `(L - S + 1) * S * L` exceeds 2^24), and requires it
    to be 0 exactly where the cached rule attends and at most -1e4 elsewhere. A mask that depends on
    another input, cannot be evaluated, has over 2^23 elements or attends otherwise is an error at the
    attention; so is a cache read by anything but attention, a present output missing, a model without a
    `position_ids` input it reads (its positions would be folded to the static `L - S`), or an
    `attention_mask` read by anything but the masks (it is removed).
  }];
  let dependentDialects = ["mote::MoteDialect"];
}

//===----------------------------------------------------------------------===//
// legal phase (driven by the module's #mote.target)
//===----------------------------------------------------------------------===//

def MoteDecomposeComposites : Pass<"mote-decompose-composites", "mlir::ModuleOp"> {
  let summary = "Decompose the composite ops the target has no kernel for (except group_norm)";
  let description = [{
    layer_norm, rms_norm, gelu, silu and attention not listed in the target's `native` become the
    primitive ops their ODS descriptions give as their decomposition. group_norm is decomposed by
    mote-broadcast-free-group-norm, which also respects the target's rank and broadcast limits.
  }];
}

def MoteBroadcastFreeGroupNorm : Pass<"mote-broadcast-free-group-norm", "mlir::ModuleOp"> {
  let summary = "Decompose group_norm into ops of rank <= max_rank with no explicit broadcast";
  let description = [{
    Where the target has no native `group_norm`, rewrite it as ops of rank at most the target's
    `max_rank`, using no `mote.expand` (ONNX Expand/BroadcastTo), only the implicit broadcasting the
    target allows — the form the TFLite GPU delegate could run (seeds/000, AQDS). Where it is native,
    the fused op stays.
  }];
}

def MoteFCToConv2D : Pass<"mote-fc-to-conv2d", "mlir::ModuleOp"> {
  let summary = "Turn fully connected layers with inputs of too high a rank into 1x1 convolutions";
  let description = [{
    A matmul or gemm by a constant weight whose input rank exceeds the target's `fc_max_input_rank`
    becomes a 1x1 `mote.conv` on a rank-4 view of its input (tokens laid out spatially), the weight
    re-laid as [N, K, 1, 1]; the spatial transformer's projections and GEGLU feed-forward are the case
    that matters.
  }];
}

def MoteSerializeConv2D : Pass<"mote-serialize-conv2d", "mlir::ModuleOp"> {
  let summary = "Split convolutions that touch more than max_tensor_bytes into the fewest slices that fit";
  let description = [{
    A 2-D convolution whose input or output exceeds the target's `max_tensor_bytes` runs as a sequence
    of smaller convolutions: slices of the output height (each reading the input rows it needs, halo
    included) or, when the weights or output channels are what is too big, slices of the output
    channels; the results are concatenated. The factor is the smallest that makes every slice fit.
  }];
}

def MoteConvertLayout : Pass<"mote-convert-layout", "mlir::ModuleOp"> {
  let summary = "Put convolutions, pooling and norms in the target's activation layout";
  let description = [{
    For an NHWC target, layout-sensitive ops take `channels_last = true`, with transposes at the
    boundaries that then cancel or fold into constants, so that none remain inside the network where
    avoidable.
  }];
}

def MoteCheckLegality : Pass<"mote-check-legality", "mlir::ModuleOp"> {
  let summary = "Fail on any op the target cannot run";
  let description = [{
    The last pass of the legal phase: every op must fit the target's description (rank, broadcast,
    fully connected input rank, convolution size, native composites). A violation is an error at the
    op naming its ONNX origin and the constraint, never a silent fallback.
  }];
}

def MoteCheckStaticShapes : Pass<"mote-check-static-shapes", "mlir::ModuleOp"> {
  let summary = "Require every value in the module to have a static shape";
  let description = [{
    Runs at the end of the `canonical` phase: after import has bound the inputs' dynamic dimensions and
    folding has evaluated the shape sub-graphs, a dynamic dimension left anywhere is an error at the op
    that produces it (naming its ONNX node), never something a later phase has to guess about.
  }];
  let dependentDialects = ["mote::MoteDialect"];
}

//===----------------------------------------------------------------------===//
// quantized phase (motec --quantize=SCHEME)
//===----------------------------------------------------------------------===//

def MoteQuantizeWeights : Pass<"mote-quantize-weights", "mlir::ModuleOp"> {
  let summary = "Store the weights of linear layers and convolutions as int8 (mote.dequantize of an i8 constant)";
  let description = [{
    Scheme `w8`: the f32 constant weight of every `mote.matmul` (a rank-2 right operand), `mote.gemm` (B)
    and group-1 `mote.conv`, and the constant table of every `mote.gather` of rank >= 2 (embeddings),
    becomes `mote.dequantize(q, scale)`: int8 values, symmetric, one f32 scale per output channel (the
    matmul's and Gemm's N, the convolution's Cout, the gathered slice of a table), scale = max|w| / 127
    over the channel, q = w / scale rounded to nearest (ties to even), within [-127, 127]. Activations stay
    float. Everything else (norm parameters, biases, grouped and transposed convolutions) keeps its float
    weights; on a target whose activations are int8, `w8a8` quantizes grouped (depthwise) convolutions' weights
    per output channel too (mote-quantize-activations makes them integer).

    Scheme `w4`: the same weights but convolutions' as int4 in [-7, 7] with one f16 scale per block of
    `group-size` weights along the reduction axis (the matmul's K, the Gemm's K, an embedding row's last
    axis), scale = max|w| / 7 over the block rounded to f16 first, so q = round(w / scale) uses the stored
    scale; convolutions, and a matmul or Gemm whose result is a model output (a language model's output
    projection, the layer 4 bits hurt most), take w8's per-channel int8.

    Scheme `w4a8`: `w4`'s weights, and each matmul or Gemm with an int4 weight marked
    `mote.lhs_quantization = "int8_per_row"` (its activations quantized to int8 per row at run time, the
    product in integers; the group size a multiple of 4) — the int4 weights the model brings (ONNX Runtime's
    MatMulNBits, blocks of a multiple of 4 along the reduction) too, but not the output projection's.

    Scheme `w8a8`: `w8`'s weights, and each matmul, linear-layer Gemm and group-1 convolution with an int8
    weight marked `mote.lhs_quantization = "int8_per_tensor"` with `mote.lhs_scale` = clip / 127 (f32; 1 for
    an activation that was always 0), clip taken from the op's `mote.calibration` (set by `motec
    --calibration`): `mse_clip` or, with `activation-clip=max`, `abs_max`. A layer to mark without
    `mote.calibration` is an error; one whose reduction exceeds 133143 values (int32 sums) keeps float
    activations. Scheme `w8a16`: the same with `"int16_per_tensor"` and `mote.lhs_scale` = abs_max / 32767.

    `skip` names ONNX nodes whose weights stay float. The module's `#mote.target` must list
    i8 among its `weight_types`. Each `mote.dequantize` carries `mote.quantization` (scheme, float and
    quantized bytes, the weight's SQNR in dB) for `motec --report`, and each matmul, Gemm and (transposed)
    convolution that keeps float weights `mote.float_reason` (a grouped or transposed convolution, a
    right operand computed at run time such as attention's, `--quantize-skip`). An op that already carries
    `mote.float_reason` (the importer's zero-point corrections of int4 weights) is left as it is.
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"w8\"", "Quantization scheme (w8, w4, w4a8, w8a8, w8a16)">,
    Option<"activationClip", "activation-clip", "std::string", /*default=*/"\"mse\"",
           "w8a8: the calibrated threshold activations are clipped at (mse, max)">,
    Option<"groupSize", "group-size", "int64_t", /*default=*/"32", "w4: weights per scale along the reduction axis">,
    ListOption<"skip", "skip", "std::string", "ONNX node names whose weights stay float">,
  ];
  let dependentDialects = ["mote::MoteDialect"];
}

def MoteQuantizeActivations : Pass<"mote-quantize-activations", "mlir::ModuleOp"> {
  let summary = "The integer pipeline: int8 (w8a8) or int16 (w8a16) activations on a target whose activation type is i8";
  let description = [{
    Runs after mote-quantize-weights, on a module whose `#mote.target` has `activation_type = i8` (hexagon),
    for schemes `w8a8` and `w8a16`; elsewhere it changes nothing. Every float value with a calibrated range
    (`mote.value_range`, set by `motec --calibration` for such targets) can be held in int8 with scale
    clip / 127 (`mse_clip`, or `abs_max` with `activation-clip=max`), or for `w8a16` in int16 with scale
    abs_max / 32767. In program order, each op becomes its integer form where its inputs can:
    - a channels-last convolution (any group: mote-quantize-weights gives such a target's grouped and
      depthwise convolutions per-channel int8 weights too) or a matmul/linear Gemm over a per-channel int8 weight
      (`mote.dequantize` of mote-quantize-weights): `mote.integer_conv` / `mote.integer_matmul`, the float bias
      as int32 at the sums' scale, per-channel requantization (`mult`, `shift`) to the result's scale, a
      following ReLU folded into the clamp (and its range used);
    - an add: `mote.integer_add` (both rescaled to the result's scale; a broadcast operand made explicit by an
      int8 `mote.expand`, a constant one quantized here); a product of two tensors: `mote.integer_mul`;
    - ReLU, sigmoid, tanh, SiLU, GELU, leaky ReLU, hard sigmoid, clip, negation, a product or quotient by one
      constant: `mote.integer_table` (256 int8 or 513 interpolated int16 entries computed once here, in double);
    - a transpose, reshape, split or slice: the same op on int8;
    - a concat: the same op on int8, each piece of another scale than the result's rescaled first by a
      `mote.integer_table`;
    - (passes/IntegerTransformerOps.cpp) layer and RMS norms, and the chain a group norm imports as:
      `mote.integer_norm`; attention: `mote.integer_attention`; a gather: the int8 gather (a constant table
      quantized at the result's scale); a nearest resize: one int8 gather per resized axis; the sine or cosine
      of a float model input times constant frequencies (a diffusion time embedding; converted before the
      rest): `mote.integer_sinusoid`, reading the float input itself.
    A value enters int8 through `mote.quantize_activation` and leaves (to a float op or a result) through
    `mote.dequantize_activation`; ops that cannot go integer stay float between them. A layer whose
    multiplier would reach 1 widens its result's scale (the requantization multiplies by less than 1); one whose
    sums add 2^16 or more products stays float (int32 must hold them and the bias, which is clamped to what
    room is left).
  }];
  let options = [
    Option<"scheme", "scheme", "std::string", /*default=*/"\"w8a8\"", "Quantization scheme">,
    Option<"activationClip", "activation-clip", "std::string", /*default=*/"\"mse\"",
           "The calibrated threshold activations are clipped at (mse, max)">,
  ];
  let dependentDialects = ["mote::MoteDialect"];
}

//===----------------------------------------------------------------------===//
// fused phase (driven by the module's #mote.target `fusions`)
//===----------------------------------------------------------------------===//

def MoteFuseElementwise : Pass<"mote-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Group chains of elementwise float ops (after a norm, if any) into mote.fused regions";
  let description = [{
    Runs when the module's target lists `elementwise` in `fusions`. A region holds at least two ops,
    elementwise float ops (unary math and activations, add/sub/mul/div/pow/min/max) whose results all
    have one shape S; each operand from outside is S itself or a trailing-dims broadcast of it (a
    per-channel vector, a scalar), which the kernel reads periodically. A value used outside the region
    becomes one of its results; an op joins a region only if no op between the region and it uses a
    value of the region (the region is computed where its last op was). Ops on integer or bool tensors,
    and operands broadcast along other than leading dimensions, stay out.

    A slice that only the region reads, of the region's shape, keeping every dimension of its input
    whole but for a window of the last axis (GEGLU's two halves of a projection), joins the region: the
    kernel reads those rows in place with the input's row stride instead of a copy (one elementwise op
    and the slice it reads make a region).

    With `norm_elementwise` in `fusions`, a chain whose first op reads a group_norm, layer_norm or
    rms_norm result of the same type that nothing else reads starts with that norm instead: a
    `norm_elementwise` region (group norm + SiLU, layer norm + residual add, ...).
  }];
}

def MoteFuseAttention : Pass<"mote-fuse-attention", "mlir::func::FuncOp"> {
  let summary = "Absorb the head transposes around mote.attention into a mote.fused \"attention\" region";
  let description = [{
    Runs when the module's target lists `attention` in `fusions`. Exporters split heads with
    `reshape [B, S, H*D] -> [B, S, H, D]` and `transpose(0, 2, 1, 3)` before attention and merge them
    with the inverse transpose after it; each of these transposes is a full copy. A query, key or value
    transposed that way for this attention alone, and an output whose only user is that transpose, join
    the attention in one region: the target's kernel reads and writes [B, S, H, D] with strides and the
    copies disappear. A transposed operand that is a head split (reshape [B, S, H*D] -> [B, S, H, D]) of a
    last-axis slice of a merged projection (mote-merge-sibling-matmuls) brings the reshape and the slice
    along: the kernel reads the window in place. A piece of a split of the last axis read only by such a
    head split (GPT-2's fused QKV projection split in three) becomes that slice first, and the split goes
    once no piece of it is left. One head needs no transpose: a query, key or value that is a
    [B, 1, S, D] view of a [B, S, D] last-axis slice of a merged projection (a VAE decoder's mid-block
    attention) brings the view and the slice along likewise. The mask is never absorbed. An attention with
    nothing to absorb stays as it is.
  }];
}

def MoteFuseRotary : Pass<"mote-fuse-rotary", "mlir::func::FuncOp"> {
  let summary = "Rotary position embedding x * cos + rotate_half(x) * sin as one mote.fused \"rotary\" region";
  let description = [{
    Runs when the module's target lists `rotary` in `fusions`. Llama-style exports (Hugging Face's
    `apply_rotary_pos_emb`) write the embedding of queries and keys as
    `add(mul(x, cos), mul(concat(neg(x[..., D/2:]), x[..., :D/2]), sin))`, the halves as last-axis slices
    or a split: five to seven kernels and as many intermediate tensors per projection. Matched in any
    operand order, with cos and sin of x's rank and last dimension, broadcast (1) or equal in the others,
    the ops become one region; a head transpose (perm 0, 2, 1, 3) that produces x for these ops alone comes
    along, so the kernel reads the projection's [B, S, H, D] layout with strides. Not matched (left to the
    other fusions): the interleaved GPT-J form (rotate_every_two), partial rotary dimensions (a rotated
    slice concatenated with a pass-through one), and any intermediate used outside the pattern.
  }];
}

def MoteFuseLinearEpilogue : Pass<"mote-fuse-linear-epilogue", "mlir::func::FuncOp"> {
  let summary = "A matmul by a weight or a convolution, with the bias, residual and ReLU/clip after it, as one mote.fused \"linear_epilogue\" region";
  let description = [{
    Runs when the module's target lists `linear_epilogue` in `fusions`: the target's GEMM and convolution
    kernels start their accumulators from a per-column bias and a residual and apply a ReLU or clip as they
    store, so these cost no pass over memory of their own. Starting from a matmul whose right operand is a
    rank-2 constant (a linear layer) or a convolution, the region takes, in this order and each only if
    the value before it has no other user: an add of a constant vector of the last dimension (matmul only:
    a convolution has its own bias), an add of another value of the result's type (a residual), and a
    relu, clip, SiLU or GELU (any of its three forms). Anything else after it (scaling, gating) is left to
    the elementwise fusion. When the target also lists `norm_prologue`, a
    layer or RMS norm over the last axis whose result only such a matmul reads (with one scale, and bias,
    value per column) leads the region: the GEMM normalizes each row of its left operand as it packs it.
    With `norm_prologue_conv` the same holds for a 1x1 channels-last convolution with unit strides, no
    padding and one group (a linear layer after FC -> Conv2D): its pixels are the GEMM's rows.
    The region then reads the norm's input first and the weight second. With `linear_epilogue_broadcast`
    the residual may also be broadcast along the rows (one value per column or channel: a U-Net's time
    embedding added to a convolution's output). With `gated_linear`, a matmul without a bias add, or a
    1x1 convolution as above, whose result is read only by the two last-axis halves of a gated product
    (a * act(b) or act(a) * b, act a GELU or SiLU, or no activation: GEGLU, SwiGLU after merged gate and
    up projections) ends in that product: the kernel computes the sums at both halves' columns.
    With `group_norm_conv`, the halves of a group norm that mote-split-group-norm put around a
    convolution of one group join its region: the mote.group_norm_apply (and the SiLU and reshape after
    it) that it alone reads leads the region, the kernel normalizing its input as it stages it; the
    mote.group_norm_stats of the region's last value (the convolution's, or its residual sum's) ends it,
    the kernel's epilogue computing the statistics. With `upsample_conv`, a nearest upsampling by whole
    factors (mode nearest, asymmetric coordinates, floor, scales equal to the size ratios, 1 on the
    instance and channel axes) that only a convolution of one group reads leads its region: the kernel
    reads the upsampled input through it, and the upsampled tensor is never written.
  }];
}

def MoteSplitGroupNorm : Pass<"mote-split-group-norm", "mlir::func::FuncOp"> {
  let summary = "A group norm between convolutions as its statistics and its normalization, for the convolutions' kernels to take";
  let description = [{
    Runs when the module's target lists `group_norm_conv` and `linear_epilogue` in `fusions` (the halves
    have kernels only inside convolutions' regions), in the `fused` phase before mote-fuse-linear-epilogue. A group norm needs its input's statistics over whole groups before it can
    normalize one element, so on its own it is a kernel launch and two passes over memory between the
    convolution that produces its input and the one that reads its result (a VAE decoder's and a U-Net's
    resnet blocks: conv -> group norm -> SiLU -> conv). A 4-D `mote.group_norm` whose result, or the SiLU
    that alone reads it, only group-1 convolutions in its layout read (directly, or through reshapes that
    keep instances and channels: the attention block's projections), none of whose results a slice reads
    (a gated product's halves end such a region instead), becomes `mote.group_norm_stats` of its
    input, placed right after that input (or after the value a reshape of it keeping instances and channels
    reads: the producer's own result), and, before each such convolution, its own `mote.group_norm_apply`
    of the input and the statistics (then the SiLU, then the reshape). mote-fuse-linear-epilogue then puts
    the statistics in the producing convolution's region and each normalization in the reading one's.
  }];
}

def MoteFoldLinearScale : Pass<"mote-fold-linear-scale", "mlir::func::FuncOp"> {
  let summary = "A linear layer's output times a scalar constant as the layer with its weight and bias scaled";
  let description = [{
    Runs when the module's target lists `linear_epilogue` in `fusions`, in the `fused` phase after
    mote-sink-reshapes (which brings the mul next to the layer). Exporters scale the query projection's output by 1/sqrt(D) (CLIP, BERT-style attention): a kernel
    launch and a pass over memory of its own, and an op between the projection and the attention that
    keeps the projections from merging. A mul by a one-element f32 constant of a value only it reads,
    that value a convolution by constant f32 weights (and bias), a matmul by a rank-2 constant f32 weight,
    or such a matmul plus a constant f32 bias, becomes the layer with its weight (and bias) multiplied by
    the constant, each constant read by nothing else. (x W + b) s = x (W s) + b s, rounded once in f32
    per weight instead of once per output.
  }];
}

def MoteSinkReshapes : Pass<"mote-sink-reshapes", "mlir::func::FuncOp"> {
  let summary = "Reshapes between a linear op and its epilogue, or between a norm and the linear op reading it, moved out of the way";
  let description = [{
    Runs when the module's target lists `linear_epilogue` in `fusions`, first in the `fused` phase. A target that
    legalizes linear layers to 1x1 convolutions (FC -> Conv2D) wraps each in reshapes ([B, S, K] ->
    [B, S, 1, K] in, the reverse out), and the bias-free epilogue ops (residual add, activation, gating)
    then read a reshape, not the convolution. A reshape whose input a matmul, Gemm or convolution
    produces (directly, or through elementwise ops already moved) for the reshape alone, and whose result
    only an elementwise op reads, moves below that op: the op computes at the linear op's shape, its
    other operands reshaped too when they have the result's shape, or kept when they broadcast alike onto
    both shapes (one element, a per-channel vector) with no higher rank; a reshape of the result restores
    the shape. It stays when another operand of the result's shape is a linear result read only by the op
    (the op follows that linear op already; moving would then move back). A reshape
    that keeps the last dimension, of such a result, read only by last-axis windows (GEGLU's two halves)
    moves below each window likewise. With
    `norm_prologue` or `norm_prologue_conv` also listed, a reshape that keeps the last dimension, of a layer or RMS norm over the
    last axis read only by it, feeding linear ops alone, moves above the norm. Reshapes are free (the planner
    aliases them); consecutive ones fold into one.
  }];
}

def MoteMergeSiblingMatmuls : Pass<"mote-merge-sibling-matmuls", "mlir::func::FuncOp"> {
  let summary = "Matmuls of one activation by several weights (Q, K, V projections) as one matmul and slices";
  let description = [{
    Runs when the module's target lists `sibling_matmuls` in `fusions`. Matmuls whose left operand is the
    same value, whose right operands are rank-2 constants read by nothing else, and whose results one
    attention reads split into heads (reshape [B, S, H*D] -> [B, S, H, D], transpose(0, 2, 1, 3); for one
    head, reshape [B, S, D] -> [B, 1, S, D] alone): an
    attention's query, key and value projections, or a cross-attention's key and value. They become one
    matmul by the weights placed side by side along N, computed where the first was; each original result
    becomes a slice of the last axis of the merged one. A projection whose only reader adds a constant
    bias of one value per column (read by nothing else: CLIP's, BERT's) counts with that add: the merged
    matmul is followed by one add of the biases side by side (zeros for a member without one), and the
    slices are taken of the sum. The activation is read once and one GEMM runs
    instead of several; the attention fusion then reads the slices in place. Projections of one input
    for different attentions (every cross-attention reads the text encoding) stay apart, so no merged
    result lives longer than the separate ones would. Likewise the gate and up projections of a gated
    feed-forward (SwiGLU's silu(x W_gate) * (x W_up), or with GELU): two matmuls of one input read by one
    product, directly or through the activation; the elementwise fusion then reads both slices in place.
    A target that legalizes linear layers to 1x1 convolutions (FC -> Conv2D) gets the same for them:
    channels-last 1x1 convolutions with unit strides, no padding and one group, of one input, by constant
    weights (and biases) read by nothing else, whose [B, S, 1, N] results an attention reads through a
    head split or a gated product reads, become one convolution by the weights stacked along the output
    channels (a bias of zeros for a member without one). A head-split member's slice is taken from the
    merged result viewed as [B, S, N], so the attention fusion finds its usual form.
  }];
}

#endif // MOTE_PASSES_PASSES_TD
