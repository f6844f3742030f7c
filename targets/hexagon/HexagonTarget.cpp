// See HexagonTarget.h.
#include "targets/hexagon/HexagonTarget.h"

#include "ir/ActivationQuantization.h"
#include "targets/Simulation.h"
#include "targets/hexagon/Emitter.h"
#include "targets/hexagon/KernelSelection.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <cstring>

using namespace mlir;

namespace mote {

TargetDescription HexagonTarget::defaultDescription() const {
  TargetDescription d;
  d.name = "hexagon";
  d.maxRank = 4;
  d.layout = "NHWC";
  d.native = {"layer_norm", "rms_norm", "gelu", "silu", "attention"};
  d.activationType = "i8";
  d.weightTypes = {"i8"};
  d.vectorBytes = 128;
  d.fastMemoryBytes = 8 << 20;
  return d;
}

void HexagonTarget::addKernelSelectionPasses(OpPassManager &pm) const { pm.addPass(hexagon::createSelectKernelsPass()); }

void HexagonTarget::registerPasses() const { hexagon::registerSelectKernelsPass(); }

LogicalResult HexagonTarget::emit(func::FuncOp func, StringRef dir, const EmitOptions &options) const {
  return hexagon::emitArtifact(func, dir, options.modelName);
}

FailureOr<SmallVector<DenseElementsAttr>> HexagonTarget::run(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                             const RunOptions &options) const {
  // Tools first: nothing is written if the program cannot be built.
  llvm::Expected<std::string> clang = sim::findTool("clang-22", "clang-22");
  llvm::Expected<std::string> ar = sim::findTool("llvm-ar-22", "llvm-22");
  llvm::Expected<std::string> qemu = sim::findTool("qemu-hexagon", "qemu-user");
  for (llvm::Expected<std::string> *tool : {&clang, &ar, &qemu})
    if (!*tool)
      return func.emitError("hexagon: ") << llvm::toString(tool->takeError());
  // clang tells lld by its file name: ld.lld-22 would be driven as a GNU linker.
  const std::string lld = "/usr/lib/llvm-22/bin/ld.lld";
  if (!llvm::sys::fs::can_execute(lld))
    return func.emitError("hexagon: ") << lld << " not found (Debian package lld-22)";
  FailureOr<hexagon::EdgeScales> scales = hexagon::edgeScales(func);
  if (failed(scales))
    return failure();
  if (inputs.size() != func.getNumArguments())
    return func.emitError("hexagon: ") << inputs.size() << " inputs given, the model has " << func.getNumArguments();

  sim::TemporaryFolder folder("mote-hexagon", "the Hexagon run's folder");
  if (folder.error())
    return func.emitError("hexagon: cannot create a temporary folder: ") << folder.error().message();
  StringRef dir = folder.path();
  auto path = [&](const Twine &name) { return folder.file(name); };
  if (failed(hexagon::emitArtifact(func, dir, "model")))
    return failure();

  // The float inputs quantized here, with the arithmetic of mote.quantize_activation; int64 inputs and those of
  // scale 0 (a timestep the program reads as f32) as they are.
  std::vector<std::string> inFiles, outFiles;
  for (unsigned k = 0; k < inputs.size(); ++k) {
    auto value = dyn_cast<DenseElementsAttr>(inputs[k]);
    const bool ids = value && value.getElementType().isInteger(64);
    if (!value || value.getType() != func.getArgumentTypes()[k] || (!value.getElementType().isF32() && !ids))
      return func.emitError("hexagon: input ") << k << " is not the f32 or i64 tensor " << func.getArgumentTypes()[k];
    std::string bytes;
    if (ids)
      for (const APInt &x : value.getValues<APInt>()) {
        const uint64_t v = x.getZExtValue();
        for (int b = 0; b < 8; ++b) // little-endian, as the device
          bytes.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
      }
    else if (scales->inputs[k] == 0.0f)
      for (float x : value.getValues<float>()) {
        uint32_t v;
        std::memcpy(&v, &x, sizeof v);
        for (int b = 0; b < 4; ++b)
          bytes.push_back(static_cast<char>((v >> (8 * b)) & 0xff));
      }
    else
      for (float x : value.getValues<float>()) { // int8, or int16 little-endian
        const int32_t q = quantizeActivation(x, scales->inputs[k], activationQMax(8 * scales->activationBytes));
        for (unsigned b = 0; b < scales->activationBytes; ++b)
          bytes.push_back(static_cast<char>((static_cast<uint32_t>(q) >> (8 * b)) & 0xff));
      }
    inFiles.push_back(path("in_" + std::to_string(k) + ".bin"));
    std::error_code ec;
    llvm::raw_fd_ostream os(inFiles.back(), ec);
    if (ec)
      return func.emitError("hexagon: cannot write ") << inFiles.back() << ": " << ec.message();
    os << bytes;
  }
  for (unsigned k = 0; k < func.getNumResults(); ++k)
    outFiles.push_back(path("out_" + std::to_string(k) + ".bin"));

  // runtime/hexagon built once per configuration; the generated program and the runner linked against it.
  std::string source = sim::runtimeSourceRoot();
  sim::RuntimeBuild runtime;
  runtime.compiler = *clang;
  runtime.archiver = *ar;
  runtime.flags = {"--target=hexagon", "-mcpu=hexagonv68", "-mhvx", "-mhvx-length=128b", "-ffreestanding", "-O2",
                   "-std=c11", "-I" + source};
  sim::addRuntimeFolders(runtime, {"runtime/hexagon", "runtime/integer"});
  runtime.cacheRoot = sim::runtimeCacheRoot();
  llvm::Expected<std::string> library = sim::cachedRuntimeLibrary(runtime);
  if (!library)
    return func.emitError("hexagon: ") << llvm::toString(library.takeError());
  std::vector<std::string> link = {*clang};
  link.insert(link.end(), runtime.flags.begin(), runtime.flags.end());
  link.insert(link.end(), {"-I" + dir.str(), path("model.c"), source + "/runtime/hexagon/Runner.c", *library,
                           "-nostdlib", "-static", "--ld-path=" + lld, "-o", path("runner")});
  if (auto error = sim::execute(link, path("compile.log")))
    return func.emitError("hexagon: compiling the generated program failed: ") << *error;

  std::vector<std::string> args = {*qemu, "-cpu", "v67"};
  for (StringRef flag : llvm::split(options.simulatorFlags, ' '))
    if (!flag.empty())
      args.push_back(flag.str());
  args.push_back(path("runner"));
  if (options.benchmark)
    args.insert(args.end(), {"--runs", "3"});
  args.push_back(path("model.weights"));
  args.insert(args.end(), inFiles.begin(), inFiles.end());
  args.push_back("--");
  args.insert(args.end(), outFiles.begin(), outFiles.end());
  if (auto error = sim::execute(args, path("run.log")))
    return func.emitError("hexagon: running the generated program under qemu-hexagon failed: ") << *error;

  // The outputs dequantized here, with the arithmetic of mote.dequantize_activation.
  SmallVector<DenseElementsAttr> results;
  for (unsigned k = 0; k < outFiles.size(); ++k) {
    auto type = cast<RankedTensorType>(func.getResultTypes()[k]);
    auto buffer = llvm::MemoryBuffer::getFile(outFiles[k], /*IsText=*/false, /*RequiresNullTerminator=*/false);
    const int64_t bytes = type.getNumElements() * scales->activationBytes;
    if (!buffer || static_cast<int64_t>((*buffer)->getBufferSize()) != bytes)
      return func.emitError("hexagon: the program wrote no output ") << k << " of " << bytes << " bytes";
    std::vector<float> values;
    StringRef data = (*buffer)->getBuffer();
    for (int64_t e = 0; e < type.getNumElements(); ++e) {
      const auto *p = reinterpret_cast<const uint8_t *>(data.data()) + e * scales->activationBytes;
      const int32_t q = scales->activationBytes == 2 ? static_cast<int16_t>(p[0] | (p[1] << 8)) : static_cast<int8_t>(p[0]);
      values.push_back(dequantizeActivation(q, scales->outputs[k]));
    }
    results.push_back(DenseElementsAttr::get(type, ArrayRef<float>(values)));
  }
  return results;
}

} // namespace mote
