// Which values of a planned function are weights: constants, the casts (storage-type conversions) and
// reshapes of constants, which the emitter applies while writing the weights file, and mote.dequantize of
// constants (quantized weights: stored as they are, read only by kernels that widen them). Weights live in
// the weights file, not in the arena, and no kernel computes them.
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
/// The constant a weight is made from (through casts and reshapes), or null for a non-weight or a quantized
/// weight (made from two constants).
ConstantOp weightConstant(mlir::Value v);
/// The mote.dequantize a quantized weight is (through region arguments, reshapes and casts), or null.
mlir::Operation *quantizedWeight(mlir::Value v);

} // namespace codegen
} // namespace mote

#endif // MOTE_CODEGEN_WEIGHTVALUES_H
