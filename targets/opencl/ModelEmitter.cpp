// The OpenCL emitter's shared state and the artifact it writes (see ModelEmitter.h and Emitter.h).
#include "targets/opencl/ModelEmitter.h"
#include "targets/opencl/Emitter.h"

#include "codegen/MemoryPlanner.h"
#include "codegen/ModelInterface.h"
#include "codegen/PlanFunction.h"
#include "codegen/PlannedSizes.h"
#include "codegen/WeightValues.h"
#include "ir/ModuleTarget.h"
#include "targets/Simulation.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mote::codegen;

namespace mote {
namespace opencl {

llvm::Expected<std::string> kernelLibrary() {
  // Common.cl first: the storage macros and index helpers every family uses.
  static const char *const files[] = {"Common.cl", "Elementwise.cl", "DataMovement.cl", "Linear.cl",
                                      "Normalization.cl", "Attention.cl"};
  std::string text;
  for (const char *file : files) {
    SmallString<256> path(sim::runtimeSourceRoot());
    llvm::sys::path::append(path, "runtime", "opencl", "kernels", file);
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer)
      return llvm::createStringError("opencl: cannot read the kernel library's '" + std::string(path) +
                                     "': " + buffer.getError().message());
    text += "// ---- " + std::string(file) + "\n" + (*buffer)->getBuffer().str() + "\n";
  }
  return text;
}

std::string int4Of(ArrayRef<int64_t> v, int64_t fill) {
  SmallVector<int64_t, 4> padded(4 - std::min<size_t>(v.size(), 4), fill);
  padded.append(v.end() - std::min<size_t>(v.size(), 4), v.end());
  return "i4(" + std::to_string(padded[0]) + ", " + std::to_string(padded[1]) + ", " + std::to_string(padded[2]) +
         ", " + std::to_string(padded[3]) + ")";
}

FailureOr<std::string> ModelEmitter::buf(Value v, int64_t offset) {
  auto shifted = [&](std::string b) { return offset ? "shift(" + b + ", " + std::to_string(offset) + ")" : b; };
  if (isWeight(v)) {
    FailureOr<unsigned> index = weights.section(v);
    if (failed(index))
      return failure();
    return shifted("s.constant(" + std::to_string(*index) + ")");
  }
  FailureOr<ActivationStorage> storage = activationStorage(v, "opencl emitter");
  if (failed(storage))
    return failure();
  const std::string at = std::to_string(storage->index);
  switch (storage->kind) {
  case ActivationStorage::Kind::Input:
    return shifted("s.input(" + at + ")");
  case ActivationStorage::Kind::Output:
    return shifted("s.output(" + at + ")");
  case ActivationStorage::Kind::Arena:
    break;
  }
  int64_t bytes = elementBytes(elementTypeOf(v));
  if (storage->index % bytes != 0)
    return v.getDefiningOp()->emitError("opencl emitter: arena offset ")
           << storage->index << " is not a multiple of the element size";
  // The arena part holding it, and the offset in elements of this value's type there.
  size_t part = std::upper_bound(partStarts.begin(), partStarts.end(), storage->index) - partStarts.begin() - 1;
  return shifted("s.arena(" + std::to_string(part) + ", " + std::to_string(storage->index - partStarts[part]) + ", " +
                 std::to_string(bytes) + ")");
}

std::string ModelEmitter::intTable(ArrayRef<int64_t> values) {
  SmallVector<std::string> elements;
  for (int64_t v : values)
    elements.push_back(std::to_string(v));
  std::string name = src.table("int32_t", elements);
  tablesText += "  if (s->addTable(" + name + ", sizeof " + name + ") < 0)\n    return fail(mote::rt::kModelDevice);\n";
  return "s.table(" + std::to_string(tables++) + ")";
}

std::string ModelEmitter::floatTable(ArrayRef<float> values) {
  std::string name = src.floatTable(values);
  tablesText += "  if (s->addTable(" + name + ", sizeof " + name + ") < 0)\n    return fail(mote::rt::kModelDevice);\n";
  return "s.table(" + std::to_string(tables++) + ")";
}

void ModelEmitter::launch(StringRef kernel, std::array<int64_t, 3> global, std::array<int64_t, 3> local,
                          ArrayRef<std::string> args) {
  auto dims = [](std::array<int64_t, 3> d) {
    return "{" + std::to_string(d[0]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[2]) + "}";
  };
  auto kind = generatedKinds.find(kernel);
  std::string family = kind == generatedKinds.end() ? kernel.str() : "generated " + kind->second;
  std::string size = local == std::array<int64_t, 3>{0, 0, 0}
                         ? "driver"
                         : std::to_string(local[0]) + "x" + std::to_string(local[1]) + "x" + std::to_string(local[2]);
  ++workGroups[family][size];
  src.body() << "  if (int rc = s.launch(\"" << kernel << "\", " << dims(global) << ", " << dims(local);
  for (const std::string &a : args)
    src.body() << ", " << a;
  src.body() << "))\n    return rc;\n";
}

std::string ModelEmitter::addGeneratedKernel(StringRef source) {
  generated += "\n" + source.str();
  std::string name = "g" + std::to_string(generatedCount++);
  // The first line is "// OPNAME" or "// mote.fused \"KIND\"" (FusedKernels.cpp).
  StringRef first = source.split('\n').first;
  first.consume_front("// ");
  first.consume_front("mote.fused ");
  generatedKinds[name] = first.trim('"').str();
  return name;
}

void ModelEmitter::copy(const std::string &from, const std::string &to, int64_t elementBytes, int64_t count) {
  src.body() << "  if (int rc = s.copy(" << from << ", " << to << ", " << elementBytes << ", " << count
             << "))\n    return rc;\n";
}

LogicalResult ModelEmitter::splitArena(int64_t arenaBytes, int64_t limit) {
  // Every activation's bytes in the arena, sorted by start.
  SmallVector<std::pair<int64_t, int64_t>> spans;
  for (Operation &op : func.getBody().front())
    if (!isWeightOp(&op) && !isa<func::ReturnOp>(op))
      for (Value v : op.getResults()) {
        if (auto reshape = dyn_cast<ReshapeOp>(op); reshape && !reshape->hasAttr(kOffsetAttrName))
          continue; // a view
        FailureOr<ActivationStorage> s = activationStorage(v, "opencl emitter");
        if (failed(s) || s->kind != ActivationStorage::Kind::Arena)
          continue;
        int64_t bytes = elementCount(v) * elementBytes(elementTypeOf(v));
        if (limit > 0 && bytes > limit)
          return op.emitError("opencl: this activation (")
                 << v.getType() << ") needs one allocation of " << bytes << " bytes, more than --opencl-max-alloc-bytes="
                 << limit << " (bind smaller input shapes, or serialize with a smaller --opencl-max-tensor-bytes)";
        spans.push_back({s->index, s->index + bytes});
      }
  llvm::sort(spans);
  // Addresses no activation straddles: where the next span starts at or after the furthest end so far, that
  // end and that start (the planner keeps spans within multiples of the limit, so one exists in each).
  SmallVector<int64_t> cuts;
  int64_t reach = 0;
  for (auto [start, end] : spans) {
    if (start >= reach) {
      if (reach > 0)
        cuts.push_back(reach);
      if (start > reach)
        cuts.push_back(start);
    }
    reach = std::max(reach, end);
  }
  cuts.push_back(std::max<int64_t>(arenaBytes, 1));
  partStarts = {0};
  int64_t lastGood = -1;
  for (size_t k = 0; k < cuts.size(); ++k) {
    if (limit == 0 || cuts[k] - partStarts.back() <= limit) {
      lastGood = cuts[k];
      continue;
    }
    if (lastGood <= partStarts.back())
      return func.emitError("opencl: internal error: the planned arena cannot be split at ")
             << limit << " bytes (the activations from byte " << partStarts.back() << " span "
             << cuts[k] - partStarts.back() << ")";
    partStarts.push_back(lastGood);
    --k; // this cut again, in the new part
  }
  partBytes.clear();
  for (size_t k = 0; k < partStarts.size(); ++k)
    partBytes.push_back((k + 1 < partStarts.size() ? partStarts[k + 1] : std::max<int64_t>(arenaBytes, 1)) -
                        partStarts[k]);
  return success();
}

LogicalResult ModelEmitter::emitOp(Operation *op) {
  if (isWeightOp(op))
    return success(); // written to the weights file when first read
  std::optional<KernelChoice> choice = recordedKernel(op);
  if (!choice)
    return op->emitError("opencl emitter: op has no kernel (run the planned phase first)");
  if (choice->kernel == "view")
    return success();
  src.commentOp(op);
  return emitKernel(*this, op, *choice);
}

LogicalResult ModelEmitter::emit(StringRef dir, StringRef name) {
  if (!func->hasAttr(kArenaBytesAttrName))
    return func.emitError("opencl emitter: the function is not planned (compile to the planned phase first)");
  if (failed(codegen::verifyPlannedSizes(func)))
    return failure();
  FailureOr<codegen::ModelInterface> api = codegen::describeModel(func, name, "opencl");
  if (failed(api))
    return failure();
  llvm::Expected<std::string> library = kernelLibrary();
  if (!library)
    return func.emitError(llvm::toString(library.takeError()));
  TargetAttr target = getModuleTarget(func);
  const int64_t arenaBytes = func->getAttrOfType<IntegerAttr>(kArenaBytesAttrName).getInt();
  const int64_t maxAlloc = target ? target.getMaxAllocBytes() : 0;
  if (failed(splitArena(arenaBytes, maxAlloc)))
    return failure();
  Block &block = func.getBody().front();
  for (Operation &op : block) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      for (auto [k, v] : llvm::enumerate(ret.getOperands())) {
        FailureOr<std::string> b = buf(v);
        if (failed(b))
          return failure();
        std::string out = "s.output(" + std::to_string(k) + ")";
        if (*b != out)
          copy(*b, out, elementBytes(elementTypeOf(v)), elementCount(v));
      }
      continue;
    }
    if (failed(emitOp(&op)))
      return failure();
  }

  if (!generated.empty())
    *library += "// ---- Kernels generated for this model (targets/opencl/FusedKernels.cpp)\n" + generated;
  const bool half = target && target.getActivationType() && target.getActivationType().isF16();
  // The host needs no arena; the packed buffer holds the session.
  api->arenaBytes = 0;
  api->packedBytes = 64;

  auto list = [](ArrayRef<uint64_t> values) {
    std::string s = "{";
    for (uint64_t v : values)
      s += std::to_string(v) + ", ";
    return s + "0}";
  };
  SmallVector<uint64_t> inputBytes, outputBytes;
  for (const TensorInterface &t : api->inputs)
    inputBytes.push_back(t.bytes);
  for (const TensorInterface &t : api->outputs)
    outputBytes.push_back(t.bytes);

  // What the device holds (the report's device memory): the arena's parts, the weights, the inputs and outputs,
  // the kernels' scratch buffer.
  int64_t deviceBytes = 0, largest = 0;
  for (ArrayRef<uint64_t> sizes : {ArrayRef<uint64_t>(weights.sectionBytes()), ArrayRef<uint64_t>(inputBytes),
                                   ArrayRef<uint64_t>(outputBytes)})
    for (uint64_t b : sizes) {
      deviceBytes += static_cast<int64_t>(b);
      largest = std::max(largest, static_cast<int64_t>(b));
    }
  for (int64_t b : partBytes) {
    deviceBytes += b;
    largest = std::max(largest, b);
  }
  deviceBytes += scratchBytes;
  largest = std::max(largest, scratchBytes);
  if (maxAlloc > 0 && largest > maxAlloc)
    return func.emitError("opencl: a weight, input, output or the kernels' scratch buffer needs one allocation of ")
           << largest << " bytes, more than --opencl-max-alloc-bytes=" << maxAlloc;
  Builder builder(func.getContext());
  func->setAttr(kDeviceMemoryAttrName, builder.getI64IntegerAttr(deviceBytes));
  func->setAttr(kLargestAllocationAttrName, builder.getI64IntegerAttr(largest));
  SmallVector<NamedAttribute> sizes;
  for (auto &[family, bySize] : workGroups) {
    SmallVector<Attribute> entries;
    for (auto &[size, count] : bySize)
      entries.push_back(builder.getStringAttr(size + ": " + std::to_string(count)));
    sizes.push_back(builder.getNamedAttr(family, builder.getArrayAttr(entries)));
  }
  func->setAttr(kWorkGroupSizesAttrName, builder.getDictionaryAttr(sizes));

  std::string source;
  llvm::raw_string_ostream s(source);
  s << "// Generated by motec (opencl emitter). Do not edit.\n#include \"" << name << ".h\"\n\n"
    << "#include \"runtime/core/Model.h\"\n#include \"runtime/opencl/Session.h\"\n\n#include <cstdint>\n#include <limits>\n#include <new>\n\n"
    << "using mote::ocl::i2;\nusing mote::ocl::i4;\nusing mote::ocl::Session;\nusing mote::ocl::shift;\n\n"
    << "namespace {\n\n"
    << "const uint64_t kSectionBytes[] = " << list(weights.sectionBytes()) << ";\n"
    << "const uint64_t kArenaBytes[] = " << list(SmallVector<uint64_t>(partBytes.begin(), partBytes.end()))
    << ";\n"
    << "const uint64_t kInputBytes[] = " << list(inputBytes) << ";\n"
    << "const uint64_t kOutputBytes[] = " << list(outputBytes) << ";\n\n"
    << src.declarations() << "\n"
    << "// " << name << ".cl, the kernel library (runtime/opencl/kernels).\n"
    << "const char kProgram[] = R\"MOTE_OPENCL_C(" << *library << ")MOTE_OPENCL_C\";\n\n"
    << "Session *sessionOf(const float *P) { return *reinterpret_cast<Session *const *>(P); }\n\n"
    << "/// Opens the device session (program, buffers, weights uploaded) into `P`: once, before any run.\n"
    << "int init(const mote::rt::WeightsFile &w, float *P) {\n"
    << "  const mote::ocl::SessionConfig config = {kProgram, \"" << (half ? "-DMOTE_HALF=1" : "") << "\", "
    << "kArenaBytes, " << partBytes.size() << ", kSectionBytes, " << weights.sectionBytes().size()
    << ", kInputBytes, " << inputBytes.size() << ", kOutputBytes, " << outputBytes.size() << ", " << maxAlloc
    << "ull, " << scratchBytes << "ull};\n"
    << "  Session *s = nullptr;\n  if (int rc = Session::open(config, w, &s))\n    return rc;\n"
    << "  auto fail = [&](int rc) {\n    delete s;\n    return rc;\n  };\n  (void)fail;\n"
    << tablesText << "  *reinterpret_cast<Session **>(P) = s;\n  return 0;\n}\n\n"
    << "void release(float *P) { delete sessionOf(P); }\n\n"
    << "/// One inference.\n"
    << "int run(const mote::rt::WeightsFile &, unsigned char *, const float *P, const void *const *inputs,\n"
    << "        void *const *outputs) {\n"
    << "  Session &s = *sessionOf(P);\n  if (int rc = s.begin(inputs))\n    return rc;\n"
    << src.bodyText() << "  return s.end(outputs);\n}\n\n} // namespace\n\n"
    << codegen::writeCApiDefinitions(*api, "init", "run", "release");

  if (failed(writeSourceFile(func, dir, (name + ".h").str(), codegen::writeCApiHeader(*api))) ||
      failed(writeSourceFile(func, dir, (name + ".cpp").str(), source)) ||
      failed(writeSourceFile(func, dir, (name + ".cl").str(), *library)))
    return failure();
  SmallString<256> wpath(dir);
  llvm::sys::path::append(wpath, name + ".weights");
  return weights.write(func, wpath, "opencl");
}

LogicalResult emitArtifact(func::FuncOp func, StringRef dir, StringRef modelName) {
  return ModelEmitter(func).emit(dir, modelName);
}

} // namespace opencl
} // namespace mote
