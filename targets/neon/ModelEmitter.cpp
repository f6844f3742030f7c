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
#include <vector>

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace neon {

std::string ModelEmitter::cType(Type t) const {
  if (t.isF32())
    return "float";
  if (t.isF16())
    return "__fp16";
  if (t.isInteger(64))
    return "int64_t";
  if (t.isInteger(32))
    return "int32_t";
  if (t.isInteger(16))
    return "int16_t";
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

FailureOr<std::string> ModelEmitter::ptr(Value v) {
  if (auto it = scratchOf.find(v); it != scratchOf.end())
    return it->second;
  std::string t = cType(elementTypeOf(v));
  if (t.empty()) {
    Operation *at = v.getDefiningOp() ? v.getDefiningOp() : func.getOperation();
    return at->emitError("neon emitter: element type ") << elementTypeOf(v) << " is not supported";
  }
  if (isWeight(v)) {
    FailureOr<unsigned> index = weights.section(v);
    if (failed(index))
      return failure();
    return "static_cast<const " + t + " *>(c[" + std::to_string(*index) + "])";
  }
  FailureOr<ActivationStorage> storage = activationStorage(v, "neon emitter");
  if (failed(storage))
    return failure();
  const std::string at = std::to_string(storage->index);
  switch (storage->kind) {
  case ActivationStorage::Kind::Input: // the app's input buffer, read in place
    return "static_cast<const " + t + " *>(inputs[" + at + "])";
  case ActivationStorage::Kind::Output: // computed into the app's output
    return "static_cast<" + t + " *>(outputs[" + at + "])";
  case ActivationStorage::Kind::Arena:
    break;
  }
  return "A(" + t + ", " + at + ")";
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
    FailureOr<unsigned> values = weights.section(dequantize.getInput());
    FailureOr<unsigned> scales = weights.section(dequantize.getScale());
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
  FailureOr<unsigned> index = weights.section(weight);
  if (failed(index))
    return failure();
  if (elementTypeOf(weight).isSignlessInteger(8)) { // the integer pipeline's int8 weights: no scales
    std::string region = "PK(" + std::to_string(offset) + ")";
    init << "  // " << op->getName().getStringRef() << ": " << choice.packedLayout << ", " << choice.packedBytes
         << " bytes\n  if (!packWeightsW8(PackedLayout::" << packedLayoutEnumerator(*layout) << ", " << K << ", " << N
         << ", static_cast<const int8_t *>(c[" << *index << "]), nullptr, " << region << ", " << choice.packedBytes
         << (taps != 1 ? ", " + std::to_string(taps) : std::string()) << "))\n    return mote::rt::kModelPackedSize;\n";
    return "static_cast<const void *>(" + region + ")";
  }
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
  for (auto printer : {emitElementwise, emitDataMovement, emitLinear, emitNormalization, emitInteger})
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
    << "#include \"runtime/core/Model.h\"\n#include \"runtime/neon/Ops.h\"\n"
    << (integerKernels ? "#include \"runtime/integer/Attention.h\"\n#include \"runtime/integer/Conv.h\"\n"
                         "#include \"runtime/integer/ElementwiseI16.h\"\n#include \"runtime/integer/ElementwiseI8.h\"\n"
                         "#include \"runtime/integer/Norm.h\"\n"
                       : "")
    << "\n"
    << "#include <cmath>\n#include <cstring>\n#include <limits>\n#include <new>\n#include <vector>\n\n"
    << "using namespace mote::neon::ops;\n\n"
    << "#define A(T, off) reinterpret_cast<T *>(arena + (off))\n"
    << "#define PK(off) (reinterpret_cast<unsigned char *>(const_cast<float *>(P)) + (off))\n\nnamespace {\n\n"
    << "constexpr unsigned kNumSections = " << weights.sectionBytes().size() << ";\n"
    << "const uint64_t kSectionBytes[" << weights.sectionBytes().size() + 1 << "] = {";
  for (uint64_t b : weights.sectionBytes())
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
  return weights.write(func, wpath, "neon");
}

} // namespace neon
} // namespace mote
