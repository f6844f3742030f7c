// What every target that runs in simulation needs (NEON under qemu-aarch64, OpenCL on this machine's OpenCL
// device (pocl); Hexagon under qemu-hexagon): tools found with a useful error, commands run with their output kept for the
// message, the target's runtime built once per configuration into a cached static library, and tensors
// passed to and from the simulated program as raw files.
#ifndef MOTE_TARGETS_SIMULATION_H
#define MOTE_TARGETS_SIMULATION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <optional>
#include <system_error>
#include <string>
#include <vector>

namespace mote {
namespace sim {

/// The full path of `program` on PATH, or an error naming the Debian package that provides it.
llvm::Expected<std::string> findTool(llvm::StringRef program, llvm::StringRef debianPackage);

/// Runs `args` (args[0] a full path) with stdout and stderr to `logPath`. On failure: a message with the
/// command, its exit status and the first lines of its output.
std::optional<std::string> execute(llvm::ArrayRef<std::string> args, llvm::StringRef logPath);

/// A target runtime's sources built with one compiler and one set of flags.
struct RuntimeBuild {
  std::string compiler; // full path
  std::string archiver; // full path of an `ar` that writes the compiler's object format
  std::vector<std::string> flags;
  /// The .cpp (or .c) files compiled into the library.
  std::vector<std::string> sources;
  /// Folders whose every file (headers included) is part of the key: the library is rebuilt when one changes.
  std::vector<std::string> keyFolders;
  /// Where libraries are kept, one folder per key.
  std::string cacheRoot;
};

/// Adds runtime folders (paths under runtimeSourceRoot(), e.g. "runtime/core") to `build`: each is part of
/// the key, and its .cpp and .c files but the drivers (*Runner.cpp, *Runner.c) are compiled into the library, in
/// name order.
void addRuntimeFolders(RuntimeBuild &build, llvm::ArrayRef<llvm::StringRef> folders);

/// The path of the static library of `build`: built on the first call for its key (compiler identity,
/// flags, sources and headers), then reused. Safe when several processes build the same key at once (each
/// builds in a folder of its own and renames it into place; a half-built library is never used).
/// `reused` tells which happened.
llvm::Expected<std::string> cachedRuntimeLibrary(const RuntimeBuild &build, bool *reused = nullptr);

/// The folder holding `runtime/` (the device runtimes' sources): PREFIX/share/mote for an installed motec
/// (PREFIX/bin/motec), else the source tree motec was built from.
std::string runtimeSourceRoot();

/// Where simulated targets keep their runtime libraries: $MOTE_RUNTIME_CACHE, else the build tree's
/// `runtime-cache` folder (motec in its build tree) or the user's cache, $XDG_CACHE_HOME/mote/runtime or
/// ~/.cache/mote/runtime (an installed motec).
std::string runtimeCacheRoot();

/// A folder for one simulation (or any temporary work), removed with this object unless $MOTE_KEEP_TEMPS is
/// set, in which case its path is printed as `motec: kept <what> <path>`.
class TemporaryFolder {
public:
  TemporaryFolder(llvm::StringRef prefix, llvm::StringRef what);
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder &) = delete;
  TemporaryFolder &operator=(const TemporaryFolder &) = delete;
  /// Why the folder could not be created (then path() is empty).
  std::error_code error() const { return error_; }
  llvm::StringRef path() const { return path_; }
  /// path()/name.
  std::string file(const llvm::Twine &name) const;

private:
  std::string path_, what_;
  std::error_code error_;
};

/// The raw little-endian bytes of `value` as the runtimes store elements of `type` (f32, i64, i32, bool as
/// one byte), or nullopt for another element type.
std::optional<std::string> rawBytes(mlir::ElementsAttr value, mlir::RankedTensorType type);
/// The tensor of `type` whose raw bytes (as rawBytes writes them) are `bytes`.
mlir::DenseElementsAttr fromRawBytes(mlir::RankedTensorType type, llvm::StringRef bytes);

/// Writes `inputs` (checked against `func`'s arguments) as raw files in_K.bin in `folder`, returning their
/// paths; an error (emitted at `func`, prefixed by `target`) for a mismatched or unsupported input.
mlir::FailureOr<std::vector<std::string>> writeInputFiles(mlir::func::FuncOp func,
                                                           llvm::ArrayRef<mlir::ElementsAttr> inputs,
                                                           const TemporaryFolder &folder, llvm::StringRef target);
/// The paths out_K.bin in `folder` of `func`'s results.
std::vector<std::string> outputFilePaths(mlir::func::FuncOp func, const TemporaryFolder &folder);
/// Reads the result files a simulated program wrote (sizes checked against `func`'s result types).
mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
readOutputFiles(mlir::func::FuncOp func, llvm::ArrayRef<std::string> files, llvm::StringRef target);

} // namespace sim
} // namespace mote

#endif // MOTE_TARGETS_SIMULATION_H
