// The kernel of mote.fused "elementwise" regions, and the epilogue of "norm_elementwise" ones: the
// region's ops as a straight-line program over registers of one block of elements, run block by block so
// every intermediate stays in L1 (one read of each input and one write of each output per element,
// instead of one per op). Each instruction is the unary or binary kernel of the storage type on the block:
// f32 registers run the f32 kernels; on f16 storage the registers are f16 and run the f16 kernels
// (binaryF16, and unaryF16's block function), so a fused region computes exactly what its ops compute one
// by one, f16 rounding of every intermediate included.
#include "runtime/neon/OpsSupport.h"

#include <algorithm>
#include <cstring>

namespace mote {
namespace neon {
namespace ops {

namespace {

/// reg[t] = in[(i0 + t) % period] for t < len.
template <typename T>
void loadPeriodic(const T *in, int64_t period, int64_t i0, int64_t len, T *reg) {
  if (period == 1) {
    std::fill(reg, reg + len, in[0]);
    return;
  }
  int64_t pos = i0 % period;
  for (int64_t t = 0; t < len;) {
    int64_t count = std::min(len - t, period - pos);
    std::memcpy(reg + t, in + pos, sizeof(T) * static_cast<size_t>(count));
    t += count;
    pos = 0;
  }
}

/// reg[t] = input element i0 + t for t < len: periodic (rowStride 0), or rows of `period` elements
/// `rowStride` apart.
template <typename T>
void loadInput(const T *in, int64_t period, int64_t rowStride, int64_t i0, int64_t len, T *reg) {
  if (rowStride == 0)
    return loadPeriodic(in, period, i0, len, reg);
  int64_t row = i0 / period, pos = i0 % period;
  for (int64_t t = 0; t < len; ++row) {
    int64_t count = std::min(len - t, period - pos);
    std::memcpy(reg + t, in + row * rowStride + pos, sizeof(T) * static_cast<size_t>(count));
    t += count;
    pos = 0;
  }
}

/// One instruction on n elements of dense registers.
void runInstr(const FusedInstr &in, int64_t n, const float *a, const float *b, float *dst) {
  const int64_t unit = 1;
  if (in.binary)
    binaryF32(static_cast<Binary>(in.op), 1, &n, a, &unit, b, &unit, dst);
  else
    unaryF32(static_cast<Unary>(in.op), n, a, dst, in.alpha, in.beta);
}
void runInstr(const FusedInstr &in, int64_t n, const __fp16 *a, const __fp16 *b, __fp16 *dst) {
  const int64_t unit = 1;
  if (in.binary)
    binaryF16(static_cast<Binary>(in.op), 1, &n, a, &unit, b, &unit, dst);
  else
    support::unaryBlockF16(static_cast<Unary>(in.op), n, a, dst, in.alpha, in.beta);
}

/// The elements [i0, i0 + len) in blocks: every input block is read before any output block is written, so
/// an output may be the buffer of a full-size input.
template <typename T>
void runRange(const FusedProgram &p, int64_t i0, int64_t len, const T *const *inputs, T *const *outputs, T *regs) {
  auto reg = [&](int r) { return regs + static_cast<int64_t>(r) * support::kFusedBlock; };
  for (int64_t b0 = i0, end = i0 + len; b0 < end; b0 += support::kFusedBlock) {
    int64_t n = std::min(support::kFusedBlock, end - b0);
    for (int k = 0; k < p.numInputs; ++k)
      loadInput(inputs[k], p.inputPeriods[k], p.inputRowStrides[k], b0, n, reg(k));
    for (int s = 0; s < p.numInstrs; ++s) {
      const FusedInstr &in = p.instrs[s];
      runInstr(in, n, reg(in.a), reg(in.b), reg(in.dst));
    }
    for (int k = 0; k < p.numOutputs; ++k)
      std::memcpy(outputs[k] + b0, reg(p.outputRegisters[k]), sizeof(T) * static_cast<size_t>(n));
  }
}

template <typename T>
void runFused(const FusedProgram &p, int64_t n, const T *const *inputs, T *const *outputs) {
  constexpr int64_t kBlocksPerChunk = 16;
  int64_t blocks = (n + support::kFusedBlock - 1) / support::kFusedBlock;
  rt::parallelFor(0, blocks, kBlocksPerChunk, [&](int64_t first, int64_t last) {
    std::unique_ptr<T[]> regs(new T[static_cast<size_t>(p.numRegisters) * support::kFusedBlock]);
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
void runFusedRange(const FusedProgram &p, int64_t i0, int64_t len, const __fp16 *const *inputs,
                   __fp16 *const *outputs, __fp16 *regs) {
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
