// Which values of a planned function are weights: constants, and the casts (storage-type conversions) and
// reshapes of constants, which the emitter applies while writing the weights file. Weights live in the
// weights file, not in the arena, and no kernel computes them.
#ifndef MOTE_CODEGEN_WEIGHTVALUES_H
#define MOTE_CODEGEN_WEIGHTVALUES_H

#include "ir/MoteDialect.h"

namespace mote {
namespace codegen {

/// Whether `op` computes a weight (see the file comment).
bool isWeightOp(mlir::Operation *op);
/// Whether `v` is a weight; inside a mote.fused region, an argument is one if the region's input is (so a
/// kernel choice made for an op inside a region sees the weights it reads).
bool isWeight(mlir::Value v);
/// The constant a weight is made from (through casts and reshapes), or null for a non-weight.
ConstantOp weightConstant(mlir::Value v);

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_WEIGHTVALUES_H
