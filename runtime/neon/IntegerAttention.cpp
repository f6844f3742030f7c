// The integer pipeline's int8 attention on NEON (mote.integer_attention; --neon-activation-type=i8): the
// arithmetic of mote_attention_row (runtime/integer/IntegerMath.h), bit for bit, with the dot products of 8 query
// rows at a time on the sdot GEMM (each key head packed once as B = K^T), the logits requantized 4 at a time, and
// the weighted sum of values over 16 channels at a time (int32 partial sums over blocks of keys, then int64).
#include "runtime/neon/Ops.h"
#include "runtime/neon/OpsSupport.h"

#include "runtime/integer/IntegerMath.h"

#ifdef MOTE_NEON_FAST
#include "runtime/neon/GemmI8.h"

#include <arm_neon.h>
#endif

#include <cstring>
#include <vector>

namespace mote {
namespace neon {
namespace ops {

#ifdef MOTE_NEON_FAST
namespace {

// Keys whose products e_j v_jc (|.| <= 2^16 * 128 = 2^23) an int32 sum takes before it is widened: 2^7 of them.
constexpr long kKeyBlock = 128;

/// l_j for the int32 dots of one query row, 4 at a time: mote_requantize(dot, mult, shift, 0, -2^24, 2^24) plus the
/// clamped mask (mote_attention_logit), in place.
void logitsRow(int32_t *l, long sk, const int32_t *mask, int32_t mult, int32_t shift) {
  const int32_t limit = (int32_t)1 << 24;
  const int32x4_t m = vdupq_n_s32(mult), round = vdupq_n_s32(shift > 0 ? (int32_t)1 << (shift - 1) : 0);
  const int32x4_t down = vdupq_n_s32(shift > 0 ? -shift : 0), hi = vdupq_n_s32(limit), lo = vdupq_n_s32(-limit);
  long j = 0;
  for (; j + 4 <= sk; j += 4) {
    const int32x4_t dot = vld1q_s32(l + j);
    int32x4_t t = vcombine_s32(vshrn_n_s64(vmull_s32(vget_low_s32(dot), vget_low_s32(m)), 16),
                               vshrn_n_s64(vmull_high_s32(dot, m), 16));
    t = vminq_s32(vmaxq_s32(vshlq_s32(vqaddq_s32(t, round), down), lo), hi);
    if (mask)
      t = vaddq_s32(t, vminq_s32(vmaxq_s32(vld1q_s32(mask + j), lo), hi));
    vst1q_s32(l + j, t);
  }
  for (; j < sk; ++j)
    l[j] = mote_attention_logit(l[j], 0, mask, j, mult, shift);
}

/// The rest of mote_attention_softmax_row for int8 values: the weights e_j in place of the logits
/// (mote_attention_weights), then the dv outputs of `v` (sk rows of dv values).
void softmaxRowI8(int32_t *e, long sk, const int8_t *v, long dv, const int32_t *table, int32_t tableSize,
                  int32_t outMult, int32_t outShift, int32_t lo, int32_t hi, int64_t *wide, int8_t *out) {
  const int64_t inv = mote_attention_weights(e, sk, table, tableSize);
  for (long c0 = 0; c0 < dv; c0 += 16) {
    const long width = dv - c0 < 16 ? dv - c0 : 16;
    int64x2_t total[8];
    for (int i = 0; i < 8; ++i)
      total[i] = vdupq_n_s64(0);
    for (long j0 = 0; j0 < sk; j0 += kKeyBlock) {
      const long j1 = sk - j0 < kKeyBlock ? sk : j0 + kKeyBlock;
      int32x4_t acc[4] = {vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0), vdupq_n_s32(0)};
      for (long j = j0; j < j1; ++j) {
        const int32_t w = e[j];
        if (w == 0)
          continue;
        int8x16_t row;
        if (width == 16) {
          row = vld1q_s8(v + j * dv + c0);
        } else {
          int8_t staged[16] = {0};
          std::memcpy(staged, v + j * dv + c0, (size_t)width);
          row = vld1q_s8(staged);
        }
        const int16x8_t l = vmovl_s8(vget_low_s8(row)), h = vmovl_high_s8(row);
        acc[0] = vmlaq_n_s32(acc[0], vmovl_s16(vget_low_s16(l)), w);
        acc[1] = vmlaq_n_s32(acc[1], vmovl_high_s16(l), w);
        acc[2] = vmlaq_n_s32(acc[2], vmovl_s16(vget_low_s16(h)), w);
        acc[3] = vmlaq_n_s32(acc[3], vmovl_high_s16(h), w);
      }
      for (int i = 0; i < 4; ++i) {
        total[2 * i] = vaddw_s32(total[2 * i], vget_low_s32(acc[i]));
        total[2 * i + 1] = vaddw_high_s32(total[2 * i + 1], acc[i]);
      }
    }
    for (int i = 0; i < 8; ++i)
      vst1q_s64(wide + 2 * i, total[i]);
    for (long c = 0; c < width; ++c)
      out[c0 + c] = (int8_t)mote_requantize((int32_t)((wide[c] * inv) >> 31), outMult, outShift, 0, lo, hi);
  }
}

} // namespace
#endif

void integerAttentionI8(const MoteAttention *a, const int8_t *q, const int8_t *k, const int8_t *v,
                        const int32_t *mask, const int32_t *table, int8_t *out) {
#ifdef MOTE_NEON_FAST
  const long sk = a->sk, d = a->d, dv = a->dv, group = a->heads / a->kv_heads;
  std::vector<uint8_t> packedK(static_cast<size_t>(gemmBI8DotBytes(d, sk)));
  std::vector<uint8_t> work(rowsI8SumsWorkspaceBytes(static_cast<int>(d)));
  std::vector<int32_t> logits(static_cast<size_t>(8 * sk));
  int64_t wide[16];
  for (long b = 0; b < a->batch; ++b)
    for (long h = 0; h < a->heads; ++h) {
      const long kvHead = b * a->kv_heads + h / group;
      const int8_t *kh = k + kvHead * sk * d, *vh = v + kvHead * sk * dv;
      if (h % group == 0) // a new key head: B [d, sk] = K^T
        detail::packGemmBI8DotWith(static_cast<int>(d), static_cast<int>(sk),
                                   [&](int c, int j) { return kh[(long)j * d + c]; }, nullptr, packedK.data());
      for (long i0 = 0; i0 < a->sq; i0 += 8) {
        const long rows = a->sq - i0 < 8 ? a->sq - i0 : 8, row0 = (b * a->heads + h) * a->sq + i0;
        rowsI8Sums(static_cast<int>(rows), static_cast<int>(sk), static_cast<int>(d), q + row0 * d,
                   static_cast<size_t>(d), packedK.data(), logits.data(), static_cast<size_t>(sk), work.data());
        for (long r = 0; r < rows; ++r) {
          const long i = i0 + r;
          const int32_t *maskRow = mask ? mask + ((a->mask_batched ? b * a->sq : 0) + i) * sk : nullptr;
          int32_t *l = logits.data() + r * sk;
          logitsRow(l, sk, maskRow, a->logit_mult, a->logit_shift);
          softmaxRowI8(l, sk, vh, dv, table, a->table_size, a->out_mult, a->out_shift, a->lo, a->hi, wide,
                       out + (row0 + r) * dv);
        }
      }
    }
#else
  std::vector<int32_t> scratch(static_cast<size_t>(mote_int_attention_scratch_words(a)));
  mote_int_attention(a, q, k, v, mask, table, scratch.data(), out);
#endif
}

} // namespace ops
} // namespace neon
} // namespace mote
