// The OpenCL emitter's shared state (see Emitter.h): how each op's printer names its tensors (a device
// buffer and element offset), the weights-file sections, the constant tables uploaded at open, and the
// generated run function's body. The op printers (EmitOps.cpp) print the launch of the kernel the planned
// phase chose; nothing here re-plans memory or re-chooses a kernel.
#ifndef MOTE_TARGETS_OPENCL_MODELEMITTER_H
#define MOTE_TARGETS_OPENCL_MODELEMITTER_H

#include "codegen/KernelChoice.h"
#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"
#include "codegen/ValueStorage.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringMap.h"

#include <array>
#include <map>

#include <string>

namespace mote {
namespace opencl {

class ModelEmitter {
public:
  explicit ModelEmitter(mlir::func::FuncOp func) : func(func) {}

  /// Writes NAME.cl, NAME.h, NAME.cpp and NAME.weights into `dir`.
  mlir::LogicalResult emit(llvm::StringRef dir, llvm::StringRef name);

  // ---- for the op printers --------------------------------------------------------------------------
  /// The host expression of `v`'s device tensor (a `mote::ocl::Buf`: buffer and element offset), moved
  /// `offset` elements on: an arena activation, an input or output buffer, or a weights section.
  mlir::FailureOr<std::string> buf(mlir::Value v, int64_t offset = 0);
  /// A read-only table uploaded at open: the expression of its Buf.
  std::string intTable(llvm::ArrayRef<int64_t> values);
  std::string floatTable(llvm::ArrayRef<float> values);
  /// Prints the launch of `kernel` over `global` work-items in work-groups of `local` (all 0: the driver's
  /// choice) with the host expressions `args`.
  void launch(llvm::StringRef kernel, std::array<int64_t, 3> global, std::array<int64_t, 3> local,
              llvm::ArrayRef<std::string> args);
  /// Adds a generated kernel's OpenCL C (after the library in NAME.cl) and returns its name, "gK".
  std::string addGeneratedKernel(llvm::StringRef source);
  /// The name the next generated kernel gets.
  std::string nextKernelName() const { return "g" + std::to_string(generatedCount); }

  /// The session's scratch buffer (zeroed at open), which a kernel needs `bytes` of: its host expression.
  std::string scratch(int64_t bytes) {
    scratchBytes = std::max(scratchBytes, bytes);
    return "s.scratch()";
  }

  /// Prints a device copy of `count` elements of `elementBytes` from tensor `from` to tensor `to`.
  void copy(const std::string &from, const std::string &to, int64_t elementBytes, int64_t count);

private:
  mlir::LogicalResult emitOp(mlir::Operation *op);
  /// Splits the planned arena into parts of at most `limit` bytes (0: one part) at addresses no activation
  /// straddles; fails, emitting at the function, when no such split exists.
  mlir::LogicalResult splitArena(int64_t arenaBytes, int64_t limit);

  mlir::func::FuncOp func;
  codegen::SourceWriter src;
  codegen::WeightSections weights{"opencl emitter"};
  std::string tablesText; // init's table uploads
  std::string generated;  // the generated kernels' OpenCL C
  llvm::SmallVector<int64_t> partStarts, partBytes; // the arena's parts
  unsigned generatedCount = 0;
  unsigned tables = 0;
  int64_t scratchBytes = 0; // the most any kernel needs of the session's scratch buffer
  /// Per generated kernel name, the op or region kind its source's first line names; per kernel (library
  /// name or "generated KIND"), per work-group size, the launches (for the report).
  llvm::StringMap<std::string> generatedKinds;
  std::map<std::string, std::map<std::string, int64_t>> workGroups;
};

/// Prints the launch of `choice.kernel` for `op` (every op family), or fails with an error at `op`.
mlir::LogicalResult emitKernel(ModelEmitter &e, mlir::Operation *op, const KernelChoice &choice);

/// "i4(a, b, c, d)" of `v` (rank <= 4) padded in front with `fill`.
std::string int4Of(llvm::ArrayRef<int64_t> v, int64_t fill);

} // namespace opencl
} // namespace mote

#endif // MOTE_TARGETS_OPENCL_MODELEMITTER_H
