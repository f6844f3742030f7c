// The integer pipeline's attention (mote.integer_attention) of int8 or int16 heads: softmax(q k^T * scale + mask) v
// with the fixed-point softmax of IntegerMath.h (an exp table, integer weights), one query row at a time;
// grouped-query heads read their key/value head in place. Plain C (Hexagon's kernel takes int8 dot products on HVX:
// runtime/hexagon/Attention.h).
#ifndef MOTE_RUNTIME_INTEGER_ATTENTION_H
#define MOTE_RUNTIME_INTEGER_ATTENTION_H

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

/// The int32 words of mote_int_attention's scratch: the logits of one query row.
static inline long mote_int_attention_scratch_words(const MoteAttention *a) { return a->sk; }

/// Each query row by mote_attention_row (IntegerMath.h). `scratch`: mote_int_attention_scratch_words int32.
void mote_int_attention(const MoteAttention *a, const void *q, const void *k, const void *v, const int32_t *mask,
                        const int32_t *table, int32_t *scratch, void *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_INTEGER_ATTENTION_H
