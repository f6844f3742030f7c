// Bit-exactness of the integer GEMM/GEMV kernels (runtime/neon/GemmI8.h: sdot, and smmla in GemmI8MM.cpp) against a brute-force scalar
// evaluation of the arithmetic GemmI8.h specifies: the per-row quantization of A, the int32 dot products,
// the fma-based scaling, bias, residual and activation. Sizes cross the 8x12 tile, the 4- and 8-column edge
// panels, K tails (K not a multiple of 4, 8 or 16) and the int4 scale groups. Cross-compiled and run under
// qemu-aarch64 by scripts/bench_kernels.sh; prints one PASS/FAIL line per case and exits non-zero on any
// failure. Any differing bit is a failure: the reference target computes the same arithmetic and device
// output must equal it.
#include "runtime/neon/GemmI8.h"
#include "runtime/neon/GemmMicrokernel.h"

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace mote::neon;

namespace {

int failures = 0, cases = 0;

struct Rng {
  uint64_t s;
  explicit Rng(uint64_t seed) : s(seed * 0x9E3779B97F4A7C15ull + 1) {}
  uint64_t bits() {
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return s;
  }
  float next() { return (float)((double)(bits() >> 11) / (double)(1ull << 53) * 2.0 - 1.0); }
  int below(int n) { return (int)((bits() >> 20) % (uint64_t)n); }
};

// The row quantization, written from the specification (scalar, no NEON).
float refQuantizeRow(int K, const float *x, std::vector<int> &q) {
  float m = 0.0f;
  for (int k = 0; k < K; ++k)
    m = std::fabs(x[k]) > m ? std::fabs(x[k]) : m;
  const float s = m / 127.0f;
  q.assign(K, 0);
  if (s > 0.0f)
    for (int k = 0; k < K; ++k)
      q[k] = (int)std::nearbyint(x[k] / s);
  return s;
}

float activateVec(float v, const Epilogue &ep) {
  return vgetq_lane_f32(detail::activate(vdupq_n_f32(v), ep.act, ep.clampLo, ep.clampHi), 0);
}

struct Case {
  int M, N, K, group; // group 0: int8 weights
  bool bias, residual;
  Activation act;
  bool mm = false; // int8 weights through gemmI8MM (smmla) instead of gemmI8 (sdot)
};

void run(const Case &c, uint64_t seed) {
  Rng rng(seed);
  const int M = c.M, N = c.N, K = c.K;
  std::vector<float> A((size_t)M * K);
  for (auto &v : A)
    v = rng.next() * (rng.below(8) == 0 ? 4.0f : 1.0f);
  if (M > 1) // a row of zeros: scale 0
    for (int k = 0; k < K; ++k)
      A[(size_t)(M - 1) * K + k] = 0.0f;
  const bool int4 = c.group > 0;
  const int groups = int4 ? (K + c.group - 1) / c.group : 1;
  std::vector<int> qb((size_t)K * N);
  for (auto &v : qb)
    v = int4 ? rng.below(16) - 8 : rng.below(255) - 127;
  std::vector<float> sb((size_t)groups * N), bias(N), residual((size_t)M * N), C((size_t)M * N, -7.0f);
  for (auto &v : sb)
    v = (rng.next() + 1.5f) * 0.01f;
  for (auto &v : bias)
    v = rng.next();
  for (auto &v : residual)
    v = rng.next();
  Epilogue ep;
  ep.bias = c.bias ? bias.data() : nullptr;
  ep.residual = c.residual ? residual.data() : nullptr;
  ep.act = c.act;
  ep.clampLo = -0.5f;
  ep.clampHi = 0.5f;

  std::vector<uint8_t> packed;
  if (int4) {
    packed.resize(gemmBI4DotBytes(K, N, c.group));
    detail::packGemmBI4DotWith(K, N, c.group, [&](int k, int n) { return qb[(size_t)k * N + n]; },
                               [&](int g, int n) { return sb[(size_t)g * N + n]; }, packed.data());
  } else if (c.mm) {
    packed.resize(gemmBI8MMBytes(K, N));
    detail::packGemmBI8MMWith(K, N, [&](int k, int n) { return qb[(size_t)k * N + n]; }, sb.data(), packed.data());
  } else {
    packed.resize(gemmBI8DotBytes(K, N));
    detail::packGemmBI8DotWith(K, N, [&](int k, int n) { return qb[(size_t)k * N + n]; }, sb.data(), packed.data());
  }
  std::vector<uint8_t> ws(c.mm ? gemmI8MMWorkspaceBytes(M, K) : gemmI8WorkspaceBytes(M, K));
  if (int4)
    gemmI4(M, N, K, c.group, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else if (c.mm)
    gemmI8MM(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());
  else
    gemmI8(M, N, K, A.data(), K, packed.data(), C.data(), N, ep, ws.data());

  int bad = 0;
  double firstGot = 0, firstWant = 0;
  std::vector<int> qa;
  for (int m = 0; m < M; ++m) {
    const float sa = refQuantizeRow(K, A.data() + (size_t)m * K, qa);
    for (int n = 0; n < N; ++n) {
      const float b = c.bias ? bias[n] : 0.0f;
      float y;
      if (int4) {
        float t = 0.0f;
        for (int g = 0; g < groups; ++g) {
          int32_t acc = 0;
          for (int k = g * c.group; k < K && k < (g + 1) * c.group; ++k)
            acc += qa[k] * qb[(size_t)k * N + n];
          t = std::fma((float)acc, sb[(size_t)g * N + n], t);
        }
        y = std::fma(t, sa, b);
      } else {
        int32_t acc = 0;
        for (int k = 0; k < K; ++k)
          acc += qa[k] * qb[(size_t)k * N + n];
        const float s = sa * sb[n];
        y = std::fma((float)acc, s, b);
      }
      if (c.residual)
        y = y + residual[(size_t)m * N + n];
      y = activateVec(y, ep);
      const float got = C[(size_t)m * N + n];
      if (!(got == y)) {
        if (!bad) {
          firstGot = got;
          firstWant = y;
        }
        ++bad;
      }
    }
  }
  ++cases;
  char name[128];
  std::snprintf(name, sizeof(name), "%s M=%d N=%d K=%d%s%s act=%d", int4 ? "gemmI4" : c.mm ? "gemmI8MM" : "gemmI8", M, N, K,
                c.bias ? " bias" : "", c.residual ? " residual" : "", (int)c.act);
  if (bad) {
    ++failures;
    std::printf("FAIL %s group=%d: %d outputs differ (first: got %.9g, want %.9g)\n", name, c.group, bad, firstGot,
                firstWant);
  } else {
    std::printf("PASS %s group=%d\n", name, c.group);
  }
  std::fflush(stdout); // a crash in a later case leaves this one's line
}

} // namespace

int main() {
  uint64_t seed = 1;
  const int sizes[][3] = {{1, 1, 1},   {1, 5, 3},    {1, 12, 16},  {1, 30, 70},   {1, 100, 257}, {2, 7, 9},
                          {3, 13, 33}, {8, 12, 4},   {8, 12, 64},  {9, 25, 31},   {16, 24, 128}, {17, 47, 65},
                          {33, 36, 96}, {40, 29, 200}, {7, 8, 1000}, {70, 50, 300}};
  const Activation acts[] = {Activation::None, Activation::Relu, Activation::Clamp, Activation::Silu,
                             Activation::GeluTanh};
  for (const auto &s : sizes)
    for (int v = 0; v < 4; ++v) {
      Case c{s[0], s[1], s[2], 0, (v & 1) != 0, (v & 2) != 0, acts[(seed + v) % 5]};
      run(c, seed++);
      c.mm = true;
      run(c, seed++);
      c.mm = false;
      for (int group : {4, 16, 32, 64, 128}) {
        c.group = group;
        run(c, seed++);
      }
    }
  std::printf("%d of %d integer GEMM cases passed\n", cases - failures, cases);
  return failures ? 1 : 0;
}
