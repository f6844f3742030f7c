// The Hexagon runtime's int8 layer, group and RMS normalization (mote.integer_norm): each row computed by
// mote_norm_row_i8 (IntegerMath.h, the arithmetic the reference target shares). Plain C for now.
#ifndef MOTE_RUNTIME_HEXAGON_NORMI8_H
#define MOTE_RUNTIME_HEXAGON_NORMI8_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The input as [outer, run1, kept, run2]: one row per (outer, kept), its run1 * run2 values normalized together
/// (a layer norm: kept = run2 = 1; group norm's [N, HW, G, C/G]: rows (n, g)); params: gain[count], bias[count]
/// (int32). `scratch` holds 2 * count bytes when kept > 1 (the rows are strided: gathered, then scattered back).
void mote_hexagon_norm_i8(const int8_t *x, long outer, long run1, long kept, long run2, int center, uint64_t epsilon,
                          const int32_t *params, int32_t frac_bits, int32_t lo, int32_t hi, int8_t *scratch,
                          int8_t *y);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_NORMI8_H
