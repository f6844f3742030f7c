// NEON op printers: the integer pipeline (`--neon-activation-type=i8` with --quantize=w8a8 or w8a16): the model's
// float inputs quantized and its results dequantized at the edges (runtime/neon/IntegerEdges.cpp), the
// mote.integer_* ops in between by the kernels every integer target shares (runtime/integer/), so that the program
// computes what the reference target computes for the quantized IR, bit for bit. Data movement of int8 and int16
// values is the byte-generic kernels' (EmitDataMovement.cpp).
#include "targets/neon/ModelEmitter.h"

#include "runtime/integer/Attention.h"
#include "runtime/integer/Norm.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {

namespace {

bool isInt16(Value v) { return elementTypeOf(v).isSignlessInteger(16); }

/// `p` as a pointer to `type` (the arena's and weights' pointers are typed by storage: int8 as uint8_t).
std::string as(StringRef type, const std::string &p) { return "reinterpret_cast<" + type.str() + " *>(" + p + ")"; }

/// The C type of an int8 or int16 activation.
StringRef activationType(Value v) { return isInt16(v) ? "int16_t" : "int8_t"; }

} // namespace

std::optional<LogicalResult> emitInteger(ModelEmitter &e, Operation *op, const KernelChoice &k, Pointers in,
                                         Pointers out) {
  using Result = std::optional<LogicalResult>;
  if (!isa<QuantizeActivationOp, DequantizeActivationOp, IntegerConvOp, IntegerMatMulOp, IntegerAddOp, IntegerMulOp,
           IntegerTableOp, IntegerSinusoidOp, IntegerNormOp, IntegerAttentionOp>(op))
    return std::nullopt;
  e.useIntegerKernels();
  auto &body = e.body();
  return TypeSwitch<Operation *, Result>(op)
      .Case([&](QuantizeActivationOp q) -> Result {
        body << "  quantizeActivations(" << elementCount(q.getResult()) << ", " << in[0] << ", "
             << floatLiteral(attrValue(q.getScale())) << ", " << (isInt16(q.getResult()) ? 16 : 8) << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](DequantizeActivationOp d) -> Result {
        body << "  dequantizeActivations(" << elementCount(d.getInput()) << ", " << in[0] << ", "
             << (isInt16(d.getInput()) ? 16 : 8) << ", " << floatLiteral(attrValue(d.getScale())) << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](IntegerConvOp c) -> Result {
        Shape i = shapeOf(c.getInput()), w = shapeOf(c.getWeight()), o = shapeOf(c.getResult());
        ArrayRef<int64_t> s = c.getStrides(), p = c.getPads(), d = c.getDilations();
        if (k.kernel == "integer_conv_i8_sdot" || k.kernel == "integer_conv_i16_smlal") {
          const bool wide = isInt16(c.getInput());
          FailureOr<std::string> packed = e.packedWeight(op, k, w[1], w[0], w[2] * w[3]);
          if (failed(packed))
            return failure();
          body << "  { Conv2DParams p{" << i[0] << ", " << i[3] << ", " << i[1] << ", " << i[2] << ", " << w[0] << ", "
               << o[1] << ", " << o[2] << ", " << w[2] << ", " << w[3] << ", " << s[0] << ", " << s[1] << ", " << p[0]
               << ", " << p[1] << ", " << d[0] << ", " << d[1] << ", 1};\n    integerConv" << (wide ? "I16" : "I8")
               << "(p, " << as(wide ? "const int16_t" : "const int8_t", in[0]) << ", " << *packed << ", " << in[2]
               << ", " << in[3] << ", " << c.getClampMin() << ", " << c.getClampMax() << ", "
               << as(wide ? "int16_t" : "int8_t", out[0]) << "); }\n";
          return success();
        }
        // MoteConv (runtime/integer/Conv.h): dense NHWC pixels, the output's zero point 0.
        std::vector<int64_t> fields = {i[0], i[1], i[2], i[3], i[3], w[2], w[3], s[0],  s[1],  p[0], p[1],
                                       d[0], d[1], o[1], o[2], w[0], w[0], 0,    c.getClampMin(), c.getClampMax()};
        std::string geometry =
            e.source().table("MoteConv", {"{" + llvm::join(llvm::map_range(fields, [](int64_t x) {
                                                              return std::to_string(x);
                                                            }),
                                                            ", ") +
                                              "}"});
        body << "  mote_int_conv(&" << geometry << "[0], " << c.getGroup() << ", " << in[0] << ", "
             << (isInt16(c.getInput()) ? 1 : 0) << ", " << as("const int8_t", in[1]) << ", " << in[2] << ", "
             << in[3] << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](IntegerMatMulOp m) -> Result {
        Shape w = shapeOf(m.getWeight());
        const int64_t K = w[0], N = w[1], rows = K > 0 ? elementCount(m.getLhs()) / K : 0;
        if (k.kernel == "integer_matmul_i8_sdot" || k.kernel == "integer_matmul_i16_smlal") { // 1x1 over `rows` pixels
          const bool wide = isInt16(m.getLhs());
          FailureOr<std::string> packed = e.packedWeight(op, k, K, N);
          if (failed(packed))
            return failure();
          body << "  { Conv2DParams p{1, " << K << ", " << rows << ", 1, " << N << ", " << rows
               << ", 1, 1, 1, 1, 1, 0, 0, 1, 1, 1};\n    integerConv" << (wide ? "I16" : "I8") << "(p, "
               << as(wide ? "const int16_t" : "const int8_t", in[0]) << ", " << *packed << ", " << in[2] << ", "
               << in[3] << ", " << m.getClampMin() << ", " << m.getClampMax() << ", "
               << as(wide ? "int16_t" : "int8_t", out[0]) << "); }\n";
          return success();
        }
        body << "  mote_int_matmul(" << rows << ", " << K << ", " << N << ", " << in[0] << ", "
             << (isInt16(m.getLhs()) ? 1 : 0) << ", " << as("const int8_t", in[1]) << ", " << in[2] << ", " << in[3]
             << ", " << m.getClampMin() << ", " << m.getClampMax() << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](IntegerAddOp a) -> Result {
        StringRef t = activationType(a.getResult());
        body << "  mote_int_add_" << (isInt16(a.getResult()) ? "i16" : "i8") << "(" << as(("const " + t).str(), in[0])
             << ", " << as(("const " + t).str(), in[1]) << ", " << elementCount(a.getResult()) << ", "
             << a.getLhsMultiplier() << ", " << a.getRhsMultiplier() << ", " << a.getShift() << ", "
             << a.getClampMin() << ", " << a.getClampMax() << ", " << as(t, out[0]) << ");\n";
        return success();
      })
      .Case([&](IntegerMulOp m) -> Result {
        StringRef t = activationType(m.getResult());
        body << "  mote_int_mul_" << (isInt16(m.getResult()) ? "i16" : "i8") << "(" << as(("const " + t).str(), in[0])
             << ", " << as(("const " + t).str(), in[1]) << ", " << elementCount(m.getResult()) << ", "
             << m.getMultiplier() << ", " << m.getShift() << ", " << m.getClampMin() << ", " << m.getClampMax()
             << ", " << as(t, out[0]) << ");\n";
        return success();
      })
      .Case([&](IntegerTableOp t) -> Result {
        const bool wide = isInt16(t.getResult());
        if (!isa<DenseElementsAttr>(t.getTable()) ||
            cast<ElementsAttr>(t.getTable()).getNumElements() != (wide ? 513 : 256))
          return t.emitError("neon emitter: an integer table of ") << cast<ElementsAttr>(t.getTable()).getNumElements()
                                                                  << " entries";
        StringRef type = activationType(t.getResult());
        // The entries (an attribute, not an operand) as a table in the program.
        std::vector<std::string> entries;
        for (const APInt &x : cast<DenseElementsAttr>(t.getTable()).getValues<APInt>())
          entries.push_back(std::to_string(x.getSExtValue()));
        std::string table = e.source().table(type, entries);
        if (k.kernel == "integer_table_i8_tbl") {
          body << "  integerTableI8(" << elementCount(t.getResult()) << ", " << as("const int8_t", in[0]) << ", "
               << table << ", " << as("int8_t", out[0]) << ");\n";
          return success();
        }
        body << "  mote_int_table_" << (wide ? "i16" : "i8") << "(" << as(("const " + type).str(), in[0]) << ", "
             << elementCount(t.getResult()) << ", " << table << ", " << as(type, out[0]) << ");\n";
        return success();
      })
      .Case([&](IntegerSinusoidOp sn) -> Result {
        const bool int64Input = elementTypeOf(sn.getInput()).isInteger(64);
        StringRef type = activationType(sn.getResult());
        body << "  mote_int_sinusoid_" << (isInt16(sn.getResult()) ? "i16" : "i8") << "(" << in[0] << ", "
             << (int64Input ? 1 : 0) << ", " << elementCount(sn.getInput()) << ", " << in[1] << ", "
             << shapeOf(sn.getFrequencies())[1] << ", " << sn.getPhaseAttr().getInt() << "u, " << sn.getMultiplier()
             << ", " << sn.getShift() << ", " << sn.getClampMin() << ", " << sn.getClampMax() << ", "
             << as(type, out[0]) << ");\n";
        return success();
      })
      .Case([&](IntegerNormOp n) -> Result {
        std::optional<std::array<int64_t, 4>> view = n.rowView();
        if (!view)
          return n.emitError("neon emitter: the normalized axes are not one or two runs");
        const auto [outer, run1, kept, run2] = *view;
        const bool wide = isInt16(n.getResult());
        std::string scratch = e.scratch(static_cast<int64_t>(mote_int_norm_scratch_bytes(wide, run1, kept, run2)));
        body << "  mote_int_norm(" << in[0] << ", " << (wide ? 1 : 0) << ", " << outer << ", " << run1 << ", " << kept
             << ", " << run2 << ", " << (n.getCenter() ? 1 : 0) << ", " << n.getSquareShift() << ", "
             << n.getEpsilon() << "ull, " << in[1] << ", " << n.getFracBits() << ", " << n.getClampMin() << ", "
             << n.getClampMax() << ", " << scratch << ", " << out[0] << ");\n";
        return success();
      })
      .Case([&](IntegerAttentionOp a) -> Result {
        Shape qs = shapeOf(a.getQuery()), ks = shapeOf(a.getKey()), vs = shapeOf(a.getValue());
        MoteAttention geometry{};
        geometry.sk = static_cast<int>(ks[2]);
        const std::vector<int64_t> fields = {qs[0],
                                             qs[1],
                                             ks[1],
                                             qs[2],
                                             ks[2],
                                             qs[3],
                                             vs[3],
                                             a.getMask() && shapeOf(a.getMask()).size() == 3 ? 1 : 0,
                                             isInt16(a.getResult()) ? 1 : 0,
                                             elementCount(a.getTable()),
                                             a.getLogitMult(),
                                             a.getLogitShift(),
                                             a.getOutMult(),
                                             a.getOutShift(),
                                             a.getClampMin(),
                                             a.getClampMax()};
        std::string table = e.source().table(
            "MoteAttention",
            {"{" + llvm::join(llvm::map_range(fields, [](int64_t x) { return std::to_string(x); }), ", ") + "}"});
        // Operands: query, key, value, the exp table, then the mask when there is one.
        const std::string mask = a.getMask() ? in[4] : std::string("nullptr");
        if (k.kernel == "integer_attention_i8_sdot") {
          body << "  integerAttentionI8(&" << table << "[0], " << as("const int8_t", in[0]) << ", "
               << as("const int8_t", in[1]) << ", " << as("const int8_t", in[2]) << ", " << mask << ", " << in[3]
               << ", " << as("int8_t", out[0]) << ");\n";
          return success();
        }
        std::string scratch = e.scratch(4 * mote_int_attention_scratch_words(&geometry));
        body << "  mote_int_attention(&" << table << "[0], " << in[0] << ", " << in[1] << ", " << in[2] << ", "
             << mask << ", " << in[3] << ", " << as("int32_t", scratch) << ", " << out[0] << ");\n";
        return success();
      })
      .Default([](Operation *) -> Result { return std::nullopt; });
}

} // namespace neon
} // namespace mote
