// The f32 8 x (4*NB) register-blocked microkernel (NB = 1, 2, 3 vectors of 4 columns) and small NEON
// helpers shared by the GEMM, the convolutions, Winograd and the f16 GEMM's f32-accumulation mode.
// Internal to runtime/neon (included by its .cpp files only).
#ifndef MOTE_RUNTIME_NEON_GEMMMICROKERNEL_H
#define MOTE_RUNTIME_NEON_GEMMMICROKERNEL_H

#include "runtime/neon/Gemm.h"
#include "runtime/neon/VectorMath.h"

#include <arm_neon.h>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#if defined(__GNUC__)
#define MOTE_ALWAYS_INLINE inline __attribute__((always_inline))
#define MOTE_NOINLINE __attribute__((noinline))
#else
#define MOTE_ALWAYS_INLINE inline
#define MOTE_NOINLINE
#endif

namespace mote {
namespace neon {
namespace detail {

/// How the microkernel starts and ends one output tile.
struct TileArgs {
  const float *init = nullptr; // initial accumulators (residual, or C's partial sums), or null for 0
  size_t ldInit = 0;
  const float *bias = nullptr; // added to the initial accumulators (4*NB floats), or null
  bool finalize = true;        // apply the activation (last reduction block)
  Activation act = Activation::None;
  float lo = 0.0f, hi = 0.0f;
};

/// The activation `A` of one vector (lo, hi: Clamp's bounds).
template <Activation A>
MOTE_ALWAYS_INLINE float32x4_t activateAs(float32x4_t v, float lo, float hi) {
  if constexpr (A == Activation::Relu)
    return vmaxq_f32(v, vdupq_n_f32(0.0f));
  else if constexpr (A == Activation::Clamp)
    return vminq_f32(vmaxq_f32(v, vdupq_n_f32(lo)), vdupq_n_f32(hi));
  else if constexpr (A == Activation::Silu)
    return vsiluq(v);
  else if constexpr (A == Activation::GeluErf)
    return vgeluErfq(v);
  else if constexpr (A == Activation::GeluTanh)
    return vgeluTanhq(v);
  else if constexpr (A == Activation::GeluSigmoid)
    return vgeluSigmoidq(v);
  else
    return v;
}

/// Calls f(std::integral_constant<Activation, act>()): the activation chosen once for a loop of stores.
template <class F>
MOTE_ALWAYS_INLINE void withActivation(Activation act, F &&f) {
  switch (act) {
  case Activation::None:
    return f(std::integral_constant<Activation, Activation::None>());
  case Activation::Relu:
    return f(std::integral_constant<Activation, Activation::Relu>());
  case Activation::Clamp:
    return f(std::integral_constant<Activation, Activation::Clamp>());
  case Activation::Silu:
    return f(std::integral_constant<Activation, Activation::Silu>());
  case Activation::GeluErf:
    return f(std::integral_constant<Activation, Activation::GeluErf>());
  case Activation::GeluTanh:
    return f(std::integral_constant<Activation, Activation::GeluTanh>());
  case Activation::GeluSigmoid:
    return f(std::integral_constant<Activation, Activation::GeluSigmoid>());
  }
}

MOTE_ALWAYS_INLINE float32x4_t activate(float32x4_t v, Activation act, float lo, float hi) {
  float32x4_t y = v;
  withActivation(act, [&](auto a) { y = activateAs<decltype(a)::value>(v, lo, hi); });
  return y;
}

/// In-register 4x4 transpose: rows r0..r3 become columns.
MOTE_ALWAYS_INLINE void transpose4x4(float32x4_t &r0, float32x4_t &r1, float32x4_t &r2, float32x4_t &r3) {
  const float32x4_t t0 = vtrn1q_f32(r0, r1), t1 = vtrn2q_f32(r0, r1);
  const float32x4_t t2 = vtrn1q_f32(r2, r3), t3 = vtrn2q_f32(r2, r3);
  r0 = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
  r1 = vreinterpretq_f32_f64(vtrn1q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
  r2 = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t0), vreinterpretq_f64_f32(t2)));
  r3 = vreinterpretq_f32_f64(vtrn2q_f64(vreinterpretq_f64_f32(t1), vreinterpretq_f64_f32(t3)));
}

// Packs 8 rows of row-major A (pointers `rows[r]`, already offset to k0) for kc reduction steps:
// dst[k][r]. Four k at a time through two 4x4 transposes.
inline void packRows8(const float *const rows[kGemmMR], int kc, float *dst) {
  int k = 0;
  for (; k + 4 <= kc; k += 4) {
    float32x4_t lo[4], hi[4];
    for (int r = 0; r < 4; ++r) {
      lo[r] = vld1q_f32(rows[r] + k);
      hi[r] = vld1q_f32(rows[r + 4] + k);
    }
    transpose4x4(lo[0], lo[1], lo[2], lo[3]);
    transpose4x4(hi[0], hi[1], hi[2], hi[3]);
    float32x4x4_t s0 = {{lo[0], hi[0], lo[1], hi[1]}};
    float32x4x4_t s1 = {{lo[2], hi[2], lo[3], hi[3]}};
    vst1q_f32_x4(dst, s0);
    vst1q_f32_x4(dst + 16, s1);
    dst += 32;
  }
  for (; k < kc; ++k) {
    for (int r = 0; r < kGemmMR; ++r)
      dst[r] = rows[r][k];
    dst += kGemmMR;
  }
}

// The intrinsics form of the microkernel (used with MOTE_NEON_NO_ASM or off AArch64 GNU asm), spelled
// out with one named variable per accumulator (GCC keeps an array of vectors in memory), generated for
// NB = 1, 2, 3 by the macros below. EACH(X) expands X(j) for the NB column vectors j.
#define MOTE_MK_EACH1(X) X(0)
#define MOTE_MK_EACH2(X) X(0) X(1)
#define MOTE_MK_EACH3(X) X(0) X(1) X(2)
#define MOTE_MK_ROWS(X, j) X(0, j) X(1, j) X(2, j) X(3, j) X(4, j) X(5, j) X(6, j) X(7, j)

#define MOTE_MK_DECL_BIAS(j) const float32x4_t bias##j = t.bias ? vld1q_f32(t.bias + 4 * j) : vdupq_n_f32(0.0f);
#define MOTE_MK_DECL_ACC1(m, j) float32x4_t c##m##j = bias##j;
#define MOTE_MK_DECL_ACC(j) MOTE_MK_ROWS(MOTE_MK_DECL_ACC1, j)
#define MOTE_MK_INIT1(m, j) c##m##j = vaddq_f32(c##m##j, vld1q_f32(t.init + m * t.ldInit + 4 * j));
#define MOTE_MK_INIT(j) MOTE_MK_ROWS(MOTE_MK_INIT1, j)
#define MOTE_MK_FMA(j)                                                                                   \
  c0##j = vfmaq_laneq_f32(c0##j, b##j, a0, 0);                                                         \
  c1##j = vfmaq_laneq_f32(c1##j, b##j, a0, 1);                                                         \
  c2##j = vfmaq_laneq_f32(c2##j, b##j, a0, 2);                                                         \
  c3##j = vfmaq_laneq_f32(c3##j, b##j, a0, 3);                                                         \
  c4##j = vfmaq_laneq_f32(c4##j, b##j, a1, 0);                                                         \
  c5##j = vfmaq_laneq_f32(c5##j, b##j, a1, 1);                                                         \
  c6##j = vfmaq_laneq_f32(c6##j, b##j, a1, 2);                                                         \
  c7##j = vfmaq_laneq_f32(c7##j, b##j, a1, 3);
#define MOTE_MK_ACT1(m, j) c##m##j = activate(c##m##j, t.act, t.lo, t.hi);
#define MOTE_MK_ACT(j) MOTE_MK_ROWS(MOTE_MK_ACT1, j)
#define MOTE_MK_STORE1(m, j) vst1q_f32(c + m * ldc + 4 * j, c##m##j);
#define MOTE_MK_STORE(j) MOTE_MK_ROWS(MOTE_MK_STORE1, j)

// One reduction step: 8 A values (pa + 8 * step), 4NB B values (pb + 4NB * step), 8NB fmla by lane.
#define MOTE_MK_LOADB(j) const float32x4_t b##j = vld1q_f32(pb + off + 4 * j);
#define MOTE_MK_STEP_AT(EACH, NB, step)                                                                  \
  {                                                                                                    \
    const int off = (step) * 4 * NB;                                                                   \
    const float32x4_t a0 = vld1q_f32(pa + (step) * 8), a1 = vld1q_f32(pa + (step) * 8 + 4);            \
    EACH(MOTE_MK_LOADB)                                                                                \
    EACH(MOTE_MK_FMA)                                                                                  \
  }

#define MOTE_MK_PROLOGUE(EACH)                                                                           \
  EACH(MOTE_MK_DECL_BIAS)                                                                              \
  EACH(MOTE_MK_DECL_ACC)                                                                               \
  if (t.init) {                                                                                        \
    EACH(MOTE_MK_INIT)                                                                                 \
  }

// Reduction steps four at a time, then one at a time; leaves k = 0.
#define MOTE_MK_LOOP(EACH, NB)                                                                           \
  for (; k >= 4; k -= 4) {                                                                             \
    MOTE_MK_STEP_AT(EACH, NB, 0)                                                                       \
    MOTE_MK_STEP_AT(EACH, NB, 1)                                                                       \
    MOTE_MK_STEP_AT(EACH, NB, 2)                                                                       \
    MOTE_MK_STEP_AT(EACH, NB, 3)                                                                       \
    pa += 32;                                                                                          \
    pb += 16 * NB;                                                                                     \
  }                                                                                                    \
  for (; k > 0; --k) {                                                                                 \
    MOTE_MK_STEP_AT(EACH, NB, 0)                                                                       \
    pa += 8;                                                                                           \
    pb += 4 * NB;                                                                                      \
  }

#define MOTE_MK_EPILOGUE(EACH)                                                                           \
  if (t.finalize && t.act != Activation::None) {                                                       \
    EACH(MOTE_MK_ACT)                                                                                  \
  }                                                                                                    \
  EACH(MOTE_MK_STORE)

#if defined(__aarch64__) && !defined(MOTE_NEON_NO_ASM)

// The reduction loop is written in assembly: compilers given the same loop in intrinsics spill
// accumulators or emit one load and one address update per vector (GCC 12 and clang 14 reach
// 0.70-0.86 fmla per instruction in the 8x12 loop, 0.69-0.82 in 8x8); here every load is a
// multi-register ld1 with post-increment. Per 8 reduction steps of the 8x12 tile: 4 x ld1 {4 regs} of
// A, 8 x ld1 {3 regs} of B, 192 fmla, subs/b.ne (0.93 fmla per instruction); 8x8: 4 + 4 loads for 128
// fmla (0.94); 8x4: 4 + 2 loads for 64 fmla (0.91). The accumulators live in v8.. (acc[m][j] in
// v(8 + NB m + j)) and enter through a 32 NB-float tile on the stack (GCC refuses 24 in-out asm
// operands), so bias and residual stay in intrinsics; they leave through it when an activation follows
// (in intrinsics), else straight to C's rows (8 x st1). n8, n4, n1: blocks of 8
// steps, one block of 4 (0 or 1), single steps.
// With c non-null the sums are stored straight to C's 8 rows (ldcBytes apart) instead of back to acc.
template <int NB>
void microLoop(uint64_t n8, uint64_t n4, uint64_t n1, const float *pa, const float *pb, float *acc, float *c,
               uint64_t ldcBytes);

template <>
MOTE_ALWAYS_INLINE void microLoop<3>(uint64_t n8, uint64_t n4, uint64_t n1, const float *pa, const float *pb,
                                      float *acc, float *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n" "ld1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n" "ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[acc]], #64\n"
      "ld1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n" "ld1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[acc]], #64\n" "ld1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[acc]], #64\n"
      "sub %[acc], %[acc], #384\n" "cbz %[n8], 2f\n" "1:\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n" "fmla v17.4s, v4.4s, v0.s[3]\n"
      "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n" "fmla v26.4s, v4.4s, v1.s[2]\n"
      "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v12.4s, v5.4s, v0.s[1]\n"
      "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n" "fmla v21.4s, v5.4s, v1.s[0]\n"
      "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n" "fmla v30.4s, v5.4s, v1.s[3]\n"
      "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n" "fmla v16.4s, v6.4s, v0.s[2]\n"
      "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n" "fmla v25.4s, v6.4s, v1.s[1]\n"
      "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n" "fmla v14.4s, v4.4s, v2.s[2]\n"
      "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n" "fmla v23.4s, v4.4s, v3.s[1]\n"
      "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n" "fmla v9.4s, v5.4s, v2.s[0]\n"
      "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n" "fmla v18.4s, v5.4s, v2.s[3]\n"
      "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n" "fmla v27.4s, v5.4s, v3.s[2]\n"
      "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n" "fmla v13.4s, v6.4s, v2.s[1]\n"
      "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n" "fmla v22.4s, v6.4s, v3.s[0]\n"
      "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n" "fmla v31.4s, v6.4s, v3.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n" "fmla v17.4s, v4.4s, v0.s[3]\n"
      "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n" "fmla v26.4s, v4.4s, v1.s[2]\n"
      "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v12.4s, v5.4s, v0.s[1]\n"
      "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n" "fmla v21.4s, v5.4s, v1.s[0]\n"
      "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n" "fmla v30.4s, v5.4s, v1.s[3]\n"
      "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n" "fmla v16.4s, v6.4s, v0.s[2]\n"
      "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n" "fmla v25.4s, v6.4s, v1.s[1]\n"
      "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n" "fmla v14.4s, v4.4s, v2.s[2]\n"
      "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n" "fmla v23.4s, v4.4s, v3.s[1]\n"
      "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n" "fmla v9.4s, v5.4s, v2.s[0]\n"
      "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n" "fmla v18.4s, v5.4s, v2.s[3]\n"
      "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n" "fmla v27.4s, v5.4s, v3.s[2]\n"
      "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n" "fmla v13.4s, v6.4s, v2.s[1]\n"
      "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n" "fmla v22.4s, v6.4s, v3.s[0]\n"
      "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n" "fmla v31.4s, v6.4s, v3.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n" "fmla v17.4s, v4.4s, v0.s[3]\n"
      "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n" "fmla v26.4s, v4.4s, v1.s[2]\n"
      "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v12.4s, v5.4s, v0.s[1]\n"
      "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n" "fmla v21.4s, v5.4s, v1.s[0]\n"
      "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n" "fmla v30.4s, v5.4s, v1.s[3]\n"
      "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n" "fmla v16.4s, v6.4s, v0.s[2]\n"
      "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n" "fmla v25.4s, v6.4s, v1.s[1]\n"
      "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n" "fmla v14.4s, v4.4s, v2.s[2]\n"
      "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n" "fmla v23.4s, v4.4s, v3.s[1]\n"
      "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n" "fmla v9.4s, v5.4s, v2.s[0]\n"
      "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n" "fmla v18.4s, v5.4s, v2.s[3]\n"
      "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n" "fmla v27.4s, v5.4s, v3.s[2]\n"
      "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n" "fmla v13.4s, v6.4s, v2.s[1]\n"
      "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n" "fmla v22.4s, v6.4s, v3.s[0]\n"
      "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n" "fmla v31.4s, v6.4s, v3.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n" "fmla v17.4s, v4.4s, v0.s[3]\n"
      "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n" "fmla v26.4s, v4.4s, v1.s[2]\n"
      "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v12.4s, v5.4s, v0.s[1]\n"
      "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n" "fmla v21.4s, v5.4s, v1.s[0]\n"
      "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n" "fmla v30.4s, v5.4s, v1.s[3]\n"
      "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n" "fmla v16.4s, v6.4s, v0.s[2]\n"
      "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n" "fmla v25.4s, v6.4s, v1.s[1]\n"
      "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n" "fmla v14.4s, v4.4s, v2.s[2]\n"
      "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n" "fmla v23.4s, v4.4s, v3.s[1]\n"
      "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n" "fmla v9.4s, v5.4s, v2.s[0]\n"
      "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n" "fmla v18.4s, v5.4s, v2.s[3]\n"
      "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n" "fmla v27.4s, v5.4s, v3.s[2]\n"
      "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n" "fmla v13.4s, v6.4s, v2.s[1]\n"
      "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n" "fmla v22.4s, v6.4s, v3.s[0]\n"
      "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n" "fmla v31.4s, v6.4s, v3.s[3]\n"
      "subs %[n8], %[n8], #1\n" "b.ne 1b\n" "2:\n"
      "cbz %[n4], 3f\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n"
      "fmla v17.4s, v4.4s, v0.s[3]\n" "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n"
      "fmla v26.4s, v4.4s, v1.s[2]\n" "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v12.4s, v5.4s, v0.s[1]\n" "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n"
      "fmla v21.4s, v5.4s, v1.s[0]\n" "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n"
      "fmla v30.4s, v5.4s, v1.s[3]\n" "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n"
      "fmla v16.4s, v6.4s, v0.s[2]\n" "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n"
      "fmla v25.4s, v6.4s, v1.s[1]\n" "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n"
      "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n"
      "fmla v14.4s, v4.4s, v2.s[2]\n" "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n"
      "fmla v23.4s, v4.4s, v3.s[1]\n" "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n"
      "fmla v9.4s, v5.4s, v2.s[0]\n" "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n"
      "fmla v18.4s, v5.4s, v2.s[3]\n" "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n"
      "fmla v27.4s, v5.4s, v3.s[2]\n" "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n"
      "fmla v13.4s, v6.4s, v2.s[1]\n" "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n"
      "fmla v22.4s, v6.4s, v3.s[0]\n" "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n"
      "fmla v31.4s, v6.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n"
      "fmla v17.4s, v4.4s, v0.s[3]\n" "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n"
      "fmla v26.4s, v4.4s, v1.s[2]\n" "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v12.4s, v5.4s, v0.s[1]\n" "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n"
      "fmla v21.4s, v5.4s, v1.s[0]\n" "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n"
      "fmla v30.4s, v5.4s, v1.s[3]\n" "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n"
      "fmla v16.4s, v6.4s, v0.s[2]\n" "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n"
      "fmla v25.4s, v6.4s, v1.s[1]\n" "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n"
      "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n" "fmla v8.4s, v4.4s, v2.s[0]\n" "fmla v11.4s, v4.4s, v2.s[1]\n"
      "fmla v14.4s, v4.4s, v2.s[2]\n" "fmla v17.4s, v4.4s, v2.s[3]\n" "fmla v20.4s, v4.4s, v3.s[0]\n"
      "fmla v23.4s, v4.4s, v3.s[1]\n" "fmla v26.4s, v4.4s, v3.s[2]\n" "fmla v29.4s, v4.4s, v3.s[3]\n"
      "fmla v9.4s, v5.4s, v2.s[0]\n" "fmla v12.4s, v5.4s, v2.s[1]\n" "fmla v15.4s, v5.4s, v2.s[2]\n"
      "fmla v18.4s, v5.4s, v2.s[3]\n" "fmla v21.4s, v5.4s, v3.s[0]\n" "fmla v24.4s, v5.4s, v3.s[1]\n"
      "fmla v27.4s, v5.4s, v3.s[2]\n" "fmla v30.4s, v5.4s, v3.s[3]\n" "fmla v10.4s, v6.4s, v2.s[0]\n"
      "fmla v13.4s, v6.4s, v2.s[1]\n" "fmla v16.4s, v6.4s, v2.s[2]\n" "fmla v19.4s, v6.4s, v2.s[3]\n"
      "fmla v22.4s, v6.4s, v3.s[0]\n" "fmla v25.4s, v6.4s, v3.s[1]\n" "fmla v28.4s, v6.4s, v3.s[2]\n"
      "fmla v31.4s, v6.4s, v3.s[3]\n" "3:\n" "cbz %[n1], 5f\n"
      "4:\n" "ld1 {v0.4s, v1.4s}, [%[pa]], #32\n" "ld1 {v4.4s, v5.4s, v6.4s}, [%[pb]], #48\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v11.4s, v4.4s, v0.s[1]\n" "fmla v14.4s, v4.4s, v0.s[2]\n"
      "fmla v17.4s, v4.4s, v0.s[3]\n" "fmla v20.4s, v4.4s, v1.s[0]\n" "fmla v23.4s, v4.4s, v1.s[1]\n"
      "fmla v26.4s, v4.4s, v1.s[2]\n" "fmla v29.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v12.4s, v5.4s, v0.s[1]\n" "fmla v15.4s, v5.4s, v0.s[2]\n" "fmla v18.4s, v5.4s, v0.s[3]\n"
      "fmla v21.4s, v5.4s, v1.s[0]\n" "fmla v24.4s, v5.4s, v1.s[1]\n" "fmla v27.4s, v5.4s, v1.s[2]\n"
      "fmla v30.4s, v5.4s, v1.s[3]\n" "fmla v10.4s, v6.4s, v0.s[0]\n" "fmla v13.4s, v6.4s, v0.s[1]\n"
      "fmla v16.4s, v6.4s, v0.s[2]\n" "fmla v19.4s, v6.4s, v0.s[3]\n" "fmla v22.4s, v6.4s, v1.s[0]\n"
      "fmla v25.4s, v6.4s, v1.s[1]\n" "fmla v28.4s, v6.4s, v1.s[2]\n" "fmla v31.4s, v6.4s, v1.s[3]\n"
      "subs %[n1], %[n1], #1\n" "b.ne 4b\n" "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.4s, v9.4s, v10.4s}, [%[c]], %[ldc]\n"
      "st1 {v11.4s, v12.4s, v13.4s}, [%[c]], %[ldc]\n"
      "st1 {v14.4s, v15.4s, v16.4s}, [%[c]], %[ldc]\n"
      "st1 {v17.4s, v18.4s, v19.4s}, [%[c]], %[ldc]\n"
      "st1 {v20.4s, v21.4s, v22.4s}, [%[c]], %[ldc]\n"
      "st1 {v23.4s, v24.4s, v25.4s}, [%[c]], %[ldc]\n"
      "st1 {v26.4s, v27.4s, v28.4s}, [%[c]], %[ldc]\n"
      "st1 {v29.4s, v30.4s, v31.4s}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n"
      "st1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n" "st1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n" "st1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[acc]], #64\n"
      "st1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n" "st1 {v24.4s, v25.4s, v26.4s, v27.4s}, [%[acc]], #64\n" "st1 {v28.4s, v29.4s, v30.4s, v31.4s}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31");
}

template <>
MOTE_ALWAYS_INLINE void microLoop<2>(uint64_t n8, uint64_t n4, uint64_t n1, const float *pa, const float *pb,
                                      float *acc, float *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n" "ld1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n" "ld1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[acc]], #64\n"
      "ld1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n" "sub %[acc], %[acc], #256\n" "cbz %[n8], 2f\n"
      "1:\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v10.4s, v4.4s, v0.s[1]\n" "fmla v12.4s, v4.4s, v0.s[2]\n"
      "fmla v14.4s, v4.4s, v0.s[3]\n" "fmla v16.4s, v4.4s, v1.s[0]\n" "fmla v18.4s, v4.4s, v1.s[1]\n"
      "fmla v20.4s, v4.4s, v1.s[2]\n" "fmla v22.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v11.4s, v5.4s, v0.s[1]\n" "fmla v13.4s, v5.4s, v0.s[2]\n" "fmla v15.4s, v5.4s, v0.s[3]\n"
      "fmla v17.4s, v5.4s, v1.s[0]\n" "fmla v19.4s, v5.4s, v1.s[1]\n" "fmla v21.4s, v5.4s, v1.s[2]\n"
      "fmla v23.4s, v5.4s, v1.s[3]\n" "fmla v8.4s, v6.4s, v2.s[0]\n" "fmla v10.4s, v6.4s, v2.s[1]\n"
      "fmla v12.4s, v6.4s, v2.s[2]\n" "fmla v14.4s, v6.4s, v2.s[3]\n" "fmla v16.4s, v6.4s, v3.s[0]\n"
      "fmla v18.4s, v6.4s, v3.s[1]\n" "fmla v20.4s, v6.4s, v3.s[2]\n" "fmla v22.4s, v6.4s, v3.s[3]\n"
      "fmla v9.4s, v7.4s, v2.s[0]\n" "fmla v11.4s, v7.4s, v2.s[1]\n" "fmla v13.4s, v7.4s, v2.s[2]\n"
      "fmla v15.4s, v7.4s, v2.s[3]\n" "fmla v17.4s, v7.4s, v3.s[0]\n" "fmla v19.4s, v7.4s, v3.s[1]\n"
      "fmla v21.4s, v7.4s, v3.s[2]\n" "fmla v23.4s, v7.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n"
      "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n" "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v10.4s, v4.4s, v0.s[1]\n"
      "fmla v12.4s, v4.4s, v0.s[2]\n" "fmla v14.4s, v4.4s, v0.s[3]\n" "fmla v16.4s, v4.4s, v1.s[0]\n"
      "fmla v18.4s, v4.4s, v1.s[1]\n" "fmla v20.4s, v4.4s, v1.s[2]\n" "fmla v22.4s, v4.4s, v1.s[3]\n"
      "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v11.4s, v5.4s, v0.s[1]\n" "fmla v13.4s, v5.4s, v0.s[2]\n"
      "fmla v15.4s, v5.4s, v0.s[3]\n" "fmla v17.4s, v5.4s, v1.s[0]\n" "fmla v19.4s, v5.4s, v1.s[1]\n"
      "fmla v21.4s, v5.4s, v1.s[2]\n" "fmla v23.4s, v5.4s, v1.s[3]\n" "fmla v8.4s, v6.4s, v2.s[0]\n"
      "fmla v10.4s, v6.4s, v2.s[1]\n" "fmla v12.4s, v6.4s, v2.s[2]\n" "fmla v14.4s, v6.4s, v2.s[3]\n"
      "fmla v16.4s, v6.4s, v3.s[0]\n" "fmla v18.4s, v6.4s, v3.s[1]\n" "fmla v20.4s, v6.4s, v3.s[2]\n"
      "fmla v22.4s, v6.4s, v3.s[3]\n" "fmla v9.4s, v7.4s, v2.s[0]\n" "fmla v11.4s, v7.4s, v2.s[1]\n"
      "fmla v13.4s, v7.4s, v2.s[2]\n" "fmla v15.4s, v7.4s, v2.s[3]\n" "fmla v17.4s, v7.4s, v3.s[0]\n"
      "fmla v19.4s, v7.4s, v3.s[1]\n" "fmla v21.4s, v7.4s, v3.s[2]\n" "fmla v23.4s, v7.4s, v3.s[3]\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v10.4s, v4.4s, v0.s[1]\n" "fmla v12.4s, v4.4s, v0.s[2]\n" "fmla v14.4s, v4.4s, v0.s[3]\n"
      "fmla v16.4s, v4.4s, v1.s[0]\n" "fmla v18.4s, v4.4s, v1.s[1]\n" "fmla v20.4s, v4.4s, v1.s[2]\n"
      "fmla v22.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v11.4s, v5.4s, v0.s[1]\n"
      "fmla v13.4s, v5.4s, v0.s[2]\n" "fmla v15.4s, v5.4s, v0.s[3]\n" "fmla v17.4s, v5.4s, v1.s[0]\n"
      "fmla v19.4s, v5.4s, v1.s[1]\n" "fmla v21.4s, v5.4s, v1.s[2]\n" "fmla v23.4s, v5.4s, v1.s[3]\n"
      "fmla v8.4s, v6.4s, v2.s[0]\n" "fmla v10.4s, v6.4s, v2.s[1]\n" "fmla v12.4s, v6.4s, v2.s[2]\n"
      "fmla v14.4s, v6.4s, v2.s[3]\n" "fmla v16.4s, v6.4s, v3.s[0]\n" "fmla v18.4s, v6.4s, v3.s[1]\n"
      "fmla v20.4s, v6.4s, v3.s[2]\n" "fmla v22.4s, v6.4s, v3.s[3]\n" "fmla v9.4s, v7.4s, v2.s[0]\n"
      "fmla v11.4s, v7.4s, v2.s[1]\n" "fmla v13.4s, v7.4s, v2.s[2]\n" "fmla v15.4s, v7.4s, v2.s[3]\n"
      "fmla v17.4s, v7.4s, v3.s[0]\n" "fmla v19.4s, v7.4s, v3.s[1]\n" "fmla v21.4s, v7.4s, v3.s[2]\n"
      "fmla v23.4s, v7.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v10.4s, v4.4s, v0.s[1]\n" "fmla v12.4s, v4.4s, v0.s[2]\n"
      "fmla v14.4s, v4.4s, v0.s[3]\n" "fmla v16.4s, v4.4s, v1.s[0]\n" "fmla v18.4s, v4.4s, v1.s[1]\n"
      "fmla v20.4s, v4.4s, v1.s[2]\n" "fmla v22.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v11.4s, v5.4s, v0.s[1]\n" "fmla v13.4s, v5.4s, v0.s[2]\n" "fmla v15.4s, v5.4s, v0.s[3]\n"
      "fmla v17.4s, v5.4s, v1.s[0]\n" "fmla v19.4s, v5.4s, v1.s[1]\n" "fmla v21.4s, v5.4s, v1.s[2]\n"
      "fmla v23.4s, v5.4s, v1.s[3]\n" "fmla v8.4s, v6.4s, v2.s[0]\n" "fmla v10.4s, v6.4s, v2.s[1]\n"
      "fmla v12.4s, v6.4s, v2.s[2]\n" "fmla v14.4s, v6.4s, v2.s[3]\n" "fmla v16.4s, v6.4s, v3.s[0]\n"
      "fmla v18.4s, v6.4s, v3.s[1]\n" "fmla v20.4s, v6.4s, v3.s[2]\n" "fmla v22.4s, v6.4s, v3.s[3]\n"
      "fmla v9.4s, v7.4s, v2.s[0]\n" "fmla v11.4s, v7.4s, v2.s[1]\n" "fmla v13.4s, v7.4s, v2.s[2]\n"
      "fmla v15.4s, v7.4s, v2.s[3]\n" "fmla v17.4s, v7.4s, v3.s[0]\n" "fmla v19.4s, v7.4s, v3.s[1]\n"
      "fmla v21.4s, v7.4s, v3.s[2]\n" "fmla v23.4s, v7.4s, v3.s[3]\n" "subs %[n8], %[n8], #1\n"
      "b.ne 1b\n" "2:\n" "cbz %[n4], 3f\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v10.4s, v4.4s, v0.s[1]\n" "fmla v12.4s, v4.4s, v0.s[2]\n" "fmla v14.4s, v4.4s, v0.s[3]\n"
      "fmla v16.4s, v4.4s, v1.s[0]\n" "fmla v18.4s, v4.4s, v1.s[1]\n" "fmla v20.4s, v4.4s, v1.s[2]\n"
      "fmla v22.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v11.4s, v5.4s, v0.s[1]\n"
      "fmla v13.4s, v5.4s, v0.s[2]\n" "fmla v15.4s, v5.4s, v0.s[3]\n" "fmla v17.4s, v5.4s, v1.s[0]\n"
      "fmla v19.4s, v5.4s, v1.s[1]\n" "fmla v21.4s, v5.4s, v1.s[2]\n" "fmla v23.4s, v5.4s, v1.s[3]\n"
      "fmla v8.4s, v6.4s, v2.s[0]\n" "fmla v10.4s, v6.4s, v2.s[1]\n" "fmla v12.4s, v6.4s, v2.s[2]\n"
      "fmla v14.4s, v6.4s, v2.s[3]\n" "fmla v16.4s, v6.4s, v3.s[0]\n" "fmla v18.4s, v6.4s, v3.s[1]\n"
      "fmla v20.4s, v6.4s, v3.s[2]\n" "fmla v22.4s, v6.4s, v3.s[3]\n" "fmla v9.4s, v7.4s, v2.s[0]\n"
      "fmla v11.4s, v7.4s, v2.s[1]\n" "fmla v13.4s, v7.4s, v2.s[2]\n" "fmla v15.4s, v7.4s, v2.s[3]\n"
      "fmla v17.4s, v7.4s, v3.s[0]\n" "fmla v19.4s, v7.4s, v3.s[1]\n" "fmla v21.4s, v7.4s, v3.s[2]\n"
      "fmla v23.4s, v7.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v10.4s, v4.4s, v0.s[1]\n" "fmla v12.4s, v4.4s, v0.s[2]\n"
      "fmla v14.4s, v4.4s, v0.s[3]\n" "fmla v16.4s, v4.4s, v1.s[0]\n" "fmla v18.4s, v4.4s, v1.s[1]\n"
      "fmla v20.4s, v4.4s, v1.s[2]\n" "fmla v22.4s, v4.4s, v1.s[3]\n" "fmla v9.4s, v5.4s, v0.s[0]\n"
      "fmla v11.4s, v5.4s, v0.s[1]\n" "fmla v13.4s, v5.4s, v0.s[2]\n" "fmla v15.4s, v5.4s, v0.s[3]\n"
      "fmla v17.4s, v5.4s, v1.s[0]\n" "fmla v19.4s, v5.4s, v1.s[1]\n" "fmla v21.4s, v5.4s, v1.s[2]\n"
      "fmla v23.4s, v5.4s, v1.s[3]\n" "fmla v8.4s, v6.4s, v2.s[0]\n" "fmla v10.4s, v6.4s, v2.s[1]\n"
      "fmla v12.4s, v6.4s, v2.s[2]\n" "fmla v14.4s, v6.4s, v2.s[3]\n" "fmla v16.4s, v6.4s, v3.s[0]\n"
      "fmla v18.4s, v6.4s, v3.s[1]\n" "fmla v20.4s, v6.4s, v3.s[2]\n" "fmla v22.4s, v6.4s, v3.s[3]\n"
      "fmla v9.4s, v7.4s, v2.s[0]\n" "fmla v11.4s, v7.4s, v2.s[1]\n" "fmla v13.4s, v7.4s, v2.s[2]\n"
      "fmla v15.4s, v7.4s, v2.s[3]\n" "fmla v17.4s, v7.4s, v3.s[0]\n" "fmla v19.4s, v7.4s, v3.s[1]\n"
      "fmla v21.4s, v7.4s, v3.s[2]\n" "fmla v23.4s, v7.4s, v3.s[3]\n" "3:\n"
      "cbz %[n1], 5f\n" "4:\n" "ld1 {v0.4s, v1.4s}, [%[pa]], #32\n"
      "ld1 {v4.4s, v5.4s}, [%[pb]], #32\n" "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v10.4s, v4.4s, v0.s[1]\n"
      "fmla v12.4s, v4.4s, v0.s[2]\n" "fmla v14.4s, v4.4s, v0.s[3]\n" "fmla v16.4s, v4.4s, v1.s[0]\n"
      "fmla v18.4s, v4.4s, v1.s[1]\n" "fmla v20.4s, v4.4s, v1.s[2]\n" "fmla v22.4s, v4.4s, v1.s[3]\n"
      "fmla v9.4s, v5.4s, v0.s[0]\n" "fmla v11.4s, v5.4s, v0.s[1]\n" "fmla v13.4s, v5.4s, v0.s[2]\n"
      "fmla v15.4s, v5.4s, v0.s[3]\n" "fmla v17.4s, v5.4s, v1.s[0]\n" "fmla v19.4s, v5.4s, v1.s[1]\n"
      "fmla v21.4s, v5.4s, v1.s[2]\n" "fmla v23.4s, v5.4s, v1.s[3]\n" "subs %[n1], %[n1], #1\n"
      "b.ne 4b\n" "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.4s, v9.4s}, [%[c]], %[ldc]\n"
      "st1 {v10.4s, v11.4s}, [%[c]], %[ldc]\n"
      "st1 {v12.4s, v13.4s}, [%[c]], %[ldc]\n"
      "st1 {v14.4s, v15.4s}, [%[c]], %[ldc]\n"
      "st1 {v16.4s, v17.4s}, [%[c]], %[ldc]\n"
      "st1 {v18.4s, v19.4s}, [%[c]], %[ldc]\n"
      "st1 {v20.4s, v21.4s}, [%[c]], %[ldc]\n"
      "st1 {v22.4s, v23.4s}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n" "st1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n"
      "st1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n" "st1 {v16.4s, v17.4s, v18.4s, v19.4s}, [%[acc]], #64\n" "st1 {v20.4s, v21.4s, v22.4s, v23.4s}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22", "v23");
}

template <>
MOTE_ALWAYS_INLINE void microLoop<1>(uint64_t n8, uint64_t n4, uint64_t n1, const float *pa, const float *pb,
                                      float *acc, float *c, uint64_t ldcBytes) {
  __asm__ volatile(
      "ld1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n" "ld1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n" "sub %[acc], %[acc], #128\n"
      "cbz %[n8], 2f\n" "1:\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n"
      "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v9.4s, v4.4s, v0.s[1]\n"
      "fmla v10.4s, v4.4s, v0.s[2]\n" "fmla v11.4s, v4.4s, v0.s[3]\n" "fmla v12.4s, v4.4s, v1.s[0]\n"
      "fmla v13.4s, v4.4s, v1.s[1]\n" "fmla v14.4s, v4.4s, v1.s[2]\n" "fmla v15.4s, v4.4s, v1.s[3]\n"
      "fmla v8.4s, v5.4s, v2.s[0]\n" "fmla v9.4s, v5.4s, v2.s[1]\n" "fmla v10.4s, v5.4s, v2.s[2]\n"
      "fmla v11.4s, v5.4s, v2.s[3]\n" "fmla v12.4s, v5.4s, v3.s[0]\n" "fmla v13.4s, v5.4s, v3.s[1]\n"
      "fmla v14.4s, v5.4s, v3.s[2]\n" "fmla v15.4s, v5.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n"
      "fmla v8.4s, v6.4s, v0.s[0]\n" "fmla v9.4s, v6.4s, v0.s[1]\n" "fmla v10.4s, v6.4s, v0.s[2]\n"
      "fmla v11.4s, v6.4s, v0.s[3]\n" "fmla v12.4s, v6.4s, v1.s[0]\n" "fmla v13.4s, v6.4s, v1.s[1]\n"
      "fmla v14.4s, v6.4s, v1.s[2]\n" "fmla v15.4s, v6.4s, v1.s[3]\n" "fmla v8.4s, v7.4s, v2.s[0]\n"
      "fmla v9.4s, v7.4s, v2.s[1]\n" "fmla v10.4s, v7.4s, v2.s[2]\n" "fmla v11.4s, v7.4s, v2.s[3]\n"
      "fmla v12.4s, v7.4s, v3.s[0]\n" "fmla v13.4s, v7.4s, v3.s[1]\n" "fmla v14.4s, v7.4s, v3.s[2]\n"
      "fmla v15.4s, v7.4s, v3.s[3]\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v9.4s, v4.4s, v0.s[1]\n" "fmla v10.4s, v4.4s, v0.s[2]\n"
      "fmla v11.4s, v4.4s, v0.s[3]\n" "fmla v12.4s, v4.4s, v1.s[0]\n" "fmla v13.4s, v4.4s, v1.s[1]\n"
      "fmla v14.4s, v4.4s, v1.s[2]\n" "fmla v15.4s, v4.4s, v1.s[3]\n" "fmla v8.4s, v5.4s, v2.s[0]\n"
      "fmla v9.4s, v5.4s, v2.s[1]\n" "fmla v10.4s, v5.4s, v2.s[2]\n" "fmla v11.4s, v5.4s, v2.s[3]\n"
      "fmla v12.4s, v5.4s, v3.s[0]\n" "fmla v13.4s, v5.4s, v3.s[1]\n" "fmla v14.4s, v5.4s, v3.s[2]\n"
      "fmla v15.4s, v5.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "fmla v8.4s, v6.4s, v0.s[0]\n"
      "fmla v9.4s, v6.4s, v0.s[1]\n" "fmla v10.4s, v6.4s, v0.s[2]\n" "fmla v11.4s, v6.4s, v0.s[3]\n"
      "fmla v12.4s, v6.4s, v1.s[0]\n" "fmla v13.4s, v6.4s, v1.s[1]\n" "fmla v14.4s, v6.4s, v1.s[2]\n"
      "fmla v15.4s, v6.4s, v1.s[3]\n" "fmla v8.4s, v7.4s, v2.s[0]\n" "fmla v9.4s, v7.4s, v2.s[1]\n"
      "fmla v10.4s, v7.4s, v2.s[2]\n" "fmla v11.4s, v7.4s, v2.s[3]\n" "fmla v12.4s, v7.4s, v3.s[0]\n"
      "fmla v13.4s, v7.4s, v3.s[1]\n" "fmla v14.4s, v7.4s, v3.s[2]\n" "fmla v15.4s, v7.4s, v3.s[3]\n"
      "subs %[n8], %[n8], #1\n" "b.ne 1b\n" "2:\n"
      "cbz %[n4], 3f\n" "ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [%[pb]], #64\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n"
      "fmla v8.4s, v4.4s, v0.s[0]\n" "fmla v9.4s, v4.4s, v0.s[1]\n" "fmla v10.4s, v4.4s, v0.s[2]\n"
      "fmla v11.4s, v4.4s, v0.s[3]\n" "fmla v12.4s, v4.4s, v1.s[0]\n" "fmla v13.4s, v4.4s, v1.s[1]\n"
      "fmla v14.4s, v4.4s, v1.s[2]\n" "fmla v15.4s, v4.4s, v1.s[3]\n" "fmla v8.4s, v5.4s, v2.s[0]\n"
      "fmla v9.4s, v5.4s, v2.s[1]\n" "fmla v10.4s, v5.4s, v2.s[2]\n" "fmla v11.4s, v5.4s, v2.s[3]\n"
      "fmla v12.4s, v5.4s, v3.s[0]\n" "fmla v13.4s, v5.4s, v3.s[1]\n" "fmla v14.4s, v5.4s, v3.s[2]\n"
      "fmla v15.4s, v5.4s, v3.s[3]\n" "ld1 {v0.4s, v1.4s, v2.4s, v3.4s}, [%[pa]], #64\n" "fmla v8.4s, v6.4s, v0.s[0]\n"
      "fmla v9.4s, v6.4s, v0.s[1]\n" "fmla v10.4s, v6.4s, v0.s[2]\n" "fmla v11.4s, v6.4s, v0.s[3]\n"
      "fmla v12.4s, v6.4s, v1.s[0]\n" "fmla v13.4s, v6.4s, v1.s[1]\n" "fmla v14.4s, v6.4s, v1.s[2]\n"
      "fmla v15.4s, v6.4s, v1.s[3]\n" "fmla v8.4s, v7.4s, v2.s[0]\n" "fmla v9.4s, v7.4s, v2.s[1]\n"
      "fmla v10.4s, v7.4s, v2.s[2]\n" "fmla v11.4s, v7.4s, v2.s[3]\n" "fmla v12.4s, v7.4s, v3.s[0]\n"
      "fmla v13.4s, v7.4s, v3.s[1]\n" "fmla v14.4s, v7.4s, v3.s[2]\n" "fmla v15.4s, v7.4s, v3.s[3]\n"
      "3:\n" "cbz %[n1], 5f\n" "4:\n"
      "ld1 {v0.4s, v1.4s}, [%[pa]], #32\n" "ld1 {v4.4s}, [%[pb]], #16\n" "fmla v8.4s, v4.4s, v0.s[0]\n"
      "fmla v9.4s, v4.4s, v0.s[1]\n" "fmla v10.4s, v4.4s, v0.s[2]\n" "fmla v11.4s, v4.4s, v0.s[3]\n"
      "fmla v12.4s, v4.4s, v1.s[0]\n" "fmla v13.4s, v4.4s, v1.s[1]\n" "fmla v14.4s, v4.4s, v1.s[2]\n"
      "fmla v15.4s, v4.4s, v1.s[3]\n" "subs %[n1], %[n1], #1\n" "b.ne 4b\n"
      "5:\n" "cbz %[c], 6f\n"
      "st1 {v8.4s}, [%[c]], %[ldc]\n"
      "st1 {v9.4s}, [%[c]], %[ldc]\n"
      "st1 {v10.4s}, [%[c]], %[ldc]\n"
      "st1 {v11.4s}, [%[c]], %[ldc]\n"
      "st1 {v12.4s}, [%[c]], %[ldc]\n"
      "st1 {v13.4s}, [%[c]], %[ldc]\n"
      "st1 {v14.4s}, [%[c]], %[ldc]\n"
      "st1 {v15.4s}, [%[c]], %[ldc]\n"
      "b 7f\n" "6:\n" "st1 {v8.4s, v9.4s, v10.4s, v11.4s}, [%[acc]], #64\n" "st1 {v12.4s, v13.4s, v14.4s, v15.4s}, [%[acc]], #64\n"
      "7:\n"
      : [pa] "+r"(pa), [pb] "+r"(pb), [n8] "+r"(n8), [n4] "+r"(n4), [n1] "+r"(n1), [acc] "+r"(acc), [c] "+r"(c)
      : [ldc] "r"(ldcBytes)
      : "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14", "v15");
}

/// C[8][4NB] (rows ldc apart) = init + bias + Apanel * Bpanel over kc reduction steps, through the
/// activation when t.finalize; pa: packed A micro panel (kc x 8), pb: packed B slice (kc x 4NB).
template <int NB>
MOTE_NOINLINE void microkernel(int kc, const float *pa, const float *pb, float *c, size_t ldc,
                               const TileArgs &t) {
  constexpr int kW = 4 * NB;
  alignas(16) float acc[kGemmMR * kW];
  {
    float32x4_t bias[NB];
    for (int j = 0; j < NB; ++j)
      bias[j] = t.bias ? vld1q_f32(t.bias + 4 * j) : vdupq_n_f32(0.0f);
    if (t.init) {
      for (int m = 0; m < kGemmMR; ++m)
        for (int j = 0; j < NB; ++j)
          vst1q_f32(acc + kW * m + 4 * j, vaddq_f32(vld1q_f32(t.init + m * t.ldInit + 4 * j), bias[j]));
    } else {
      for (int m = 0; m < kGemmMR; ++m)
        for (int j = 0; j < NB; ++j)
          vst1q_f32(acc + kW * m + 4 * j, bias[j]);
    }
  }
  if (!t.finalize || t.act == Activation::None) { // the sums are the results: stored to C by the loop itself
    microLoop<NB>((uint64_t)(kc / 8), (uint64_t)((kc / 4) & 1), (uint64_t)(kc % 4), pa, pb, acc, c,
                  (uint64_t)(ldc * sizeof(float)));
    return;
  }
  microLoop<NB>((uint64_t)(kc / 8), (uint64_t)((kc / 4) & 1), (uint64_t)(kc % 4), pa, pb, acc, nullptr, 0);
  // The activation chosen once per tile, not per accumulator.
  const float lo = t.lo, hi = t.hi;
  withActivation(t.finalize ? t.act : Activation::None, [&](auto a) {
    for (int m = 0; m < kGemmMR; ++m)
      for (int j = 0; j < NB; ++j)
        vst1q_f32(c + m * ldc + 4 * j, activateAs<decltype(a)::value>(vld1q_f32(acc + kW * m + 4 * j), lo, hi));
  });
}

#else // intrinsics only

/// C[8][4NB] (rows ldc apart) = init + bias + Apanel * Bpanel over kc reduction steps, through the
/// activation when t.finalize; pa: packed A micro panel (kc x 8), pb: packed B slice (kc x 4NB).
template <int NB>
void microkernel(int kc, const float *pa, const float *pb, float *c, size_t ldc, const TileArgs &t);

#define MOTE_MK_DEFINE(NB, EACH)                                                                         \
  template <>                                                                                          \
  MOTE_NOINLINE inline void microkernel<NB>(int kc, const float *pa, const float *pb, float *c,        \
                                            size_t ldc, const TileArgs &t) {                           \
    MOTE_MK_PROLOGUE(EACH)                                                                             \
    int k = kc;                                                                                        \
    MOTE_MK_LOOP(EACH, NB)                                                                             \
    MOTE_MK_EPILOGUE(EACH)                                                                             \
  }
MOTE_MK_DEFINE(3, MOTE_MK_EACH3)
MOTE_MK_DEFINE(2, MOTE_MK_EACH2)
MOTE_MK_DEFINE(1, MOTE_MK_EACH1)
#undef MOTE_MK_DEFINE

#endif

} // namespace detail
} // namespace neon
} // namespace mote

#endif // MOTE_RUNTIME_NEON_GEMMMICROKERNEL_H
