// Attention: softmax(q k^T * scale + mask) v without writing the score matrix.

#define MAX_HEAD_DIM 256

/// One query row per work-item, or one slice of MAX_HEAD_DIM output columns of it for wider value heads (the VAE's
/// 512; global size (Sq, H * chunks, B), chunks = ceil(Dv / MAX_HEAD_DIM), each slice computing the scores again):
/// streams the Sk keys once with an online softmax
/// (running maximum and sum, the output rescaled when the maximum grows), so nothing of size Sk is stored.
/// q [B, H, Sq, D], k [B, Hkv, Sk, D], v [B, Hkv, Sk, Dv], y [B, H, Sq, Dv] are read and written with their
/// (b, h, s, d) strides (a head transpose is strides); query head h reads key/value head h / (H / Hkv); the
/// additive mask (hasMask) is read with its strides over (b, h, sq, sk) (0 where it broadcasts).
/// dims: (H, Hkv, Sk, chunks).
kernel void attention(global const store_t *q, const int qo, const int4 qs, global const store_t *k, const int ko,
                      const int4 ks, global const store_t *v, const int vo, const int4 vs,
                      global const store_t *mask, const int mo, const int4 ms, const int hasMask,
                      global store_t *y, const int yo, const int4 ys, const int4 dims, const int D, const int Dv,
                      const float scale) {
  const int s = get_global_id(0), h = get_global_id(1) / dims.w, b = get_global_id(2);
  const int d0 = (get_global_id(1) % dims.w) * MAX_HEAD_DIM, dn = min(Dv - d0, MAX_HEAD_DIM);
  const int hk = h / (dims.x / dims.y);
  const int qBase = qo + b * qs.x + h * qs.y + s * qs.z;
  const int kBase = ko + b * ks.x + hk * ks.y, vBase = vo + b * vs.x + hk * vs.y;
  float acc[MAX_HEAD_DIM];
  for (int d = 0; d < dn; ++d)
    acc[d] = 0.0f;
  float runMax = -INFINITY, runSum = 0.0f;
  for (int j = 0; j < dims.z; ++j) {
    float dot = 0.0f;
    for (int d = 0; d < D; ++d)
      dot = fma(LOAD(q, qBase + d * qs.w), LOAD(k, kBase + j * ks.z + d * ks.w), dot);
    float score = dot * scale;
    if (hasMask)
      score += LOAD(mask, mo + b * ms.x + h * ms.y + s * ms.z + j * ms.w);
    if (score == -INFINITY)
      continue; // masked out entirely
    if (score > runMax) {
      const float rescale = exp(runMax - score);
      runSum *= rescale;
      for (int d = 0; d < dn; ++d)
        acc[d] *= rescale;
      runMax = score;
    }
    const float p = exp(score - runMax);
    runSum += p;
    for (int d = 0; d < dn; ++d)
      acc[d] = fma(p, LOAD(v, vBase + j * vs.z + (d0 + d) * vs.w), acc[d]);
  }
  const float inv = runSum > 0.0f ? 1.0f / runSum : 0.0f;
  const int yBase = yo + b * ys.x + h * ys.y + s * ys.z;
  for (int d = 0; d < dn; ++d)
    STORE(y, yBase + (d0 + d) * ys.w, acc[d] * inv);
}
