// See Attention.h.
#include "runtime/integer/Attention.h"

#include "runtime/integer/IntegerMath.h"

/// The heads of one width (`wide` a constant after inlining, so each width gets its own loops).
static inline __attribute__((always_inline)) void attention_heads(const MoteAttention *a, int wide, const void *q,
                                                                  const void *k, const void *v, const int32_t *mask,
                                                                  const int32_t *table, int32_t *scratch, void *out) {
  const int group = a->heads / a->kv_heads;
  const long bytes = wide ? 2 : 1;
  for (long b = 0; b < a->batch; ++b)
    for (long h = 0; h < a->heads; ++h) {
      const long kvHead = b * a->kv_heads + h / group;
      const char *kh = (const char *)k + kvHead * a->sk * a->d * bytes;
      const char *vh = (const char *)v + kvHead * a->sk * a->dv * bytes;
      for (long i = 0; i < a->sq; ++i) {
        const long row = (b * a->heads + h) * a->sq + i;
        const int32_t *maskRow = mask ? mask + ((a->mask_batched ? b * a->sq : 0) + i) * a->sk : 0;
        mote_attention_row((const char *)q + row * a->d * bytes, kh, vh, wide, a->sk, a->d, a->dv, maskRow, table,
                           a->table_size, a->logit_mult, a->logit_shift, a->out_mult, a->out_shift, a->lo, a->hi,
                           scratch, (char *)out + row * a->dv * bytes);
      }
    }
}

void mote_int_attention(const MoteAttention *a, const void *q, const void *k, const void *v, const int32_t *mask,
                        const int32_t *table, int32_t *scratch, void *out) {
  if (a->wide)
    attention_heads(a, 1, q, k, v, mask, table, scratch, out);
  else
    attention_heads(a, 0, q, k, v, mask, table, scratch, out);
}
