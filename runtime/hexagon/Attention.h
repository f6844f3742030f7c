// The Hexagon runtime's attention (mote.integer_attention) of int8 or int16 heads: softmax(q k^T * scale + mask) v
// with the fixed-point softmax of IntegerMath.h (an exp table, integer weights), one query row at a time;
// grouped-query heads read their key/value head in place. int8 dot products on HVX, the rest in C.
#ifndef MOTE_RUNTIME_HEXAGON_ATTENTION_H
#define MOTE_RUNTIME_HEXAGON_ATTENTION_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Shapes and constants of one attention: q [batch, heads, sq, d], k [batch, kv_heads, sk, d],
/// v [batch, kv_heads, sk, dv], out [batch, heads, sq, dv], int8, or int16 when `wide`; the mask, when present,
/// [sq, sk] int32, or one per batch ([batch, sq, sk]) when mask_batched.
typedef struct {
  int batch, heads, kv_heads, sq, sk, d, dv, mask_batched, wide;
  int32_t table_size, logit_mult, logit_shift, out_mult, out_shift, lo, hi;
} MoteAttention;

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
