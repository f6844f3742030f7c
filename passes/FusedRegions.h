// Building mote.fused regions: shared by the fusion passes (FuseElementwise, FuseAttention, ...).
#ifndef MOTE_PASSES_FUSEDREGIONS_H
#define MOTE_PASSES_FUSEDREGIONS_H

#include "ir/MoteDialect.h"

namespace mote {

/// Whether `op` is one of the unary or binary float ops the elementwise kernels compute (the ops an
/// "elementwise" region may hold, and an epilogue may apply).
bool isElementwiseOp(mlir::Operation *op);

/// Whether a tensor of `operand` shape is read by an elementwise kernel over `result` shape as a periodic
/// sequence: without its leading 1s, it is the trailing dimensions of `result` (a scalar, a per-channel
/// vector in channels-last order, or `result` itself).
bool isPeriodicBroadcast(llvm::ArrayRef<int64_t> operand, llvm::ArrayRef<int64_t> result);

/// Whether a 4-D value `v` holds the same elements in the same order as a 4-D group norm input of `n`
/// instances and `c` channels in its layout (channels last or second): the same instance and channel
/// dimensions, the spatial ones possibly reshaped.
bool keepsInstancesAndChannels(mlir::Value v, bool channelsLast, int64_t n, int64_t c);

/// Whether `conv` can normalize the input it reads as it stages it (`group_norm_conv`): a 2-D convolution
/// of one group in the norm's layout whose input keeps the norm's instances and channels.
bool readsGroupNormInPrologue(ConvOp conv, bool channelsLast, int64_t n, int64_t c);

/// The op of `block` that holds `op` (itself, or its ancestor in `block`).
mlir::Operation *ancestorInBlock(mlir::Operation *op, mlir::Block *block);

/// Replaces `ops` (in one block, in block order) with a mote.fused region of `kind` holding copies of
/// them, built where the last op is. The region's inputs are the values the ops read from outside; its
/// results are the values used outside it. The caller guarantees that moving every op to the last op's
/// place keeps the block valid (no op outside `ops` between them uses a value of `ops`). `firstInputs`
/// (values the ops read from outside) come first among the inputs, in that order, where a target's kernel
/// expects them at fixed positions.
FusedOp buildFusedRegion(llvm::ArrayRef<mlir::Operation *> ops, llvm::StringRef kind,
                         llvm::ArrayRef<mlir::Value> firstInputs = {});

} // namespace mote

#endif // MOTE_PASSES_FUSEDREGIONS_H
