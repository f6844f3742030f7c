// See Emitter.h.
#include "targets/hexagon/Emitter.h"

#include "codegen/PlanFunction.h"
#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"
#include "codegen/WeightsWriter.h"
#include "ir/ConstantBytes.h"
#include "ir/Locations.h"
#include "ir/MoteDialect.h"
#include "runtime/hexagon/Attention.h"
#include "runtime/hexagon/ConvI16.h"
#include "runtime/integer/Norm.h"
#include "runtime/hexagon/Packing.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"


using namespace mlir;

namespace mote::hexagon {
namespace {

constexpr uint32_t kAlignment = 128; // HVX vectors

/// Bytes of one element of `v`'s tensor: 1 for int8 activations, 2 for int16 (w8a16).
int64_t elementBytesOf(Value v) { return codegen::elementBytes(cast<RankedTensorType>(v.getType()).getElementType()); }

/// Whether `v` holds int16 activations.
bool isInt16(Value v) { return cast<RankedTensorType>(v.getType()).getElementType().isSignlessInteger(16); }

/// The arena offset of integer value `v` (its defining op's mote.offset), or nullopt.
std::optional<int64_t> offsetOf(Value v) {
  Operation *def = v.getDefiningOp();
  if (def && def->getNumResults() > 1) { // a split: one offset per result
    auto offsets = def->getAttrOfType<DenseI64ArrayAttr>(kOffsetsAttrName);
    const unsigned k = cast<OpResult>(v).getResultNumber();
    return offsets && k < offsets.size() ? std::optional<int64_t>(offsets[k]) : std::nullopt;
  }
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
  int64_t padRowBytes = 4, scratchBytes = 0, scratchWords = 1;

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

  llvm::DenseMap<Operation *, unsigned> constantSections; // each constant operand's section, added once

  /// A C expression of type `type *` for the values of operand `v` of `op`: a model input (integer inputs are
  /// read where the caller keeps them), a constant (a weights section), or the arena at its planned offset.
  FailureOr<std::string> pointer(Operation &op, Value v, StringRef type) {
    if (auto arg = dyn_cast<BlockArgument>(v))
      return "((" + type.str() + " *)inputs[" + std::to_string(arg.getArgNumber()) + "])";
    if (auto c = v.getDefiningOp<ConstantOp>()) {
      auto [it, added] = constantSections.try_emplace(c, 0);
      if (added) {
        const int64_t bytes = codegen::elementBytes(cast<RankedTensorType>(v.getType()).getElementType());
        std::optional<std::vector<char>> values = constantValues(v, static_cast<size_t>(bytes));
        if (!values)
          return op.emitError("hexagon: the values of a constant operand are not at hand");
        it->second = addSection("c" + std::to_string(weights.sectionCount()) + " " + describeLocation(c.getLoc()),
                                std::move(*values), bytes == 4 ? weights::ElementType::I32 : weights::ElementType::Raw);
      }
      return "((" + type.str() + " *)mote_weights_section(weights, " + std::to_string(it->second) + "))";
    }
    std::optional<int64_t> o = offsetOf(v);
    if (!o)
      return op.emitError("hexagon: no arena offset planned for an operand of this op");
    return arena(*o, type);
  }

  /// The packed weights and requantization of a convolution or GEMM as two sections; their indices.
  /// Nullopt when a constant's values are not at hand.
  /// `rawParams` (int16 layers, whose epilogue is C): bias, multipliers and shifts one after another instead.
  std::optional<std::pair<unsigned, unsigned>> addLinearSections(Operation *op, Value weight, Value bias, Value requant,
                                                                 int taps, int C, int N, long strideN, long strideC,
                                                                 long strideT, bool rawParams = false) {
    std::optional<std::vector<char>> w = constantValues(weight, 1), b = constantValues(bias, 4),
                                      r = constantValues(requant, 4);
    if (!w || !b || !r)
      return std::nullopt;
    std::vector<char> packed(mote_hvx_packed_weights_bytes(taps, C, N));
    mote_hvx_pack_weights(taps, C, N, reinterpret_cast<const int8_t *>(w->data()), strideN, strideC, strideT,
                          reinterpret_cast<uint8_t *>(packed.data()));
    std::vector<char> params;
    if (rawParams) {
      params = *b;
      params.insert(params.end(), r->begin(), r->end());
    } else {
      params.resize(mote_hvx_packed_requant_words(N) * 4);
      const int32_t *r32 = reinterpret_cast<const int32_t *>(r->data());
      mote_hvx_pack_requant(N, reinterpret_cast<const int32_t *>(b->data()), r32, r32 + N,
                            reinterpret_cast<int32_t *>(params.data()));
    }
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

  /// The int16 convolution kernel over `in` (pixels `C` elements apart; copied `round4(C)` apart into the scratch
  /// buffer first when C is not a multiple of 4), its own scratch after that copy.
  void emitConvI16Call(std::string in, int64_t pixels, int C, const MoteConv &g, const std::string &geometry,
                       std::pair<unsigned, unsigned> s, int64_t outOffset) {
    const int stride = (C + 3) / 4 * 4;
    int64_t at = 0;
    if (stride != C) {
      at = (pixels * stride * 2 + 127) / 128 * 128;
      out() << "  mote_hexagon_pad_rows_i8((const int8_t *)" << in << ", " << pixels << ", " << 2 * C << ", "
            << 2 * stride << ", scratch);\n";
      in = "(const int16_t *)scratch";
    }
    scratchBytes = std::max<int64_t>(scratchBytes, at + static_cast<int64_t>(mote_hexagon_conv_i16_scratch_bytes(&g)));
    out() << "  mote_hexagon_conv_i16(&" << geometry << ", " << in << ", mote_weights_section(weights, " << s.first
          << "), (const int32_t *)mote_weights_section(weights, " << s.second << "), (uint8_t *)scratch + " << at
          << ", " << arena(outOffset, "int16_t") << ");\n";
  }

  /// A MoteConv; pixels `round4(C)` apart (the HVX kernel reads words), or `C` with `dense`.
  std::string geometryTable(int batch, int H, int W, int C, int KH, int KW, int sh, int sw, int pt, int pl, int dh,
                            int dw, int OH, int OW, int N, int lo, int hi, bool dense = false,
                            MoteConv *values = nullptr) {
    const int stride = dense ? C : (C + 3) / 4 * 4;
    if (values)
      *values = MoteConv{batch, H, W, C, stride, KH, KW, sh, sw, pt, pl, dh, dw, OH, OW, N, N, 0, lo, hi};
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
    return source.table("MoteConv", {init}).append("[0]");
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
            << codegen::elementCount(q.getResult()) * elementBytesOf(q.getResult()) << ");\n";
      return success();
    }
    if (auto d = dyn_cast<DequantizeActivationOp>(op)) {
      FailureOr<int64_t> o = needOffset(d.getInput());
      if (failed(o))
        return failure();
      source.commentOp(&op);
      for (OpOperand &use : d->getUses())
        out() << "  __builtin_memcpy(outputs[" << use.getOperandNumber() << "], arena + " << *o << ", "
              << codegen::elementCount(d.getInput()) * elementBytesOf(d.getInput()) << ");\n";
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
      if (c.getGroup() != 1) { // grouped: the weights as the IR holds them, bias then mult and shift in one section
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
        const bool wide = isInt16(c.getResult());
        out() << "  mote_int_conv(&" << g << ", " << c.getGroup() << ", " << arena(*in, "const void") << ", "
              << (wide ? 1 : 0) << ", (const int8_t *)mote_weights_section(weights, " << wi
              << "), (const int32_t *)mote_weights_section(weights, " << ri
              << "), (const int32_t *)mote_weights_section(weights, " << ri << ") + " << N << ", " << arena(*o, "void")
              << ");\n";
        return success();
      }
      const bool wide = isInt16(c.getResult());
      auto sections = addLinearSections(&op, c.getWeight(), c.getBias(), c.getRequant(), KH * KW, C, N,
                                        static_cast<long>(C) * KH * KW, KH * KW, 1, /*rawParams=*/wide);
      if (!sections)
        return op.emitError("hexagon: the convolution's constants are not at hand");
      MoteConv values;
      std::string g = geometryTable(static_cast<int>(it.getDimSize(0)), static_cast<int>(it.getDimSize(1)),
                                    static_cast<int>(it.getDimSize(2)), C, KH, KW, static_cast<int>(s[0]),
                                    static_cast<int>(s[1]), static_cast<int>(p[0]), static_cast<int>(p[1]),
                                    static_cast<int>(dl[0]), static_cast<int>(dl[1]), static_cast<int>(ot.getDimSize(1)),
                                    static_cast<int>(ot.getDimSize(2)), N, c.getClampMin(), c.getClampMax(),
                                    /*dense=*/false, &values);
      const int64_t pixels = it.getDimSize(0) * it.getDimSize(1) * it.getDimSize(2);
      if (wide)
        emitConvI16Call(arena(*in, "const int16_t"), pixels, C, values, g, *sections, *o);
      else
        emitConvCall(arena(*in, "const int8_t"), pixels, C, g, *sections, *o);
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
      const bool wide = isInt16(m.getResult());
      auto sections = addLinearSections(&op, m.getWeight(), m.getBias(), m.getRequant(), 1, K, N, 1, N, 0, wide);
      if (!sections)
        return op.emitError("hexagon: the matmul's constants are not at hand");
      MoteConv values;
      std::string g = geometryTable(1, static_cast<int>(rows), 1, K, 1, 1, 1, 1, 0, 0, 1, 1, static_cast<int>(rows), 1,
                                    N, m.getClampMin(), m.getClampMax(), /*dense=*/false, &values);
      if (wide)
        emitConvI16Call(arena(*in, "const int16_t"), rows, K, values, g, *sections, *o);
      else
        emitConvCall(arena(*in, "const int8_t"), rows, K, g, *sections, *o);
      return success();
    }
    if (auto a = dyn_cast<IntegerAddOp>(op)) {
      const std::string t = isInt16(a.getResult()) ? "int16_t" : "int8_t", k = isInt16(a.getResult()) ? "i16" : "i8";
      FailureOr<std::string> l = pointer(op, a.getLhs(), "const " + t), r = pointer(op, a.getRhs(), "const " + t);
      FailureOr<int64_t> o = needOffset(a.getResult());
      if (failed(l) || failed(r) || failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  mote_int_add_" << k << "(" << *l << ", " << *r << ", "
            << codegen::elementCount(a.getResult()) << ", " << a.getLhsMultiplier() << ", " << a.getRhsMultiplier()
            << ", " << a.getShift() << ", " << a.getClampMin() << ", " << a.getClampMax() << ", "
            << arena(*o, t) << ");\n";
      return success();
    }
    if (auto t = dyn_cast<IntegerTableOp>(op)) {
      const bool wide = isInt16(t.getResult());
      const std::string type = wide ? "int16_t" : "int8_t";
      FailureOr<std::string> in = pointer(op, t.getInput(), "const " + type);
      FailureOr<int64_t> o = needOffset(t.getResult());
      if (failed(in) || failed(o))
        return failure();
      std::optional<std::vector<char>> table = constantBytes(cast<ElementsAttr>(t.getTable()), wide ? 2 : 1);
      if (!table || table->size() != (wide ? 513 * 2 : 256))
        return op.emitError("hexagon: the table's values are not at hand");
      source.commentOp(&op);
      unsigned index = addSection("t" + std::to_string(weights.sectionCount()) + " " + describeLocation(op.getLoc()),
                                  std::move(*table), wide ? weights::ElementType::I16 : weights::ElementType::I8);
      out() << "  mote_int_table_" << (wide ? "i16" : "i8") << "(" << *in << ", "
            << codegen::elementCount(t.getResult()) << ", (const " << type << " *)mote_weights_section(weights, " << index
            << "), " << arena(*o, type) << ");\n";
      return success();
    }
    if (auto sn = dyn_cast<IntegerSinusoidOp>(op)) {
      const bool int64Input = getElementTypeOrSelf(sn.getInput().getType()).isInteger(64);
      FailureOr<std::string> x = pointer(op, sn.getInput(), int64Input ? "const int64_t" : "const uint32_t"),
                             f = pointer(op, sn.getFrequencies(), "const int64_t");
      FailureOr<int64_t> o = needOffset(sn.getResult());
      if (failed(x) || failed(f) || failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  mote_int_sinusoid_" << (isInt16(sn.getResult()) ? "i16" : "i8") << "(" << *x << ", " << (int64Input ? 1 : 0) << ", " << codegen::elementCount(sn.getInput()) << ", " << *f << ", "
            << cast<RankedTensorType>(sn.getFrequencies().getType()).getDimSize(1) << ", " << sn.getPhaseAttr().getInt()
            << "u, " << sn.getMultiplier() << ", " << sn.getShift() << ", " << sn.getClampMin() << ", "
            << sn.getClampMax() << ", " << arena(*o, isInt16(sn.getResult()) ? "int16_t" : "int8_t") << ");\n";
      return success();
    }
    if (auto m = dyn_cast<IntegerMulOp>(op)) {
      const std::string t = isInt16(m.getResult()) ? "int16_t" : "int8_t", k = isInt16(m.getResult()) ? "i16" : "i8";
      FailureOr<std::string> l = pointer(op, m.getLhs(), "const " + t), r = pointer(op, m.getRhs(), "const " + t);
      FailureOr<int64_t> o = needOffset(m.getResult());
      if (failed(l) || failed(r) || failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  mote_int_mul_" << k << "(" << *l << ", " << *r << ", " << codegen::elementCount(m.getResult())
            << ", " << m.getMultiplier() << ", " << m.getShift() << ", " << m.getClampMin() << ", " << m.getClampMax()
            << ", " << arena(*o, t) << ");\n";
      return success();
    }
    if (isa<TransposeOp, ConcatOp, SliceOp, SplitOp, ExpandOp>(op)) {
      // A concat copies each operand into the result, a split the operand into each result.
      SmallVector<codegen::StridedCopy> copies;
      if (auto tr = dyn_cast<TransposeOp>(op))
        copies.push_back(codegen::transposeCopy(tr));
      else if (auto sl = dyn_cast<SliceOp>(op))
        copies.push_back(codegen::sliceCopy(sl));
      else if (auto ex = dyn_cast<ExpandOp>(op))
        copies.push_back(codegen::expandCopy(ex));
      else if (auto cc = dyn_cast<ConcatOp>(op))
        copies = codegen::concatCopies(cc);
      else
        copies = codegen::splitCopies(cast<SplitOp>(op));
      source.commentOp(&op);
      for (auto [k, copy] : llvm::enumerate(copies)) {
        const unsigned index = static_cast<unsigned>(k);
        Value from = isa<ConcatOp>(op) ? op.getOperand(index) : op.getOperand(0);
        Value to = isa<SplitOp>(op) ? op.getResult(index) : op.getResult(0);
        if (to.use_empty())
          continue;
        FailureOr<std::string> in = pointer(op, from, "const int8_t");
        FailureOr<int64_t> o = needOffset(to);
        if (failed(in) || failed(o))
          return failure();
        if (const int64_t bytes = elementBytesOf(to); bytes > 1) { // int16: one more axis, the element's bytes
          for (int64_t &x : copy.inStrides)
            x *= bytes;
          for (int64_t &x : copy.outStrides)
            x *= bytes;
          copy.inOffset *= bytes;
          copy.outOffset *= bytes;
          copy.shape.push_back(bytes);
          copy.inStrides.push_back(1);
          copy.outStrides.push_back(1);
        }
        if (copy.shape.size() > 8)
          return op.emitError("hexagon: a copy of rank ") << copy.shape.size() << " (at most 8)";
        out() << "  mote_int_copy_i8(" << copy.shape.size() << ", " << source.intTable(copy.shape) << ", " << *in
              << ", " << copy.inOffset << ", " << source.intTable(copy.inStrides) << ", " << arena(*o, "int8_t")
              << ", " << copy.outOffset << ", " << source.intTable(copy.outStrides) << ");\n";
      }
      return success();
    }
    if (auto g = dyn_cast<GatherOp>(op)) {
      FailureOr<std::string> data = pointer(op, g.getData(), "const int8_t"),
                             indices = pointer(op, g.getIndices(), "const int64_t");
      FailureOr<int64_t> o = needOffset(g.getResult());
      if (failed(data) || failed(indices) || failed(o))
        return failure();
      codegen::Shape shape = codegen::shapeOf(g.getData());
      codegen::AxisSplit a =
          codegen::splitAtAxis(shape, codegen::normalizedAxis(static_cast<uint64_t>(g.getAxis()), shape.size()));
      source.commentOp(&op);
      // Rows of int16 gathered as bytes.
      out() << "  if (mote_int_gather_i8(" << *data << ", " << a.outer << ", " << a.n << ", "
            << a.inner * elementBytesOf(g.getResult()) << ", " << *indices << ", " << codegen::elementCount(g.getIndices()) << ", " << arena(*o, "int8_t")
            << ")) return MOTE_INT_INDEX_OUT_OF_RANGE;\n";
      return success();
    }
    if (auto am = dyn_cast<ArgMaxOp>(op)) {
      FailureOr<std::string> in = pointer(op, am.getInput(), "const int64_t");
      FailureOr<int64_t> o = needOffset(am.getResult());
      if (failed(in) || failed(o))
        return failure();
      codegen::Shape shape = codegen::shapeOf(am.getInput());
      codegen::AxisSplit a =
          codegen::splitAtAxis(shape, codegen::normalizedAxis(static_cast<uint64_t>(am.getAxis()), shape.size()));
      source.commentOp(&op);
      out() << "  mote_int_argmax_i64(" << *in << ", " << a.outer << ", " << a.n << ", " << a.inner << ", "
            << (am.getSelectLastIndex() ? 1 : 0) << ", " << arena(*o, "int64_t") << ");\n";
      return success();
    }
    if (auto add = dyn_cast<AddOp>(op)) { // int64 (index arithmetic): kernel selection admits no other
      FailureOr<std::string> l = pointer(op, add.getLhs(), "const int64_t"), r = pointer(op, add.getRhs(), "const int64_t");
      FailureOr<int64_t> o = needOffset(add.getResult());
      if (failed(l) || failed(r) || failed(o))
        return failure();
      source.commentOp(&op);
      out() << "  mote_int_add_i64(" << *l << ", " << *r << ", " << codegen::elementCount(add.getResult()) << ", "
            << arena(*o, "int64_t") << ");\n";
      return success();
    }
    if (auto n = dyn_cast<IntegerNormOp>(op)) {
      FailureOr<std::string> in = pointer(op, n.getInput(), "const void"),
                             params = pointer(op, n.getParams(), "const int32_t");
      FailureOr<int64_t> o = needOffset(n.getResult());
      if (failed(in) || failed(params) || failed(o))
        return failure();
      std::optional<std::array<int64_t, 4>> view = n.rowView();
      if (!view)
        return op.emitError("hexagon: the normalized axes are not one or two runs");
      const auto [outer, run1, kept, run2] = *view;
      const int64_t bytes = elementBytesOf(n.getResult());
      scratchBytes = std::max(scratchBytes, static_cast<int64_t>(mote_int_norm_scratch_bytes(bytes == 2, run1, kept,
                                                                                             run2)));
      source.commentOp(&op);
      out() << "  mote_int_norm(" << *in << ", " << (bytes == 2 ? 1 : 0) << ", " << outer << ", " << run1 << ", "
            << kept << ", " << run2 << ", " << (n.getCenter() ? 1 : 0) << ", " << n.getSquareShift() << ", "
            << n.getEpsilon() << "ull, " << *params << ", " << n.getFracBits() << ", " << n.getClampMin() << ", "
            << n.getClampMax() << ", scratch, " << arena(*o, "void") << ");\n";
      return success();
    }
    if (auto a = dyn_cast<IntegerAttentionOp>(op)) {
      FailureOr<std::string> q = pointer(op, a.getQuery(), "const void"), k = pointer(op, a.getKey(), "const void"),
                             v = pointer(op, a.getValue(), "const void"),
                             table = pointer(op, a.getTable(), "const int32_t");
      FailureOr<std::string> mask = a.getMask() ? pointer(op, a.getMask(), "const int32_t") : std::string("0");
      FailureOr<int64_t> o = needOffset(a.getResult());
      if (failed(q) || failed(k) || failed(v) || failed(table) || failed(mask) || failed(o))
        return failure();
      codegen::Shape qs = codegen::shapeOf(a.getQuery()), ks = codegen::shapeOf(a.getKey()),
                     vs = codegen::shapeOf(a.getValue());
      MoteAttention geometryValue{};
      geometryValue.sk = static_cast<int>(ks[2]), geometryValue.d = static_cast<int>(qs[3]);
      geometryValue.wide = isInt16(a.getResult()) ? 1 : 0;
      scratchWords = std::max<int64_t>(scratchWords, mote_hexagon_attention_scratch_words(&geometryValue));
      std::vector<std::string> fields = {std::to_string(qs[0]), std::to_string(qs[1]), std::to_string(ks[1]),
                                         std::to_string(qs[2]), std::to_string(ks[2]), std::to_string(qs[3]),
                                         std::to_string(vs[3]),
                                         a.getMask() && codegen::shapeOf(a.getMask()).size() == 3 ? "1" : "0",
                                         isInt16(a.getResult()) ? "1" : "0",
                                         std::to_string(codegen::elementCount(a.getTable())),
                                         std::to_string(a.getLogitMult()), std::to_string(a.getLogitShift()),
                                         std::to_string(a.getOutMult()), std::to_string(a.getOutShift()),
                                         std::to_string(a.getClampMin()), std::to_string(a.getClampMax())};
      std::string geometry = source.table("MoteAttention", {"{" + llvm::join(fields, ", ") + "}"}).append("[0]");
      source.commentOp(&op);
      out() << "  mote_hexagon_attention(&" << geometry << ", " << *q << ", " << *k << ", " << *v << ", " << *mask
            << ", " << *table << ", (int32_t *)scratch_words, " << arena(*o, "void") << ");\n";
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
              << codegen::elementCount(r.getResult()) * elementBytesOf(r.getResult()) << ");\n";
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
    if (isa<IntegerType>(cast<RankedTensorType>(arg.getType()).getElementType()) ||
        (!arg.use_empty() && llvm::all_of(arg.getUsers(), [](Operation *u) { return isa<IntegerSinusoidOp>(u); }))) {
      scales.inputs.push_back(0.0f); // token ids, a diffusion timestep and the like: passed as they are
      continue;
    }
    QuantizeActivationOp q;
    for (Operation *user : arg.getUsers())
      if (auto qa = dyn_cast<QuantizeActivationOp>(user); qa && !q)
        q = qa;
      else
        return func.emitError("hexagon: input ") << arg.getArgNumber()
               << " is read by other ops than one mote.quantize_activation; the program takes integer inputs";
    scales.inputs.push_back(q ? static_cast<float>(q.getScale().convertToDouble()) : 1.0f);
    if (q)
      scales.activationBytes = static_cast<unsigned>(elementBytesOf(q.getResult()));
  }
  auto ret = cast<func::ReturnOp>(func.getBody().front().getTerminator());
  for (Value v : ret.getOperands()) {
    auto d = v.getDefiningOp<DequantizeActivationOp>();
    if (!d)
      return func.emitError("hexagon: output is not a mote.dequantize_activation (compile with --quantize=w8a8 "
                            "--calibration=DIR); the program returns integer outputs");
    scales.outputs.push_back(static_cast<float>(d.getScale().convertToDouble()));
    scales.activationBytes = static_cast<unsigned>(elementBytesOf(d.getInput()));
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
  // An input arrives quantized (int8 or int16), or (scale 0) as the model has it.
  const int64_t activationBytes = scales->activationBytes;
  auto bytesOf = [&](BlockArgument arg) {
    auto type = cast<RankedTensorType>(arg.getType());
    return type.getNumElements() * (scales->inputs[arg.getArgNumber()] == 0.0f
                                        ? codegen::elementBytes(type.getElementType())
                                        : activationBytes);
  };
  std::vector<std::string> inBytes, outBytes, inScales, outScales, inNames, outNames;
  int64_t inTotal = 0, outTotal = 0;
  for (BlockArgument arg : func.getArguments()) {
    inBytes.push_back(std::to_string(bytesOf(arg)));
    inTotal += bytesOf(arg);
    inScales.push_back(codegen::floatLiteral(scales->inputs[arg.getArgNumber()]));
    auto n = func.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "mote.name");
    inNames.push_back("\"" + codegen::escapeForC(n ? n.getValue() : "input_" + std::to_string(arg.getArgNumber())) + "\"");
  }
  for (unsigned k = 0; k < ret.getNumOperands(); ++k) {
    const int64_t bytes = cast<RankedTensorType>(ret.getOperand(k).getType()).getNumElements() * activationBytes;
    outBytes.push_back(std::to_string(bytes));
    outTotal += bytes;
    outScales.push_back(codegen::floatLiteral(scales->outputs[k]));
    auto n = func.getResultAttrOfType<StringAttr>(k, "mote.name");
    outNames.push_back("\"" + codegen::escapeForC(n ? n.getValue() : "output_" + std::to_string(k)) + "\"");
  }
  std::string header;
  llvm::raw_string_ostream h(header);
  h << "// Generated by motec for target hexagon. Do not edit.\n"
    << "// The model in integers: inputs and outputs of " << U << "_ACTIVATION_BYTES bytes an element (int8, or int16\n"
    << "// for w8a16), each with its scale (input: q = clamp(round_half_even(x / scale), -qmax, qmax), qmax 127 or\n"
    << "// 32767; output: x = q * scale); inputs of scale 0 (token ids: int64; a diffusion timestep: f32) as the model\n"
    << "// has them. Sizes in bytes.\n"
    << "// " << N << "_run needs the checked weights file in memory and an arena of " << U << "_ARENA_BYTES, both\n"
    << "// 128-byte aligned; it returns 0, or a status for " << N << "_error (an index out of range).\n"
    << "#ifndef " << U << "_H\n#define " << U << "_H\n\n#include <stddef.h>\n#include <stdint.h>\n\n"
    << "#define " << U << "_ACTIVATION_BYTES " << activationBytes << "\n"
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
    << "int " << N << "_run(const uint8_t *weights, uint8_t *arena, const void *const *inputs, void *const *outputs);\n"
    << "#ifdef __cplusplus\n}\n#endif\n\n#endif // " << U << "_H\n";

  std::string code;
  llvm::raw_string_ostream c(code);
  c << "// Generated by motec for target hexagon. Do not edit.\n"
    << "#include \"" << N << ".h\"\n\n"
    << "#include \"runtime/hexagon/Attention.h\"\n#include \"runtime/integer/Conv.h\"\n"
    << "#include \"runtime/hexagon/ConvI16.h\"\n#include \"runtime/hexagon/ConvI8.h\"\n"
    << "#include \"runtime/integer/ElementwiseI16.h\"\n#include \"runtime/integer/ElementwiseI8.h\"\n"
    << "#include \"runtime/integer/IndexI64.h\"\n"
    << "#include \"runtime/integer/Norm.h\"\n"
    << "#include \"runtime/hexagon/Weights.h\"\n\n"
    << "static const int8_t pad_row[" << e.padRowBytes << "] __attribute__((aligned(128), unused)); // zero\n"
    << "static int8_t scratch[" << std::max<int64_t>(e.scratchBytes, 4)
    << "] __attribute__((aligned(128), unused)); // convolution inputs padded to 4 channels; strided norm rows\n"
    << "static int32_t scratch_words[" << e.scratchWords << "] __attribute__((aligned(128), unused)); // attention rows\n"
    << e.source.declarations() << "\n"
    << "static const uint64_t section_bytes[" << std::max<size_t>(e.sectionBytes.size(), 1) << "] = {"
    << (e.sectionBytes.empty() ? std::string("0")
                               : llvm::join(llvm::map_range(e.sectionBytes, [](uint64_t b) { return std::to_string(b); }),
                                            ", "))
    << "};\n\n"
    << "int " << N << "_check_weights(const uint8_t *weights, size_t bytes) {\n"
    << "  return mote_weights_check(weights, bytes, \"hexagon\", " << U << "_SECTIONS, section_bytes);\n}\n\n"
    << "const char *" << N << "_error(int status) {\n"
    << "  return status == MOTE_INT_INDEX_OUT_OF_RANGE ? \"an index is out of range\" : mote_weights_error(status);\n}\n\n"
    << "int " << N << "_run(const uint8_t *weights, uint8_t *arena, const void *const *inputs, void *const *outputs) {\n"
    << e.source.bodyText() << "  return 0;\n}\n";
  if (failed(codegen::writeSourceFile(func, dir, N + ".h", header)) ||
      failed(codegen::writeSourceFile(func, dir, N + ".c", code)))
    return failure();
  return success();
}

} // namespace mote::hexagon
