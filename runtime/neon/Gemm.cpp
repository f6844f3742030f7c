// f32 GEMM / GEMV for AArch64 NEON: see Gemm.h for the layouts and the epilogue.
#include "runtime/neon/Gemm.h"
#include "runtime/neon/PackedSizes.h"
#include "runtime/neon/APackers.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <arm_neon.h>
#include <cstdint>
#include <cstring>

namespace mote {
namespace neon {

namespace {

using detail::TileArgs;

// Cache blocking: a packed A block (kGemmMcFloats at most) stays in L2 while the 12-column B slices
// (kc x 12 floats, <= 24 KB) stream through L1. The reduction is split only when K exceeds kGemmKcMax.
constexpr int kGemmKcMax = 512;
constexpr int kGemmMcFloats = 32 * 1024;

inline int roundUp(int x, int m) { return (x + m - 1) / m * m; }

struct Blocking {
  int kc; // reduction block (the last one may be shorter)
  int mc; // rows per packed A block, a multiple of kGemmMR
};

Blocking blockingFor(int M, int K) {
  Blocking b;
  int kBlocks = (K + kGemmKcMax - 1) / kGemmKcMax;
  if (kBlocks < 1)
    kBlocks = 1;
  b.kc = roundUp((K + kBlocks - 1) / kBlocks, 4);
  if (b.kc < 4)
    b.kc = 4;
  int mc = kGemmMcFloats / b.kc / kGemmMR * kGemmMR;
  if (mc < kGemmMR)
    mc = kGemmMR;
  int mAll = roundUp(M > 0 ? M : 1, kGemmMR);
  b.mc = mc < mAll ? mc : mAll;
  return b;
}

// Runs the microkernel of width NB vectors on an output tile that may be partial (rows < 8 or
// cols < 4 * NB): partial tiles go through a staging tile so the kernel never reads or writes
// outside the operands.
template <int NB>
void runTile(int kc, const float *pa, const float *pb, float *c, size_t ldc, int rows, int cols,
             const float *init, size_t ldInit, const float *bias, bool finalize, const Epilogue &ep) {
  constexpr int kW = 4 * NB;
  TileArgs t;
  t.finalize = finalize;
  t.act = ep.act;
  t.lo = ep.clampLo;
  t.hi = ep.clampHi;
  if (rows == kGemmMR && cols == kW) {
    t.init = init;
    t.ldInit = ldInit;
    t.bias = bias;
    detail::microkernel<NB>(kc, pa, pb, c, ldc, t);
    return;
  }
  float tile[kGemmMR * kW];
  float tileBias[kW];
  std::memset(tile, 0, sizeof(tile));
  if (init)
    for (int r = 0; r < rows; ++r)
      std::memcpy(tile + r * kW, init + r * ldInit, sizeof(float) * cols);
  t.init = init ? tile : nullptr;
  t.ldInit = kW;
  t.bias = nullptr;
  if (bias) {
    std::memset(tileBias, 0, sizeof(tileBias));
    std::memcpy(tileBias, bias, sizeof(float) * cols);
    t.bias = tileBias;
  }
  detail::microkernel<NB>(kc, pa, pb, tile, kW, t);
  for (int r = 0; r < rows; ++r)
    std::memcpy(c + r * ldc, tile + r * kW, sizeof(float) * cols);
}

// One value through the vector activation (the same result as the tiles' stores).
inline float activateScalar(float v, const Epilogue &ep) {
  return vgetq_lane_f32(detail::activate(vdupq_n_f32(v), ep.act, ep.clampLo, ep.clampHi), 0);
}


// Vector epilogue for a 12-wide GEMV panel held in acc[3].
inline void storeGemvPanel(float32x4_t acc[3], int n0, int cols, float *y, const Epilogue &ep) {
  if (cols == kGemmNR) {
    for (int j = 0; j < 3; ++j)
      vst1q_f32(y + n0 + 4 * j, detail::activate(acc[j], ep.act, ep.clampLo, ep.clampHi));
    return;
  }
  float tmp[kGemmNR];
  for (int j = 0; j < 3; ++j)
    vst1q_f32(tmp + 4 * j, acc[j]);
  for (int j = 0; j < cols; ++j)
    y[n0 + j] = activateScalar(tmp[j], ep);
}

// Initial accumulators of a GEMV panel: bias + residual (zero where absent or past N).
inline void initGemvPanel(float32x4_t acc[3], int n0, int cols, const Epilogue &ep) {
  if (cols == kGemmNR) {
    for (int j = 0; j < 3; ++j) {
      float32x4_t v = ep.bias ? vld1q_f32(ep.bias + n0 + 4 * j) : vdupq_n_f32(0.0f);
      if (ep.residual)
        v = vaddq_f32(v, vld1q_f32(ep.residual + n0 + 4 * j));
      acc[j] = v;
    }
    return;
  }
  float tmp[kGemmNR] = {};
  for (int j = 0; j < cols; ++j)
    tmp[j] = (ep.bias ? ep.bias[n0 + j] : 0.0f) + (ep.residual ? ep.residual[n0 + j] : 0.0f);
  for (int j = 0; j < 3; ++j)
    acc[j] = vld1q_f32(tmp + 4 * j);
}

// One panel of width 4 * NB: acc[j] += sum_k x[k] * pb[k][4j..4j+3].
template <int NB>
inline void gemvPanel(int K, const float *x, const float *pb, float32x4_t acc[3]) {
  float32x4_t a[NB], a2[NB];
  for (int j = 0; j < NB; ++j) {
    a[j] = acc[j];
    a2[j] = vdupq_n_f32(0.0f);
  }
  int k = 0;
  for (; k + 4 <= K; k += 4) {
    float32x4_t xv = vld1q_f32(x + k);
    const float *p = pb + (size_t)k * 4 * NB;
    for (int j = 0; j < NB; ++j) {
      a[j] = vfmaq_laneq_f32(a[j], vld1q_f32(p + 4 * j), xv, 0);
      a2[j] = vfmaq_laneq_f32(a2[j], vld1q_f32(p + 4 * NB + 4 * j), xv, 1);
      a[j] = vfmaq_laneq_f32(a[j], vld1q_f32(p + 8 * NB + 4 * j), xv, 2);
      a2[j] = vfmaq_laneq_f32(a2[j], vld1q_f32(p + 12 * NB + 4 * j), xv, 3);
    }
  }
  for (; k < K; ++k)
    for (int j = 0; j < NB; ++j)
      a[j] = vfmaq_n_f32(a[j], vld1q_f32(pb + (size_t)k * 4 * NB + 4 * j), x[k]);
  for (int j = 0; j < NB; ++j)
    acc[j] = vaddq_f32(a[j], a2[j]);
}

// Four full 12-wide panels at once: 12 independent accumulators, x read once for all four. Per 4
// reduction steps and panel, B is 48 contiguous floats: three 16-float loads for 12 fmla. The main
// loop is assembly for the same reason as the 8x12 microkernel (compilers turn the ld1 {4 regs}
// intrinsics into register moves, address arithmetic and spills: 0.59 instructions per MAC instead of
// 0.33); the accumulators pass through a 192-byte stack tile and live in v20-v31.
inline void gemvPanels4(int K, const float *x, const float *pb, float32x4_t acc[4][3]) {
  const size_t panel = (size_t)K * kGemmNR;
  const float *p0 = pb, *p1 = pb + panel, *p2 = pb + 2 * panel, *p3 = pb + 3 * panel;
  float32x4_t c[4][3];
  for (int q = 0; q < 4; ++q)
    for (int j = 0; j < 3; ++j)
      c[q][j] = acc[q][j];
  int k = 0;
#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)
  if (K >= 4) {
    alignas(16) float buf[48];
    for (int q = 0; q < 4; ++q)
      for (int j = 0; j < 3; ++j)
        vst1q_f32(buf + 12 * q + 4 * j, c[q][j]);
    uint64_t n = (uint64_t)(K / 4);
    const float *xp = x;
    float *accp = buf;
    __asm__ volatile(
      "ld1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n" "ld1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[acc]], #64\n" "ld1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[acc]]\n"
      "sub %[acc], %[acc], #128\n" "1:\n" "ld1 {v12.4s}, [%[x]], #16\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[p0]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[p0]], #64\n" "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[p0]], #64\n"
      "fmla v20.4s, v0.4s, v12.s[0]\n" "fmla v21.4s, v1.4s, v12.s[0]\n" "fmla v22.4s, v2.4s, v12.s[0]\n"
      "fmla v20.4s, v3.4s, v12.s[1]\n" "fmla v21.4s, v4.4s, v12.s[1]\n" "fmla v22.4s, v5.4s, v12.s[1]\n"
      "fmla v20.4s, v6.4s, v12.s[2]\n" "fmla v21.4s, v7.4s, v12.s[2]\n" "fmla v22.4s, v8.4s, v12.s[2]\n"
      "fmla v20.4s, v9.4s, v12.s[3]\n" "fmla v21.4s, v10.4s, v12.s[3]\n" "fmla v22.4s, v11.4s, v12.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[p1]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[p1]], #64\n" "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[p1]], #64\n"
      "fmla v23.4s, v0.4s, v12.s[0]\n" "fmla v24.4s, v1.4s, v12.s[0]\n" "fmla v25.4s, v2.4s, v12.s[0]\n"
      "fmla v23.4s, v3.4s, v12.s[1]\n" "fmla v24.4s, v4.4s, v12.s[1]\n" "fmla v25.4s, v5.4s, v12.s[1]\n"
      "fmla v23.4s, v6.4s, v12.s[2]\n" "fmla v24.4s, v7.4s, v12.s[2]\n" "fmla v25.4s, v8.4s, v12.s[2]\n"
      "fmla v23.4s, v9.4s, v12.s[3]\n" "fmla v24.4s, v10.4s, v12.s[3]\n" "fmla v25.4s, v11.4s, v12.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[p2]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[p2]], #64\n" "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[p2]], #64\n"
      "fmla v26.4s, v0.4s, v12.s[0]\n" "fmla v27.4s, v1.4s, v12.s[0]\n" "fmla v28.4s, v2.4s, v12.s[0]\n"
      "fmla v26.4s, v3.4s, v12.s[1]\n" "fmla v27.4s, v4.4s, v12.s[1]\n" "fmla v28.4s, v5.4s, v12.s[1]\n"
      "fmla v26.4s, v6.4s, v12.s[2]\n" "fmla v27.4s, v7.4s, v12.s[2]\n" "fmla v28.4s, v8.4s, v12.s[2]\n"
      "fmla v26.4s, v9.4s, v12.s[3]\n" "fmla v27.4s, v10.4s, v12.s[3]\n" "fmla v28.4s, v11.4s, v12.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[p3]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[p3]], #64\n" "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[p3]], #64\n"
      "fmla v29.4s, v0.4s, v12.s[0]\n" "fmla v30.4s, v1.4s, v12.s[0]\n" "fmla v31.4s, v2.4s, v12.s[0]\n"
      "fmla v29.4s, v3.4s, v12.s[1]\n" "fmla v30.4s, v4.4s, v12.s[1]\n" "fmla v31.4s, v5.4s, v12.s[1]\n"
      "fmla v29.4s, v6.4s, v12.s[2]\n" "fmla v30.4s, v7.4s, v12.s[2]\n" "fmla v31.4s, v8.4s, v12.s[2]\n"
      "fmla v29.4s, v9.4s, v12.s[3]\n" "fmla v30.4s, v10.4s, v12.s[3]\n" "fmla v31.4s, v11.4s, v12.s[3]\n"
      "subs %[n], %[n], #1\n" "b.ne 1b\n" "st1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n"
      "st1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[acc]], #64\n" "st1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[acc]]\n"
      : [p0] "+r"(p0), [p1] "+r"(p1), [p2] "+r"(p2), [p3] "+r"(p3), [x] "+r"(xp), [n] "+r"(n),
        [acc] "+r"(accp)
      :
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
    for (int q = 0; q < 4; ++q)
      for (int j = 0; j < 3; ++j)
        c[q][j] = vld1q_f32(buf + 12 * q + 4 * j);
    k = 4 * (K / 4);
  }
#else
  for (; k + 4 <= K; k += 4) {
    const float32x4_t xv = vld1q_f32(x + k);
    const float *ps[4] = {p0, p1, p2, p3};
    for (int q = 0; q < 4; ++q) {
      const float *p = ps[q];
      for (int j = 0; j < 3; ++j) {
        c[q][j] = vfmaq_laneq_f32(c[q][j], vld1q_f32(p + j * 4), xv, 0);
        c[q][j] = vfmaq_laneq_f32(c[q][j], vld1q_f32(p + 12 + j * 4), xv, 1);
        c[q][j] = vfmaq_laneq_f32(c[q][j], vld1q_f32(p + 24 + j * 4), xv, 2);
        c[q][j] = vfmaq_laneq_f32(c[q][j], vld1q_f32(p + 36 + j * 4), xv, 3);
      }
    }
    p0 += 48;
    p1 += 48;
    p2 += 48;
    p3 += 48;
  }
#endif
  for (; k < K; ++k) {
    const float xs = x[k];
    const float *ps[4] = {p0, p1, p2, p3};
    for (int q = 0; q < 4; ++q)
      for (int j = 0; j < 3; ++j)
        c[q][j] = vfmaq_n_f32(c[q][j], vld1q_f32(ps[q] + 4 * j), xs);
    p0 += 12;
    p1 += 12;
    p2 += 12;
    p3 += 12;
  }
  for (int q = 0; q < 4; ++q)
    for (int j = 0; j < 3; ++j)
      acc[q][j] = c[q][j];
}

} // namespace

// ---- B packing -----------------------------------------------------------------------------------------

size_t packedGemmBFloats(int K, int N) { return static_cast<size_t>(gemmBFloats(K, N)); }

void packGemmB(int K, int N, const float *B, size_t ldb, float *packed) {
  detail::packGemmBWith(K, N, [B, ldb](int k, int n) { return B[(size_t)k * ldb + n]; }, packed);
}

void packGemmBTransposed(int K, int N, const float *Bt, size_t ldbt, float *packed) {
  detail::packGemmBWith(K, N, [Bt, ldbt](int k, int n) { return Bt[(size_t)n * ldbt + k]; }, packed);
}

// ---- GEMM ----------------------------------------------------------------------------------------------

size_t gemmWorkspaceFloats(int M, int K) {
  Blocking b = blockingFor(M, K);
  return (size_t)b.mc * (size_t)b.kc;
}

namespace {

// The blocked loop nest of gemmBlocked, gemmBlockedW8 and gemmBlockedW4: `panel(n0, k0, kc, width)` gives the packed B slice
// of the panel at column n0, rows k0 .. k0 + kc (f32, width floats a row).
template <class Panel>
void blockedLoop(int M, int N, int K, const detail::APacker &packer, Panel panel, float *C, size_t ldc,
                 const Epilogue &ep, float *workspace) {
  if (M <= 0 || N <= 0)
    return;
  const size_t ldr = ep.residualStride ? ep.residualStride : ldc;
  if (K <= 0) {
    for (int m = 0; m < M; ++m)
      for (int n = 0; n < N; ++n) {
        float v = (ep.bias ? ep.bias[n] : 0.0f) + (ep.residual ? ep.residual[(size_t)m * ldr + n] : 0.0f);
        C[(size_t)m * ldc + n] = activateScalar(v, ep);
      }
    return;
  }
  const Blocking blk = blockingFor(M, K);
  for (int k0 = 0; k0 < K; k0 += blk.kc) {
    const int kc = K - k0 < blk.kc ? K - k0 : blk.kc;
    const bool first = k0 == 0, last = k0 + kc == K;
    for (int m0 = 0; m0 < M; m0 += blk.mc) {
      const int rows = M - m0 < blk.mc ? M - m0 : blk.mc;
      packer.pack(m0, rows, k0, kc, workspace);
      for (int n0 = 0; n0 < N; n0 += kGemmNR) {
        const int cols = N - n0 < kGemmNR ? N - n0 : kGemmNR;
        const int width = roundUp(cols, 4);
        const float *pb = panel(n0, k0, kc, width);
        const float *bias = first ? (ep.bias ? ep.bias + n0 : nullptr) : nullptr;
        for (int r0 = 0; r0 < rows; r0 += kGemmMR) {
          const int m = m0 + r0;
          const int tileRows = rows - r0 < kGemmMR ? rows - r0 : kGemmMR;
          const float *pa = workspace + (size_t)r0 * kc;
          float *c = C + (size_t)m * ldc + n0;
          const float *init = nullptr;
          size_t ldInit = ldc;
          if (!first) {
            init = c;
          } else if (ep.residual) {
            init = ep.residual + (size_t)m * ldr + n0;
            ldInit = ldr;
          }
          switch (width) {
          case 12:
            runTile<3>(kc, pa, pb, c, ldc, tileRows, cols, init, ldInit, bias, last, ep);
            break;
          case 8:
            runTile<2>(kc, pa, pb, c, ldc, tileRows, cols, init, ldInit, bias, last, ep);
            break;
          default:
            runTile<1>(kc, pa, pb, c, ldc, tileRows, cols, init, ldInit, bias, last, ep);
            break;
          }
        }
      }
    }
  }
}

// dst[k][j] = q[k][j] * scale[j] for a panel slice of kc rows of `width` (4, 8 or 12) int8 values: the w8
// weights widened to f32 exactly (an int8 times an f32 rounds once, as the reference's dequantize does).
void widenW8(const int8_t *q, const float *scale, int kc, int width, float *dst) {
  float32x4_t s[3];
  for (int j = 0; j < width / 4; ++j)
    s[j] = vld1q_f32(scale + 4 * j);
  for (int k = 0; k < kc; ++k, q += width, dst += width) {
    int j = 0;
    if (width >= 8) {
      const int16x8_t h = vmovl_s8(vld1_s8(q));
      vst1q_f32(dst, vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(h))), s[0]));
      vst1q_f32(dst + 4, vmulq_f32(vcvtq_f32_s32(vmovl_high_s16(h)), s[1]));
      j = 8;
    }
    if (j < width) {
      int32_t four;
      std::memcpy(&four, q + j, 4);
      const int16x8_t h = vmovl_s8(vreinterpret_s8_s32(vdup_n_s32(four)));
      vst1q_f32(dst + j, vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(h))), s[j / 4]));
    }
  }
}

// dst[k][j] = q[k][j] * scale[(k0 + k) / group][j] for a panel slice of kc rows of `width` int4 values (two a
// byte, the even element low), the scale rows `scaleStride` floats apart: exact, as widenW8. Each row is read
// as 8 bytes (width / 2 <= 6 are its own; the rest, never used, lie inside the packed buffer: later rows, or
// the scales after the panels).
void widenW4(const uint8_t *q, const float *scale, size_t scaleStride, int k0, int kc, int group, int width,
             float *dst) {
  for (int k = 0; k < kc; ++k, q += width / 2, dst += width) {
    const float *s = scale + (size_t)((k0 + k) / group) * scaleStride;
    const int8x8_t bytes = vreinterpret_s8_u8(vld1_u8(q));
    const int8x8_t lo = vshr_n_s8(vshl_n_s8(bytes, 4), 4), hi = vshr_n_s8(bytes, 4);
    const int16x8_t first = vmovl_s8(vzip1_s8(lo, hi)); // elements 0..7
    vst1q_f32(dst, vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(first))), vld1q_f32(s)));
    if (width >= 8)
      vst1q_f32(dst + 4, vmulq_f32(vcvtq_f32_s32(vmovl_high_s16(first)), vld1q_f32(s + 4)));
    if (width == 12) {
      const int16x8_t second = vmovl_s8(vzip2_s8(lo, hi)); // elements 8..15
      vst1q_f32(dst + 8, vmulq_f32(vcvtq_f32_s32(vmovl_s16(vget_low_s16(second))), vld1q_f32(s + 8)));
    }
  }
}

} // namespace

void detail::gemmBlocked(int M, int N, int K, const APacker &packer, const float *packedB, float *C,
                         size_t ldc, const Epilogue &ep, float *workspace) {
  // All panels before n0 are 12 wide: the panel starts at n0 * K.
  blockedLoop(M, N, K, packer,
              [packedB, K](int n0, int k0, int, int width) { return packedB + (size_t)n0 * K + (size_t)k0 * width; },
              C, ldc, ep, workspace);
}

void detail::gemmBlockedW4(int M, int N, int K, int group, const APacker &packer, const void *packedB, float *C,
                           size_t ldc, const Epilogue &ep, float *workspace) {
  const uint8_t *q = static_cast<const uint8_t *>(packedB);
  const float *scales = reinterpret_cast<const float *>(q + w4PanelBytes(K, N));
  const size_t paddedN = (size_t)gemmBFloats(1, N);
  float *wide = workspace + gemmWorkspaceFloats(M, K);
  blockedLoop(M, N, K, packer,
              [=](int n0, int k0, int kc, int width) {
                widenW4(q + ((size_t)n0 * K + (size_t)k0 * width) / 2, scales + n0, paddedN, k0, kc, group, width,
                        wide);
                return static_cast<const float *>(wide);
              },
              C, ldc, ep, workspace);
}

size_t gemmW8WorkspaceFloats(int M, int K) { return gemmWorkspaceFloats(M, K) + (size_t)kGemmKcMax * kGemmNR; }

void detail::gemmBlockedW8(int M, int N, int K, const APacker &packer, const void *packedB, float *C, size_t ldc,
                           const Epilogue &ep, float *workspace) {
  const int8_t *q = static_cast<const int8_t *>(packedB);
  const float *scales = reinterpret_cast<const float *>(q + w8PanelBytes(K, N));
  float *wide = workspace + gemmWorkspaceFloats(M, K); // one widened panel slice
  blockedLoop(M, N, K, packer,
              [=](int n0, int k0, int kc, int width) {
                widenW8(q + (size_t)n0 * K + (size_t)k0 * width, scales + n0, kc, width, wide);
                return static_cast<const float *>(wide);
              },
              C, ldc, ep, workspace);
}

void gemm(int M, int N, int K, const float *A, size_t lda, const float *packedB, float *C, size_t ldc,
          const Epilogue &epilogue, float *workspace) {
  if (M == 1) {
    gemv(N, K, A, packedB, C, epilogue);
    return;
  }
  detail::DenseAPacker packer(A, lda);
  detail::gemmBlocked(M, N, K, packer, packedB, C, ldc, epilogue, workspace);
}

// ---- GEMV ----------------------------------------------------------------------------------------------

void gemv(int N, int K, const float *x, const float *packedB, float *y, const Epilogue &ep) {
  if (N <= 0)
    return;
  if (K < 0)
    K = 0;
  const int fullPanels = N / kGemmNR;
  const size_t panelFloats = (size_t)K * kGemmNR;
  int p = 0;
  for (; p + 4 <= fullPanels; p += 4) {
    float32x4_t acc[4][3];
    for (int q = 0; q < 4; ++q)
      initGemvPanel(acc[q], (p + q) * kGemmNR, kGemmNR, ep);
    gemvPanels4(K, x, packedB + (size_t)p * panelFloats, acc);
    for (int q = 0; q < 4; ++q)
      storeGemvPanel(acc[q], (p + q) * kGemmNR, kGemmNR, y, ep);
  }
  for (int n0 = p * kGemmNR; n0 < N; n0 += kGemmNR) {
    const int cols = N - n0 < kGemmNR ? N - n0 : kGemmNR;
    const int width = roundUp(cols, 4);
    float32x4_t acc[3];
    initGemvPanel(acc, n0, cols, ep);
    const float *pb = packedB + (size_t)n0 * K;
    if (width == 12)
      gemvPanel<3>(K, x, pb, acc);
    else if (width == 8)
      gemvPanel<2>(K, x, pb, acc);
    else
      gemvPanel<1>(K, x, pb, acc);
    storeGemvPanel(acc, n0, cols, y, ep);
  }
}

} // namespace neon
} // namespace mote
