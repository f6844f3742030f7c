// The integer pipeline's elementwise kernels that NEON vectorizes (--neon-activation-type=i8); the others are
// runtime/integer's. Each computes exactly what the reference target computes for the op.
#include "runtime/neon/Ops.h"
#include "runtime/neon/OpsSupport.h"

#ifdef MOTE_NEON_FAST
#include <arm_neon.h>
#endif

namespace mote {
namespace neon {
namespace ops {

void integerTableI8(int64_t n, const int8_t *in, const int8_t *table, int8_t *out) {
  int64_t i = 0;
#ifdef MOTE_NEON_FAST
  // The 256 entries as four 64-byte tables; index in + 128 looked up in each quarter (tbl gives 0 past 63).
  const uint8_t *t = reinterpret_cast<const uint8_t *>(table);
  const uint8x16x4_t q0 = vld1q_u8_x4(t), q1 = vld1q_u8_x4(t + 64), q2 = vld1q_u8_x4(t + 128),
                     q3 = vld1q_u8_x4(t + 192);
  const uint8x16_t flip = vdupq_n_u8(0x80), step = vdupq_n_u8(64);
  for (; i + 16 <= n; i += 16) {
    uint8x16_t u = veorq_u8(vreinterpretq_u8_s8(vld1q_s8(in + i)), flip);
    uint8x16_t r = vqtbl4q_u8(q0, u);
    u = vsubq_u8(u, step);
    r = vorrq_u8(r, vqtbl4q_u8(q1, u));
    u = vsubq_u8(u, step);
    r = vorrq_u8(r, vqtbl4q_u8(q2, u));
    u = vsubq_u8(u, step);
    r = vorrq_u8(r, vqtbl4q_u8(q3, u));
    vst1q_s8(out + i, vreinterpretq_s8_u8(r));
  }
#endif
  for (; i < n; ++i)
    out[i] = table[in[i] + 128];
}

} // namespace ops
} // namespace neon
} // namespace mote
