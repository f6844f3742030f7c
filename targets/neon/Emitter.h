// The NEON emitter: from a legal-phase function, the artifact that the runtime (runtime/core, runtime/neon)
// compiles into a program.
//
//   model.weights  one section per mote.constant, in IR order (codegen/WeightsWriter), target "neon"
//   model.h        constexpr arena and packed-weights sizes, input/output counts, shapes and byte sizes, and
//                  int mote_model_init(const mote::rt::WeightsFile &, float *packed);  (once)
//                  int mote_model_run(const mote::rt::WeightsFile &, unsigned char *arena,
//                                     const float *packed, const void *const *inputs, void *const *outputs);
//   model.cpp      that function: runtime/neon/Ops.h kernels op by op, every shape a constant,
//                  activations at the offsets the memory planner (codegen/PlanFunction.h) gave them.
#ifndef MOTE_TARGETS_NEON_EMITTER_H
#define MOTE_TARGETS_NEON_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

namespace mote {
namespace neon {

/// Plans `func`'s memory (annotating it with mote.offset / mote.arena_bytes) and writes model.h,
/// model.cpp and model.weights into the existing folder `dir`. Errors are emitted at the op that cannot be
/// emitted (or at `func`).
mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir);

} // namespace neon
} // namespace mote

#endif // MOTE_TARGETS_NEON_EMITTER_H
