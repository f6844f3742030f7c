// See NormI8.h.
#include "runtime/hexagon/NormI8.h"

#include "runtime/hexagon/IntegerMath.h"

void mote_hexagon_norm_i8(const int8_t *x, long outer, long run1, long kept, long run2, int center, uint64_t epsilon,
                          const int32_t *params, int32_t frac_bits, int32_t lo, int32_t hi, int8_t *scratch,
                          int8_t *y) {
  const long count = run1 * run2;
  const int32_t *gain = params, *bias = params + count;
  if (kept == 1) { // contiguous rows
    for (long a = 0; a < outer; ++a)
      mote_norm_row_i8(x + a * count, count, center, epsilon, gain, bias, frac_bits, lo, hi, y + a * count);
    return;
  }
  int8_t *row = scratch, *normalized = scratch + count;
  for (long a = 0; a < outer; ++a)
    for (long b = 0; b < kept; ++b) {
      const long base = a * run1 * kept * run2 + b * run2;
      for (long r = 0; r < run1; ++r)
        for (long c = 0; c < run2; ++c)
          row[r * run2 + c] = x[base + r * kept * run2 + c];
      mote_norm_row_i8(row, count, center, epsilon, gain, bias, frac_bits, lo, hi, normalized);
      for (long r = 0; r < run1; ++r)
        for (long c = 0; c < run2; ++c)
          y[base + r * kept * run2 + c] = normalized[r * run2 + c];
    }
}
