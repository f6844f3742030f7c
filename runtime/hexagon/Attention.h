// The Hexagon runtime's attention (mote.integer_attention, runtime/integer/Attention.h) with the int8 heads' dot
// products on HVX, the rest in C.
#ifndef MOTE_RUNTIME_HEXAGON_ATTENTION_H
#define MOTE_RUNTIME_HEXAGON_ATTENTION_H

#include "runtime/integer/Attention.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The int32 words of mote_hexagon_attention's scratch (128-byte aligned): the logits of one query row (sk,
/// rounded up to 32), and for int8 heads the keys of one head packed for vrmpy (4 bytes of each key per word,
/// groups of 4 along d, 32 keys a vector).
static inline long mote_hexagon_attention_scratch_words(const MoteAttention *a) {
  const long keys = (a->sk + 31) / 32 * 32;
  return keys + (a->wide ? 0 : (a->d + 3) / 4 * keys);
}

/// `scratch`: mote_hexagon_attention_scratch_words int32, 128-byte aligned. int8 heads take their dot products
/// on HVX (vrmpy over 32 keys at a time, the same wrapping int32 sums as the reference's), the softmax and the
/// weighted sum of values in C.
void mote_hexagon_attention(const MoteAttention *a, const void *q, const void *k, const void *v, const int32_t *mask,
                            const int32_t *table, int32_t *scratch, void *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_ATTENTION_H
