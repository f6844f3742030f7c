// The `mote` dialect and its ops, for everything on the compiler side that builds or reads Mote IR.
#ifndef MOTE_IR_MOTEDIALECT_H
#define MOTE_IR_MOTEDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/MoteOpsDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "ir/MoteAttributes.h.inc"

#define GET_OP_CLASSES
#include "ir/MoteOps.h.inc"

namespace mote {
/// On a matmul or gemm over a dequantized i8/i4 weight: its left operand's rows are quantized to int8 at run time
/// and the product computed in integers (`--quantize=w4a8`; MoteBase.td, runtime/neon/GemmI8.h). Per tensor (a
/// matmul, gemm or convolution over an i8 weight, `--quantize=w8a8`): with the one scale `mote.lhs_scale`; int16
/// per tensor likewise (`--quantize=w8a16`).
constexpr llvm::StringLiteral kLhsQuantizationAttrName = "mote.lhs_quantization";
constexpr llvm::StringLiteral kLhsQuantizationInt8PerRow = "int8_per_row";
constexpr llvm::StringLiteral kLhsQuantizationInt8PerTensor = "int8_per_tensor";
/// `--quantize=w8a16`: the same with int16 values in [-32767, 32767] (runtime/neon/GemmI16.h).
constexpr llvm::StringLiteral kLhsQuantizationInt16PerTensor = "int16_per_tensor";
constexpr llvm::StringLiteral kLhsScaleAttrName = "mote.lhs_scale";
/// Set by calibration (`motec --calibration`, targets/reference/Calibration.h) on a matmul, gemm or convolution:
/// the range of its left operand over the samples, `{abs_max, layer, mse_clip}`: the largest |x| seen (f32), the
/// layer's number among those measured (i64, to match its outputs across runs), and the (f32) clipping threshold minimizing the expected squared error of int8 quantization with scale clip / 127 over the
/// histogram of |x| (values above saturate, those below round). Read by mote-quantize-weights (w8a8).
constexpr llvm::StringLiteral kCalibrationAttrName = "mote.calibration";
/// Set by calibration on every op whose first result is float, and on every float function argument, when the
/// module's target keeps activations in int8 (its integer pipeline): the range of that value over the samples,
/// `{abs_max, mse_clip}` (f32, as in kCalibrationAttrName). Read by mote-quantize-activations.
constexpr llvm::StringLiteral kValueRangeAttrName = "mote.value_range";
/// Set by mote-quantize-activations on the integer op that computes a float op's value (the target's integer
/// pipeline) when calibration numbered that value's layer (a report's measurement: `layer` in
/// kValueRangeAttrName): `{layer, scale}`, the float layer it stands for and the scale that dequantizes it.
/// Measuring the quantization error (targets/reference/Calibration.h) adds `output_sqnr_db`; the report lists
/// them.
constexpr llvm::StringLiteral kMeasuredLayerAttrName = "mote.measured_layer";
/// On a matmul, gemm, convolution or gather whose weights stay float: why (the report lists it). The importer sets
/// it on ops that must not be quantized (a zero-point correction of a model's own int4 weights), and
/// mote-quantize-weights leaves such ops as they are.
constexpr llvm::StringLiteral kFloatReasonAttrName = "mote.float_reason";
/// On a function argument and result (mote-kv-cache): a KV cache, passed by the runtime as one buffer for both.
/// Its type is the storage type (mote-assign-storage-types retypes it instead of casting at the edge), so that
/// the cache stays in place whatever the precision.
constexpr llvm::StringLiteral kKvCacheAttrName = "mote.kv_cache";
/// While alive, the mote ops' folders evaluate constants of up to `elements` elements (default 16,384: folding
/// is for shape arithmetic). For a pass that evaluates a model's mask sub-graph on purpose (mote-kv-cache).
class FoldLimitScope {
public:
  explicit FoldLimitScope(int64_t elements);
  ~FoldLimitScope();
  FoldLimitScope(const FoldLimitScope &) = delete;
  FoldLimitScope &operator=(const FoldLimitScope &) = delete;

private:
  int64_t previous_;
};
/// Whether `v` holds a group norm's statistics (mote.group_norm_stats' result, or a mote.fused region's result
/// yielding one, or a region's block argument reading one): f32 whatever the activations' storage.
bool isGroupNormStatistics(mlir::Value v);
/// The longest reduction an int8 x int8 product sums in int32 without overflow (127 * 127 * K < 2^31).
constexpr int64_t kMaxInt8Reduction = 133143;
} // namespace mote

#endif // MOTE_IR_MOTEDIALECT_H
