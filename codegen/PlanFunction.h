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
/// i64 k, instead of an offset: the value is computed straight into the app's output buffer k.
constexpr llvm::StringLiteral kOutputAttrName = "mote.output";
constexpr llvm::StringLiteral kArenaBytesAttrName = "mote.arena_bytes";
constexpr llvm::StringLiteral kArenaLowerBoundAttrName = "mote.arena_lower_bound_bytes";
/// Set by an emitter whose device holds the model in its own memory (OpenCL), for the report: the bytes the
/// device holds (activations, weights, inputs, outputs) and the largest single allocation among them.
constexpr llvm::StringLiteral kDeviceMemoryAttrName = "mote.device_memory_bytes";
constexpr llvm::StringLiteral kLargestAllocationAttrName = "mote.largest_allocation_bytes";
/// Set by an emitter that launches kernels over work-groups (OpenCL), for the report: per kernel (a library
/// kernel's name, or "generated " and the op or region kind), the work-group sizes its launches use, each
/// "XxYxZ" (or "driver": the driver's choice) with the number of launches, as a dictionary of string arrays.
constexpr llvm::StringLiteral kWorkGroupSizesAttrName = "mote.work_group_sizes";

/// The most bytes of activations (all buffers, before reuse) one function may have: bounds the arena and
/// keeps the planner's offset arithmetic far from overflow (one tensor has at most 2^40 elements, 2^43 bytes).
constexpr int64_t kMaxActivationBytes = int64_t(1) << 46;

struct MemoryPlanOptions {
  int64_t alignment = 64;
  /// Bytes per element of float activations; unset: each type's own width (the IR types are the storage
  /// types from the planned phase's mote-assign-storage-types on).
  std::optional<int64_t> bytesPerFloat;
  /// No buffer straddles a multiple of this (0: the module target's max_alloc_bytes, if any): see planMemory.
  int64_t segmentBytes = 0;
};

/// The plan of one function. Steps are the positions of the ops in the function's block (the schedule).
struct FunctionMemoryPlan {
  std::vector<PlanBuffer> buffers;
  MemoryPlan plan;
  /// Every activation (argument or op result, constants excepted) -> its buffer; a view
  /// (`mote.reshape`) maps to the buffer of the value it views.
  llvm::DenseMap<mlir::Value, int64_t> bufferOf;
  /// Per buffer: the argument whose memory it is (the app's input buffer), or -1.
  std::vector<int64_t> inputOf;
  /// Per buffer: the result it is computed into directly (the app's output buffer), or -1. The first
  /// returned value of each buffer made by a single-result op gets one; inputs never do.
  std::vector<int64_t> outputOf;
  unsigned numInputs = 0, numOutputs = 0, numViews = 0;

  /// The arena offset of `value`, or -1 if it is not in the arena (a constant, an input, or a value computed
  /// into an output buffer).
  int64_t offsetOf(mlir::Value value) const;
  /// The output buffer `value` is computed into, or -1.
  int64_t outputIndexOf(mlir::Value value) const;
  /// How many buffers took over their operand's memory in place.
  unsigned numInPlace() const;
};

/// Plans `func`: every non-constant op result is a buffer live from its op to its last user, arguments
/// from step 0, returned values to the end; reshapes alias their input; elementwise ops may overwrite an
/// operand that dies at them. Inputs stay in the app's buffers and returned values are computed straight
/// into the app's output buffers: neither takes arena space. Fails (emitting at the op) on a value whose size is not static.
mlir::FailureOr<FunctionMemoryPlan> planFunctionMemory(mlir::func::FuncOp func,
                                                       const MemoryPlanOptions &options = {});

/// Records `plan` on `func`: `mote.offset` on every single-result op in the arena (`mote.output` on those
/// computed into an output buffer), `mote.offsets` on multi-result ops, `mote.arena_bytes` and
/// `mote.arena_lower_bound_bytes` on `func`. Arguments have no offset: they are the app's inputs.
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
