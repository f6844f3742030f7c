// The Hexagon target's artifact: NAME.h, NAME.c (freestanding C calling runtime/hexagon) and NAME.weights (the
// convolution and GEMM weights packed at compile time in the layout of runtime/hexagon/Packing.h).
//
// The program computes in integers only. Its C API (NAME.h) takes the model's inputs as int8 (int16 for w8a16:
// NAME_ACTIVATION_BYTES) and returns its outputs so, each with the scale of its mote.quantize_activation /
// mote.dequantize_activation: the caller converts on its side (q = clamp(round_half_even(x / scale), -qmax,
// qmax), qmax 127 or 32767; x = q * scale), as an app does on the CPU before handing tensors to a DSP:
//
//   #define NAME_ARENA_BYTES, NAME_WEIGHTS_BYTES, NAME_NUM_INPUTS, NAME_NUM_OUTPUTS, NAME_INPUT_BYTES, ...
//   static const long NAME_input_bytes[], NAME_output_bytes[];   static const float NAME_input_scales[], ...
//   int  NAME_check_weights(const uint8_t *weights, size_t bytes);   // 0, or a code for NAME_error
//   int  NAME_run(const uint8_t *weights, uint8_t *arena, const void *const *inputs, void *const *outputs);
//   const char *NAME_error(int status);                              // NAME_run's non-zero status too
//
// Inputs of scale 0 in NAME_input_scales (token ids, int64; a timestep mote.integer_sinusoid reads, f32 or int64) are
// passed as the model has them.
//
// `weights` is the checked file in memory (128-byte aligned), `arena` NAME_ARENA_BYTES (128-byte aligned).
#ifndef MOTE_TARGETS_HEXAGON_EMITTER_H
#define MOTE_TARGETS_HEXAGON_EMITTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringRef.h"

namespace mote::hexagon {

/// Writes NAME.h, NAME.c and NAME.weights for `func` (planned phase) into `dir`.
mlir::LogicalResult emitArtifact(mlir::func::FuncOp func, llvm::StringRef dir, llvm::StringRef name);

/// The scale of each input (of its mote.quantize_activation; 0 for an integer input) and output (of its mote.dequantize_activation) of
/// `func` (planned phase); fails, with an error, on a function the emitter refuses.
struct EdgeScales {
  std::vector<float> inputs, outputs;
  unsigned activationBytes = 1; // of the quantized inputs and the outputs: 1 (int8) or 2 (int16, w8a16)
};
mlir::FailureOr<EdgeScales> edgeScales(mlir::func::FuncOp func);

} // namespace mote::hexagon

#endif // MOTE_TARGETS_HEXAGON_EMITTER_H
