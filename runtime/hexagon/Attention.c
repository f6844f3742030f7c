// See Attention.h.
#include "runtime/hexagon/Attention.h"

#include "runtime/integer/IntegerMath.h"

#include <hexagon_protos.h>
#include <hexagon_types.h>
#include <hvx_hexagon_protos.h>

/// Packs the sk keys of one int8 head ([sk, d]) for vrmpy: word (g, j) of `packed` (keys = sk rounded up to 32
/// per group) holds key j's bytes 4g .. 4g + 3, zero past d and past sk.
static void pack_keys(const int8_t *k, long sk, long d, long keys, int32_t *packed) {
  const long groups = (d + 3) / 4;
  for (long g = 0; g < groups; ++g)
    for (long j = 0; j < keys; ++j) {
      uint32_t w = 0;
      for (long b = 0; b < 4; ++b)
        if (j < sk && 4 * g + b < d)
          w |= (uint32_t)(uint8_t)k[j * d + 4 * g + b] << (8 * b);
      packed[g * keys + j] = (int32_t)w;
    }
}

/// One int8 query row: the dot products with every key on HVX (lane j of a vrmpy sums 4 products of query and key
/// bytes; int32 lanes wrap as mote_attention_row's sums), then the logits and the softmax row of IntegerMath.h.
static void attention_row_i8_hvx(const MoteAttention *a, const int8_t *q, const int32_t *packed, long keys,
                                 const int8_t *v, const int32_t *mask, const int32_t *table, int32_t *logits,
                                 int8_t *out) {
  const long groups = (a->d + 3) / 4;
  for (long j0 = 0; j0 < keys; j0 += 32) {
    HVX_Vector acc = Q6_V_vzero();
    for (long g = 0; g < groups; ++g) {
      uint32_t w = 0;
      for (long b = 0; b < 4 && 4 * g + b < a->d; ++b)
        w |= (uint32_t)(uint8_t)q[4 * g + b] << (8 * b);
      acc = Q6_Vw_vrmpyacc_VwVbVb(acc, *(const HVX_Vector *)(packed + g * keys + j0), Q6_V_vsplat_R((int32_t)w));
    }
    *(HVX_Vector *)(logits + j0) = acc;
  }
  for (long j = 0; j < a->sk; ++j)
    logits[j] = mote_attention_logit(logits[j], 0, mask, j, a->logit_mult, a->logit_shift);
  mote_attention_softmax_row(logits, a->sk, v, 0, a->dv, table, a->table_size, a->out_mult, a->out_shift, a->lo,
                             a->hi, out);
}

void mote_hexagon_attention(const MoteAttention *a, const void *q, const void *k, const void *v, const int32_t *mask,
                            const int32_t *table, int32_t *scratch, void *out) {
  if (a->wide) { // int16 heads: exact int64 dot products, in C
    mote_int_attention(a, q, k, v, mask, table, scratch, out);
    return;
  }
  const int group = a->heads / a->kv_heads;
  const long keys = (a->sk + 31) / 32 * 32;
  int32_t *packed = scratch + keys; // the keys packed for vrmpy
  for (long b = 0; b < a->batch; ++b)
    for (long h = 0; h < a->heads; ++h) {
      const long kvHead = b * a->kv_heads + h / group;
      const int8_t *kh = (const int8_t *)k + kvHead * a->sk * a->d, *vh = (const int8_t *)v + kvHead * a->sk * a->dv;
      if (h % group == 0) // a new key head
        pack_keys(kh, a->sk, a->d, keys, packed);
      for (long i = 0; i < a->sq; ++i) {
        const long row = (b * a->heads + h) * a->sq + i;
        const int32_t *maskRow = mask ? mask + ((a->mask_batched ? b * a->sq : 0) + i) * a->sk : 0;
        attention_row_i8_hvx(a, (const int8_t *)q + row * a->d, packed, keys, vh, maskRow, table, scratch,
                             (int8_t *)out + row * a->dv);
      }
    }
}
