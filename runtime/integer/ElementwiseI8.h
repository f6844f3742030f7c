// The integer pipeline's int8 elementwise and data-movement kernels: the rescaling add, the requantizing product,
// the 256-entry table, the fixed-point sinusoid of a model input, a strided copy (transposes, slices,
// concatenations, splits, broadcasts) and the gather of rows.
// Each computes exactly what the reference target computes for the op (ir/MoteOps.td).
#ifndef MOTE_RUNTIME_INTEGER_ELEMENTWISEI8_H
#define MOTE_RUNTIME_INTEGER_ELEMENTWISEI8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = clamp(floor((a[i] * ma + b[i] * mb + (shift ? 2^(shift-1) : 0)) / 2^shift), lo, hi) (mote.integer_add).
void mote_int_add_i8(const int8_t *a, const int8_t *b, long count, int32_t ma, int32_t mb, int32_t shift,
                     int32_t lo, int32_t hi, int8_t *out);

/// out[i] = mote_requantize(a[i] * b[i], mult, shift, 0, lo, hi) (mote.integer_mul; Requantize.h).
void mote_int_mul_i8(const int8_t *a, const int8_t *b, long count, int32_t mult, int32_t shift, int32_t lo,
                     int32_t hi, int8_t *out);

/// out[i] = table[in[i] + 128] (mote.integer_table).
void mote_int_table_i8(const int8_t *in, long count, const int8_t *table, int8_t *out);

/// out[b * n + k] = (int8_t)mote_sinusoid_at(x, int64_input, b, frequencies[k], frequencies[n + k], phase, ...) for
/// b < count, k < n (mote.integer_sinusoid: x are f32 bits, or int64 values; IntegerMath.h).
void mote_int_sinusoid_i8(const void *x, int int64_input, long count, const int64_t *frequencies, long n,
                          uint32_t phase, int32_t mult, int32_t shift, int32_t lo, int32_t hi, int8_t *out);

/// out[outOffset + sum o_k * outStrides[k]] = in[inOffset + sum o_k * inStrides[k]] over `shape` (rank <= 8).
void mote_int_copy_i8(int rank, const int64_t *shape, const int8_t *in, int64_t inOffset,
                      const int64_t *inStrides, int8_t *out, int64_t outOffset, const int64_t *outStrides);

/// Status of a model run (NAME_run) when an index is out of range.
enum { MOTE_INT_INDEX_OUT_OF_RANGE = 64 };

/// out[o, n, i] = data[o, indices[n] (negative: from the end), i] for o < outer, n < count, i < inner (mote.gather
/// of int8 rows); 0, or MOTE_INT_INDEX_OUT_OF_RANGE (out partly written) when an index is not in [-extent, extent).
int mote_int_gather_i8(const int8_t *data, long outer, long extent, long inner, const int64_t *indices, long count,
                       int8_t *out);


#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_ELEMENTWISEI8_H
