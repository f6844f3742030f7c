// The OpenCL target: description, flags, and running a function (emit, compile the host program, run it on
// the OpenCL device: pocl in simulation).
#include "targets/opencl/OpenClTarget.h"

#include "targets/Simulation.h"
#include "targets/opencl/Emitter.h"
#include "targets/opencl/KernelSelection.h"

#include "mlir/IR/BuiltinOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <cstdlib>

using namespace mlir;

namespace mote {

// Mobile GPU as the TFLite GPU delegate saw it (seeds/000, AQDS): rank <= 4, no BroadcastTo, fully connected
// inputs of rank <= 2, a cap on what one kernel touches; f16 storage. Unlike the delegate, Mote's own
// kernels normalize groups in one launch (group_norm is native; --opencl-native without it gives AQDS's
// broadcast-free decomposition), chains of elementwise ops, with the norm before them, run as one
// generated kernel each, matmuls and convolutions apply their bias, residual (also one per channel) and
// activation or gated product as they store, the GEMM normalizes the rows a layer or RMS norm before it would
// write, attention reads and writes through its head transposes, and the rotary embedding (with x's head
// transpose) is one generated kernel.
TargetDescription OpenClTarget::defaultDescription() const {
  TargetDescription d;
  d.name = "opencl";
  d.maxRank = 4;
  d.implicitBroadcast = true;
  d.explicitBroadcast = false;
  d.fcMaxInputRank = 2;
  d.maxTensorBytes = 32 << 20;
  d.layout = "NHWC";
  d.native = {"group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"};
  d.fusions = {"elementwise",   "norm_elementwise",   "attention",       "linear_epilogue", "linear_epilogue_broadcast",
               "gated_linear", "norm_prologue",      "norm_prologue_conv", "sibling_matmuls", "rotary",
               "group_norm_conv", "upsample_conv"};
  d.activationType = "f16";
  d.weightTypes = {"i8"};
  d.vectorBytes = 16;
  d.maxAllocBytes = int64_t(256) << 20; // Adreno 740's measured single-allocation cap
  return d;
}

std::vector<TargetFlag> OpenClTarget::flags() const {
  std::vector<TargetFlag> flags = descriptionFlags(defaultDescription());
  flags.push_back({"precision",
                   "Precision: f16 (default: half storage saturated to +-65504, f32 arithmetic; half arithmetic "
                   "for binary ops where the device has cl_khr_fp16) or f32",
                   [](StringRef value, TargetDescription &d) -> std::string {
                     if (value != "f32" && value != "f16")
                       return "is not a precision (f32, f16)";
                     d.activationType = value.str();
                     return "";
                   }});
  flags.push_back({"max-alloc-bytes",
                   "The largest single device allocation (default 268435456, 256 MiB: Adreno 740's cap); the "
                   "activations are split into buffers no larger, and a tensor larger is an error",
                   [](StringRef value, TargetDescription &d) -> std::string {
                     int64_t n = 0;
                     if (value.getAsInteger(10, n) || n < 0)
                       return "is not a byte count";
                     d.maxAllocBytes = n;
                     return "";
                   }});
  return flags;
}

void OpenClTarget::addLegalizationPasses(OpPassManager &pm) const {
  pm.addPass(opencl::createFoldWeightTransposesPass());
}

void OpenClTarget::addKernelSelectionPasses(OpPassManager &pm) const {
  pm.addPass(opencl::createSelectKernelsPass());
}

void OpenClTarget::registerPasses() const {
  opencl::registerSelectKernelsPass();
  opencl::registerFoldWeightTransposesPass();
}

LogicalResult OpenClTarget::emit(func::FuncOp func, StringRef dir, const EmitOptions &options) const {
  return opencl::emitArtifact(func, dir, options.modelName);
}

namespace {

/// Sets $name to `value` for the programs motec runs, unless the user set it.
void defaultEnvironment(const char *name, const std::string &value) {
  if (!llvm::sys::Process::GetEnv(name))
    ::setenv(name, value.c_str(), 0);
}

} // namespace

FailureOr<SmallVector<DenseElementsAttr>> OpenClTarget::run(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                            const RunOptions &options) const {
  // Tools first: nothing is written if the program cannot be built.
  llvm::Expected<std::string> cxx = sim::findTool("g++", "g++");
  llvm::Expected<std::string> ar = sim::findTool("ar", "binutils");
  for (llvm::Expected<std::string> *tool : {&cxx, &ar})
    if (!*tool)
      return func.emitError("opencl: ") << llvm::toString(tool->takeError());
  if (!llvm::sys::fs::exists("/usr/include/CL/cl.h"))
    return func.emitError("opencl: the OpenCL headers are missing (Debian: opencl-c-headers ocl-icd-opencl-dev; "
                          "a device: pocl-opencl-icd)");
  if (!options.simulatorFlags.empty())
    return func.emitError("opencl: --sim-flags is for simulators; the OpenCL program runs on this machine");

  sim::TemporaryFolder folder("mote-opencl", "the OpenCL run's folder");
  if (folder.error())
    return func.emitError("opencl: cannot create a temporary folder: ") << folder.error().message();
  StringRef dir = folder.path();
  auto path = [&](const Twine &name) { return folder.file(name); };
  if (failed(opencl::emitArtifact(func, dir, "model")))
    return failure();
  FailureOr<std::vector<std::string>> inFiles = sim::writeInputFiles(func, inputs, folder, "opencl");
  if (failed(inFiles))
    return failure();
  std::vector<std::string> outFiles = sim::outputFilePaths(func, folder);

  // The host runtime (runtime/core and runtime/opencl), built once per configuration.
  std::string source = sim::runtimeSourceRoot();
  sim::RuntimeBuild runtime;
  runtime.compiler = *cxx;
  runtime.archiver = *ar;
  runtime.flags = {"-std=c++17", "-O2", "-fno-exceptions", "-I" + source};
  sim::addRuntimeFolders(runtime, {"runtime/core", "runtime/opencl"});
  runtime.cacheRoot = sim::runtimeCacheRoot();
  llvm::Expected<std::string> library = sim::cachedRuntimeLibrary(runtime);
  if (!library)
    return func.emitError("opencl: ") << llvm::toString(library.takeError());
  std::vector<std::string> link = {*cxx};
  link.insert(link.end(), runtime.flags.begin(), runtime.flags.end());
  link.insert(link.end(), {"-I" + dir.str(), path("model.cpp"), source + "/runtime/simulation/Runner.cpp", *library,
                           "-lOpenCL", "-lpthread", "-o", path("runner")});
  if (auto error = sim::execute(link, path("compile.log")))
    return func.emitError("opencl: compiling the generated host program failed: ") << *error;

  // pocl's kernel cache and Mote's program binaries beside the runtime libraries: repeatable, and warm.
  defaultEnvironment("POCL_CACHE_DIR", sim::runtimeCacheRoot() + "/pocl");
  defaultEnvironment("MOTE_OPENCL_CACHE_DIR", sim::runtimeCacheRoot() + "/opencl-programs");
  std::vector<std::string> args = {path("runner")};
  if (options.benchmark)
    args.push_back("--bench");
  args.push_back(path("model.weights"));
  args.insert(args.end(), inFiles->begin(), inFiles->end());
  args.push_back("--");
  args.insert(args.end(), outFiles.begin(), outFiles.end());
  if (auto error = sim::execute(args, path("run.log")))
    return func.emitError("opencl: running the generated program failed: ") << *error;
  return sim::readOutputFiles(func, outFiles, "opencl");
}

} // namespace mote
