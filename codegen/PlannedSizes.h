// The sizes a planned function declares, checked before an emitter writes them into a generated program:
// a planned `.mlir` file is input like any other, and an offset past the arena or a size that wrapped
// would corrupt memory on the device rather than fail.
#ifndef MOTE_CODEGEN_PLANNEDSIZES_H
#define MOTE_CODEGEN_PLANNEDSIZES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mote::codegen {

/// Checks that every size and offset the planned phase recorded on `func` agrees with its types: each
/// argument, result and planned value has a static shape of at most 2^40 elements; every `mote.offset` /
/// `mote.offsets` range lies inside `mote.arena_bytes` (itself at most 2^46); every `mote.output` names a
/// function result of the op's byte size; every `mote.packed_offset` + `mote.packed_bytes` lies inside
/// `mote.packed_total_bytes`. Emits an error at the offending op and fails otherwise.
mlir::LogicalResult verifyPlannedSizes(mlir::func::FuncOp func);

} // namespace mote::codegen

#endif // MOTE_CODEGEN_PLANNEDSIZES_H
