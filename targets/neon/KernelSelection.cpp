// The NEON target's kernel selection (see KernelSelection.h): by op, element type and shape.
#include "targets/neon/KernelSelection.h"

#include "codegen/ShapeArithmetic.h"
#include "codegen/WeightValues.h"
#include "ir/ModuleTarget.h"
#include "runtime/neon/PackedSizes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {
namespace {


bool isF32(Value v) { return elementTypeOf(v).isF32(); }
bool isF16(Value v) { return elementTypeOf(v).isF16(); }
bool allOf(Operation *op, bool (*pred)(Value)) {
  return llvm::all_of(op->getOperands(), pred) && llvm::all_of(op->getResults(), pred);
}
/// Float tensors of `op` are all f32, or all f16 (integer and bool ones aside).
bool floatsAre(Operation *op, bool (*pred)(Value)) {
  auto ok = [&](Value v) { return !isa<FloatType>(elementTypeOf(v)) || pred(v); };
  return llvm::all_of(op->getOperands(), ok) && llvm::all_of(op->getResults(), ok);
}
bool hasF16(Operation *op) {
  return llvm::any_of(op->getOperands(), isF16) || llvm::any_of(op->getResults(), isF16);
}

bool attrIsOne(const APFloat &f) { return f.isExactlyValue(1.0); }

KernelChoice plain(StringRef kernel) { return KernelChoice{kernel.str()}; }
KernelChoice widened(StringRef kernel) {
  KernelChoice c{kernel.str()};
  c.widens = true;
  return c;
}
/// `kernel` reading its weight packed once at load time in `layout` for a GEMM of reduction K and N columns
/// (`taps`: a ConvTaps convolution's KH * KW); `suffix` names a variant of the source order (see
/// ModelEmitter::packedWeight).
KernelChoice packed(StringRef kernel, PackedLayout layout, int64_t K, int64_t N, StringRef suffix = "",
                    int64_t taps = 1) {
  KernelChoice c{kernel.str()};
  c.packedLayout = (packedLayoutName(layout) + suffix).str();
  c.packedBytes = packedBytes(layout, K, N, taps);
  return c;
}

/// The w4 weight `v` is (mote.dequantize of int4 with per-block scales along `blockAxis`), or null.
DequantizeOp int4Weight(Value v, int64_t blockAxis) {
  auto dequantize = dyn_cast_or_null<DequantizeOp>(quantizedWeight(v));
  if (!dequantize || !dequantize.getBlockSize() || dequantize.getAxis() != blockAxis ||
      !elementTypeOf(dequantize.getInput()).isSignlessInteger(4))
    return {};
  return dequantize;
}

/// `kernel` over a w4 weight packed in `layout` for a GEMM of reduction K and N columns.
KernelChoice packedW4(StringRef kernel, PackedLayout layout, int64_t K, int64_t N, DequantizeOp weight) {
  KernelChoice c{kernel.str()};
  c.packedLayout = packedLayoutName(layout);
  c.packedBytes = packedBytes(layout, K, N, 1, *weight.getBlockSize());
  return c;
}

/// Whether `op`'s activations are quantized to int16 (w8a16) rather than int8.
bool int16Activations(Operation *op) {
  auto mode = op->getAttrOfType<StringAttr>(kLhsQuantizationAttrName);
  return mode && mode.getValue() == kLhsQuantizationInt16PerTensor;
}

/// A float kernel of `family` on f32 data, or its f16 version where runtime/neon has one, or the f32 one
/// on widened copies.
FailureOr<KernelChoice> floatKernel(Operation *op, StringRef family, bool f16Kernel) {
  if (floatsAre(op, isF32))
    return plain((family + "_f32").str());
  if (floatsAre(op, isF16))
    return f16Kernel ? plain((family + "_f16").str()) : widened((family + "_f32").str());
  return failure();
}

/// `computeF32`: an f16 op gets the f32 kernel on widened copies (a fused region no f16 kernel runs).
FailureOr<KernelChoice> selectConv(ConvOp c, bool computeF32 = false) {
  FailureOr<ConvGeometry> g = convGeometry(c);
  if (failed(g))
    return failure();
  bool f32 = floatsAre(c, isF32), f16 = floatsAre(c, isF16);
  if (!f32 && !f16)
    return failure();
  // f16 storage computed by an f16 kernel where there is one (unless computeF32), else widened.
  const bool f16Kernels = f16 && !computeF32;
  // int8 weights (--quantize=w8): the GEMM over the taps, widening them as it goes.
  if (quantizedWeight(c.getWeight())) {
    if (!f32 || !g->channelsLast || g->group != 1)
      return failure();
    if (c->hasAttr(kLhsQuantizationAttrName)) // w8a8 / w8a16 (the verifier checked the weight's form)
      return int16Activations(c) ? packed("conv2d_taps_w8a16", PackedLayout::ConvTapsW8A16, g->C, g->M, "", g->KH * g->KW)
                                 : packed("conv2d_taps_w8a8", PackedLayout::ConvTapsI8Dot, g->C, g->M, "", g->KH * g->KW);
    return packed("conv2d_taps_w8", PackedLayout::ConvTapsW8, g->C, g->M, "", g->KH * g->KW);
  }
  bool dense = isWeight(c.getWeight()) && g->channelsLast && g->group == 1 && g->strideH == 1 &&
               g->strideW == 1 && g->dilationH == 1 && g->dilationW == 1 && g->OH == g->H && g->OW == g->W;
  if (dense && g->KH == 1 && g->KW == 1 && g->padTop == 0 && g->padLeft == 0) {
    if (f16Kernels)
      return packed("conv1x1_packed_f16", PackedLayout::Conv1x1F16, g->C, g->M);
    KernelChoice choice = packed("conv2d_pointwise", PackedLayout::Conv1x1, g->C, g->M);
    choice.widens = f16;
    return choice;
  }
  if (dense && g->KH == 3 && g->KW == 3 && g->padTop == 1 && g->padLeft == 1) {
    // f16 storage, channels in multiples of 8: Winograd F(2x2, 3x3) in f16 arithmetic (4 MACs an output at 8 an
    // instruction, its error below the direct f16 kernel's: Conv3x3F16.h) from 16 channels and 4x4 images.
    if (f16Kernels && g->C % 8 == 0 && g->M % 8 == 0 && g->C >= 16 && g->M >= 16 && g->H >= 4 && g->W >= 4)
      return packed("conv2d_winograd_f23_f16", PackedLayout::WinogradF23F16, g->C, g->M);
    // Winograd F(4x4, 3x3) where it wins (measured under qemu, scripts/bench_models.sh): at least 32 input
    // and output channels to amortize the transforms, images of at least 8x8 (16x16 on f16 storage, where the
    // direct kernel's f16 arithmetic does 8 MACs an instruction: at 8x8 it wins), and 36 transformed tiles
    // costing less than half the direct multiplications. It computes in f32 (on widened copies of f16
    // storage: its transforms would amplify f16 rounding, and it still takes fewer instructions than the f16
    // direct kernel). Elsewhere the direct kernel, in f16 arithmetic for f16 storage.
    double tiles = static_cast<double>((g->H + 3) / 4) * static_cast<double>((g->W + 3) / 4);
    const int64_t minSide = f16Kernels ? 16 : 8;
    if (g->C >= 32 && g->M >= 32 && g->H >= minSide && g->W >= minSide &&
        36.0 * tiles < 0.5 * 9.0 * static_cast<double>(g->H * g->W)) {
      KernelChoice choice = packed("conv2d_winograd_f43", PackedLayout::WinogradF43, g->C, g->M);
      choice.widens = f16;
      return choice;
    }
    if (f16Kernels)
      return packed("conv3x3_packed_f16", PackedLayout::Conv3x3F16, g->C, g->M);
    KernelChoice choice = packed("conv2d_direct3x3", PackedLayout::Conv3x3, g->C, g->M);
    choice.widens = f16;
    return choice;
  }
  // Strided (downsampling) 3x3 convolutions on f16 storage: the f16 direct kernel takes any stride and padding.
  if (f16Kernels && isWeight(c.getWeight()) && g->channelsLast && g->group == 1 && g->dilationH == 1 && g->dilationW == 1 &&
      g->KH == 3 && g->KW == 3 && g->H > 1)
    return packed("conv3x3_packed_f16", PackedLayout::Conv3x3F16, g->C, g->M);
  // Any other kernel size, stride, padding or dilation (downsampling convolutions, 7x7 stems, 1xK text
  // convolutions): the GEMM over the taps, computing in f32 (on widened copies of f16 storage).
  if (isWeight(c.getWeight()) && g->channelsLast && g->group == 1) {
    KernelChoice choice = packed("conv2d_taps", PackedLayout::ConvTaps, g->C, g->M, "", g->KH * g->KW);
    choice.widens = f16;
    return choice;
  }
  return f16 ? widened("conv2d") : plain("conv2d");
}

/// `computeF32` as for selectConv.
FailureOr<KernelChoice> selectMatMul(MatMulOp m, bool computeF32 = false) {
  MatMulGeometry g = matmulGeometry(m);
  bool f32 = floatsAre(m, isF32), f16 = floatsAre(m, isF16);
  if (!f32 && !f16)
    return failure();
  if (quantizedWeight(m.getRhs())) {
    if (!f32 || !g.rhsShared)
      return failure();
    if (DequantizeOp w4 = int4Weight(m.getRhs(), 0))
      return m->hasAttr(kLhsQuantizationAttrName)
                 ? packedW4("matmul_packed_w4a8", PackedLayout::GemmBI4Dot, g.K, g.N, w4)
                 : packedW4("matmul_packed_w4", PackedLayout::GemmBW4, g.K, g.N, w4);
    if (m->hasAttr(kLhsQuantizationAttrName)) // w8a8 / w8a16
      return int16Activations(m) ? packed("matmul_packed_w8a16", PackedLayout::GemmBW8A16, g.K, g.N)
                                 : packed("matmul_packed_w8a8", PackedLayout::GemmBI8Dot, g.K, g.N);
    return packed("matmul_packed_w8", PackedLayout::GemmBW8, g.K, g.N);
  }
  if (isWeight(m.getRhs()) && g.rhsShared) {
    if (f16 && !computeF32)
      return packed("matmul_packed_f16", PackedLayout::GemmBF16, g.K, g.N);
    KernelChoice choice = packed("matmul_packed", PackedLayout::GemmB, g.K, g.N);
    choice.widens = f16;
    return choice;
  }
  return f16 ? widened("matmul") : plain("matmul");
}

/// ONNX Gemm as exporters write linear layers (Hugging Face GPT-2's Conv1D: transB = 0; nn.Linear on 2-D
/// inputs: transB = 1; a bias row or none; alpha = beta = 1) runs the packed GEMM with the bias in its
/// epilogue; other forms (transA, scaled, a C of another shape) the portable loop.
FailureOr<KernelChoice> selectGemm(GemmOp g) {
  bool f32 = floatsAre(g, isF32), f16 = floatsAre(g, isF16);
  if (!f32 && !f16)
    return failure();
  Shape out = shapeOf(g.getResult()), b = shapeOf(g.getB());
  int64_t N = out[1], K = g.getTransB() ? b[1] : b[0];
  auto biasRow = [&](Value c) {
    Shape s = shapeOf(c);
    return isWeight(c) && elementCount(c) == N && (s.size() == 1 || (s.size() == 2 && s[0] == 1));
  };
  bool linear = !g.getTransA() && isWeight(g.getB()) && attrIsOne(g.getAlpha()) &&
                (!g.getC() || (attrIsOne(g.getBeta()) && biasRow(g.getC())));
  if (quantizedWeight(g.getB())) {
    if (!linear || !f32)
      return failure();
    if (DequantizeOp w4 = int4Weight(g.getB(), g.getTransB() ? 1 : 0)) {
      if (g->hasAttr(kLhsQuantizationAttrName))
        return packedW4("matmul_packed_w4a8", g.getTransB() ? PackedLayout::GemmBI4DotFromNK : PackedLayout::GemmBI4Dot,
                        K, N, w4);
      return packedW4("matmul_packed_w4", g.getTransB() ? PackedLayout::GemmBW4FromNK : PackedLayout::GemmBW4, K, N,
                      w4);
    }
    if (g->hasAttr(kLhsQuantizationAttrName)) { // w8a8 / w8a16: B [K, N], or B^T [N, K] as a one-tap convolution's
      if (int16Activations(g))
        return packed("matmul_packed_w8a16", g.getTransB() ? PackedLayout::ConvTapsW8A16 : PackedLayout::GemmBW8A16, K, N);
      return packed("matmul_packed_w8a8", g.getTransB() ? PackedLayout::ConvTapsI8Dot : PackedLayout::GemmBI8Dot, K, N);
    }
    // As a 1x1 convolution over M pixels, B [N, K] (transB = 1) or [K, N] packed into the same panels.
    return packed("conv2d_taps_w8", g.getTransB() ? PackedLayout::ConvTapsW8 : PackedLayout::GemmBW8, K, N);
  }
  if (!linear)
    return f16 ? widened("gemm") : plain("gemm");
  // A linear layer is a 1x1 convolution over M pixels: the pointwise kernels, whose packed layout takes B as
  // [N, K] (transB = 1) or, transposed at load time, as [K, N].
  return packed(f16 ? "conv1x1_packed_f16" : "conv2d_pointwise", f16 ? PackedLayout::Conv1x1F16 : PackedLayout::Conv1x1,
                K, N, g.getTransB() ? "" : "_from_kn");
}

/// "i8" or "i16": the width of an integer-pipeline activation.
std::string width(Value v) { return elementTypeOf(v).isSignlessInteger(16) ? "i16" : "i8"; }

FailureOr<KernelChoice> select(Operation *op) {
  return TypeSwitch<Operation *, FailureOr<KernelChoice>>(op)
      .Case([](ReshapeOp) { return plain("view"); })
      // The integer pipeline (--neon-activation-type=i8): runtime/integer's kernels, one per activation width; its
      // data movement is the byte-generic kernels' below.
      .Case([](QuantizeActivationOp q) { return plain("quantize_activation_" + width(q.getResult())); })
      .Case([](DequantizeActivationOp d) { return plain("dequantize_activation_" + width(d.getInput())); })
      // Group-1 convolutions and GEMMs: int8 activations on the sdot GEMM (GemmI8.h), int16 on smlal (GemmI16.h),
      // with the requantizing epilogue, their weights packed once at load time.
      .Case([](IntegerConvOp c) {
        Shape w = shapeOf(c.getWeight());
        if (c.getGroup() == 1 && width(c.getInput()) == "i8")
          return packed("integer_conv_i8_sdot", PackedLayout::ConvTapsI8Dot, w[1], w[0], "", w[2] * w[3]);
        if (c.getGroup() == 1)
          return packed("integer_conv_i16_smlal", PackedLayout::ConvTapsW8A16, w[1], w[0], "", w[2] * w[3]);
        return plain("integer_conv_" + width(c.getInput()));
      })
      .Case([](IntegerMatMulOp m) {
        Shape w = shapeOf(m.getWeight());
        if (width(m.getLhs()) == "i8")
          return packed("integer_matmul_i8_sdot", PackedLayout::GemmBI8Dot, w[0], w[1]);
        return packed("integer_matmul_i16_smlal", PackedLayout::GemmBW8A16, w[0], w[1]);
      })
      // int8 attention: its dot products on the sdot GEMM (runtime/neon/IntegerAttention.cpp).
      .Case([](IntegerAttentionOp a) {
        return plain(width(a.getResult()) == "i8" ? "integer_attention_i8_sdot" : "integer_attention_i16");
      })
      .Case([](IntegerTableOp t) {
        return plain(width(t.getResult()) == "i8" ? "integer_table_i8_tbl" : "integer_table_i16");
      })
      .Case<IntegerAddOp, IntegerMulOp, IntegerSinusoidOp, IntegerNormOp>(
          [](Operation *op) { return plain(op->getName().stripDialect().str() + "_" + width(op->getResult(0))); })
      .Case([](CastOp c) -> FailureOr<KernelChoice> {
        Type from = elementTypeOf(c.getInput()), to = elementTypeOf(c.getResult());
        if (from.isF32() && to.isF16())
          return plain("convert_f32_to_f16");
        if (from.isF16() && to.isF32())
          return plain("convert_f16_to_f32");
        return hasF16(c) ? widened("cast") : plain("cast");
      })
      .Case<AddOp, SubOp, MulOp, DivOp, PowOp, MinOp, MaxOp>([](Operation *op) -> FailureOr<KernelChoice> {
        if (allOf(op, [](Value v) { return elementTypeOf(v).isInteger(64); }))
          return plain("binary_i64");
        return floatKernel(op, "binary", /*f16Kernel=*/true);
      })
      .Case<EqualOp, LessOp, GreaterOp, LessOrEqualOp, GreaterOrEqualOp, AndOp, OrOp>(
          [](Operation *op) { return hasF16(op) ? widened("compare") : plain("compare"); })
      .Case<SqrtOp, ExpOp, LogOp, ErfOp, TanhOp, SigmoidOp, ReluOp, NegOp, AbsOp, ReciprocalOp, SinOp, CosOp,
            NotOp, SiluOp, GeluOp, HardSigmoidOp, LeakyReluOp, ClipOp>([](Operation *op) -> FailureOr<KernelChoice> {
        Type t = elementTypeOf(op->getResult(0));
        if (t.isInteger(64))
          return plain("unary_i64");
        if (t.isInteger(1))
          return plain("unary_bool");
        return floatKernel(op, "unary", /*f16Kernel=*/true);
      })
      .Case([](GatherOp g) -> FailureOr<KernelChoice> {
        if (DequantizeOp w4 = int4Weight(g.getData(), 1)) { // an int4 table [rows, D], blocks along D
          Shape d = shapeOf(g.getData());
          if (d.size() != 2 || w4.getResult() != g.getData() || (g.getAxis() != 0 && g.getAxis() != -2) ||
              !elementTypeOf(g.getResult()).isF32())
            return failure();
          return plain("gather_w4");
        }
        if (Operation *q = quantizedWeight(g.getData())) { // an int8 table: rows widened as they are gathered
          auto dequantize = dyn_cast<DequantizeOp>(q);
          int64_t rank = shapeOf(g.getData()).size();
          int64_t axis = g.getAxis() < 0 ? g.getAxis() + rank : g.getAxis();
          if (!dequantize || dequantize.getResult() != g.getData() || dequantize.getAxis() != axis ||
              !elementTypeOf(g.getResult()).isF32())
            return failure();
          return plain("gather_w8");
        }
        return plain("gather");
      })
      .Case<WhereOp, TriluOp>([](Operation *op) {
        return plain(isa<WhereOp>(op) ? "where" : "trilu");
      })
      .Case<TransposeOp, SliceOp, ConcatOp, SplitOp, ExpandOp>([](Operation *) { return plain("copy_strided"); })
      .Case([](MatMulOp m) { return selectMatMul(m); })
      .Case([](GemmOp g) { return selectGemm(g); })
      .Case([](ConvOp c) { return selectConv(c); })
      .Case([](GroupNormOp op) { return floatKernel(op, "group_norm", true); })
      // The halves of a group norm split around convolutions, where no convolution's region took them.
      .Case<GroupNormStatsOp, GroupNormApplyOp>([](Operation *op) -> FailureOr<KernelChoice> {
        auto last = op->getAttrOfType<BoolAttr>("channels_last");
        if (!last || !last.getValue() || !floatsAre(op, isF32))
          return KernelChoice{};
        return plain(isa<GroupNormStatsOp>(op) ? "group_norm_stats" : "group_norm_apply");
      })
      .Case([](LayerNormOp op) { return floatKernel(op, "layer_norm", true); })
      .Case([](RmsNormOp op) { return floatKernel(op, "rms_norm", true); })
      .Case([](SoftmaxOp op) { return floatKernel(op, "softmax", false); })
      .Case([](AttentionOp op) { return floatKernel(op, "attention", true); })
      .Case([](KvWriteOp) { return plain("kv_write"); }) // a row copy of any float storage
      .Case([](CacheAttentionOp op) { return floatKernel(op, "cache_attention", true); })
      .Case<ReduceMeanOp, ReduceSumOp, ReduceMaxOp, ReduceMinOp>([](Operation *op) -> FailureOr<KernelChoice> {
        Type in = elementTypeOf(op->getOperand(0)), out = elementTypeOf(op->getResult(0));
        if (in == out && (in.isInteger(64) || in.isInteger(32)))
          return plain("reduce_int");
        if (!isa<FloatType>(in))
          return failure();
        return floatKernel(op, "reduce", false);
      })
      .Case([](ArgMaxOp a) { return hasF16(a) ? widened("arg_max") : plain("arg_max"); })
      // Nearest-neighbour resize only moves elements: one kernel for every storage type.
      .Case([](ResizeOp r) -> FailureOr<KernelChoice> {
        if (r.getMode() != "linear")
          return plain("resize_nearest");
        return floatKernel(r, "resize", false);
      })
      .Case([](PadOp p) { return hasF16(p) ? widened("pad") : plain("pad"); })
      // A fused elementwise region: one pass over its elements in blocks (in f16 arithmetic on f16 storage).
      .Case([](FusedOp f) -> FailureOr<KernelChoice> {
        if (f.getKind() == "elementwise")
          return floatKernel(f, "fused_elementwise", /*f16Kernel=*/true);
        // A norm whose kernel runs the elementwise ops after it on each row it writes (in f16 arithmetic on f16
        // storage, as fused_elementwise_f16).
        if (f.getKind() == "norm_elementwise" && isa<GroupNormOp, LayerNormOp, RmsNormOp>(f.getBlock().front()))
          return floatKernel(f, ("fused_" + f.getBlock().front().getName().stripDialect()).str(), true);
        // A matmul or convolution whose kernel applies the bias, residual and activation as it stores.
        if (f.getKind() == "linear_epilogue") {
          // The matmul or convolution (after the norm that may lead the region).
          auto linears = llvm::make_filter_range(f.getBlock(), [](Operation &op) { return isa<MatMulOp, ConvOp>(op); });
          if (linears.empty())
            return KernelChoice{};
          Operation &linear = *linears.begin();
          bool ledByNorm = &linear != &f.getBlock().front();
          auto selectLinear = [&](bool computeF32) -> FailureOr<KernelChoice> {
            if (auto m = dyn_cast<MatMulOp>(linear))
              return selectMatMul(m, computeF32);
            return selectConv(cast<ConvOp>(linear), computeF32);
          };
          // On f16 storage: the f16 GEMM and 3x3 kernels store through an f16 epilogue; a region they cannot
          // run (a norm prologue, the other convolution kernels) is the f32 kernel on widened copies.
          static const char *const withEpilogue[] = {"matmul_packed",      "conv2d",
                                                     "conv2d_pointwise",   "conv2d_direct3x3",
                                                     "conv2d_winograd_f43", "conv2d_taps",
                                                     "matmul_packed_f16",  "conv1x1_packed_f16",
                                                     "conv3x3_packed_f16", "conv2d_winograd_f23_f16",
                                                     "matmul_packed_w8",
                                                     "conv2d_taps_w8", "matmul_packed_w4", "matmul_packed_w4a8",
                                                     "matmul_packed_w8a8", "conv2d_taps_w8a8",
                                                     "matmul_packed_w8a16", "conv2d_taps_w8a16"};
          // A group norm split around convolutions (group_norm_conv): its normalization leads the region, its
          // statistics end it; or a nearest upsampling leads it (upsample_conv). The f32 convolution kernels run
          // on bands of rows (convBands), with the weight wherever the region reads it.
          if (isa<ResizeOp>(f.getBlock().front()) ||
              llvm::any_of(f.getBlock(), [](Operation &op) { return isa<GroupNormApplyOp, GroupNormStatsOp>(op); })) {
            static const char *const onBands[] = {"conv2d",           "conv2d_pointwise", "conv2d_direct3x3",
                                                  "conv2d_winograd_f43", "conv2d_taps",   "conv2d_taps_w8",
                                                  "conv2d_taps_w8a8", "conv2d_taps_w8a16"};
            FailureOr<KernelChoice> inner = failure();
            if (isa<ConvOp>(linear) && floatsAre(f, isF32))
              inner = selectLinear(false);
            auto weight = dyn_cast<BlockArgument>(linear.getOperand(1));
            if (failed(inner) || !llvm::is_contained(onBands, inner->kernel) || !weight)
              return KernelChoice{};
            inner->kernel = "fused_" + inner->kernel;
            inner->packedOperand = weight.getArgNumber();
            return inner;
          }
          FailureOr<KernelChoice> inner = selectLinear(false);
          if (succeeded(inner) && StringRef(inner->kernel).ends_with("_f16") && ledByNorm)
            inner = selectLinear(true);
          if (succeeded(inner) && !llvm::is_contained(withEpilogue, inner->kernel))
            inner = floatsAre(f, isF16) ? selectLinear(true) : FailureOr<KernelChoice>(failure());
          if (failed(inner) || !llvm::is_contained(withEpilogue, inner->kernel))
            return KernelChoice{};
          inner->kernel = "fused_" + inner->kernel;
          return inner;
        }
        // Rotary position embedding reading x through its head transpose with strides.
        if (f.getKind() == "rotary")
          return floatKernel(f, "fused_rotary", /*f16Kernel=*/true);
        // Attention reading and writing the head-transposed layout with strides.
        if (f.getKind() == "attention")
          return floatKernel(f, "fused_attention", /*f16Kernel=*/true);
        return KernelChoice{};
      })
      .Default([](Operation *) { return KernelChoice{}; }); // no kernel name: an op NEON has no kernel for
}

/// Element types the kernels store: f32, f16, i64, i32, bool.
bool storable(Type t) { return t.isF32() || t.isF16() || t.isInteger(64) || t.isInteger(32) || t.isInteger(1); }

/// The integer pipeline's int8 and int16 activations.
bool integerActivation(Type t) { return t.isSignlessInteger(8) || t.isSignlessInteger(16); }

/// Whether `op` may take or give int8 and int16 values: only in the integer pipeline (--neon-activation-type=i8),
/// and only the ops whose kernels take them (the integer ops, the edges, and data movement, which copies bytes).
bool takesIntegerActivations(Operation *op) {
  TargetAttr target = getModuleTarget(op);
  if (!target || !target.getActivationType() || !target.getActivationType().isSignlessInteger(8))
    return false;
  return isa<QuantizeActivationOp, DequantizeActivationOp, IntegerConvOp, IntegerMatMulOp, IntegerAddOp, IntegerMulOp,
             IntegerTableOp, IntegerSinusoidOp, IntegerNormOp, IntegerAttentionOp, ReshapeOp, TransposeOp, SliceOp,
             ConcatOp, SplitOp, ExpandOp, GatherOp>(op);
}

} // namespace

FailureOr<KernelChoice> selectKernel(Operation *op) {
  const bool integerOp = takesIntegerActivations(op);
  for (Type t : llvm::concat<Type>(op->getOperandTypes(), op->getResultTypes())) {
    auto tensor = dyn_cast<RankedTensorType>(t);
    if (!tensor || !tensor.hasStaticShape() ||
        !(storable(tensor.getElementType()) || (integerOp && integerActivation(tensor.getElementType()))))
      return op->emitError("neon: no kernel for '") << op->getName() << "' on " << t
                                                    << " (the NEON kernels take static tensors of f32, f16, i64, "
                                                       "i32, bool, and i8 or i16 in the integer pipeline)";
  }
  for (Value v : op->getOperands())
    if (quantizedWeight(v) && hasF16(op))
      return op->emitError("neon: int8 weights (--quantize) with f16 activations (--neon-precision=f16) are not "
                           "supported yet: use f32");
  FailureOr<KernelChoice> choice = select(op);
  if (failed(choice) && llvm::any_of(op->getOperands(), [](Value v) { return quantizedWeight(v) != nullptr; }))
    return op->emitError("neon: no int8-weight kernel for '")
           << op->getName() << "' on these operands (" << op->getOperandTypes()
           << "); --quantize-skip its ONNX node to keep its weights float";
  if (succeeded(choice) && choice->kernel.empty())
    return op->emitError("neon: '") << op->getName() << "' is not supported by the neon target yet";
  if (failed(choice))
    return op->emitError("neon: no kernel for '")
           << op->getName() << "' on these operand types (" << op->getOperandTypes() << ")";
  return choice;
}

namespace {

// Declared here rather than in a Passes.td: the NEON target has this one pass.
struct SelectKernelsPass : public PassWrapper<SelectKernelsPass, OperationPass<ModuleOp>> {
  MLIR_DEFINE_EXPLICIT_INTERNAL_INLINE_TYPE_ID(SelectKernelsPass)

  StringRef getArgument() const override { return "mote-neon-select-kernels"; }
  StringRef getDescription() const override {
    return "Record on every op the runtime/neon kernel that runs it (mote.kernel) and the packed layout and "
           "size of its weights (mote.packed_layout, mote.packed_bytes, mote.packed_offset)";
  }

  void runOnOperation() override {
    if (failed(selectKernels(getOperation(), selectKernel)))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> createSelectKernelsPass() { return std::make_unique<SelectKernelsPass>(); }
void registerSelectKernelsPass() { PassRegistration<SelectKernelsPass>(); }

} // namespace neon
} // namespace mote
