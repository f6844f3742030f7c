// The NEON emitter's entry point (see Emitter.h); the work is in ModelEmitter and the Emit*.cpp printers.
#include "targets/neon/Emitter.h"

#include "targets/neon/ModelEmitter.h"

namespace mote {
namespace neon {

mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir, llvm::StringRef modelName) {
  return ModelEmitter(func).emit(dir, modelName);
}

} // namespace neon
} // namespace mote
