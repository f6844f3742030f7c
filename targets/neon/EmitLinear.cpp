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

/// The convolution's call; `owner` and `epilogue` as for matmul (the f32 kernels take an epilogue).
LogicalResult conv(ModelEmitter &e, ConvOp c, const KernelChoice &k, Pointers in, Pointers out, Operation *owner,
                   StringRef epilogue) {
  FailureOr<ConvGeometry> g = convGeometry(c);
  if (failed(g))
    return c.emitError("neon emitter: only 1-D and 2-D convolutions are supported");
  SourceWriter &s = e.source();
  std::string params;
  llvm::raw_string_ostream p(params);
  p << "Conv2DParams p{" << g->N << ", " << g->C << ", " << g->H << ", " << g->W << ", " << g->M << ", " << g->OH
    << ", " << g->OW << ", " << g->KH << ", " << g->KW << ", " << g->strideH << ", " << g->strideW << ", "
    << g->padTop << ", " << g->padLeft << ", " << g->dilationH << ", " << g->dilationW << ", " << g->group << "};";
  std::string bias = c.getBias() ? in[2] : "nullptr";
  if (!epilogue.empty() && StringRef(k.kernel).ends_with("_f16") && k.kernel != "conv1x1_packed_f16" &&
      k.kernel != "conv3x3_packed_f16")
    return c.emitError("neon emitter: kernel '") << k.kernel << "' takes no epilogue";
  if (k.packedLayout.empty()) {
    e.body() << "  { " << params << "\n    " << (k.kernel == "conv2d_f16" ? "conv2dF16" : "conv2d") << "(p, " << in[0] << ", " << s.intTable(g->inputStrides) << ", "
             << in[1] << ", " << bias << ", " << out[0] << ", " << s.intTable(g->outputStrides) << epilogue
             << "); }\n";
    return success();
  }
  FailureOr<std::string> packed = e.packedWeight(owner, k, g->C, g->M, g->KH * g->KW);
  if (failed(packed))
    return failure();
  if (k.kernel == "conv2d_taps_w8a8" || k.kernel == "conv2d_taps_w8a16") {
    e.body() << "  { " << params << "\n    "
             << (k.kernel == "conv2d_taps_w8a8" ? "conv2dPackedW8A8" : "conv2dPackedW8A16") << "(p, " << in[0] << ", " << s.intTable(g->inputStrides) << ", "
             << *packed << ", " << lhsScale(c) << ", " << bias << ", " << out[0] << ", " << s.intTable(g->outputStrides)
             << epilogue << "); }\n";
    return success();
  }
  if (k.kernel == "conv2d_taps_w8") {
    e.body() << "  { " << params << "\n    conv2dPackedW8(p, " << in[0] << ", " << s.intTable(g->inputStrides) << ", "
             << *packed << ", " << bias << ", " << out[0] << ", " << s.intTable(g->outputStrides) << epilogue
             << "); }\n";
    return success();
  }
  if (k.kernel == "conv1x1_packed_f16" || k.kernel == "conv3x3_packed_f16") {
    e.body() << "  { " << params << "\n    " << (k.kernel == "conv1x1_packed_f16" ? "conv1x1PackedF16" : "conv3x3PackedF16")
             << "(p, " << in[0] << ", " << *packed << ", " << bias << ", "
             << out[0] << epilogue << "); }\n";
    return success();
  }
  StringRef kind = k.kernel == "conv2d_pointwise"   ? "ConvKernel::Pointwise"
                   : k.kernel == "conv2d_direct3x3" ? "ConvKernel::Direct3x3"
                   : k.kernel == "conv2d_taps"      ? "ConvKernel::Taps"
                                                    : "ConvKernel::Winograd3x3";
  e.body() << "  { " << params << "\n    conv2dPacked(" << kind << ", p, " << in[0] << ", "
           << s.intTable(g->inputStrides) << ", " << *packed << ", " << bias << ", " << out[0] << ", "
           << s.intTable(g->outputStrides) << epilogue << "); }\n";
  return success();
}

/// A mote.fused "linear_epilogue" region: the matmul's or convolution's kernel with an Epilogue (Gemm.h; the f16
/// GEMM kernels: EpilogueF16, GemmF16.h) holding the region's bias, residual and activation, applied as each
/// output tile is stored.
LogicalResult linearEpilogue(ModelEmitter &e, FusedOp fused, const KernelChoice &k, Pointers in, Pointers out) {
  Block &block = fused.getBlock();
  // A layer or RMS norm may lead the region (mote-fuse-linear-epilogue): the matmul reads the norm's input,
  // normalized by the kernel as it packs it (NormPrologue).
  Operation *norm = isa<LayerNormOp, RmsNormOp>(block.front()) ? &block.front() : nullptr;
  Operation &linear = norm ? *std::next(block.begin()) : block.front();
  if (!isa<MatMulOp, ConvOp>(linear) || (norm && (!isa<MatMulOp>(linear) || linear.getOperand(0) != norm->getResult(0))))
    return fused.emitError("neon emitter: a linear_epilogue region must start with [a norm and] a matmul or convolution");
  SmallVector<std::string> linearIn;
  for (Value v : linear.getOperands()) {
    std::optional<std::string> p = regionInputPointer(norm && v == norm->getResult(0) ? norm->getOperand(0) : v, in);
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
  // The packed weight is the region's input 1 (the op's second operand, the first the region reads after
  // its activation input), which is where printOp leaves the packed pointer out.
  if (!k.packedLayout.empty() && cast<BlockArgument>(linear.getOperand(1)).getArgNumber() != 1)
    return linear.emitError("neon emitter: a fused linear op's weight must be its region's input 1");
  std::string bias = "nullptr", residual = "nullptr", act = "mote::neon::Activation::None", lo = "0.0f", hi = "0.0f";
  Value current = linear.getResult(0);
  for (Operation &op : llvm::make_range(std::next(Block::iterator(&linear)), std::prev(block.end()))) {
    if (auto add = dyn_cast<AddOp>(op)) {
      Value other = add.getLhs() == current ? add.getRhs() : add.getLhs();
      std::optional<std::string> p = regionInputPointer(other, in);
      if (!p)
        return op.emitError("neon emitter: a fused epilogue's add must read a region input");
      // As mote-fuse-linear-epilogue took them: a matmul's first add of a weight vector of N values is its
      // bias (also when it has the result's shape, [1, N] after a one-row matmul); any other add the residual.
      bool isBias = isa<MatMulOp>(linear) && current == linear.getResult(0) && isWeight(other) &&
                    elementCount(other) == shapeOf(current).back();
      if (!isBias && residual != "nullptr")
        return op.emitError("neon emitter: a linear epilogue takes one residual");
      (isBias ? bias : residual) = *p;
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
  KernelChoice inner = k;
  inner.kernel = StringRef(k.kernel).drop_front(StringRef("fused_").size()).str();
  bool f16 = StringRef(inner.kernel).ends_with("_f16");
  if (f16 && norm)
    return fused.emitError("neon emitter: the f16 GEMM kernels take no norm prologue");
  e.body() << "  {\n    mote::neon::" << (f16 ? "EpilogueF16" : "Epilogue") << " ep;\n    ep.bias = " << bias << ";\n    ep.residual = " << residual
           << ";\n    ep.act = " << act << ";\n    ep.clampLo = " << lo << ";\n    ep.clampHi = " << hi << ";\n"
           << prologue;
  LogicalResult done = isa<MatMulOp>(linear) ? matmul(e, cast<MatMulOp>(linear), inner, linearIn, out, fused,
                                                      norm ? ", &ep, &pro" : ", &ep")
                                             : conv(e, cast<ConvOp>(linear), inner, linearIn, out, fused, ", &ep");
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
