// The Hexagon runtime's int8 attention (mote.integer_attention): softmax(q k^T * scale + mask) v with the
// fixed-point softmax of IntegerMath.h (an exp table, integer weights), one query row at a time; grouped-query
// heads read their key/value head in place. Plain C for now.
#ifndef MOTE_RUNTIME_HEXAGON_ATTENTIONI8_H
#define MOTE_RUNTIME_HEXAGON_ATTENTIONI8_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Shapes and constants of one attention: q [batch, heads, sq, d], k [batch, kv_heads, sk, d],
/// v [batch, kv_heads, sk, dv], out [batch, heads, sq, dv]; the mask, when present, [sq, sk] int32, or one per
/// batch ([batch, sq, sk]) when mask_batched.
typedef struct {
  int batch, heads, kv_heads, sq, sk, d, dv, mask_batched;
  int32_t table_size, logit_mult, logit_shift, out_mult, out_shift, lo, hi;
} MoteAttentionI8;

/// `scratch` holds sk int32.
void mote_hexagon_attention_i8(const MoteAttentionI8 *a, const int8_t *q, const int8_t *k, const int8_t *v,
                               const int32_t *mask, const int32_t *table, int32_t *scratch, int8_t *out);

#ifdef __cplusplus
}
#endif

#endif // MOTE_RUNTIME_HEXAGON_ATTENTIONI8_H
