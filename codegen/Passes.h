// The planned phase's target-independent passes (`registerMoteCodegenPasses()`), generated from Passes.td.
#ifndef MOTE_CODEGEN_PASSES_H
#define MOTE_CODEGEN_PASSES_H

#include "ir/MoteDialect.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassManager.h"

namespace mote {

#define GEN_PASS_DECL
#include "codegen/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "codegen/Passes.h.inc"

/// The passes of the planned phase, in order: storage types (mote-assign-storage-types), the target's
/// kernel selection (`kernelSelection`, may be empty), then memory planning (mote-plan-memory), which sizes
/// buffers from the storage types and must see the final IR.
void addPlannedPhasePasses(mlir::OpPassManager &pm,
                           llvm::function_ref<void(mlir::OpPassManager &)> kernelSelection);

} // namespace mote

#endif // MOTE_CODEGEN_PASSES_H
