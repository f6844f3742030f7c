// The NEON target: description, and running a function in simulation (emit, cross-compile, qemu).
#include "targets/neon/NeonTarget.h"

#include "targets/neon/Emitter.h"
#include "targets/neon/KernelSelection.h"
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

#include <algorithm>
#include <optional>
#include <string>

#ifndef MOTE_SOURCE_DIR
#error "MOTE_SOURCE_DIR must name the source root (set by targets/neon/CMakeLists.txt)"
#endif

using namespace mlir;

namespace mote {

TargetDescription NeonTarget::defaultDescription() const {
  TargetDescription d;
  d.name = "neon";
  d.layout = "NHWC";
  d.native = {"group_norm", "layer_norm", "rms_norm", "gelu", "silu", "attention"};
  d.activationType = "f32";
  d.weightTypes = {"i8", "i4"};
  d.vectorBytes = 16;
  return d;
}

std::vector<TargetFlag> NeonTarget::flags() const {
  std::vector<TargetFlag> flags = descriptionFlags();
  flags.push_back({"precision",
                   "Precision: f32, or f16 (f16 storage and arithmetic with -march=armv8.2-a+fp16; norm "
                   "statistics, softmax and reductions accumulate in f32)",
                   [](StringRef value, TargetDescription &d) -> std::string {
                     if (value != "f32" && value != "f16")
                       return "is not a precision (f32, f16)";
                     d.activationType = value.str();
                     return "";
                   }});
  return flags;
}

void NeonTarget::addKernelSelectionPasses(OpPassManager &pm) const { pm.addPass(neon::createSelectKernelsPass()); }

void NeonTarget::registerPasses() const { neon::registerSelectKernelsPass(); }

namespace {

std::string join(ArrayRef<std::string> args) {
  std::string s;
  for (const std::string &a : args)
    s += (s.empty() ? "" : " ") + a;
  return s;
}

/// The first `lines` lines of a file (a tool's output), indented for a diagnostic.
std::string head(StringRef path, unsigned lines = 20) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return "";
  SmallVector<StringRef> all;
  (*buffer)->getBuffer().split(all, '\n', -1, false);
  std::string out;
  for (unsigned i = 0; i < all.size() && i < lines; ++i)
    out += "\n  " + all[i].str();
  if (all.size() > lines)
    out += "\n  ...";
  return out;
}

/// Runs `args` (args[0] a full path) in `dir` with stdout+stderr to `log`; an error message on failure.
std::optional<std::string> execute(ArrayRef<std::string> args, StringRef log) {
  SmallVector<StringRef> refs(args.begin(), args.end());
  std::optional<StringRef> redirects[] = {StringRef(""), log, log};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(args[0], refs, std::nullopt, redirects, 0, 0, &error);
  if (rc == 0)
    return std::nullopt;
  std::string msg = "'" + join(args) + "' ";
  msg += rc < 0 ? "could not run (" + error + ")" : "exited with status " + std::to_string(rc);
  std::string output = head(log);
  if (!output.empty())
    msg += "; its output:" + output;
  return msg;
}

void collectSources(StringRef folder, std::vector<std::string> &out, StringRef skip = "") {
  std::error_code ec;
  std::vector<std::string> found;
  for (llvm::sys::fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    StringRef path = it->path();
    if (path.ends_with(".cpp") && llvm::sys::path::filename(path) != skip)
      found.push_back(path.str());
  }
  std::sort(found.begin(), found.end());
  out.insert(out.end(), found.begin(), found.end());
}

/// The raw little-endian bytes of `value` as the runtime stores `type`'s elements.
std::optional<std::string> rawBytes(ElementsAttr value, RankedTensorType type) {
  Type et = type.getElementType();
  int64_t n = type.getNumElements();
  std::string bytes;
  if (et.isF32()) {
    for (float f : value.getValues<float>())
      bytes.append(reinterpret_cast<const char *>(&f), 4);
  } else if (et.isInteger(64)) {
    for (int64_t v : value.getValues<int64_t>())
      bytes.append(reinterpret_cast<const char *>(&v), 8);
  } else if (et.isInteger(32)) {
    for (int32_t v : value.getValues<int32_t>())
      bytes.append(reinterpret_cast<const char *>(&v), 4);
  } else if (et.isInteger(1)) {
    for (bool v : value.getValues<bool>())
      bytes.push_back(v ? 1 : 0);
  } else {
    return std::nullopt;
  }
  if (static_cast<int64_t>(bytes.size()) != n * std::max<int64_t>(1, (et.getIntOrFloatBitWidth() + 7) / 8))
    return std::nullopt;
  return bytes;
}

DenseElementsAttr fromRaw(RankedTensorType type, StringRef bytes) {
  Type et = type.getElementType();
  if (et.isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes.data(), bytes.size()));
}

} // namespace

LogicalResult NeonTarget::emit(func::FuncOp func, StringRef dir) const { return neon::emitArtifact(func, dir); }

FailureOr<SmallVector<DenseElementsAttr>> NeonTarget::run(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                          const RunOptions &options) const {
  if (inputs.size() != func.getNumArguments())
    return func.emitError("neon: ") << inputs.size() << " inputs for " << func.getNumArguments() << " arguments";

  // Tools first: nothing is written if the simulation cannot run.
  auto cxx = llvm::sys::findProgramByName("aarch64-linux-gnu-g++");
  if (!cxx)
    return func.emitError("neon: cannot run in simulation: aarch64-linux-gnu-g++ is not on PATH "
                          "(apt-get install g++-aarch64-linux-gnu)");
  auto qemu = llvm::sys::findProgramByName("qemu-aarch64");
  if (!qemu)
    return func.emitError("neon: cannot run in simulation: qemu-aarch64 is not on PATH (apt-get install qemu-user)");

  // Emit from a copy: planning annotates the function.
  auto module = func->getParentOfType<ModuleOp>();
  OwningOpRef<ModuleOp> copy(cast<ModuleOp>(module->clone()));
  auto copyFunc = copy->lookupSymbol<func::FuncOp>(func.getSymName());
  if (!copyFunc)
    return func.emitError("neon: cannot copy the function");

  SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory("mote-neon", dir))
    return func.emitError("neon: cannot create a temporary folder: ") << ec.message();
  bool keep = llvm::sys::Process::GetEnv("MOTE_KEEP_TEMPS").has_value();
  struct Cleanup {
    SmallString<128> dir;
    bool keep;
    ~Cleanup() {
      if (keep)
        llvm::errs() << "motec: neon: kept the simulation folder " << dir << "\n";
      else
        llvm::sys::fs::remove_directories(dir);
    }
  } cleanup{dir, keep};
  auto path = [&](const Twine &name) {
    SmallString<256> p(dir);
    llvm::sys::path::append(p, name);
    return std::string(p);
  };

  if (failed(neon::emitArtifact(copyFunc, dir)))
    return failure();

  // Inputs as raw files.
  std::vector<std::string> inFiles, outFiles;
  for (auto [k, value] : llvm::enumerate(inputs)) {
    auto type = cast<RankedTensorType>(func.getArgumentTypes()[k]);
    if (cast<ShapedType>(value.getType()).getShape() != type.getShape() ||
        cast<ShapedType>(value.getType()).getElementType() != type.getElementType())
      return func.emitError("neon: input ") << k << " is " << value.getType() << ", the function takes " << type;
    auto bytes = rawBytes(value, type);
    if (!bytes)
      return func.emitError("neon: input ") << k << " has an element type the runner cannot take: " << type;
    std::string file = path("in_" + std::to_string(k) + ".bin");
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    if (ec)
      return func.emitError("neon: cannot write '") << file << "': " << ec.message();
    os << *bytes;
    inFiles.push_back(file);
  }
  for (unsigned k = 0; k < func.getNumResults(); ++k)
    outFiles.push_back(path("out_" + std::to_string(k) + ".bin"));

  // Cross-compile the generated program with the runtime.
  std::string source = MOTE_SOURCE_DIR;
  std::vector<std::string> compile = {*cxx, "-std=c++17", "-O2", "-static", "-fno-exceptions", "-I" + source,
                                      "-I" + std::string(dir), path("model.cpp")};
  // f16 storage (--neon-precision=f16): half-precision arithmetic and conversions of ARMv8.2-A.
  if (TargetAttr target = getModuleTarget(func))
    if (Type activation = target.getActivationType(); activation && activation.isF16())
      compile.push_back("-march=armv8.2-a+fp16");
  collectSources(source + "/runtime/core", compile);
  collectSources(source + "/runtime/neon", compile, "Runner.cpp");
  compile.push_back(source + "/runtime/neon/Runner.cpp");
  compile.push_back("-o");
  compile.push_back(path("runner"));
  if (auto error = execute(compile, path("compile.log")))
    return func.emitError("neon: cross-compiling the generated program failed: ") << *error;

  // Run it under qemu.
  std::vector<std::string> runArgs = {*qemu};
  // Extra simulator flags: motec run --sim-flags, or $MOTE_SIM_FLAGS (for tests that go through scripts).
  std::string simFlags = options.simulatorFlags;
  if (simFlags.empty())
    if (auto flags = llvm::sys::Process::GetEnv("MOTE_SIM_FLAGS"))
      simFlags = *flags;
  SmallVector<StringRef> parts;
  StringRef(simFlags).split(parts, ' ', -1, false);
  for (StringRef p : parts)
    runArgs.push_back(p.str());
  runArgs.insert(runArgs.end(), {"-L", "/usr/aarch64-linux-gnu", path("runner")});
  // The runtime's thread count: $MOTE_NEON_THREADS (the runner's default is one thread).
  if (auto threads = llvm::sys::Process::GetEnv("MOTE_NEON_THREADS"))
    if (!StringRef(*threads).trim().empty())
      runArgs.push_back("--threads=" + StringRef(*threads).trim().str());
  runArgs.push_back(path("model.weights"));
  runArgs.insert(runArgs.end(), inFiles.begin(), inFiles.end());
  runArgs.push_back("--");
  runArgs.insert(runArgs.end(), outFiles.begin(), outFiles.end());
  if (auto error = execute(runArgs, path("run.log")))
    return func.emitError("neon: running the generated program under qemu failed: ") << *error;

  SmallVector<DenseElementsAttr> results;
  for (auto [k, file] : llvm::enumerate(outFiles)) {
    auto type = cast<RankedTensorType>(func.getResultTypes()[k]);
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buffer)
      return func.emitError("neon: the runner wrote no output ") << k << " ('" << file << "')";
    Type et = type.getElementType();
    int64_t expected = type.getNumElements() * std::max<int64_t>(1, (et.getIntOrFloatBitWidth() + 7) / 8);
    StringRef bytes = (*buffer)->getBuffer();
    if (static_cast<int64_t>(bytes.size()) != expected)
      return func.emitError("neon: output ") << k << " has " << bytes.size() << " bytes, expected " << expected;
    results.push_back(fromRaw(type, bytes));
  }
  return results;
}

} // namespace mote
