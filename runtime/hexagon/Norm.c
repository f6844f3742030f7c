// See Norm.h.
#include "runtime/hexagon/Norm.h"

#include "runtime/hexagon/IntegerMath.h"

void mote_hexagon_norm(const void *x, int wide, long outer, long run1, long kept, long run2, int center,
                       int32_t square_shift, uint64_t epsilon, const int32_t *params, int32_t frac_bits, int32_t lo,
                       int32_t hi, void *scratch, void *y) {
  const long count = run1 * run2, bytes = wide ? 2 : 1;
  const int32_t *gain = params, *bias = params + count;
  const char *in = (const char *)x;
  char *o = (char *)y;
  if (kept == 1) { // contiguous rows
    for (long a = 0; a < outer; ++a)
      mote_norm_row(in + a * count * bytes, wide, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi,
               o + a * count * bytes);
    return;
  }
  char *row = (char *)scratch, *normalized = row + count * bytes;
  for (long a = 0; a < outer; ++a)
    for (long b = 0; b < kept; ++b) {
      const long base = a * run1 * kept * run2 + b * run2;
      for (long r = 0; r < run1; ++r)
        for (long c = 0; c < run2; ++c)
          for (long i = 0; i < bytes; ++i)
            row[(r * run2 + c) * bytes + i] = in[(base + r * kept * run2 + c) * bytes + i];
      mote_norm_row(row, wide, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi, normalized);
      for (long r = 0; r < run1; ++r)
        for (long c = 0; c < run2; ++c)
          for (long i = 0; i < bytes; ++i)
            o[(base + r * kept * run2 + c) * bytes + i] = normalized[(r * run2 + c) * bytes + i];
    }
}
