// NEON op printers: normalizations, softmax and attention (statistics and sums accumulate in f32 or wider).
#include "targets/neon/ModelEmitter.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {

std::optional<LogicalResult> emitNormalization(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                               Pointers out) {
  using Result = std::optional<LogicalResult>;
  // "group_norm_f32" -> groupNorm, "group_norm_f16" -> groupNormF16.
  bool f16 = StringRef(k.kernel).ends_with("_f16");
  auto fn = [&](StringRef base) { return base.str() + (f16 ? "F16" : ""); };
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](GroupNormOp g) -> Result {
        Shape i = shapeOf(g.getInput());
        bool last = g.getChannelsLast();
        int64_t C = last ? i.back() : i[1];
        int64_t spatial = elementCount(g.getInput()) / (i[0] * C);
        e.body() << "  " << fn("groupNorm") << "(" << i[0] << ", " << C << ", " << spatial << ", "
                 << g.getNumGroups() << ", " << floatLiteral(attrValue(g.getEpsilon())) << ", "
                 << (last ? "true" : "false") << ", " << in[0] << ", " << in[1] << ", " << in[2] << ", " << out[0]
                 << ");\n";
        return success();
      })
      .Case([&](LayerNormOp l) -> Result {
        Shape i = shapeOf(l.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(l.getAxis(), i.size()));
        int64_t inner = a.n * a.inner;
        if (elementCount(l.getScale()) != inner || (l.getBias() && elementCount(l.getBias()) != inner))
          return l.emitError("neon emitter: layer_norm scale/bias must have the normalized size");
        e.body() << "  " << fn("layerNorm") << "(" << a.outer << ", " << inner << ", "
                 << floatLiteral(attrValue(l.getEpsilon())) << ", " << in[0] << ", " << in[1] << ", "
                 << (l.getBias() ? in[2] : "nullptr") << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](RmsNormOp l) -> Result {
        Shape i = shapeOf(l.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(l.getAxis(), i.size()));
        int64_t inner = a.n * a.inner;
        if (elementCount(l.getScale()) != inner)
          return l.emitError("neon emitter: rms_norm scale must have the normalized size");
        e.body() << "  " << fn("rmsNorm") << "(" << a.outer << ", " << inner << ", "
                 << floatLiteral(attrValue(l.getEpsilon())) << ", " << in[0] << ", " << in[1] << ", " << out[0]
                 << ");\n";
        return success();
      })
      .Case([&](SoftmaxOp sm) -> Result {
        Shape i = shapeOf(sm.getInput());
        AxisSplit a = splitAtAxis(i, normalizedAxis(sm.getAxis(), i.size()));
        e.body() << "  " << fn("softmax") << "(" << a.outer << ", " << a.n << ", " << a.inner << ", " << in[0]
                 << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](AttentionOp a) -> Result {
        Shape q = shapeOf(a.getQuery()), kk = shapeOf(a.getKey()), v = shapeOf(a.getValue());
        if (q.size() != 4 || kk.size() != 4 || v.size() != 4)
          return a.emitError("neon emitter: attention needs rank-4 [B, H, S, D] operands");
        // The mask's broadcast strides over [B, H, Sq, Sk]; without a mask they are never read.
        std::string mask = a.getMask() ? in[3] : std::string("nullptr");
        std::string ms = e.source().intTable(a.getMask() ? broadcastStrides(shapeOf(a.getMask()), {q[0], q[1], q[2], kk[2]})
                                                         : Shape{0, 0, 0, 0});
        e.body() << "  " << fn("attention") << "(" << q[0] << ", " << q[1] << ", " << kk[1] << ", " << q[2] << ", "
                 << kk[2] << ", " << q[3] << ", " << v[3] << ", " << floatLiteral(attrValue(a.getScale())) << ", "
                 << in[0] << ", " << in[1] << ", " << in[2] << ", " << mask << ", " << ms << ", " << out[0] << ");\n";
        return success();
      })
      .Default([](Operation *) { return std::nullopt; });
}

} // namespace neon
} // namespace mote
