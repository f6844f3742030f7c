// The NEON emitter's shared state and the artifact it writes (see ModelEmitter.h and Emitter.h).
#include "targets/neon/ModelEmitter.h"

#include "codegen/MemoryPlanner.h"
#include "codegen/ModelInterface.h"
#include "codegen/PlanFunction.h"
#include "codegen/PlannedSizes.h"
#include "codegen/WeightValues.h"
#include "runtime/neon/PackedSizes.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {

double attrValue(APFloat f) {
  bool lost;
  f.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return f.convertToDouble();
}

namespace {

/// The f32 values of a dense or dense-resource constant, or nullopt.
std::optional<std::vector<float>> floatValues(ConstantOp c) {
  ElementsAttr value = c.getValue();
  int64_t n = elementCount(c.getResult());
  std::vector<float> values;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(value)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != static_cast<size_t>(n) * 4)
      return std::nullopt;
    values.resize(n);
    std::memcpy(values.data(), blob->getData().data(), static_cast<size_t>(n) * 4);
  } else if (auto dense = dyn_cast<DenseElementsAttr>(value)) {
    values.reserve(n);
    for (float f : dense.getValues<float>())
      values.push_back(f);
  } else {
    return std::nullopt;
  }
  return values;
}

/// IEEE half bits of `values`, saturated to the finite range (NaN kept).
std::vector<char> toHalf(const std::vector<float> &values) {
  std::vector<char> bytes(values.size() * 2);
  for (size_t k = 0; k < values.size(); ++k) {
    float f = std::isnan(values[k]) ? values[k] : std::min(std::max(values[k], -65504.0f), 65504.0f);
    APFloat h(f);
    bool lost;
    h.convert(APFloat::IEEEhalf(), APFloat::rmNearestTiesToEven, &lost);
    uint16_t bits = static_cast<uint16_t>(h.bitcastToAPInt().getZExtValue());
    std::memcpy(&bytes[k * 2], &bits, 2);
  }
  return bytes;
}

} // namespace

std::string ModelEmitter::cType(Type t) const {
  if (t.isF32())
    return "float";
  if (t.isF16())
    return "__fp16";
  if (t.isInteger(64))
    return "int64_t";
  if (t.isInteger(32))
    return "int32_t";
  if (t.isInteger(1) || t.isInteger(8) || t.isInteger(4)) // int4: two a byte
    return "uint8_t";
  return "";
}

Type ModelEmitter::computeType(Value v) const {
  Type t = elementTypeOf(v);
  if (widening && t.isF16())
    return Float32Type::get(v.getContext());
  return t;
}

std::string ModelEmitter::dtype(Value v) const {
  Type t = computeType(v);
  if (t.isF32())
    return "DType::F32";
  if (t.isF16())
    return "DType::F16";
  if (t.isInteger(64))
    return "DType::I64";
  if (t.isInteger(32))
    return "DType::I32";
  return "DType::Bool";
}

FailureOr<unsigned> ModelEmitter::section(Value v) {
  if (auto it = sections.find(v); it != sections.end())
    return it->second;
  Operation *op = v.getDefiningOp();
  unsigned index;
  if (auto reshape = dyn_cast<ReshapeOp>(op)) {
    FailureOr<unsigned> viewed = section(reshape.getInput()); // same bytes
    if (failed(viewed))
      return failure();
    index = *viewed;
  } else if (isa<DequantizeOp>(op)) {
    return op->emitError("neon emitter: an int8 weight read as float by a kernel that does not widen it");
  } else if (auto conversion = dyn_cast<CastOp>(op)) {
    // The storage-type conversion of a constant, applied while writing.
    ConstantOp constant = weightConstant(conversion.getInput());
    std::optional<std::vector<float>> values =
        constant && elementTypeOf(conversion.getInput()).isF32() && elementTypeOf(v).isF16() ? floatValues(constant)
                                                                                         : std::nullopt;
    if (!values)
      return op->emitError("neon emitter: only f32 constants can be stored as f16");
    index = weights.addOwnedSection("c" + std::to_string(sectionBytes.size()), toHalf(*values),
                                    mote::weights::ElementType::F16);
    sectionBytes.push_back(values->size() * 2);
  } else if (elementTypeOf(v).isSignlessInteger(4)) {
    // int4 (w4 weights): two a byte, the even element in the low nibble (weights::ElementType::I4).
    auto dense = dyn_cast<DenseElementsAttr>(cast<ConstantOp>(op).getValue());
    if (!dense)
      return op->emitError("neon emitter: an int4 constant must be dense");
    std::vector<char> bytes((static_cast<size_t>(dense.getNumElements()) + 1) / 2, 0);
    size_t e = 0;
    for (APInt x : dense.getValues<APInt>()) {
      bytes[e / 2] = static_cast<char>(static_cast<unsigned char>(bytes[e / 2]) |
                                       ((x.getZExtValue() & 15u) << (e % 2 ? 4 : 0)));
      ++e;
    }
    sectionBytes.push_back(bytes.size());
    index = weights.addOwnedSection("c" + std::to_string(sectionBytes.size() - 1), std::move(bytes),
                                    mote::weights::ElementType::I4);
  } else {
    auto constant = cast<ConstantOp>(op);
    if (cType(elementTypeOf(v)).empty())
      return op->emitError("neon emitter: constants of type ") << elementTypeOf(v) << " cannot be stored";
    auto added = weights.addConstant("c" + std::to_string(sectionBytes.size()), constant.getValue());
    if (!added)
      return op->emitError("neon emitter: ") << llvm::toString(added.takeError());
    index = *added;
    sectionBytes.push_back(static_cast<uint64_t>(elementCount(v) * codegen::elementBytes(elementTypeOf(v))));
  }
  sections[v] = index;
  return index;
}

FailureOr<std::string> ModelEmitter::ptr(Value v) {
  if (auto it = scratchOf.find(v); it != scratchOf.end())
    return it->second;
  std::string t = cType(elementTypeOf(v));
  if (t.empty()) {
    Operation *at = v.getDefiningOp() ? v.getDefiningOp() : func.getOperation();
    return at->emitError("neon emitter: element type ") << elementTypeOf(v) << " is not supported";
  }
  if (isWeight(v)) {
    FailureOr<unsigned> index = section(v);
    if (failed(index))
      return failure();
    return "static_cast<const " + t + " *>(c[" + std::to_string(*index) + "])";
  }
  Value stored = v;
  // A view shares the memory of the value it views.
  while (auto reshape = stored.getDefiningOp<ReshapeOp>()) {
    if (reshape->hasAttr(kOffsetAttrName) || reshape->hasAttr(kOutputAttrName))
      break;
    stored = reshape.getInput();
  }
  if (auto arg = dyn_cast<BlockArgument>(stored)) // the app's input buffer, read in place
    return "static_cast<const " + t + " *>(inputs[" + std::to_string(arg.getArgNumber()) + "])";
  Operation *def = stored.getDefiningOp();
  if (auto output = def->getAttrOfType<IntegerAttr>(kOutputAttrName)) // computed into the app's output
    return "static_cast<" + t + " *>(outputs[" + std::to_string(output.getInt()) + "])";
  int64_t offset = -1;
  if (def->getNumResults() == 1) {
    if (auto attr = def->getAttrOfType<IntegerAttr>(kOffsetAttrName))
      offset = attr.getInt();
  } else if (auto attr = def->getAttrOfType<DenseI64ArrayAttr>(kOffsetsAttrName)) {
    offset = attr[cast<OpResult>(stored).getResultNumber()];
  }
  if (offset < 0)
    return def->emitError("neon emitter: value has no arena offset (is the function planned?)");
  return "A(" + t + ", " + std::to_string(offset) + ")";
}

FailureOr<std::string> ModelEmitter::packedWeight(Operation *op, const KernelChoice &choice, int64_t K, int64_t N,
                                                  int64_t taps) {
  int64_t offset = packedOffset(op);
  Value weight = op->getOperand(choice.packedOperand);
  if (offset < 0 || !isWeight(weight))
    return op->emitError("neon emitter: packed weights without a planned offset or constant source");
  // The layout (runtime/neon/PackedSizes.h); "_from_kn" variants take a [K, N] source (ONNX Gemm with
  // transB = 0) to a convolution layout, which packs from [N, K]: transposed at load time.
  StringRef name = choice.packedLayout;
  bool fromKN = name.consume_back("_from_kn");
  std::optional<PackedLayout> layout;
  for (int l = 0; l < kNumPackedLayouts; ++l)
    if (name == packedLayoutName(static_cast<PackedLayout>(l)))
      layout = static_cast<PackedLayout>(l);
  if (!layout)
    return op->emitError("neon emitter: unknown packed layout '") << choice.packedLayout << "'";
  if (Operation *q = quantizedWeight(weight)) {
    // Quantized values and their scales, packed as they are: int8 with per-column f32 scales (w8), or int4 with
    // per-block f16 scales (w4 and w4a8's dot-product layouts, the block size after N).
    auto dequantize = cast<DequantizeOp>(q);
    std::optional<int64_t> block = dequantize.getBlockSize();
    if (!block && (fromKN || elementCount(dequantize.getScale()) != N))
      return op->emitError("neon emitter: the int8 weight's scales must be per output column (") << N << ")";
    FailureOr<unsigned> values = section(dequantize.getInput()), scales = section(dequantize.getScale());
    if (failed(values) || failed(scales))
      return failure();
    std::string region = "PK(" + std::to_string(offset) + ")";
    init << "  // " << op->getName().getStringRef() << ": " << choice.packedLayout << ", " << choice.packedBytes
         << " bytes\n  if (!"
         << (!block                                      ? "packWeightsW8"
             : StringRef(choice.packedLayout).contains("i4dot") ? "packWeightsI4Dot"
                                                          : "packWeightsW4")
         << "(PackedLayout::"
         << packedLayoutEnumerator(*layout) << ", " << K << ", " << N << ", ";
    const bool f32Scales = elementTypeOf(dequantize.getScale()).isF32();
    if (!block && !f32Scales)
      return op->emitError("neon emitter: the int8 weight's scales must be f32");
    if (block) // f16 scales from --quantize, f32 from a model's own MatMulNBits
      init << *block << ", c[" << *values << "], c[" << *scales << "], " << region << ", " << choice.packedBytes
           << (f32Scales ? ", /*f16Scales=*/false" : "");
    else
      init << "static_cast<const int8_t *>(c[" << *values << "]), static_cast<const float *>(c[" << *scales << "]), "
           << region << ", " << choice.packedBytes << (taps != 1 ? ", " + std::to_string(taps) : std::string());
    init << "))\n    return mote::rt::kModelPackedSize;\n";
    return "static_cast<const void *>(" + region + ")";
  }
  FailureOr<unsigned> index = section(weight);
  if (failed(index))
    return failure();
  bool f16Packed = *layout == PackedLayout::GemmBF16 || *layout == PackedLayout::Conv1x1F16;
  std::string call = std::string("packWeights(PackedLayout::") + packedLayoutEnumerator(*layout) + ", ";
  std::string region = "PK(" + std::to_string(offset) + ")";
  std::string from = "static_cast<const float *>(c[" + std::to_string(*index) + "])";
  int64_t n = elementCount(weight);
  init << "  // " << op->getName().getStringRef() << ": " << choice.packedLayout << ", " << choice.packedBytes
       << " bytes\n  {\n";
  if (elementTypeOf(weight).isF16()) { // stored f16: widened for the packer
    init << "    std::vector<float> wide(" << std::max<int64_t>(n, 1) << ");\n    f16ToF32(" << n << ", c[" << *index
         << "], wide.data());\n";
    from = "wide.data()";
  }
  if (fromKN) {
    init << "    std::vector<float> nk(" << std::max<int64_t>(n, 1) << ");\n    copyStrided(4, 2, "
         << src.intTable({N, K}) << ", " << from << ", " << src.intTable({1, N}) << ", nk.data(), "
         << src.intTable({K, 1}) << ");\n";
    from = "nk.data()";
  }
  init << "    if (!" << call << K << ", " << N << ", " << from << ", " << region << ", " << choice.packedBytes
       << (taps != 1 ? ", " + std::to_string(taps) : std::string()) << "))\n      return mote::rt::kModelPackedSize;\n  }\n";
  return std::string(f16Packed ? "static_cast<const void *>(" : "reinterpret_cast<const float *>(") + region + ")";
}

LogicalResult ModelEmitter::emitWidened(Operation *op, const KernelChoice &choice) {
  int64_t at = 0;
  auto take = [&](Value v) {
    std::string p = "(S + " + std::to_string(at) + ")";
    at += (elementCount(v) + 15) / 16 * 16;
    return p;
  };
  llvm::DenseMap<Value, std::string> copies;
  SmallVector<std::pair<Value, std::string>> stores;
  for (OpOperand &operand : op->getOpOperands()) {
    Value v = operand.get();
    bool packedHere = !choice.packedLayout.empty() && operand.getOperandNumber() == choice.packedOperand;
    if (!elementTypeOf(v).isF16() || copies.count(v) || packedHere)
      continue;
    FailureOr<std::string> p = ptr(v);
    if (failed(p))
      return failure();
    std::string s = take(v);
    body() << "  f16ToF32(" << elementCount(v) << ", " << *p << ", " << s << ");\n";
    copies[v] = s;
  }
  for (Value v : op->getResults()) {
    if (!elementTypeOf(v).isF16())
      continue;
    std::string s = take(v);
    copies[v] = s;
    stores.push_back({v, s});
  }
  scratchFloats = std::max(scratchFloats, at);
  scratchOf = std::move(copies);
  widening = true;
  LogicalResult result = printOp(op, choice);
  widening = false;
  scratchOf.clear();
  if (failed(result))
    return failure();
  for (auto &[v, s] : stores) {
    FailureOr<std::string> p = ptr(v);
    if (failed(p))
      return failure();
    body() << "  f32ToF16(" << elementCount(v) << ", " << s << ", " << *p << ");\n";
  }
  return success();
}

LogicalResult ModelEmitter::printOp(Operation *op, const KernelChoice &choice) {
  SmallVector<std::string> in, out;
  for (Value v : op->getOperands()) {
    bool packedHere = !choice.packedLayout.empty() && in.size() == choice.packedOperand;
    // Packed weights come from the packed buffer; int8 weights (only the w8 kernels, which kernel selection
    // gives every reader of one) from their values and scales.
    if (packedHere || quantizedWeight(v)) {
      in.push_back("");
      continue;
    }
    FailureOr<std::string> p = ptr(v);
    if (failed(p))
      return failure();
    in.push_back(*p);
  }
  for (Value v : op->getResults()) {
    FailureOr<std::string> p = ptr(v);
    if (failed(p))
      return failure();
    out.push_back(*p);
  }
  for (auto printer : {emitElementwise, emitDataMovement, emitLinear, emitNormalization})
    if (std::optional<LogicalResult> done = printer(*this, op, choice, in, out))
      return *done;
  return op->emitError("neon emitter: no printer for kernel '") << choice.kernel << "'";
}

LogicalResult ModelEmitter::emitOp(Operation *op) {
  if (isWeightOp(op))
    return success(); // written to the weights file when first read
  std::optional<KernelChoice> choice = recordedKernel(op);
  if (!choice)
    return op->emitError("neon emitter: op has no kernel (run the planned phase first)");
  if (choice->kernel == "view")
    return success();
  src.commentOp(op);
  return choice->widens ? emitWidened(op, *choice) : printOp(op, *choice);
}

LogicalResult ModelEmitter::emit(StringRef dir, StringRef name) {
  if (!func->hasAttr(kArenaBytesAttrName) || !func->hasAttr(kPackedTotalAttrName))
    return func.emitError("neon emitter: the function is not planned (compile to the planned phase first)");
  if (failed(codegen::verifyPlannedSizes(func)))
    return failure();
  FailureOr<codegen::ModelInterface> api = codegen::describeModel(func, name, "neon");
  if (failed(api))
    return failure();
  Block &block = func.getBody().front();

  // Inputs are read in the app's buffers; the planner had each returned value computed straight into its
  // output buffer where it could (mote.output), the others are copied there.
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
        FailureOr<std::string> p = ptr(v);
        if (failed(p))
          return failure();
        if (*p != "static_cast<" + cType(elementTypeOf(v)) + " *>(outputs[" + std::to_string(k) + "])")
          body() << "  std::memcpy(outputs[" << k << "], " << *p << ", " << api->outputs[k].bytes << ");\n";
      }
      continue;
    }
    if (failed(emitOp(&op)))
      return failure();
  }

  // The f32 copies of widening ops live after the planned activations, in the same arena (one block the
  // size of the largest op's copies: the ops run one after the other).
  int64_t plannedBytes = func->getAttrOfType<IntegerAttr>(kArenaBytesAttrName).getInt();
  int64_t scratchOffset = alignBytes(plannedBytes, 64);
  api->arenaBytes = scratchOffset + scratchFloats * 4;
  api->packedBytes = func->getAttrOfType<IntegerAttr>(kPackedTotalAttrName).getInt();

  std::string source;
  llvm::raw_string_ostream s(source);
  s << "// Generated by motec (neon emitter). Do not edit.\n#include \"" << name << ".h\"\n\n"
    << "#include \"runtime/core/Model.h\"\n#include \"runtime/neon/Ops.h\"\n\n"
    << "#include <cmath>\n#include <cstring>\n#include <limits>\n#include <new>\n#include <vector>\n\n"
    << "using namespace mote::neon::ops;\n\n"
    << "#define A(T, off) reinterpret_cast<T *>(arena + (off))\n"
    << "#define PK(off) (reinterpret_cast<unsigned char *>(const_cast<float *>(P)) + (off))\n\nnamespace {\n\n"
    << "constexpr unsigned kNumSections = " << sectionBytes.size() << ";\n"
    << "const uint64_t kSectionBytes[" << sectionBytes.size() + 1 << "] = {";
  for (uint64_t b : sectionBytes)
    s << b << ", ";
  s << "0};\n\n" << src.declarations() << "\n"
    << "int loadSections(const mote::rt::WeightsFile &w, const void **c) {\n"
    << "  if (w.sectionCount() != kNumSections)\n    return mote::rt::kModelSectionCount;\n"
    << "  for (unsigned k = 0; k < kNumSections; ++k) {\n"
    << "    mote::rt::WeightsSection section = w.section(k);\n"
    << "    if (section.size != kSectionBytes[k])\n      return mote::rt::kModelSectionSize;\n"
    << "    c[k] = section.data;\n  }\n"
    << "  return 0;\n}\n\n"
    << "/// Packs the weights into `P` (the packed-weights buffer): once, before any run.\n"
    << "int init(const mote::rt::WeightsFile &w, float *P) {\n"
    << "  const void *c[kNumSections + 1] = {nullptr};\n"
    << "  if (int rc = loadSections(w, c))\n    return rc;\n"
    << "  (void)c;\n  (void)P;\n"
    << initText << "  return 0;\n}\n\n"
    << "/// One inference.\n"
    << "int run(const mote::rt::WeightsFile &w, unsigned char *arena, const float *P,\n"
    << "        const void *const *inputs, void *const *outputs) {\n"
    << "  const void *c[kNumSections + 1] = {nullptr};\n"
    << "  if (int rc = loadSections(w, c))\n    return rc;\n"
    << "  (void)c;\n  (void)P;\n  (void)inputs;\n";
  if (scratchFloats > 0)
    s << "  float *S = A(float, " << scratchOffset << ");\n";
  s << src.bodyText() << "  return 0;\n}\n\n} // namespace\n\n" << codegen::writeCApiDefinitions(*api, "init", "run");

  if (failed(writeSourceFile(func, dir, (name + ".h").str(), codegen::writeCApiHeader(*api))) ||
      failed(writeSourceFile(func, dir, (name + ".cpp").str(), source)))
    return failure();
  SmallString<256> wpath(dir);
  llvm::sys::path::append(wpath, name + ".weights");
  if (llvm::Error err = weights.write(wpath, "neon"))
    return func.emitError("neon emitter: writing '") << wpath << "': " << llvm::toString(std::move(err));
  return success();
}

} // namespace neon
} // namespace mote
