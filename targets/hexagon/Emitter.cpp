// See Emitter.h.
#include "targets/hexagon/Emitter.h"

#include "codegen/PlanFunction.h"
#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"
#include "codegen/WeightsWriter.h"
#include "ir/ConstantBytes.h"
#include "ir/Locations.h"
#include "ir/MoteDialect.h"
#include "runtime/hexagon/Packing.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"


using namespace mlir;

namespace mote::hexagon {
namespace {

constexpr uint32_t kAlignment = 128; // HVX vectors

/// The arena offset of int8 value `v` (its defining op's mote.offset), or nullopt.
std::optional<int64_t> offsetOf(Value v) {
  Operation *def = v.getDefiningOp();
  auto offset = def ? def->getAttrOfType<IntegerAttr>(kOffsetAttrName) : IntegerAttr();
  if (!offset)
    if (auto reshape = dyn_cast_or_null<ReshapeOp>(def)) // a view without an offset of its own: its input's bytes
      return offsetOf(reshape.getInput());
  return offset ? std::optional<int64_t>(offset.getInt()) : std::nullopt;
}

/// The bytes of integer constant `v` (elementBytes each), or nullopt.
std::optional<std::vector<char>> constantValues(Value v, size_t elementBytes) {
  auto c = v.getDefiningOp<ConstantOp>();
  if (!c)
    return std::nullopt;
  return constantBytes(cast<ElementsAttr>(c.getValue()), elementBytes);
}

struct Emission {
  codegen::SourceWriter source;
  WeightsWriter weights;
  int64_t padRowBytes = 4, scratchBytes = 0;

  std::vector<uint64_t> sectionBytes; // the size of each section, in order (the program checks the file's)

  llvm::raw_string_ostream &out() { return source.body(); }

  /// Adds a 128-byte aligned section of `bytes`; its index.
  unsigned addSection(const std::string &name, std::vector<char> bytes, weights::ElementType type) {
    sectionBytes.push_back(bytes.size());
    return weights.addOwnedSection(name, std::move(bytes), type, kAlignment);
  }

  std::string arena(int64_t offset, StringRef type) {
    return "((" + type.str() + " *)(arena + " + std::to_string(offset) + "))";
  }

  /// The packed weights and requantization of a convolution or GEMM as two sections; their indices.
  /// Nullopt when a constant's values are not at hand.
  std::optional<std::pair<unsigned, unsigned>> addLinearSections(Operation *op, Value weight, Value bias, Value requant,
                                                                 int taps, int C, int N, long strideN, long strideC,
                                                                 long strideT) {
    std::optional<std::vector<char>> w = constantValues(weight, 1), b = constantValues(bias, 4),
                                      r = constantValues(requant, 4);
    if (!w || !b || !r)
      return std::nullopt;
    std::vector<char> packed(mote_hvx_packed_weights_bytes(taps, C, N));
    mote_hvx_pack_weights(taps, C, N, reinterpret_cast<const int8_t *>(w->data()), strideN, strideC, strideT,
                          reinterpret_cast<uint8_t *>(packed.data()));
    std::vector<char> params(mote_hvx_packed_requant_words(N) * 4);
    const int32_t *r32 = reinterpret_cast<const int32_t *>(r->data());
    mote_hvx_pack_requant(N, reinterpret_cast<const int32_t *>(b->data()), r32, r32 + N,
                          reinterpret_cast<int32_t *>(params.data()));
    std::string name = describeLocation(op->getLoc());
    unsigned wi = addSection("w" + std::to_string(weights.sectionCount()) + " " + name, std::move(packed),
                             weights::ElementType::Raw);
    unsigned ri = addSection("r" + std::to_string(weights.sectionCount()) + " " + name, std::move(params),
                             weights::ElementType::I32);
    return std::make_pair(wi, ri);
  }

  /// Calls the convolution kernel over `in` (pixels `C` bytes apart; copied `round4(C)` apart into the scratch
  /// buffer first when C is not a multiple of 4).
  void emitConvCall(std::string in, int64_t pixels, int C, const std::string &geometry, std::pair<unsigned, unsigned> s,
                    int64_t outOffset) {
    const int stride = (C + 3) / 4 * 4;
    if (stride != C) {
      scratchBytes = std::max(scratchBytes, pixels * stride);
      out() << "  mote_hexagon_pad_rows_i8(" << in << ", " << pixels << ", " << C << ", " << stride << ", scratch);\n";
      in = "scratch";
    }
    padRowBytes = std::max<int64_t>(padRowBytes, stride);
    out() << "  mote_hvx_conv_i8(&" << geometry << ", " << in << ", pad_row, mote_weights_section(weights, " << s.first
          << "), (const int32_t *)mote_weights_section(weights, " << s.second << "), " << arena(outOffset, "int8_t")
          << ");\n";
  }

  /// A MoteHvxConv; pixels `round4(C)` apart (the HVX kernel reads words), or `C` with `dense`.
  std::string geometryTable(int batch, int H, int W, int C, int KH, int KW, int sh, int sw, int pt, int pl, int dh,
                            int dw, int OH, int OW, int N, int lo, int hi, bool dense = false) {
    const int stride = dense ? C : (C + 3) / 4 * 4;
    std::string init = "{" + llvm::join(std::vector<std::string>{
                                            std::to_string(batch), std::to_string(H), std::to_string(W),
                                            std::to_string(C), std::to_string(stride), std::to_string(KH),
                                            std::to_string(KW), std::to_string(sh), std::to_string(sw),
                                            std::to_string(pt), std::to_string(pl), std::to_string(dh),
                                            std::to_string(dw), std::to_string(OH), std::to_string(OW),
                                            std::to_string(N), std::to_string(N), "0", std::to_string(lo),
                                            std::to_string(hi)},
                                        ", ") +
                       "}";
    return source.table("MoteHvxConv", {init}).append("[0]");
  }

  LogicalResult emitOp(Operation &op) {
    if (isa<ConstantOp, func::ReturnOp>(op) || op.use_empty())
      return success();
    auto needOffset = [&](Value v) -> FailureOr<int64_t> {
      std::optional<int64_t> o = offsetOf(v);
      if (!o)
        return op.emitError("hexagon: no arena offset planned for an operand of this op");
      return *o;
    };
    if (auto q = dyn_cast<QuantizeActivationOp>(op)) {
      auto arg = cast<BlockArgument>(q.getInput());
      FailureOr<int64_t> o = needOffset(q.getResult());
      if (failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  __builtin_memcpy(arena + " << *o << ", inputs[" << arg.getArgNumber() << "], "
            << codegen::elementCount(q.getResult()) << ");\n";
      return success();
    }
    if (auto d = dyn_cast<DequantizeActivationOp>(op)) {
      FailureOr<int64_t> o = needOffset(d.getInput());
      if (failed(o))
        return failure();
      source.commentOp(&op);
      for (OpOperand &use : d->getUses())
        out() << "  __builtin_memcpy(outputs[" << use.getOperandNumber() << "], arena + " << *o << ", "
              << codegen::elementCount(d.getInput()) << ");\n";
      return success();
    }
    if (auto c = dyn_cast<IntegerConvOp>(op)) {
      FailureOr<int64_t> in = needOffset(c.getInput()), o = needOffset(c.getResult());
      if (failed(in) || failed(o))
        return failure();
      auto it = cast<RankedTensorType>(c.getInput().getType()), wt = cast<RankedTensorType>(c.getWeight().getType()),
           ot = cast<RankedTensorType>(c.getType());
      const int C = static_cast<int>(it.getDimSize(3)), N = static_cast<int>(wt.getDimSize(0));
      const int KH = static_cast<int>(wt.getDimSize(2)), KW = static_cast<int>(wt.getDimSize(3));
      ArrayRef<int64_t> s = c.getStrides(), p = c.getPads(), dl = c.getDilations();
      source.commentOp(&op);
      if (c.getGroup() != 1) { // grouped: the weights as the IR holds them, bias / mult / shift one after another
        std::optional<std::vector<char>> w = constantValues(c.getWeight(), 1), b = constantValues(c.getBias(), 4),
                                          r = constantValues(c.getRequant(), 4);
        if (!w || !b || !r)
          return op.emitError("hexagon: the convolution's constants are not at hand");
        std::vector<char> params(*b);
        params.insert(params.end(), r->begin(), r->end());
        const std::string where = describeLocation(op.getLoc());
        unsigned wi = addSection("w" + std::to_string(weights.sectionCount()) + " " + where, std::move(*w),
                                 weights::ElementType::I8);
        unsigned ri = addSection("r" + std::to_string(weights.sectionCount()) + " " + where, std::move(params),
                                 weights::ElementType::I32);
        std::string g = geometryTable(
            static_cast<int>(it.getDimSize(0)), static_cast<int>(it.getDimSize(1)), static_cast<int>(it.getDimSize(2)),
            C, KH, KW, static_cast<int>(s[0]), static_cast<int>(s[1]), static_cast<int>(p[0]), static_cast<int>(p[1]),
            static_cast<int>(dl[0]), static_cast<int>(dl[1]), static_cast<int>(ot.getDimSize(1)),
            static_cast<int>(ot.getDimSize(2)), N, c.getClampMin(), c.getClampMax(), /*dense=*/true);
        out() << "  mote_hexagon_conv_grouped_i8(&" << g << ", " << c.getGroup() << ", " << arena(*in, "const int8_t")
              << ", (const int8_t *)mote_weights_section(weights, " << wi
              << "), (const int32_t *)mote_weights_section(weights, " << ri << "), " << arena(*o, "int8_t") << ");\n";
        return success();
      }
      auto sections = addLinearSections(&op, c.getWeight(), c.getBias(), c.getRequant(), KH * KW, C, N,
                                        static_cast<long>(C) * KH * KW, KH * KW, 1);
      if (!sections)
        return op.emitError("hexagon: the convolution's constants are not at hand");
      std::string g = geometryTable(static_cast<int>(it.getDimSize(0)), static_cast<int>(it.getDimSize(1)),
                                    static_cast<int>(it.getDimSize(2)), C, KH, KW, static_cast<int>(s[0]),
                                    static_cast<int>(s[1]), static_cast<int>(p[0]), static_cast<int>(p[1]),
                                    static_cast<int>(dl[0]), static_cast<int>(dl[1]), static_cast<int>(ot.getDimSize(1)),
                                    static_cast<int>(ot.getDimSize(2)), N, c.getClampMin(), c.getClampMax());
      emitConvCall(arena(*in, "const int8_t"), it.getDimSize(0) * it.getDimSize(1) * it.getDimSize(2), C, g, *sections,
                   *o);
      return success();
    }
    if (auto m = dyn_cast<IntegerMatMulOp>(op)) {
      FailureOr<int64_t> in = needOffset(m.getLhs()), o = needOffset(m.getResult());
      if (failed(in) || failed(o))
        return failure();
      auto wt = cast<RankedTensorType>(m.getWeight().getType());
      const int K = static_cast<int>(wt.getDimSize(0)), N = static_cast<int>(wt.getDimSize(1));
      const int64_t rows = K > 0 ? codegen::elementCount(m.getLhs()) / K : 0;
      source.commentOp(&op);
      auto sections = addLinearSections(&op, m.getWeight(), m.getBias(), m.getRequant(), 1, K, N, 1, N, 0);
      if (!sections)
        return op.emitError("hexagon: the matmul's constants are not at hand");
      std::string g = geometryTable(1, static_cast<int>(rows), 1, K, 1, 1, 1, 1, 0, 0, 1, 1, static_cast<int>(rows), 1,
                                    N, m.getClampMin(), m.getClampMax());
      emitConvCall(arena(*in, "const int8_t"), rows, K, g, *sections, *o);
      return success();
    }
    if (auto a = dyn_cast<IntegerAddOp>(op)) {
      FailureOr<int64_t> l = needOffset(a.getLhs()), r = needOffset(a.getRhs()), o = needOffset(a.getResult());
      if (failed(l) || failed(r) || failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  mote_hexagon_add_i8(" << arena(*l, "const int8_t") << ", " << arena(*r, "const int8_t") << ", "
            << codegen::elementCount(a.getResult()) << ", " << a.getLhsMultiplier() << ", " << a.getRhsMultiplier()
            << ", " << a.getShift() << ", " << a.getClampMin() << ", " << a.getClampMax() << ", "
            << arena(*o, "int8_t") << ");\n";
      return success();
    }
    if (auto t = dyn_cast<IntegerTableOp>(op)) {
      FailureOr<int64_t> in = needOffset(t.getInput()), o = needOffset(t.getResult());
      if (failed(in) || failed(o))
        return failure();
      std::optional<std::vector<char>> table = constantBytes(cast<ElementsAttr>(t.getTable()), 1);
      if (!table || table->size() != 256)
        return op.emitError("hexagon: the table's values are not at hand");
      source.commentOp(&op);
      unsigned index = addSection("t" + std::to_string(weights.sectionCount()) + " " + describeLocation(op.getLoc()),
                                  std::move(*table), weights::ElementType::I8);
      out() << "  mote_hexagon_table_i8(" << arena(*in, "const int8_t") << ", " << codegen::elementCount(t.getResult())
            << ", (const int8_t *)mote_weights_section(weights, " << index << "), " << arena(*o, "int8_t") << ");\n";
      return success();
    }
    if (isa<TransposeOp, ConcatOp>(op)) {
      FailureOr<int64_t> o = needOffset(op.getResult(0));
      if (failed(o))
        return failure();
      SmallVector<codegen::StridedCopy> copies;
      if (auto tr = dyn_cast<TransposeOp>(op))
        copies.push_back(codegen::transposeCopy(tr));
      else
        copies = codegen::concatCopies(cast<ConcatOp>(op));
      source.commentOp(&op);
      for (auto [k, copy] : llvm::enumerate(copies)) {
        FailureOr<int64_t> in = needOffset(op.getOperand(static_cast<unsigned>(k)));
        if (failed(in))
          return failure();
        if (copy.shape.size() > 8)
          return op.emitError("hexagon: a copy of rank ") << copy.shape.size() << " (at most 8)";
        out() << "  mote_hexagon_copy_i8(" << copy.shape.size() << ", " << source.intTable(copy.shape) << ", "
              << arena(*in, "const int8_t") << ", " << copy.inOffset << ", " << source.intTable(copy.inStrides)
              << ", " << arena(*o, "int8_t") << ", " << copy.outOffset << ", " << source.intTable(copy.outStrides)
              << ");\n";
      }
      return success();
    }
    if (auto r = dyn_cast<ReshapeOp>(op)) {
      if (!r->hasAttr(kOffsetAttrName))
        return success(); // a view of its input's bytes
      FailureOr<int64_t> in = needOffset(r.getInput()), o = needOffset(r.getResult());
      if (failed(in) || failed(o))
        return failure();
      if (*in != *o) {
        source.commentOp(&op);
        out() << "  __builtin_memmove(arena + " << *o << ", arena + " << *in << ", "
              << codegen::elementCount(r.getResult()) << ");\n";
      }
      return success();
    }
    return op.emitError("hexagon: no kernel for ") << op.getName();
  }
};

} // namespace

FailureOr<EdgeScales> edgeScales(func::FuncOp func) {
  EdgeScales scales;
  for (BlockArgument arg : func.getArguments()) {
    QuantizeActivationOp q;
    for (Operation *user : arg.getUsers())
      if (auto qa = dyn_cast<QuantizeActivationOp>(user); qa && !q)
        q = qa;
      else
        return func.emitError("hexagon: input ") << arg.getArgNumber()
               << " is read by other ops than one mote.quantize_activation; the program takes int8 inputs";
    scales.inputs.push_back(q ? static_cast<float>(q.getScale().convertToDouble()) : 1.0f);
  }
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Value v : ret.getOperands()) {
    auto d = v.getDefiningOp<DequantizeActivationOp>();
    if (!d)
      return func.emitError("hexagon: output is not a mote.dequantize_activation (compile with --quantize=w8a8 "
                            "--calibration=DIR); the program returns int8 outputs");
    scales.outputs.push_back(static_cast<float>(d.getScale().convertToDouble()));
  }
  return scales;
}

LogicalResult emitArtifact(func::FuncOp func, StringRef dir, StringRef name) {
  FailureOr<EdgeScales> scales = edgeScales(func);
  if (failed(scales))
    return failure();
  auto arena = func->getAttrOfType<IntegerAttr>(kArenaBytesAttrName);
  if (!arena)
    return func.emitError("hexagon: the function has no memory plan (planned phase)");
  Emission e;
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Operation &op : func.getBody().front())
    if (failed(e.emitOp(op)))
      return failure();

  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return func.emitError("hexagon: cannot create ") << dir << ": " << ec.message();
  SmallString<256> weightsPath(dir);
  llvm::sys::path::append(weightsPath, name + ".weights");
  if (llvm::Error error = e.weights.write(weightsPath, "hexagon"))
    return func.emitError("hexagon: cannot write ") << weightsPath << ": " << llvm::toString(std::move(error));
  uint64_t weightsBytes = 0;
  if (std::error_code ec = llvm::sys::fs::file_size(weightsPath, weightsBytes))
    return func.emitError("hexagon: cannot read back ") << weightsPath << ": " << ec.message();

  const std::string N = name.str(), U = name.upper();
  auto bytesOf = [](Type t) { return cast<RankedTensorType>(t).getNumElements(); };
  std::vector<std::string> inBytes, outBytes, inScales, outScales, inNames, outNames;
  int64_t inTotal = 0, outTotal = 0;
  for (BlockArgument arg : func.getArguments()) {
    inBytes.push_back(std::to_string(bytesOf(arg.getType())));
    inTotal += bytesOf(arg.getType());
    inScales.push_back(codegen::floatLiteral(scales->inputs[arg.getArgNumber()]));
    auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "mote.name");
    inNames.push_back("\"" + codegen::escapeForC(n ? n.getValue() : "input_" + std::to_string(arg.getArgNumber())) + "\"");
  }
  for (unsigned k = 0; k < ret.getNumOperands(); ++k) {
    outBytes.push_back(std::to_string(bytesOf(ret.getOperand(k).getType())));
    outTotal += bytesOf(ret.getOperand(k).getType());
    outScales.push_back(codegen::floatLiteral(scales->outputs[k]));
    auto n = func.getResultAttrOfType<StringAttr>(k, "mote.name");
    outNames.push_back("\"" + codegen::escapeForC(n ? n.getValue() : "output_" + std::to_string(k)) + "\"");
  }
  std::string header;
  llvm::raw_string_ostream h(header);
  h << "// Generated by motec for target hexagon. Do not edit.\n"
    << "// The model in integers: int8 inputs and outputs, each with its scale (input: q = clamp(round_half_even(x /\n"
    << "// scale), -127, 127); output: x = q * scale). " << N << "_run needs the checked weights file in memory and an\n"
    << "// arena of " << U << "_ARENA_BYTES, both 128-byte aligned.\n"
    << "#ifndef " << U << "_H\n#define " << U << "_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#define " << U << "_ARENA_BYTES " << arena.getInt() << "\n"
    << "#define " << U << "_WEIGHTS_BYTES " << weightsBytes << "\n"
    << "#define " << U << "_SECTIONS " << e.weights.sectionCount() << "\n"
    << "#define " << U << "_NUM_INPUTS " << inBytes.size() << "\n"
    << "#define " << U << "_NUM_OUTPUTS " << outBytes.size() << "\n"
    << "#define " << U << "_INPUT_BYTES " << inTotal << "\n"
    << "#define " << U << "_OUTPUT_BYTES " << outTotal << "\n\n"
    << "static const long " << N << "_input_bytes[] = {" << llvm::join(inBytes, ", ") << "};\n"
    << "static const long " << N << "_output_bytes[] = {" << llvm::join(outBytes, ", ") << "};\n"
    << "static const float " << N << "_input_scales[] = {" << llvm::join(inScales, ", ") << "};\n"
    << "static const float " << N << "_output_scales[] = {" << llvm::join(outScales, ", ") << "};\n"
    << "static const char *const " << N << "_input_names[] = {" << llvm::join(inNames, ", ") << "};\n"
    << "static const char *const " << N << "_output_names[] = {" << llvm::join(outNames, ", ") << "};\n\n"
    << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n"
    << "int " << N << "_check_weights(const uint8_t *weights, size_t bytes);\n"
    << "const char *" << N << "_error(int status);\n"
    << "void " << N << "_run(const uint8_t *weights, uint8_t *arena, const int8_t *const *inputs, int8_t *const *outputs);\n"
    << "#ifdef __cplusplus\n}\n#endif\n\n#endif // " << U << "_H\n";

  std::string code;
  llvm::raw_string_ostream c(code);
  c << "// Generated by motec for target hexagon. Do not edit.\n"
    << "#include \"" << N << ".h\"\n\n"
    << "#include \"runtime/hexagon/ConvGroupedI8.h\"\n#include \"runtime/hexagon/ConvI8.h\"\n#include \"runtime/hexagon/ElementwiseI8.h\"\n"
    << "#include \"runtime/hexagon/Weights.h\"\n\n"
    << "static const int8_t pad_row[" << e.padRowBytes << "] __attribute__((aligned(128), unused)); // zero\n"
    << "static int8_t scratch[" << std::max<int64_t>(e.scratchBytes, 4)
    << "] __attribute__((aligned(128), unused)); // inputs of convolutions whose channels are not a multiple of 4\n"
    << e.source.declarations() << "\n"
    << "static const uint64_t section_bytes[" << std::max<size_t>(e.sectionBytes.size(), 1) << "] = {"
    << (e.sectionBytes.empty() ? std::string("0")
                               : llvm::join(llvm::map_range(e.sectionBytes, [](uint64_t b) { return std::to_string(b); }),
                                            ", "))
    << "};\n\n"
    << "int " << N << "_check_weights(const uint8_t *weights, size_t bytes) {\n"
    << "  return mote_weights_check(weights, bytes, \"hexagon\", " << U << "_SECTIONS, section_bytes);\n}\n\n"
    << "const char *" << N << "_error(int status) { return mote_weights_error(status); }\n\n"
    << "void " << N << "_run(const uint8_t *weights, uint8_t *arena, const int8_t *const *inputs, int8_t *const *outputs) {\n"
    << e.source.bodyText() << "}\n";
  if (failed(codegen::writeSourceFile(func, dir, N + ".h", header)) ||
      failed(codegen::writeSourceFile(func, dir, N + ".c", code)))
    return failure();
  return success();
}

} // namespace mote::hexagon
