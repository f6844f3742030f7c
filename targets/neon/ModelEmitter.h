// The NEON emitter's shared state: from a planned function, the generated program's pieces (kernel calls,
// weight packing at load time, weights-file sections) and how each op's printer refers to its data. The op
// printers, one file per op family (Emit*.cpp), print the call of the kernel the planned phase chose
// (`mote.kernel`); nothing here re-plans memory or re-chooses a kernel.
#ifndef MOTE_TARGETS_NEON_MODELEMITTER_H
#define MOTE_TARGETS_NEON_MODELEMITTER_H

#include "codegen/KernelChoice.h"
#include "codegen/ShapeArithmetic.h"
#include "codegen/SourceWriter.h"
#include "codegen/ValueStorage.h"
#include "ir/MoteDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"

#include <optional>
#include <string>

namespace mote {
namespace neon {

class ModelEmitter {
public:
  explicit ModelEmitter(mlir::func::FuncOp func) : func(func) {}

  /// Writes NAME.h (the C API), NAME.cpp and NAME.weights into `dir`.
  mlir::LogicalResult emit(llvm::StringRef dir, llvm::StringRef name);

  // ---- for the op printers --------------------------------------------------------------------------
  codegen::SourceWriter &source() { return src; }
  llvm::raw_string_ostream &body() { return src.body(); }
  /// The C++ expression of `v`'s data: arena activations as `A(T, offset)`, weights as their section,
  /// widened operands as their f32 scratch copy. Typed `T *` (const for weights).
  mlir::FailureOr<std::string> ptr(mlir::Value v);
  /// The element type the kernel computes on for `v`: f32 for an f16 value of a widening op.
  mlir::Type computeType(mlir::Value v) const;
  /// The runtime's DType of `v` as computed on ("DType::F32", ...).
  std::string dtype(mlir::Value v) const;
  /// Bytes per element of `v` as the kernel sees it (stored, or widened to f32).
  int64_t elementBytes(mlir::Value v) const { return codegen::elementBytes(computeType(v)); }
  /// The packed weights of `op` (packed once by the generated init function for the GEMM's K x N, or
  /// Cin x Cout of a convolution): the pointer expression.
  mlir::FailureOr<std::string> packedWeight(mlir::Operation *op, const KernelChoice &choice, int64_t K, int64_t N,
                                            int64_t taps = 1);
  /// The scratch block (`S`, after the planned activations) holding at least `bytes` for the op being printed
  /// (not a widening op: those take the block for their copies).
  std::string scratch(int64_t bytes) {
    scratchFloats = std::max<int64_t>(scratchFloats, std::max<int64_t>(1, (bytes + 3) / 4)); // S declared
    return "S";
  }
  /// Called by the integer pipeline's printers: the program includes runtime/integer's headers.
  void useIntegerKernels() { integerKernels = true; }

private:
  mlir::LogicalResult emitOp(mlir::Operation *op);
  mlir::LogicalResult emitWidened(mlir::Operation *op, const KernelChoice &choice);
  mlir::LogicalResult printOp(mlir::Operation *op, const KernelChoice &choice);
  std::string cType(mlir::Type t) const;

  mlir::func::FuncOp func;
  codegen::SourceWriter src;
  codegen::WeightSections weights{"neon emitter"};
  std::string initText;
  llvm::raw_string_ostream init{initText};
  // The op being printed computes in f32 on scratch copies of its f16 values (`mote.kernel_widens`).
  bool widening = false;
  llvm::DenseMap<mlir::Value, std::string> scratchOf;
  int64_t scratchFloats = 0;
  bool integerKernels = false;
};

// The op printers, by op family: each prints the call of `choice.kernel` for `op`, or returns nullopt when
// `op` is not of its family. `in`/`out` are the pointer expressions of the operands and results.
using Pointers = llvm::ArrayRef<std::string>;
/// `ptrs` joined with ", " (an initializer list of pointers).
std::string commaList(Pointers ptrs);
/// Pointer expression `p` moved `offset` elements on.
std::string offsetPointer(const std::string &p, int64_t offset);
/// The pointer of the region input that `v` (a value inside a mote.fused body) is, given the region's
/// input pointers `in`, moved `offset` elements on; nullopt if `v` is not a block argument.
std::optional<std::string> regionInputPointer(mlir::Value v, Pointers in, int64_t offset = 0);
/// The C++ initializer of a runtime FusedProgram computing the elementwise ops `ops` (up to the region's
/// mote.yield, whose operands are its outputs) from `inputs`, whose pointer expressions are `ptrs`;
/// declares its tables. The program's inputs (registers 0..) are those the ops read, in the order they
/// read them: directly (with the period of their element count), or through a mote.slice window of the
/// last axis (rows read in place with the input's row stride); their pointers go to `programPtrs`. Fails,
/// emitting at the op, if an op has no fused instruction.
mlir::FailureOr<std::string> fusedProgram(ModelEmitter &e, llvm::ArrayRef<mlir::Value> inputs,
                                          llvm::ArrayRef<std::string> ptrs,
                                          llvm::iterator_range<mlir::Block::iterator> ops,
                                          llvm::SmallVectorImpl<std::string> &programPtrs);
std::optional<mlir::LogicalResult> emitElementwise(ModelEmitter &e, mlir::Operation *op, const KernelChoice &choice,
                                                   Pointers in, Pointers out);
std::optional<mlir::LogicalResult> emitDataMovement(ModelEmitter &e, mlir::Operation *op, const KernelChoice &choice,
                                                    Pointers in, Pointers out);
std::optional<mlir::LogicalResult> emitLinear(ModelEmitter &e, mlir::Operation *op, const KernelChoice &choice,
                                              Pointers in, Pointers out);
std::optional<mlir::LogicalResult> emitNormalization(ModelEmitter &e, mlir::Operation *op,
                                                     const KernelChoice &choice, Pointers in, Pointers out);
std::optional<mlir::LogicalResult> emitInteger(ModelEmitter &e, mlir::Operation *op, const KernelChoice &choice,
                                               Pointers in, Pointers out);


} // namespace neon
} // namespace mote

#endif // MOTE_TARGETS_NEON_MODELEMITTER_H
