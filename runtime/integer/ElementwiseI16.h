// The integer pipeline's int16 elementwise kernels (w8a16): the rescaling add, the requantizing product, the
// interpolated table and the fixed-point sinusoid, each exactly what the reference target computes for the op
// on int16 (ir/MoteOps.td). Data movement (copies, gathers) is the int8 kernels' over bytes
// (ElementwiseI8.h).
#ifndef MOTE_RUNTIME_INTEGER_ELEMENTWISEI16_H
#define MOTE_RUNTIME_INTEGER_ELEMENTWISEI16_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = clamp(floor((a[i] * ma + b[i] * mb + (shift ? 2^(shift-1) : 0)) / 2^shift), lo, hi), in int64.
void mote_int_add_i16(const int16_t *a, const int16_t *b, long count, int32_t ma, int32_t mb, int32_t shift,
                      int32_t lo, int32_t hi, int16_t *out);

/// out[i] = mote_requantize(a[i] * b[i], mult, shift, 0, lo, hi) (the product fits int32).
void mote_int_mul_i16(const int16_t *a, const int16_t *b, long count, int32_t mult, int32_t shift, int32_t lo,
                      int32_t hi, int16_t *out);

/// out[i] = mote_table_i16(in[i], table) (513 entries; IntegerMath.h).
void mote_int_table_i16(const int16_t *in, long count, const int16_t *table, int16_t *out);

/// out[b * n + k] = mote_sinusoid_at(x, int64_input, b, frequencies[k], frequencies[n + k], phase, ...) (x: f32
/// bits, or int64 values).
void mote_int_sinusoid_i16(const void *x, int int64_input, long count, const int64_t *frequencies, long n,
                           uint32_t phase, int32_t mult, int32_t shift, int32_t lo, int32_t hi, int16_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_ELEMENTWISEI16_H
