// The target a module is compiled for (`#mote.target` on the module).
#include "ir/ModuleTarget.h"

#include "mlir/IR/BuiltinOps.h"

using namespace mlir;

namespace mote {

TargetAttr getModuleTarget(Operation *op) {
  if (!op)
    return {};
  auto module = isa<ModuleOp>(op) ? cast<ModuleOp>(op) : op->getParentOfType<ModuleOp>();
  return module ? module->getAttrOfType<TargetAttr>(kTargetAttrName) : TargetAttr();
}

} // namespace mote
