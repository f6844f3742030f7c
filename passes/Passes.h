// Mote's passes and their registration (`registerMotePasses()`), generated from Passes.td.
#ifndef MOTE_PASSES_PASSES_H
#define MOTE_PASSES_PASSES_H

#include "ir/MoteDialect.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/Pass.h"

namespace mote {

#define GEN_PASS_DECL
#include "passes/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "passes/Passes.h.inc"

} // namespace mote

#endif // MOTE_PASSES_PASSES_H
