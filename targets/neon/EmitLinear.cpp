// NEON op printers: matrix products and convolutions (packed-weight GEMM, 3x3 and Winograd kernels, and the
// portable loops for the other shapes).
#include "targets/neon/ModelEmitter.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {
namespace {

LogicalResult matmul(ModelEmitter &e, MatMulOp m, const KernelChoice &k, Pointers in, Pointers out) {
  MatMulGeometry g = matmulGeometry(m);
  SourceWriter &s = e.source();
  if (k.kernel == "matmul_packed" || k.kernel == "matmul_packed_f16") {
    FailureOr<std::string> packed = e.packedWeight(m, k, g.K, g.N);
    if (failed(packed))
      return failure();
    e.body() << "  " << (k.kernel == "matmul_packed" ? "matmulPacked" : "matmulPackedF16") << "(" << g.batch.size()
             << ", " << s.intTable(g.batch) << ", " << in[0] << ", " << s.intTable(g.lhsBatchStrides) << ", "
             << *packed << ", " << g.M << ", " << g.N << ", " << g.K << ", " << out[0] << ");\n";
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
    if (k.kernel == "conv1x1_packed_f16")
      e.body() << "conv1x1PackedF16(p, " << in[0] << ", " << *packed << ", " << bias << ", " << out[0] << "); }\n";
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

LogicalResult conv(ModelEmitter &e, ConvOp c, const KernelChoice &k, Pointers in, Pointers out) {
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
  if (k.packedLayout.empty()) {
    e.body() << "  { " << params << "\n    " << (k.kernel == "conv2d_f16" ? "conv2dF16" : "conv2d") << "(p, " << in[0] << ", " << s.intTable(g->inputStrides) << ", "
             << in[1] << ", " << bias << ", " << out[0] << ", " << s.intTable(g->outputStrides) << "); }\n";
    return success();
  }
  FailureOr<std::string> packed = e.packedWeight(c, k, g->C, g->M);
  if (failed(packed))
    return failure();
  if (k.kernel == "conv1x1_packed_f16" || k.kernel == "conv3x3_packed_f16") {
    e.body() << "  { " << params << "\n    " << (k.kernel == "conv1x1_packed_f16" ? "conv1x1PackedF16" : "conv3x3PackedF16")
             << "(p, " << in[0] << ", " << *packed << ", " << bias << ", "
             << out[0] << "); }\n";
    return success();
  }
  StringRef kind = k.kernel == "conv2d_pointwise"   ? "ConvKernel::Pointwise"
                   : k.kernel == "conv2d_direct3x3" ? "ConvKernel::Direct3x3"
                                                    : "ConvKernel::Winograd3x3";
  e.body() << "  { " << params << "\n    conv2dPacked(" << kind << ", p, " << in[0] << ", "
           << s.intTable(g->inputStrides) << ", " << *packed << ", " << bias << ", " << out[0] << ", "
           << s.intTable(g->outputStrides) << "); }\n";
  return success();
}

} // namespace

std::optional<LogicalResult> emitLinear(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                        Pointers out) {
  using Result = std::optional<LogicalResult>;
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](MatMulOp m) -> Result { return matmul(e, m, k, in, out); })
      .Case([&](GemmOp g) -> Result { return gemm(e, g, k, in, out); })
      .Case([&](ConvOp c) -> Result { return conv(e, c, k, in, out); })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace neon
} // namespace mote
