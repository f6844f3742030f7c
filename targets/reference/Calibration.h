// Calibration for static activation quantization (`motec --calibration=DIR`, the w8a8 scheme): the reference
// interpreter runs the float model over sample inputs and records, per matmul, gemm and convolution, the range
// of its left operand (the activation the scheme quantizes per tensor).
#ifndef MOTE_TARGETS_REFERENCE_CALIBRATION_H
#define MOTE_TARGETS_REFERENCE_CALIBRATION_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <vector>

namespace mote::reference {

/// A histogram of |x| over [0, range) in kBins equal bins; the range doubles (bins merging pairwise) when a
/// larger value arrives, so samples of any scale accumulate without a first pass.
class AbsHistogram {
public:
  static constexpr int kBins = 2048;
  void add(const double *values, int64_t count);
  double absMax() const { return absMax_; }
  /// The threshold t (a bin edge, or absMax) minimizing sum over values of the squared int8 error with scale
  /// t / 127: (|x| - t)^2 above t, (t / 127)^2 / 12 (uniform rounding) below; 0 when every value was 0.
  double mseClip() const;

private:
  std::vector<double> counts_ = std::vector<double>(kBins, 0.0);
  double range_ = 0.0, absMax_ = 0.0;
};

/// Runs `func` on each sample (one tensor per argument) and sets kCalibrationAttrName (ir/MoteDialect.h) on every
/// matmul, gemm and convolution with a float left operand that ran. `progress(k)` is called after sample k. On failure (a sample
/// the interpreter cannot run) emits an error and fails.
mlir::LogicalResult calibrate(mlir::func::FuncOp func, llvm::ArrayRef<llvm::SmallVector<mlir::ElementsAttr>> samples,
                              llvm::function_ref<void(size_t)> progress = nullptr);

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_CALIBRATION_H
