// The integer pipeline's int64 index arithmetic: what a model computes on its integer inputs before it gathers
// (CLIP's pooled output takes the row of each sequence's largest token id: an arg max, plus each row's offset).
// Plain C; exact like the reference target.
#ifndef MOTE_RUNTIME_INTEGER_INDEXI64_H
#define MOTE_RUNTIME_INTEGER_INDEXI64_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// out[o, i] = the index along n of the largest in[o, :, i] (the first of equals, or the last with `last`).
void mote_int_argmax_i64(const int64_t *in, long outer, long n, long inner, int last, int64_t *out);

/// out[k] = a[k] + b[k] (wrapping, as two's complement).
void mote_int_add_i64(const int64_t *a, const int64_t *b, long count, int64_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_INDEXI64_H
