// The kernel of mote.fused "elementwise" regions, and the epilogue of "norm_elementwise" ones: the
// region's ops as a straight-line program over registers of one block of elements, run block by block so
// every intermediate stays in L1 (one read of each input and one write of each output per element,
// instead of one per op). Each instruction is the f32 unary or binary kernel on the block, so a fused
// region computes exactly what its ops compute one by one; on f16 storage the block is widened on load
// and narrowed on store (intermediates stay f32).
#include "runtime/neon/OpsSupport.h"

#include <algorithm>

namespace mote {
namespace neon {
namespace ops {

namespace {

void widen(const float *in, int64_t n, float *out) { std::memcpy(out, in, n * sizeof(float)); }
void widen(const __fp16 *in, int64_t n, float *out) { f16ToF32(n, in, out); }
void narrow(const float *in, int64_t n, float *out) { std::memcpy(out, in, n * sizeof(float)); }
void narrow(const float *in, int64_t n, __fp16 *out) { f32ToF16(n, in, out); }

/// reg[t] = in[(i0 + t) % period] for t < len.
template <typename T>
void loadPeriodic(const T *in, int64_t period, int64_t i0, int64_t len, float *reg) {
  if (period == 1) {
    float v;
    widen(in, 1, &v);
    std::fill(reg, reg + len, v);
    return;
  }
  int64_t pos = i0 % period;
  for (int64_t t = 0; t < len;) {
    int64_t count = std::min(len - t, period - pos);
    widen(in + pos, count, reg + t);
    t += count;
    pos = 0;
  }
}

/// reg[t] = input element i0 + t for t < len: periodic (rowStride 0), or rows of `period` elements
/// `rowStride` apart.
template <typename T>
void loadInput(const T *in, int64_t period, int64_t rowStride, int64_t i0, int64_t len, float *reg) {
  if (rowStride == 0)
    return loadPeriodic(in, period, i0, len, reg);
  int64_t row = i0 / period, pos = i0 % period;
  for (int64_t t = 0; t < len; ++row) {
    int64_t count = std::min(len - t, period - pos);
    widen(in + row * rowStride + pos, count, reg + t);
    t += count;
    pos = 0;
  }
}

/// The elements [i0, i0 + len) in blocks: every input block is read before any output block is written, so
/// an output may be the buffer of a full-size input.
template <typename T>
void runRange(const FusedProgram &p, int64_t i0, int64_t len, const T *const *inputs, T *const *outputs,
              float *regs) {
  auto reg = [&](int r) { return regs + static_cast<int64_t>(r) * support::kFusedBlock; };
  const int64_t unit = 1;
  for (int64_t b0 = i0, end = i0 + len; b0 < end; b0 += support::kFusedBlock) {
    int64_t n = std::min(support::kFusedBlock, end - b0);
    for (int k = 0; k < p.numInputs; ++k)
      loadInput(inputs[k], p.inputPeriods[k], p.inputRowStrides[k], b0, n, reg(k));
    for (int s = 0; s < p.numInstrs; ++s) {
      const FusedInstr &in = p.instrs[s];
      if (in.binary)
        binaryF32(static_cast<Binary>(in.op), 1, &n, reg(in.a), &unit, reg(in.b), &unit, reg(in.dst));
      else
        unaryF32(static_cast<Unary>(in.op), n, reg(in.a), reg(in.dst), in.alpha, in.beta);
    }
    for (int k = 0; k < p.numOutputs; ++k)
      narrow(reg(p.outputRegisters[k]), n, outputs[k] + b0);
  }
}

template <typename T>
void runFused(const FusedProgram &p, int64_t n, const T *const *inputs, T *const *outputs) {
  constexpr int64_t kBlocksPerChunk = 16;
  int64_t blocks = (n + support::kFusedBlock - 1) / support::kFusedBlock;
  rt::parallelFor(0, blocks, kBlocksPerChunk, [&](int64_t first, int64_t last) {
    std::unique_ptr<float[]> regs(new float[static_cast<size_t>(p.numRegisters) * support::kFusedBlock]);
    int64_t i0 = first * support::kFusedBlock;
    runRange(p, i0, std::min(n, last * support::kFusedBlock) - i0, inputs, outputs, regs.get());
  });
}

} // namespace

namespace support {
void runFusedRange(const FusedProgram &p, int64_t i0, int64_t len, const float *const *inputs,
                   float *const *outputs, float *regs) {
  runRange(p, i0, len, inputs, outputs, regs);
}
} // namespace support

void fusedElementwiseF32(const FusedProgram &p, int64_t n, const float *const *inputs, float *const *outputs) {
  runFused(p, n, inputs, outputs);
}

void fusedElementwiseF16(const FusedProgram &p, int64_t n, const __fp16 *const *inputs, __fp16 *const *outputs) {
  runFused(p, n, inputs, outputs);
}

} // namespace ops
} // namespace neon
} // namespace mote
