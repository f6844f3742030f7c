// The NEON emitter: from a planned function (storage types, kernels and arena offsets decided), the artifact
// that the runtime (runtime/core, runtime/neon) compiles into a program.
//
//   model.weights  one section per weight read, in first-use order (codegen/WeightsWriter), target "neon"
//   model.h        constexpr arena and packed-weights sizes, input/output counts, shapes and byte sizes, and
//                  int mote_model_init(const mote::rt::WeightsFile &, float *packed);  (once)
//                  int mote_model_run(const mote::rt::WeightsFile &, unsigned char *arena,
//                                     const float *packed, const void *const *inputs, void *const *outputs);
//   model.cpp      those functions: the packers of each packed weight, then runtime/neon/Ops.h kernels op by
//                  op (the planned `mote.kernel`), every shape a constant, activations at their `mote.offset`,
//                  each call under a comment naming the ONNX nodes it came from.
#ifndef MOTE_TARGETS_NEON_EMITTER_H
#define MOTE_TARGETS_NEON_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

namespace mote {
namespace neon {

/// Writes model.h, model.cpp and model.weights for the planned `func` into the existing folder `dir`.
/// Errors are emitted at the op that cannot be emitted (or at `func`).
mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir);

} // namespace neon
} // namespace mote

#endif // MOTE_TARGETS_NEON_EMITTER_H
