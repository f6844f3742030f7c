// See ElementwiseI8.h. Plain loops for now (the convolutions and GEMMs carry the arithmetic).
#include "runtime/integer/ElementwiseI8.h"

#include "runtime/integer/IntegerMath.h"
#include "runtime/integer/Requantize.h"

void mote_int_add_i8(const int8_t *a, const int8_t *b, long count, int32_t ma, int32_t mb, int32_t shift,
                     int32_t lo, int32_t hi, int8_t *out) {
  const int32_t round = shift > 0 ? (int32_t)1 << (shift - 1) : 0;
  for (long i = 0; i < count; ++i) {
    int32_t t = (a[i] * ma + b[i] * mb + round) >> shift; // |products| < 2^23, round <= 2^30: no overflow; floor
    out[i] = (int8_t)(t < lo ? lo : t > hi ? hi : t);
  }
}

void mote_int_sinusoid_i8(const void *x, int int64_input, long count, const int64_t *frequencies, long n,
                          uint32_t phase, int32_t mult, int32_t shift, int32_t lo, int32_t hi, int8_t *out) {
  for (long b = 0; b < count; ++b)
    for (long k = 0; k < n; ++k)
      out[b * n + k] = (int8_t)mote_sinusoid_at(x, int64_input, b, frequencies[k], (int32_t)frequencies[n + k], phase, mult,
                                              shift, lo, hi);
}

void mote_int_mul_i8(const int8_t *a, const int8_t *b, long count, int32_t mult, int32_t shift, int32_t lo,
                     int32_t hi, int8_t *out) {
  for (long i = 0; i < count; ++i)
    out[i] = (int8_t)mote_requantize(a[i] * b[i], mult, shift, 0, lo, hi);
}

void mote_int_table_i8(const int8_t *in, long count, const int8_t *table, int8_t *out) {
  for (long i = 0; i < count; ++i)
    out[i] = table[in[i] + 128];
}

void mote_int_copy_i8(int rank, const int64_t *shape, const int8_t *in, int64_t inOffset,
                      const int64_t *inStrides, int8_t *out, int64_t outOffset, const int64_t *outStrides) {
  int64_t index[8] = {0, 0, 0, 0, 0, 0, 0, 0};
  int64_t total = 1;
  for (int k = 0; k < rank; ++k)
    total *= shape[k];
  int64_t i = inOffset, o = outOffset;
  for (int64_t n = 0; n < total; ++n) {
    out[o] = in[i];
    for (int k = rank - 1; k >= 0; --k) { // odometer: step the last axis, carry into the ones before
      i += inStrides[k];
      o += outStrides[k];
      if (++index[k] < shape[k])
        break;
      i -= inStrides[k] * shape[k];
      o -= outStrides[k] * shape[k];
      index[k] = 0;
    }
  }
}

int mote_int_gather_i8(const int8_t *data, long outer, long extent, long inner, const int64_t *indices, long count,
                       int8_t *out) {
  for (long o = 0; o < outer; ++o)
    for (long n = 0; n < count; ++n) {
      int64_t index = indices[n];
      if (index < -extent || index >= extent)
        return MOTE_INT_INDEX_OUT_OF_RANGE;
      if (index < 0)
        index += extent;
      const int8_t *row = data + (o * extent + index) * inner;
      int8_t *to = out + (o * count + n) * inner;
      for (long i = 0; i < inner; ++i)
        to[i] = row[i];
    }
  return 0;
}
