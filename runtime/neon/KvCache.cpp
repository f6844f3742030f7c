// NEON kernels of a static KV cache (Ops.h): the in-place write of this call's rows and causal attention over
// the filled rows only, so that a decode step costs what its context costs, not the cache's length.
#include "runtime/neon/OpsSupport.h"

#include <cstring>
#include <limits>
#include <vector>

namespace mote {
namespace neon {
namespace ops {

namespace {
bool inCache(const int64_t *position, int64_t S, int64_t L) { return *position >= 0 && *position <= L - S; }
} // namespace

bool kvWrite(int elemBytes, int64_t BH, int64_t L, int64_t S, int64_t D, const void *cache, const void *update,
             const int64_t *position, void *out) {
  if (!inCache(position, S, L))
    return false;
  const size_t row = static_cast<size_t>(D) * static_cast<size_t>(elemBytes);
  auto *o = static_cast<unsigned char *>(out);
  if (out != cache) // not in place: the kept rows too
    std::memcpy(o, cache, static_cast<size_t>(BH * L) * row);
  const auto *u = static_cast<const unsigned char *>(update);
  for (int64_t bh = 0; bh < BH; ++bh)
    std::memcpy(o + static_cast<size_t>(bh * L + *position) * row, u + static_cast<size_t>(bh * S) * row,
                static_cast<size_t>(S) * row);
  return true;
}

namespace {
/// cacheAttention over `attend` (attention or attentionF16) with mask elements of type T.
template <typename T, typename Attend>
bool cached(int64_t B, int64_t H, int64_t Hkv, int64_t S, int64_t L, int64_t D, int64_t Dv, float scale, const T *q,
            const T *k, const T *v, const int64_t *position, T *out, T lowest, Attend attend) {
  if (!inCache(position, S, L))
    return false;
  const int64_t keys = *position + S; // the filled rows this call reads
  // q and out dense [B, H, S, *]; the caches [B, Hkv, L, *] read over their first `keys` rows.
  const int64_t layout[12] = {H * S * D,    S * D,  D,  Hkv * L * D,  L * D,  D,
                              Hkv * L * Dv, L * Dv, Dv, H * S * Dv,   S * Dv, Dv};
  if (S == 1) { // the one query sees every filled row
    const int64_t none[4] = {0, 0, 0, 0};
    attend(B, H, Hkv, 1, keys, D, Dv, scale, q, k, v, nullptr, none, out, layout);
    return true;
  }
  // Query s sees rows 0 .. position + s: an additive [S, keys] mask shared by batches and heads.
  std::vector<T> mask(static_cast<size_t>(S * keys), T(0));
  for (int64_t s = 0; s < S; ++s)
    for (int64_t j = *position + s + 1; j < keys; ++j)
      mask[static_cast<size_t>(s * keys + j)] = lowest;
  const int64_t ms[4] = {0, 0, keys, 1};
  attend(B, H, Hkv, S, keys, D, Dv, scale, q, k, v, mask.data(), ms, out, layout);
  return true;
}
} // namespace

bool cacheAttention(int64_t B, int64_t H, int64_t Hkv, int64_t S, int64_t L, int64_t D, int64_t Dv, float scale,
                    const float *q, const float *k, const float *v, const int64_t *position, float *out) {
  return cached(B, H, Hkv, S, L, D, Dv, scale, q, k, v, position, out, std::numeric_limits<float>::lowest(),
                attention);
}

bool cacheAttentionF16(int64_t B, int64_t H, int64_t Hkv, int64_t S, int64_t L, int64_t D, int64_t Dv, float scale,
                       const __fp16 *q, const __fp16 *k, const __fp16 *v, const int64_t *position, __fp16 *out) {
  return cached(B, H, Hkv, S, L, D, Dv, scale, q, k, v, position, out, static_cast<__fp16>(-65504.0f), attentionF16);
}

} // namespace ops
} // namespace neon
} // namespace mote
