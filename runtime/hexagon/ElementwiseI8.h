// The Hexagon runtime's int8 elementwise and data-movement kernels: the rescaling add, the 256-entry table, a
// strided copy (transposes), and the channel padding the convolution kernels want (pixels 4-byte aligned).
// Each computes exactly what the reference target computes for the op (ir/MoteOps.td).
#ifndef MOTE_RUNTIME_HEXAGON_ELEMENTWISEI8_H
#define MOTE_RUNTIME_HEXAGON_ELEMENTWISEI8_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[i] = clamp(floor((a[i] * ma + b[i] * mb + (shift ? 2^(shift-1) : 0)) / 2^shift), lo, hi) (mote.integer_add).
void mote_hexagon_add_i8(const int8_t *a, const int8_t *b, long count, int32_t ma, int32_t mb, int32_t shift,
                         int32_t lo, int32_t hi, int8_t *out);

/// out[i] = table[in[i] + 128] (mote.integer_table).
void mote_hexagon_table_i8(const int8_t *in, long count, const int8_t *table, int8_t *out);

/// out[outOffset + sum o_k * outStrides[k]] = in[inOffset + sum o_k * inStrides[k]] over `shape` (rank <= 8).
void mote_hexagon_copy_i8(int rank, const int64_t *shape, const int8_t *in, int64_t inOffset,
                          const int64_t *inStrides, int8_t *out, int64_t outOffset, const int64_t *outStrides);

/// `pixels` rows of `channels` bytes copied `stride` bytes apart (the bytes between are left as they are).
void mote_hexagon_pad_rows_i8(const int8_t *in, long pixels, int channels, int stride, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_ELEMENTWISEI8_H
