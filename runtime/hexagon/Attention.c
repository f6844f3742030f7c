// See Attention.h.
#include "runtime/hexagon/Attention.h"

#include "runtime/hexagon/IntegerMath.h"

void mote_hexagon_attention(const MoteAttention *a, const void *q, const void *k, const void *v, const int32_t *mask,
                            const int32_t *table, int32_t *scratch, void *out) {
  const int group = a->heads / a->kv_heads;
  const long bytes = a->wide ? 2 : 1;
  for (long b = 0; b < a->batch; ++b)
    for (long h = 0; h < a->heads; ++h) {
      const long kvHead = b * a->kv_heads + h / group;
      const char *kh = (const char *)k + kvHead * a->sk * a->d * bytes, *vh = (const char *)v + kvHead * a->sk * a->dv * bytes;
      for (long i = 0; i < a->sq; ++i) {
        const long row = (b * a->heads + h) * a->sq + i;
        const int32_t *maskRow = mask ? mask + ((a->mask_batched ? b * a->sq : 0) + i) * a->sk : 0;
        mote_attention_row((const char *)q + row * a->d * bytes, kh, vh, a->wide, a->sk, a->d, a->dv, maskRow, table,
                           a->table_size, a->logit_mult, a->logit_shift, a->out_mult, a->out_shift, a->lo, a->hi,
                           scratch, (char *)out + row * a->dv * bytes);
      }
    }
}
