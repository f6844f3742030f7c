// What the converters of mote-quantize-activations share (passes/QuantizeActivations.cpp drives them; the
// linear, elementwise and data-movement ops are converted there; norms (the group-norm chain too), attention,
// gathers, nearest resizes and time embeddings in passes/IntegerTransformerOps.cpp, tested with the pass in
// test/passes/quantize_activations.mlir): the int8 values of the function and the scale arithmetic.
#ifndef MOTE_PASSES_INTEGERCONVERSION_H
#define MOTE_PASSES_INTEGERCONVERSION_H

#include "ir/MoteDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallPtrSet.h"

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace mote::integer {

/// The largest int8 value and weight.
constexpr int kQMax = 127;

/// The integer (int8, or int16 for w8a16) versions of a function's float values, as the pass builds them.
class Values {
public:
  virtual ~Values() = default;
  /// The activations' width: 8 or 16.
  virtual unsigned bits() const = 0;
  /// The int8 version of float `v` and its scale (quantized after its definition when needed); nullopt when `v`
  /// has no calibrated range.
  virtual std::optional<std::pair<mlir::Value, double>> integer(mlir::Value v) = 0;
  /// Replaces float `result` by the dequantization of int8 `value` with `scale`.
  virtual void replaceWithInteger(mlir::Value result, mlir::Value value, double scale) = 0;
  /// The calibrated scale of float `v` (clip / 127, by the pass's clipping choice), or nullopt.
  virtual std::optional<double> scaleOf(mlir::Value v) = 0;
};

/// mult * 2^-(16 + shift) ~ m for 0 < m < 1, mult keeping 16 significant bits (runtime/integer/Requantize.h).
std::pair<int32_t, int32_t> encodeMultiplier(double m);
/// clamp(round_half_even(x / scale), -qmax, qmax); NaN gives 0.
int32_t quantizeValue(double x, double scale, int32_t qmax);
/// `type` with integer elements of `bits` bits.
mlir::RankedTensorType activationType(mlir::Type type, unsigned bits);
/// A dense constant of `type` (i8 or i16 elements) holding `values`.
mlir::DenseElementsAttr activationElements(mlir::RankedTensorType type, llvm::ArrayRef<int32_t> values);
/// The f32 values of a constant, or nullopt.
std::optional<std::vector<float>> floatValues(mlir::Value v);
/// The f32 values of a constant or of the mote.dequantize (per axis, no blocks) of an integer constant.
std::optional<std::vector<float>> weightValues(mlir::Value v);

bool convertGather(GatherOp op, Values &values);
bool convertNorm(mlir::Operation *op, Values &values);
bool convertAttention(AttentionOp op, Values &values);
/// The normalization chain a group norm imports as (reduce_mean, sub, square, reduce_mean, add epsilon, sqrt,
/// div), starting at its first reduce_mean: one mote.integer_norm over the reduced axes; the chain's ops go
/// into `consumed` (the pass converts none of them on its own).
bool convertNormChain(ReduceMeanOp mean, Values &values, llvm::SmallPtrSetImpl<mlir::Operation *> &consumed);
bool convertResize(ResizeOp op, Values &values);
/// The sine or cosine of a float model input times constant frequencies (a diffusion time embedding: x [B] as
/// [B, 1] times [1, N], constant scalar factors on either side): mote.integer_sinusoid reading the input itself
/// (its angles, up to ~1000 radians, need more than int8).
bool convertSinusoid(mlir::Operation *op, Values &values);

} // namespace mote::integer

#endif // MOTE_PASSES_INTEGERCONVERSION_H
