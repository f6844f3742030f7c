// See IndexI64.h.
#include "runtime/integer/IndexI64.h"

void mote_int_argmax_i64(const int64_t *in, long outer, long n, long inner, int last, int64_t *out) {
  for (long o = 0; o < outer; ++o)
    for (long i = 0; i < inner; ++i) {
      const int64_t *x = in + o * n * inner + i;
      long best = 0;
      for (long k = 1; k < n; ++k)
        if (x[k * inner] > x[best * inner] || (last && x[k * inner] == x[best * inner]))
          best = k;
      out[o * inner + i] = best;
    }
}

void mote_int_add_i64(const int64_t *a, const int64_t *b, long count, int64_t *out) {
  for (long k = 0; k < count; ++k)
    out[k] = (int64_t)((uint64_t)a[k] + (uint64_t)b[k]);
}
