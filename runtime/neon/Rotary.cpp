// Rotary position embedding (mote.fused "rotary", see Ops.h): out = x * cos + rotate_half(x) * sin per row of
// D, rotate_half(x) = concat(-x[D/2:], x[:D/2]); rows split between threads. f16 storage computes in f32 on
// f16 arithmetic (two products and a difference per element: about 1 ulp), or, without FP16 vector
// arithmetic, in f32 on each row widened in cache.
#include "runtime/neon/OpsSupport.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

// One row: y[d] = x[d] c[d] - x[d + h] s[d], y[d + h] = x[d + h] c[d + h] + x[d] s[d + h] (h = D / 2).
void rotaryRow(int64_t D, const float *x, const float *c, const float *s, float *y) {
  const int64_t h = D / 2;
  int64_t d = 0;
#if defined(MOTE_NEON_FAST)
  for (; d + 4 <= h; d += 4) {
    const float32x4_t lo = vld1q_f32(x + d), hi = vld1q_f32(x + h + d);
    vst1q_f32(y + d, vfmsq_f32(vmulq_f32(lo, vld1q_f32(c + d)), hi, vld1q_f32(s + d)));
    vst1q_f32(y + h + d, vfmaq_f32(vmulq_f32(hi, vld1q_f32(c + h + d)), lo, vld1q_f32(s + h + d)));
  }
#endif
  for (; d < h; ++d) {
    const float lo = x[d], hi = x[h + d];
    y[d] = lo * c[d] - hi * s[d];
    y[h + d] = hi * c[h + d] + lo * s[h + d];
  }
}

#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
// The same row in f16 arithmetic: 8 and 4 lanes, then single elements.
void rotaryRowF16(int64_t D, const float16_t *x, const float16_t *c, const float16_t *s, float16_t *y) {
  const int64_t h = D / 2;
  int64_t d = 0;
  for (; d + 8 <= h; d += 8) {
    const float16x8_t lo = vld1q_f16(x + d), hi = vld1q_f16(x + h + d);
    vst1q_f16(y + d, vfmsq_f16(vmulq_f16(lo, vld1q_f16(c + d)), hi, vld1q_f16(s + d)));
    vst1q_f16(y + h + d, vfmaq_f16(vmulq_f16(hi, vld1q_f16(c + h + d)), lo, vld1q_f16(s + h + d)));
  }
  for (; d + 4 <= h; d += 4) {
    const float16x4_t lo = vld1_f16(x + d), hi = vld1_f16(x + h + d);
    vst1_f16(y + d, vfms_f16(vmul_f16(lo, vld1_f16(c + d)), hi, vld1_f16(s + d)));
    vst1_f16(y + h + d, vfma_f16(vmul_f16(hi, vld1_f16(c + h + d)), lo, vld1_f16(s + h + d)));
  }
  for (; d < h; ++d) {
    const float16_t lo = x[d], hi = x[h + d];
    y[d] = static_cast<float16_t>(lo * c[d] - hi * s[d]);
    y[h + d] = static_cast<float16_t>(hi * c[h + d] + lo * s[h + d]);
  }
}
#endif

/// Row r of [A0, A1, A2] at the strides `st` (over A0, A1, A2).
inline int64_t rowOffset(int64_t r, int64_t A1, int64_t A2, const int64_t *st) {
  return (r / (A1 * A2)) * st[0] + ((r / A2) % A1) * st[1] + (r % A2) * st[2];
}

} // namespace

void rotary(int64_t A0, int64_t A1, int64_t A2, int64_t D, const float *x, const float *cos, const float *sin,
            float *out, const int64_t *strides) {
  rt::parallelFor(0, A0 * A1 * A2, rowGrain(2 * D), [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; ++r)
      rotaryRow(D, x + rowOffset(r, A1, A2, strides), cos + rowOffset(r, A1, A2, strides + 3),
                sin + rowOffset(r, A1, A2, strides + 6), out + rowOffset(r, A1, A2, strides + 9));
  });
}

void rotaryF16(int64_t A0, int64_t A1, int64_t A2, int64_t D, const __fp16 *x, const __fp16 *cos,
               const __fp16 *sin, __fp16 *out, const int64_t *strides) {
#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
  {
    rt::parallelFor(0, A0 * A1 * A2, rowGrain(2 * D), [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; ++r)
        rotaryRowF16(D, reinterpret_cast<const float16_t *>(x) + rowOffset(r, A1, A2, strides),
                     reinterpret_cast<const float16_t *>(cos) + rowOffset(r, A1, A2, strides + 3),
                     reinterpret_cast<const float16_t *>(sin) + rowOffset(r, A1, A2, strides + 6),
                     reinterpret_cast<float16_t *>(out) + rowOffset(r, A1, A2, strides + 9));
    });
    return;
  }
#endif
  Scratch rows(rt::defaultThreadPool().threadCount(), static_cast<size_t>(4 * D));
  rt::parallelFor(0, A0 * A1 * A2, rowGrain(2 * D), [&](int64_t r0, int64_t r1, int chunk) {
    float *xf = rows[chunk], *cf = xf + D, *sf = cf + D, *yf = sf + D;
    for (int64_t r = r0; r < r1; ++r) {
      f16ToF32(D, x + rowOffset(r, A1, A2, strides), xf);
      f16ToF32(D, cos + rowOffset(r, A1, A2, strides + 3), cf);
      f16ToF32(D, sin + rowOffset(r, A1, A2, strides + 6), sf);
      rotaryRow(D, xf, cf, sf, yf);
      f32ToF16(D, yf, out + rowOffset(r, A1, A2, strides + 9));
    }
  });
}

} // namespace ops
} // namespace neon
} // namespace mote
