// The NEON target: description, and running a function in simulation (emit, cross-compile, qemu).
#include "targets/neon/NeonTarget.h"
#include "codegen/LlmInterface.h"

#include "targets/neon/Emitter.h"
#include "targets/neon/KernelSelection.h"
#include "targets/Simulation.h"
#include "targets/TargetDescription.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"

#include <optional>
#include <string>

using namespace mlir;

namespace mote {

TargetDescription NeonTarget::defaultDescription() const {
  TargetDescription d;
  d.name = "neon";
  d.layout = "NHWC";
  d.native = {"group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"};
  // linear_epilogue: the GEMM and convolution epilogues (bias, residual, activation; f16: the f16 GEMM, 1x1 and
  // 3x3 kernels, the others on widened copies); norm_prologue: the f32 GEMM normalizing its rows as it packs
  // them; linear_epilogue_broadcast: a residual of one value per column added to the f32 kernels' bias;
  // group_norm_conv and upsample_conv: the f32 convolutions normalizing their input, or reading it upsampled, a
  // band of rows at a time, and summing their output's group statistics (runtime/neon/ConvBands.cpp).
  // --neon-precision=f16 drops those four.
  d.fusions = {"elementwise",     "norm_elementwise", "attention",       "linear_epilogue",
               "linear_epilogue_broadcast", "norm_prologue", "sibling_matmuls", "rotary",
               "group_norm_conv", "upsample_conv"};
  d.activationType = "f32";
  d.weightTypes = {"i8", "i4"};
  d.vectorBytes = 16;
  return d;
}

std::vector<TargetFlag> NeonTarget::flags() const {
  std::vector<TargetFlag> flags = descriptionFlags(defaultDescription());
  // i8 activations are the integer pipeline (--quantize=w8a8, or w8a16's int16), which has no fused kernels and
  // takes a group norm in the form it is imported in (mote-quantize-activations recognizes the chain).
  for (TargetFlag &flag : flags)
    if (flag.name == "activation-type") {
      flag.help = "Activation (storage) type: f32, f16 (see --neon-precision), or i8: the integer pipeline of "
                  "--quantize=w8a8 (int8) or w8a16 (int16), equal bit for bit to the reference target";
      flag.apply = [generic = flag.apply](StringRef value, TargetDescription &d) -> std::string {
        std::string error = generic(value, d);
        if (error.empty() && value == "i8") {
          d.fusions.clear();
          llvm::erase(d.native, "group_norm");
        }
        return error;
      };
    }
  flags.push_back({"precision",
                   "Precision: f32, or f16 (f16 storage and arithmetic with -march=armv8.2-a+fp16; norm "
                   "statistics, softmax and reductions accumulate in f32)",
                   [](StringRef value, TargetDescription &d) -> std::string {
                     if (value != "f32" && value != "f16")
                       return "is not a precision (f32, f16)";
                     d.activationType = value.str();
                     // The f16 GEMM stores through an f16 epilogue but normalizes no rows as it packs them,
                     // and the f16 convolutions take no group norm.
                     if (value == "f16") {
                       llvm::erase(d.fusions, "norm_prologue");
                       llvm::erase(d.fusions, "linear_epilogue_broadcast");
                       llvm::erase(d.fusions, "group_norm_conv");
                       llvm::erase(d.fusions, "upsample_conv");
                     }
                     return "";
                   }});
  return flags;
}

namespace {

/// Cross-compiles `sources` (generated; their headers in `dir` and `includeDir`, when given) with the driver
/// `runner` (a path under the runtime source root, e.g. "runtime/simulation/Runner.cpp") into the static
/// program `out`, against the runtime library built once per
/// configuration (f16: ARMv8.2-A half-precision arithmetic). The compiler's output goes to dir/compile.log.
std::optional<std::string> buildProgram(const std::string &cxx, const std::string &ar, StringRef dir,
                                        ArrayRef<std::string> sources, StringRef runner, bool f16,
                                        const std::string &out, StringRef includeDir = "",
                                        StringRef includeDir2 = "") {
  std::string source = sim::runtimeSourceRoot();
  sim::RuntimeBuild runtime;
  runtime.compiler = cxx;
  runtime.archiver = ar;
  runtime.flags = {"-std=c++17", "-O3", "-fno-exceptions", "-I" + source};
  if (f16)
    runtime.flags.push_back("-march=armv8.2-a+fp16");
  sim::addRuntimeFolders(runtime, {"runtime/core", "runtime/neon", "runtime/integer"});
  runtime.cacheRoot = sim::runtimeCacheRoot();
  bool reused = false;
  llvm::Expected<std::string> library = sim::cachedRuntimeLibrary(runtime, &reused);
  if (!library)
    return llvm::toString(library.takeError());
  if (llvm::sys::Process::GetEnv("MOTE_VERBOSE"))
    llvm::errs() << "motec: neon: " << (reused ? "reusing" : "built") << " the runtime library " << *library
                 << " (runtime sources in " << source << ")\n";
  std::vector<std::string> link = {cxx};
  link.insert(link.end(), runtime.flags.begin(), runtime.flags.end());
  link.insert(link.end(), {"-static", "-I" + dir.str()});
  for (StringRef folder : {includeDir, includeDir2})
    if (!folder.empty())
      link.push_back("-I" + folder.str());
  link.insert(link.end(), sources.begin(), sources.end());
  link.insert(link.end(), {source + "/" + runner.str(), *library, "-o", out});
  SmallString<256> log(dir);
  llvm::sys::path::append(log, "compile.log");
  if (auto error = sim::execute(link, log))
    return "cross-compiling the generated program failed: " + *error;
  return std::nullopt;
}

/// qemu-aarch64 and its flags: motec's --sim-flags, else $MOTE_SIM_FLAGS.
std::vector<std::string> qemuCommand(const std::string &qemu, const RunOptions &options) {
  std::vector<std::string> args = {qemu};
  std::string simFlags = options.simulatorFlags;
  if (simFlags.empty())
    if (auto flags = llvm::sys::Process::GetEnv("MOTE_SIM_FLAGS"))
      simFlags = *flags;
  SmallVector<StringRef> parts;
  StringRef(simFlags).split(parts, ' ', -1, false);
  for (StringRef p : parts)
    args.push_back(p.str());
  return args;
}

} // namespace

void NeonTarget::addKernelSelectionPasses(OpPassManager &pm) const { pm.addPass(neon::createSelectKernelsPass()); }

void NeonTarget::registerPasses() const { neon::registerSelectKernelsPass(); }

LogicalResult NeonTarget::emit(func::FuncOp func, StringRef dir, const EmitOptions &options) const {
  return neon::emitArtifact(func, dir, options.modelName);
}

FailureOr<SmallVector<DenseElementsAttr>> NeonTarget::run(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                          const RunOptions &options) const {
  // Tools first: nothing is written if the simulation cannot run.
  llvm::Expected<std::string> cxx = sim::findTool("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu");
  llvm::Expected<std::string> ar = sim::findTool("aarch64-linux-gnu-ar", "binutils-aarch64-linux-gnu");
  llvm::Expected<std::string> qemu = sim::findTool("qemu-aarch64", "qemu-user");
  for (llvm::Expected<std::string> *tool : {&cxx, &ar, &qemu})
    if (!*tool)
      return func.emitError("neon: ") << llvm::toString(tool->takeError());

  sim::TemporaryFolder folder("mote-neon", "the simulation folder");
  if (folder.error())
    return func.emitError("neon: cannot create a temporary folder: ") << folder.error().message();
  StringRef dir = folder.path();
  auto path = [&](const Twine &name) { return folder.file(name); };

  if (failed(neon::emitArtifact(func, dir, "model")))
    return failure();

  FailureOr<std::vector<std::string>> inFiles = sim::writeInputFiles(func, inputs, folder, "neon");
  if (failed(inFiles))
    return failure();
  std::vector<std::string> outFiles = sim::outputFilePaths(func, folder);

  bool f16 = false;
  if (TargetAttr target = getModuleTarget(func))
    if (Type activation = target.getActivationType(); activation && activation.isF16())
      f16 = true;
  if (auto error =
          buildProgram(*cxx, *ar, dir, {path("model.cpp")}, "runtime/simulation/Runner.cpp", f16, path("runner")))
    return func.emitError("neon: ") << *error;

  // Run it under qemu.
  // Extra simulator flags: motec run --sim-flags, or $MOTE_SIM_FLAGS (for tests that go through scripts).
  std::vector<std::string> runArgs = qemuCommand(*qemu, options);
  runArgs.insert(runArgs.end(), {"-L", "/usr/aarch64-linux-gnu", path("runner")});
  // The runtime's thread count: $MOTE_NEON_THREADS (the runner's default is one thread).
  if (auto threads = llvm::sys::Process::GetEnv("MOTE_NEON_THREADS"))
    if (!StringRef(*threads).trim().empty())
      runArgs.push_back("--threads=" + StringRef(*threads).trim().str());
  if (options.benchmark)
    runArgs.push_back("--bench");
  runArgs.push_back(path("model.weights"));
  runArgs.insert(runArgs.end(), inFiles->begin(), inFiles->end());
  runArgs.push_back("--");
  runArgs.insert(runArgs.end(), outFiles.begin(), outFiles.end());
  if (auto error = sim::execute(runArgs, path("run.log")))
    return func.emitError("neon: running the generated program under qemu failed: ") << *error;

  return sim::readOutputFiles(func, outFiles, "neon");
}

bool NeonTarget::packsAlike(StringRef dir, StringRef nameA, StringRef nameB) const {
  auto initOf = [&](StringRef name) -> std::optional<std::string> {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, name + ".cpp");
    auto text = llvm::MemoryBuffer::getFile(p);
    if (!text)
      return std::nullopt;
    StringRef body = (*text)->getBuffer();
    size_t at = body.find("\nint init("); // ModelEmitter::emit's packing function
    size_t end = at == StringRef::npos ? StringRef::npos : body.find("\n}\n", at);
    if (end == StringRef::npos)
      return std::nullopt;
    return body.substr(at, end - at).str();
  };
  std::optional<std::string> a = initOf(nameA), b = initOf(nameB);
  return a && b && *a == *b;
}

llvm::Expected<std::string> NeonTarget::generate(const LlmArtifacts &artifacts, ArrayRef<std::string> runnerArgs,
                                                 const RunOptions &options, std::string &log) const {
  const StringRef dir = artifacts.dir, name = artifacts.name;
  llvm::Expected<std::string> cxx = sim::findTool("aarch64-linux-gnu-g++", "g++-aarch64-linux-gnu");
  llvm::Expected<std::string> ar = sim::findTool("aarch64-linux-gnu-ar", "binutils-aarch64-linux-gnu");
  llvm::Expected<std::string> qemu = sim::findTool("qemu-aarch64", "qemu-user");
  for (llvm::Expected<std::string> *tool : {&cxx, &ar, &qemu})
    if (!*tool)
      return tool->takeError();
  auto path = [&](const Twine &file) {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, file);
    return std::string(p);
  };
  // The program is built and run in a folder of its own: the artifact's folder is left as it was.
  sim::TemporaryFolder folder("mote-generate-run", "the generation program's folder");
  if (folder.error())
    return llvm::createStringError("cannot create a temporary folder: " + folder.error().message());
  StringRef work = folder.path();
  auto workPath = [&](const Twine &file) { return folder.file(file); };
  // The generation runner includes mote_generate_model.h, which names the artifact's LLM API.
  std::string header = workPath("mote_generate_model.h");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(header, ec);
    if (ec)
      return llvm::createStringError("cannot write '" + header + "': " + ec.message());
    os << "// Written by motec generate: the artifacts the generation runner is built with.\n"
       << "#include \"" << name << "_llm.h\"\n#define MOTE_LLM(x) " << name << "_llm_##x\n";
    if (!artifacts.draftDir.empty())
      os << "#include \"" << artifacts.draftName << "_llm.h\"\n#define MOTE_DRAFT(x) " << artifacts.draftName
         << "_llm_##x\n";
  }
  // f16 artifacts need ARMv8.2-A's half-precision arithmetic in the whole program: the model and its draft agree.
  std::optional<bool> f16;
  for (auto [folder, model] : {std::pair{dir, name}, {StringRef(artifacts.draftDir), StringRef(artifacts.draftName)}}) {
    if (folder.empty())
      continue;
    SmallString<256> p(folder);
    llvm::sys::path::append(p, codegen::llmPrefillName(model) + ".cpp");
    auto text = llvm::MemoryBuffer::getFile(p);
    if (!text)
      return llvm::createStringError("'" + folder.str() + "' holds no LLM artifact named '" + model.str() +
                                     "' (motec compile --llm --name=" + model.str() + ")");
    bool half = (*text)->getBuffer().contains("__fp16");
    if (f16 && *f16 != half)
      return llvm::createStringError("the model and its draft were compiled for different --neon-precision");
    f16 = half;
  }
  std::vector<std::string> sources;
  std::vector<std::pair<std::string, std::string>> models = {{dir.str(), name.str()}};
  if (!artifacts.draftDir.empty())
    models.push_back({artifacts.draftDir, artifacts.draftName});
  for (auto &[folder, model] : models) {
    for (const std::string &file :
         {codegen::llmPrefillName(model) + ".cpp", codegen::llmDecodeName(model) + ".cpp", model + "_llm.cpp"}) {
      SmallString<256> p(folder);
      llvm::sys::path::append(p, file);
      sources.push_back(std::string(p));
    }
  }
  // The draft's headers: a second include folder (the artifact's is the first).
  if (auto error = buildProgram(*cxx, *ar, work, sources, "runtime/neon/GenerateRunner.cpp", *f16, workPath("generate"), dir,
                                artifacts.draftDir))
    return llvm::createStringError(*error);
  std::vector<std::string> args = qemuCommand(*qemu, options);
  args.insert(args.end(), {"-L", "/usr/aarch64-linux-gnu", workPath("generate")});
  if (auto threads = llvm::sys::Process::GetEnv("MOTE_NEON_THREADS"))
    if (!StringRef(*threads).trim().empty())
      args.push_back("--threads=" + StringRef(*threads).trim().str());
  args.insert(args.end(), runnerArgs.begin(), runnerArgs.end());
  std::string tokens = workPath("tokens.txt"), logPath = workPath("generate.log");
  args.push_back("--tokens-out=" + tokens);
  if (!artifacts.draftDir.empty()) {
    SmallString<256> w(artifacts.draftDir);
    llvm::sys::path::append(w, artifacts.draftName + ".weights");
    args.push_back("--draft-weights=" + std::string(w));
  }
  args.push_back(path(name + ".weights"));
  std::optional<std::string> error = sim::execute(args, logPath);
  if (auto text = llvm::MemoryBuffer::getFile(logPath))
    log = (*text)->getBuffer().str();
  if (error)
    return llvm::createStringError("running the generation under qemu failed: " + *error);
  auto text = llvm::MemoryBuffer::getFile(tokens);
  if (!text)
    return llvm::createStringError("the generation runner wrote no tokens");
  return (*text)->getBuffer().str();
}

} // namespace mote
