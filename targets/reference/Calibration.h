// Calibration for quantization (`motec --calibration=DIR`): the reference interpreter runs the float model over
// sample inputs and records, per matmul, gemm and convolution, the range of its left operand (the activation
// w8a8 quantizes per tensor), and for a target with int8 activations the range of every value
// (kValueRangeAttrName, read by mote-quantize-activations); after quantization it runs the quantized model over the same samples and records
// how far each layer's output and the model's outputs moved (the report's SQNR).
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

using Samples = llvm::ArrayRef<llvm::SmallVector<mlir::ElementsAttr>>;

/// The float model's results that measureQuantizationError compares with: each measured layer's output on the
/// first sample (indexed by the `layer` number calibrate() puts in kCalibrationAttrName) and the model's outputs
/// on every sample.
struct FloatRun {
  std::vector<std::vector<float>> layers; // kept only when calibrate() is asked to (the report's measurement)
  std::vector<std::vector<double>> outputs;
};

/// Runs `func` on each sample (one tensor per argument) and sets kCalibrationAttrName (ir/MoteDialect.h) on every
/// matmul, gemm and convolution with a float left operand that ran: {abs_max, layer, mse_clip}; when the module's
/// target keeps activations in int8, also kValueRangeAttrName {abs_max, mse_clip} on every op whose first result
/// is float and on every float argument (with `keepLayers`, its `layer` number too). Keeps the model's outputs in
/// `floatRun` and, with `keepLayers`, each numbered layer's output on the first sample (f32; on an int8 target
/// every value's; for a full-size model gigabytes: only a report asks for it). On failure (a sample the interpreter cannot run)
/// emits an error and fails.
/// `sampleDone(k)` is called after sample k ran (progress on long runs: a full-size model takes minutes per
/// sample in the interpreter).
mlir::LogicalResult calibrate(mlir::func::FuncOp func, Samples samples, FloatRun &floatRun, bool keepLayers,
                              llvm::function_ref<void(size_t)> sampleDone = nullptr);

/// Runs the quantized `func` on the same samples and records the error against `floatRun`, as SQNR = 10 log10(sum
/// f^2 / sum (f - q)^2) in dB: `output_sqnr_db` added to the `mote.quantization` dictionary of each quantized
/// weight (the lowest over the layers that read it) and to the kMeasuredLayerAttrName dictionary of each integer
/// op standing for a numbered layer (its output dequantized by that dictionary's scale), and on `func` kQuantizationErrorAttrName = {sqnr_db, cosine,
/// samples} over all outputs of all samples.
mlir::LogicalResult measureQuantizationError(mlir::func::FuncOp func, Samples samples, const FloatRun &floatRun,
                                             llvm::function_ref<void(size_t)> sampleDone = nullptr);

/// On @main after measureQuantizationError: the quantized model's outputs against the float model's.
constexpr llvm::StringLiteral kQuantizationErrorAttrName = "mote.quantization_error";

} // namespace mote::reference

#endif // MOTE_TARGETS_REFERENCE_CALIBRATION_H
