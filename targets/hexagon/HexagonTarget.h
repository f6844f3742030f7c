// The Hexagon target: Hexagon-style NPUs (integer HVX-128 vector DSPs). Rank <= 4, NHWC, int8 weights and int8
// or int16 activations: a model runs after `--quantize=w8a8|w8a16 --calibration=DIR` turned it into the integer
// pipeline (passes/QuantizeActivations.cpp). Runs by emitting the artifact (Emitter.h), compiling it with the
// runtime (runtime/hexagon) for Hexagon V68 with HVX-128 and running it under qemu-hexagon.
#ifndef MOTE_TARGETS_HEXAGON_HEXAGONTARGET_H
#define MOTE_TARGETS_HEXAGON_HEXAGONTARGET_H

#include "targets/Target.h"

namespace mote {

class HexagonTarget : public Target {
public:
  llvm::StringRef name() const override { return "hexagon"; }
  llvm::StringRef summary() const override {
    return "Hexagon-style NPUs (HVX 128 B), integers (--quantize=w8a8|w8a16 --calibration=DIR)";
  }
  TargetDescription defaultDescription() const override;
  /// mote-hexagon-select-kernels.
  void addKernelSelectionPasses(mlir::OpPassManager &pm) const override;
  void registerPasses() const override;
  /// Emits `func` into a temporary folder, quantizes the inputs with the scales of its mote.quantize_activation
  /// ops, compiles the program with clang-22 for Hexagon (runtime/hexagon built once per configuration), runs it
  /// under qemu-hexagon and dequantizes its outputs ($MOTE_KEEP_TEMPS keeps the folder). --sim-flags go to
  /// qemu-hexagon; --bench runs the model twice more, so that two counts differ by one inference.
  mlir::FailureOr<llvm::SmallVector<mlir::DenseElementsAttr>>
  run(mlir::func::FuncOp func, llvm::ArrayRef<mlir::ElementsAttr> inputs, const RunOptions &options) const override;
  /// NAME.h, NAME.c and NAME.weights for `func` (planned phase) into `dir`.
  mlir::LogicalResult emit(mlir::func::FuncOp func, llvm::StringRef dir, const EmitOptions &options) const override;
  bool hasEmitter() const override { return true; }
};

} // namespace mote

#endif // MOTE_TARGETS_HEXAGON_HEXAGONTARGET_H
