// The pass order of the planned phase (see Passes.h).
#include "codegen/Passes.h"
#include "codegen/PlanFunction.h"

namespace mote {

void addPlannedPhasePasses(mlir::OpPassManager &pm, llvm::function_ref<void(mlir::OpPassManager &)> kernelSelection) {
  pm.addPass(createMoteAssignStorageTypes());
  if (kernelSelection)
    kernelSelection(pm);
  pm.addPass(createPlanMemoryPass());
}

} // namespace mote
