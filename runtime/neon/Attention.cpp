// NEON f32 attention: softmax(q k^T * scale + mask) v (see Ops.h).
//
// Many query rows per head (the prefill and diffusion case) run as tiles of GEMMs: K^T and V of each
// key/value head are packed once into the GEMM's 12-column panels (shared by the query heads of a group,
// so grouped-query attention never repeats K/V); then each tile of tileRows(Sk) query rows (at most 64, its
// scores within ~128 KiB) computes its scores S = Q K^T with the 8x12 microkernel, turns each row into
// unnormalized exps (scale, mask and maximum in one pass, exps and their sum in a second), multiplies P V
// with the same microkernel and scales the output rows by 1 / sum. A tile's scores are per-thread scratch:
// the [Sq, Sk] score matrix is never written, whatever the sequence length.
// Few query rows per head (decode) run one row at a time over the unpacked K and V.
#include "runtime/neon/OpsSupport.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

#if defined(MOTE_NEON_FAST)
namespace {
// Row i of a tile's scores: s = s * scale + mask, then s = exp(s - max); returns 1 / sum of the exps. The
// exps are 2^(s c - m c) with c = log2 e folded into the scale (vexp2NonPositiveq). Without a mask and with
// a positive scale (every attention we import), the first pass only finds the raw row maximum: the
// maximum of s * scale is its product with the scale, so the scaled row is never stored.
float softmaxRowUnnormalized(float *s, int64_t n, float scale, const float *mrow, int64_t mstride) {
  constexpr float kLog2e = 1.44269504088896341f;
  float c = kLog2e, mx;
  int64_t j = 0;
  if (!mrow && scale > 0.0f) {
    float32x4_t m0 = vdupq_n_f32(-std::numeric_limits<float>::infinity()), m1 = m0;
    for (; j + 8 <= n; j += 8) {
      m0 = vmaxq_f32(m0, vld1q_f32(s + j));
      m1 = vmaxq_f32(m1, vld1q_f32(s + j + 4));
    }
    mx = vmaxvq_f32(vmaxq_f32(m0, m1));
    for (; j < n; ++j)
      mx = s[j] > mx ? s[j] : mx;
    c = scale * kLog2e;
  } else {
    const float32x4_t vscale = vdupq_n_f32(scale);
    float32x4_t vmx = vdupq_n_f32(-std::numeric_limits<float>::infinity());
    if (mrow && mstride == 1) {
      for (; j + 4 <= n; j += 4) {
        const float32x4_t t = vfmaq_f32(vld1q_f32(mrow + j), vld1q_f32(s + j), vscale);
        vst1q_f32(s + j, t);
        vmx = vmaxq_f32(vmx, t);
      }
    } else if (!mrow) {
      for (; j + 4 <= n; j += 4) {
        const float32x4_t t = vmulq_f32(vld1q_f32(s + j), vscale);
        vst1q_f32(s + j, t);
        vmx = vmaxq_f32(vmx, t);
      }
    }
    mx = vmaxvq_f32(vmx);
    for (; j < n; ++j) {
      s[j] = s[j] * scale + (mrow ? mrow[j * mstride] : 0.0f);
      mx = s[j] > mx ? s[j] : mx;
    }
  }
  // t = s c - mx c in one rounding. A row masked everywhere with -inf gives NaN (-inf + inf), as the
  // decomposition would.
  const float32x4_t vc = vdupq_n_f32(c), vmc = vdupq_n_f32(-mx * c);
  float32x4_t sum0 = vdupq_n_f32(0.0f), sum1 = sum0;
  j = 0;
  for (; j + 8 <= n; j += 8) {
    const float32x4_t e0 = vexp2NonPositiveq(vfmaq_f32(vmc, vld1q_f32(s + j), vc));
    const float32x4_t e1 = vexp2NonPositiveq(vfmaq_f32(vmc, vld1q_f32(s + j + 4), vc));
    vst1q_f32(s + j, e0);
    vst1q_f32(s + j + 4, e1);
    sum0 = vaddq_f32(sum0, e0);
    sum1 = vaddq_f32(sum1, e1);
  }
  for (; j + 4 <= n; j += 4) {
    const float32x4_t e = vexp2NonPositiveq(vfmaq_f32(vmc, vld1q_f32(s + j), vc));
    vst1q_f32(s + j, e);
    sum0 = vaddq_f32(sum0, e);
  }
  // Each lane sums at most n / 8 terms in [0, 1]: f32 keeps the relative error near n / 8 ulp.
  float sum = vaddvq_f32(vaddq_f32(sum0, sum1));
  for (; j < n; ++j) {
    s[j] = vgetq_lane_f32(vexp2NonPositiveq(vfmaq_f32(vmc, vdupq_n_f32(s[j]), vc)), 0);
    sum += s[j];
  }
  return 1.0f / sum;
}
} // namespace

#endif

namespace {

#if defined(MOTE_NEON_FAST)
inline float dotF32(const float *a, const float *b, int64_t n) {
  float32x4_t acc0 = vdupq_n_f32(0.0f), acc1 = vdupq_n_f32(0.0f);
  int64_t i = 0;
  for (; i + 8 <= n; i += 8) {
    acc0 = vfmaq_f32(acc0, vld1q_f32(a + i), vld1q_f32(b + i));
    acc1 = vfmaq_f32(acc1, vld1q_f32(a + i + 4), vld1q_f32(b + i + 4));
  }
  for (; i + 4 <= n; i += 4)
    acc0 = vfmaq_f32(acc0, vld1q_f32(a + i), vld1q_f32(b + i));
  float s = vaddvq_f32(vaddq_f32(acc0, acc1));
  for (; i < n; ++i)
    s += a[i] * b[i];
  return s;
}

void attentionTiled(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
                    const float *q, const float *k, const float *v, const float *mask, const int64_t *ms, float *out,
                    const AttentionStrides &L) {
  const int iD = static_cast<int>(D), iDv = static_cast<int>(Dv), iSk = static_cast<int>(Sk);
  // K^T and V of every (batch, key/value head), packed once.
  const size_t kFloats = packedGemmBFloats(iD, iSk), vFloats = packedGemmBFloats(iSk, iDv);
  const int64_t kvHeads = B * Hkv;
  Scratch packed(static_cast<int>(kvHeads), kFloats + vFloats);
  rt::parallelFor(0, kvHeads, 1, [&](int64_t h0, int64_t h1) {
    for (int64_t bh = h0; bh < h1; ++bh) {
      const int64_t b = bh / Hkv, hk = bh % Hkv;
      packGemmBTransposed(iD, iSk, k + b * L.k[0] + hk * L.k[1], static_cast<size_t>(L.k[2]), packed[bh]);
      packGemmB(iSk, iDv, v + b * L.v[0] + hk * L.v[1], static_cast<size_t>(L.v[2]), packed[bh] + kFloats);
    }
  });
  const int rowsPerTile = attentionTileRows(Sk);
  const int64_t tiles = (Sq + rowsPerTile - 1) / rowsPerTile;
  const size_t scoreFloats = static_cast<size_t>(rowsPerTile) * static_cast<size_t>(Sk);
  const size_t qkWork = gemmWorkspaceFloats(rowsPerTile, iD), pvWork = gemmWorkspaceFloats(rowsPerTile, iSk);
  Scratch work(rt::defaultThreadPool().threadCount(),
               scoreFloats + static_cast<size_t>(rowsPerTile) + (qkWork > pvWork ? qkWork : pvWork));
  const int64_t group = H / Hkv;
  const Epilogue none;
  rt::parallelFor(0, B * H * tiles, 1, [&](int64_t t0, int64_t t1, int chunk) {
    float *scores = work[chunk];
    float *inv = scores + scoreFloats;
    float *gemmWork = inv + rowsPerTile;
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t tile = t % tiles, h = (t / tiles) % H, b = t / (tiles * H);
      const int64_t i0 = tile * rowsPerTile;
      const int rows = static_cast<int>(Sq - i0 < rowsPerTile ? Sq - i0 : rowsPerTile);
      const float *kv = packed[b * Hkv + h / group];
      gemm(rows, iSk, iD, q + b * L.q[0] + h * L.q[1] + i0 * L.q[2], static_cast<size_t>(L.q[2]), kv, scores,
           static_cast<size_t>(Sk), none, gemmWork);
      for (int r = 0; r < rows; ++r) {
        const float *mrow = mask ? mask + b * ms[0] + h * ms[1] + (i0 + r) * ms[2] : nullptr;
        inv[r] = softmaxRowUnnormalized(scores + static_cast<size_t>(r) * static_cast<size_t>(Sk), Sk, scale, mrow,
                                     mask ? ms[3] : 0);
      }
      float *o = out + b * L.o[0] + h * L.o[1] + i0 * L.o[2];
      gemm(rows, iDv, iSk, scores, static_cast<size_t>(Sk), kv + kFloats, o, static_cast<size_t>(L.o[2]), none,
           gemmWork);
      for (int r = 0; r < rows; ++r) {
        float *orow = o + r * L.o[2];
        const float32x4_t vi = vdupq_n_f32(inv[r]);
        int64_t d = 0;
        for (; d + 4 <= Dv; d += 4)
          vst1q_f32(orow + d, vmulq_f32(vld1q_f32(orow + d), vi));
        for (; d < Dv; ++d)
          orow[d] *= inv[r];
      }
    }
  });
}
#endif


// One query row at a time (each thread its own row of Sk scores): for few query rows per head, where
// packing K and V would cost as much as the products, and for the portable build.
void attentionRows(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
                   const float *q, const float *k, const float *v, const float *mask, const int64_t *ms, float *out,
                   const AttentionStrides &L) {
  const int64_t ks = L.k[2], vs = L.v[2]; // key and value row strides
  Scratch scores(rt::defaultThreadPool().threadCount(), static_cast<size_t>(Sk > 0 ? Sk : 1));
  const int64_t group = H / Hkv;
  // One query row (b, h, i) per index, split between threads (each with its own score row).
  rt::parallelFor(0, B * H * Sq, rowGrain(Sk * (D + Dv)), [&](int64_t r0, int64_t r1, int chunk) {
    float *p = scores[chunk];
    for (int64_t r = r0; r < r1; ++r) {
      const int64_t i = r % Sq, h = (r / Sq) % H, b = r / (Sq * H);
      const int64_t hk = h / group;
      const float *K = k + b * L.k[0] + hk * L.k[1];
      const float *V = v + b * L.v[0] + hk * L.v[1];
      {
        const float *qi = q + b * L.q[0] + h * L.q[1] + i * L.q[2];
        float mx = -std::numeric_limits<float>::infinity();
        int64_t jq = 0;
#if defined(MOTE_NEON_FAST)
        if (D % 4 == 0) {
          // Four keys at a time: one accumulator per key, reduced pairwise into one vector of scores.
          float32x4_t vmx = vdupq_n_f32(mx);
          for (; jq + 4 <= Sk; jq += 4) {
            const float *k0 = K + jq * ks, *k1 = k0 + ks, *k2 = k1 + ks, *k3 = k2 + ks;
            float32x4_t a0 = vdupq_n_f32(0.0f), a1 = a0, a2 = a0, a3 = a0;
            for (int64_t d = 0; d < D; d += 4) {
              float32x4_t qv = vld1q_f32(qi + d);
              a0 = vfmaq_f32(a0, qv, vld1q_f32(k0 + d));
              a1 = vfmaq_f32(a1, qv, vld1q_f32(k1 + d));
              a2 = vfmaq_f32(a2, qv, vld1q_f32(k2 + d));
              a3 = vfmaq_f32(a3, qv, vld1q_f32(k3 + d));
            }
            float32x4_t sv = vmulq_n_f32(vpaddq_f32(vpaddq_f32(a0, a1), vpaddq_f32(a2, a3)), scale);
            if (mask) {
              const float *mrow = mask + b * ms[0] + h * ms[1] + i * ms[2];
              float mv[4] = {mrow[jq * ms[3]], mrow[(jq + 1) * ms[3]], mrow[(jq + 2) * ms[3]], mrow[(jq + 3) * ms[3]]};
              sv = vaddq_f32(sv, vld1q_f32(mv));
            }
            vst1q_f32(p + jq, sv);
            vmx = vbslq_f32(vcgtq_f32(sv, vmx), sv, vmx);
          }
          mx = vmaxvq_f32(vmx);
        }
#endif
        for (int64_t j = jq; j < Sk; ++j) {
          const float *kj = K + j * ks;
#if defined(MOTE_NEON_FAST)
          float s = dotF32(qi, kj, D);
#else
          float s = 0.0f;
          for (int64_t d = 0; d < D; ++d)
            s += qi[d] * kj[d];
#endif
          s *= scale;
          if (mask)
            s += mask[b * ms[0] + h * ms[1] + i * ms[2] + j * ms[3]];
          p[j] = s;
          mx = s > mx ? s : mx;
        }
        double sum = 0.0;
        int64_t j0 = 0;
#if defined(MOTE_NEON_FAST)
        {
          const float32x4_t vmx = vdupq_n_f32(mx);
          float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0);
          for (; j0 + 4 <= Sk; j0 += 4) {
            float32x4_t e = vexpNonPositiveq(vsubq_f32(vld1q_f32(p + j0), vmx));
            vst1q_f32(p + j0, e);
            s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(e)));
            s1 = vaddq_f64(s1, vcvt_high_f64_f32(e));
          }
          sum = vaddvq_f64(vaddq_f64(s0, s1));
        }
#endif
        for (int64_t j = j0; j < Sk; ++j) {
          // A row masked everywhere with -inf gives NaN, as the decomposition would.
          p[j] = std::exp(p[j] - mx);
          sum += p[j];
        }
        const float inv = static_cast<float>(1.0 / sum);
        float *o = out + b * L.o[0] + h * L.o[1] + i * L.o[2];
        int64_t dv0 = 0;
#if defined(MOTE_NEON_FAST)
        // Output columns in blocks of 16 (then 4) held in registers over all keys.
        for (; dv0 + 16 <= Dv; dv0 += 16) {
          float32x4_t c0 = vdupq_n_f32(0.0f), c1 = c0, c2 = c0, c3 = c0;
          for (int64_t j = 0; j < Sk; ++j) {
            const float w = p[j] * inv;
            const float *vj = V + j * vs + dv0;
            c0 = vfmaq_n_f32(c0, vld1q_f32(vj), w);
            c1 = vfmaq_n_f32(c1, vld1q_f32(vj + 4), w);
            c2 = vfmaq_n_f32(c2, vld1q_f32(vj + 8), w);
            c3 = vfmaq_n_f32(c3, vld1q_f32(vj + 12), w);
          }
          vst1q_f32(o + dv0, c0);
          vst1q_f32(o + dv0 + 4, c1);
          vst1q_f32(o + dv0 + 8, c2);
          vst1q_f32(o + dv0 + 12, c3);
        }
        for (; dv0 + 4 <= Dv; dv0 += 4) {
          float32x4_t c0 = vdupq_n_f32(0.0f);
          for (int64_t j = 0; j < Sk; ++j)
            c0 = vfmaq_n_f32(c0, vld1q_f32(V + j * vs + dv0), p[j] * inv);
          vst1q_f32(o + dv0, c0);
        }
#endif
        for (int64_t d = dv0; d < Dv; ++d)
          o[d] = 0.0f;
        for (int64_t j = 0; j < Sk && dv0 < Dv; ++j) {
          const float w = p[j] * inv;
          const float *vj = V + j * vs;
          for (int64_t d = dv0; d < Dv; ++d)
            o[d] += w * vj[d];
        }
      }
    }
  });
}

} // namespace

void attention(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
               const float *q, const float *k, const float *v, const float *mask, const int64_t *ms, float *out,
               const int64_t *layout) {
  const AttentionStrides L(layout, H, Hkv, Sq, Sk, D, Dv);
#if defined(MOTE_NEON_FAST)
  // The GEMM takes int sizes (and kv heads index Scratch blocks by int).
  constexpr int64_t kIntMax = 0x7fffffff;
  if (Sq >= kAttentionTiledRows && Sk > 0 && D > 0 && Dv > 0 && Sk * (D > Dv ? D : Dv) <= kIntMax &&
      B * Hkv <= kIntMax) {
    attentionTiled(B, H, Hkv, Sq, Sk, D, Dv, scale, q, k, v, mask, ms, out, L);
    return;
  }
#endif
  attentionRows(B, H, Hkv, Sq, Sk, D, Dv, scale, q, k, v, mask, ms, out, L);
}

} // namespace ops
} // namespace neon
} // namespace mote
