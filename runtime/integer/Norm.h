// The integer pipeline's layer, group and RMS normalization (mote.integer_norm) of int8 or int16 rows: each row
// computed by mote_norm_row (IntegerMath.h, the arithmetic the reference target shares); long int8 rows with
// uniform gains and biases by a histogram and a table of the same values. Plain C.
#ifndef MOTE_RUNTIME_INTEGER_NORM_H
#define MOTE_RUNTIME_INTEGER_NORM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The scratch bytes mote_int_norm needs for the view [outer, run1, kept, run2] (the emitter sizes the
/// program's scratch buffer with it).
static inline size_t mote_int_norm_scratch_bytes(int wide, long run1, long kept, long run2) {
  const size_t rows = kept > 1 ? (size_t)(2 * run1 * run2 * (wide ? 2 : 1)) : 0; // a strided row and its output
  const size_t tables = wide ? 0 : (size_t)kept * (256 * sizeof(uint32_t) + 256); // histograms and tables
  return rows > tables ? rows : tables;
}

/// The input as [outer, run1, kept, run2]: one row per (outer, kept), its run1 * run2 values normalized together
/// (a layer norm: kept = run2 = 1; group norm's [N, HW, G, C/G]: rows (n, g)); params: gain[count], bias[count]
/// (int32). int8 values, or int16 with `wide` (and its `square_shift`). `scratch`: mote_int_norm_scratch_bytes
/// (strided rows are gathered, then scattered back; long int8 rows with uniform gains and biases go by a
/// histogram and a 256-entry table per row, the same values mote_norm_row gives).
void mote_int_norm(const void *x, int wide, long outer, long run1, long kept, long run2, int center,
                   int32_t square_shift, uint64_t epsilon, const int32_t *params, int32_t frac_bits, int32_t lo,
                   int32_t hi, void *scratch, void *y);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_NORM_H
