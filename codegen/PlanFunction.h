// Memory planning of a Mote IR function: its activations as planner buffers, their offsets in the arena, and
// the annotations (`mote.offset`, `mote.arena_bytes`) the emitter reads.
#ifndef MOTE_CODEGEN_PLANFUNCTION_H
#define MOTE_CODEGEN_PLANFUNCTION_H

#include "codegen/MemoryPlanner.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/Support/raw_ostream.h"

#include <memory>
#include <optional>
#include <string>

namespace mote {

/// Attribute names the plan is recorded under.
constexpr llvm::StringLiteral kOffsetAttrName = "mote.offset";   // i64, on single-result ops and arguments
constexpr llvm::StringLiteral kOffsetsAttrName = "mote.offsets"; // array<i64>, on multi-result ops
constexpr llvm::StringLiteral kArenaBytesAttrName = "mote.arena_bytes";
constexpr llvm::StringLiteral kArenaLowerBoundAttrName = "mote.arena_lower_bound_bytes";

struct MemoryPlanOptions {
  int64_t alignment = 64;
  /// Bytes per element of float activations; unset: each type's own width (the IR types are the storage
  /// types from the planned phase's mote-assign-storage-types on).
  std::optional<int64_t> bytesPerFloat;
};

/// The plan of one function. Steps are the positions of the ops in the function's block (the schedule).
struct FunctionMemoryPlan {
  std::vector<PlanBuffer> buffers;
  MemoryPlan plan;
  /// Every activation (argument or op result, constants excepted) -> its buffer; a view
  /// (`mote.reshape`) maps to the buffer of the value it views.
  llvm::DenseMap<mlir::Value, int64_t> bufferOf;
  unsigned numInputs = 0, numOutputs = 0, numViews = 0;

  /// The arena offset of `value`, or -1 if it is not in the arena (a constant).
  int64_t offsetOf(mlir::Value value) const;
  /// How many buffers took over their operand's memory in place.
  unsigned numInPlace() const;
};

/// Plans `func`: every non-constant op result is a buffer live from its op to its last user, arguments
/// from step 0, returned values to the end; reshapes alias their input; elementwise ops may overwrite an
/// operand that dies at them. Fails (emitting at the op) on a value whose size is not static.
mlir::FailureOr<FunctionMemoryPlan> planFunctionMemory(mlir::func::FuncOp func,
                                                       const MemoryPlanOptions &options = {});

/// Records `plan` on `func`: `mote.offset` on every argument and single-result op in the arena,
/// `mote.offsets` on multi-result ops, `mote.arena_bytes` and `mote.arena_lower_bound_bytes` on `func`.
void annotateMemoryPlan(mlir::func::FuncOp func, const FunctionMemoryPlan &plan);

/// Plans and annotates every function of `module`.
mlir::LogicalResult planModuleMemory(mlir::ModuleOp module, const MemoryPlanOptions &options = {});

/// One line on `plan`: buffer counts, arena size, liveness lower bound and their ratio.
std::string describeMemoryPlan(const FunctionMemoryPlan &plan);

/// Plans every function of `module` (without changing it) and prints `@name: ` and its
/// describeMemoryPlan line per function.
mlir::LogicalResult printMemoryReport(mlir::ModuleOp module, llvm::raw_ostream &os,
                                      const MemoryPlanOptions &options = {});

/// The `mote-plan-memory` pass: plans and annotates every function of the module (planModuleMemory);
/// with `report` it also emits each function's describeMemoryPlan line as a remark. Options:
/// `alignment`, `bytes-per-float` (0: from the target), `report`.
std::unique_ptr<mlir::Pass> createPlanMemoryPass(const MemoryPlanOptions &options = {}, bool report = false);

/// Registers `--mote-plan-memory` with the pass registry (for mote-opt).
void registerPlanMemoryPass();

} // namespace mote

#endif // MOTE_CODEGEN_PLANFUNCTION_H
