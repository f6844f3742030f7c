// The target a module is compiled for: the `#mote.target` attribute on the module, found from any op in it.
// It lives in ir/ so that passes/ and codegen/ need only the dialect to ask what the target can do.
#ifndef MOTE_IR_MODULETARGET_H
#define MOTE_IR_MODULETARGET_H

#include "ir/MoteDialect.h"

#include "mlir/IR/Operation.h"

namespace mote {

/// The module attribute that carries the target.
constexpr llvm::StringLiteral kTargetAttrName = "mote.target";

/// The target `op` is compiled for: its module's `mote.target`, or null (no constraints).
TargetAttr getModuleTarget(mlir::Operation *op);

} // namespace mote

#endif // MOTE_IR_MODULETARGET_H
