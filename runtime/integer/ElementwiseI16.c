// See ElementwiseI16.h. Plain loops for now, as ElementwiseI8.c.
#include "runtime/integer/ElementwiseI16.h"

#include "runtime/integer/IntegerMath.h"
#include "runtime/integer/Requantize.h"

void mote_int_add_i16(const int16_t *a, const int16_t *b, long count, int32_t ma, int32_t mb, int32_t shift,
                      int32_t lo, int32_t hi, int16_t *out) {
  const int64_t round = shift > 0 ? (int64_t)1 << (shift - 1) : 0;
  for (long i = 0; i < count; ++i) {
    const int64_t t = ((int64_t)a[i] * ma + (int64_t)b[i] * mb + round) >> shift; // floor
    out[i] = (int16_t)(t < lo ? lo : t > hi ? hi : t);
  }
}

void mote_int_mul_i16(const int16_t *a, const int16_t *b, long count, int32_t mult, int32_t shift, int32_t lo,
                      int32_t hi, int16_t *out) {
  for (long i = 0; i < count; ++i)
    out[i] = (int16_t)mote_requantize((int32_t)a[i] * b[i], mult, shift, 0, lo, hi);
}

void mote_int_table_i16(const int16_t *in, long count, const int16_t *table, int16_t *out) {
  for (long i = 0; i < count; ++i)
    out[i] = mote_table_i16(in[i], table);
}

void mote_int_sinusoid_i16(const void *x, int int64_input, long count, const int64_t *frequencies, long n,
                              uint32_t phase, int32_t mult, int32_t shift, int32_t lo, int32_t hi, int16_t *out) {
  for (long b = 0; b < count; ++b)
    for (long k = 0; k < n; ++k)
      out[b * n + k] = (int16_t)mote_sinusoid_at(x, int64_input, b, frequencies[k], (int32_t)frequencies[n + k], phase, mult,
                                              shift, lo, hi);
}
