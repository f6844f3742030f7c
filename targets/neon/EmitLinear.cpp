// NEON op printers: matrix products and convolutions (packed-weight GEMM, 3x3 and Winograd kernels, and the
// portable loops for the other shapes).
#include "targets/neon/ModelEmitter.h"

#include "codegen/WeightValues.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {
namespace {

/// The calibrated scale of a w8a8 layer's activations (mote.lhs_scale), as an f32 literal.
std::string lhsScale(Operation *op) {
  auto scale = op->getAttrOfType<FloatAttr>(kLhsScaleAttrName);
  return floatLiteral(scale ? scale.getValueAsDouble() : 0.0);
}

/// The matmul's call. `owner` holds the packed-weight attributes (the matmul, or the fused region around
/// it); `epilogue` is appended to the packed f32 kernel's arguments (", &ep", or empty).
LogicalResult matmul(ModelEmitter &e, MatMulOp m, const KernelChoice &k, Pointers in, Pointers out,
                     Operation *owner, StringRef epilogue) {
  MatMulGeometry g = matmulGeometry(m);
  SourceWriter &s = e.source();
  StringRef fn = llvm::StringSwitch<StringRef>(k.kernel)
                     .Case("matmul_packed", "matmulPacked")
                     .Case("matmul_packed_f16", "matmulPackedF16")
                     .Case("matmul_packed_w8", "matmulPackedW8")
                     .Case("matmul_packed_w4", "matmulPackedW4")
                     .Case("matmul_packed_w4a8", "matmulPackedW4A8")
                     .Case("matmul_packed_w8a8", "matmulPackedW8A8")
                     .Case("matmul_packed_w8a16", "matmulPackedW8A16")
                     .Default("");
  if (!epilogue.empty() && fn.empty())
    return m.emitError("neon emitter: kernel '") << k.kernel << "' takes no epilogue";
  if (!fn.empty()) {
    FailureOr<std::string> packed = e.packedWeight(owner, k, g.K, g.N);
    if (failed(packed))
      return failure();
    // The w4 and w4a8 kernels take their weights' rows of K per scale after K.
    std::string group;
    if (k.kernel == "matmul_packed_w4" || k.kernel == "matmul_packed_w4a8")
      group = ", " + std::to_string(*cast<DequantizeOp>(quantizedWeight(m.getRhs())).getBlockSize());
    if (k.kernel == "matmul_packed_w8a8" || k.kernel == "matmul_packed_w8a16") // and w8a8's / w8a16's scale
      group = ", " + lhsScale(m);
    e.body() << "  " << fn << "(" << g.batch.size()
             << ", " << s.intTable(g.batch) << ", " << in[0] << ", " << s.intTable(g.lhsBatchStrides) << ", "
             << *packed << ", " << g.M << ", " << g.N << ", " << g.K << group << ", " << out[0] << epilogue << ");\n";
    return success();
  }
  e.body() << "  " << (k.kernel == "matmul_f16" ? "matmulF16" : "matmul") << "(" << g.batch.size() << ", " << s.intTable(g.batch) << ", " << in[0] << ", "
           << s.intTable(g.lhsBatchStrides) << ", " << in[1] << ", " << s.intTable(g.rhsBatchStrides) << ", " << g.M
           << ", " << g.N << ", " << g.K << ", " << out[0] << ");\n";
  return success();
}

LogicalResult gemm(ModelEmitter &e, GemmOp g, const KernelChoice &k, Pointers in, Pointers out) {
  Shape a = shapeOf(g.getA()), o = shapeOf(g.getResult());
  int64_t M = o[0], N = o[1], K = g.getTransA() ? a[0] : a[1];
  if (!k.packedLayout.empty()) { // a linear layer: a 1x1 convolution over M pixels, bias in the epilogue
    FailureOr<std::string> packed = e.packedWeight(g, k, K, N);
    if (failed(packed))
      return failure();
    SourceWriter &s = e.source();
    std::string bias = g.getC() ? in[2] : "nullptr";
    e.body() << "  { Conv2DParams p{1, " << K << ", 1, " << M << ", " << N << ", 1, " << M
             << ", 1, 1, 1, 1, 0, 0, 1, 1, 1};\n    ";
    if (k.kernel == "matmul_packed_w4" || k.kernel == "matmul_packed_w4a8")
      e.body() << "mote::neon::Epilogue ep;\n    ep.bias = " << bias << ";\n    "
               << (k.kernel == "matmul_packed_w4" ? "matmulPackedW4" : "matmulPackedW4A8") << "(0, nullptr, " << in[0]
               << ", nullptr, " << *packed << ", " << M << ", " << N << ", " << K << ", "
               << *cast<DequantizeOp>(quantizedWeight(g.getB())).getBlockSize() << ", " << out[0] << ", &ep); }\n";
    else if (k.kernel == "matmul_packed_w8a8" || k.kernel == "matmul_packed_w8a16")
      e.body() << "mote::neon::Epilogue ep;\n    ep.bias = " << bias << ";\n    "
               << (k.kernel == "matmul_packed_w8a8" ? "matmulPackedW8A8" : "matmulPackedW8A16") << "(0, nullptr, " << in[0]
               << ", nullptr, " << *packed << ", " << M << ", " << N << ", " << K << ", " << lhsScale(g) << ", "
               << out[0] << ", &ep); }\n";
    else if (k.kernel == "conv1x1_packed_f16")
      e.body() << "conv1x1PackedF16(p, " << in[0] << ", " << *packed << ", " << bias << ", " << out[0] << "); }\n";
    else if (k.kernel == "conv2d_taps_w8")
      e.body() << "conv2dPackedW8(p, " << in[0] << ", " << s.intTable({M * K, 1, M * K, K}) << ", " << *packed
               << ", " << bias << ", " << out[0] << ", " << s.intTable({M * N, 1, M * N, N}) << "); }\n";
    else
      e.body() << "conv2dPacked(ConvKernel::Pointwise, p, " << in[0] << ", " << s.intTable({M * K, 1, M * K, K})
               << ", " << *packed << ", " << bias << ", " << out[0] << ", " << s.intTable({M * N, 1, M * N, N})
               << "); }\n";
    return success();
  }
  std::string c = "nullptr";
  int64_t rs = 0, cs = 0;
  if (g.getC()) {
    c = in[2];
    Shape st = broadcastStrides(shapeOf(g.getC()), o);
    rs = st[0];
    cs = st[1];
  }
  e.body() << "  gemm(" << M << ", " << N << ", " << K << ", " << in[0] << ", " << (g.getTransA() ? "true" : "false")
           << ", " << in[1] << ", " << (g.getTransB() ? "true" : "false") << ", "
           << floatLiteral(attrValue(g.getAlpha())) << ", " << floatLiteral(attrValue(g.getBeta())) << ", " << c
           << ", " << rs << ", " << cs << ", " << out[0] << ");\n";
  return success();
}

/// The parameters of convolution `c` as the runtime's Conv2DParams named `name`.
std::string convParams(const ConvGeometry &g, StringRef name) {
  std::string params;
  llvm::raw_string_ostream p(params);
  p << "Conv2DParams " << name << "{" << g.N << ", " << g.C << ", " << g.H << ", " << g.W << ", " << g.M << ", "
    << g.OH << ", " << g.OW << ", " << g.KH << ", " << g.KW << ", " << g.strideH << ", " << g.strideW << ", "
    << g.padTop << ", " << g.padLeft << ", " << g.dilationH << ", " << g.dilationW << ", " << g.group << "};";
  return params;
}

/// Where a convolution's call reads and writes: the names of its Conv2DParams, input and output and their
/// (n, c, h, w) strides, the epilogue argument appended to the f32 kernels' (", &ep", or empty), and the bias
/// when it is not the convolution's own (empty: its own).
struct ConvCallSites {
  std::string params, in, inStrides, out, outStrides, epilogue, bias;
};

/// The call of convolution `c`'s kernel (without indentation or newline); `owner` as for matmul.
FailureOr<std::string> convCall(ModelEmitter &e, ConvOp c, const KernelChoice &k, Pointers in, Operation *owner,
                                const ConvGeometry &g, const ConvCallSites &at) {
  std::string bias = !at.bias.empty() ? at.bias : c.getBias() ? in[2] : "nullptr";
  if (!at.epilogue.empty() && StringRef(k.kernel).ends_with("_f16") && k.kernel != "conv1x1_packed_f16" &&
      k.kernel != "conv3x3_packed_f16" && k.kernel != "conv2d_winograd_f23_f16")
    return c.emitError("neon emitter: kernel '") << k.kernel << "' takes no epilogue";
  std::string call;
  llvm::raw_string_ostream os(call);
  if (k.packedLayout.empty()) {
    os << (k.kernel == "conv2d_f16" ? "conv2dF16" : "conv2d") << "(" << at.params << ", " << at.in << ", "
       << at.inStrides << ", " << in[1] << ", " << bias << ", " << at.out << ", " << at.outStrides << at.epilogue
       << ");";
    return call;
  }
  FailureOr<std::string> packed = e.packedWeight(owner, k, g.C, g.M, g.KH * g.KW);
  if (failed(packed))
    return failure();
  if (k.kernel == "conv2d_taps_w8a8" || k.kernel == "conv2d_taps_w8a16") {
    os << (k.kernel == "conv2d_taps_w8a8" ? "conv2dPackedW8A8" : "conv2dPackedW8A16") << "(" << at.params << ", "
       << at.in << ", " << at.inStrides << ", " << *packed << ", " << lhsScale(c) << ", " << bias << ", " << at.out
       << ", " << at.outStrides << at.epilogue << ");";
    return call;
  }
  if (k.kernel == "conv2d_taps_w8") {
    os << "conv2dPackedW8(" << at.params << ", " << at.in << ", " << at.inStrides << ", " << *packed << ", " << bias
       << ", " << at.out << ", " << at.outStrides << at.epilogue << ");";
    return call;
  }
  if (k.kernel == "conv1x1_packed_f16" || k.kernel == "conv3x3_packed_f16" || k.kernel == "conv2d_winograd_f23_f16") {
    os << (k.kernel == "conv1x1_packed_f16"   ? "conv1x1PackedF16"
           : k.kernel == "conv3x3_packed_f16" ? "conv3x3PackedF16"
                                              : "conv3x3WinogradF16")
       << "(" << at.params << ", " << at.in << ", " << *packed << ", " << bias << ", " << at.out << at.epilogue << ");";
    return call;
  }
  StringRef kind = k.kernel == "conv2d_pointwise"   ? "ConvKernel::Pointwise"
                   : k.kernel == "conv2d_direct3x3" ? "ConvKernel::Direct3x3"
                   : k.kernel == "conv2d_taps"      ? "ConvKernel::Taps"
                                                    : "ConvKernel::Winograd3x3";
  os << "conv2dPacked(" << kind << ", " << at.params << ", " << at.in << ", " << at.inStrides << ", " << *packed
     << ", " << bias << ", " << at.out << ", " << at.outStrides << at.epilogue << ");";
  return call;
}

/// The convolution's call; `owner` and `epilogue` as for matmul (the f32 kernels take an epilogue).
LogicalResult conv(ModelEmitter &e, ConvOp c, const KernelChoice &k, Pointers in, Pointers out, Operation *owner,
                   StringRef epilogue, StringRef bias = "") {
  FailureOr<ConvGeometry> g = convGeometry(c);
  if (failed(g))
    return c.emitError("neon emitter: only 1-D and 2-D convolutions are supported");
  SourceWriter &s = e.source();
  ConvCallSites at{"p",          in[0],          s.intTable(g->inputStrides), out[0], s.intTable(g->outputStrides),
                   epilogue.str(), bias.str()};
  FailureOr<std::string> call = convCall(e, c, k, in, owner, *g, at);
  if (failed(call))
    return failure();
  e.body() << "  { " << convParams(*g, "p") << "\n    " << *call << " }\n";
  return success();
}

/// Convolution `c` with what its region does around it (group_norm_conv, upsample_conv): the region's kernel on
/// bands of output rows (convBands, runtime/neon/ConvBands.cpp) reading `x` through `prologue` (the name of a
/// ConvBandPrologue) and writing its output's statistics through `stats` (the name of a GroupNormStatsEpilogue,
/// or nullptr). `x` is the convolution's input as it is laid out (the same elements in the same order, a group
/// norm's reshape aside), or, with `upsampled`, the NHWC image of that shape it reads upsampled.
LogicalResult convOnBands(ModelEmitter &e, ConvOp c, const KernelChoice &k, Pointers in, StringRef x,
                          std::optional<Shape> upsampled, StringRef output, Operation *owner, StringRef prologue,
                          StringRef stats, StringRef bias) {
  FailureOr<ConvGeometry> g = convGeometry(c);
  if (failed(g))
    return c.emitError("neon emitter: only 1-D and 2-D convolutions are supported");
  Shape xStrides = g->inputStrides;
  if (upsampled) { // (n, c, h, w) strides of the dense [N, H, W, C] source
    const Shape &u = *upsampled;
    xStrides = {u[1] * u[2] * u[3], 1, u[2] * u[3], u[3]};
  }
  // The bands read and write whole rows of dense NHWC pixels.
  const Shape &os = g->outputStrides;
  if (!g->channelsLast || xStrides[1] != 1 || xStrides[3] != g->C || os[1] != 1 || os[3] != g->M ||
      os[2] != g->OW * g->M)
    return c.emitError("neon emitter: a convolution on bands reads and writes dense channels-last rows");
  SourceWriter &s = e.source();
  ConvCallSites band{"bp", "bin", "bis", "bout", "bos", ", bep", bias.str()};
  FailureOr<std::string> call = convCall(e, c, k, in, owner, *g, band);
  if (failed(call))
    return failure();
  e.body() << "    " << convParams(*g, "p") << "\n    convBands(p, " << x << ", " << s.intTable(xStrides) << ", "
           << output << ", " << s.intTable(os) << ", &ep, " << prologue << ", " << stats
           << ", [&](const Conv2DParams &bp, const float *bin, const int64_t *bis, float *bout, const int64_t *bos, "
              "const mote::neon::Epilogue *bep) { "
           << *call << " });\n";
  return success();
}

/// A mote.fused "linear_epilogue" region: the matmul's or convolution's kernel with an Epilogue (Gemm.h; the f16
/// GEMM kernels: EpilogueF16, GemmF16.h) holding the region's bias, residual and activation, applied as each
/// output tile is stored.
LogicalResult linearEpilogue(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  // A layer or RMS norm may lead the region (mote-fuse-linear-epilogue): the matmul reads the norm's input,
  // normalized by the kernel as it packs it (NormPrologue). Or the normalization of a group norm split around
  // convolutions (group_norm_conv), then a SiLU and a reshape keeping pixels and channels: the convolution
  // reads the norm's input, normalized a band of rows at a time (convBands). Or a nearest upsampling by whole
  // factors (upsample_conv), which the convolution reads through, a band of upsampled rows at a time.
  Operation *norm = isa<LayerNormOp, RmsNormOp>(block.front()) ? &block.front() : nullptr;
  auto apply = dyn_cast<GroupNormApplyOp>(block.front());
  auto upsample = dyn_cast<ResizeOp>(block.front());
  Block::iterator at = block.begin();
  Value normalized; // what the linear op reads in place of the norm's (or upsampling's) input
  bool applySilu = false;
  if (norm || apply || upsample) {
    normalized = at->getResult(0);
    ++at;
  }
  if (apply && isa<SiluOp>(*at) && at->getOperand(0) == normalized) {
    applySilu = true;
    normalized = (at++)->getResult(0);
  }
  if (apply && isa<ReshapeOp>(*at) && at->getOperand(0) == normalized)
    normalized = (at++)->getResult(0);
  Operation &linear = *at;
  const bool convPrologue = apply || upsample;
  if (!isa<MatMulOp, ConvOp>(linear) || (norm && !isa<MatMulOp>(linear)) || (convPrologue && !isa<ConvOp>(linear)) ||
      ((norm || convPrologue) && linear.getOperand(0) != normalized))
    return fused.emitError("neon emitter: a linear_epilogue region must start with [a norm and] a matmul or convolution");
  SmallVector<std::string> linearIn;
  for (Value v : linear.getOperands()) {
    Value read = v;
    if (v == normalized)
      read = block.front().getOperand(0);
    std::optional<std::string> p = regionInputPointer(read, in);
    if (!p)
      return linear.emitError("neon emitter: a fused linear op must read the region's inputs");
    linearIn.push_back(*p);
  }
  std::string prologue;
  if (norm) {
    std::optional<std::string> scale = regionInputPointer(norm->getOperand(1), in), bias = std::string("nullptr");
    float eps = 0.0f;
    if (auto ln = dyn_cast<LayerNormOp>(norm)) {
      eps = ln.getEpsilon().convertToFloat();
      if (ln.getBias())
        bias = regionInputPointer(ln.getBias(), in);
    } else {
      eps = cast<RmsNormOp>(norm).getEpsilon().convertToFloat();
    }
    if (!scale || !bias)
      return norm->emitError("neon emitter: a fused norm's scale and bias must be its region's inputs");
    prologue = "    mote::neon::ops::NormPrologue pro;\n    pro.scale = " + *scale + ";\n    pro.bias = " + *bias +
               ";\n    pro.eps = " + floatLiteral(eps) + ";\n    pro.rms = " + (isa<RmsNormOp>(norm) ? "true" : "false") +
               ";\n";
  }
  std::string applyPrologue = "nullptr";
  if (apply) {
    std::optional<std::string> stats = regionInputPointer(apply.getStats(), in),
                               scale = regionInputPointer(apply.getScale(), in),
                               bias = regionInputPointer(apply.getBias(), in);
    if (!stats || !scale || !bias)
      return apply.emitError("neon emitter: a group norm's statistics, scale and bias must be its region's inputs");
    prologue = "    mote::neon::ops::GroupNormPrologue gpro;\n    gpro.stats = " + *stats + ";\n    gpro.scale = " +
               *scale + ";\n    gpro.bias = " + *bias + ";\n    gpro.groups = " +
               std::to_string(apply.getNumGroups()) + ";\n    gpro.silu = " + (applySilu ? "true" : "false") + ";\n";
    applyPrologue = "&gpro";
  }
  // The convolution on bands stages its input through the group norm's normalization or the upsampling.
  std::string bandPrologue;
  if (convPrologue) {
    Shape source = shapeOf(block.front().getOperand(0)), staged = shapeOf(normalized);
    bandPrologue = "    mote::neon::ops::ConvBandPrologue bpro;\n    bpro.norm = " + applyPrologue + ";\n";
    if (upsample) {
      // Source pixel = upsampled pixel / factor: nearest, asymmetric coordinates, floor, whole spatial factors.
      if (upsample.getMode() != "nearest" || upsample.getCoordinateTransformationMode() != "asymmetric" ||
          upsample.getNearestMode() != "floor" || source.size() != 4 || staged.size() != 4 ||
          source[0] != staged[0] || source[3] != staged[3] || staged[1] % source[1] != 0 ||
          staged[2] % source[2] != 0)
        return upsample.emitError("neon emitter: a convolution reads an NHWC upsampling by whole factors only");
      bandPrologue += "    bpro.upsampleH = " + std::to_string(staged[1] / source[1]) + ";\n    bpro.upsampleW = " +
                      std::to_string(staged[2] / source[2]) + ";\n";
    }
    prologue += bandPrologue;
  }
  // The packed weight is the region input kernel selection named (input 1, the op's second operand, unless a
  // group norm's inputs come first), which is where printOp leaves the packed pointer out.
  if (!k.packedLayout.empty() && cast<BlockArgument>(linear.getOperand(1)).getArgNumber() != k.packedOperand)
    return linear.emitError("neon emitter: a fused linear op's weight must be the region input its kernel packs");
  std::string bias = "nullptr", residual = "nullptr", act = "mote::neon::Activation::None", lo = "0.0f", hi = "0.0f";
  Value current = linear.getResult(0);
  GroupNormStatsOp stats; // the statistics of the region's result, which ends it (group_norm_conv)
  std::string columnAdd;  // a broadcast residual's element i, added to the bias
  for (Operation &op : llvm::make_range(std::next(Block::iterator(&linear)), std::prev(block.end()))) {
    if (stats)
      return op.emitError("neon emitter: a group norm's statistics must end a linear epilogue");
    if (auto st = dyn_cast<GroupNormStatsOp>(op)) {
      if (st.getInput() != current || !isa<ConvOp>(linear))
        return op.emitError("neon emitter: a linear epilogue's statistics must be of its convolution's result");
      stats = st;
      continue;
    }
    if (auto add = dyn_cast<AddOp>(op)) {
      Value other = add.getLhs() == current ? add.getRhs() : add.getLhs();
      std::optional<std::string> p = regionInputPointer(other, in);
      if (!p)
        return op.emitError("neon emitter: a fused epilogue's add must read a region input");
      // As mote-fuse-linear-epilogue took them: a matmul's first add of a weight vector of N values is its
      // bias (also when it has the result's shape, [1, N] after a one-row matmul); any other add the residual:
      // of the result's shape, or broadcast along the rows (linear_epilogue_broadcast), one value per column or
      // one value, which is added to the bias the kernel starts its sums from.
      bool isBias = isa<MatMulOp>(linear) && current == linear.getResult(0) && isWeight(other) &&
                    elementCount(other) == shapeOf(current).back();
      const int64_t columns = shapeOf(current).back(), values = elementCount(other);
      if (isBias) {
        bias = *p;
      } else if (values != elementCount(current)) {
        if ((values != columns && values != 1) || !columnAdd.empty())
          return op.emitError("neon emitter: a linear epilogue's broadcast residual must be one value per column");
        columnAdd = *p + (values == 1 ? "[0]" : "[i]");
      } else {
        if (residual != "nullptr")
          return op.emitError("neon emitter: a linear epilogue takes one residual");
        residual = *p;
      }
    } else if (isa<ReluOp>(op)) {
      act = "mote::neon::Activation::Relu";
    } else if (auto clip = dyn_cast<ClipOp>(op)) {
      act = "mote::neon::Activation::Clamp";
      lo = floatLiteral(clip.getMin().convertToDouble());
      hi = floatLiteral(clip.getMax().convertToDouble());
    } else if (isa<SiluOp>(op)) {
      act = "mote::neon::Activation::Silu";
    } else if (auto gelu = dyn_cast<GeluOp>(op)) {
      StringRef form = gelu.getApproximate();
      act = form == "tanh"      ? "mote::neon::Activation::GeluTanh"
            : form == "sigmoid" ? "mote::neon::Activation::GeluSigmoid"
                                : "mote::neon::Activation::GeluErf";
    } else {
      return op.emitError("neon emitter: '") << op.getName() << "' is not part of a linear epilogue";
    }
    current = op.getResult(0);
  }
  // The region's results: its last value, and the statistics when they end it.
  std::string result, statsOut = "nullptr";
  for (auto [i, v] : llvm::enumerate(block.getTerminator()->getOperands())) {
    if (v == current)
      result = out[i];
    else if (stats && v == stats.getResult())
      statsOut = "&gst";
    else
      return fused.emitError("neon emitter: a linear epilogue region yields its last value and its statistics only");
    if (stats && v == stats.getResult())
      prologue += "    mote::neon::ops::GroupNormStatsEpilogue gst;\n    gst.stats = " + out[i] +
                  ";\n    gst.groups = " + std::to_string(stats.getNumGroups()) + ";\n    gst.eps = " +
                  floatLiteral(stats.getEpsilon().convertToFloat()) + ";\n";
  }
  if (result.empty())
    return fused.emitError("neon emitter: a linear epilogue region must yield its last value");
  KernelChoice inner = k;
  inner.kernel = StringRef(k.kernel).drop_front(StringRef("fused_").size()).str();
  bool f16 = StringRef(inner.kernel).ends_with("_f16");
  if (f16 && (norm || apply || upsample || stats || !columnAdd.empty()))
    return fused.emitError("neon emitter: the f16 GEMM kernels take no norm prologue");
  // The bias plus the broadcast residual, per column, computed before the call (N additions, no pass over the
  // output): the matmul's epilogue bias, or the convolution's bias.
  std::string columnBias, columnCode;
  if (!columnAdd.empty()) {
    const int64_t columns = shapeOf(current).back();
    std::string own = bias;
    if (auto c = dyn_cast<ConvOp>(linear))
      own = c.getBias() ? linearIn[2] : "nullptr";
    const std::string n = std::to_string(columns);
    columnCode = "    float cb[" + n + "];\n    for (int64_t i = 0; i < " + n + "; ++i)\n      cb[i] = " +
                 (own == "nullptr" ? std::string("") : own + "[i] + ") + columnAdd + ";\n";
    columnBias = "cb";
    if (isa<MatMulOp>(linear))
      bias = "cb";
  }
  e.body() << "  {\n"
           << columnCode << "    mote::neon::" << (f16 ? "EpilogueF16" : "Epilogue") << " ep;\n    ep.bias = " << bias
           << ";\n    ep.residual = " << residual
           << ";\n    ep.act = " << act << ";\n    ep.clampLo = " << lo << ";\n    ep.clampHi = " << hi << ";\n"
           << prologue;
  SmallVector<std::string> outputs = {result};
  LogicalResult done =
      isa<MatMulOp>(linear)
          ? matmul(e, cast<MatMulOp>(linear), inner, linearIn, outputs, fused, norm ? ", &ep, &pro" : ", &ep")
      : (convPrologue || stats)
          ? convOnBands(e, cast<ConvOp>(linear), inner, linearIn, linearIn[0],
                        upsample ? std::optional<Shape>(shapeOf(upsample.getInput())) : std::nullopt, result, fused,
                        bandPrologue.empty() ? "mote::neon::ops::ConvBandPrologue{}" : "bpro", statsOut, columnBias)
                            : conv(e, cast<ConvOp>(linear), inner, linearIn, outputs, fused, ", &ep", columnBias);
  e.body() << "  }\n";
  return done;
}

} // namespace

std::optional<LogicalResult> emitLinear(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                        Pointers out) {
  using Result = std::optional<LogicalResult>;
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](MatMulOp m) -> Result { return matmul(e, m, k, in, out, m, ""); })
      .Case([&](GemmOp g) -> Result { return gemm(e, g, k, in, out); })
      .Case([&](ConvOp c) -> Result { return conv(e, c, k, in, out, c, ""); })
      .Case([&](FusedOp f) -> Result {
        if (f.getKind() != "linear_epilogue")
          return std::nullopt;
        return linearEpilogue(e, f, k, in, out);
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace neon
} // namespace mote
