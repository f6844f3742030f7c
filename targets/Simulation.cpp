// Running targets in simulation: tools, commands, the cached runtime library, raw tensors (see Simulation.h).
#include "targets/Simulation.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>

#include <unistd.h>

#if !defined(MOTE_BUILD_DIR) || !defined(MOTE_SOURCE_DIR) || !defined(MOTE_DATA_FROM_BIN)
#error "MOTE_BUILD_DIR, MOTE_SOURCE_DIR and MOTE_DATA_FROM_BIN must be set (by targets/CMakeLists.txt)"
#endif

using namespace mlir;

namespace mote {
namespace sim {

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

std::string path(StringRef dir, const llvm::Twine &name) {
  SmallString<256> p(dir);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

/// Every regular file under `folder`, sorted (for a key that does not depend on directory order).
void listFiles(StringRef folder, std::vector<std::string> &out) {
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    if (it->type() == llvm::sys::fs::file_type::regular_file)
      out.push_back(it->path());
}

/// The key of `build`: a SHA-256 over the compiler's identity, the flags and every source and header.
llvm::Expected<std::string> keyOf(const RuntimeBuild &build, StringRef scratch) {
  llvm::SHA256 hash;
  auto add = [&](StringRef s) {
    hash.update(s);
    hash.update(StringRef("\0", 1));
  };
  add(build.compiler);
  std::string versionLog = path(scratch, "compiler-version.txt");
  if (auto error = execute({build.compiler, "--version"}, versionLog))
    return llvm::createStringError(*error);
  auto version = llvm::MemoryBuffer::getFile(versionLog);
  if (!version)
    return llvm::createStringError("cannot read the output of '" + build.compiler + " --version'");
  add((*version)->getBuffer());
  for (const std::string &f : build.flags)
    add(f);
  std::vector<std::string> files(build.sources.begin(), build.sources.end());
  for (const std::string &folder : build.keyFolders)
    listFiles(folder, files);
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  for (const std::string &f : files) {
    auto content = llvm::MemoryBuffer::getFile(f, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!content)
      return llvm::createStringError("cannot read runtime file '" + f + "'");
    add(f);
    add((*content)->getBuffer());
  }
  std::array<uint8_t, 32> digest = hash.final();
  return llvm::toHex(ArrayRef<uint8_t>(digest.data(), 16), /*LowerCase=*/true);
}

} // namespace

llvm::Expected<std::string> findTool(StringRef program, StringRef debianPackage) {
  auto found = llvm::sys::findProgramByName(program);
  if (!found)
    return llvm::createStringError(("cannot run in simulation: " + program + " is not on PATH (apt-get install " +
                                    debianPackage + ")")
                                       .str());
  return *found;
}

std::optional<std::string> execute(ArrayRef<std::string> args, StringRef logPath) {
  SmallVector<StringRef> refs(args.begin(), args.end());
  std::optional<StringRef> redirects[] = {StringRef(""), logPath, logPath};
  std::string error;
  int rc = llvm::sys::ExecuteAndWait(args[0], refs, std::nullopt, redirects, 0, 0, &error);
  if (rc == 0)
    return std::nullopt;
  std::string msg = "'" + join(args) + "' ";
  // ExecuteAndWait: -1 when the program could not be started, -2 when a signal ended it.
  if (rc == -2)
    msg += "crashed (" + error + ")";
  else if (rc < 0)
    msg += "could not run (" + error + ")";
  else
    msg += "exited with status " + std::to_string(rc);
  std::string output = head(logPath);
  if (!output.empty())
    msg += "; its output:" + output;
  return msg;
}

namespace {

/// The installed runtime folder (PREFIX/share/mote, found from motec's own folder as the install rules laid
/// them out) when this program is an installed one, else nullopt.
std::optional<std::string> installedDataRoot() {
  static const std::optional<std::string> root = []() -> std::optional<std::string> {
    static int anchor;
    std::string exe = llvm::sys::fs::getMainExecutable(nullptr, &anchor);
    if (exe.empty())
      return std::nullopt;
    llvm::SmallString<256> data(llvm::sys::path::parent_path(exe));
    llvm::sys::path::append(data, MOTE_DATA_FROM_BIN);
    llvm::sys::path::remove_dots(data, /*remove_dot_dot=*/true);
    llvm::SmallString<256> probe(data);
    llvm::sys::path::append(probe, "runtime", "core", "Model.h");
    if (!llvm::sys::fs::exists(probe))
      return std::nullopt;
    return std::string(data);
  }();
  return root;
}

} // namespace

std::string runtimeSourceRoot() {
  if (std::optional<std::string> installed = installedDataRoot())
    return *installed;
  return MOTE_SOURCE_DIR;
}

TemporaryFolder::TemporaryFolder(llvm::StringRef prefix, llvm::StringRef what) : what_(what.str()) {
  llvm::SmallString<128> dir;
  error_ = llvm::sys::fs::createUniqueDirectory(prefix, dir);
  if (!error_)
    path_ = std::string(dir);
}

TemporaryFolder::~TemporaryFolder() {
  if (path_.empty())
    return;
  if (llvm::sys::Process::GetEnv("MOTE_KEEP_TEMPS"))
    llvm::errs() << "motec: kept " << what_ << " " << path_ << "\n";
  else
    llvm::sys::fs::remove_directories(path_);
}

std::string TemporaryFolder::file(const llvm::Twine &name) const {
  llvm::SmallString<256> p(path_);
  llvm::sys::path::append(p, name);
  return std::string(p);
}

std::string runtimeCacheRoot() {
  if (auto env = llvm::sys::Process::GetEnv("MOTE_RUNTIME_CACHE"); env && !env->empty())
    return *env;
  if (!installedDataRoot())
    return path(MOTE_BUILD_DIR, "runtime-cache");
  // An installed motec keeps its libraries in the user's cache, keyed as in the build tree.
  if (auto xdg = llvm::sys::Process::GetEnv("XDG_CACHE_HOME"); xdg && !xdg->empty())
    return path(path(*xdg, "mote"), "runtime");
  if (auto home = llvm::sys::Process::GetEnv("HOME"); home && !home->empty())
    return path(path(path(*home, ".cache"), "mote"), "runtime");
  return "/tmp/mote-runtime-cache-" + std::to_string(::getuid()); // one per user
}

llvm::Expected<std::string> cachedRuntimeLibrary(const RuntimeBuild &build, bool *reused) {
  if (std::error_code ec = llvm::sys::fs::create_directories(build.cacheRoot))
    return llvm::createStringError("cannot create the runtime cache '" + build.cacheRoot + "': " + ec.message());
  // A folder of this process's own: the key's scratch files, then the build, renamed into place at the end.
  SmallString<256> work;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueDirectory(path(build.cacheRoot, "building"), work))
    return llvm::createStringError("cannot create a folder in '" + build.cacheRoot + "': " + ec.message());
  struct Cleanup {
    std::string dir;
    ~Cleanup() { llvm::sys::fs::remove_directories(dir); }
  } cleanup{std::string(work)};

  llvm::Expected<std::string> key = keyOf(build, work);
  if (!key)
    return key.takeError();
  std::string entry = path(build.cacheRoot, *key);
  std::string library = path(entry, "libmote_runtime.a");
  if (llvm::sys::fs::exists(library)) {
    if (reused)
      *reused = true;
    return library;
  }
  // One builder per key at a time: the others wait for its lock (released by the system if the builder dies)
  // and then find its library. Without locks (a file system that has none), concurrent builders are still
  // safe, only wasteful: the rename below is what guarantees a whole library.
  struct Lock {
    int fd = -1;
    ~Lock() {
      if (fd >= 0) {
        (void)llvm::sys::fs::unlockFile(fd);
        llvm::sys::Process::SafelyCloseFileDescriptor(fd);
      }
    }
  } lock;
  if (!llvm::sys::fs::openFileForReadWrite(entry + ".lock", lock.fd, llvm::sys::fs::CD_OpenAlways,
                                           llvm::sys::fs::OF_None)) {
    if (!llvm::sys::fs::lockFile(lock.fd) && llvm::sys::fs::exists(library)) {
      if (reused)
        *reused = true;
      return library;
    }
  }

  // Compile two sources at a time, then archive.
  std::vector<std::string> objects;
  std::vector<std::pair<llvm::sys::ProcessInfo, std::string>> running;
  auto waitOne = [&]() -> std::optional<std::string> {
    auto [info, log] = running.front();
    running.erase(running.begin());
    std::string error;
    llvm::sys::ProcessInfo done = llvm::sys::Wait(info, std::nullopt, &error);
    if (done.ReturnCode == 0)
      return std::nullopt;
    return "compiling the runtime failed (exit status " + std::to_string(done.ReturnCode) + "); its output:" +
           head(log);
  };
  for (auto [i, source] : llvm::enumerate(build.sources)) {
    std::string object = path(work, llvm::sys::path::stem(source) + "." + std::to_string(i) + ".o");
    std::string log = object + ".log";
    std::vector<std::string> args = {build.compiler};
    args.insert(args.end(), build.flags.begin(), build.flags.end());
    args.insert(args.end(), {"-c", source, "-o", object});
    SmallVector<StringRef> refs(args.begin(), args.end());
    std::optional<StringRef> redirects[] = {StringRef(""), StringRef(log), StringRef(log)};
    std::string error;
    llvm::sys::ProcessInfo info = llvm::sys::ExecuteNoWait(build.compiler, refs, std::nullopt, redirects, 0, &error);
    if (info.Pid == llvm::sys::ProcessInfo::InvalidPid)
      return llvm::createStringError("cannot run '" + build.compiler + "': " + error);
    running.push_back({info, log});
    objects.push_back(object);
    if (running.size() >= 2)
      if (auto error = waitOne()) {
        while (!running.empty())
          (void)waitOne();
        return llvm::createStringError(*error);
      }
  }
  while (!running.empty())
    if (auto error = waitOne()) {
      while (!running.empty())
        (void)waitOne();
      return llvm::createStringError(*error);
    }
  std::string built = path(work, "lib");
  if (std::error_code ec = llvm::sys::fs::create_directory(built))
    return llvm::createStringError("cannot create '" + built + "': " + ec.message());
  std::vector<std::string> archive = {build.archiver, "rcs", path(built, "libmote_runtime.a")};
  archive.insert(archive.end(), objects.begin(), objects.end());
  if (auto error = execute(archive, path(work, "ar.log")))
    return llvm::createStringError("archiving the runtime failed: " + *error);
  // Into place; if another process got there first, its library is as good as ours.
  if (std::error_code ec = llvm::sys::fs::rename(built, entry))
    if (!llvm::sys::fs::exists(library))
      return llvm::createStringError("cannot move the runtime library into '" + entry + "': " + ec.message());
  if (reused)
    *reused = false;
  return library;
}

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

DenseElementsAttr fromRawBytes(RankedTensorType type, StringRef bytes) {
  if (type.getElementType().isInteger(1)) {
    SmallVector<bool> values;
    for (char c : bytes)
      values.push_back(c != 0);
    return DenseElementsAttr::get(type, values);
  }
  return DenseElementsAttr::getFromRawBuffer(type, ArrayRef<char>(bytes.data(), bytes.size()));
}

void addRuntimeFolders(RuntimeBuild &build, ArrayRef<StringRef> folders) {
  const std::string root = runtimeSourceRoot();
  for (StringRef folder : folders) {
    std::string full = root + "/" + folder.str();
    build.keyFolders.push_back(full);
    std::error_code ec;
    std::vector<std::string> found;
    for (llvm::sys::fs::directory_iterator it(full, ec), end; !ec && it != end; it.increment(ec))
      if ((StringRef(it->path()).ends_with(".cpp") || StringRef(it->path()).ends_with(".c")) &&
          !StringRef(it->path()).ends_with("Runner.cpp") && !StringRef(it->path()).ends_with("Runner.c"))
        found.push_back(it->path());
    std::sort(found.begin(), found.end());
    build.sources.insert(build.sources.end(), found.begin(), found.end());
  }
}

FailureOr<std::vector<std::string>> writeInputFiles(func::FuncOp func, ArrayRef<ElementsAttr> inputs,
                                                   const TemporaryFolder &folder, StringRef target) {
  if (inputs.size() != func.getNumArguments())
    return func.emitError(target) << ": " << inputs.size() << " inputs for " << func.getNumArguments()
                                  << " arguments";
  std::vector<std::string> files;
  for (auto [k, value] : llvm::enumerate(inputs)) {
    auto type = cast<RankedTensorType>(func.getArgumentTypes()[k]);
    if (cast<ShapedType>(value.getType()).getShape() != type.getShape() ||
        cast<ShapedType>(value.getType()).getElementType() != type.getElementType())
      return func.emitError(target) << ": input " << k << " is " << value.getType() << ", the function takes "
                                    << type;
    std::optional<std::string> bytes = rawBytes(value, type);
    if (!bytes)
      return func.emitError(target) << ": input " << k << " has an element type the runner cannot take: " << type;
    std::string file = folder.file("in_" + std::to_string(k) + ".bin");
    std::error_code ec;
    llvm::raw_fd_ostream os(file, ec);
    if (ec)
      return func.emitError(target) << ": cannot write '" << file << "': " << ec.message();
    os << *bytes;
    files.push_back(file);
  }
  return files;
}

std::vector<std::string> outputFilePaths(func::FuncOp func, const TemporaryFolder &folder) {
  std::vector<std::string> files;
  for (unsigned k = 0; k < func.getNumResults(); ++k)
    files.push_back(folder.file("out_" + std::to_string(k) + ".bin"));
  return files;
}

FailureOr<SmallVector<DenseElementsAttr>> readOutputFiles(func::FuncOp func, ArrayRef<std::string> files,
                                                          StringRef target) {
  SmallVector<DenseElementsAttr> results;
  for (auto [k, file] : llvm::enumerate(files)) {
    auto type = cast<RankedTensorType>(func.getResultTypes()[k]);
    auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false, /*RequiresNullTerminator=*/false);
    if (!buffer)
      return func.emitError(target) << ": the runner wrote no output " << k << " ('" << file << "')";
    Type et = type.getElementType();
    int64_t expected = type.getNumElements() * std::max<int64_t>(1, (et.getIntOrFloatBitWidth() + 7) / 8);
    StringRef bytes = (*buffer)->getBuffer();
    if (static_cast<int64_t>(bytes.size()) != expected)
      return func.emitError(target) << ": output " << k << " has " << bytes.size() << " bytes, expected "
                                    << expected;
    results.push_back(fromRawBytes(type, bytes));
  }
  return results;
}

} // namespace sim
} // namespace mote
