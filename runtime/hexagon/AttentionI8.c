// See AttentionI8.h.
#include "runtime/hexagon/AttentionI8.h"

#include "runtime/hexagon/IntegerMath.h"

void mote_hexagon_attention_i8(const MoteAttentionI8 *a, const int8_t *q, const int8_t *k, const int8_t *v,
                               const int32_t *mask, const int32_t *table, int32_t *scratch, int8_t *out) {
  const int group = a->heads / a->kv_heads;
  for (long b = 0; b < a->batch; ++b)
    for (long h = 0; h < a->heads; ++h) {
      const long kvHead = b * a->kv_heads + h / group;
      const int8_t *kh = k + kvHead * a->sk * a->d, *vh = v + kvHead * a->sk * a->dv;
      for (long i = 0; i < a->sq; ++i) {
        const long row = (b * a->heads + h) * a->sq + i;
        const int32_t *maskRow = mask ? mask + ((a->mask_batched ? b * a->sq : 0) + i) * a->sk : 0;
        mote_attention_row_i8(q + row * a->d, kh, vh, a->sk, a->d, a->dv, maskRow, table,
                              a->table_size, a->logit_mult, a->logit_shift, a->out_mult, a->out_shift, a->lo, a->hi,
                              scratch, out + row * a->dv);
      }
    }
}
