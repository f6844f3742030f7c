// What a target's kernel selection records on each op of the planned phase, and reads back in its emitter:
// the kernel the target will call, whether it computes in f32 on widened copies of f16 storage, and the
// packed layout, size and offset of the weight it packs at load time.
//
//   %y = mote.conv %x, %w, %b {..., mote.kernel = "conv2d_winograd_f43", mote.packed_layout = "winograd_f43",
//                              mote.packed_offset = 0 : i64, mote.packed_bytes = 73728 : i64, mote.offset = ...}
//
// Kernel and layout names are the target's own; only their presence and the packed-buffer arithmetic are
// shared.
#ifndef MOTE_CODEGEN_KERNELCHOICE_H
#define MOTE_CODEGEN_KERNELCHOICE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mote {

constexpr llvm::StringLiteral kKernelAttrName = "mote.kernel";
constexpr llvm::StringLiteral kKernelWidensAttrName = "mote.kernel_widens";
constexpr llvm::StringLiteral kPackedLayoutAttrName = "mote.packed_layout";
constexpr llvm::StringLiteral kPackedOffsetAttrName = "mote.packed_offset";
constexpr llvm::StringLiteral kPackedBytesAttrName = "mote.packed_bytes";
/// The index of the packed operand, when it is not 1 (a fused region whose weight is not its second input).
constexpr llvm::StringLiteral kPackedOperandAttrName = "mote.packed_operand";
/// On the function: bytes of the buffer every packed weight lives in (64-byte aligned regions).
constexpr llvm::StringLiteral kPackedTotalAttrName = "mote.packed_total_bytes";

struct KernelChoice {
  std::string kernel;
  /// The kernel computes in f32: f16 operands are widened into scratch and f16 results narrowed back.
  bool widens = false;
  /// The weight operand packed once at load time (its index), its layout and size; no layout: none.
  unsigned packedOperand = 1;
  std::string packedLayout;
  int64_t packedBytes = 0;
};

/// Records `choice` on `op` (the packed offset is given by assignPackedOffsets).
void recordKernel(mlir::Operation *op, const KernelChoice &choice);
/// The choice recorded on `op`, or nullopt if it has none.
std::optional<KernelChoice> recordedKernel(mlir::Operation *op);
/// The packed offset recorded on `op`, or -1.
int64_t packedOffset(mlir::Operation *op);

/// Gives every op with packed weights its offset in the packed buffer (in op order, 64-byte aligned) and
/// records the total on `func`.
void assignPackedOffsets(mlir::func::FuncOp func);

/// A target's kernel selection over `module`: records `select`'s choice on every op of every defined
/// function that is not a weight (codegen/WeightValues.h), then the packed offsets. Fails at the first op
/// `select` fails on (it emits the error).
mlir::LogicalResult selectKernels(mlir::ModuleOp module,
                                  llvm::function_ref<mlir::FailureOr<KernelChoice>(mlir::Operation *)> select);

} // namespace mote

#endif // MOTE_CODEGEN_KERNELCHOICE_H
