// The NEON emitter: from a planned function (storage types, kernels and arena offsets decided), the artifact
// that the runtime (runtime/core, runtime/neon) compiles into a program.
//
//   NAME.weights  one section per weight read, in first-use order (codegen/WeightsWriter), target "neon"
//   NAME.h        the model's C API (codegen/ModelInterface.h): NAME_open / NAME_open_with / NAME_run /
//                 NAME_close / NAME_error, the inputs' and outputs' names, shapes, types and bytes
//   NAME.cpp      in an anonymous namespace, init (the packers of each packed weight, once at open) and run
//                 (runtime/neon/Ops.h kernels op by op: the planned `mote.kernel`, every shape a constant,
//                 activations at their `mote.offset`, each call under a comment naming the ONNX nodes it came
//                 from); then the C API, forwarding to runtime/core/Model.h.
// NAME is `motec compile --name` ("model" by default, and for `motec run`).
#ifndef MOTE_TARGETS_NEON_EMITTER_H
#define MOTE_TARGETS_NEON_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

namespace mote {
namespace neon {

/// Writes model.h, model.cpp and model.weights for the planned `func` into the existing folder `dir`.
/// Errors are emitted at the op that cannot be emitted (or at `func`).
mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir, llvm::StringRef modelName);

} // namespace neon
} // namespace mote

#endif // MOTE_TARGETS_NEON_EMITTER_H
