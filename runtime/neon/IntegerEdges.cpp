// The integer pipeline's edges on NEON: the model's float inputs quantized to int8 or int16 and its integer results
// dequantized, with exactly the arithmetic of mote.quantize_activation and mote.dequantize_activation
// (ir/ActivationQuantization.h), so that the program's integers are the reference target's. The quantization is the
// per-tensor one of the float-between schemes (quantizeI8, quantizeI16: the same rounding, saturation and NaN).
#include "runtime/neon/GemmI16.h"
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/Ops.h"

namespace mote {
namespace neon {
namespace ops {

void quantizeActivations(int64_t n, const float *x, float scale, int bits, void *q) {
  if (bits == 16)
    quantizeI16(n, x, scale, static_cast<int16_t *>(q));
  else
    quantizeI8(n, x, scale, static_cast<int8_t *>(q));
}

void dequantizeActivations(int64_t n, const void *q, int bits, float scale, float *y) {
  if (bits == 16) {
    const auto *in = static_cast<const int16_t *>(q);
    for (int64_t i = 0; i < n; ++i)
      y[i] = static_cast<float>(in[i]) * scale;
  } else {
    const auto *in = static_cast<const int8_t *>(q);
    for (int64_t i = 0; i < n; ++i)
      y[i] = static_cast<float>(in[i]) * scale;
  }
}

} // namespace ops
} // namespace neon
} // namespace mote
