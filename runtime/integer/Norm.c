// See Norm.h.
#include "runtime/integer/Norm.h"

#include "runtime/integer/IntegerMath.h"

/// Whether every gain of the row is the same and every bias too (a norm whose scale and shift come after it, as
/// the group norms of torch exports: InstanceNormalization with scale 1 and bias 0).
static int uniform_params(const int32_t *gain, const int32_t *bias, long count) {
  for (long k = 1; k < count; ++k)
    if (gain[k] != gain[0] || bias[k] != bias[0])
      return 0;
  return 1;
}

/// int8 rows with uniform gains and biases: an element's output depends on its value alone, so each row is a
/// histogram of its 256 values (the sum and the squares' sum from it, exactly the sums over the elements), then
/// a 256-entry table of mote_norm_value, then one lookup per element. The rows (a, b) of the [outer, run1, kept,
/// run2] view are swept in memory order, `kept` rows at once.
/// One contiguous row by mote_norm_row, specialized for each width (a constant `wide` lets the compiler drop the
/// per-element width test).
static void norm_row(const void *x, int wide, long count, int center, int32_t square_shift, uint64_t epsilon,
                     const int32_t *gain, const int32_t *bias, int32_t frac_bits, int32_t lo, int32_t hi, void *y) {
  if (wide)
    mote_norm_row(x, 1, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi, y);
  else
    mote_norm_row(x, 0, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi, y);
}

static void norm_rows_by_table(const int8_t *x, long outer, long run1, long kept, long run2, int center,
                               int32_t square_shift, uint64_t epsilon, int32_t gain, int32_t bias, int32_t frac_bits,
                               int32_t lo, int32_t hi, void *scratch, int8_t *y) {
  const long count = run1 * run2, block = run1 * kept * run2;
  uint32_t *hist = (uint32_t *)scratch;
  int8_t *table = (int8_t *)(hist + kept * 256);
  for (long a = 0; a < outer; ++a) {
    const int8_t *in = x + a * block;
    int8_t *out = y + a * block;
    for (long i = 0; i < kept * 256; ++i)
      hist[i] = 0;
    for (long r = 0; r < run1; ++r)
      for (long b = 0; b < kept; ++b) {
        uint32_t *h = hist + b * 256 + 128;
        const int8_t *p = in + (r * kept + b) * run2;
        for (long c = 0; c < run2; ++c)
          ++h[p[c]];
      }
    for (long b = 0; b < kept; ++b) {
      const uint32_t *h = hist + b * 256;
      int64_t sum = 0;
      for (int v = -128; v < 128; ++v)
        sum += (int64_t)h[v + 128] * v;
      uint64_t squares = 0;
      for (int v = -128; v < 128; ++v)
        if (h[v + 128])
          squares += (uint64_t)h[v + 128] * mote_norm_square(mote_norm_centered(v, count, center, sum), square_shift);
      int32_t shift;
      const uint32_t r = mote_norm_scale(squares, epsilon, square_shift, &shift);
      for (int v = -128; v < 128; ++v)
        table[b * 256 + v + 128] = (int8_t)mote_norm_value(mote_norm_centered(v, count, center, sum), r, shift, gain,
                                                           bias, frac_bits, lo, hi);
    }
    for (long r = 0; r < run1; ++r)
      for (long b = 0; b < kept; ++b) {
        const int8_t *t = table + b * 256 + 128;
        const long at = (r * kept + b) * run2;
        for (long c = 0; c < run2; ++c)
          out[at + c] = t[in[at + c]];
      }
  }
}

void mote_int_norm(const void *x, int wide, long outer, long run1, long kept, long run2, int center,
                   int32_t square_shift, uint64_t epsilon, const int32_t *params, int32_t frac_bits, int32_t lo,
                   int32_t hi, void *scratch, void *y) {
  const long count = run1 * run2, bytes = wide ? 2 : 1;
  const int32_t *gain = params, *bias = params + count;
  if (!wide && count >= 1024 && uniform_params(gain, bias, count)) {
    norm_rows_by_table((const int8_t *)x, outer, run1, kept, run2, center, square_shift, epsilon, gain[0], bias[0],
                       frac_bits, lo, hi, scratch, (int8_t *)y);
    return;
  }
  const char *in = (const char *)x;
  char *o = (char *)y;
  if (kept == 1) { // contiguous rows
    for (long a = 0; a < outer; ++a)
      norm_row(in + a * count * bytes, wide, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi,
               o + a * count * bytes);
    return;
  }
  char *row = (char *)scratch, *normalized = row + count * bytes;
  for (long a = 0; a < outer; ++a)
    for (long b = 0; b < kept; ++b) {
      const long base = a * run1 * kept * run2 + b * run2;
      const long span = run2 * bytes; // contiguous bytes of a row per run1 index
      for (long r = 0; r < run1; ++r) {
        const char *from = in + (base + r * kept * run2) * bytes;
        for (long j = 0; j < span; ++j)
          row[r * span + j] = from[j];
      }
      norm_row(row, wide, count, center, square_shift, epsilon, gain, bias, frac_bits, lo, hi, normalized);
      for (long r = 0; r < run1; ++r) {
        char *to = o + (base + r * kept * run2) * bytes;
        for (long j = 0; j < span; ++j)
          to[j] = normalized[r * span + j];
      }
    }
}
