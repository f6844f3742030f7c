// Attention on f16 storage (see Ops.h). Few query rows per head (decode): q k^T in f16 arithmetic (each score
// accumulates D / 8 products per lane, then the lanes are summed in f32), softmax in f32, p v in f16 over
// blocks of 32 keys whose sums are added in f32, so no long sum is ever kept in f16 (needs FP16 vector
// arithmetic and D, Dv multiples of 8). Many query rows (prefill, diffusion): tiles of f16 GEMMs, as the f32
// kernel's tiles (Attention.cpp) but at 8 MACs per instruction: K^T and V of each key/value head packed once
// into f16 panels, per tile S = Q K^T, each score row's softmax (softmaxRowF16: scaling, masking and the
// maximum in f32, the exps in f16 arithmetic, their sum in f32), the probabilities (in [0, 1]) stored as f16
// and O = P V written straight into the output; each product
// accumulates in f16 when its sums are at most 64 long, else in f32 (GemmF16.h's two modes). The scores are
// stored unscaled, so |q . k| must stay within f16's range (65504), as in the row kernel's f16 sums.
// Without FP16 vector arithmetic: the f32 kernel on widened copies.
#include "runtime/neon/GemmF16.h"
#include "runtime/neon/OpsSupport.h"
#include "runtime/neon/VectorMathF16.h"

namespace mote {
namespace neon {
namespace ops {

using namespace support;

namespace {

#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
/// One row of a tile: its n f16 scores s (unscaled q . k) replaced by their softmax probabilities. z = s * scale
/// + mask in f32 (in `z`, n floats, when there is a mask or the scale is not positive; without them the maximum
/// of z is the raw maximum times the scale), t = (z - max z) log2 e split in f32 into round(t) and the rest,
/// the exps 2^t in f16 arithmetic (vexp2SplitF16), their sum in f32 lanes, then the row times 1 / sum in f32.
/// A row masked everywhere with -inf gives NaN, as the f32 kernel's does.
void softmaxRowF16(float16_t *s, int64_t n, float scale, const __fp16 *mrow, int64_t mstride, float *z) {
  constexpr float kLog2e = 1.44269504088896341f;
  const bool raw = !mrow && scale > 0.0f;
  float mx = -std::numeric_limits<float>::infinity();
  int64_t j = 0;
  if (raw) {
    float16x8_t m = vdupq_n_f16(static_cast<float16_t>(-std::numeric_limits<float>::infinity()));
    for (; j + 8 <= n; j += 8)
      m = vmaxq_f16(m, vld1q_f16(s + j));
    mx = static_cast<float>(vmaxvq_f16(m));
    for (; j < n; ++j)
      mx = static_cast<float>(s[j]) > mx ? static_cast<float>(s[j]) : mx;
  } else {
    const float32x4_t vs = vdupq_n_f32(scale);
    float32x4_t vmx = vdupq_n_f32(mx);
    if (mrow && mstride == 1) {
      const float16_t *m = reinterpret_cast<const float16_t *>(mrow);
      for (; j + 8 <= n; j += 8) {
        const float16x8_t h = vld1q_f16(s + j), mh = vld1q_f16(m + j);
        const float32x4_t a = vfmaq_f32(vcvt_f32_f16(vget_low_f16(mh)), vcvt_f32_f16(vget_low_f16(h)), vs);
        const float32x4_t b = vfmaq_f32(vcvt_high_f32_f16(mh), vcvt_high_f32_f16(h), vs);
        vst1q_f32(z + j, a);
        vst1q_f32(z + j + 4, b);
        vmx = vmaxq_f32(vmx, vmaxq_f32(a, b));
      }
    }
    mx = vmaxvq_f32(vmx);
    for (; j < n; ++j) {
      z[j] = static_cast<float>(s[j]) * scale + (mrow ? static_cast<float>(mrow[j * mstride]) : 0.0f);
      mx = z[j] > mx ? z[j] : mx;
    }
  }
  // t = x c - mx c in one f32 rounding (clamped at -26, where 2^t is 0 in f16), split in f32 into n = round(t)
  // and r = t - n, both then exact or within 2^-13 in f16.
  const float c = raw ? scale * kLog2e : kLog2e;
  const float32x4_t vc = vdupq_n_f32(c), vmc = vdupq_n_f32(-mx * c), lo = vdupq_n_f32(-26.0f);
  auto exps = [&](float32x4_t a, float32x4_t b) {
    const float32x4_t ta = vmaxq_f32(vfmaq_f32(vmc, a, vc), lo), tb = vmaxq_f32(vfmaq_f32(vmc, b, vc), lo);
    const float32x4_t na = vrndnq_f32(ta), nb = vrndnq_f32(tb);
    return vexp2SplitF16(vcvt_high_f16_f32(vcvt_f16_f32(na), nb),
                         vcvt_high_f16_f32(vcvt_f16_f32(vsubq_f32(ta, na)), vsubq_f32(tb, nb)));
  };
  float32x4_t sum0 = vdupq_n_f32(0.0f), sum1 = sum0;
  for (j = 0; j + 8 <= n; j += 8) {
    float32x4_t a, b;
    if (raw) {
      const float16x8_t h = vld1q_f16(s + j);
      a = vcvt_f32_f16(vget_low_f16(h));
      b = vcvt_high_f32_f16(h);
    } else {
      a = vld1q_f32(z + j);
      b = vld1q_f32(z + j + 4);
    }
    const float16x8_t e = exps(a, b);
    vst1q_f16(s + j, e);
    sum0 = vaddq_f32(sum0, vcvt_f32_f16(vget_low_f16(e)));
    sum1 = vaddq_f32(sum1, vcvt_high_f32_f16(e));
  }
  if (j < n) { // the last partial vector, padded with -inf (whose exps are 0)
    float x[8];
    for (int k = 0; k < 8; ++k)
      x[k] = j + k < n ? (raw ? static_cast<float>(s[j + k]) : z[j + k]) : -std::numeric_limits<float>::infinity();
    float16_t e[8];
    vst1q_f16(e, exps(vld1q_f32(x), vld1q_f32(x + 4)));
    for (int k = 0; j + k < n; ++k)
      s[j + k] = e[k];
    sum0 = vaddq_f32(sum0, vcvt_f32_f16(vget_low_f16(vld1q_f16(e))));
    sum1 = vaddq_f32(sum1, vcvt_high_f32_f16(vld1q_f16(e)));
  }
  // Each lane sums at most n / 8 terms in [0, 1]; the row maximum's term is 1, so the sum is at least 1.
  const float inv = 1.0f / vaddvq_f32(vaddq_f32(sum0, sum1));
  // Scaled in f32 and rounded once (an f16 1 / sum and a second rounding cost the tiny VAE 5% more error).
  const float32x4_t vi = vdupq_n_f32(inv);
  for (j = 0; j + 8 <= n; j += 8) {
    const float16x8_t e = vld1q_f16(s + j);
    vst1q_f16(s + j, vcvt_high_f16_f32(vcvt_f16_f32(vmulq_f32(vcvt_f32_f16(vget_low_f16(e)), vi)),
                                       vmulq_f32(vcvt_high_f32_f16(e), vi)));
  }
  for (; j < n; ++j)
    s[j] = static_cast<float16_t>(static_cast<float>(s[j]) * inv);
}

void attentionTiledF16(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
                       const __fp16 *q, const __fp16 *k, const __fp16 *v, const __fp16 *mask, const int64_t *ms,
                       __fp16 *out, const AttentionStrides &L) {
  // f16 accumulation where the sums are short: a score sums D products, an output Sk probability-weighted
  // values (whose f16 rounding errors would add up to ~1e-2 of the peak over 300 keys); longer ones
  // accumulate in f32 (the f32 microkernel on widened panels).
  constexpr int64_t kLongestF16Sum = 64;
  const F16Accumulation qkAcc = D <= kLongestF16Sum ? F16Accumulation::F16 : F16Accumulation::F32;
  const F16Accumulation pvAcc = Sk <= kLongestF16Sum ? F16Accumulation::F16 : F16Accumulation::F32;
  const int iD = static_cast<int>(D), iDv = static_cast<int>(Dv), iSk = static_cast<int>(Sk);
  const size_t kHalves = packedGemmF16BElements(iD, iSk, qkAcc), vHalves = packedGemmF16BElements(iSk, iDv, pvAcc);
  const int64_t kvHeads = B * Hkv;
  Scratch packed(static_cast<int>(kvHeads), (kHalves + vHalves + 1) / 2); // Scratch counts floats
  rt::parallelFor(0, kvHeads, 1, [&](int64_t h0, int64_t h1) {
    for (int64_t bh = h0; bh < h1; ++bh) {
      const int64_t b = bh / Hkv, hk = bh % Hkv;
      float16_t *pk = reinterpret_cast<float16_t *>(packed[static_cast<int>(bh)]);
      packGemmF16BTransposed(iD, iSk, reinterpret_cast<const float16_t *>(k) + b * L.k[0] + hk * L.k[1],
                             static_cast<size_t>(L.k[2]), pk, qkAcc);
      packGemmF16B(iSk, iDv, reinterpret_cast<const float16_t *>(v) + b * L.v[0] + hk * L.v[1],
                   static_cast<size_t>(L.v[2]), pk + kHalves, pvAcc);
    }
  });
  const int rowsPerTile = attentionTileRows(Sk);
  const int64_t tiles = (Sq + rowsPerTile - 1) / rowsPerTile;
  // Per thread: the GEMM workspace (first: 64-byte aligned), the tile's f16 scores and probabilities, one
  // row of f32 scores (softmaxRowF16's z).
  const size_t qkWork = gemmF16WorkspaceBytes(rowsPerTile, iD, qkAcc);
  const size_t pvWork = gemmF16WorkspaceBytes(rowsPerTile, iSk, pvAcc), work = qkWork > pvWork ? qkWork : pvWork;
  const size_t workFloats = (work + 63) / 64 * 16, tileHalves = static_cast<size_t>(rowsPerTile) * Sk;
  Scratch scratch(rt::defaultThreadPool().threadCount(),
                  workFloats + (tileHalves + 7) / 8 * 8 + static_cast<size_t>(Sk));
  const int64_t group = H / Hkv;
  const EpilogueF16 none;
  rt::parallelFor(0, B * H * tiles, 1, [&](int64_t t0, int64_t t1, int chunk) {
    float *base = scratch[chunk];
    void *gemmWork = base;
    float16_t *tile16 = reinterpret_cast<float16_t *>(base + workFloats); // scores, then probabilities
    float *row = base + workFloats + (tileHalves + 7) / 8 * 8;
    for (int64_t t = t0; t < t1; ++t) {
      const int64_t tile = t % tiles, h = (t / tiles) % H, b = t / (tiles * H);
      const int64_t i0 = tile * rowsPerTile;
      const int rows = static_cast<int>(Sq - i0 < rowsPerTile ? Sq - i0 : rowsPerTile);
      const float16_t *pk = reinterpret_cast<const float16_t *>(packed[static_cast<int>(b * Hkv + h / group)]);
      gemmF16(rows, iSk, iD, reinterpret_cast<const float16_t *>(q) + b * L.q[0] + h * L.q[1] + i0 * L.q[2],
              static_cast<size_t>(L.q[2]), pk, tile16, static_cast<size_t>(Sk), none, qkAcc, gemmWork);
      for (int r = 0; r < rows; ++r)
        softmaxRowF16(tile16 + static_cast<size_t>(r) * Sk, Sk, scale,
                      mask ? mask + b * ms[0] + h * ms[1] + (i0 + r) * ms[2] : nullptr, mask ? ms[3] : 0, row);
      gemmF16(rows, iDv, iSk, tile16, static_cast<size_t>(Sk), pk + kHalves,
              reinterpret_cast<float16_t *>(out) + b * L.o[0] + h * L.o[1] + i0 * L.o[2], static_cast<size_t>(L.o[2]),
              none, pvAcc, gemmWork);
    }
  });
}
#endif

} // namespace

void attentionF16(int64_t B, int64_t H, int64_t Hkv, int64_t Sq, int64_t Sk, int64_t D, int64_t Dv, float scale,
                  const __fp16 *q, const __fp16 *k, const __fp16 *v, const __fp16 *mask, const int64_t *ms,
                  __fp16 *out, const int64_t *layout) {
  const AttentionStrides L(layout, H, Hkv, Sq, Sk, D, Dv);
#if defined(MOTE_NEON_FAST) && defined(__ARM_FEATURE_FP16_VECTOR_ARITHMETIC)
  if (D % 8 == 0 && Dv % 8 == 0 && Dv <= 512 && Sq < kAttentionTiledRows) {
    constexpr int64_t kKeyBlock = 32;
    // Per thread: Sk f32 scores, Dv f32 accumulators, Sk (rounded up to 8) f16 probabilities.
    Scratch scores(rt::defaultThreadPool().threadCount(),
                   static_cast<size_t>((Sk + 15) / 16 * 16 + Dv + (Sk + 8) / 2 + 16));
    const int64_t group = H / Hkv;
    const int64_t ks = L.k[2], vs = L.v[2]; // key and value row strides
    rt::parallelFor(0, B * H * Sq, rowGrain(Sk * (D + Dv)), [&](int64_t r0, int64_t r1, int chunk) {
      float *p = scores[chunk];
      float *acc = p + ((Sk + 15) / 16 * 16); // Dv f32 accumulators
      for (int64_t r = r0; r < r1; ++r) {
        const int64_t i = r % Sq, h = (r / Sq) % H, b = r / (Sq * H);
        const int64_t hk = h / group;
        const float16_t *K = reinterpret_cast<const float16_t *>(k) + b * L.k[0] + hk * L.k[1];
        const float16_t *V = reinterpret_cast<const float16_t *>(v) + b * L.v[0] + hk * L.v[1];
        const float16_t *qi = reinterpret_cast<const float16_t *>(q) + b * L.q[0] + h * L.q[1] + i * L.q[2];
        const __fp16 *mrow = mask ? mask + b * ms[0] + h * ms[1] + i * ms[2] : nullptr;
        float mx = -std::numeric_limits<float>::infinity();
        auto lanes = [](float16x8_t a) { return vaddq_f32(vcvt_f32_f16(vget_low_f16(a)), vcvt_high_f32_f16(a)); };
        int64_t j = 0;
        for (; j + 4 <= Sk; j += 4) { // four keys at a time, q loaded once
          const float16_t *k0 = K + j * ks, *k1 = k0 + ks, *k2 = k1 + ks, *k3 = k2 + ks;
          float16x8_t a0 = vdupq_n_f16(0), a1 = a0, a2 = a0, a3 = a0;
          for (int64_t d = 0; d < D; d += 8) {
            const float16x8_t qv = vld1q_f16(qi + d);
            a0 = vfmaq_f16(a0, qv, vld1q_f16(k0 + d));
            a1 = vfmaq_f16(a1, qv, vld1q_f16(k1 + d));
            a2 = vfmaq_f16(a2, qv, vld1q_f16(k2 + d));
            a3 = vfmaq_f16(a3, qv, vld1q_f16(k3 + d));
          }
          float32x4_t sv = vmulq_n_f32(
              vpaddq_f32(vpaddq_f32(lanes(a0), lanes(a1)), vpaddq_f32(lanes(a2), lanes(a3))), scale);
          if (mrow) {
            const float mv[4] = {static_cast<float>(mrow[j * ms[3]]), static_cast<float>(mrow[(j + 1) * ms[3]]),
                                 static_cast<float>(mrow[(j + 2) * ms[3]]), static_cast<float>(mrow[(j + 3) * ms[3]])};
            sv = vaddq_f32(sv, vld1q_f32(mv));
          }
          vst1q_f32(p + j, sv);
          const float m4 = vmaxvq_f32(sv);
          mx = m4 > mx ? m4 : mx;
        }
        for (; j < Sk; ++j) {
          const float16_t *kj = K + j * ks;
          float16x8_t a = vdupq_n_f16(0);
          for (int64_t d = 0; d < D; d += 8)
            a = vfmaq_f16(a, vld1q_f16(qi + d), vld1q_f16(kj + d));
          float s = vaddvq_f32(lanes(a)) * scale;
          if (mrow)
            s += static_cast<float>(mrow[j * ms[3]]);
          p[j] = s;
          mx = s > mx ? s : mx;
        }
        double sum = 0.0;
        int64_t j0 = 0;
        {
          const float32x4_t vmx = vdupq_n_f32(mx);
          float64x2_t s0 = vdupq_n_f64(0.0), s1 = vdupq_n_f64(0.0);
          for (; j0 + 4 <= Sk; j0 += 4) {
            const float32x4_t e = vexpNonPositiveq(vsubq_f32(vld1q_f32(p + j0), vmx));
            vst1q_f32(p + j0, e);
            s0 = vaddq_f64(s0, vcvt_f64_f32(vget_low_f32(e)));
            s1 = vaddq_f64(s1, vcvt_high_f64_f32(e));
          }
          sum = vaddvq_f64(vaddq_f64(s0, s1));
        }
        for (int64_t j = j0; j < Sk; ++j) { // a row masked everywhere with -inf gives NaN, as in f32
          p[j] = std::exp(p[j] - mx);
          sum += p[j];
        }
        const float inv = static_cast<float>(1.0 / sum);
        // Probabilities as f16, 8 keys to a register (zero past Sk), for the lane-indexed fmla.
        float16_t *ph = reinterpret_cast<float16_t *>(acc + Dv);
        const int64_t Sk8 = (Sk + 7) / 8 * 8;
        for (int64_t jj = 0; jj < Sk8; ++jj)
          ph[jj] = static_cast<float16_t>(jj < Sk ? p[jj] * inv : 0.0f);
        for (int64_t d = 0; d < Dv; ++d)
          acc[d] = 0.0f;
        for (int64_t jb = 0; jb < Sk; jb += kKeyBlock) {
          const int64_t je = jb + kKeyBlock < Sk ? jb + kKeyBlock : Sk;
          for (int64_t d0 = 0; d0 < Dv; d0 += 8) {
            float16x8_t c = vdupq_n_f16(0);
            const float16_t *vcol = V + d0;
            int64_t jj = jb;
            for (; jj + 8 <= je; jj += 8) {
              const float16x8_t w = vld1q_f16(ph + jj);
              const float16_t *v0 = vcol + jj * vs;
              c = vfmaq_laneq_f16(c, vld1q_f16(v0), w, 0);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + vs), w, 1);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 2 * vs), w, 2);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 3 * vs), w, 3);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 4 * vs), w, 4);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 5 * vs), w, 5);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 6 * vs), w, 6);
              c = vfmaq_laneq_f16(c, vld1q_f16(v0 + 7 * vs), w, 7);
            }
            for (; jj < je; ++jj)
              c = vfmaq_n_f16(c, vld1q_f16(vcol + jj * vs), ph[jj]);
            vst1q_f32(acc + d0, vaddq_f32(vld1q_f32(acc + d0), vcvt_f32_f16(vget_low_f16(c))));
            vst1q_f32(acc + d0 + 4, vaddq_f32(vld1q_f32(acc + d0 + 4), vcvt_high_f32_f16(c)));
          }
        }
        f32ToF16(Dv, acc, out + b * L.o[0] + h * L.o[1] + i * L.o[2]);
      }
    });
    return;
  }
  constexpr int64_t kIntMax = 0x7fffffff; // the GEMM's int sizes
  if (Sk > 0 && D > 0 && Dv > 0 && Sk * (D > Dv ? D : Dv) <= kIntMax && B * Hkv <= kIntMax &&
      static_cast<int64_t>(attentionTileRows(Sk)) * Sk <= kIntMax) {
    attentionTiledF16(B, H, Hkv, Sq, Sk, D, Dv, scale, q, k, v, mask, ms, out, L);
    return;
  }
#endif
  // Without FP16 vector arithmetic: widened copies (each spanning its buffer's extent, so the strides hold
  // for it too; a layout is a permutation of dense buffers, so the output's extent is all written) and the
  // f32 kernel.
  const int64_t nq = AttentionStrides::extent(L.q, B, H, Sq, D), nk = AttentionStrides::extent(L.k, B, Hkv, Sk, D),
                nv = AttentionStrides::extent(L.v, B, Hkv, Sk, Dv), no = AttentionStrides::extent(L.o, B, H, Sq, Dv);
  int64_t nm = 0;
  if (mask) { // the mask's extent: its largest strided offset over [B, H, Sq, Sk], plus one
    const int64_t dims[4] = {B, H, Sq, Sk};
    for (int d = 0; d < 4; ++d)
      nm += (dims[d] - 1) * ms[d];
    ++nm;
  }
  Scratch fq(1, static_cast<size_t>(nq)), fk(1, static_cast<size_t>(nk)), fv(1, static_cast<size_t>(nv)),
      fm(1, static_cast<size_t>(nm > 0 ? nm : 1)), fo(1, static_cast<size_t>(no));
  f16ToF32(nq, q, fq[0]);
  f16ToF32(nk, k, fk[0]);
  f16ToF32(nv, v, fv[0]);
  if (mask)
    f16ToF32(nm, mask, fm[0]);
  attention(B, H, Hkv, Sq, Sk, D, Dv, scale, fq[0], fk[0], fv[0], mask ? fm[0] : nullptr, ms, fo[0], layout);
  f32ToF16(no, fo[0], out);
}

} // namespace ops
} // namespace neon
} // namespace mote
